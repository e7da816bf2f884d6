from __future__ import annotations

from pyramid.view import view_config
from sqlalchemy import func, select

from intranet.duties import services as duty_services
from intranet.duties.models import PROGRESS
from intranet.plans.services import current_plan
from intranet.security import Permission
from intranet.spaces.models import Space
from intranet.spaces.views import CATEGORY_LABELS
from intranet.web import Page, page_number

SPACES_PER_PAGE = 20


@view_config(route_name="district.duties", renderer="district/duties.jinja2",
             permission=Permission.DISTRICT_VIEW)
def district_duties(request):
    """Every space's duties with their progress and last log date, filterable and printable."""
    plan = current_plan(request.dbsession)
    category = request.params.get("category", "")
    status = request.params.get("status", "")
    slug = request.params.get("space", "")
    q = select(Space)
    if category in CATEGORY_LABELS:
        q = q.where(Space.category == category)
    if slug:
        q = q.where(Space.slug == slug)
    number = page_number(request)
    total = request.dbsession.scalar(select(func.count()).select_from(q.subquery()))
    spaces = request.dbsession.scalars(
        q.order_by(Space.category, Space.sort_order, Space.title)
        .limit(SPACES_PER_PAGE)
        .offset((number - 1) * SPACES_PER_PAGE)
    ).all()
    progress = duty_services.progress_matrix(request.dbsession, plan.id, [s.id for s in spaces]) if plan else {}
    rows = []
    totals = dict.fromkeys(PROGRESS, 0)
    for space in spaces:
        duty_rows = []
        for duty in duty_services.duties_for(request, space):
            p = progress.get((space.id, duty.key))
            state = p.progress if p else "not_started"
            totals[state] += 1
            if status and state != status:
                continue
            duty_rows.append({"duty": duty, "state": state, "last": p.last_date if p else None,
                              "count": p.count if p else 0})
        if duty_rows:
            rows.append({"space": space, "duties": duty_rows})
    all_spaces = request.dbsession.execute(
        select(Space.slug, Space.title, Space.title_en).order_by(Space.category, Space.sort_order, Space.title)
    ).all()
    return {
        "plan": plan,
        "rows": rows,
        "totals": totals,
        "page": Page(rows, number, SPACES_PER_PAGE, total),
        "category": category,
        "status": status,
        "slug": slug,
        "all_spaces": all_spaces,
        "category_labels": CATEGORY_LABELS,
        "progress_labels": duty_services.PROGRESS_LABELS,
    }
