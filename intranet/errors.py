"""Error pages in the user's language instead of the server's defaults."""

from pyramid.exceptions import BadCSRFToken
from pyramid.httpexceptions import HTTPFound
from pyramid.view import exception_view_config, notfound_view_config


@notfound_view_config(renderer="errors/404.jinja2", append_slash=True)
def not_found(request):
    if request.path.startswith("/api/"):
        request.response.status_int = 404
        request.override_renderer = "json"
        return {"error": "not found"}
    if request.identity is None and not request.path.startswith("/static/"):
        # A stranger is sent to sign in whether or not the unit, log or plan exists (as for
        # one that exists: see the forbidden view), so that names and ids cannot be probed.
        query = {"came_from": request.path_qs} if request.method == "GET" else {}
        return HTTPFound(location=request.route_path("accounts.login", _query=query))
    request.response.status_int = 404
    return {}


@exception_view_config(BadCSRFToken, renderer="errors/400.jinja2")
def bad_csrf(request):
    request.response.status_int = 400
    if request.path.startswith("/api/"):
        request.override_renderer = "json"
        return {"error": "missing or invalid CSRF token"}
    return {}
