"""The district plan of a year and the communes' plans: finding, listing and drafting them."""

from __future__ import annotations

import functools

from sqlalchemy import Integer, bindparam, select, union
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from intranet.accounts.models import User
from intranet.host import get_registry
from intranet.i18n import _
from intranet.plans.models import (
    SECTION_KEYS,
    CommunePlan,
    CommunePlanActivity,
    CommunePlanEvent,
    CommunePlanSection,
    CommunePlanTarget,
    Plan,
)
from intranet.reports.models import IndicatorTarget

#: The plan in force, read by most pages: built once.
_CURRENT_PLAN = select(Plan).order_by(Plan.year.desc()).limit(1)


def current_plan(dbsession) -> Plan | None:
    """The plan in force: the most recent year loaded."""
    return dbsession.scalars(_CURRENT_PLAN).one_or_none()


STATE_LABELS = {
    "draft": _("Draft"),
    "submitted": _("Submitted"),
    "returned": _("Returned"),
    "approved": _("Approved"),
    "none": _("No plan yet"),
}
ACTION_LABELS = {
    "create": _("Drafted"),
    "save": _("Saved"),
    "submit": _("Submitted"),
    "return": _("Returned"),
    "comment": _("Comment"),
    "approve": _("Approved"),
    "revise": _("New revision opened"),
    "copy": _("Copied from the previous year's plan"),
    "attach": _("Signed scan attached"),
}
SECTION_LABELS = {
    "situation": _("Situation of children in the commune"),
    "solutions": _("Solutions"),
    "organisation": _("Organisation of implementation"),
}
ACTIVITY_STATUS_LABELS = {
    "not_started": _("Not started"),
    "in_progress": _("In progress"),
    "done": _("Done"),
    "overdue": _("Overdue"),
}

# What a plan may hold is bounded by what its PDF can render in a few seconds: WeasyPrint costs
# 1 to 2 ms per line of text, and 200 activities of 2,000 characters took 40 s (bench/plan_pdf.py).
# At these limits the largest plan renders in about 3 s; real plans have 5 to 20 activities.
MAX_ACTIVITIES = 60
MAX_TEXT = 8000
#: Lines of one part: each is at least a line of the PDF, whatever its length.
MAX_LINES = 200
MAX_TITLE = 500
MAX_SHORT = 200
MAX_BUDGET = 10**13
#: Blank activity rows the form offers below the existing ones.
BLANK_ROWS = 3
#: Kinds of file a signed scan may be.
SCAN_KINDS = ("pdf", "jpeg", "png")


def plan_title(space, year: int) -> str:
    """ "Kế hoạch công tác bảo vệ, chăm sóc trẻ em năm 2017 của UBND xã Tân Cảnh" (Vietnamese data)."""
    return f"Kế hoạch công tác bảo vệ, chăm sóc trẻ em năm {year} của {space.title}"


@functools.cache
def _plan_query():
    """A plan with its three sections joined to its row (always three rows, whatever the plan
    holds): built once, as a statement is immutable."""
    return select(CommunePlan).options(joinedload(CommunePlan.sections))


@functools.cache
def _parts_queries():
    """A plan's targets, activities and events (each event's author with only the name the
    history and the return notice show), the plan's id bound as ``plan_id``: built once."""
    plan_id = bindparam("plan_id", type_=Integer)
    return (
        (
            "targets",
            select(CommunePlanTarget)
            .where(CommunePlanTarget.plan_id == plan_id)
            .order_by(CommunePlanTarget.sort_order),
        ),
        (
            "activities",
            select(CommunePlanActivity)
            .where(CommunePlanActivity.plan_id == plan_id)
            .order_by(CommunePlanActivity.sort_order),
        ),
        (
            "events",
            select(CommunePlanEvent)
            .options(joinedload(CommunePlanEvent.user).load_only(User.full_name))
            .where(CommunePlanEvent.plan_id == plan_id)
            .order_by(CommunePlanEvent.id),
        ),
    )


def load_plan(
    dbsession, space_id: int, year: int, revision: int | None = None, *, for_update: bool = False
) -> CommunePlan | None:
    """The current revision of a commune's plan of ``year``, or the revision named, with its parts.

    Four statements: the plan with its sections, then each list of parts by the plan's id, set as
    the plan's loaded lists. (``selectinload`` sends the same statements, but its machinery, made
    for many parents, cost a page of one plan twice the time.) The lists are not read again by
    ``refresh()`` or after an expiry: load the plan again instead (reading them then raises)."""
    q = _plan_query().where(CommunePlan.space_id == space_id, CommunePlan.year == year)
    q = q.where(CommunePlan.is_current.is_(True)) if revision is None else q.where(CommunePlan.revision == revision)
    q = q.execution_options(populate_existing=True)
    if for_update:
        # The plan's row only, as the sections are on the nullable side of their join.
        q = q.with_for_update(of=CommunePlan)
    plan = dbsession.scalars(q).unique().one_or_none()
    if plan is None:
        return None
    for name, parts in _parts_queries():
        found = dbsession.scalars(parts, {"plan_id": plan.id}, execution_options={"populate_existing": True})
        set_committed_value(plan, name, list(found.unique()))
    return plan


def space_plans(dbsession, space_id: int) -> list[CommunePlan]:
    """Every revision of every year of a commune, newest first."""
    return list(
        dbsession.scalars(
            select(CommunePlan)
            .where(CommunePlan.space_id == space_id)
            .order_by(CommunePlan.year.desc(), CommunePlan.revision.desc())
        )
    )


def _revision_rows(dbsession, space_id: int, years):
    return dbsession.execute(
        select(
            CommunePlan.id,
            CommunePlan.year,
            CommunePlan.revision,
            CommunePlan.state,
            CommunePlan.approved_at,
            CommunePlan.reason,
        )
        .where(CommunePlan.space_id == space_id, CommunePlan.year.in_(years))
        .order_by(CommunePlan.year, CommunePlan.revision.desc())
    ).all()


def revisions(dbsession, space_id: int, year: int) -> list:
    """Every revision of a commune's plan of ``year``, newest first, as the plan page lists them
    (rows of id, year, revision, state, approved_at and reason)."""
    return _revision_rows(dbsession, space_id, [year])


def revisions_and_next_year(dbsession, space_id: int, year: int) -> tuple[list, bool]:
    """The revisions of ``year`` (as :func:`revisions`) and whether the commune has a plan of the
    next year already, in one statement."""
    rows = _revision_rows(dbsession, space_id, [year, year + 1])
    return [r for r in rows if r.year == year], any(r.year == year + 1 for r in rows)


def district_years(dbsession) -> list[int]:
    """The years a district plan has been loaded for (a commune plan is drafted from one)."""
    return list(dbsession.scalars(select(Plan.year).order_by(Plan.year.desc())))


def plan_years(dbsession) -> list[int]:
    """Every year with a district plan or a commune plan (a plan copied to next year)."""
    return sorted(dbsession.scalars(union(select(Plan.year), select(CommunePlan.year))), reverse=True)


def commune_duties(registry, space):
    return get_registry(registry).duties_for(space.kind)


def template_targets(dbsession, registry, year: int) -> list[CommunePlanTarget]:
    """The district plan's indicators of ``year`` with empty commune numbers, in the plan's order."""
    indicators = get_registry(registry).indicators
    rows = dbsession.scalars(
        select(IndicatorTarget)
        .join(Plan, Plan.id == IndicatorTarget.plan_id)
        .where(Plan.year == year)
        .order_by(IndicatorTarget.sort_order, IndicatorTarget.id)
    ).all()
    targets = []
    for order, row in enumerate(rows):
        indicator = indicators.get(row.indicator_key)
        if indicator is None:
            continue
        targets.append(
            CommunePlanTarget(
                indicator_key=row.indicator_key, label=indicator.title, unit=indicator.unit, sort_order=order
            )
        )
    return targets


def new_plan(dbsession, registry, space, year: int, user_id: int | None) -> CommunePlan:
    """A draft of ``year`` from the district plan's template: its indicators, no activity yet."""
    plan = CommunePlan(
        space_id=space.id,
        year=year,
        revision=1,
        is_current=True,
        state="draft",
        title=plan_title(space, year),
        number="",
        reason="",
        targets=template_targets(dbsession, registry, year),
        activities=[],
        sections=[CommunePlanSection(key=k, text="") for k in SECTION_KEYS],
        events=[],
    )
    plan.events.append(
        CommunePlanEvent(user_id=user_id, action="create", from_state=None, to_state="draft", comment="", part="")
    )
    dbsession.add(plan)
    return plan


def has_plan(dbsession, space_id: int, year: int) -> bool:
    return (
        dbsession.scalar(
            select(CommunePlan.id).where(CommunePlan.space_id == space_id, CommunePlan.year == year).limit(1)
        )
        is not None
    )
