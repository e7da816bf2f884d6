"""The commune plan workflow as data: states, transitions, and who may do what in each state.

    draft ──submit──▶ submitted ──approve──▶ approved ──revise──▶ (revision n+1, draft)
      ▲                  │
      └──submit── returned ◀──return──┘

"returned" stays returned while the commune fixes it, so the coordinator's comments stay beside
the parts they concern until the plan is submitted again. An approved plan is locked; a change
needs a new revision (with a reason), and the approved revision stays readable. Only the current
revision of a year can change at all.
"""
from __future__ import annotations

from intranet.security.permissions import Permission as P

#: Actors: the commune's local roles, "officer_submit" (an officer where the commune lets officers
#: submit: Space.officers_may_submit), and "reviewer" (the district coordinator).
ACTORS = ("head", "officer", "officer_submit", "viewer", "reviewer")

_EDITABLE = {
    "head": frozenset({P.PLAN_EDIT, P.PLAN_SUBMIT}),
    "officer": frozenset({P.PLAN_EDIT}),
    "officer_submit": frozenset({P.PLAN_SUBMIT}),
    "viewer": frozenset(),
    "reviewer": frozenset(),
}

STATE_PERMISSIONS: dict[str, dict[str, frozenset[P]]] = {
    "draft": _EDITABLE,
    "returned": _EDITABLE,
    "submitted": {
        "head": frozenset(),
        "officer": frozenset(),
        "officer_submit": frozenset(),
        "viewer": frozenset(),
        "reviewer": frozenset({P.PLAN_REVIEW}),
    },
    "approved": {
        "head": frozenset({P.PLAN_REVISE, P.PLAN_ATTACH}),
        "officer": frozenset({P.PLAN_ATTACH}),
        "officer_submit": frozenset(),
        "viewer": frozenset(),
        "reviewer": frozenset({P.PLAN_REVISE}),
    },
}

#: (state, action) -> new state.
TRANSITIONS: dict[tuple[str, str], str] = {
    ("draft", "save"): "draft",
    ("returned", "save"): "returned",
    ("draft", "submit"): "submitted",
    ("returned", "submit"): "submitted",
    ("submitted", "return"): "returned",
    ("submitted", "approve"): "approved",
}

#: The permission each action needs. "revise" opens revision n+1 of an approved plan; "attach"
#: stores the signed scan of an approved plan.
ACTION_PERMISSION: dict[str, P] = {
    "save": P.PLAN_EDIT,
    "submit": P.PLAN_SUBMIT,
    "return": P.PLAN_REVIEW,
    "approve": P.PLAN_REVIEW,
    "revise": P.PLAN_REVISE,
    "attach": P.PLAN_ATTACH,
}

#: Actions that need a comment (for "return": on the plan or on at least one of its parts).
COMMENT_REQUIRED = frozenset({"return", "revise"})

EDITABLE_STATES = frozenset({"draft", "returned"})


def actor_permissions(state: str, current: bool) -> dict[str, frozenset[P]]:
    """The permissions of each actor on a plan in ``state``; an old revision grants nothing."""
    if not current:
        return dict.fromkeys(ACTORS, frozenset())
    return STATE_PERMISSIONS[state]
