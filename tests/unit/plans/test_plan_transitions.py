"""The commune plan workflow (intranet/plans/workflow.py) as data, and what its transitions do to a
plan: a returned plan stays returned while the commune fixes it, an approved plan is locked, an
old revision grants nothing."""

from __future__ import annotations

import pytest

from intranet.plans.models import CommunePlan
from intranet.plans.services import apply_transition, valid_parts
from intranet.plans.workflow import WORKFLOW
from intranet.security.permissions import Permission as P
from intranet.workflow import ACTORS, TransitionCode, TransitionError
from tests.fixtures.workflows import as_data

EDITABLE = {"head": {P.PLAN_EDIT, P.PLAN_SUBMIT}, "officer": {P.PLAN_EDIT}, "officer_submit": {P.PLAN_SUBMIT}}
TABLE = {
    "draft": EDITABLE,
    "returned": EDITABLE,
    "submitted": {"reviewer": {P.PLAN_REVIEW}},
    # the signed scan is attached by the commune; a new revision is opened by its head or the district
    "approved": {"head": {P.PLAN_REVISE, P.PLAN_ATTACH}, "officer": {P.PLAN_ATTACH}, "reviewer": {P.PLAN_REVISE}},
}
TRANSITIONS = {
    ("save", "draft"): ("draft", P.PLAN_EDIT, "unit", False, False),
    ("save", "returned"): ("returned", P.PLAN_EDIT, "unit", False, False),
    ("submit", "draft"): ("submitted", P.PLAN_SUBMIT, "unit", False, False),
    ("submit", "returned"): ("submitted", P.PLAN_SUBMIT, "unit", False, False),
    ("return", "submitted"): ("returned", P.PLAN_REVIEW, "reviewer", True, False),
    ("approve", "submitted"): ("approved", P.PLAN_REVIEW, "reviewer", False, False),
}


def test_the_table_and_the_transitions():
    assert as_data(WORKFLOW) == (TABLE, TRANSITIONS)
    assert WORKFLOW.lock_stops() == frozenset()  # plans have no lock date


@pytest.mark.parametrize("state", TABLE)
def test_an_old_revision_grants_nothing(state):
    assert WORKFLOW.permissions(state, current=False) == dict.fromkeys(ACTORS, frozenset())
    assert {a: set(p) for a, p in WORKFLOW.permissions(state).items() if p} == TABLE[state]


def new_plan() -> CommunePlan:
    return CommunePlan(space_id=1, year=2017, revision=1, is_current=True, state="draft", activities=[], events=[])


def test_a_plan_through_its_life():
    plan = new_plan()
    assert apply_transition(plan, "save", 7) == "draft"
    assert apply_transition(plan, "submit", 7) == "submitted" and plan.submitted_at is not None
    # a comment on a part is enough to return it: one event for the return, one per part
    assert apply_transition(plan, "return", 1, "", {"targets": " Thiếu chỉ tiêu ", "section:khac": ""}) == "returned"
    assert apply_transition(plan, "save", 7) == "returned"  # the comments stay until it is sent again
    assert apply_transition(plan, "submit", 7) == "submitted"
    assert apply_transition(plan, "approve", 1) == "approved" and plan.approved_at is not None
    assert [(e.action, e.from_state, e.to_state, e.part, e.comment) for e in plan.events] == [
        ("save", "draft", "draft", "", ""),
        ("submit", "draft", "submitted", "", ""),
        ("return", "submitted", "returned", "", ""),
        ("comment", "returned", "returned", "targets", "Thiếu chỉ tiêu"),
        ("save", "returned", "returned", "", ""),
        ("submit", "returned", "submitted", "", ""),
        ("approve", "submitted", "approved", "", ""),
    ]


def test_a_comment_on_a_part_the_plan_does_not_have_does_not_count():
    plan = new_plan()
    plan.state = "submitted"
    assert "activity:1" not in valid_parts(plan)
    with pytest.raises(TransitionError) as caught:
        apply_transition(plan, "return", 1, "", {"activity:1": "Sai"})
    assert caught.value.code == TransitionCode.COMMENT_REQUIRED and plan.state == "submitted"


@pytest.mark.parametrize(
    "state, action",
    [
        ("approved", "save"),
        ("approved", "submit"),
        ("approved", "return"),
        ("draft", "approve"),
        ("returned", "return"),
    ],
)
def test_what_is_not_a_transition(state, action):
    plan = new_plan()
    plan.state = state
    with pytest.raises(TransitionError) as caught:
        apply_transition(plan, action, 1, "Lý do")
    assert caught.value.code == TransitionCode.NOT_ALLOWED and plan.events == []
