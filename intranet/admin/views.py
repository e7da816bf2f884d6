from __future__ import annotations

from pyramid.httpexceptions import HTTPFound, HTTPNotFound
from pyramid.view import view_config

from intranet.accounts import services as accounts
from intranet.accounts.models import User
from intranet.admin.forms import GLOBAL_ROLE_LABELS, AuditFilterForm, UserForm
from intranet.audit import services as audit
from intranet.audit.labels import USER_OBJECTS, labeller
from intranet.host import get_registry
from intranet.i18n import _
from intranet.numbers import parse_id
from intranet.security import Permission
from intranet.spaces import services as space_services
from intranet.spaces.labels import ROLE_LABELS
from intranet.web import Page, flash, page_number

USERS_PER_PAGE = 30
MAX_SEARCH_LENGTH = 100


@view_config(route_name="admin.users", renderer="admin/users.jinja2", permission=Permission.ADMIN_USERS)
def users(request):
    # A login or a name is short; a longer "search" is not one, and SQLite refuses huge patterns.
    term = request.params.get("q", "").strip()[:MAX_SEARCH_LENGTH]
    number = page_number(request)
    items, total = accounts.users_page(request.dbsession, term, page=number, size=USERS_PER_PAGE)
    return {
        "page": Page(items, number, USERS_PER_PAGE, total),
        "q": term,
        "global_role_labels": GLOBAL_ROLE_LABELS,
        "role_labels": ROLE_LABELS,
    }


@view_config(
    route_name="admin.user_new",
    renderer="admin/user_form.jinja2",
    permission=Permission.ADMIN_USERS,
    request_method=("GET", "POST"),
)
def user_new(request):
    form = UserForm(
        request.POST if request.method == "POST" else None, new=True, dbsession=request.dbsession, request=request
    )
    if request.method == "POST":
        if form.validate():
            user = User(
                login=form.login.data,
                full_name=form.full_name.data,
                email=form.email.data or None,
                global_role=form.global_role.data or None,
                password_hash=accounts.hash_password(form.password.data),
            )
            request.dbsession.add(user)
            request.dbsession.flush()
            audit.record(
                request, "user.create", "user", user.id, detail={"login": user.login, "global_role": user.global_role}
            )
            flash(request, _("The user ${login} has been created.", mapping={"login": user.login}))
            return HTTPFound(location=request.route_path("admin.user", user_id=user.id))
        request.response.status_int = 400
    return {
        "form": form,
        "user": None,
        "global_role_labels": GLOBAL_ROLE_LABELS,
        "memberships": [],
        "role_labels": ROLE_LABELS,
    }


@view_config(
    route_name="admin.user",
    renderer="admin/user_form.jinja2",
    permission=Permission.ADMIN_USERS,
    request_method=("GET", "POST"),
)
def user_edit(request):
    user_id = parse_id(request.matchdict["user_id"])
    if user_id is None:
        raise HTTPNotFound()
    user = accounts.user_for_update(request.dbsession, user_id)
    if user is None:
        raise HTTPNotFound()
    memberships = accounts.memberships_of(request.dbsession, user)
    stored = {"full_name": user.full_name, "email": user.email or "", "global_role": user.global_role or ""}
    form = UserForm(new=False, request=request, data=stored)
    if request.method == "POST":
        action = request.POST.get("action", "save")
        if action in ("disable", "enable"):
            if user.id == request.identity.id:
                flash(request, _("You cannot disable your own account."), "error")
            else:
                accounts.set_active(user, action == "enable")
                audit.record(request, f"user.{action}", "user", user.id, detail={"login": user.login})
                flash(
                    request,
                    _("The account has been disabled.") if action == "disable" else _("The account has been enabled."),
                )
            return HTTPFound(location=request.route_path("admin.user", user_id=user.id))
        form = UserForm(request.POST, new=False, dbsession=request.dbsession, request=request)
        if form.validate():
            before = {"full_name": user.full_name, "email": user.email, "global_role": user.global_role}
            user.full_name = form.full_name.data
            user.email = form.email.data or None
            user.global_role = form.global_role.data or None
            detail = {
                "before": before,
                "after": {"full_name": user.full_name, "email": user.email, "global_role": user.global_role},
            }
            if form.password.data:
                accounts.set_password(user, form.password.data)
                detail["password_reset"] = True
            audit.record(request, "user.update", "user", user.id, detail=detail)
            flash(request, _("The user ${login} has been saved.", mapping={"login": user.login}))
            return HTTPFound(location=request.route_path("admin.user", user_id=user.id))
        request.response.status_int = 400
    return {
        "form": form,
        "user": user,
        "global_role_labels": GLOBAL_ROLE_LABELS,
        "memberships": memberships,
        "role_labels": ROLE_LABELS,
    }


@view_config(route_name="admin.plugins", renderer="admin/plugins.jinja2", permission=Permission.ADMIN_PLUGINS)
def plugins(request):
    reg = get_registry(request.registry)
    disabled = [(key, *reg.installed[key]) for key in sorted(reg.installed) if key not in reg.plugins]
    return {"plugins": [reg.plugins[k] for k in sorted(reg.plugins)], "disabled": disabled}


@view_config(route_name="admin.audit", renderer="admin/audit.jinja2", permission=Permission.AUDIT_VIEW)
def audit_trail(request):
    form = AuditFilterForm(request.GET, request=request)
    if not form.validate():
        # Such a filter is left out of the search: say so rather than show the list as if it applied.
        request.response.status_int = 400
    login, slug = form.user.data, form.space.data
    date_from, date_to = form.date_from.data, form.date_to.data
    user_id = accounts.user_id_by_login(request.dbsession, login) if login else None
    space_id = space_services.space_id_by_slug(request.dbsession, slug) if slug else None
    number = page_number(request)
    size = 50
    if (login and user_id is None) or (slug and space_id is None):
        entries, total = [], 0
    else:
        entries, total = audit.search(
            request.dbsession,
            user_id=user_id,
            space_id=space_id,
            date_from=date_from,
            date_to=date_to,
            page=number,
            page_size=size,
        )
    spaces = space_services.space_choices(request.dbsession)
    return {
        "page": Page(entries, number, size, total),
        "form": form,
        "spaces": spaces,
        "targets": _targets(request, entries),
        "action_label": labeller(request)[0],
    }


def _targets(request, entries) -> dict[int, str]:
    """Entry id -> its object in words: "Người dùng: Nguyễn Văn An (an.nv)", "Báo cáo #12".

    The people named are looked up in one query for the whole page."""
    ids = {int(e.object_id) for e in entries if e.object_type in USER_OBJECTS and e.object_id and e.object_id.isdigit()}
    people = {
        uid: f"{name} ({login})" for uid, (name, login) in accounts.names_and_logins(request.dbsession, ids).items()
    }
    object_label = labeller(request)[1]
    targets = {}
    for e in entries:
        label = object_label(e.object_type)
        if not e.object_id:
            targets[e.id] = label
        elif e.object_type in USER_OBJECTS and e.object_id.isdigit() and int(e.object_id) in people:
            targets[e.id] = f"{label}: {people[int(e.object_id)]}"
        else:
            targets[e.id] = f"{label} #{e.object_id}" if e.object_id.isdigit() else f"{label} {e.object_id}"
    return targets
