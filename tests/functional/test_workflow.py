"""The one workflow engine: every declared workflow × state × role, and the engine's own rules."""

from __future__ import annotations

import pytest
from pyramid.authorization import ACLHelper
from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationConflictError

from intranet.assessments.models import Assessment
from intranet.assessments.resources import AssessmentResource
from intranet.plans.models import CommunePlan
from intranet.plans.resources import CommunePlanResource
from intranet.reports.models import Submission
from intranet.reports.resources import ReportResource
from intranet.resources import Root, SpaceResource
from intranet.security.permissions import Permission as P
from intranet.workflow import (
    ACTORS,
    UNIT_ACTORS,
    TransitionCode,
    TransitionError,
    Workflow,
    get_workflow,
    latest_return,
    transition,
    workflows,
)
from tests.fixtures.factories import get_space

CORE = ("report", "commune_plan", "assessment")


def _cases():
    from intranet.assessments.workflow import WORKFLOW as A
    from intranet.plans.workflow import WORKFLOW as PL
    from intranet.reports.workflow import WORKFLOW as R

    for wf in (R, PL, A):
        for state in wf.states:
            # Only reports have a lock date; only plans have revisions (an old one is not current).
            for locked in (False, True) if wf.key == "report" else (False,):
                for current in (True, False) if wf.key == "commune_plan" else (True,):
                    for officers_may_submit in (False, True):
                        yield pytest.param(
                            wf.key,
                            state,
                            locked,
                            current,
                            officers_may_submit,
                            id=f"{wf.key}-{state}-{'locked' if locked else 'open'}-"
                            f"{'current' if current else 'old'}-{'osub' if officers_may_submit else 'head'}",
                        )


def _resource(registry, dbsession, key, state, locked, current, space):
    from intranet.reports.services import period_by_code

    wf = get_workflow(registry, key)
    parent = SpaceResource(space, Root())
    if key == "report":
        period = period_by_code(dbsession, "2017-6t")
        doc = Submission(
            form_key="xa.bao-cao",
            form_version=1,
            space_id=space.id,
            period_id=period.id,
            state=state,
            unlocked=not locked,
        )
        # Past the lock date or not, as the case says, whatever today's date.
        return _Locked(ReportResource(parent, "xa.bao-cao", period, doc, wf), locked)
    if key == "commune_plan":
        return CommunePlanResource(
            parent, CommunePlan(space_id=space.id, year=2017, revision=1, state=state, is_current=current, title=""), wf
        )
    return AssessmentResource(
        parent, 2017, Assessment(space_id=space.id, year=2017, criteria_set_id=1, commune_class="", state=state), wf
    )


class _Locked:
    """A report resource whose lock is the test's, whatever today's date."""

    def __init__(self, resource, locked):
        self._resource, self.locked = resource, locked

    @property
    def __acl__(self):
        from intranet.resources import workflow_acl

        r = self._resource
        return workflow_acl(r.space, r.workflow.permissions(r.state, locked=self.locked))

    @property
    def __parent__(self):
        return self._resource.__parent__


def test_every_core_workflow_is_declared(app):
    assert set(CORE) <= set(workflows(app.registry))


@pytest.mark.parametrize("key,state,locked,current,officers_may_submit", list(_cases()))
def test_acl_follows_the_declared_workflow(app, dbsession, key, state, locked, current, officers_may_submit):
    """What each role may do to a document is exactly its workflow's table for the state; the lock
    takes only the unit's edits (never the reviewer's); an old plan revision grants nothing."""
    wf = get_workflow(app.registry, key)
    space = get_space(dbsession, "tan-canh")
    space.officers_may_submit = officers_may_submit
    resource = _resource(app.registry, dbsession, key, state, locked, current, space)
    table = wf.states[state]
    every = {t.permission for t in wf.transitions} | set().union(*table.values())
    helper = ACLHelper()
    principals = {
        "head": f"space:{space.id}:head",
        "officer": f"space:{space.id}:officer",
        "viewer": f"space:{space.id}:viewer",
        "reviewer": "role:coordinator",
    }
    stopped = {t.permission for t in wf.transitions if t.lock_applies} if locked else set()
    for actor, principal in principals.items():
        expected = set(table[actor])
        if actor == "officer" and officers_may_submit:
            expected |= table["officer_submit"]
        if actor in UNIT_ACTORS:
            expected -= stopped
        if locked:
            expected |= wf.locked_grants.get(state, {}).get(actor, set())
        if not current:
            expected = set()
        granted = {p for p in every if helper.permits(resource, ["system.Everyone", principal], p)}
        assert granted == expected, (key, state, actor)
    # The lock never stops the reviewer: past the date she keeps all she had (and may reopen).
    assert wf.permissions(state, locked=False)["reviewer"] <= wf.permissions(state, locked=True)["reviewer"]
    # The admin and the province never act on a document.
    for principal in ("role:province", "role:admin"):
        assert not {p for p in every if helper.permits(resource, ["system.Everyone", principal], p)}


def test_a_submitted_report_can_be_reviewed_after_the_lock_date(app):
    wf = get_workflow(app.registry, "report")
    reviewer = wf.permissions("submitted", locked=True)["reviewer"]
    assert {P.REPORT_REVIEW, P.REPORT_REOPEN} <= reviewer
    assert not wf.permissions("draft", locked=True)["head"]


# --- the engine itself -----------------------------------------------------------------------------


class Doc:
    def __init__(self, state="draft"):
        self.state, self.updated_at, self.events, self.touched = state, None, [], []


def _record(doc, ctx, new_state):
    doc.events.append((ctx.transition.action, ctx.from_state, new_state, ctx.comment))


def _demo_workflow(**kw):
    states = {s: dict.fromkeys(ACTORS, frozenset()) for s in ("draft", "sent", "done")}
    states["draft"]["head"] = frozenset({P.REPORT_EDIT, P.REPORT_SUBMIT})
    states["sent"]["reviewer"] = frozenset({P.REPORT_REVIEW})
    return Workflow(
        key=kw.pop("key", "demo"),
        states=states,
        record_event=_record,
        transitions=(
            transition(
                "send",
                "draft",
                "sent",
                P.REPORT_SUBMIT,
                lock_applies=True,
                hooks=[lambda d, c: d.touched.append(c.now)],
            ),
            transition("back", "sent", "draft", P.REPORT_REVIEW, actor="reviewer", comment_required=True),
            transition(
                "close",
                "sent",
                "done",
                P.REPORT_REVIEW,
                actor="reviewer",
                guard=lambda d, c: None if c.extra.get("ok") else TransitionCode.NOT_PASSED,
            ),
        ),
    )


def test_apply_moves_runs_hooks_and_records():
    wf, doc = _demo_workflow(), Doc()
    assert wf.apply(doc, "send", user_id=1) == "sent"
    assert doc.state == "sent" and doc.updated_at is not None and doc.touched == [doc.updated_at]
    assert doc.events == [("send", "draft", "sent", "")]


@pytest.mark.parametrize(
    "action,kw,code",
    [
        ("close", {}, TransitionCode.NOT_ALLOWED),  # not from draft
        ("send", {"locked": True}, TransitionCode.LOCKED),
    ],
)
def test_refusals_have_codes(action, kw, code):
    wf, doc = _demo_workflow(), Doc()
    with pytest.raises(TransitionError) as exc:
        wf.apply(doc, action, user_id=1, **kw)
    assert exc.value.code == code
    assert doc.state == "draft" and doc.events == []


def test_comment_and_guard():
    wf, doc = _demo_workflow(), Doc("sent")
    with pytest.raises(TransitionError) as exc:
        wf.apply(doc, "back", user_id=2, comment="   ")
    assert exc.value.code == TransitionCode.COMMENT_REQUIRED
    with pytest.raises(TransitionError) as exc:
        wf.apply(doc, "close", user_id=2)
    assert exc.value.code == TransitionCode.NOT_PASSED
    assert wf.apply(doc, "close", user_id=2, ok=True) == "done"
    # A reviewer's transition is not lock-bound: it goes through past the lock date.
    doc2 = Doc("sent")
    assert wf.apply(doc2, "back", user_id=2, comment=" Thiếu số liệu ", locked=True) == "draft"
    assert doc2.events[-1] == ("back", "sent", "draft", "Thiếu số liệu")


def test_a_workflow_must_list_every_actor_and_known_states():
    with pytest.raises(ValueError):
        Workflow(key="bad", states={"draft": {"head": frozenset()}}, transitions=(), record_event=_record)
    states = {"draft": dict.fromkeys(ACTORS, frozenset())}
    with pytest.raises(ValueError):
        Workflow(
            key="bad",
            states=states,
            record_event=_record,
            transitions=(transition("go", "draft", "nowhere", P.REPORT_EDIT),),
        )


def test_two_workflows_with_one_key_fail_at_start_up():
    config = Configurator(settings={})
    config.include("intranet.workflow")
    config.add_workflow(_demo_workflow())
    config.add_workflow(_demo_workflow())
    with pytest.raises(ConfigurationConflictError):
        config.commit()


def test_latest_return_is_cleared_by_a_new_submit():
    class E:
        def __init__(self, action):
            self.action = action

    ret = E("return")
    assert latest_return([E("submit"), ret, E("save")]) is ret
    assert latest_return([E("submit"), ret, E("submit")]) is None
    assert latest_return([]) is None


def test_a_plugin_declares_a_workflow_through_the_contract():
    from intranet.plugin import workflow as contract

    config = Configurator(settings={})
    config.include("intranet.workflow")
    states = {s: dict.fromkeys(contract.ACTORS, contract.NOTHING) for s in ("draft", "sent")}
    declared = contract.Workflow(
        key="tuphap.request",
        states=states,
        record_event=_record,
        transitions=(contract.transition("send", "draft", "sent", P.REPORT_SUBMIT),),
    )
    config.add_workflow(declared)
    config.commit()
    assert get_workflow(config.registry, "tuphap.request") is declared
    assert callable(contract.workflow_acl) and contract.TransitionError is TransitionError
