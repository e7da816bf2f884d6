"""Error pages in the user's language instead of the server's defaults."""
from pyramid.exceptions import BadCSRFToken
from pyramid.view import exception_view_config, notfound_view_config


@notfound_view_config(renderer="errors/404.jinja2", append_slash=True)
def not_found(request):
    request.response.status_int = 404
    if request.path.startswith("/api/"):
        request.override_renderer = "json"
        return {"error": "not found"}
    return {}


@exception_view_config(BadCSRFToken, renderer="errors/400.jinja2")
def bad_csrf(request):
    request.response.status_int = 400
    if request.path.startswith("/api/"):
        request.override_renderer = "json"
        return {"error": "missing or invalid CSRF token"}
    return {}
