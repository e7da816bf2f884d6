"""The support and intervention plan's approval (Mẫu 04, 05), declared on the workflow engine.

    draft ──submit──▶ submitted ──approve──▶ approved
      ▲                  │
      └──submit── returned ◀──return──┘

The document is the case; its state is ``Case.plan_state``. The actors are the engine's: "officer"
stands for the case team (its case worker and helpers: intranet.cases.resources gives them this
column), "head" for the commune's chairman, who approves by a decision (Mẫu 05). The district does
not act on a case's plan. Each step is one line of the audit trail (the views write it): a return's
reason may name the child, so it is kept encrypted on the case (``plan_return_reason``), never in an
event row or the trail.
"""

from __future__ import annotations

from intranet.security.permissions import Permission as P
from intranet.workflow import ACTORS, NOTHING, Context, Workflow, transition

_DRAFTING = {
    "head": frozenset({P.CASE_EDIT, P.CASE_PLAN_SUBMIT}),
    "officer": frozenset({P.CASE_EDIT, P.CASE_PLAN_SUBMIT}),
    "officer_submit": NOTHING,
    "viewer": NOTHING,
    "reviewer": NOTHING,
}


class PlanDocument:
    """The case as the engine moves it: ``state`` is the plan's."""

    def __init__(self, case):
        self.case = case

    @property
    def state(self) -> str | None:
        return self.case.plan_state

    @state.setter
    def state(self, value: str) -> None:
        self.case.plan_state = value

    @property
    def updated_at(self):
        return self.case.updated_at

    @updated_at.setter
    def updated_at(self, value) -> None:
        self.case.updated_at = value


def _submitted(doc: PlanDocument, ctx: Context) -> None:
    doc.case.plan_submitted_at = ctx.now


def _approved(doc: PlanDocument, ctx: Context) -> None:
    doc.case.plan_approved_at = ctx.now
    # The 5 working days are those of the first plan (a review may ask for a new one).
    if doc.case.first_plan_approved_at is None:
        doc.case.first_plan_approved_at = ctx.now


def _no_event(doc, ctx: Context, new_state: str) -> None:
    """Nothing stored beside the case: the views write the audit line, and a return's reason is
    kept encrypted on the case."""


WORKFLOW = Workflow(
    key="case_plan",
    title="Kế hoạch hỗ trợ, can thiệp",
    states={
        "draft": _DRAFTING,
        "returned": _DRAFTING,
        "submitted": {**dict.fromkeys(ACTORS, NOTHING), "head": frozenset({P.CASE_PLAN_APPROVE})},
        "approved": dict.fromkeys(ACTORS, NOTHING),
    },
    transitions=(
        # Saving the draft (intranet.cases.procedure.draft_plan, which refuses a plan that is
        # submitted or approved) keeps the state.
        transition("save", ("draft", "returned"), None, P.CASE_EDIT),
        transition("submit", ("draft", "returned"), "submitted", P.CASE_PLAN_SUBMIT, hooks=[_submitted]),
        transition("approve", "submitted", "approved", P.CASE_PLAN_APPROVE, hooks=[_approved]),
        transition("return", "submitted", "returned", P.CASE_PLAN_APPROVE, comment_required=True),
    ),
    record_event=_no_event,
    # A submitted plan waits for the commune's chairman, not for the district's review queue.
    waiting_states=frozenset(),
)
