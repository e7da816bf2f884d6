"""What waits for the district coordinator: the review queue, oldest first."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import select

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


def _space(row) -> QueuedSpace:
    return QueuedSpace(row.slug, row.title, row.title_en, row.sort_order)


def review_queue(dbsession, registry) -> list[Waiting]:
    """Reports submitted, current plans submitted, assessments submitted or verified: oldest first.

    Three queries of columns (no ORM objects), whatever the number of units.
    """
    items: list[Waiting] = []
    waiting = get_workflow(registry, "report").waiting_states
    for r in dbsession.execute(
        select(
            Submission.form_key,
            Submission.state,
            Submission.submitted_at,
            Submission.updated_at,
            Period.code,
            Period.title.label("period_title"),
            Period.title_en.label("period_title_en"),
            *SPACE_COLUMNS,
        )
        .join(Space, Space.id == Submission.space_id)
        .join(Period, Period.id == Submission.period_id)
        .where(Submission.state.in_(waiting))
    ):
        spec = form(registry, r.form_key)
        name = spec.title if spec else r.form_key
        name_en = (spec.title_en or spec.title) if spec else r.form_key
        items.append(
            Waiting(
                "report",
                _space(r),
                f"{name} — {r.period_title}",
                f"{name_en} — {r.period_title_en}",
                r.state,
                r.submitted_at or r.updated_at,
                f"/spaces/{r.slug}/reports/{r.form_key}/{r.code}",
            )
        )
    waiting = get_workflow(registry, "commune_plan").waiting_states
    for r in dbsession.execute(
        select(
            CommunePlan.year,
            CommunePlan.revision,
            CommunePlan.state,
            CommunePlan.submitted_at,
            CommunePlan.updated_at,
            *SPACE_COLUMNS,
        )
        .join(Space, Space.id == CommunePlan.space_id)
        .where(CommunePlan.state.in_(waiting), CommunePlan.is_current.is_(True))
    ):
        items.append(
            Waiting(
                "commune_plan",
                _space(r),
                f"Kế hoạch năm {r.year} (lần {r.revision})",
                f"Plan {r.year} (revision {r.revision})",
                r.state,
                r.submitted_at or r.updated_at,
                f"/spaces/{r.slug}/plans/{r.year}",
            )
        )
    waiting = get_workflow(registry, "assessment").waiting_states | {"verified"}
    for r in dbsession.execute(
        select(
            Assessment.year,
            Assessment.state,
            Assessment.submitted_at,
            Assessment.verified_at,
            Assessment.updated_at,
            *SPACE_COLUMNS,
        )
        .join(Space, Space.id == Assessment.space_id)
        .where(Assessment.state.in_(waiting))
    ):
        since = r.verified_at if r.state == "verified" else r.submitted_at
        items.append(
            Waiting(
                "assessment",
                _space(r),
                f"Đánh giá xã, thị trấn phù hợp với trẻ em năm {r.year}",
                f"Child-friendly assessment {r.year}",
                r.state,
                since or r.updated_at,
                f"/spaces/{r.slug}/assessments/{r.year}",
            )
        )
    items.sort(key=lambda w: (w.since, w.space.sort_order, w.path))
    return items
