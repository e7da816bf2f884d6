"""The assessment workflow (intranet/assessments/workflow.py) as data, and what its transitions do:
verifying keeps a snapshot of the result, recognising needs a result that passes, returning or
reopening starts verification again."""

from __future__ import annotations

import pytest

from intranet.assessments.models import Assessment
from intranet.assessments.workflow import FINAL_STATES, WORKFLOW
from intranet.security.permissions import Permission as P
from intranet.workflow import TransitionCode, TransitionError
from tests.fixtures.workflows import as_data

COMMUNE = {
    "head": {P.ASSESSMENT_EDIT, P.ASSESSMENT_SUBMIT},
    "officer": {P.ASSESSMENT_EDIT},
    "officer_submit": {P.ASSESSMENT_SUBMIT},
}
DISTRICT = {"reviewer": {P.ASSESSMENT_VERIFY}}
TABLE = {
    "draft": COMMUNE,
    "returned": COMMUNE,
    "submitted": DISTRICT,
    "verified": DISTRICT,
    "recognised": DISTRICT,
    "not_recognised": DISTRICT,
}
TRANSITIONS = {
    ("save", "draft"): ("draft", P.ASSESSMENT_EDIT, "unit", False, False),
    ("save", "returned"): ("draft", P.ASSESSMENT_EDIT, "unit", False, False),
    ("submit", "draft"): ("submitted", P.ASSESSMENT_SUBMIT, "unit", False, False),
    ("submit", "returned"): ("submitted", P.ASSESSMENT_SUBMIT, "unit", False, False),
    ("return", "submitted"): ("returned", P.ASSESSMENT_VERIFY, "reviewer", True, False),
    ("return", "verified"): ("returned", P.ASSESSMENT_VERIFY, "reviewer", True, False),
    ("verify", "submitted"): ("verified", P.ASSESSMENT_VERIFY, "reviewer", False, False),
    ("verify", "verified"): ("verified", P.ASSESSMENT_VERIFY, "reviewer", False, False),
    ("recognise", "verified"): ("recognised", P.ASSESSMENT_VERIFY, "reviewer", False, False),
    ("not_recognise", "verified"): ("not_recognised", P.ASSESSMENT_VERIFY, "reviewer", True, False),
    ("reopen", "recognised"): ("submitted", P.ASSESSMENT_VERIFY, "reviewer", True, False),
    ("reopen", "not_recognised"): ("submitted", P.ASSESSMENT_VERIFY, "reviewer", True, False),
}


def test_the_table_and_the_transitions():
    assert as_data(WORKFLOW) == (TABLE, TRANSITIONS)
    assert FINAL_STATES == {"recognised", "not_recognised"}


def new_assessment(state="draft") -> Assessment:
    return Assessment(space_id=1, year=2019, criteria_set_id=1, commune_class="other", state=state, events=[])


def snapshot(passed: bool):
    return lambda assessment: {"passed": passed, "total": 850 if passed else 849}


def test_an_assessment_recognised():
    a = new_assessment()
    WORKFLOW.apply(a, "save", user_id=7)
    WORKFLOW.apply(a, "submit", user_id=7)
    assert a.state == "submitted" and a.submitted_at is not None
    WORKFLOW.apply(a, "verify", user_id=1, snapshot=snapshot(True))
    assert a.result == {"passed": True, "total": 850} and a.verified_at is not None
    WORKFLOW.apply(a, "recognise", user_id=1)
    assert a.state == "recognised" and a.decided_at is not None
    # reopening starts verification again: the snapshot and the decision are gone
    WORKFLOW.apply(a, "reopen", user_id=1, comment="Xem lại tiêu chí 3")
    assert (a.state, a.result, a.verified_at, a.decided_at) == ("submitted", None, None, None)
    assert [e.action for e in a.events] == ["save", "submit", "verify", "recognise", "reopen"]


def test_a_result_that_does_not_pass_cannot_be_recognised():
    a = new_assessment("submitted")
    WORKFLOW.apply(a, "verify", user_id=1, snapshot=snapshot(False))
    with pytest.raises(TransitionError) as caught:
        WORKFLOW.apply(a, "recognise", user_id=1)
    assert caught.value.code == TransitionCode.NOT_PASSED and a.state == "verified"
    with pytest.raises(TransitionError) as caught:
        WORKFLOW.apply(a, "not_recognise", user_id=1)
    assert caught.value.code == TransitionCode.COMMENT_REQUIRED
    WORKFLOW.apply(a, "not_recognise", user_id=1, comment="Chưa đạt ngưỡng 850 điểm")
    assert a.state == "not_recognised" and a.result["passed"] is False


def test_verifying_again_takes_a_new_snapshot_and_returning_drops_it():
    a = new_assessment("submitted")
    WORKFLOW.apply(a, "verify", user_id=1, snapshot=snapshot(False))
    WORKFLOW.apply(a, "verify", user_id=1, snapshot=snapshot(True))
    assert a.result["passed"] is True
    WORKFLOW.apply(a, "return", user_id=1, comment="Bổ sung minh chứng")
    assert (a.state, a.result, a.verified_at) == ("returned", None, None)
    WORKFLOW.apply(a, "save", user_id=7)
    assert a.state == "draft"


@pytest.mark.parametrize(
    "state, action",
    [
        ("draft", "verify"),
        ("submitted", "recognise"),
        ("recognised", "verify"),
        ("recognised", "return"),
        ("not_recognised", "save"),
    ],
)
def test_what_is_not_a_transition(state, action):
    a = new_assessment(state)
    with pytest.raises(TransitionError) as caught:
        WORKFLOW.apply(a, action, user_id=1, comment="x", snapshot=snapshot(True))
    assert caught.value.code == TransitionCode.NOT_ALLOWED and a.state == state
