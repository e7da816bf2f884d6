from __future__ import annotations

import datetime as dt

from pyramid.httpexceptions import HTTPFound
from pyramid.security import NO_PERMISSION_REQUIRED
from pyramid.settings import asbool
from pyramid.view import view_config

from intranet.cases import procedure as case_procedure
from intranet.district.services import review_queue_head
from intranet.duties import services as duty_services
from intranet.i18n import LOCALE_COOKIE, LOCALES, _, local_today
from intranet.notifications import services as notification_services
from intranet.plans import services as plan_services
from intranet.plans.services import current_plan
from intranet.reports import services as report_services
from intranet.reports.services.completeness import expected_report_rows, overdue_reports, submission_rows
from intranet.security import Permission
from intranet.security.roles import SEE_ALL_ROLES, Role
from intranet.spaces import services as space_services
from intranet.spaces.labels import ROLE_LABELS
from intranet.web import safe_next

#: How many units the home page lists under "overdue" and "cannot send" before "and N more".
SHOWN = 20
#: How many of the oldest documents waiting for review the home page lists.
QUEUE_SHOWN = 5

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
    db = request.dbsession
    translate = request.localizer.translate
    plan = current_plan(db)
    reviewer = request.can(Permission.DISTRICT_REVIEW)
    province = identity.global_role == Role.PROVINCE
    staffing, staffing_count = [], 0
    staffing_all = request.GET.get("staffing") == "all"
    shown_staffing = None if staffing_all else SHOWN
    # Every unit the reader may see, as rows: the overdue list and the district's summary read
    # them, and the reader's own units are among them (a member always sees the unit).
    if reviewer or identity.global_role == Role.ADMIN:
        # The reviewer and the administrator also see the units that cannot send their reports:
        # read with the units.
        units, staffing, staffing_count = space_services.visible_rows_and_staffing(db, identity, limit=shown_staffing)
        everyone = units if reviewer else None  # the administrator reviews no report
    elif province:
        everyone = space_services.visible_space_rows(db, identity)
    else:
        everyone = None
    # Who sees every unit reads the submissions of all of them without naming two hundred ids.
    sees_all = identity.global_role in SEE_ALL_ROLES
    if everyone is None:
        mine = space_services.member_space_rows(db, identity)
    else:
        mine = [s for s in everyone if s.id in identity.roles]
    progress = duty_services.progress_matrix(db, plan.id, [s.id for s in mine]) if plan else {}
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

    periods = report_services.periods(db)
    # Who reads every unit's reports (the overdue list, the district's summary) reads their
    # submissions once: the reader's own units are among them.
    found = submission_rows(db, everyone, periods, every_space=sees_all) if everyone is not None else None
    owed = [
        item
        for item in expected_report_rows(db, request.registry, mine, periods, found=found)
        if item.state not in ("submitted", "accepted") and not report_services.is_locked(item.period, item.submission)
    ]
    reasons = report_services.return_reasons(
        db, [i.submission.id for i in owed if i.submission and i.submission.state == "returned"]
    )
    queue, queue_count = review_queue_head(db, request.registry, limit=QUEUE_SHOWN) if reviewer else ([], 0)
    overdue, overdue_count = [], 0
    if reviewer:
        # The same bucket as the completeness line: not sent, not returned, and past the due date.
        overdue, overdue_count = overdue_reports(db, request.registry, everyone, periods, limit=SHOWN, found=found)
    summary = []
    if province:
        # The provincial viewer reads the district as a whole: where each period's reports stand.
        items = expected_report_rows(db, request.registry, everyone, periods, found=found)
        for period in periods:
            _per_space, total = report_services.completeness([i for i in items if i.period.id == period.id])
            summary.append((period, total))
    # The open deadlines of the cases the reader is on: all for the coordinator, the commune's for
    # its head, their own cases' for a child-protection officer.
    communes = [s.id for s in mine if s.category == "commune"]
    heads = [space_id for space_id in communes if identity.role_in(space_id) == "head"]
    board = None
    if reviewer:
        board = case_procedure.deadline_board(db, limit=SHOWN)
    elif heads:
        board = case_procedure.deadline_board(db, space_ids=heads, limit=SHOWN)
    elif any(m.protects_children for m in identity.memberships):
        board = case_procedure.deadline_board(db, member_id=identity.id, limit=SHOWN)
    return {
        "case_deadlines": board,
        "deadline_labels": case_procedure.DEADLINE_LABELS,
        "owed": owed,
        "reasons": reasons,
        # Only communes have plans of their own (an agency's plan URL is not found): an agency's
        # reader costs no query.
        "returned_plans": plan_services.returned_plans(db, communes),
        "queue": queue,
        "queue_count": queue_count,
        "overdue": overdue,
        "overdue_count": overdue_count,
        "staffing": staffing,
        "staffing_count": staffing_count,
        "staffing_all": staffing_all,
        "staffing_labels": {problem: translate(label) for problem, label in STAFFING_LABELS.items()},
        "summary": summary,
        "slugs": {s.id: s.slug for s in mine},
        "unread": notification_services.unread_count(db, identity.id),
        "state_labels": {state: translate(label) for state, label in report_services.STATE_LABELS.items()},
        "rows": rows,
        "plan": plan,
        "deadlines": deadlines(plan, local_today()),
        "role_labels": {role: translate(label) for role, label in ROLE_LABELS.items()},
        "sees_all": sees_all,
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
