from __future__ import annotations

import datetime as dt

from pyramid.httpexceptions import HTTPFound
from pyramid.view import view_config

from intranet.audit.services import record
from intranet.documents.labels import UPLOAD_MESSAGES
from intranet.documents.services import UploadError, read_upload
from intranet.duties import services
from intranet.duties.forms import log_form, log_form_of
from intranet.duties.models import DutyLog
from intranet.i18n import _, local_today
from intranet.numbers import parse_id
from intranet.plans.services import current_plan
from intranet.security import Permission
from intranet.web import Page, flash, page_number


def _today() -> dt.date:
    return local_today()


def read_uploads(request, form, kept: int = 0):
    """Read every evidence file of the form: (uploads, error messages). When the log would hold
    more than its share of files (``kept`` are already attached), none is read: the error goes
    beside the field."""
    max_bytes = int(request.registry.settings["intranet.max_upload_bytes"])
    uploads, errors = [], []
    fields = [f for f in request.POST.getall("evidence") if hasattr(f, "file") and getattr(f, "filename", None)]
    if kept + len(fields) > services.MAX_EVIDENCE_FILES:
        form.add_error(
            "evidence",
            _(
                "A duty log holds at most ${n} evidence files; this one would have ${count}. Choose fewer files.",
                mapping={"n": services.MAX_EVIDENCE_FILES, "count": kept + len(fields)},
            ),
        )
        return uploads, errors
    for field in fields:
        try:
            uploads.append(read_upload(field, max_bytes))
        except UploadError as exc:
            msg = UPLOAD_MESSAGES[exc.code]
            errors.append(_(msg, mapping={"name": field.filename[:100]}))
    return uploads, errors


def _kept_evidence(request, log) -> int:
    """How many of the log's files stay attached after this correction."""
    removed = set(request.POST.getall("remove_evidence"))
    return sum(1 for ev in log.evidence if str(ev.id) not in removed)


def _form_page(request, space, spec, form, log=None, upload_errors=()):
    duties = services.duties_for(request, space)
    return {
        "space": space,
        "duties": duties,
        "spec": spec,
        "form": form,
        "log": log,
        "progress_labels": services.PROGRESS_LABELS,
        "upload_errors": list(upload_errors),
    }


@view_config(
    route_name="duties.log_add",
    renderer="duties/log_form.jinja2",
    permission=Permission.DUTY_LOG_ADD,
    request_method=("GET", "POST"),
)
def log_add(request):
    space = request.context.space
    key = request.params.get("duty", "")
    spec = services.duty(request, key)
    if spec is not None and spec not in services.duties_for(request, space):
        spec = None
    if request.method != "POST":  # GET, and HEAD (which Pyramid serves with the GET view)
        form = log_form(spec, request=request, data={"log_date": _today()})
        return _form_page(request, space, spec, form)

    form = log_form(spec, request.POST, request=request, today=_today())
    form.validate()
    uploads, upload_errors = read_uploads(request, form)
    plan = current_plan(request.dbsession)
    if plan is None:
        form.add_error("duty", _("No plan has been loaded yet."))
    if form.has_errors or upload_errors:
        request.response.status_int = 400
        return _form_page(request, space, spec, form, upload_errors=upload_errors)

    log = DutyLog(space_id=space.id, plan_id=plan.id, author_id=request.identity.id, values=[], evidence=[])
    services.apply_entry(log, **form.entry())
    services.attach_evidence(request.dbsession, log, uploads, request.identity.id)
    request.dbsession.add(log)
    request.dbsession.flush()
    record(request, "duty_log.create", "duty_log", log.id, space_id=space.id, detail={"after": services.snapshot(log)})
    flash(request, _("The duty log has been saved."))
    return HTTPFound(location=request.route_path("spaces.home", slug=space.slug))


@view_config(
    route_name="duties.log_edit",
    renderer="duties/log_form.jinja2",
    permission=Permission.DUTY_LOG_EDIT,
    request_method=("GET", "POST"),
)
def log_edit(request):
    space = request.context.__parent__.space
    if request.method != "POST":  # GET, and HEAD (which Pyramid serves with the GET view)
        log = services.load_log(request.dbsession, request.context.log.id)
        spec = services.duty(request, log.duty_key)
        return _form_page(request, space, spec, log_form_of(log, spec, request=request), log=log)

    log = services.load_log(request.dbsession, request.context.log.id, for_update=True)
    spec = services.duty(request, log.duty_key)
    form = log_form(spec, request.POST, request=request, today=_today())
    form.validate()
    uploads, upload_errors = read_uploads(request, form, kept=_kept_evidence(request, log))
    if form.version.data != log.version:  # None (junk, or no version at all) is a conflict too
        # Someone saved this log after the form was opened: show both, overwrite nothing.
        request.response.status_int = 409
        page = _form_page(request, space, spec, form, log=log, upload_errors=upload_errors)
        page["conflict"] = log_form_of(log, spec)
        return page
    if form.has_errors or upload_errors:
        request.response.status_int = 400
        return _form_page(request, space, spec, form, log=log, upload_errors=upload_errors)

    before = services.snapshot(log)
    remove_ids = {parse_id(x) for x in request.POST.getall("remove_evidence")} - {None}
    for ev in list(log.evidence):
        if ev.id in remove_ids:
            log.evidence.remove(ev)
    services.apply_entry(log, **form.entry())
    services.attach_evidence(request.dbsession, log, uploads, request.identity.id)
    request.dbsession.flush()
    record(
        request,
        "duty_log.update",
        "duty_log",
        log.id,
        space_id=space.id,
        detail={"before": before, "after": services.snapshot(log)},
    )
    flash(request, _("The duty log has been corrected."))
    return HTTPFound(location=request.route_path("spaces.home", slug=space.slug))


@view_config(route_name="duties.logs", renderer="duties/logs.jinja2", permission=Permission.SPACE_VIEW)
def logs(request):
    space = request.context.space
    size = int(request.registry.settings["intranet.page_size"])
    number = page_number(request)
    duty_key = request.params.get("duty") or None
    items, total = services.logs_page(request.dbsession, space.id, page=number, size=size, duty_key=duty_key)
    duties = {d.key: d for d in services.duties_for(request, space)}
    return {
        "space": space,
        "page": Page(items, number, size, total),
        "duties": duties,
        "duty_key": duty_key,
        "progress_labels": services.PROGRESS_LABELS,
    }
