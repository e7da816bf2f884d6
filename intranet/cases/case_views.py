"""The cases of a commune: ``/spaces/<commune>/cases`` and ``/spaces/<commune>/cases/<number>``.

:mod:`intranet.cases.resources` lets through only the case team (404 for everyone else). A case is
named by its number (TC-2017-0003) in addresses, titles and the audit trail, never by the child's
name; every page that shows a case writes an audit line, and none is cached.
"""

from __future__ import annotations

from pyramid.httpexceptions import HTTPForbidden, HTTPFound
from pyramid.view import view_config

from intranet.audit import services as audit_services
from intranet.audit.labels import labeller
from intranet.audit.services import record
from intranet.cases import procedure
from intranet.cases.case_page import case_labels, case_page, refused_case_page, unit_choices
from intranet.cases.forms import (
    DetailedAssessmentForm,
    InitialAssessmentForm,
    OutcomeForm,
    PlanDraftForm,
    PlanStepForm,
    ReceiptForm,
    ReopenForm,
    ReviewForm,
    ServiceForm,
    TeamForm,
)
from intranet.cases.keys import get_keyring
from intranet.cases.workflow import WORKFLOW as PLAN_WORKFLOW
from intranet.clock import utcnow
from intranet.i18n import _
from intranet.security import Permission
from intranet.spaces import services as space_services
from intranet.web import Page, flash, page_number
from intranet.workflow import TransitionCode, TransitionError

PAGE_SIZE = 50
#: What a plan's step says once done, and when the plan's state does not allow it.
STEP_DONE = {
    "submit": _("The plan has been submitted to the commune's chairman for approval."),
    "approve": _("The plan has been approved."),
    "return": _("The plan has been returned to the case team."),
}
STEP_AUDIT = {"submit": "case.plan_submit", "approve": "case.plan_approve", "return": "case.plan_return"}
STEP_REFUSED = _("This step is not possible in the plan's present state.")


@view_config(
    route_name="cases.list", renderer="cases/cases.jinja2", permission=Permission.CASES_LIST, request_method="GET"
)
def cases_list(request):
    space = request.context.space
    identity = request.identity
    # The head and the coordinator see every case of the commune; a protection officer, the
    # cases whose team they are on.
    sees_all = identity.role_in(space.id) == "head" or request.has_permission(
        Permission.DISTRICT_REVIEW, request.root_resource
    )
    number = page_number(request)
    rows, total = procedure.cases_page(
        request.dbsession, space.id, member_id=None if sees_all else identity.id, page=number, size=PAGE_SIZE
    )
    if rows:
        record(
            request,
            "cases.list",
            "case_folder",
            space.slug,
            space_id=space.id,
            detail={"shown": [r.number for r in rows]},
        )
    return {
        "space": space,
        "page": Page(rows, number, PAGE_SIZE, total),
        "can_open": request.has_permission(Permission.CASE_OPEN, request.context),
        "sees_all": sees_all,
        **case_labels(),
    }


@view_config(
    route_name="cases.new",
    renderer="cases/receipt.jinja2",
    permission=Permission.CASE_OPEN,
    request_method=("GET", "POST"),
)
def case_new(request):
    """Mẫu 01: the receipt of a report opens a case."""
    space = request.context.space
    db = request.dbsession
    workers = procedure.team_candidates(db, space.id)
    if request.method != "POST":
        form = ReceiptForm(
            request=request,
            workers=workers,
            data={
                "received_at": utcnow(),
                "case_worker": str(request.identity.id),
                "child": request.GET.get("child", ""),
            },
        )
        return {"space": space, "form": form}
    form = ReceiptForm(request.POST, request=request, workers=workers)
    if form.validate():
        child_id = procedure.register_child_id(db, space.id, form.child.data)
        if form.child.data and child_id is None:
            form.add_error("child", procedure.MSG_CHILD)
        else:
            try:
                case = procedure.open_case(
                    db,
                    get_keyring(request.registry),
                    space.id,
                    received_at=form.received_at.data,
                    reporter_kind=form.reporter_kind.data,
                    reporter=form.reporter.data,
                    account=form.account.data,
                    child_id=child_id,
                    case_worker_id=int(form.case_worker.data),
                    user_id=request.identity.id,
                )
            except procedure.CaseError as exc:
                form.add_error(exc.field, exc.message)
            else:
                db.flush()
                record(request, "case.open", "case", case.number, space_id=space.id)
                flash(request, _("The report has been received as case ${number}."), number=case.number)
                return HTTPFound(location=request.route_path("cases.view", slug=space.slug, number=case.number))
    request.response.status_int = 400
    return {"space": space, "form": form}


@view_config(
    route_name="cases.view", renderer="cases/case.jinja2", permission=Permission.CASE_VIEW, request_method="GET"
)
def case_view(request):
    case = request.context.case
    record(request, "case.view", "case", case.number, space_id=case.space_id)
    return case_page(request)


@view_config(
    route_name="cases.initial", renderer="cases/case.jinja2", permission=Permission.CASE_EDIT, request_method="POST"
)
def case_initial(request):
    """Mẫu 02: the initial assessment (recorded again, it is corrected)."""
    case = request.context.case
    form = InitialAssessmentForm(request.POST, request=request)

    def write(form):
        procedure.record_initial_assessment(
            request.dbsession,
            get_keyring(request.registry),
            case,
            initial_at=form.initial_at.data,
            harm=form.harm.data,
            access=form.access.data,
            environment=form.environment.data,
            in_danger=form.in_danger.data == "yes",
            emergency_measures=form.emergency_measures.data,
            separated_at=form.separated_at.data,
            user_id=request.identity.id,
        )

    return _step(
        request, form, write, "case.initial_assessment", _("The initial assessment has been recorded."), "initial_form"
    )


@view_config(
    route_name="cases.access",
    renderer="cases/access.jinja2",
    permission=Permission.CASE_ACCESS_LOG,
    request_method="GET",
)
def case_access_log(request):
    """Who opened, changed, printed or exported the case, and when: for the coordinator and the
    commune's chairman. The lines are the audit trail's for this case (its number), newest first."""
    case = request.context.case
    number = page_number(request)
    rows, total = audit_services.search(
        request.dbsession, object_type="case", object_id=case.number, page=number, page_size=PAGE_SIZE
    )
    action_label, _object_label = labeller(request)
    return {
        "space": request.context.space,
        "number": case.number,
        "page": Page(rows, number, PAGE_SIZE, total),
        "action_label": action_label,
    }


def _step(request, form, write, action: str, done_message, form_name: str):
    """Save one step of the case from ``form`` with ``write(form)``; the page again, refused, with
    the form as ``form_name`` on an error."""
    case = request.context.case
    if form.validate():
        try:
            write(form)
        except procedure.CaseError as exc:
            form.add_error(exc.field, exc.message)
        else:
            record(request, action, "case", case.number, space_id=case.space_id)
            flash(request, done_message)
            return HTTPFound(
                location=request.route_path("cases.view", slug=request.context.space.slug, number=case.number)
            )
    return refused_case_page(request, **{form_name: form})


@view_config(
    route_name="cases.detailed", renderer="cases/case.jinja2", permission=Permission.CASE_EDIT, request_method="POST"
)
def case_detailed(request):
    """Mẫu 03: the detailed assessment and the case meeting (recorded again, it is corrected)."""
    case = request.context.case
    form = DetailedAssessmentForm(request.POST, request=request)

    def write(form):
        procedure.record_detailed_assessment(
            request.dbsession,
            get_keyring(request.registry),
            case,
            detailed_at=form.detailed_at.data,
            findings=form.findings.data,
            meeting_at=form.meeting_at.data,
            user_id=request.identity.id,
        )

    return _step(
        request,
        form,
        write,
        "case.detailed_assessment",
        _("The detailed assessment has been recorded."),
        "detailed_form",
    )


@view_config(
    route_name="cases.plan", renderer="cases/case.jinja2", permission=Permission.CASE_EDIT, request_method="POST"
)
def case_plan(request):
    """Mẫu 04: the support and intervention plan's draft."""
    case = request.context.case
    form = PlanDraftForm(request.POST, request=request)

    def write(form):
        procedure.draft_plan(
            request.dbsession,
            get_keyring(request.registry),
            case,
            plan_text=form.plan_text.data,
            user_id=request.identity.id,
        )

    return _step(request, form, write, "case.plan_draft", _("The draft of the plan has been saved."), "plan_form")


@view_config(
    route_name="cases.plan_step", renderer="cases/case.jinja2", permission=Permission.CASE_VIEW, request_method="POST"
)
def case_plan_step(request):
    """Submit the plan (the case team), approve it by a decision or return it (the chairman)."""
    case = request.context.case
    form = PlanStepForm(request.POST, request=request)
    if form.validate():
        step = PLAN_WORKFLOW.find(case.plan_state or "", form.action.data)
        if step is not None and not request.has_permission(step.permission, request.context):
            raise HTTPForbidden()
        try:
            procedure.move_plan(
                request.dbsession,
                get_keyring(request.registry),
                case,
                form.action.data,
                user_id=request.identity.id,
                comment=form.comment.data,
                decision_number=form.decision_number.data,
                decision_date=form.decision_date.data,
            )
        except procedure.CaseError as exc:
            form.add_error(exc.field, exc.message)
        except TransitionError as exc:
            form.add_error("comment" if exc.code == TransitionCode.COMMENT_REQUIRED else "action", STEP_REFUSED)
        else:
            record(request, STEP_AUDIT[form.action.data], "case", case.number, space_id=case.space_id)
            flash(request, STEP_DONE[form.action.data])
            return HTTPFound(
                location=request.route_path("cases.view", slug=request.context.space.slug, number=case.number)
            )
    return refused_case_page(request, step_form=form)


# --- carrying out the plan, the review, the team ------------------------------------------------


@view_config(
    route_name="cases.services", renderer="cases/case.jinja2", permission=Permission.CASE_EDIT, request_method="POST"
)
def case_service_add(request):
    """A service or intervention of the approved plan: what, by which unit or person, by when."""
    case = request.context.case
    db = request.dbsession
    form = ServiceForm(request.POST, request=request, units=unit_choices(db))

    def write(form):
        unit_id = space_services.space_id_by_slug(db, form.unit.data) if form.unit.data else None
        try:
            procedure.add_service(
                db,
                get_keyring(request.registry),
                case,
                description=form.description.data,
                due_on=form.due_on.data,
                assigned_space_id=unit_id,
                assignee=form.assignee.data or "",
                user_id=request.identity.id,
            )
        except procedure.CaseError as exc:
            field = {"assigned_space_id": "unit", "plan_state": "description"}.get(exc.field, exc.field)
            raise procedure.CaseError(field, exc.code, exc.message) from None

    return _step(request, form, write, "case.service_add", _("The service has been added to the plan."), "service_form")


@view_config(
    route_name="cases.outcome", renderer="cases/case.jinja2", permission=Permission.CASE_EDIT, request_method="POST"
)
def case_service_outcome(request):
    """The outcome of one of the case's services (recorded again, it is corrected)."""
    case = request.context.case
    db = request.dbsession
    form = OutcomeForm(request.POST, request=request)

    def write(form):
        service = procedure.case_service(db, case, form.service.data)
        if service is None:
            raise procedure.CaseError("outcome", "unknown_service", procedure.MSG_NO_SERVICE)
        procedure.record_outcome(
            db,
            get_keyring(request.registry),
            service,
            outcome=form.outcome.data,
            outcome_on=form.outcome_on.data,
            outcome_note=form.outcome_note.data or "",
            user_id=request.identity.id,
        )

    return _step(
        request, form, write, "case.service_outcome", _("The outcome of the service has been recorded."), "outcome_form"
    )


@view_config(
    route_name="cases.review", renderer="cases/case.jinja2", permission=Permission.CASE_EDIT, request_method="POST"
)
def case_review(request):
    """Mẫu 06: the review closes the case, or starts a new plan."""
    case = request.context.case
    form = ReviewForm(request.POST, request=request)

    def write(form):
        procedure.add_review(
            request.dbsession,
            get_keyring(request.registry),
            case,
            reviewed_on=form.reviewed_on.data,
            harm=form.harm.data,
            access=form.access.data,
            environment=form.environment.data,
            decision=form.decision.data,
            notes=form.notes.data or "",
            next_review_on=form.next_review_on.data,
            user_id=request.identity.id,
        )

    closing = form.decision.data == "close"
    return _step(
        request,
        form,
        write,
        "case.close" if closing else "case.review",
        _("The review has been recorded and the case is closed.")
        if closing
        else _("The review has been recorded: draw up the new plan."),
        "review_form",
    )


@view_config(
    route_name="cases.reopen", renderer="cases/case.jinja2", permission=Permission.CASE_REOPEN, request_method="POST"
)
def case_reopen(request):
    """Open a closed case again (the chairman or the case worker)."""
    case = request.context.case
    form = ReopenForm(request.POST, request=request)

    def write(form):
        procedure.reopen_case(
            request.dbsession, case, next_review_on=form.next_review_on.data, user_id=request.identity.id
        )

    return _step(request, form, write, "case.reopen", _("The case has been reopened."), "reopen_form")


@view_config(
    route_name="cases.team", renderer="cases/case.jinja2", permission=Permission.CASE_TEAM, request_method="POST"
)
def case_team(request):
    """Change the case worker, add or remove a helper: officers who may manage the commune's cases."""
    case = request.context.case
    db = request.dbsession
    form = TeamForm(request.POST, request=request, candidates=procedure.team_candidates(db, case.space_id))

    def write(form):
        user_id = int(form.user.data)
        if form.action.data == "worker":
            procedure.assign_case_worker(db, case, case_worker_id=user_id, user_id=request.identity.id)
            procedure.remove_helper(db, case, helper_id=user_id, user_id=request.identity.id)
        elif form.action.data == "add_helper":
            procedure.assign_helper(db, case, helper_id=user_id, user_id=request.identity.id)
        elif not procedure.remove_helper(db, case, helper_id=user_id, user_id=request.identity.id):
            raise procedure.CaseError("user", "not_helper", procedure.MSG_NOT_HELPER)
        request.context.team = procedure.case_team_ids(db, case)

    return _step(request, form, write, "case.team", _("The case team has been changed."), "team_form")
