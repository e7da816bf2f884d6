"""What a case's page shows (``cases/case.jinja2``): the case decrypted, its stage and deadlines,
its services, reviews, referrals and team, and the forms of each step, empty or as refused. The
views of :mod:`intranet.cases.case_views` and :mod:`intranet.cases.referral_views` render it,
after a reading or after a refused form."""

from __future__ import annotations

from intranet.audit.services import record
from intranet.cases import procedure, referral_section
from intranet.cases import services as register_services
from intranet.cases.forms import (
    DetailedAssessmentForm,
    InitialAssessmentForm,
    OutcomeForm,
    PlanDraftForm,
    PlanStepForm,
    ReopenForm,
    ReviewForm,
    ServiceForm,
    TeamForm,
)
from intranet.cases.keys import get_keyring
from intranet.clock import utcnow
from intranet.i18n import _, local_today
from intranet.security import Permission
from intranet.spaces import services as space_services

#: The plan's states, as the case page names them.
PLAN_STATE_LABELS = {
    "draft": _("Draft"),
    "submitted": _("Submitted for approval"),
    "approved": _("Approved"),
    "returned": _("Returned for changes"),
}


def case_labels() -> dict:
    return {
        "stage_labels": procedure.STAGE_LABELS,
        "reporter_labels": procedure.REPORTER_KIND_LABELS,
        "risk_labels": procedure.RISK_LABELS,
        "deadline_labels": procedure.DEADLINE_LABELS,
        "outcome_labels": procedure.OUTCOME_LABELS,
        "decision_labels": procedure.REVIEW_DECISION_LABELS,
    }


def unit_choices(db) -> list[tuple[str, str]]:
    return space_services.space_choices(db)


def case_page(
    request,
    *,
    initial_form=None,
    detailed_form=None,
    plan_form=None,
    step_form=None,
    service_form=None,
    outcome_form=None,
    review_form=None,
    reopen_form=None,
    team_form=None,
) -> dict:
    case = request.context.case
    db = request.dbsession
    keyring = get_keyring(request.registry)
    services = procedure.case_services(db, case)
    reviews = procedure.case_reviews(db, case)
    today = local_today()
    units = unit_choices(db)
    team = procedure.team_of(db, case)
    candidates = procedure.team_candidates(db, case.space_id)
    entry = procedure.read_case(keyring, case)
    child_reference = procedure.child_reference(db, case)
    if initial_form is None:
        data = {"initial_at": case.initial_at or utcnow()}
        if case.initial_at:
            data.update(
                harm=case.harm,
                access=case.access,
                environment=case.environment,
                in_danger="yes" if case.in_danger else "no",
                emergency_measures=entry.emergency_measures or "",
                separated_at=case.separated_at,
            )
        initial_form = InitialAssessmentForm(request=request, data=data)
    if detailed_form is None:
        detailed_form = DetailedAssessmentForm(
            request=request,
            data={
                "detailed_at": case.detailed_at or utcnow(),
                "findings": entry.findings or "",
                "meeting_at": case.meeting_at,
            },
        )
    if plan_form is None:
        plan_form = PlanDraftForm(request=request, data={"plan_text": entry.plan_text or ""})
    return {
        "space": request.context.space,
        "case": entry,
        "detailed_form": detailed_form,
        "plan_form": plan_form,
        "plan_editable": case.plan_state in (None, "draft", "returned"),
        "plan_state_labels": PLAN_STATE_LABELS,
        "step_form": step_form or PlanStepForm(request=request),
        "can_submit_plan": request.has_permission(Permission.CASE_PLAN_SUBMIT, request.context),
        "can_approve_plan": request.has_permission(Permission.CASE_PLAN_APPROVE, request.context),
        "stage": procedure.stage(case, services),
        "deadlines": procedure.deadlines(case, services),
        "child_reference": child_reference,
        "can_edit": request.has_permission(Permission.CASE_EDIT, request.context) and case.closed_at is None,
        "can_read_access_log": request.has_permission(Permission.CASE_ACCESS_LOG, request.context),
        "initial_form": initial_form,
        "services": [procedure.read_service(keyring, service) for service in services],
        "unit_titles": register_services.unit_titles(db, [s.assigned_space_id for s in services]),
        "reviews": [procedure.read_review(keyring, review) for review in reviews],
        "service_form": service_form or ServiceForm(request=request, units=units, data={"due_on": today}),
        "outcome_form": outcome_form or OutcomeForm(request=request, data={"outcome_on": today}),
        "review_form": review_form or ReviewForm(request=request, data={"reviewed_on": today}),
        "reopen_form": reopen_form or ReopenForm(request=request),
        "team_form": team_form or TeamForm(request=request, candidates=candidates),
        "team": team,
        "today": today,
        "team_candidates": candidates,
        "can_manage_team": request.has_permission(Permission.CASE_TEAM, request.context) and case.closed_at is None,
        "can_reopen": request.has_permission(Permission.CASE_REOPEN, request.context) and case.closed_at is not None,
        "closed": case.closed_at is not None,
        **case_labels(),
        **referral_section.case_section(request, services),
    }


def refused_case_page(request, **forms) -> dict:
    """The case page again after a refused form (400), ``forms`` as refused beside their fields;
    showing the case again is a reading, audited as any."""
    case = request.context.case
    request.response.status_int = 400
    record(request, "case.view", "case", case.number, space_id=case.space_id)
    return case_page(request, **forms)
