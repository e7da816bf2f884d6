"""The duty-log form: the date, what was done, the progress, and the measures the duty counts."""

from __future__ import annotations

import datetime as dt

from intranet.duties.services import PROGRESS_LABELS
from intranet.forms import ChoiceField, DateField, Form, IntegerField, PlainNumberField, TextField, ValidationError
from intranet.i18n import _, localized

MAX_DESCRIPTION = 5000
MAX_MEASURE_VALUE = 10**12
#: The programme's first year: a log dated before it is a typing mistake.
EARLIEST_YEAR = 2000


def measure_name(key: str) -> str:
    """The form field of a duty's measure."""
    return f"m_{key}"


class DutyLogForm(Form):
    """A log of one duty (``spec``; None when the duty asked for is not one of the unit's).

    ``today`` is the district's day: a log cannot be dated after it. The measures of the duty are
    added as whole-number fields by :func:`log_form`.
    """

    log_date = DateField(_("Date (dd/mm/yyyy)"), required=_("Enter the date (dd/mm/yyyy)."))
    description = TextField(_("What was done"), required=_("Describe what was done."), max_length=MAX_DESCRIPTION)
    progress = ChoiceField(
        _("Progress of the duty"),
        choices=PROGRESS_LABELS,
        message=_("Choose the progress of the duty."),
        default="in_progress",
    )
    #: The version of the log the form was opened on (a correction only).
    version = PlainNumberField()

    def __init__(self, formdata=None, *, spec=None, today: dt.date | None = None, **kwargs):
        self.spec = spec
        self.today = today
        super().__init__(formdata, **kwargs)

    def validate_log_date(self, field):
        if self.today is not None and field.data > self.today:
            raise ValidationError(_("The date cannot be in the future."))
        if field.data.year < EARLIEST_YEAR:
            raise ValidationError(_("The date is too far in the past."))

    def validate(self, extra_validators=None) -> bool:
        if self.spec is None:
            self.add_error("duty", _("Choose a duty."))
        return super().validate(extra_validators)

    def measure_fields(self):
        """(measure, field) of every measure of the duty, in the duty's order."""
        return [(m, self[measure_name(m.key)]) for m in (self.spec.measures if self.spec else ())]

    def entry(self) -> dict:
        """What the form says, as :func:`intranet.duties.services.apply_entry` takes it."""
        return {
            "duty_key": self.spec.key,
            "log_date": self.log_date.data,
            "description": self.description.data,
            "progress": self.progress.data,
            "values": {m.key: f.data for m, f in self.measure_fields() if f.data is not None},
        }


def log_form(spec, formdata=None, **kwargs) -> DutyLogForm:
    """The log form of the duty ``spec``: its measures are optional whole numbers named m_<key>."""
    measures = spec.measures if spec else ()
    cls = DutyLogForm
    if measures:
        fields = {measure_name(m.key): IntegerField(localized(m, "label"), maximum=MAX_MEASURE_VALUE) for m in measures}
        cls = type("DutyLogForm", (DutyLogForm,), fields)
    return cls(formdata, spec=spec, **kwargs)


def log_form_of(log, spec, **kwargs) -> DutyLogForm:
    """The form opened on a stored log, its numbers written as a Vietnamese user writes them."""
    data = {
        "log_date": log.log_date,
        "description": log.description,
        "progress": log.progress,
        "version": log.version,
        **{measure_name(v.measure_key): v.value for v in log.values},
    }
    return log_form(spec, data=data, **kwargs)
