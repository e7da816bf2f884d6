"""The commune plan as forms of the one form layer: the plan itself, the district's review and
the request for a new revision, and the year of the district's list.

The plan form is built per plan shape: one pair of fields per target ("t.<indicator>.baseline",
"t.<indicator>.target", a percentage or a count by the indicator's unit), six per activity row
("a.<n>.title" … "a.<n>.duty") and one per part ("s.<key>"). Activity rows left empty are not
rows: the rows that were typed are numbered again from 1 before reading, so that an error is
shown beside the row it is about on the page drawn again.

Only what cannot be read is an error of the form; what is missing blocks submitting only
(:func:`intranet.plans.services.check_for_submission`), so a draft always saves.
"""

from __future__ import annotations

import functools
import re
from decimal import Decimal

from webob.multidict import MultiDict

from intranet import numbers
from intranet.forms import (
    ChoiceField,
    Form,
    InputField,
    IntegerField,
    MaxLines,
    MoneyField,
    PercentageField,
    PlainNumberField,
    TextField,
)
from intranet.i18n import _
from intranet.numbers import MAX_YEAR, MIN_YEAR
from intranet.plans.services.commune_plans import MAX_ACTIVITIES, MAX_BUDGET, MAX_LINES, MAX_SHORT, MAX_TEXT, MAX_TITLE
from intranet.plans.services.transitions import part_label
from intranet.workflow.forms import CommentForm, comment_field

MAX_NUMBER = 60
#: Activity rows read from one request at most, whatever "a.count" says.
MAX_ROWS = 200
#: A review comment or a revision's reason is cut at this length, as it always was.
ACTIVITY_FIELDS = ("title", "months", "responsible", "budget", "source", "duty")

MSG_MONTHS = _("Months are numbers from 1 to 12, e.g. 3-5, 9.")
MSG_DUTY = _("Choose the duty this activity serves.")

_MONTH_TOKEN = re.compile(r"^(\d{1,2})(?:-(\d{1,2}))?$", re.ASCII)  # \d alone matches "٣", read as 3


def read_months(raw: str) -> list[int]:
    """ "3-5, 9" -> [3, 4, 5, 9]; also "3,4,5", "tháng 3 - 5". ``ValueError(message)`` otherwise."""
    text = re.sub(r"(?i)th[aá]ng|t(?=\d)", " ", raw or "").strip()
    if not text:
        return []
    text = re.sub(r"\s*[-–]\s*", "-", text)
    months: set[int] = set()
    for token in re.split(r"[,;\s]+", text):
        token = token.strip()
        if not token:
            continue
        m = _MONTH_TOKEN.match(token)
        if not m:
            raise ValueError(MSG_MONTHS)
        first, last = int(m.group(1)), int(m.group(2) or m.group(1))
        if not (1 <= first <= 12 and 1 <= last <= 12) or last < first:
            raise ValueError(MSG_MONTHS)
        months.update(range(first, last + 1))
    return sorted(months)


class MonthsField(InputField):
    """The months of an activity: "3-5, 9"; left empty, no month (``data`` None)."""

    def parse(self, text: str):
        return read_months(text) or None


class BudgetField(MoneyField):
    """An activity's budget in đồng, at most MAX_BUDGET."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, maximum=MAX_BUDGET, **kwargs)


class CountField(IntegerField):
    """A target counted in whole units (1.210), kept as a Decimal as targets are stored."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, maximum=MAX_BUDGET, **kwargs)

    def read(self, text: str):
        return Decimal(super().read(text))


def target_field(unit: str, name: str) -> InputField:
    """The field of a baseline or target: a percentage for a "%" indicator, else a count."""
    return PercentageField(id=f"f-{name}") if unit == "%" else CountField(id=f"f-{name}")


class DutyField(ChoiceField):
    """The duty an activity serves, one of the commune's (or none yet, in a draft)."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        self.data = self.data.strip()


class PlanForm(Form):
    """The base of every plan form; :func:`plan_form_class` adds the plan's fields."""

    number = TextField(_("Document number and symbol"), id="f-number", max_length=MAX_NUMBER)

    #: indicator key -> (baseline field name, target field name).
    _targets: dict[str, tuple[str, str]] = {}
    #: Activity rows the class reads.
    _rows: int = 0
    #: part key -> field name.
    _sections: dict[str, str] = {}

    def __init__(self, formdata=None, *, duty_keys=(), **kwargs):
        super().__init__(formdata, **kwargs)
        choices = [("", ""), *((k, k) for k in duty_keys)]
        for n in range(1, self._rows + 1):
            self[activity_name(n, "duty")].choices = choices

    def row(self, n: int) -> dict[str, InputField]:
        """The fields of activity row ``n`` (from 1), by ACTIVITY_FIELDS."""
        return {f: self[activity_name(n, f)] for f in ACTIVITY_FIELDS}

    @property
    def unreadable(self) -> frozenset[str]:
        """The names of the fields whose text could not be read: their saved value stays."""
        return frozenset(self.messages)


def activity_name(n: int, part: str) -> str:
    return f"a.{n}.{part}"


def target_names(key: str) -> tuple[str, str]:
    return f"t.{key}.baseline", f"t.{key}.target"


def section_name(key: str) -> str:
    return f"s.{key}"


@functools.lru_cache(maxsize=256)
def plan_form_class(targets: tuple[tuple[str, str], ...], rows: int, sections: tuple[str, ...]) -> type[PlanForm]:
    """The form of a plan whose targets are ``targets`` ((indicator key, unit), in order), with
    ``rows`` activity rows and the parts ``sections``."""
    fields: dict[str, object] = {}
    names = {}
    for key, unit in targets:
        baseline, target = target_names(key)
        fields[baseline] = target_field(unit, baseline)
        fields[target] = target_field(unit, target)
        names[key] = (baseline, target)
    for n in range(1, rows + 1):
        p = activity_name(n, "")
        fields[p + "title"] = TextField(id=f"f-{p}title", max_length=MAX_TITLE)
        fields[p + "months"] = MonthsField(id=f"f-{p}months")
        fields[p + "responsible"] = TextField(id=f"f-{p}responsible", max_length=MAX_SHORT)
        fields[p + "budget"] = BudgetField(id=f"f-{p}budget")
        fields[p + "source"] = TextField(id=f"f-{p}source", max_length=MAX_SHORT)
        fields[p + "duty"] = DutyField(id=f"f-{p}duty", message=MSG_DUTY)
    parts = {}
    for key in sections:
        name = section_name(key)
        fields[name] = TextField(id=f"f-{name}", max_length=MAX_TEXT, validators=[MaxLines(MAX_LINES)])
        parts[key] = name
    attributes = {**fields, "_targets": names, "_rows": rows, "_sections": parts}
    return type("PlanForm", (PlanForm,), attributes)


def _text(post, name: str) -> str:
    value = post.get(name, "")
    return value if isinstance(value, str) else ""


def typed_rows(post) -> list[dict[str, str]]:
    """The activity rows of a sent plan form that hold anything, as typed, in order."""
    count = min(numbers.parse_plain(_text(post, "a.count") or "0") or 0, MAX_ROWS)
    rows = []
    for i in range(1, count + 1):
        row = {f: _text(post, activity_name(i, f)) for f in ACTIVITY_FIELDS}
        if any(v.strip() for v in row.values()):
            rows.append(row)
    return rows


def plan_form(post, plan, duty_keys, sections) -> PlanForm:
    """The plan form read from ``post`` and checked for saving (every draft saves; what could
    not be read keeps its saved value). Activity rows past MAX_ACTIVITIES are read, so that
    nothing typed is lost, and the form says there are too many."""
    rows = typed_rows(post)
    data = MultiDict()
    for name in ("number", *(n for t in plan.targets for n in target_names(t.indicator_key))):
        data[name] = _text(post, name)
    for n, row in enumerate(rows, start=1):
        for f, value in row.items():
            data[activity_name(n, f)] = value
    for key in sections:
        data[section_name(key)] = _text(post, section_name(key))
    targets = tuple((t.indicator_key, t.unit or "") for t in plan.targets)
    form = plan_form_class(targets, len(rows), tuple(sections))(data, duty_keys=tuple(duty_keys))
    form.validate()
    if len(rows) > MAX_ACTIVITIES:
        form.add_error(
            "activities",
            _(
                "A plan has at most ${n} activities; this one has ${count}. Merge or remove some of them.",
                mapping={"n": MAX_ACTIVITIES, "count": len(rows)},
            ),
        )
    return form


class ReviewForm(CommentForm):
    """The district's comment on a submitted plan, and its comments on parts ("comment.<part>"),
    each kept whole or refused over the comment's limit (intranet.workflow.forms)."""

    #: part -> field name.
    _parts: dict[str, str] = {}

    @property
    def comment_text(self) -> str:
        return self.text

    def part_comments(self) -> dict[str, str]:
        """part -> the comment written on it, for the parts that have one, in the parts' order."""
        out = {}
        for part, name in self._parts.items():
            text = self[name].data or ""
            if text:
                out[part] = text
        return out


@functools.lru_cache(maxsize=64)
def _review_form_class(parts: tuple[str, ...]) -> type[ReviewForm]:
    names = {part: f"comment.{part}" for part in parts}
    fields = {name: comment_field(part=part_label(part)) for part, name in names.items()}
    return type("ReviewForm", (ReviewForm,), {**fields, "_parts": names})


def review_form(formdata, parts, *, request=None) -> ReviewForm:
    """The review form of a plan whose parts are ``parts``, read from ``formdata`` and checked."""
    form = _review_form_class(tuple(parts))(formdata, request=request)
    form.validate()
    return form


class RevisionForm(CommentForm):
    """The reason for opening a new revision of an approved plan: a comment of the workflow, kept
    whole or refused when it is longer than the limit (:class:`intranet.workflow.forms.CommentForm`)."""

    comment = comment_field(name="reason")


class NewPlanForm(Form):
    """The year of a new plan: one of the district plan's years the commune has no plan for."""

    year = ChoiceField(_("Year"), message=_("Choose a year of the district plan."))

    def __init__(self, formdata=None, *, years=(), **kwargs):
        super().__init__(formdata, **kwargs)
        self.year.choices = [str(y) for y in years]


class YearForm(Form):
    """The year of the district's list of plans, a choice of the page's own list."""

    year = PlainNumberField(minimum=MIN_YEAR, maximum=MAX_YEAR)
