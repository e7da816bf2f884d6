"""What waits for the district coordinator: the review queue, oldest first."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import Integer, String, bindparam, case, cast, func, literal, null, select, union_all

from intranet.assessments.models import Assessment
from intranet.i18n import local_date, local_today
from intranet.plans.models import CommunePlan
from intranet.reports.models import Period, Submission
from intranet.reports.services import form
from intranet.spaces.models import Space
from intranet.workflow import get_workflow


@dataclass
class Waiting:
    """One document waiting for the coordinator."""

    kind: str  # "report", "commune_plan", "assessment"
    space: QueuedSpace
    title: str  # the document, e.g. the form and period, or "Kế hoạch năm 2017"
    title_en: str
    state: str
    since: dt.datetime  # when it came (submitted, or verified and waiting for a decision)
    path: str

    @property
    def days(self) -> int:
        return max(0, (local_today() - local_date(self.since)).days)


#: What the queue shows of a unit (a row, not a Space object).
SPACE_COLUMNS = (Space.slug, Space.title, Space.title_en, Space.sort_order)


class QueuedSpace(NamedTuple):
    slug: str
    title: str
    title_en: str | None
    sort_order: int


def review_queue(dbsession, registry) -> list[Waiting]:
    """Reports submitted, current plans submitted, assessments submitted or verified: oldest first."""
    return review_queue_head(dbsession, registry, limit=None)[0]


def _waiting_states(registry) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """The states in which a report, a commune plan and an assessment wait for the coordinator."""
    return (
        tuple(sorted(get_workflow(registry, "report").waiting_states)),
        tuple(sorted(get_workflow(registry, "commune_plan").waiting_states)),
        tuple(sorted(get_workflow(registry, "assessment").waiting_states | {"verified"})),
    )


def _waiting_documents(report_states, plan_states, assessment_states):
    """The documents waiting for the coordinator, one row each, as one ``UNION ALL`` of columns:
    the kind, what names the document (a report's form and period, a plan's year and revision, an
    assessment's year), its state, since when it waits, and its unit."""
    text, number = String(), Integer()

    def none(kind):
        return cast(null(), kind)

    reports = (
        select(
            literal("report").label("kind"),
            Submission.form_key.label("form_key"),
            Period.code.label("period_code"),
            Period.title.label("period_title"),
            Period.title_en.label("period_title_en"),
            none(number).label("year"),
            none(number).label("revision"),
            Submission.state.label("state"),
            func.coalesce(Submission.submitted_at, Submission.updated_at).label("since"),
            *SPACE_COLUMNS,
        )
        .join(Space, Space.id == Submission.space_id)
        .join(Period, Period.id == Submission.period_id)
        .where(Submission.state.in_(report_states))
    )
    plans = (
        select(
            literal("commune_plan"),
            none(text),
            none(text),
            none(text),
            none(text),
            CommunePlan.year,
            CommunePlan.revision,
            CommunePlan.state,
            func.coalesce(CommunePlan.submitted_at, CommunePlan.updated_at),
            *SPACE_COLUMNS,
        )
        .join(Space, Space.id == CommunePlan.space_id)
        .where(
            CommunePlan.state.in_(plan_states),
            CommunePlan.is_current.is_(True),
        )
    )
    assessments = (
        select(
            literal("assessment"),
            none(text),
            none(text),
            none(text),
            none(text),
            Assessment.year,
            none(number),
            Assessment.state,
            # A verified assessment waits for a decision since it was verified.
            func.coalesce(
                case((Assessment.state == "verified", Assessment.verified_at), else_=Assessment.submitted_at),
                Assessment.updated_at,
            ),
            *SPACE_COLUMNS,
        )
        .join(Space, Space.id == Assessment.space_id)
        .where(Assessment.state.in_(assessment_states))
    )
    return union_all(reports, plans, assessments).subquery("waiting")


@functools.cache
def _queue_statement(states: tuple, head: bool):
    """The statement of :func:`review_queue_head`, built once per set of waiting states: built on
    every request, its three parts cost more than the database's answer. With ``head``, the
    database sorts, cuts at the bound ``limit`` and counts."""
    waiting = _waiting_documents(*states)
    query = select(waiting)
    if head:
        query = (
            query.add_columns(func.count().over().label("total"))
            .order_by(waiting.c.since, waiting.c.sort_order, waiting.c.slug)
            .limit(bindparam("limit"))
        )
    return query


def review_queue_head(dbsession, registry, *, limit: int | None) -> tuple[list[Waiting], int]:
    """The ``limit`` oldest documents of :func:`review_queue` (all of them when None), and how
    many wait in all: the home page and the step after a review need only the first few.

    One statement of columns (no ORM objects), whatever the number of units; with a ``limit``
    the database sorts, cuts and counts.
    """
    query = _queue_statement(_waiting_states(registry), limit is not None)
    rows = dbsession.execute(query, {"limit": limit} if limit is not None else {}).all()
    items = [_waiting(registry, r) for r in rows]
    items.sort(key=lambda w: (w.since, w.space.sort_order, w.path))
    if limit is None:
        return items, len(items)
    return items, rows[0].total if rows else 0


def _waiting(registry, r) -> Waiting:
    space = QueuedSpace(r.slug, r.title, r.title_en, r.sort_order)
    if r.kind == "report":
        spec = form(registry, r.form_key)
        name = spec.title if spec else r.form_key
        name_en = (spec.title_en or spec.title) if spec else r.form_key
        return Waiting(
            "report",
            space,
            f"{name} — {r.period_title}",
            f"{name_en} — {r.period_title_en}",
            r.state,
            r.since,
            f"/spaces/{r.slug}/reports/{r.form_key}/{r.period_code}",
        )
    if r.kind == "commune_plan":
        return Waiting(
            "commune_plan",
            space,
            f"Kế hoạch năm {r.year} (lần {r.revision})",
            f"Plan {r.year} (revision {r.revision})",
            r.state,
            r.since,
            f"/spaces/{r.slug}/plans/{r.year}",
        )
    return Waiting(
        "assessment",
        space,
        f"Đánh giá xã, thị trấn phù hợp với trẻ em năm {r.year}",
        f"Child-friendly assessment {r.year}",
        r.state,
        r.since,
        f"/spaces/{r.slug}/assessments/{r.year}",
    )
