from __future__ import annotations

from pyramid.httpexceptions import HTTPFound, HTTPUnauthorized
from pyramid.security import NO_PERMISSION_REQUIRED, forget, remember
from pyramid.view import forbidden_view_config, view_config

from intranet.accounts import services
from intranet.audit.services import record
from intranet.i18n import _
from intranet.models.meta import utcnow
from intranet.security import Permission
from intranet.web import flash, safe_next


@view_config(route_name="accounts.login", renderer="accounts/login.jinja2",
             permission=NO_PERMISSION_REQUIRED, request_method=("GET", "POST"))
def login(request):
    came_from = safe_next(request, request.params.get("came_from"))
    if request.identity is not None and request.method == "GET":
        return HTTPFound(location=came_from)
    login_name = request.POST.get("login", "").strip()[:64]
    error = None
    if request.method == "POST":
        settings = request.registry.settings
        key = services.throttle_key(login_name)
        lock = services.locked_until(request.dbsession, key)
        if lock is not None:
            error = _("Too many failed attempts. Please wait ${minutes} minutes and try again.",
                      mapping={"minutes": max(1, int((lock - utcnow()).total_seconds() // 60) + 1)})
        else:
            user = services.authenticate(request.dbsession, login_name, request.POST.get("password", ""))
            if user is None:
                services.register_failure(
                    request.dbsession, key,
                    max_failures=int(settings["intranet.login_max_failures"]),
                    lock_seconds=int(settings["intranet.login_lock_seconds"]),
                )
                record(request, "login.failed", "user", None, detail={"login": login_name})
                error = _("Wrong login name or password.")
            else:
                services.clear_failures(request.dbsession, key)
                user.last_login_at = utcnow()
                headers = remember(request, user.id)
                record(request, "login", "user", user.id, user_id=user.id)
                return HTTPFound(location=came_from, headers=headers)
        request.response.status_int = 200
    return {"login": login_name, "came_from": came_from, "error": error}


@view_config(route_name="accounts.logout", request_method="POST", permission=NO_PERMISSION_REQUIRED)
def logout(request):
    if request.identity is not None:
        record(request, "logout", "user", request.identity.id)
    headers = forget(request)
    return HTTPFound(location=request.route_path("accounts.login"), headers=headers)


@view_config(route_name="accounts.password", renderer="accounts/password.jinja2",
             permission=Permission.ACCOUNT_SELF, request_method=("GET", "POST"))
def change_password(request):
    errors = {}
    if request.method == "POST":
        user = request.identity.user
        current = request.POST.get("current", "")
        new = request.POST.get("new", "")
        if not services.verify_password(current, user.password_hash):
            errors["current"] = _("The current password is wrong.")
        problem = services.password_problem(new, request.POST.get("confirm", ""))
        if problem:
            errors["new"] = problem
        if not errors:
            services.set_password(user, new)
            record(request, "password.change", "user", user.id)
            # Other sessions end (the epoch moved); this one continues with the new epoch.
            headers = remember(request, user.id)
            flash(request, _("Your password has been changed. Other sessions have been signed out."))
            return HTTPFound(location=request.route_path("dashboard"), headers=headers)
    return {"errors": errors}


@forbidden_view_config(renderer="errors/403.jinja2")
def forbidden(request):
    if request.path.startswith("/api/"):
        if request.identity is None:
            return HTTPUnauthorized(json_body={"error": "authentication required"},
                                    headers={"WWW-Authenticate": 'Session realm="intranet"'})
        request.response.status_int = 403
        request.override_renderer = "json"
        return {"error": "forbidden"}
    if request.identity is None:
        query = {"came_from": request.path_qs} if request.method == "GET" else {}
        return HTTPFound(location=request.route_path("accounts.login", _query=query))
    request.response.status_int = 403
    return {}
