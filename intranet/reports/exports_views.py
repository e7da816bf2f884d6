"""Downloads of the consolidated report and of one unit's report: Excel, CSV, PDF.

An export is a sensitive read: each one leaves an audit line, and none is kept by a cache.
A file can be sent anywhere (the coordinator's is what goes to the province): in every export,
whoever makes it, the counts of children from 1 to 4 show as "< 5", with the counts hidden to
protect them (``intranet.reports.outbound``), and a line says so.
"""

from __future__ import annotations

from pyramid.httpexceptions import HTTPNotFound
from pyramid.response import Response
from pyramid.view import view_config

from intranet.audit.services import record
from intranet.reports import exports, outbound, services
from intranet.security import Permission

FORMATS = ("xlsx", "csv", "pdf")


def _format(request) -> str:
    fmt = request.matchdict["fmt"]
    if fmt not in FORMATS:
        raise HTTPNotFound()
    return fmt


def _download(body: bytes, fmt: str, name: str) -> Response:
    response = Response(body=body, content_type=exports.CONTENT_TYPES[fmt], charset="utf-8" if fmt == "csv" else None)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@view_config(route_name="district.export", permission=Permission.DISTRICT_VIEW, request_method="GET")
def consolidated_export(request):
    """The consolidated report of a period as a file."""
    fmt = _format(request)
    period = services.period_by_code(request.dbsession, request.matchdict["period"])
    if period is None:
        raise HTTPNotFound()
    data = outbound.suppressed_consolidation(
        services.consolidation(request.dbsession, request.registry, period, indicators=fmt != "csv")
    )
    lang = exports.Lang.of(request)
    if fmt == "xlsx":
        body = exports.consolidated_xlsx(data, lang)
    elif fmt == "csv":
        body = exports.consolidated_csv(data, lang)
    else:
        body = exports.consolidated_pdf(request, data)
    record(request, "export.consolidated", "period", period.id, detail={"format": fmt, "period": period.code})
    return _download(body, fmt, exports.filename("bao-cao-tong-hop", period.code, ext=fmt))


@view_config(route_name="reports.export", permission=Permission.REPORT_VIEW, request_method="GET")
def report_export(request):
    """One unit's report as a file; there is nothing to export before the unit has saved it."""
    fmt = _format(request)
    ctx = request.context
    if ctx.submission is None:
        raise HTTPNotFound()
    form = services.form_of(request.dbsession, request.registry, ctx.submission, ctx.form_key)
    entry = services.entry_from_submission(form, ctx.submission)
    data = exports.ReportData(
        form=form,
        space=ctx.space,
        period=ctx.period,
        submission=ctx.submission,
        entry=entry,
        hidden=outbound.report_hidden(form, entry.values),
    )
    lang = exports.Lang.of(request)
    if fmt == "xlsx":
        body = exports.submission_xlsx(data, lang)
    elif fmt == "csv":
        body = exports.submission_csv(data, lang)
    else:
        body = exports.submission_pdf(request, data)
    record(
        request,
        "export.report",
        "submission",
        ctx.submission.id,
        space_id=ctx.space.id,
        detail={"format": fmt, "period": ctx.period.code, "form": ctx.form_key},
    )
    # The unit's own form is named after its kind ("xa.bao-cao"): the unit and period say enough.
    parts = (
        ("bao-cao", ctx.space.slug)
        if ctx.form_key == f"{ctx.space.kind}.bao-cao"
        else ("bao-cao", ctx.space.slug, ctx.form_key.replace(".", "-"))
    )
    return _download(body, fmt, exports.filename(*parts, ctx.period.code, ext=fmt))
