from __future__ import annotations

from pyramid.httpexceptions import HTTPFound
from pyramid.view import view_config

from intranet.accounts import services as accounts
from intranet.audit.services import record
from intranet.duties import services as duty_services
from intranet.i18n import _, localized
from intranet.plans.services import current_plan
from intranet.reports import services as report_services
from intranet.reports.labels import TIMELINESS_LABELS
from intranet.reports.services.completeness import expected_report_rows
from intranet.resources import slug_path
from intranet.security import Permission
from intranet.spaces import services
from intranet.spaces.forms import SharingForm
from intranet.spaces.labels import CATEGORY_LABELS, ROLE_LABELS
from intranet.web import Page, flash

RECENT_LOGS = 10


@view_config(route_name="spaces.list", renderer="spaces/list.jinja2", permission=Permission.SPACES_LIST)
def spaces_list(request):
    spaces = services.visible_space_rows(request.dbsession, request.identity)
    # Each row as the page shows it, (link, title, the reader's role there), worked out here once
    # per page: the role's label translated once, one route for all the links.
    translate = request.localizer.translate
    role_labels = {role: translate(label) for role, label in ROLE_LABELS.items()}
    roles = request.identity.roles
    path = slug_path(request.route_path("spaces.home", slug=""))
    groups = [
        (
            category,
            [
                (path(s.slug), localized(s, "title"), role_labels.get(roles.get(s.id)))
                for s in spaces
                if s.category == category
            ],
        )
        for category in ("agency", "commune")
    ]
    return {"groups": [(CATEGORY_LABELS[c], items) for c, items in groups if items]}


@view_config(route_name="spaces.home", renderer="spaces/home.jinja2", permission=Permission.SPACE_VIEW)
def space_home(request):
    space = request.context.space
    plan = current_plan(request.dbsession)
    duties = duty_services.duties_for(request, space)
    progress = duty_services.progress_matrix(request.dbsession, plan.id, [space.id]) if plan else {}
    logs, total = duty_services.logs_page(request.dbsession, space.id, page=1, size=RECENT_LOGS)
    reports = expected_report_rows(
        request.dbsession, request.registry, [space], report_services.periods(request.dbsession)
    )
    translate = request.localizer.translate
    return {
        "reports": reports,
        "state_labels": {state: translate(label) for state, label in report_services.STATE_LABELS.items()},
        "timeliness_labels": TIMELINESS_LABELS,
        "space": space,
        "plan": plan,
        "members": services.members(request.dbsession, space),
        "duties": duties,
        "duty_index": {d.key: d for d in duties},
        "progress": {key: p for (sid, key), p in progress.items()},
        "logs": Page(logs, 1, RECENT_LOGS, total),
        "role_labels": {role: translate(label) for role, label in ROLE_LABELS.items()},
        "category_labels": CATEGORY_LABELS,
        "progress_labels": duty_services.PROGRESS_LABELS,
        "can_log": request.has_permission(Permission.DUTY_LOG_ADD),
        "can_share": request.has_permission(Permission.SPACE_SHARE),
        "can_edit_any": request.has_permission(Permission.DUTY_LOG_EDIT),
        "my_id": request.identity.id,
    }


@view_config(
    route_name="spaces.sharing",
    renderer="spaces/sharing.jinja2",
    permission=Permission.SPACE_SHARE,
    request_method=("GET", "POST"),
)
def sharing(request):
    space = request.context.space
    form = SharingForm(request=request)
    if request.method == "POST" and request.POST.get("action") == "settings":
        before = space.officers_may_submit
        space.officers_may_submit = request.POST.get("officers_may_submit") == "1"
        record(
            request,
            "space.settings",
            "space",
            space.id,
            space_id=space.id,
            detail={"officers_may_submit": [before, space.officers_may_submit]},
        )
        flash(request, _("The settings of the unit have been saved."))
        return HTTPFound(location=request.route_path("spaces.sharing", slug=space.slug))
    if request.method == "POST":
        form = SharingForm(request.POST, dbsession=request.dbsession, request=request)
        if form.validate():
            user = form.user
            before, after = services.set_role(
                request.dbsession, space, user, form.new_role(), protects_children=form.protects_children.data
            )
            record(
                request,
                "membership.change",
                "membership",
                user.id,
                space_id=space.id,
                detail={
                    "user": user.login,
                    "before": before.role,
                    "after": after.role,
                    "protects_children": [before.protects_children, after.protects_children],
                },
            )
            flash(request, _("The roles of ${name} have been updated.", mapping={"name": user.full_name}))
            return HTTPFound(location=request.route_path("spaces.sharing", slug=space.slug))
        request.response.status_int = 400
    users = accounts.active_users(request.dbsession)
    return {
        "space": space,
        "members": services.members(request.dbsession, space),
        "users": users,
        "role_labels": ROLE_LABELS,
        "form": form,
    }
