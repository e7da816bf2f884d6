from __future__ import annotations

from pyramid.httpexceptions import HTTPFound, HTTPUnauthorized
from pyramid.security import NO_PERMISSION_REQUIRED, forget, remember
from pyramid.view import forbidden_view_config, view_config

from intranet.accounts import services
from intranet.accounts.forms import LoginForm, PasswordChangeForm
from intranet.accounts.models import User
from intranet.audit.services import record
from intranet.i18n import _
from intranet.models import short_transaction
from intranet.models.meta import utcnow
from intranet.security import Permission
from intranet.security.network import client_ip
from intranet.web import flash, safe_next


@view_config(
    route_name="accounts.login",
    renderer="accounts/login.jinja2",
    permission=NO_PERMISSION_REQUIRED,
    request_method=("GET", "POST"),
)
def login(request):
    came_from = safe_next(request, request.params.get("came_from"))
    if request.method != "POST":  # GET, and HEAD (which Pyramid serves with the GET view)
        if request.identity is not None:
            return HTTPFound(location=came_from)
        return {"form": LoginForm(request=request), "came_from": came_from, "error": None}
    # Nothing may touch request.dbsession before the password is checked: on SQLite its
    # transaction would hold the write lock across the hash (see short_transaction).
    form = LoginForm(request.POST, request=request)
    if not form.validate():
        # A field left empty (or a login longer than any) is no attempt: nothing is counted.
        request.response.status_int = 400
        return {"form": form, "came_from": came_from, "error": None}
    login_name, password = form.login.data, form.password.data
    rules = services.login_rules(request.registry.settings, login_name, client_ip(request))
    with short_transaction(request) as db:
        wait_until = services.reserve_attempt(db, rules)
        creds = services.credentials(db, login_name) if wait_until is None else None
    if wait_until is not None:
        error = _(
            "Too many failed attempts. Please wait ${minutes} minutes and try again.",
            mapping={"minutes": services.wait_minutes(wait_until)},
        )
    elif services.password_matches(creds, password):
        new_hash = services.upgraded_hash(creds, password)
        user = request.dbsession.get(User, creds.user_id)
        if new_hash:
            user.password_hash = new_hash
        services.attempt_succeeded(request.dbsession, rules)
        user.last_login_at = utcnow()
        headers = remember(request, user.id)
        record(request, "login", "user", user.id, user_id=user.id)
        return HTTPFound(location=came_from, headers=headers)
    else:
        # What was typed in the login field may be a password typed in the wrong box: the
        # trail names the account when there is one, and never keeps an unknown login's text.
        record(
            request,
            "login.failed",
            "user",
            creds.user_id,
            detail={} if creds.user_id else {"login_length": len(login_name)},
        )
        error = _("Wrong login name or password.")
    return {"form": form, "came_from": came_from, "error": error}


@view_config(route_name="accounts.logout", request_method="POST", permission=NO_PERMISSION_REQUIRED)
def logout(request):
    if request.identity is not None:
        record(request, "logout", "user", request.identity.id)
    headers = forget(request)
    return HTTPFound(location=request.route_path("accounts.login"), headers=headers)


@view_config(
    route_name="accounts.password",
    renderer="accounts/password.jinja2",
    permission=Permission.ACCOUNT_SELF,
    request_method=("GET", "POST"),
)
def change_password(request):
    form = PasswordChangeForm(request.POST if request.method == "POST" else None, request=request)
    if request.method == "POST":
        user = request.identity.user
        form.validate()
        # The request's transaction is already open here (the permission check read the user),
        # so the throttle counts in it; the page is used rarely, and the count bounds how often.
        rules = services.password_rules(request.registry.settings, user.id)
        wait_until = services.reserve_attempt(request.dbsession, rules)
        if wait_until is not None:
            form.add_error(
                "current",
                _(
                    "Too many failed attempts. Please wait ${minutes} minutes and try again.",
                    mapping={"minutes": services.wait_minutes(wait_until)},
                ),
            )
        elif not services.verify_password(form.current.data, user.password_hash):
            form.add_error("current", _("The current password is wrong."))
            record(request, "password.failed", "user", user.id)
        else:
            services.attempt_succeeded(request.dbsession, rules)
        if not form.has_errors:
            services.set_password(user, form.new.data)
            record(request, "password.change", "user", user.id)
            # Other sessions end (the epoch moved); this one continues with the new epoch.
            headers = remember(request, user.id)
            flash(request, _("Your password has been changed. Other sessions have been signed out."))
            return HTTPFound(location=request.route_path("dashboard"), headers=headers)
        request.response.status_int = 400
    return {"form": form}


@forbidden_view_config(renderer="errors/403.jinja2")
def forbidden(request):
    if request.path.startswith("/api/"):
        if request.identity is None:
            return HTTPUnauthorized(
                json_body={"error": "authentication required"}, headers={"WWW-Authenticate": 'Session realm="intranet"'}
            )
        request.response.status_int = 403
        request.override_renderer = "json"
        return {"error": "forbidden"}
    if request.identity is None:
        query = {"came_from": request.path_qs} if request.method == "GET" else {}
        return HTTPFound(location=request.route_path("accounts.login", _query=query))
    request.response.status_int = 403
    return {}
