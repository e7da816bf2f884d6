"""What holds for every workflow the core declares (reports, commune plans, assessments, a case's
support and intervention plan): each
transition can be performed by the actor it names, every state can be reached, a viewer never
acts, the unit and the district never hold each other's permissions, and the lock date takes
only the unit's edits."""

from __future__ import annotations

import pytest

from intranet.assessments.workflow import WORKFLOW as ASSESSMENT
from intranet.cases.workflow import WORKFLOW as CASE_PLAN
from intranet.plans.workflow import WORKFLOW as PLAN
from intranet.reports.workflow import WORKFLOW as REPORT
from intranet.security.permissions import Permission as P
from intranet.workflow import ACTORS, NOTHING, UNIT_ACTORS

WORKFLOWS = [REPORT, PLAN, ASSESSMENT, CASE_PLAN]
IDS = [w.key for w in WORKFLOWS]
#: What only the district does to a unit's document.
REVIEWING = {P.REPORT_REVIEW, P.REPORT_REOPEN, P.PLAN_REVIEW, P.ASSESSMENT_VERIFY}
#: What only the unit does to its own document.
DRAFTING = {P.REPORT_EDIT, P.REPORT_SUBMIT, P.PLAN_EDIT, P.PLAN_SUBMIT, P.PLAN_ATTACH}
DRAFTING |= {P.ASSESSMENT_EDIT, P.ASSESSMENT_SUBMIT}


def test_the_core_declares_four_workflows_with_their_keys():
    assert [w.key for w in WORKFLOWS] == ["report", "commune_plan", "assessment", "case_plan"]


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=IDS)
def test_every_transition_can_be_performed_by_its_actor(workflow):
    for t in workflow.transitions:
        for state in t.sources:
            held = workflow.permissions(state, locked=t.actor == "reviewer" and not t.lock_applies)
            if t.actor == "reviewer":
                able = {"reviewer"} if t.permission in held["reviewer"] else set()
            else:
                able = {a for a in UNIT_ACTORS if t.permission in held[a]}
            assert able, f"{workflow.key}: nobody may {t.action} from {state}"


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=IDS)
def test_every_state_is_reached_from_the_first(workflow):
    reached, todo = {workflow.initial}, [workflow.initial]
    while todo:
        state = todo.pop()
        for t in workflow.actions(state):
            target = t.target_from(state)
            if target not in reached:
                reached.add(target)
                todo.append(target)
    assert reached == set(workflow.states)
    assert workflow.editable_states <= reached and workflow.waiting_states <= reached


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=IDS)
def test_who_holds_what(workflow):
    for state, table in workflow.states.items():
        assert set(table) == set(ACTORS)
        assert table["viewer"] == NOTHING, (workflow.key, state)
        assert not (table["reviewer"] & DRAFTING), (workflow.key, state)
        for actor in UNIT_ACTORS:
            assert not (table[actor] & REVIEWING), (workflow.key, state, actor)
        # an officer who may submit gains submitting only, never more than the head has
        assert table["officer_submit"] <= table["head"]


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=IDS)
def test_the_lock_date(workflow):
    stopped = workflow.lock_stops()
    assert stopped == ({P.REPORT_EDIT, P.REPORT_SUBMIT} if workflow is REPORT else set())
    for state in workflow.states:
        open_, locked = workflow.permissions(state), workflow.permissions(state, locked=True)
        for actor in ACTORS:
            if actor in UNIT_ACTORS:
                assert locked[actor] == open_[actor] - stopped, (workflow.key, state, actor)
            else:
                assert open_[actor] <= locked[actor], (workflow.key, state, actor)
        assert workflow.permissions(state, current=False) == dict.fromkeys(ACTORS, NOTHING)


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=IDS)
def test_a_document_in_an_editable_state_can_be_saved_and_sent(workflow):
    for state in workflow.editable_states:
        actions = {t.action for t in workflow.actions(state)}
        assert {"save", "submit"} <= actions, (workflow.key, state)
    for state in workflow.waiting_states:
        assert any(t.actor == "reviewer" for t in workflow.actions(state)), (workflow.key, state)
