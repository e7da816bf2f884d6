"""A commune's self-assessment and the district's verification as forms of the one form layer.

The fields of one criterion are named by its id: "s.<id>" (score, points scoring), "m.<id>" (met,
"1" or "0"), "e.<id>" (evidence text), "f.<id>.<n>" (the figures it is judged on); the
verification's "vs.<id>", "vm.<id>" and "r.<id>" (the reason for a change).
"""

from __future__ import annotations

import functools

from webob.multidict import MultiDict

from intranet import numbers
from intranet.forms import DecimalField, Form, InputField, IntegerField, PlainNumberField, TextField
from intranet.i18n import _

MAX_TEXT = 4000
MAX_FIGURE = 10**12 - 1
#: No criterion is worth more points than this.
MAX_SCORE = 100000

MSG_POINTS = _("Enter a whole number of points (0 or more).")
MSG_NUMBER = _("Enter a number, e.g. 12 or 12,5.")


class ScoreField(IntegerField):
    """Points given to a criterion: at most ``max_points`` when the criterion has a maximum."""

    def __init__(self, label=None, validators=None, *, max_points=None, **kwargs):
        super().__init__(label, validators, messages={"invalid": MSG_POINTS, "negative": MSG_POINTS}, **kwargs)
        self.max_points = max_points

    def read(self, text: str):
        value = super().read(text)
        if self.max_points is not None and value > self.max_points:
            raise ValueError(_("At most ${n} points for this criterion.", mapping={"n": self.max_points}))
        if value > MAX_SCORE:
            raise ValueError(_("The number is too large."))
        return value


class MetField(InputField):
    """Whether a criterion is met: "1" yes, "0" no; anything else is no answer (None)."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        self.data = {"1": True, "0": False}.get((self.raw or "").strip())


class FigureField(DecimalField):
    """A figure as typed in Vietnamese (1.210 or 12,5), two decimals at most."""

    def __init__(self, label=None, validators=None, **kwargs):
        messages = {"invalid": MSG_NUMBER, "negative": MSG_NUMBER, "too_large": numbers.MSG_TOO_LARGE}
        super().__init__(label, validators, places=2, maximum=MAX_FIGURE, messages=messages, **kwargs)


def as_formdata(post):
    """A request's POST as it is, a plain mapping as a multidict."""
    return post if hasattr(post, "getall") or hasattr(post, "getlist") else MultiDict(post)


class SelfForm(Form):
    """The commune's self-assessment; :func:`self_form_class` adds the criteria's fields."""

    commune_class = TextField()
    _criteria: tuple = ()
    _points = False


@functools.lru_cache(maxsize=128)
def self_form_class(criteria: tuple, points: bool) -> type[SelfForm]:
    """``criteria``: (id, max points, number of figures) of each criterion, in order."""
    fields = {}
    for cid, max_points, figures in criteria:
        if points:
            fields[f"s.{cid}"] = ScoreField(max_points=max_points)
        fields[f"m.{cid}"] = MetField()
        fields[f"e.{cid}"] = TextField(max_length=MAX_TEXT)
        for n in range(figures):
            fields[f"f.{cid}.{n}"] = FigureField()
    return type("SelfForm", (SelfForm,), {**fields, "_criteria": criteria, "_points": points})


class VerifyForm(Form):
    """The district's verification; :func:`verify_form_class` adds the criteria's fields."""

    commune_class = TextField()


@functools.lru_cache(maxsize=128)
def verify_form_class(criteria: tuple, points: bool) -> type[VerifyForm]:
    """``criteria``: (id, max points) of each criterion, in order."""
    fields = {}
    for cid, max_points in criteria:
        if points:
            fields[f"vs.{cid}"] = ScoreField(max_points=max_points)
        fields[f"vm.{cid}"] = MetField()
        fields[f"r.{cid}"] = TextField(max_length=MAX_TEXT)
    return type("VerifyForm", (VerifyForm,), fields)


class YearField(InputField):
    """A year typed in a form, from MIN_YEAR to MAX_YEAR; its message names the range."""

    inputmode = "numeric"

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("required", year_message())
        super().__init__(label, validators, **kwargs)

    def parse(self, text: str):
        try:
            return numbers.parse_year(text)
        except numbers.NumberError as exc:
            raise ValueError(exc.message) from None


def year_message():
    return _("Enter a year between ${low} and ${high}.", mapping={"low": numbers.MIN_YEAR, "high": numbers.MAX_YEAR})


class CriteriaYearForm(Form):
    """The criteria set a year's new assessments use; no set: the one with the latest start."""

    year = YearField()
    set_id = PlainNumberField(minimum=1)

    @property
    def set_chosen(self) -> bool:
        """Whether a set was named at all (an id that cannot be one is still a choice, refused)."""
        return bool((self.set_id.raw or "").strip())
