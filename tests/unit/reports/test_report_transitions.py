"""The report workflow (intranet/reports/workflow.py) as data: who may do what in each state, which
transitions exist, and what each does to a report, including past the period's lock date."""

from __future__ import annotations

import pytest

from intranet.reports.models import Submission
from intranet.reports.services import apply_transition
from intranet.reports.workflow import WORKFLOW
from intranet.security.permissions import Permission as P
from intranet.workflow import ACTORS, TransitionCode, TransitionError
from tests.fixtures.workflows import as_data

UNIT_EDITS = {"head": {P.REPORT_EDIT, P.REPORT_SUBMIT}, "officer": {P.REPORT_EDIT}, "officer_submit": {P.REPORT_SUBMIT}}
#: state -> actor -> permissions (an actor not named has none).
TABLE = {
    "draft": UNIT_EDITS,
    "returned": UNIT_EDITS,
    "submitted": {"reviewer": {P.REPORT_REVIEW, P.REPORT_REOPEN}},
    "accepted": {"reviewer": {P.REPORT_REOPEN}},
}
#: (action, from) -> (to, permission, performed by, comment required, stopped by the lock date)
TRANSITIONS = {
    ("save", "draft"): ("draft", P.REPORT_EDIT, "unit", False, True),
    ("save", "returned"): ("draft", P.REPORT_EDIT, "unit", False, True),
    ("submit", "draft"): ("submitted", P.REPORT_SUBMIT, "unit", False, True),
    ("submit", "returned"): ("submitted", P.REPORT_SUBMIT, "unit", False, True),
    ("return", "submitted"): ("returned", P.REPORT_REVIEW, "reviewer", True, False),
    ("accept", "submitted"): ("accepted", P.REPORT_REVIEW, "reviewer", False, False),
    ("reopen", "draft"): ("draft", P.REPORT_REOPEN, "reviewer", True, False),
    ("reopen", "returned"): ("draft", P.REPORT_REOPEN, "reviewer", True, False),
    ("reopen", "submitted"): ("draft", P.REPORT_REOPEN, "reviewer", True, False),
    ("reopen", "accepted"): ("draft", P.REPORT_REOPEN, "reviewer", True, False),
}


def test_the_table_and_the_transitions():
    assert as_data(WORKFLOW) == (TABLE, TRANSITIONS)
    assert (WORKFLOW.initial, WORKFLOW.editable_states, WORKFLOW.waiting_states) == (
        "draft",
        {"draft", "returned"},
        {"submitted"},
    )


#: The same past the period's lock date: the unit loses editing and submitting; the reviewer keeps
#: reviewing and may also reopen a draft, so that the unit can still send it late.
LOCKED_TABLE = {
    "draft": {"reviewer": {P.REPORT_REOPEN}},
    "returned": {"reviewer": {P.REPORT_REOPEN}},
    "submitted": {"reviewer": {P.REPORT_REVIEW, P.REPORT_REOPEN}},
    "accepted": {"reviewer": {P.REPORT_REOPEN}},
}


@pytest.mark.parametrize("state", TABLE)
def test_the_table_past_the_lock_date(state):
    locked = WORKFLOW.permissions(state, locked=True)
    assert set(locked) == set(ACTORS)
    assert {a: set(p) for a, p in locked.items() if p} == LOCKED_TABLE[state]


def new_report() -> Submission:
    return Submission(form_key="xa.bao-cao", form_version=1, state="draft", unlocked=False, events=[])


def test_a_report_through_its_life():
    report = new_report()
    assert apply_transition(report, "save", 7) == "draft"
    assert apply_transition(report, "submit", 7) == "submitted"
    first = report.submitted_at
    assert first is not None and report.first_submitted_at == first and not report.unlocked
    assert apply_transition(report, "return", 1, "  Thiếu số liệu  ") == "returned"
    assert report.unlocked  # a returned report can be fixed after the lock date
    assert apply_transition(report, "save", 7) == "draft"
    assert apply_transition(report, "submit", 7) == "submitted"
    assert report.first_submitted_at == first and report.submitted_at >= first
    assert apply_transition(report, "accept", 1) == "accepted"
    assert report.accepted_at is not None
    assert apply_transition(report, "reopen", 1, "Bổ sung") == "draft"
    assert report.accepted_at is None and report.unlocked
    assert [(e.action, e.from_state, e.to_state, e.user_id, e.comment) for e in report.events] == [
        ("save", "draft", "draft", 7, ""),
        ("submit", "draft", "submitted", 7, ""),
        ("return", "submitted", "returned", 1, "Thiếu số liệu"),
        ("save", "returned", "draft", 7, ""),
        ("submit", "draft", "submitted", 7, ""),
        ("accept", "submitted", "accepted", 1, ""),
        ("reopen", "accepted", "draft", 1, "Bổ sung"),
    ]


@pytest.mark.parametrize(
    "state, action, kw, code",
    [
        ("draft", "accept", {}, TransitionCode.NOT_ALLOWED),
        ("draft", "return", {"comment": "x"}, TransitionCode.NOT_ALLOWED),
        ("accepted", "submit", {}, TransitionCode.NOT_ALLOWED),
        ("accepted", "save", {}, TransitionCode.NOT_ALLOWED),
        ("submitted", "return", {}, TransitionCode.COMMENT_REQUIRED),
        ("submitted", "return", {"comment": "   "}, TransitionCode.COMMENT_REQUIRED),
        ("accepted", "reopen", {}, TransitionCode.COMMENT_REQUIRED),
        ("draft", "save", {"locked": True}, TransitionCode.LOCKED),
        ("returned", "submit", {"locked": True}, TransitionCode.LOCKED),
    ],
)
def test_what_is_refused_and_why(state, action, kw, code):
    report = new_report()
    report.state = state
    with pytest.raises(TransitionError) as caught:
        apply_transition(report, action, 1, **kw)
    assert caught.value.code == code
    assert report.state == state and report.events == []


@pytest.mark.parametrize("action, state", [("accept", "submitted"), ("return", "submitted"), ("reopen", "draft")])
def test_the_lock_never_stops_the_reviewer(action, state):
    report = new_report()
    report.state = state
    assert apply_transition(report, action, 1, "Nộp muộn", locked=True) == TRANSITIONS[(action, state)][0]
