from pyramid.response import Response
from pyramid.security import NO_PERMISSION_REQUIRED
from pyramid.view import view_config
from sqlalchemy import text


@view_config(route_name="health", permission=NO_PERMISSION_REQUIRED, request_method="GET")
def healthz(request):
    try:
        request.dbsession.execute(text("SELECT 1"))
    except Exception:  # the database does not answer: tell the load balancer, not the user
        return Response("database unavailable\n", status=503, content_type="text/plain")
    return Response("ok\n", content_type="text/plain")
