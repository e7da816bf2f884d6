"""The assessment workflow as data: states, transitions, and who may do what in each state.

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

from intranet.security.permissions import Permission as P

_COMMUNE_EDITS = {
    "head": frozenset({P.ASSESSMENT_EDIT, P.ASSESSMENT_SUBMIT}),
    "officer": frozenset({P.ASSESSMENT_EDIT}),
    "officer_submit": frozenset({P.ASSESSMENT_SUBMIT}),
    "viewer": frozenset(),
    "reviewer": frozenset(),
}
_DISTRICT_ONLY = {
    "head": frozenset(),
    "officer": frozenset(),
    "officer_submit": frozenset(),
    "viewer": frozenset(),
    "reviewer": frozenset({P.ASSESSMENT_VERIFY}),
}

#: Actors: the commune's local roles, "officer_submit" (an officer where the commune lets
#: officers submit: Space.officers_may_submit), and "reviewer" (the district coordinator).
STATE_PERMISSIONS: dict[str, dict[str, frozenset[P]]] = {
    "draft": _COMMUNE_EDITS,
    "returned": _COMMUNE_EDITS,
    "submitted": _DISTRICT_ONLY,
    "verified": _DISTRICT_ONLY,
    "recognised": _DISTRICT_ONLY,
    "not_recognised": _DISTRICT_ONLY,
}

#: (state, action) -> new state
TRANSITIONS: dict[tuple[str, str], str] = {
    ("draft", "save"): "draft",
    ("returned", "save"): "draft",
    ("draft", "submit"): "submitted",
    ("returned", "submit"): "submitted",
    ("submitted", "return"): "returned",
    ("verified", "return"): "returned",
    ("submitted", "verify"): "verified",
    ("verified", "verify"): "verified",
    ("verified", "recognise"): "recognised",
    ("verified", "not_recognise"): "not_recognised",
    ("recognised", "reopen"): "submitted",
    ("not_recognised", "reopen"): "submitted",
}

#: The permission each action needs.
ACTION_PERMISSION: dict[str, P] = {
    "save": P.ASSESSMENT_EDIT,
    "submit": P.ASSESSMENT_SUBMIT,
    "return": P.ASSESSMENT_VERIFY,
    "verify": P.ASSESSMENT_VERIFY,
    "recognise": P.ASSESSMENT_VERIFY,
    "not_recognise": P.ASSESSMENT_VERIFY,
    "reopen": P.ASSESSMENT_VERIFY,
}

#: Actions that need a comment.
COMMENT_REQUIRED = frozenset({"return", "not_recognise", "reopen"})

EDITABLE_STATES = frozenset({"draft", "returned"})
FINAL_STATES = frozenset({"recognised", "not_recognised"})


def actor_permissions(state: str) -> dict[str, frozenset[P]]:
    """The permissions of each actor for an assessment in ``state``."""
    return STATE_PERMISSIONS[state]
