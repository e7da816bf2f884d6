"""Security: the policy, deny-by-default, CSRF and the HTTP security headers."""

from __future__ import annotations

from intranet.security.network import parse_trusted_proxies
from intranet.security.permissions import Permission

__all__ = ["Permission", "includeme", "EXPLICIT_PERMISSION_REQUIRED"]

#: The default permission of every view: granted to nobody, so a view must name its own.
EXPLICIT_PERMISSION_REQUIRED = "intranet:explicit-permission-required"

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; object-src 'none'"
)


def security_headers_tween_factory(handler, registry):
    def tween(request):
        response = handler(request)
        h = response.headers
        if not request.path.startswith("/_debug_toolbar"):
            h.setdefault("Content-Security-Policy", CSP)
        h.setdefault("X-Content-Type-Options", "nosniff")
        h.setdefault("Referrer-Policy", "same-origin")
        h.setdefault("X-Frame-Options", "DENY")
        if (response.content_type or "").startswith("text/html") or request.path.startswith("/api/"):
            # Pages and API answers may hold data about children: never keep them in any cache.
            h.setdefault("Cache-Control", "no-store")
        return response

    return tween


def includeme(config):
    # The session, the identity read from it (or from a bearer token), the CSRF rule and
    # ``request.can``. Included, not imported: the policy reads the accounts' and spaces' models,
    # and the models import this package's permissions, so loading this module must not load them.
    config.include(".policy")
    settings = config.get_settings()
    config.registry["intranet.trusted_proxies"] = parse_trusted_proxies(settings["intranet.trusted_proxies"])
    # Deny by default: a view that forgets its permission is closed, not open.
    config.set_default_permission(EXPLICIT_PERMISSION_REQUIRED)
    config.add_tween("intranet.security.security_headers_tween_factory")
