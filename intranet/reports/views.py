from __future__ import annotations

from pyramid.httpexceptions import HTTPForbidden, HTTPFound
from pyramid.view import view_config

from intranet.audit.services import record
from intranet.i18n import _
from intranet.numbers import parse_plain
from intranet.reports import services
from intranet.security import Permission
from intranet.web import flash

TIMELINESS_LABELS = {"on_time": _("On time"), "late": _("Late"), "missing": _("Missing")}


def _labels():
    return {"state_labels": services.STATE_LABELS, "timeliness_labels": TIMELINESS_LABELS,
            "action_labels": services.ACTION_LABELS}


@view_config(route_name="reports.space", renderer="reports/space.jinja2", permission=Permission.REPORTS_LIST)
def space_reports(request):
    """What the unit owes, by period: each form, its due date and where it stands."""
    space = request.context.space
    items = services.expected_reports(request.dbsession, request.registry, [space],
                                      services.periods(request.dbsession))
    return {"space": space, "items": items, **_labels()}


def _page(request, form, entry, *, conflict=None):
    ctx = request.context
    submission = ctx.submission
    return {
        "space": ctx.space,
        "period": ctx.period,
        "form": form,
        "submission": submission,
        "entry": entry,
        "state": ctx.state,
        "locked": ctx.locked,
        "timeliness": services.timeliness(submission, ctx.period),
        "can_edit": bool(request.has_permission(Permission.REPORT_EDIT)),
        "can_submit": bool(request.has_permission(Permission.REPORT_SUBMIT)),
        "can_review": bool(request.has_permission(Permission.REPORT_REVIEW)),
        "can_reopen": bool(request.has_permission(Permission.REPORT_REOPEN)),
        "version": submission.version if submission else 0,
        "conflict": conflict,
        "field_name": services.field_name,
        **_labels(),
    }


@view_config(route_name="reports.edit", renderer="reports/edit.jinja2", permission=Permission.REPORT_VIEW,
             request_method="GET")
def report_view(request):
    ctx = request.context
    form = services.form_of(request.dbsession, request.registry, ctx.submission, ctx.form_key)
    return _page(request, form, services.entry_from_submission(form, ctx.submission))


def _save(request, *, submit: bool):
    ctx = request.context
    form = services.form_of(request.dbsession, request.registry, ctx.submission, ctx.form_key)
    entry = services.read_entry(form, request.POST)
    sent_version = parse_plain(request.POST.get("version", "0"))  # None (junk) is a conflict
    current_version = ctx.submission.version if ctx.submission else 0
    if sent_version != current_version:
        # Someone saved (or moved) this report since the form was opened: show both versions.
        request.response.status_int = 409
        saved = services.entry_from_submission(form, ctx.submission)
        return _page(request, form, entry, conflict=saved)
    if submit:
        services.check_for_submission(form, entry, english=request.locale_name == "en")
    if entry.errors:
        request.response.status_int = 400
        return _page(request, form, entry)

    submission = ctx.submission
    if submission is None:
        submission = services.create_submission(request.dbsession, form, ctx.space.id, ctx.period.id)
    before_state = submission.state
    services.store_entry(submission, form, entry)
    services.apply_transition(submission, "submit" if submit else "save", request.identity.id)
    request.dbsession.flush()
    record(request, "report.submit" if submit else "report.save", "submission", submission.id,
           space_id=ctx.space.id, detail={"form": form.key, "period": ctx.period.code,
                                          "from": before_state, "to": submission.state})
    flash(request, _("The report has been submitted to the district.") if submit
          else _("The report has been saved as a draft."))
    return HTTPFound(location=request.route_path("reports.edit", slug=ctx.space.slug, form=form.key,
                                                 period=ctx.period.code))


@view_config(route_name="reports.edit", renderer="reports/edit.jinja2", permission=Permission.REPORT_EDIT,
             request_method="POST")
def report_save(request):
    """Save the draft, or save and submit it (which needs the submit permission as well)."""
    submit = request.POST.get("action") == "submit"
    if submit and not request.has_permission(Permission.REPORT_SUBMIT):
        raise HTTPForbidden()
    return _save(request, submit=submit)


def _transition(request, action: str):
    ctx = request.context
    comment = request.POST.get("comment", "").strip()[:4000]
    submission = ctx.submission
    if submission is None and action == "reopen":
        form = services.form(request.registry, ctx.form_key)
        submission = services.create_submission(request.dbsession, form, ctx.space.id, ctx.period.id)
    if submission is None:
        flash(request, _("This report does not exist yet."), "error")
        return HTTPFound(location=request.route_path("reports.edit", slug=ctx.space.slug, form=ctx.form_key,
                                                     period=ctx.period.code))
    try:
        before = submission.state
        services.apply_transition(submission, action, request.identity.id, comment)
    except services.TransitionError as exc:
        flash(request, _("Please write a comment: it is required to return or reopen a report.")
              if str(exc) == "comment" else _("This action is not possible in the report's current state."),
              "error")
        return HTTPFound(location=request.route_path("reports.edit", slug=ctx.space.slug, form=ctx.form_key,
                                                     period=ctx.period.code))
    request.dbsession.flush()
    record(request, f"report.{action}", "submission", submission.id, space_id=ctx.space.id,
           detail={"form": ctx.form_key, "period": ctx.period.code, "from": before, "to": submission.state,
                   "comment": comment})
    flash(request, {"return": _("The report has been returned to the unit with your comment."),
                    "accept": _("The report has been accepted."),
                    "reopen": _("The report has been reopened.")}[action])
    return HTTPFound(location=request.route_path("reports.edit", slug=ctx.space.slug, form=ctx.form_key,
                                                 period=ctx.period.code))


@view_config(route_name="reports.transition", permission=Permission.REPORT_REVIEW, request_method="POST",
             request_param="action=return")
def report_return(request):
    return _transition(request, "return")


@view_config(route_name="reports.transition", permission=Permission.REPORT_REVIEW, request_method="POST",
             request_param="action=accept")
def report_accept(request):
    return _transition(request, "accept")


@view_config(route_name="reports.transition", permission=Permission.REPORT_REOPEN, request_method="POST",
             request_param="action=reopen")
def report_reopen(request):
    return _transition(request, "reopen")


