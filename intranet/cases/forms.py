"""The child register's forms: an entry, a group, a support, the search.

The forms read and check what was typed; :mod:`intranet.cases.services` checks the rules of the
register again (a child is under 16, a group is of the list in force, ...) and its refusals are put
beside their fields by the views. Nothing typed here ever reaches a log or the audit trail.
"""

from __future__ import annotations

import datetime as dt
import re

from intranet.cases import procedure
from intranet.cases.ethnicities import ethnicities
from intranet.cases.services import MAX_LENGTHS, MAX_SUPPORT_LENGTH, MSG_NAME, MSG_SEX, MSG_SUPPORT
from intranet.forms import ChoiceField, DateField, Form, InputField, PlainNumberField, TextField
from intranet.i18n import LOCAL_ZONE, _, read_date, to_local

SEX_LABELS = {"male": _("Male"), "female": _("Female")}
MSG_BIRTH_DATE_REQUIRED = _("Enter the date of birth (dd/mm/yyyy).")
MSG_FROM_REQUIRED = _("Enter the date from which the child is in the group (dd/mm/yyyy).")
MSG_GIVEN_ON_REQUIRED = _("Enter the date of the support (dd/mm/yyyy).")


def _ethnicity_choices():
    return [("", _("— not known —")), *((code, f"{code} {name}") for code, name in ethnicities().items())]


class ChildForm(Form):
    full_name = TextField(_("Full name"), required=MSG_NAME, max_length=MAX_LENGTHS["full_name"])
    date_of_birth = DateField(_("Date of birth"), required=MSG_BIRTH_DATE_REQUIRED)
    sex = ChoiceField(_("Sex"), choices=SEX_LABELS, required=MSG_SEX, message=MSG_SEX)
    ethnicity = ChoiceField(_("Ethnic group"), choices=_ethnicity_choices)
    village = TextField(_("Village (thôn, làng)"), max_length=MAX_LENGTHS["village"])
    carers = TextField(
        _("Carers (parents, grandparents, guardian) and how they are related"), max_length=MAX_LENGTHS["carers"]
    )
    contact = TextField(_("How to reach the carers (telephone, address)"), max_length=MAX_LENGTHS["contact"])
    notes = TextField(_("Notes"), max_length=MAX_LENGTHS["notes"])
    #: The version the form was opened at (a correction only).
    version = PlainNumberField(minimum=1, maximum=2**31 - 1)


class GroupForm(Form):
    group_code = ChoiceField(_("Group"), message=_("Choose a group from the list."))
    from_date = DateField(_("From"), required=MSG_FROM_REQUIRED)
    until_date = DateField(_("Until (leave empty while the child is still in the group)"))

    def __init__(self, formdata=None, *, groups=(), **kwargs):
        super().__init__(formdata, **kwargs)
        self.group_code.choices = [(g.code, g.title) for g in groups]


class SupportForm(Form):
    description = TextField(_("What support"), required=MSG_SUPPORT, max_length=MAX_SUPPORT_LENGTH)
    given_on = DateField(_("Date"), required=MSG_GIVEN_ON_REQUIRED)
    provider = ChoiceField(_("Given by"), message=_("Choose a unit from the list."))

    def __init__(self, formdata=None, *, units=(), **kwargs):
        super().__init__(formdata, **kwargs)
        self.provider.choices = [("", _("Someone outside the district's units (say who above)")), *units]


class SearchForm(Form):
    name = TextField(_("Full name"), required=MSG_NAME, max_length=MAX_LENGTHS["full_name"])
    born = DateField(_("Date of birth"), required=MSG_BIRTH_DATE_REQUIRED)


# --- cases ----------------------------------------------------------------------------------------

#: "dd/mm/yyyy hh:mm" (the time may be left out: midnight), as the district's clocks show it.
_TIME = re.compile(r"(.+?)\s+(\d{1,2})[:hg](\d{2})\s*")
MSG_DATETIME = _("Enter a date and time: dd/mm/yyyy hh:mm, e.g. 20/05/2017 14:30.")


class DateTimeField(InputField):
    """A moment typed in Đăk Tô's time, "dd/mm/yyyy hh:mm"; ``data`` is aware (local zone)."""

    inputmode = "numeric"

    def parse(self, text: str):
        text = text.strip()
        match = _TIME.fullmatch(text)
        day_text, hour, minute = (match.group(1), int(match.group(2)), int(match.group(3))) if match else (text, 0, 0)
        day, _why = read_date(day_text)
        if day is None or hour > 23 or minute > 59:
            raise ValueError(MSG_DATETIME)
        return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LOCAL_ZONE)

    def format(self, data) -> str:
        if data is None:
            return ""
        if data.tzinfo is None:  # as stored: naive UTC
            data = to_local(data)
        return data.strftime("%d/%m/%Y %H:%M")


RISK_CHOICES = {
    "high": procedure.RISK_LABELS["high"],
    "medium": procedure.RISK_LABELS["medium"],
    "low": procedure.RISK_LABELS["low"],
}


class ReceiptForm(Form):
    """Mẫu 01: the receipt of a report."""

    received_at = DateTimeField(_("Received on (dd/mm/yyyy hh:mm)"), required=MSG_DATETIME)
    reporter_kind = ChoiceField(
        _("Who reported"),
        choices=procedure.REPORTER_KIND_LABELS,
        required=procedure.MSG_REPORTER_KIND,
        message=procedure.MSG_REPORTER_KIND,
    )
    reporter = TextField(_("Name and contact of who reported"), max_length=procedure.MAX_LENGTHS["reporter"])
    account = TextField(
        _("What happened, as it was reported"),
        required=procedure.MSG_ACCOUNT,
        max_length=procedure.MAX_LENGTHS["account"],
    )
    child = TextField(
        _("The child's reference in the commune's register (if the child is in it)"), max_length=16, lower=False
    )
    case_worker = ChoiceField(_("Case worker"), message=procedure.MSG_USER)

    def __init__(self, formdata=None, *, workers=(), **kwargs):
        super().__init__(formdata, **kwargs)
        self.case_worker.choices = list(workers)


class InitialAssessmentForm(Form):
    """Mẫu 02: the initial assessment."""

    initial_at = DateTimeField(_("Assessed on (dd/mm/yyyy hh:mm)"), required=MSG_DATETIME)
    harm = ChoiceField(
        _("Harm to the child"), choices=RISK_CHOICES, required=procedure.MSG_RISK, message=procedure.MSG_RISK
    )
    access = ChoiceField(
        _("The abuser's access to the child"),
        choices=RISK_CHOICES,
        required=procedure.MSG_RISK,
        message=procedure.MSG_RISK,
    )
    environment = ChoiceField(
        _("The child's environment"), choices=RISK_CHOICES, required=procedure.MSG_RISK, message=procedure.MSG_RISK
    )
    in_danger = ChoiceField(
        _("Is the child in danger?"),
        choices={"yes": _("Yes"), "no": _("No")},
        required=procedure.MSG_IN_DANGER,
        message=procedure.MSG_IN_DANGER,
    )
    emergency_measures = TextField(
        _("Emergency measures taken (required for a child in danger)"),
        max_length=procedure.MAX_LENGTHS["emergency_measures"],
    )
    separated_at = DateTimeField(_("Separated from the abuser on (dd/mm/yyyy hh:mm), where it was needed"))


class DetailedAssessmentForm(Form):
    """Mẫu 03: the detailed assessment and the case meeting."""

    detailed_at = DateTimeField(_("Assessed on (dd/mm/yyyy hh:mm)"), required=MSG_DATETIME)
    findings = TextField(
        _("What the detailed assessment found"),
        required=procedure.MSG_FINDINGS,
        max_length=procedure.MAX_LENGTHS["findings"],
    )
    meeting_at = DateTimeField(_("Case meeting held on (dd/mm/yyyy hh:mm)"))


class PlanDraftForm(Form):
    """Mẫu 04: the support and intervention plan's objectives and measures."""

    plan_text = TextField(
        _("Objectives and measures of the plan"),
        required=procedure.MSG_PLAN_TEXT,
        max_length=procedure.MAX_LENGTHS["plan_text"],
    )


class PlanStepForm(Form):
    """A step of the plan's approval: submit, approve (Mẫu 05: the decision) or return (a reason)."""

    action = ChoiceField(choices=("submit", "approve", "return"), message=_("Choose what to do with the plan."))
    comment = TextField(_("Why it is returned"), max_length=procedure.MAX_LENGTHS["comment"])
    decision_number = TextField(
        _("Decision number and symbol (Form 05), e.g. 15/QĐ-UBND"), max_length=procedure.MAX_LENGTHS["decision_number"]
    )
    decision_date = DateField(_("Decision date"))


class ServiceForm(Form):
    """Carrying out the plan: a service or intervention, who gives it, by when."""

    description = TextField(
        _("Service or intervention"),
        required=procedure.MSG_SERVICE,
        max_length=procedure.MAX_LENGTHS["description"],
        id="service_description",
    )
    unit = ChoiceField(_("Unit that carries it out"), message=procedure.MSG_UNIT, id="service_unit")
    assignee = TextField(
        _("Person who carries it out (name, position), or the body outside the district's units"),
        max_length=procedure.MAX_LENGTHS["assignee"],
        id="service_assignee",
    )
    due_on = DateField(_("Due on"), required=procedure.MSG_DAY, id="service_due_on")

    def __init__(self, formdata=None, *, units=(), **kwargs):
        super().__init__(formdata, **kwargs)
        self.unit.choices = [("", _("— no unit: a person or a body named below —")), *units]


class OutcomeForm(Form):
    """The outcome of one service: done, or not done and why."""

    service = PlainNumberField(minimum=1, maximum=2**31 - 1)
    outcome = ChoiceField(
        _("Outcome"), choices=procedure.OUTCOME_LABELS, required=procedure.MSG_OUTCOME, message=procedure.MSG_OUTCOME
    )
    outcome_on = DateField(_("On"), required=procedure.MSG_DAY)
    outcome_note = TextField(
        _("What was done, or why it was not done"), max_length=procedure.MAX_LENGTHS["outcome_note"]
    )


class ReviewForm(Form):
    """Mẫu 06: the review of the case and its decision."""

    reviewed_on = DateField(_("Reviewed on"), required=procedure.MSG_DAY, id="review_reviewed_on")
    harm = ChoiceField(
        _("Harm to the child"),
        choices=RISK_CHOICES,
        required=procedure.MSG_RISK,
        message=procedure.MSG_RISK,
        id="review_harm",
    )
    access = ChoiceField(
        _("The abuser's access to the child"),
        choices=RISK_CHOICES,
        required=procedure.MSG_RISK,
        message=procedure.MSG_RISK,
        id="review_access",
    )
    environment = ChoiceField(
        _("The child's environment"),
        choices=RISK_CHOICES,
        required=procedure.MSG_RISK,
        message=procedure.MSG_RISK,
        id="review_environment",
    )
    decision = ChoiceField(
        _("Decision"),
        choices=procedure.REVIEW_DECISION_LABELS,
        required=procedure.MSG_DECISION,
        message=procedure.MSG_DECISION,
        id="review_decision",
    )
    notes = TextField(_("Notes of the review"), max_length=procedure.MAX_LENGTHS["notes"], id="review_notes")
    next_review_on = DateField(_("Next review on (with a new plan)"), id="review_next_review_on")


class ReopenForm(Form):
    """Open a closed case again, with the day of its next review if one is planned."""

    next_review_on = DateField(_("Next review on"))


class TeamForm(Form):
    """The case team: change the case worker, add or remove a helper."""

    action = ChoiceField(
        choices=("worker", "add_helper", "remove_helper"), message=_("Choose what to change in the case team.")
    )
    user = ChoiceField(_("Officer"), message=procedure.MSG_USER)

    def __init__(self, formdata=None, *, candidates=(), **kwargs):
        super().__init__(formdata, **kwargs)
        self.user.choices = list(candidates)
