"""A plan's comments by part, its return and approval, and new revisions of an approved plan."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from intranet.i18n import _
from intranet.models.meta import utcnow
from intranet.plans.models import (
    SECTION_KEYS,
    CommunePlan,
    CommunePlanActivity,
    CommunePlanEvent,
    CommunePlanSection,
    CommunePlanTarget,
)
from intranet.plans.services.commune_plans import SECTION_LABELS
from intranet.plans.workflow import WORKFLOW
from intranet.workflow import TransitionCode, TransitionError


def valid_parts(plan: CommunePlan) -> list[str]:
    """The parts of a plan a comment may concern."""
    return (
        ["targets"]
        + [f"activity:{n}" for n in range(1, len(plan.activities) + 1)]
        + [f"section:{key}" for key in SECTION_KEYS]
    )


def part_label(part: str):
    """What a comment's part is called on the page: "Activity 2", "Solutions"."""
    if part == "targets":
        return _("Objectives and targets")
    if part.startswith("activity:"):
        return _("Activity ${n}", mapping={"n": part.split(":", 1)[1]})
    if part.startswith("section:") and part[8:] in SECTION_LABELS:
        return SECTION_LABELS[part[8:]]
    return part


def apply_transition(
    plan: CommunePlan, action: str, user_id: int | None, comment: str = "", part_comments: dict[str, str] | None = None
) -> str:
    """Move the plan and record the event (and, for a return, one event per part commented)."""
    given = part_comments or {}
    parts = [(p, given[p].strip()) for p in valid_parts(plan) if (given.get(p) or "").strip()]
    return WORKFLOW.apply(
        plan, action, user_id=user_id, comment=comment, has_other_comment=bool(parts), part_comments=parts
    )


def returned_plans(dbsession, space_ids) -> list[tuple[CommunePlan, CommunePlanEvent | None]]:
    """The current plans of these communes that the district returned, each with its latest return."""
    if not space_ids:
        return []
    plans = list(
        dbsession.scalars(
            select(CommunePlan)
            .where(
                CommunePlan.space_id.in_(list(space_ids)),
                CommunePlan.is_current.is_(True),
                CommunePlan.state == "returned",
            )
            .order_by(CommunePlan.year)
        )
    )
    events: dict[int, CommunePlanEvent] = {}
    if plans:
        for e in dbsession.scalars(
            select(CommunePlanEvent)
            .where(CommunePlanEvent.plan_id.in_([p.id for p in plans]), CommunePlanEvent.action == "return")
            .order_by(CommunePlanEvent.at, CommunePlanEvent.id)
            .options(selectinload(CommunePlanEvent.user))
        ):
            events[e.plan_id] = e
    return [(p, events.get(p.id)) for p in plans]


def open_comments(plan: CommunePlan) -> dict[str, list[CommunePlanEvent]]:
    """The comments of the latest return, by part ("" for the plan as a whole), while returned."""
    if plan.state != "returned":
        return {}
    events = list(plan.events)
    last = max((i for i, e in enumerate(events) if e.action == "return"), default=None)
    if last is None:
        return {}
    found: dict[str, list[CommunePlanEvent]] = {}
    if events[last].comment:
        found.setdefault("", []).append(events[last])
    for e in events[last + 1 :]:
        if e.action != "comment":
            break
        found.setdefault(e.part, []).append(e)
    return found


def _copy_parts(source: CommunePlan, plan: CommunePlan) -> None:
    plan.targets = [
        CommunePlanTarget(
            indicator_key=t.indicator_key,
            label=t.label,
            unit=t.unit,
            baseline=t.baseline,
            baseline_source=t.baseline_source,
            target=t.target,
            sort_order=t.sort_order,
        )
        for t in source.targets
    ]
    plan.activities = [
        CommunePlanActivity(
            sort_order=a.sort_order,
            title=a.title,
            months_mask=a.months_mask,
            responsible=a.responsible,
            budget=a.budget,
            budget_source=a.budget_source,
            duty_key=a.duty_key,
        )
        for a in source.activities
    ]
    plan.sections = [CommunePlanSection(key=s.key, text=s.text) for s in source.sections]


def open_revision(dbsession, plan: CommunePlan, user_id: int | None, reason: str) -> CommunePlan:
    """Revision n+1 of an approved plan, as a draft copy; the approved one stays, read-only."""
    reason = (reason or "").strip()
    if plan.state != "approved" or not plan.is_current:
        raise TransitionError(TransitionCode.NOT_ALLOWED, "revise")
    if not reason:
        raise TransitionError(TransitionCode.COMMENT_REQUIRED, "revise")
    plan.is_current = False
    plan.updated_at = utcnow()
    plan.events.append(
        CommunePlanEvent(
            user_id=user_id, action="revise", from_state=plan.state, to_state=plan.state, comment=reason, part=""
        )
    )
    new = CommunePlan(
        space_id=plan.space_id,
        year=plan.year,
        revision=plan.revision + 1,
        is_current=True,
        state="draft",
        title=plan.title,
        number="",
        reason=reason,
        source_id=plan.id,
        events=[],
    )
    _copy_parts(plan, new)
    new.events.append(
        CommunePlanEvent(user_id=user_id, action="revise", from_state=None, to_state="draft", comment=reason, part="")
    )
    # The old revision must stop being current before the new one exists.
    dbsession.flush()
    dbsession.add(new)
    return new
