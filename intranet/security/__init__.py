"""Security: the policy, deny-by-default, CSRF and the HTTP security headers."""

from __future__ import annotations

from pyramid.session import JSONSerializer, SignedCookieSessionFactory
from pyramid.settings import asbool

from intranet.security.network import parse_trusted_proxies
from intranet.security.permissions import Permission
from intranet.security.policy import SESSION_COOKIE, SecurityPolicy, csrf_required

__all__ = ["Permission", "SecurityPolicy", "includeme", "EXPLICIT_PERMISSION_REQUIRED"]

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
    settings = config.get_settings()
    secure = asbool(settings.get("intranet.secure_cookies"))
    session_factory = SignedCookieSessionFactory(
        settings["intranet.secret"],
        cookie_name=SESSION_COOKIE,
        secure=secure,
        httponly=True,
        samesite="Lax",
        timeout=int(settings["intranet.session_idle_seconds"]),
        reissue_time=300,
        serializer=JSONSerializer(),
    )
    config.set_session_factory(session_factory)
    config.registry["intranet.trusted_proxies"] = parse_trusted_proxies(settings["intranet.trusted_proxies"])
    config.set_security_policy(SecurityPolicy())
    # Deny by default: a view that forgets its permission is closed, not open.
    config.set_default_permission(EXPLICIT_PERMISSION_REQUIRED)
    # Unsafe methods need the session's CSRF token (form field or X-CSRF-Token header), except
    # API calls authenticated by a bearer token alone, which a browser cannot forge.
    config.set_default_csrf_options(require_csrf=True, callback=csrf_required)
    config.add_tween("intranet.security.security_headers_tween_factory")
    config.add_request_method(can, "can")


def can(request, permission) -> bool:
    """Whether the user holds ``permission`` at the root (for menus and links)."""
    from intranet.resources import Root

    return bool(request.has_permission(permission, Root(request)))
