"""The registry's two forms on the core's one form layer: an activity logged for a unit, and a
unit's details (added or changed by the coordinator).

(``forms.py`` holds the plugin's report form, a declaration; these are the forms its pages take.)
The fields read the text (a date dd/mm/yyyy, a whole number 1.210) and keep it as typed, so that
a refused form is drawn again with everything typed; ``validate_<field>`` compares a value with
what the view knows (today, the unit's start); :meth:`ActivityForm.validate` checks the parts of
the participants against their total. Every message of the registry is of the plugin's own
translation domain.
"""

from __future__ import annotations

import datetime as dt

from intranet.plugin.numbers import parse_id
from intranet.plugin.web import (
    ChoiceField,
    DateField,
    Form,
    InputField,
    IntegerField,
    StopValidation,
    TextField,
    ValidationError,
)

from .i18n import _
from .models import ACTIVITY_COUNSELLING, ACTIVITY_KINDS, STATE_ACTIVE, UNIT_KINDS, Unit, UnitActivity
from .services import KIND_LABELS, STATE_LABELS, TOPIC_LABELS

MAX_COUNT = 100_000
MAX_NOTES = 2000
#: The length of the unit's name column.
MAX_NAME = 200
#: An activity dated before this year, or a unit started before UNIT_EARLIEST_YEAR, is a typing
#: mistake.
ACTIVITY_EARLIEST_YEAR = 2000
UNIT_EARLIEST_YEAR = 1990

MSG_COUNT = _("Enter a whole number (0 or more).")
MSG_FUTURE = _("The date cannot be in the future.")
MSG_PAST = _("The date is too far in the past.")


class TopicsField(InputField):
    """Topics ticked on a fixed list (``choices``: key -> label, in the list's order): ``data`` is
    the keys ticked, in the list's order. What is not on the list is dropped, never kept, so that
    no free text reaches a counselling log through this field."""

    def __init__(self, label=None, validators=None, *, choices, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.choices = choices

    def process_data(self, value):
        self.data = [key for key in self.choices if key in (value or ())]

    def process_formdata(self, valuelist):
        sent = {value for value in valuelist or () if isinstance(value, str)}
        self.data = [key for key in self.choices if key in sent]

    def options(self) -> list[tuple[str, object]]:
        """(key, label) of every topic, in the list's order."""
        return list(self.choices.items())

    def selected(self, key) -> bool:
        return key in self.data

    def is_empty(self) -> bool:
        return not self.data


class CommuneField(ChoiceField):
    """The commune of a unit: ``choices`` maps the communes' ids to the communes (set per request);
    ``data`` is the id chosen, None when what was sent is no id."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        self.data = parse_id(self.raw.strip())

    def pre_validate(self, form):
        if self.data is None or str(self.data) not in {value for value, _commune in self.options()}:
            raise StopValidation(self.message)

    def selected(self, value) -> bool:
        return self.data is not None and str(value) == str(self.data)


class NameField(TextField):
    """A name on one line: a run of spaces or line breaks typed inside it is one space."""

    def parse(self, text: str):
        return super().parse(" ".join(text.split()))


class ActivityForm(Form):
    """An activity logged for ``unit``, of the kind chosen first (``kind``: "" while none is).

    A counselling session has sessions and no free text: counts and topics from the fixed list
    only; its form has no notes field, so notes sent by a crafted request are not even read. The
    other kinds have no sessions. ``today`` is the district's day: no log is dated after it.
    """

    activity_date = DateField(_("Date (dd/mm/yyyy)"), required=_("Enter the date (dd/mm/yyyy)."))
    sessions = IntegerField(_("Counselling sessions held"), required=MSG_COUNT, maximum=MAX_COUNT)
    participants = IntegerField(_("Participants"), required=MSG_COUNT, maximum=MAX_COUNT)
    male = IntegerField(_("of whom male"), maximum=MAX_COUNT)
    female = IntegerField(_("of whom female"), maximum=MAX_COUNT)
    topics = TopicsField(_("Topics"), choices=TOPIC_LABELS)
    notes = TextField(_("Notes (do not write children's names)"), max_length=MAX_NOTES)

    def __init__(self, formdata=None, *, kind: str = "", unit: Unit | None = None, today=None, **kwargs):
        self.kind = kind
        self.unit = unit
        self.today: dt.date | None = today
        super().__init__(formdata, **kwargs)
        if self.counselling:
            del self["notes"]
            self.participants.label.text = _("Children counselled")
            self.male.label.text = _("of whom boys")
            self.female.label.text = _("of whom girls")
            self.topics.required = _("Choose at least one topic.")
        else:
            del self["sessions"]

    @property
    def counselling(self) -> bool:
        return self.kind == ACTIVITY_COUNSELLING

    def validate_activity_date(self, field):
        if self.today is not None and field.data > self.today:
            raise ValidationError(MSG_FUTURE)
        start = self.unit.start_date if self.unit is not None else None
        if start is not None and field.data < start:
            raise ValidationError(
                _("The date is before it started (${date}).", mapping={"date": start.strftime("%d/%m/%Y")})
            )
        if field.data.year < ACTIVITY_EARLIEST_YEAR:
            raise ValidationError(MSG_PAST)

    def validate_sessions(self, field):
        if field.data == 0:
            raise ValidationError(_("A counselling log records at least one session."))

    def parts_problem(self):
        """Why the male and female (boys and girls) figures do not fit the total, or None."""
        total, male, female = self.participants.data, self.male.data, self.female.data
        if total is None:
            return None
        if male is not None and female is not None and male + female != total:
            # Both parts given: they are the whole, or one of the three figures is wrong.
            return _(
                "Men and women (or boys and girls) add up to ${sum}, not to the total of ${total}.",
                mapping={"sum": male + female, "total": total},
            )
        if (male or 0) > total or (female or 0) > total:
            return _("Boys and girls (or men and women) add up to more than the total.")
        return None

    def validate(self, extra_validators=None) -> bool:
        if self.kind not in ACTIVITY_KINDS:
            self.add_error("kind", _("Choose the kind of activity."))
        ok = super().validate(extra_validators)
        # The parts are checked once the fields are read, so that the message stands beside the
        # last part even when that part was left empty.
        problem = self.parts_problem()
        if problem is not None:
            self.add_error("female", problem)
        return ok and problem is None

    def apply(self, activity: UnitActivity) -> None:
        """Write what the form says into ``activity``."""
        activity.kind = self.kind
        activity.activity_date = self.activity_date.data
        activity.participants = self.participants.data
        activity.participants_male = self.male.data
        activity.participants_female = self.female.data
        activity.sessions = self.sessions.data if self.counselling else None
        activity.topics = list(self.topics.data)
        activity.notes = "" if self.counselling else self.notes.data


class UnitForm(Form):
    """A unit of the registry, added or changed by a manager: its commune is one of ``communes``;
    ``today`` is the district's day (no unit starts after it). ``UnitForm(obj=unit, …)`` opens
    the form on a unit's stored details."""

    name = NameField(_("Name"), required=_("Enter the name."), max_length=MAX_NAME)
    kind = ChoiceField(_("Kind"), choices=[(k, KIND_LABELS[k]) for k in UNIT_KINDS], message=_("Choose the kind."))
    space_id = CommuneField(_("Commune"), message=_("Choose the commune."))
    start_date = DateField(_("Start date (dd/mm/yyyy, if known)"))
    state = ChoiceField(_("State"), choices=STATE_LABELS, message=_("Choose the state."), default=STATE_ACTIVE)
    notes = TextField(_("Notes"), max_length=MAX_NOTES)

    def __init__(self, formdata=None, *, communes=(), today=None, **kwargs):
        self.today: dt.date | None = today
        super().__init__(formdata, **kwargs)
        self.space_id.choices = {commune.id: commune for commune in communes}

    def validate_start_date(self, field):
        if self.today is not None and field.data > self.today:
            raise ValidationError(MSG_FUTURE)
        if field.data.year < UNIT_EARLIEST_YEAR:
            raise ValidationError(MSG_PAST)

    def apply(self, unit: Unit) -> None:
        """Write what the form says into ``unit``."""
        unit.space_id = self.space_id.data
        unit.kind = self.kind.data
        unit.name = self.name.data
        unit.start_date = self.start_date.data
        unit.state = self.state.data
        unit.notes = self.notes.data
