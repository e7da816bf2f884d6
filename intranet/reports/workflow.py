"""The report workflow, declared on the workflow engine (intranet/workflow).

    draft ──submit──▶ submitted ──accept──▶ accepted
      ▲                  │                     │
      └──(save)── returned ◀──return──┘        └──reopen──▶ draft

"returned" behaves like a draft for the space (saving it makes it a draft again). After the
period's lock date the space can no longer edit or submit unless the coordinator reopens or
returns it; the lock never stops the coordinator, who can still accept or return a report that
was submitted, on time or late.
"""

from __future__ import annotations

from intranet.reports.models import SubmissionEvent
from intranet.security.permissions import Permission as P
from intranet.workflow import NOTHING, Context, Workflow, events_of, transition

_UNIT_EDITS = {
    "head": frozenset({P.REPORT_EDIT, P.REPORT_SUBMIT}),
    "officer": frozenset({P.REPORT_EDIT}),
    "officer_submit": frozenset({P.REPORT_SUBMIT}),
    "viewer": NOTHING,
    "reviewer": NOTHING,
}
#: Past the lock date the coordinator may reopen a draft, so the unit can still send it late.
_LATE = {"reviewer": frozenset({P.REPORT_REOPEN})}


def _submitted(submission, ctx: Context) -> None:
    submission.submitted_at = ctx.now
    if submission.first_submitted_at is None:
        submission.first_submitted_at = ctx.now


def _accepted(submission, ctx: Context) -> None:
    submission.accepted_at = ctx.now


def _unlock(submission, ctx: Context) -> None:
    # A returned or reopened report must be fixable, even after the period's lock date.
    submission.unlocked = True


def _reopened(submission, ctx: Context) -> None:
    submission.accepted_at = None


WORKFLOW = Workflow(
    key="report",
    title="Báo cáo",
    states={
        "draft": _UNIT_EDITS,
        "returned": _UNIT_EDITS,
        "submitted": {
            "head": NOTHING,
            "officer": NOTHING,
            "officer_submit": NOTHING,
            "viewer": NOTHING,
            "reviewer": frozenset({P.REPORT_REVIEW, P.REPORT_REOPEN}),
        },
        "accepted": {
            "head": NOTHING,
            "officer": NOTHING,
            "officer_submit": NOTHING,
            "viewer": NOTHING,
            "reviewer": frozenset({P.REPORT_REOPEN}),
        },
    },
    transitions=(
        transition("save", "draft", "draft", P.REPORT_EDIT, lock_applies=True),
        transition("save", "returned", "draft", P.REPORT_EDIT, lock_applies=True),
        transition(
            "submit", {"draft", "returned"}, "submitted", P.REPORT_SUBMIT, lock_applies=True, hooks=[_submitted]
        ),
        transition(
            "return", "submitted", "returned", P.REPORT_REVIEW, actor="reviewer", comment_required=True, hooks=[_unlock]
        ),
        transition("accept", "submitted", "accepted", P.REPORT_REVIEW, actor="reviewer", hooks=[_accepted]),
        transition(
            "reopen",
            {"draft", "returned", "submitted", "accepted"},
            "draft",
            P.REPORT_REOPEN,
            actor="reviewer",
            comment_required=True,
            hooks=[_reopened, _unlock],
        ),
    ),
    record_event=events_of(SubmissionEvent),
    locked_grants={"draft": _LATE, "returned": _LATE},
)

EDITABLE_STATES = WORKFLOW.editable_states
