from __future__ import annotations

from urllib.parse import quote

from pyramid.httpexceptions import HTTPNotFound
from pyramid.response import Response
from pyramid.view import view_config

from intranet.audit.services import record
from intranet.documents.models import Blob
from intranet.documents.services import blob_data
from intranet.duties import services as duty_services
from intranet.numbers import parse_id
from intranet.security import Permission


@view_config(route_name="documents.evidence", permission=Permission.SPACE_VIEW, request_method="GET")
def evidence(request):
    """Serve an evidence file to someone who may read its space (the route's context)."""
    log = request.context.log
    evidence_id = parse_id(request.matchdict["evidence_id"])
    if evidence_id is None:
        raise HTTPNotFound()
    ev = duty_services.evidence_of(request.dbsession, log.id, evidence_id)
    if ev is None:
        raise HTTPNotFound()

    blob = request.dbsession.get(Blob, ev.blob_sha256)
    data = blob_data(request.dbsession, ev.blob_sha256)
    record(request, "evidence.download", "evidence", ev.id, space_id=log.space_id)
    response = Response(body=data, content_type=blob.content_type)
    response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(ev.filename)}"
    response.headers["Cache-Control"] = "private, no-store"
    return response
