"""Planned against done: each activity's status, and the district's list of plans."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from sqlalchemy import Date, Integer, bindparam, func, select
from sqlalchemy.orm import aliased

from intranet.duties.models import DutyLog
from intranet.plans.models import (
    CommunePlan,
    CommunePlanActivity,
)
from intranet.spaces.models import Space


def _year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)


def activity_status(activity: CommunePlanActivity, year: int, latest: str | None, today: dt.date) -> str:
    """done / in progress (its duty has logs in the year) / overdue (its last month has passed
    with no log) / not started."""
    if latest == "done":
        return "done"
    if latest is not None:
        return "in_progress"
    months = activity.months
    if months and today > _month_end(year, months[-1]):
        return "overdue"
    return "not_started"


@dataclass
class ActivityProgress:
    number: int
    activity: CommunePlanActivity
    status: str
    logs: list


def plan_progress(dbsession, plan: CommunePlan, today: dt.date) -> list[ActivityProgress]:
    """Each activity with the commune's duty logs of its duty in the plan's year (one query), newest
    first: rows of the columns the plan page shows (duty_key, log_date, progress, description)."""
    keys = sorted({a.duty_key for a in plan.activities if a.duty_key})
    start, end = _year_bounds(plan.year)
    logs_by_key: dict[str, list] = {}
    if keys:
        for log in dbsession.execute(
            select(DutyLog.duty_key, DutyLog.log_date, DutyLog.progress, DutyLog.description)
            .where(
                DutyLog.space_id == plan.space_id,
                DutyLog.duty_key.in_(keys),
                DutyLog.log_date >= start,
                DutyLog.log_date <= end,
            )
            .order_by(DutyLog.log_date.desc(), DutyLog.id.desc())
        ):
            logs_by_key.setdefault(log.duty_key, []).append(log)
    result = []
    for n, activity in enumerate(plan.activities, start=1):
        logs = logs_by_key.get(activity.duty_key, [])
        latest = logs[0].progress if logs else None
        result.append(ActivityProgress(n, activity, activity_status(activity, plan.year, latest, today), logs))
    return result


@dataclass
class DistrictRow:
    """A commune of the district's list: ``space`` and ``plan`` are plain rows (the columns the
    list shows), not ORM objects: the list only reads them."""

    space: object
    plan: object | None
    done: int = 0
    total: int = 0

    @property
    def state(self) -> str:
        return self.plan.state if self.plan else "none"

    @property
    def percent(self) -> int | None:
        if self.plan is None or self.plan.state != "approved" or not self.total:
            return None
        return round(self.done * 100 / self.total)


@dataclass(frozen=True)
class _PlanColumns:
    id: int
    state: str
    revision: int
    submitted_at: dt.datetime | None
    approved_at: dt.datetime | None


@functools.cache
def _district_query():
    """The district list's one statement, built once: building it costs more than running it.
    The year, its bounds and the page are bound parameters."""
    communes = (
        select(
            Space.id,
            Space.slug,
            Space.title,
            Space.title_en,
            Space.sort_order,
            func.count().over().label("communes"),
        )
        .where(Space.category == "commune")
        .order_by(Space.sort_order, Space.title, Space.id)
        .limit(bindparam("size", type_=Integer))
        .offset(bindparam("skip", type_=Integer))
        .cte("communes")
    )
    plan = aliased(CommunePlan)
    activity = aliased(CommunePlanActivity)
    latest = (
        select(DutyLog.progress)
        .where(
            DutyLog.space_id == plan.space_id,
            DutyLog.duty_key == activity.duty_key,
            DutyLog.log_date >= bindparam("start", type_=Date),
            DutyLog.log_date <= bindparam("end", type_=Date),
        )
        .order_by(DutyLog.log_date.desc(), DutyLog.id.desc())
        .limit(1)
        .correlate(plan, activity)
        .scalar_subquery()
    )
    total = select(func.count(activity.id)).where(activity.plan_id == plan.id).correlate(plan).scalar_subquery()
    done = (
        select(func.count(activity.id))
        .where(activity.plan_id == plan.id, latest == "done")
        .correlate(plan)
        .scalar_subquery()
    )
    return (
        select(
            communes.c.id,
            communes.c.slug,
            communes.c.title,
            communes.c.title_en,
            communes.c.communes,
            plan.id.label("plan_id"),
            plan.state,
            plan.revision,
            plan.submitted_at,
            plan.approved_at,
            total.label("total"),
            done.label("done"),
        )
        .outerjoin(
            plan,
            (plan.space_id == communes.c.id)
            & (plan.year == bindparam("year", type_=Integer))
            & plan.is_current.is_(True),
        )
        .order_by(communes.c.sort_order, communes.c.title, communes.c.id)
    )


def district_plans(dbsession, year: int, *, page: int = 1, size: int = 30):
    """The communes with their current plan of ``year``, its state and progress: (rows, total).

    One statement whatever the number of communes, plans, activities and logs (two for a page
    past the last one). An activity is done when the latest log of its duty in the year, in its
    commune, says so (:func:`activity_status`); SQL counts them, so no activity is loaded.
    """
    start, end = _year_bounds(year)
    result = dbsession.execute(
        _district_query(), {"year": year, "start": start, "end": end, "size": size, "skip": (page - 1) * size}
    ).all()
    rows = []
    for r in result:
        row = DistrictRow(r, None)
        if r.plan_id is not None:
            row.plan = _PlanColumns(r.plan_id, r.state, r.revision, r.submitted_at, r.approved_at)
            row.total, row.done = r.total, r.done
        rows.append(row)
    if result:
        count = result[0].communes
    elif page > 1:
        count = dbsession.scalar(select(func.count(Space.id)).where(Space.category == "commune"))
    else:
        count = 0
    return rows, count


@functools.cache
def _state_counts_query():
    """The communes by the state of their current plan of the year bound as ``year`` (NULL: no
    plan): built once."""
    return (
        select(CommunePlan.state, func.count())
        .select_from(Space)
        .outerjoin(
            CommunePlan,
            (CommunePlan.space_id == Space.id)
            & (CommunePlan.year == bindparam("year", type_=Integer))
            & CommunePlan.is_current.is_(True),
        )
        .where(Space.category == "commune")
        .group_by(CommunePlan.state)
    )


def plan_state_counts(dbsession, year: int) -> dict[str, int]:
    """{state: communes} of the whole year, "none" for the communes without a plan: the list's
    summary line, whichever page of the list is shown. One statement."""
    return {state or "none": n for state, n in dbsession.execute(_state_counts_query(), {"year": year})}
