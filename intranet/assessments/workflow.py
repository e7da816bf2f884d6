"""The assessment workflow, declared on the workflow engine (intranet/workflow).

    draft ──submit──▶ submitted ──verify──▶ verified ──recognise──────▶ recognised
      ▲                  │                    │     └──not_recognise──▶ not_recognised
      └──(save)── returned ◀──return──────────┘                            │
                         ▲                                                 │
                    submitted ◀──────────────reopen─────────────────────────┘

"returned" behaves like a draft for the commune (saving it makes it a draft again). The district
coordinator ("reviewer") verifies: adjusts scores with a reason, then recognises or not. Verifying
keeps a snapshot of the computed result; the decision reads that snapshot, never a recomputation.
"""

from __future__ import annotations

from intranet.assessments.models import AssessmentEvent
from intranet.security.permissions import Permission as P
from intranet.workflow import NOTHING, Context, TransitionCode, Workflow, events_of, transition

_COMMUNE_EDITS = {
    "head": frozenset({P.ASSESSMENT_EDIT, P.ASSESSMENT_SUBMIT}),
    "officer": frozenset({P.ASSESSMENT_EDIT}),
    "officer_submit": frozenset({P.ASSESSMENT_SUBMIT}),
    "viewer": NOTHING,
    "reviewer": NOTHING,
}
_DISTRICT_ONLY = {
    "head": NOTHING,
    "officer": NOTHING,
    "officer_submit": NOTHING,
    "viewer": NOTHING,
    "reviewer": frozenset({P.ASSESSMENT_VERIFY}),
}


def _submitted(assessment, ctx: Context) -> None:
    assessment.submitted_at = ctx.now


def _verified(assessment, ctx: Context) -> None:
    # Verifying snapshots the computed result (ctx.extra["snapshot"](assessment) computes it).
    assessment.result = ctx.extra["snapshot"](assessment)
    assessment.verified_at = ctx.now


def _decided(assessment, ctx: Context) -> None:
    assessment.decided_at = ctx.now


def _restart(assessment, ctx: Context) -> None:
    # Verification starts again: the next "verify" takes a new snapshot.
    assessment.result = None
    assessment.verified_at = None
    assessment.decided_at = None


def _passed(assessment, ctx: Context):
    return None if (assessment.result or {}).get("passed") else TransitionCode.NOT_PASSED


WORKFLOW = Workflow(
    key="assessment",
    title="Đánh giá",
    states={
        "draft": _COMMUNE_EDITS,
        "returned": _COMMUNE_EDITS,
        "submitted": _DISTRICT_ONLY,
        "verified": _DISTRICT_ONLY,
        "recognised": _DISTRICT_ONLY,
        "not_recognised": _DISTRICT_ONLY,
    },
    transitions=(
        transition("save", {"draft", "returned"}, "draft", P.ASSESSMENT_EDIT),
        transition("submit", {"draft", "returned"}, "submitted", P.ASSESSMENT_SUBMIT, hooks=[_submitted]),
        transition(
            "return",
            {"submitted", "verified"},
            "returned",
            P.ASSESSMENT_VERIFY,
            actor="reviewer",
            comment_required=True,
            hooks=[_restart],
        ),
        transition(
            "verify", {"submitted", "verified"}, "verified", P.ASSESSMENT_VERIFY, actor="reviewer", hooks=[_verified]
        ),
        transition(
            "recognise",
            "verified",
            "recognised",
            P.ASSESSMENT_VERIFY,
            actor="reviewer",
            guard=_passed,
            hooks=[_decided],
        ),
        transition(
            "not_recognise",
            "verified",
            "not_recognised",
            P.ASSESSMENT_VERIFY,
            actor="reviewer",
            comment_required=True,
            hooks=[_decided],
        ),
        transition(
            "reopen",
            {"recognised", "not_recognised"},
            "submitted",
            P.ASSESSMENT_VERIFY,
            actor="reviewer",
            comment_required=True,
            hooks=[_restart],
        ),
    ),
    record_event=events_of(AssessmentEvent),
)

EDITABLE_STATES = WORKFLOW.editable_states
FINAL_STATES = frozenset({"recognised", "not_recognised"})
