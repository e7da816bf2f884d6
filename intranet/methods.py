"""HTTP methods: a method an address does not serve is answered 405 Method Not Allowed, with the
``Allow`` header listing the ones it does (RFC 9110, section 15.5.6), instead of 404.

The methods come from the views themselves, read once when the application starts: each route
serves the union of the ``request_method`` of its views (HEAD wherever GET is served). A route
with a view that names no method (the static files) serves every method some view of the
application serves; so does an address no route matches, which the not-found view then answers
as before. TRACE, OPTIONS, PATCH, DELETE, CONNECT and the WebDAV methods are served by no view:
they get 405 everywhere, before any session, database or CSRF machinery is touched.
"""

from __future__ import annotations

import json

from pyramid.interfaces import IRoutesMapper
from pyramid.response import Response
from pyramid.tweens import EXCVIEW, INGRESS

from intranet.i18n import _

MESSAGE = _("This address does not accept the ${method} method. It accepts: ${allowed}.")


def _declared(value) -> set[str]:
    if not value:
        return set()
    return {value} if isinstance(value, str) else set(value)


def served_methods(registry) -> tuple[frozenset[str], dict[str, frozenset[str] | None]]:
    """(every method some view serves, route name -> the methods its views serve or None for any)."""
    per_route: dict[str, set[str] | None] = {}
    everywhere: set[str] = set()
    for entry in registry.introspector.get_category("views") or ():
        view = entry["introspectable"]
        route = view["route_name"]
        methods = _declared(view["request_methods"])
        if "GET" in methods:
            methods.add("HEAD")
        everywhere |= methods
        if not route:
            continue
        if not methods:
            per_route[route] = None
        elif per_route.get(route, set()) is not None:
            per_route[route] = per_route.get(route, set()) | methods
    return frozenset(everywhere), {
        route: (None if methods is None else frozenset(methods)) for route, methods in per_route.items()
    }


def allowed_methods(request, everywhere, per_route) -> frozenset[str]:
    """The methods the request's address serves."""
    mapper = request.registry.queryUtility(IRoutesMapper)
    route = mapper(request)["route"] if mapper is not None else None
    if route is None:
        return everywhere
    methods = per_route.get(route.name)
    return everywhere if methods is None else methods


def method_not_allowed(request, allowed) -> Response:
    allow = ", ".join(sorted(allowed))
    message = request.localizer.translate(_(MESSAGE, mapping={"method": request.method, "allowed": allow}))
    if request.path.startswith("/api/"):
        body = json.dumps(
            {"error": "method_not_allowed", "message": message, "allowed": sorted(allowed)}, ensure_ascii=False
        )
        response = Response(body=body.encode("utf-8"), content_type="application/json", charset="utf-8")
    else:
        response = Response(body=message.encode("utf-8"), content_type="text/plain", charset="utf-8")
    response.status_int = 405
    response.headers["Allow"] = allow
    return response


def methods_tween_factory(handler, registry):
    everywhere, per_route = served_methods(registry)

    def tween(request):
        allowed = allowed_methods(request, everywhere, per_route)
        if request.method not in allowed:
            return method_not_allowed(request, allowed)
        return handler(request)

    return tween


def includeme(config):
    # Under the security headers (the answer carries them) and over pyramid_tm (no transaction,
    # no session is opened for a request that is refused anyway).
    config.add_tween(
        "intranet.methods.methods_tween_factory",
        under=("intranet.security.security_headers_tween_factory", INGRESS),
        over=("pyramid_tm.tm_tween_factory", EXCVIEW),
    )
