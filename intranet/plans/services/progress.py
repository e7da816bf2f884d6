"""Planned against done: each activity's status, and the district's list of plans."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

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
    """Each activity with the commune's duty logs of its duty in the plan's year (one query)."""
    keys = sorted({a.duty_key for a in plan.activities if a.duty_key})
    start, end = _year_bounds(plan.year)
    logs_by_key: dict[str, list] = {}
    if keys:
        for log in dbsession.scalars(
            select(DutyLog)
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
    space: object
    plan: CommunePlan | None
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


def district_plans(dbsession, year: int, today: dt.date, *, page: int = 1, size: int = 30):
    """The communes with their current plan of ``year``, its state and progress: (rows, total).

    Four statements whatever the number of communes, plans, activities and logs.
    """
    q = select(Space).where(Space.category == "commune")
    total = dbsession.scalar(select(func.count()).select_from(q.subquery()))
    spaces = dbsession.scalars(q.order_by(Space.sort_order, Space.title).limit(size).offset((page - 1) * size)).all()
    ids = [s.id for s in spaces] or [-1]
    plans = {
        p.space_id: p
        for p in dbsession.scalars(
            select(CommunePlan)
            .where(CommunePlan.space_id.in_(ids), CommunePlan.year == year, CommunePlan.is_current.is_(True))
            .options(selectinload(CommunePlan.activities))
        )
    }
    start, end = _year_bounds(year)
    partition = (DutyLog.space_id, DutyLog.duty_key)
    ranked = (
        select(
            DutyLog.space_id,
            DutyLog.duty_key,
            DutyLog.progress,
            func.row_number()
            .over(partition_by=partition, order_by=(DutyLog.log_date.desc(), DutyLog.id.desc()))
            .label("rn"),
        )
        .where(DutyLog.space_id.in_(ids), DutyLog.log_date >= start, DutyLog.log_date <= end)
        .subquery()
    )
    latest = {
        (r.space_id, r.duty_key): r.progress
        for r in dbsession.execute(
            select(ranked.c.space_id, ranked.c.duty_key, ranked.c.progress).where(ranked.c.rn == 1)
        )
    }
    rows = []
    for space in spaces:
        plan = plans.get(space.id)
        row = DistrictRow(space, plan)
        if plan is not None:
            row.total = len(plan.activities)
            row.done = sum(
                activity_status(a, year, latest.get((space.id, a.duty_key)), today) == "done" for a in plan.activities
            )
        rows.append(row)
    return rows, total
