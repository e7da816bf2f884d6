"""What waits for the district coordinator: the review queue, oldest first."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

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
    space: object
    title: str  # the document, e.g. the form and period, or "Kế hoạch năm 2017"
    title_en: str
    state: str
    since: dt.datetime  # when it came (submitted, or verified and waiting for a decision)
    path: str

    @property
    def days(self) -> int:
        return max(0, (local_today() - local_date(self.since)).days)


def review_queue(dbsession, registry) -> list[Waiting]:
    """Reports submitted, current plans submitted, assessments submitted or verified: oldest first.

    Three queries, whatever the number of units.
    """
    items: list[Waiting] = []
    waiting = get_workflow(registry, "report").waiting_states
    for sub, space, period in dbsession.execute(
        select(Submission, Space, Period)
        .join(Space, Space.id == Submission.space_id)
        .join(Period, Period.id == Submission.period_id)
        .where(Submission.state.in_(waiting))
    ):
        spec = form(registry, sub.form_key)
        name = spec.title if spec else sub.form_key
        name_en = (spec.title_en or spec.title) if spec else sub.form_key
        items.append(
            Waiting(
                "report",
                space,
                f"{name} — {period.title}",
                f"{name_en} — {period.title_en}",
                sub.state,
                sub.submitted_at or sub.updated_at,
                f"/spaces/{space.slug}/reports/{sub.form_key}/{period.code}",
            )
        )
    waiting = get_workflow(registry, "commune_plan").waiting_states
    for plan, space in dbsession.execute(
        select(CommunePlan, Space)
        .join(Space, Space.id == CommunePlan.space_id)
        .where(CommunePlan.state.in_(waiting), CommunePlan.is_current.is_(True))
    ):
        items.append(
            Waiting(
                "commune_plan",
                space,
                f"Kế hoạch năm {plan.year} (lần {plan.revision})",
                f"Plan {plan.year} (revision {plan.revision})",
                plan.state,
                plan.submitted_at or plan.updated_at,
                f"/spaces/{space.slug}/plans/{plan.year}",
            )
        )
    waiting = get_workflow(registry, "assessment").waiting_states | {"verified"}
    for a, space in dbsession.execute(
        select(Assessment, Space).join(Space, Space.id == Assessment.space_id).where(Assessment.state.in_(waiting))
    ):
        since = a.verified_at if a.state == "verified" else a.submitted_at
        items.append(
            Waiting(
                "assessment",
                space,
                f"Đánh giá xã, thị trấn phù hợp với trẻ em năm {a.year}",
                f"Child-friendly assessment {a.year}",
                a.state,
                since or a.updated_at,
                f"/spaces/{space.slug}/assessments/{a.year}",
            )
        )
    items.sort(key=lambda w: (w.since, w.space.sort_order, w.path))
    return items
