"""The "Referrals" part of a case's page (issue 11, section 3): the case's referrals for its team,
the form to refer one of its services to another unit with the consent recorded, and the
coordinator's override of a referral that lacks consent. :mod:`intranet.cases.case_views` shows
it; the forms are sent to :mod:`intranet.cases.referral_views`."""

from __future__ import annotations

from intranet.cases import procedure, referrals
from intranet.cases.keys import get_keyring
from intranet.cases.models import Case
from intranet.cases.services import unit_titles
from intranet.forms import ChoiceField, DateField, Form, TextField
from intranet.i18n import _, local_today
from intranet.security import Permission

YES_NO = {"yes": _("Yes"), "no": _("No")}
MSG_GUARDIAN = _("Say whether the parent or guardian consented.")
MSG_CHILD = _("Say whether the child consented.")
#: The request attributes that carry a refused form back to the case page.
REFER_FORM = "referral_refer_form"
OVERRIDE_FORM = "referral_override_form"


class ReferForm(Form):
    """Refer a service of the case to another unit, with the consent recorded."""

    service = ChoiceField(_("Service or intervention to refer"), message=referrals.MSG_SERVICE)
    unit = ChoiceField(_("Receiving unit"), message=referrals.MSG_UNIT)
    summary = TextField(
        _("Summary for the receiving unit (only what it needs to give the service)"),
        required=referrals.MSG_SUMMARY,
        max_length=referrals.MAX_LENGTHS["summary"],
    )
    guardian_consent = ChoiceField(
        _("Has the parent or guardian consented?"), choices=YES_NO, required=MSG_GUARDIAN, message=MSG_GUARDIAN
    )
    consent_by = TextField(
        _("Who consented for the parent or guardian side (name, relation to the child)"),
        max_length=referrals.MAX_LENGTHS["consent_by"],
    )
    child_consent = ChoiceField(
        _("Has the child consented? (required from age 7)"), choices=YES_NO, required=MSG_CHILD, message=MSG_CHILD
    )
    consent_on = DateField(_("Consent recorded on"))

    def __init__(self, formdata=None, *, services=(), units=(), **kwargs):
        super().__init__(formdata, **kwargs)
        self.service.choices = list(services)
        self.unit.choices = list(units)


class OverrideForm(Form):
    """The coordinator sends a referral that lacks consent: the reason is required."""

    reason = TextField(
        _("Why the referral is sent without the consent required"),
        required=referrals.MSG_OVERRIDE_REASON,
        max_length=referrals.MAX_LENGTHS["override_reason"],
    )


# --- the case page's part -------------------------------------------------------------------------


def case_section(request, services=None) -> dict:
    """The "Referrals" part of the case page: the case's referrals for its team, the form to refer
    a service (to whoever may edit the case) and the override (to the coordinator). ``services``:
    the case's services, when the page has read them already."""
    case = request.context.case
    db = request.dbsession
    keyring = get_keyring(request.registry)
    rows = referrals.case_referrals(db, case)
    if services is None:
        services = procedure.case_services(db, case)
    descriptions = {s.id: procedure.read_service(keyring, s) for s in services}
    units = unit_titles(db, {r.space_id for r in rows})
    items = [
        {
            "referral": referrals.read_referral(keyring, r),
            "unit": units.get(r.space_id),
            "service": descriptions.get(r.service_id),
        }
        for r in rows
    ]
    is_open = case.closed_at is None
    can_refer = is_open and request.has_permission(Permission.CASE_EDIT, request.context)
    form = getattr(request, REFER_FORM, None)
    if can_refer and form is None:
        form = refer_form(request, case, services, descriptions, rows)
    override = getattr(request, OVERRIDE_FORM, None)
    return {
        "referrals": items,
        "referral_state_labels": referrals.STATE_LABELS,
        "referral_outcome_labels": procedure.OUTCOME_LABELS,
        "referral_form": form if can_refer else None,
        "can_override_referral": is_open and request.has_permission(Permission.CASE_REFERRAL_OVERRIDE, request.context),
        # (reference, form) of an override refused, to show beside its referral
        "referral_override": override or (None, OverrideForm(request=request)),
        "referral_child_consent_required": referrals.child_consent_required(db, keyring, case),
    }


def refer_form(request, case: Case, services, descriptions, rows, formdata=None) -> ReferForm:
    busy = {r.service_id for r in rows if r.state in referrals.OPEN_STATES}
    choices = [
        (str(s.id), f"{s.due_on:%d/%m/%Y} · {_shorten(descriptions[s.id].description)}")
        for s in services
        if s.outcome is None and s.id not in busy
    ]
    units = referrals.unit_choices(request.dbsession, case)
    if formdata is not None:
        return ReferForm(formdata, request=request, services=choices, units=units)
    return ReferForm(
        request=request,
        services=choices,
        units=units,
        data={"consent_on": local_today()},
    )


def _shorten(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
