from __future__ import annotations

from pyramid.httpexceptions import HTTPForbidden, HTTPFound
from pyramid.view import view_config

from intranet.district.review import after_review
from intranet.i18n import _
from intranet.reports import outbound, services
from intranet.reports.forms import report_form, report_form_of
from intranet.reports.labels import TIMELINESS_LABELS
from intranet.reports.services.suggestions import register_differences, register_figures
from intranet.reports.workflow import WORKFLOW
from intranet.security import Permission
from intranet.spaces import services as space_services
from intranet.web import flash
from intranet.workflow import TransitionCode, TransitionError, latest_return
from intranet.workflow.documents import VersionConflict, check_version, perform, save_versioned
from intranet.workflow.forms import CommentForm


def _labels():
    return {
        "state_labels": services.STATE_LABELS,
        "timeliness_labels": TIMELINESS_LABELS,
        "action_labels": services.ACTION_LABELS,
    }


@view_config(route_name="reports.space", renderer="reports/space.jinja2", permission=Permission.REPORTS_LIST)
def space_reports(request):
    """What the unit owes, by period: each form, its due date and where it stands."""
    space = request.context.space
    items = services.expected_reports(request.dbsession, request.registry, [space], services.periods(request.dbsession))
    return {"space": space, "items": items, **_labels()}


def _page(request, form, fields, *, conflict=None, saved_with_errors=False):
    """The report page: ``form`` is the plugin's spec, ``fields`` the form the unit fills in (or
    reads), ``conflict`` the same form opened on the version someone else saved meanwhile."""
    ctx = request.context
    submission = ctx.submission
    can_edit = bool(request.has_permission(Permission.REPORT_EDIT))
    can_submit = bool(request.has_permission(Permission.REPORT_SUBMIT))
    editable = ctx.state in WORKFLOW.editable_states
    return {
        "space": ctx.space,
        "period": ctx.period,
        "form": form,
        "fields": fields,
        "submission": submission,
        "state": ctx.state,
        "locked": ctx.locked,
        "timeliness": services.timeliness(submission, ctx.period),
        "can_edit": can_edit,
        "can_submit": can_submit,
        "submit_hint": space_services.submit_hint(request.dbsession, ctx.space)
        if can_edit and editable and not can_submit
        else None,
        "can_review": bool(request.has_permission(Permission.REPORT_REVIEW)),
        "can_reopen": bool(request.has_permission(Permission.REPORT_REOPEN)),
        "returned": latest_return(submission.events) if submission else None,
        "version": submission.version if submission else 0,
        "conflict": conflict,
        "saved_with_errors": saved_with_errors,
        "field_name": services.field_name,
        "suggestions": None,
        "from_logs": {},
        "from_register": {},
        "prefilled": set(),
        # The unit's comments on figures that differ from its child register are free text that
        # may give a small count away: shown to the readers of the exact figures only.
        "show_notes": outbound.exact_for(request, ctx.space.id),
        # The cells shown as "< 5" to a reader outside the district (outbound.report_hidden).
        "hidden": {},
        **_labels(),
    }


def _report_url(request):
    ctx = request.context
    return request.route_path("reports.edit", slug=ctx.space.slug, form=ctx.form_key, period=ctx.period.code)


@view_config(
    route_name="reports.edit", renderer="reports/edit.jinja2", permission=Permission.REPORT_VIEW, request_method="GET"
)
def report_view(request):
    """The report; while the unit may edit it, with what it gave last period (and, where a duty's
    measure names a figure, the sum of its duty logs) offered beside each field. ``?prefill=1``
    puts those suggestions into the empty fields, for the unit to check and save."""
    ctx = request.context
    form = services.form_of(request.dbsession, request.registry, ctx.submission, ctx.form_key)
    fields = report_form_of(form, ctx.submission, request=request)
    page = _page(request, form, fields)
    if not outbound.exact_for(request, ctx.space.id):
        entry = services.entry_from_submission(form, ctx.submission)
        page["hidden"] = outbound.report_hidden(form, entry.values)
    if page["can_edit"] and ctx.state in WORKFLOW.editable_states:
        offered = _offer(request, page, form)
        if request.GET.get("prefill") == "1":
            # The child register first (it names the children), then this period's duty logs,
            # else what the unit gave last period.
            page["prefilled"] = fields.fill_empty({**offered, **page["from_logs"], **page["from_register"]})
    return page


def _offer(request, page, form):
    """Put the suggestions beside the fields of the page being edited; the suggestions."""
    ctx = request.context
    offered = services.suggestions(request.dbsession, request.registry, form, ctx.space, ctx.period)
    page["suggestions"] = offered
    page["from_logs"] = getattr(offered, "from_logs", {}) or {}
    page["from_register"] = getattr(offered, "from_register", {}) or {}
    return offered


def _save(request, *, submit: bool):
    """Save the draft; for "submit", also check it and send it.

    A draft always saves, however incomplete: a figure that cannot be read keeps its saved value
    and comes back with its error; a submit that fails its checks keeps the draft saved.
    """
    ctx = request.context
    form = services.form_of(request.dbsession, request.registry, ctx.submission, ctx.form_key)
    fields = report_form(form, request.POST, request=request)
    try:
        check_version(fields.version.data, ctx.submission)
    except VersionConflict:
        # Someone saved (or moved) this report since the form was opened: show both versions.
        fields.validate()
        request.response.status_int = 409
        return _page(request, form, fields, conflict=report_form_of(form, ctx.submission))
    fields.validate(submit=submit)
    if submit:
        # A figure other than the child register's is sent with a comment saying why.
        from_register, _how = register_figures(request.dbsession, form, ctx.space, ctx.period)
        fields.require_notes(register_differences(fields.entry().values, from_register))
    send = submit and not fields.has_errors
    entry = fields.entry()

    def store():
        submission = ctx.submission or services.create_submission(request.dbsession, form, ctx.space.id, ctx.period.id)
        services.store_entry(submission, form, entry, keep=fields.unreadable)
        return submission

    submission = save_versioned(
        request,
        WORKFLOW,
        document=ctx.submission,
        sent_version=ctx.submission.version if ctx.submission else 0,
        store=store,
        submit=send,
        subject=lambda _doc: services.report_subject(ctx.space, form, ctx.period),
        locked=ctx.locked,
    )
    if fields.has_errors:
        ctx.submission = submission
        request.response.status_int = 400
        page = _page(request, form, fields, saved_with_errors=True)
        if page["can_edit"] and submission.state in WORKFLOW.editable_states:
            _offer(request, page, form)
        return page
    flash(
        request,
        _("The report has been submitted to the district.") if send else _("The report has been saved as a draft."),
    )
    return HTTPFound(location=_report_url(request))


@view_config(
    route_name="reports.edit", renderer="reports/edit.jinja2", permission=Permission.REPORT_EDIT, request_method="POST"
)
def report_save(request):
    """Save the draft, or save and submit it (which needs the submit permission as well)."""
    submit = request.POST.get("action") == "submit"
    if submit and not request.has_permission(Permission.REPORT_SUBMIT):
        raise HTTPForbidden()
    return _save(request, submit=submit)


TRANSITION_REFUSED = {
    TransitionCode.COMMENT_REQUIRED: _("Please write a comment: it is required to return or reopen a report."),
}
DONE = {
    "return": _("The report has been returned to the unit with your comment."),
    "accept": _("The report has been accepted."),
    "reopen": _("The report has been reopened."),
}


def _transition(request, action: str):
    ctx = request.context
    comments = CommentForm(request.POST, request=request)
    if not comments.validate():
        flash(request, comments.refusal(), "error")
        return HTTPFound(location=_report_url(request))
    comment = comments.text
    submission = ctx.submission
    form = services.form_of(request.dbsession, request.registry, submission, ctx.form_key)
    if submission is None and action == "reopen":
        submission = services.create_submission(request.dbsession, form, ctx.space.id, ctx.period.id)
    if submission is None:
        flash(request, _("This report does not exist yet."), "error")
        return HTTPFound(location=_report_url(request))
    try:
        perform(
            request, WORKFLOW, submission, action, services.report_subject(ctx.space, form, ctx.period), comment=comment
        )
    except TransitionError as exc:
        flash(
            request,
            TRANSITION_REFUSED.get(exc.code, _("This action is not possible in the report's current state.")),
            "error",
        )
        return HTTPFound(location=_report_url(request))
    flash(request, DONE[action])
    return HTTPFound(location=after_review(request, _report_url(request)))


@view_config(
    route_name="reports.transition",
    permission=Permission.REPORT_REVIEW,
    request_method="POST",
    request_param="action=return",
)
def report_return(request):
    return _transition(request, "return")


@view_config(
    route_name="reports.transition",
    permission=Permission.REPORT_REVIEW,
    request_method="POST",
    request_param="action=accept",
)
def report_accept(request):
    return _transition(request, "accept")


@view_config(
    route_name="reports.transition",
    permission=Permission.REPORT_REOPEN,
    request_method="POST",
    request_param="action=reopen",
)
def report_reopen(request):
    return _transition(request, "reopen")
