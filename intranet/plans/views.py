"""Commune annual plans: the commune's list, the plan page (draft, submit, review, revisions,
signed scan, progress, copy to next year), print and PDF, and the district list."""

from __future__ import annotations

from urllib.parse import quote

from pyramid.httpexceptions import HTTPForbidden, HTTPFound, HTTPNotFound
from pyramid.response import Response
from pyramid.view import view_config

from intranet.audit.services import record
from intranet.district.review import after_review
from intranet.documents.services import UploadError, read_upload
from intranet.duties.services import PROGRESS_LABELS
from intranet.i18n import _, local_today
from intranet.numbers import MAX_YEAR, MIN_YEAR, parse_plain
from intranet.plans import exports, services
from intranet.plans.forms import NewPlanForm, RevisionForm, YearForm, review_form
from intranet.plans.models import SECTION_KEYS
from intranet.plans.workflow import EDITABLE_STATES, WORKFLOW
from intranet.security import Permission
from intranet.spaces.services import submit_hint
from intranet.web import Page, flash, page_number
from intranet.workflow import TransitionCode, TransitionError, latest_return
from intranet.workflow.documents import Subject, VersionConflict, check_version, perform, save_versioned

SCAN_MESSAGES = {
    "too_big": _("The file “${name}” is larger than 10 MB. Please send a smaller file."),
    "bad_type": _("The signed scan must be a PDF, JPEG or PNG file."),
    "empty": _("The file “${name}” is empty."),
    "zip_bomb": _("The signed scan must be a PDF, JPEG or PNG file."),
}


def _labels():
    return {
        "state_labels": services.STATE_LABELS,
        "action_labels": services.ACTION_LABELS,
        "section_labels": services.SECTION_LABELS,
        "status_labels": services.ACTIVITY_STATUS_LABELS,
        "progress_labels": PROGRESS_LABELS,
        "section_keys": SECTION_KEYS,
        "months_text": services.months_text,
        "part_label": services.part_label,
    }


def _names(request, **labels):
    """``<kind>_names``: each kind of label translated once for the page, not once per row."""
    translate = request.localizer.translate
    return {f"{kind}_names": {key: translate(label) for key, label in found.items()} for kind, found in labels.items()}


def _plan_url(request, plan, route="plans.edit", **kw):
    slug = request.context.space.slug
    if route == "plans.edit":
        return request.route_path(route, slug=slug, year=plan.year, **kw)
    return request.route_path(route, slug=slug, year=plan.year, revision=plan.revision, **kw)


# --- the commune's plans -----------------------------------------------------------------------------


def _space_page(request, form=None):
    space = request.context.space
    plans = services.space_plans(request.dbsession, space.id)
    have = {p.year for p in plans}
    new_years = [y for y in services.district_years(request.dbsession) if y not in have]
    form = form or NewPlanForm(request=request)
    # Drawn again after a refusal, the list offers only the years that can still be drafted.
    form.year.choices = [str(y) for y in new_years]
    return {
        "space": space,
        "plans": plans,
        "new_years": new_years,
        "can_create": bool(request.has_permission(Permission.PLAN_CREATE)),
        "form": form,
        **_labels(),
    }


@view_config(
    route_name="plans.space", renderer="plans/space.jinja2", permission=Permission.PLANS_LIST, request_method="GET"
)
def space_plans(request):
    """Every plan of the commune, each year's revisions, and the plan of a new year to draft."""
    return _space_page(request)


@view_config(
    route_name="plans.space", renderer="plans/space.jinja2", permission=Permission.PLAN_CREATE, request_method="POST"
)
def plan_create(request):
    """Draft the plan of a year from the district plan's template."""
    space = request.context.space
    form = NewPlanForm(request.POST, years=services.district_years(request.dbsession), request=request)
    if not form.validate():
        request.response.status_int = 400
        return _space_page(request, form)
    year = int(form.year.data)
    if services.has_plan(request.dbsession, space.id, year):
        flash(request, _("The commune already has a plan for ${year}.", mapping={"year": year}), "error")
        return HTTPFound(location=request.route_path("plans.edit", slug=space.slug, year=year))
    plan = services.new_plan(request.dbsession, request.registry, space, year, request.identity.id)
    request.dbsession.flush()
    record(
        request,
        "commune_plan.create",
        "commune_plan",
        plan.id,
        space_id=space.id,
        detail={"year": year, "revision": plan.revision},
    )
    flash(
        request,
        _(
            "The ${year} plan has been drafted from the district plan. Fill in the commune's targets and activities.",
            mapping={"year": year},
        ),
    )
    return HTTPFound(location=request.route_path("plans.edit", slug=space.slug, year=year))


# --- one plan ------------------------------------------------------------------------------------------


def _page(request, entry, *, conflict=None, saved_with_errors=False):
    ctx = request.context
    plan = ctx.plan
    can = request.has_permission
    editing = bool(can(Permission.PLAN_EDIT)) and plan.state in EDITABLE_STATES and plan.is_current
    duties = services.commune_duties(request.registry, ctx.space)
    today = local_today()
    may_copy = bool(can(Permission.PLAN_CREATE)) and plan.state == "approved" and plan.is_current
    if plan.is_current and plan.revision == 1:
        # The first revision, still current, is the only one (a new revision replaces the current
        # one): no list to read, and next year's plan only when it decides the copy button.
        revisions = [plan]
        next_year_taken = may_copy and services.has_plan(request.dbsession, plan.space_id, plan.year + 1)
    else:
        revisions, next_year_taken = services.revisions_and_next_year(request.dbsession, plan.space_id, plan.year)
    return {
        "space": ctx.space,
        "plan": plan,
        "entry": entry,
        "rows": entry.rows() if editing else entry.rows(blank=0),
        "editing": editing,
        "can_submit": bool(can(Permission.PLAN_SUBMIT)),
        "can_review": bool(can(Permission.PLAN_REVIEW)) and plan.state == "submitted",
        "can_revise": bool(can(Permission.PLAN_REVISE)),
        "can_attach": bool(can(Permission.PLAN_ATTACH)),
        "can_copy": may_copy and not next_year_taken,
        "conflict": conflict,
        "saved_with_errors": saved_with_errors,
        "submit_hint": (
            submit_hint(request.dbsession, ctx.space) if editing and not can(Permission.PLAN_SUBMIT) else None
        ),
        "returned": latest_return(plan.events),
        "comments": services.open_comments(plan),
        "parts": services.valid_parts(plan),
        "duties": duties,
        "duty_titles": {d.key: d for d in duties},
        "progress": services.plan_progress(request.dbsession, plan, today) if plan.state == "approved" else None,
        "revisions": revisions,
        "version": plan.version,
        "budget_total": sum(a.budget for a in plan.activities),
        **_labels(),
        **_names(
            request, status=services.ACTIVITY_STATUS_LABELS, progress=PROGRESS_LABELS, action=services.ACTION_LABELS
        ),
    }


@view_config(
    route_name="plans.edit", renderer="plans/plan.jinja2", permission=Permission.PLAN_VIEW, request_method="GET"
)
def plan_view(request):
    return _page(request, services.entry_from_plan(request.context.plan))


@view_config(
    route_name="plans.revision", renderer="plans/plan.jinja2", permission=Permission.PLAN_VIEW, request_method="GET"
)
def revision_view(request):
    """Any revision, read-only when it is not the current one."""
    return _page(request, services.entry_from_plan(request.context.plan))


@view_config(
    route_name="plans.edit", renderer="plans/plan.jinja2", permission=Permission.PLAN_EDIT, request_method="POST"
)
def plan_save(request):
    """Save the draft, or save and submit it (which needs the submit permission as well)."""
    ctx = request.context
    plan = ctx.plan
    submit = request.POST.get("action") == "submit"
    if submit and not request.has_permission(Permission.PLAN_SUBMIT):
        raise HTTPForbidden()
    duties = services.commune_duties(request.registry, ctx.space)
    entry = services.read_entry(request.POST, plan, [d.key for d in duties])
    unreadable = frozenset(entry.errors)
    try:
        check_version(parse_plain(request.POST.get("version", "0")), plan)
    except VersionConflict:
        # Someone saved (or moved) this plan since the form was opened: show both versions.
        request.response.status_int = 409
        return _page(request, entry, conflict=services.entry_from_plan(plan))
    if submit:
        services.check_for_submission(plan, entry)
    send = submit and not entry.errors

    def store():
        services.store_entry(plan, entry, keep=unreadable)
        return plan

    # The draft is saved whatever is missing; only a complete plan is sent.
    save_versioned(
        request,
        WORKFLOW,
        document=plan,
        sent_version=plan.version,
        store=store,
        submit=send,
        subject=lambda p: plan_subject(ctx.space, p),
    )
    if entry.errors:
        request.response.status_int = 400
        return _page(request, entry, saved_with_errors=True)
    flash(request, _("The plan has been submitted to the district.") if send else _("The plan has been saved."))
    return HTTPFound(location=_plan_url(request, plan))


def plan_subject(space, plan) -> Subject:
    return Subject(
        audit_prefix="commune_plan",
        obj_type="commune_plan",
        space=space,
        path=f"/spaces/{space.slug}/plans/{plan.year}",
        title=f"Kế hoạch năm {plan.year} (lần {plan.revision})",
        detail={"year": plan.year, "revision": plan.revision},
    )


def _review(request, action: str):
    ctx = request.context
    plan = ctx.plan
    form = review_form(request.POST, services.valid_parts(plan), request=request)
    refusal = form.refusal()
    if refusal is not None:
        flash(request, refusal, "error")
        return HTTPFound(location=_plan_url(request, plan))
    comment = form.comment_text
    given = form.part_comments() if action == "return" else {}
    try:
        perform(
            request,
            WORKFLOW,
            plan,
            action,
            plan_subject(ctx.space, plan),
            comment=comment,
            has_other_comment=bool(given),
            part_comments=[(p, given[p]) for p in services.valid_parts(plan) if p in given],
            audit_detail={"parts": sorted(given)},
        )
    except TransitionError as exc:
        flash(
            request,
            _("Please write a comment, on the plan or on one of its parts, to return it.")
            if exc.code == TransitionCode.COMMENT_REQUIRED
            else _("This action is not possible in the plan's current state."),
            "error",
        )
        return HTTPFound(location=_plan_url(request, plan))
    flash(
        request,
        _("The plan has been returned to the commune with your comments.")
        if action == "return"
        else _("The plan has been approved."),
    )
    return HTTPFound(location=after_review(request, _plan_url(request, plan)))


@view_config(
    route_name="plans.transition",
    permission=Permission.PLAN_REVIEW,
    request_method="POST",
    request_param="action=return",
)
def plan_return(request):
    return _review(request, "return")


@view_config(
    route_name="plans.transition",
    permission=Permission.PLAN_REVIEW,
    request_method="POST",
    request_param="action=approve",
)
def plan_approve(request):
    return _review(request, "approve")


@view_config(
    route_name="plans.transition",
    permission=Permission.PLAN_REVISE,
    request_method="POST",
    request_param="action=revise",
)
def plan_revise(request):
    """Open revision n+1 of an approved plan; the reason is required."""
    ctx = request.context
    plan = ctx.plan
    form = RevisionForm(request.POST, request=request)
    if not form.validate():
        flash(request, form.refusal(), "error")
        return HTTPFound(location=_plan_url(request, plan))
    reason = form.text
    try:
        new = services.open_revision(request.dbsession, plan, request.identity.id, reason)
    except TransitionError as exc:
        flash(
            request,
            _("Please give the reason for the new revision.")
            if exc.code == TransitionCode.COMMENT_REQUIRED
            else _("This action is not possible in the plan's current state."),
            "error",
        )
        return HTTPFound(location=_plan_url(request, plan))
    request.dbsession.flush()
    record(
        request,
        "commune_plan.revise",
        "commune_plan",
        new.id,
        space_id=ctx.space.id,
        detail={"year": plan.year, "revision": new.revision, "previous": plan.id, "reason": reason.strip()},
    )
    flash(
        request,
        _(
            "Revision ${n} has been opened as a draft. The approved revision stays readable.",
            mapping={"n": new.revision},
        ),
    )
    return HTTPFound(location=_plan_url(request, new))


@view_config(
    route_name="plans.transition", permission=Permission.PLAN_CREATE, request_method="POST", request_param="action=copy"
)
def plan_copy(request):
    """Create next year's plan from this approved one, with this year's actuals as baselines."""
    ctx = request.context
    plan = ctx.plan
    try:
        new = services.copy_to_next_year(request.dbsession, request.registry, plan, request.identity.id)
    except TransitionError as exc:
        flash(
            request,
            _("The commune already has a plan for ${year}.", mapping={"year": plan.year + 1})
            if exc.code == TransitionCode.EXISTS
            else _("This action is not possible in the plan's current state."),
            "error",
        )
        return HTTPFound(location=_plan_url(request, plan))
    request.dbsession.flush()
    record(
        request,
        "commune_plan.copy",
        "commune_plan",
        new.id,
        space_id=ctx.space.id,
        detail={"from_year": plan.year, "year": new.year, "source": plan.id},
    )
    flash(
        request,
        _(
            "The ${year} plan has been created from the ${previous} plan.",
            mapping={"year": new.year, "previous": plan.year},
        ),
    )
    return HTTPFound(location=request.route_path("plans.edit", slug=ctx.space.slug, year=new.year))


# --- the signed scan -------------------------------------------------------------------------------------


@view_config(route_name="plans.scan", permission=Permission.PLAN_ATTACH, request_method="POST")
def scan_attach(request):
    ctx = request.context
    plan = ctx.plan
    field = request.POST.get("scan")
    if not hasattr(field, "file") or not getattr(field, "filename", None):
        flash(request, _("Choose the file of the signed scan."), "error")
        return HTTPFound(location=_plan_url(request, plan))
    max_bytes = int(request.registry.settings["intranet.max_upload_bytes"])
    try:
        filename, data, kind = read_upload(field, max_bytes)
        if kind not in services.SCAN_KINDS:
            raise UploadError("bad_type")
    except UploadError as exc:
        flash(request, _(SCAN_MESSAGES[exc.code], mapping={"name": field.filename[:100]}), "error")
        return HTTPFound(location=_plan_url(request, plan))
    services.attach_scan(request.dbsession, plan, filename, data, kind, request.identity.id)
    request.dbsession.flush()
    record(
        request,
        "commune_plan.attach",
        "commune_plan",
        plan.id,
        space_id=ctx.space.id,
        detail={"year": plan.year, "revision": plan.revision, "file": filename, "sha256": plan.scan_sha256},
    )
    flash(request, _("The signed scan has been attached to the plan."))
    return HTTPFound(location=_plan_url(request, plan))


@view_config(route_name="plans.scan", permission=Permission.PLAN_VIEW, request_method="GET")
def scan_download(request):
    ctx = request.context
    found = services.scan(request.dbsession, ctx.plan)
    if found is None:
        raise HTTPNotFound()
    content_type, data = found
    record(request, "commune_plan.scan_download", "commune_plan", ctx.plan.id, space_id=ctx.space.id)
    response = Response(body=data, content_type=content_type)
    response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(ctx.plan.scan_filename or 'scan')}"
    response.headers["Cache-Control"] = "private, no-store"
    return response


# --- print and PDF -----------------------------------------------------------------------------------------


def _document(request):
    return exports.document(request, request.context.plan, request.context.space)


@view_config(
    route_name="plans.print", renderer="plans/print.jinja2", permission=Permission.PLAN_VIEW, request_method="GET"
)
def plan_print(request):
    """The plan as a printable page in the administrative format."""
    record(
        request,
        "export.commune_plan",
        "commune_plan",
        request.context.plan.id,
        space_id=request.context.space.id,
        detail={"format": "print", "year": request.context.plan.year, "revision": request.context.plan.revision},
    )
    return {**_document(request), **_labels()}


@view_config(route_name="plans.export", permission=Permission.PLAN_VIEW, request_method="GET")
def plan_export(request):
    if request.matchdict["fmt"] != "pdf":
        raise HTTPNotFound()
    ctx = request.context
    body = exports.plan_pdf(request, ctx.plan, ctx.space)
    record(
        request,
        "export.commune_plan",
        "commune_plan",
        ctx.plan.id,
        space_id=ctx.space.id,
        detail={"format": "pdf", "year": ctx.plan.year, "revision": ctx.plan.revision},
    )
    response = Response(body=body, content_type="application/pdf")
    name = exports.filename("ke-hoach", ctx.space.slug, str(ctx.plan.year), f"r{ctx.plan.revision}", ext="pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


# --- the district's list -------------------------------------------------------------------------------------

COMMUNES_PER_PAGE = 30


@view_config(
    route_name="district.plans",
    renderer="plans/district.jinja2",
    permission=Permission.DISTRICT_VIEW,
    request_method="GET",
)
def district_plans(request):
    """The communes' plans of a year: state, revision, dates and progress."""
    years = services.plan_years(request.dbsession)
    shown = years[0] if years else local_today().year
    form = YearForm(request.GET)
    raw = form.year.raw
    year = form.year.data if raw else shown
    if year is None:
        # Say so, and show the list of the year the page opens with, rather than a bare error page.
        request.response.status_int = 400
        flash(
            request,
            _(
                "“${text}” is not a year from ${low} to ${high}; the plans of ${year} are shown.",
                mapping={
                    "text": raw if len(raw) <= 10 else raw[:10] + "…",
                    "low": MIN_YEAR,
                    "high": MAX_YEAR,
                    "year": shown,
                },
            ),
            "error",
        )
        year = shown
    number = page_number(request)
    rows, total = services.district_plans(request.dbsession, year, page=number, size=COMMUNES_PER_PAGE)
    return {
        "year": year,
        "years": years,
        "rows": rows,
        "page": Page(rows, number, COMMUNES_PER_PAGE, total),
        "counts": services.plan_state_counts(request.dbsession, year),  # the year's, not the page's
        **_labels(),
        **_names(request, state=services.STATE_LABELS),
    }
