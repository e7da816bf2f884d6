"""The commune plan workflow, declared on the workflow engine (intranet/workflow).

    draft ──submit──▶ submitted ──approve──▶ approved ──revise──▶ (revision n+1, draft)
      ▲                  │
      └──submit── returned ◀──return──┘

"returned" stays returned while the commune fixes it, so the coordinator's comments stay beside
the parts they concern until the plan is submitted again. An approved plan is locked; a change
needs a new revision (with a reason: intranet.plans.services.open_revision), and the approved
revision stays readable. Only the current revision of a year can change at all.
"""

from __future__ import annotations

from intranet.plans.models import CommunePlanEvent
from intranet.security.permissions import Permission as P
from intranet.workflow import ACTORS, NOTHING, Context, Workflow, events_of, transition

_EDITABLE = {
    "head": frozenset({P.PLAN_EDIT, P.PLAN_SUBMIT}),
    "officer": frozenset({P.PLAN_EDIT}),
    "officer_submit": frozenset({P.PLAN_SUBMIT}),
    "viewer": NOTHING,
    "reviewer": NOTHING,
}


def _submitted(plan, ctx: Context) -> None:
    plan.submitted_at = ctx.now


def _approved(plan, ctx: Context) -> None:
    plan.approved_at = ctx.now


_plan_event = events_of(CommunePlanEvent, part="")


def _event(plan, ctx: Context, new_state: str) -> None:
    """The event, and for a return one "comment" event per part commented (in the plan's order)."""
    _plan_event(plan, ctx, new_state)
    for part, text in ctx.extra.get("part_comments", ()):
        plan.events.append(
            CommunePlanEvent(
                user_id=ctx.user_id, action="comment", from_state=new_state, to_state=new_state, comment=text, part=part
            )
        )


WORKFLOW = Workflow(
    key="commune_plan",
    title="Kế hoạch",
    states={
        "draft": _EDITABLE,
        "returned": _EDITABLE,
        "submitted": {
            "head": NOTHING,
            "officer": NOTHING,
            "officer_submit": NOTHING,
            "viewer": NOTHING,
            "reviewer": frozenset({P.PLAN_REVIEW}),
        },
        # "revise" opens revision n+1 of an approved plan; "attach" stores its signed scan.
        "approved": {
            "head": frozenset({P.PLAN_REVISE, P.PLAN_ATTACH}),
            "officer": frozenset({P.PLAN_ATTACH}),
            "officer_submit": NOTHING,
            "viewer": NOTHING,
            "reviewer": frozenset({P.PLAN_REVISE}),
        },
    },
    transitions=(
        transition("save", {"draft", "returned"}, None, P.PLAN_EDIT),
        transition("submit", {"draft", "returned"}, "submitted", P.PLAN_SUBMIT, hooks=[_submitted]),
        # The comment may be on the plan or on its parts (has_other_comment).
        transition("return", "submitted", "returned", P.PLAN_REVIEW, actor="reviewer", comment_required=True),
        transition("approve", "submitted", "approved", P.PLAN_REVIEW, actor="reviewer", hooks=[_approved]),
    ),
    record_event=_event,
)

EDITABLE_STATES = WORKFLOW.editable_states
__all__ = ["ACTORS", "EDITABLE_STATES", "WORKFLOW"]
