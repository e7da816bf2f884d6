"""The report workflow as data: states, transitions, and who may do what in each state.

    draft ──submit──▶ submitted ──accept──▶ accepted
      ▲                  │                     │
      └──(save)── returned ◀──return──┘        └──reopen──▶ draft

"returned" behaves like a draft for the space (saving it makes it a draft again). After the
period's lock date the space can no longer edit or submit unless the coordinator reopens it.
"""
from __future__ import annotations

from intranet.security.permissions import Permission as P

#: Actors: the space's local roles, "officer_submit" (an officer where the space lets officers
#: submit), and "reviewer" (the district coordinator).
STATE_PERMISSIONS: dict[str, dict[str, frozenset[P]]] = {
    "draft": {
        "head": frozenset({P.REPORT_EDIT, P.REPORT_SUBMIT}),
        "officer": frozenset({P.REPORT_EDIT}),
        "officer_submit": frozenset({P.REPORT_SUBMIT}),
        "viewer": frozenset(),
        "reviewer": frozenset(),
    },
    "returned": {
        "head": frozenset({P.REPORT_EDIT, P.REPORT_SUBMIT}),
        "officer": frozenset({P.REPORT_EDIT}),
        "officer_submit": frozenset({P.REPORT_SUBMIT}),
        "viewer": frozenset(),
        "reviewer": frozenset(),
    },
    "submitted": {
        "head": frozenset(),
        "officer": frozenset(),
        "officer_submit": frozenset(),
        "viewer": frozenset(),
        "reviewer": frozenset({P.REPORT_REVIEW, P.REPORT_REOPEN}),
    },
    "accepted": {
        "head": frozenset(),
        "officer": frozenset(),
        "officer_submit": frozenset(),
        "viewer": frozenset(),
        "reviewer": frozenset({P.REPORT_REOPEN}),
    },
}

#: After the lock date, a report that is not unlocked keeps only these (the space loses editing).
LOCKED_STATE_PERMISSIONS: dict[str, frozenset[P]] = {
    "reviewer": frozenset({P.REPORT_REOPEN}),
}

#: (state, action) -> new state; "save" keeps editable states editable.
TRANSITIONS: dict[tuple[str, str], str] = {
    ("draft", "save"): "draft",
    ("returned", "save"): "draft",
    ("draft", "submit"): "submitted",
    ("returned", "submit"): "submitted",
    ("submitted", "return"): "returned",
    ("submitted", "accept"): "accepted",
    ("submitted", "reopen"): "draft",
    ("accepted", "reopen"): "draft",
    ("draft", "reopen"): "draft",
    ("returned", "reopen"): "draft",
}

#: The permission each action needs.
ACTION_PERMISSION: dict[str, P] = {
    "save": P.REPORT_EDIT,
    "submit": P.REPORT_SUBMIT,
    "return": P.REPORT_REVIEW,
    "accept": P.REPORT_REVIEW,
    "reopen": P.REPORT_REOPEN,
}

#: Actions that need a comment.
COMMENT_REQUIRED = frozenset({"return", "reopen"})

EDITABLE_STATES = frozenset({"draft", "returned"})


def actor_permissions(state: str, locked: bool) -> dict[str, frozenset[P]]:
    """The permissions of each actor for a report in ``state`` (``locked``: past the lock date)."""
    if locked:
        return {actor: LOCKED_STATE_PERMISSIONS.get(actor, frozenset()) for actor in STATE_PERMISSIONS[state]}
    return STATE_PERMISSIONS[state]
