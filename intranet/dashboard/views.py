from __future__ import annotations

import datetime as dt

from pyramid.httpexceptions import HTTPFound
from pyramid.security import NO_PERMISSION_REQUIRED
from pyramid.settings import asbool
from pyramid.view import view_config

from intranet.district.services import review_queue
from intranet.duties import services as duty_services
from intranet.i18n import LOCALE_COOKIE, LOCALES, _, local_today
from intranet.plans import services as plan_services
from intranet.plans.services import current_plan
from intranet.resources import Root
from intranet.security import Permission
from intranet.security.roles import SEE_ALL_ROLES, Role
from intranet.spaces import services as space_services
from intranet.spaces.labels import ROLE_LABELS
from intranet.web import safe_next

STAFFING_LABELS = {
    "no_member": _("has no member"),
    "no_submitter": _("has no head and no one who may submit"),
    "no_head": _("has no head (officers submit)"),
}


def deadlines(plan, today: dt.date):
    """The plan's reporting deadlines with the days left (negative once passed)."""
    if plan is None:
        return []
    return [
        {"kind": kind, "date": date, "days": (date - today).days}
        for kind, date in (("half_year", plan.half_year_due), ("year", plan.year_due))
    ]


@view_config(route_name="dashboard", renderer="dashboard/home.jinja2", permission=Permission.DASHBOARD_VIEW)
def dashboard(request):
    identity = request.identity
    plan = current_plan(request.dbsession)
    mine = [s for s in space_services.visible_spaces(request.dbsession, identity) if s.id in identity.space_ids]
    progress = duty_services.progress_matrix(request.dbsession, plan.id, [s.id for s in mine]) if plan else {}
    rows = []
    for space in mine:
        duties = duty_services.duties_for(request, space)
        done = sum(1 for d in duties if (p := progress.get((space.id, d.key))) and p.progress == "done")
        started = sum(1 for d in duties if (space.id, d.key) in progress)
        rows.append(
            {
                "space": space,
                "role": identity.role_in(space.id),
                "duties": len(duties),
                "done": done,
                "not_started": len(duties) - started,
            }
        )
    from intranet.notifications.services import unread_count
    from intranet.reports import services as report_services

    periods = report_services.periods(request.dbsession)
    owed = [
        item
        for item in report_services.expected_reports(request.dbsession, request.registry, mine, periods)
        if item.state not in ("submitted", "accepted") and not report_services.is_locked(item.period, item.submission)
    ]
    reasons = report_services.return_reasons(
        request.dbsession, [i.submission.id for i in owed if i.submission and i.submission.state == "returned"]
    )
    can = request.has_permission
    reviewer = bool(can(Permission.DISTRICT_REVIEW, Root(request)))
    queue = review_queue(request.dbsession, request.registry) if reviewer else []
    overdue = []
    everyone = (
        space_services.visible_spaces(request.dbsession, identity)
        if reviewer or identity.global_role in (Role.ADMIN, Role.PROVINCE)
        else []
    )
    if reviewer:
        # The same bucket as the completeness line: not sent, not returned, and past the due date.
        overdue = [
            item
            for item in report_services.expected_reports(request.dbsession, request.registry, everyone, periods)
            if item.standing == "overdue"
        ]
    summary = []
    if identity.global_role == Role.PROVINCE:
        # The provincial viewer reads the district as a whole: where each period's reports stand.
        items = report_services.expected_reports(request.dbsession, request.registry, everyone, periods)
        for period in periods:
            _per_space, total = report_services.completeness([i for i in items if i.period.id == period.id])
            summary.append((period, total))
    staffing = (
        [s for s in space_services.staffing(request.dbsession, everyone) if s.problem]
        if reviewer or identity.global_role == Role.ADMIN
        else []
    )
    return {
        "owed": owed,
        "reasons": reasons,
        "returned_plans": plan_services.returned_plans(request.dbsession, [s.id for s in mine]),
        "queue": queue,
        "overdue": overdue,
        "staffing": staffing,
        "staffing_labels": STAFFING_LABELS,
        "summary": summary,
        "slugs": {s.id: s.slug for s in mine},
        "unread": unread_count(request.dbsession, identity.id),
        "state_labels": report_services.STATE_LABELS,
        "rows": rows,
        "plan": plan,
        "deadlines": deadlines(plan, local_today()),
        "role_labels": ROLE_LABELS,
        "sees_all": identity.global_role in SEE_ALL_ROLES,
    }


@view_config(route_name="locale", permission=NO_PERMISSION_REQUIRED, request_method="GET")
def set_locale(request):
    code = request.matchdict["code"]
    target = safe_next(request, request.params.get("next"), request.route_path("dashboard"))
    response = HTTPFound(location=target)
    if code in LOCALES:
        response.set_cookie(
            LOCALE_COOKIE,
            code,
            max_age=365 * 86400,
            samesite="Lax",
            httponly=True,
            secure=asbool(request.registry.settings.get("intranet.secure_cookies")),
        )
    return response
