"""Referrals of a case's service to another unit (issue 11, section 3).

On the case page (:func:`case_section`, its "Referrals" part): the case team reads the case's
referrals; a member who may edit the case refers one of its services; the coordinator sends, with
a written reason, a referral that waits for lack of consent.

For the receiving unit: ``/spaces/<unit>/referrals`` (the referrals it received) and
``/spaces/<unit>/referrals/<reference>`` (one of them: its summary and its service, the commune and
the case's number as text, nothing else of the case), where its head and officers accept or
decline it and record the outcome. :mod:`intranet.cases.resources` answers 404 to everyone else.
Every reading and every step is an audit line under the case's number (object "case"), so that the
case's access log shows it; no free text is in an audit detail, and nothing is cached.
"""

from __future__ import annotations

from pyramid.httpexceptions import HTTPFound, HTTPNotFound
from pyramid.view import view_config
from sqlalchemy import select

from intranet.audit.services import record
from intranet.cases import procedure, referrals
from intranet.cases.case_page import refused_case_page
from intranet.cases.keys import get_keyring
from intranet.cases.models import Case, CaseReferral
from intranet.cases.referral_section import OVERRIDE_FORM, REFER_FORM, OverrideForm, refer_form
from intranet.forms import ChoiceField, DateField, Form, TextField
from intranet.i18n import _, local_today
from intranet.security import Permission
from intranet.web import Page, flash, page_number

PAGE_SIZE = 50
MSG_ANSWER = _("Choose to accept or to decline the referral.")
ANSWER_AUDIT = {"accept": "case.referral_accept", "decline": "case.referral_decline"}
ANSWER_DONE = {
    "accept": _("The referral has been accepted."),
    "decline": _("The referral has been declined; the commune has been told why."),
}


# --- forms ----------------------------------------------------------------------------------------


class AnswerForm(Form):
    """The receiving unit accepts the referral, or declines it with a reason."""

    action = ChoiceField(choices=("accept", "decline"), message=MSG_ANSWER)
    reason = TextField(_("Why the referral is declined"), max_length=referrals.MAX_LENGTHS["decline_reason"])


class ReferralOutcomeForm(Form):
    """The receiving unit records what it did."""

    outcome = ChoiceField(
        _("Outcome"), choices=procedure.OUTCOME_LABELS, required=procedure.MSG_OUTCOME, message=procedure.MSG_OUTCOME
    )
    outcome_on = DateField(_("On"), required=procedure.MSG_DAY)
    outcome_note = TextField(
        _("What was done, or why it was not done"), max_length=referrals.MAX_LENGTHS["outcome_note"]
    )


def _case_location(request) -> str:
    space, case = request.context.space, request.context.case
    return request.route_path("cases.view", slug=space.slug, number=case.number, _anchor="referrals")


@view_config(
    route_name="cases.refer", renderer="cases/case.jinja2", permission=Permission.CASE_EDIT, request_method="POST"
)
def case_refer(request):
    """Refer a service of the case to another unit."""
    case = request.context.case
    db = request.dbsession
    keyring = get_keyring(request.registry)
    services = procedure.case_services(db, case)
    descriptions = {s.id: procedure.read_service(keyring, s) for s in services}
    form = refer_form(request, case, services, descriptions, referrals.case_referrals(db, case), request.POST)
    if form.validate():
        try:
            referral = referrals.refer(
                db,
                keyring,
                case,
                service_id=int(form.service.data),
                unit_id=int(form.unit.data),
                summary=form.summary.data,
                guardian_consent=form.guardian_consent.data == "yes",
                consent_by=form.consent_by.data,
                child_consent=form.child_consent.data == "yes",
                consent_on=form.consent_on.data,
                user_id=request.identity.id,
            )
        except procedure.CaseError as exc:
            form.add_error(exc.field, exc.message)
        else:
            record(
                request,
                "case.referral",
                "case",
                case.number,
                space_id=case.space_id,
                detail={"referral": referral.reference, "unit": referral.space_id, "state": referral.state},
            )
            if referral.state == "sent":
                flash(request, _("The referral has been sent to the receiving unit."))
            else:
                flash(request, _("The consent required is missing: the referral waits for the coordinator."))
            return HTTPFound(location=_case_location(request))
    setattr(request, REFER_FORM, form)
    return refused_case_page(request)


@view_config(
    route_name="cases.referral_override",
    renderer="cases/case.jinja2",
    permission=Permission.CASE_REFERRAL_OVERRIDE,
    request_method="POST",
)
def case_referral_override(request):
    """The coordinator sends a waiting referral, with a written reason (audited, the reason kept
    encrypted on the referral)."""
    case = request.context.case
    db = request.dbsession
    reference = request.matchdict["reference"]
    referral = None
    if isinstance(reference, str) and len(reference) <= 16:
        referral = db.scalars(
            select(CaseReferral).where(CaseReferral.reference == reference.upper(), CaseReferral.case_id == case.id)
        ).one_or_none()
    if referral is None:
        raise HTTPNotFound()
    form = OverrideForm(request.POST, request=request)
    if form.validate():
        try:
            referrals.override(
                db, get_keyring(request.registry), referral, reason=form.reason.data, user_id=request.identity.id
            )
        except procedure.CaseError as exc:
            form.add_error("reason" if exc.field == "override_reason" else exc.field, exc.message)
        else:
            record(
                request,
                "case.referral_override",
                "case",
                case.number,
                space_id=case.space_id,
                detail={"referral": referral.reference},
            )
            flash(request, _("The referral has been sent by the coordinator's decision."))
            return HTTPFound(location=_case_location(request))
    setattr(request, OVERRIDE_FORM, (referral.reference, form))
    return refused_case_page(request)


# --- the receiving unit ---------------------------------------------------------------------------


@view_config(
    route_name="referrals.list",
    renderer="cases/referrals.jinja2",
    permission=Permission.REFERRALS_RECEIVE,
    request_method="GET",
)
def referrals_list(request):
    """The referrals the unit received, those waiting for its answer first."""
    space = request.context.space
    number = page_number(request)
    rows, total = referrals.received_page(request.dbsession, space.id, page=number, size=PAGE_SIZE)
    if rows:
        record(
            request,
            "referrals.list",
            "referral_inbox",
            space.slug,
            space_id=space.id,
            detail={"shown": sorted({r.case_number for r in rows})},
        )
    return {
        "space": space,
        "page": Page(rows, number, PAGE_SIZE, total),
        "state_labels": referrals.STATE_LABELS,
    }


def _referral_page(request, *, answer_form=None, outcome_form=None) -> dict:
    referral = request.context.referral
    view = referrals.read_for_recipient(request.dbsession, get_keyring(request.registry), referral)
    case = request.dbsession.get(Case, referral.case_id)
    record(
        request,
        "case.referral_read",
        "case",
        view.case_number,
        space_id=case.space_id,
        detail={"referral": referral.reference, "unit": request.context.space.slug},
    )
    can_answer = case.closed_at is None and request.has_permission(Permission.REFERRAL_ANSWER, request.context)
    return {
        "space": request.context.space,
        "referral": view,
        "state_labels": referrals.STATE_LABELS,
        "outcome_labels": procedure.OUTCOME_LABELS,
        "can_answer": can_answer and referral.state == "sent",
        "can_record_outcome": can_answer and referral.state in ("accepted", "completed"),
        "answer_form": answer_form or AnswerForm(request=request),
        "outcome_form": outcome_form
        or ReferralOutcomeForm(
            request=request,
            data={
                "outcome": view.outcome,
                "outcome_on": view.outcome_on or local_today(),
                "outcome_note": view.outcome_note or "",
            },
        ),
    }


@view_config(
    route_name="referrals.view",
    renderer="cases/referral.jinja2",
    permission=Permission.REFERRALS_RECEIVE,
    request_method="GET",
)
def referral_view(request):
    """One referral the unit received: what it shares, and the unit's answer."""
    return _referral_page(request)


def _referral_location(request) -> str:
    return request.route_path(
        "referrals.view", slug=request.context.space.slug, reference=request.context.referral.reference
    )


def _audit_step(request, action: str) -> None:
    referral = request.context.referral
    case = request.dbsession.get(Case, referral.case_id)
    record(
        request,
        action,
        "case",
        case.number,
        space_id=case.space_id,
        detail={"referral": referral.reference, "unit": request.context.space.slug},
    )


@view_config(
    route_name="referrals.answer",
    renderer="cases/referral.jinja2",
    permission=Permission.REFERRAL_ANSWER,
    request_method="POST",
)
def referral_answer(request):
    """Accept the referral, or decline it with a reason."""
    referral = request.context.referral
    form = AnswerForm(request.POST, request=request)
    if form.validate():
        action = form.action.data
        try:
            if action == "accept":
                referrals.accept(request.dbsession, referral, user_id=request.identity.id)
            else:
                referrals.decline(
                    request.dbsession,
                    get_keyring(request.registry),
                    referral,
                    reason=form.reason.data,
                    user_id=request.identity.id,
                )
        except procedure.CaseError as exc:
            form.add_error("reason" if exc.field == "decline_reason" else "action", exc.message)
        else:
            _audit_step(request, ANSWER_AUDIT[action])
            flash(request, ANSWER_DONE[action])
            return HTTPFound(location=_referral_location(request))
    request.response.status_int = 400
    return _referral_page(request, answer_form=form)


@view_config(
    route_name="referrals.outcome",
    renderer="cases/referral.jinja2",
    permission=Permission.REFERRAL_ANSWER,
    request_method="POST",
)
def referral_outcome(request):
    """The outcome of the referred service: done, or not done and why (the service's outcome too)."""
    referral = request.context.referral
    form = ReferralOutcomeForm(request.POST, request=request)
    if form.validate():
        try:
            referrals.record_outcome(
                request.dbsession,
                get_keyring(request.registry),
                referral,
                outcome=form.outcome.data,
                outcome_on=form.outcome_on.data,
                outcome_note=form.outcome_note.data,
                user_id=request.identity.id,
            )
        except procedure.CaseError as exc:
            form.add_error(exc.field if form.field_named(exc.field) else "outcome", exc.message)
        else:
            _audit_step(request, "case.referral_outcome")
            flash(request, _("The outcome has been recorded and sent to the commune."))
            return HTTPFound(location=_referral_location(request))
    request.response.status_int = 400
    return _referral_page(request, outcome_form=form)
