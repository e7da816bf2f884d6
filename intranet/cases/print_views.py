"""The forms of a case to print and as PDF: ``/spaces/<commune>/cases/<number>/forms/<form>`` (a
printable page) and ``…/forms/<form>.pdf``; ``<form>`` is the decree's number of the form, "01" to
"06" (:data:`intranet.cases.printing.FORMS`), anything else is not found.

The case's route factory lets through only the case team (404 for everyone else) and marks every
answer ``no-store``. Each print and each export leaves an audit line under the case's number, so
that the case's access log shows it; its detail holds the form's code and the format, nothing the
case says. The file is named after the case's number and the form, never after the child.
"""

from __future__ import annotations

from pyramid.httpexceptions import HTTPNotFound
from pyramid.response import Response
from pyramid.view import view_config

from intranet.audit.services import record
from intranet.cases import printing
from intranet.reports.exports import Lang
from intranet.security import Permission


def _document(request) -> printing.Document:
    code = request.matchdict["form"]
    if code not in printing.FORMS:
        raise HTTPNotFound()
    ctx = request.context
    data = printing.read(request.dbsession, request.registry, ctx.case)
    return printing.document(Lang.of(request), ctx.space, data, code)


@view_config(
    route_name="cases.form",
    renderer="cases/print_form.jinja2",
    permission=Permission.CASE_VIEW,
    request_method="GET",
)
def form_print(request):
    """One form of the case as a printable page."""
    doc = _document(request)
    case = request.context.case
    record(request, "case.print", "case", case.number, space_id=case.space_id, detail={"form": doc.spec.code})
    return {"space": request.context.space, **printing.page_context(doc)}


@view_config(route_name="cases.form_pdf", permission=Permission.CASE_VIEW, request_method="GET")
def form_export(request):
    """One form of the case as a PDF file."""
    doc = _document(request)
    body = printing.form_pdf(request, doc)
    case = request.context.case
    record(
        request,
        "case.export",
        "case",
        case.number,
        space_id=case.space_id,
        detail={"form": doc.spec.code, "format": "pdf"},
    )
    response = Response(body=body, content_type="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{doc.filename()}"'
    return response
