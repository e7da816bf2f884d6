"""The one workflow engine: reports, commune plans and assessments are declarations of it.

A :class:`Workflow` is data: its states, what each actor may do in each state, and its
transitions (from, to, the permission that performs it, whether a comment is required, whether
the lock date stops it) with per-transition hooks for side effects (dates, locking, snapshots).
The ACL of a document is computed from its state each time it is asked for, so nothing stored can
go stale. Applying a transition checks it, moves the state, runs the hooks and records the event;
what goes wrong is a :class:`TransitionError` with a :class:`TransitionCode`, never a string to
match.

Workflows are registered with ``config.add_workflow(workflow)`` (a plugin may declare its own);
two workflows with one key fail at start-up. After a transition, :func:`transition_done` tells the
rest of the intranet (notices subscribe to :class:`DocumentTransitioned`).
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from intranet.clock import utcnow
from intranet.security.permissions import Permission

#: The actors of a workflow: the space's local roles, "officer_submit" (an officer where the space
#: lets officers submit: Space.officers_may_submit) and "reviewer" (the district coordinator).
ACTORS = ("head", "officer", "officer_submit", "viewer", "reviewer")
#: The actors who work in the unit (the lock date stops them); the reviewer is not one of them.
UNIT_ACTORS = frozenset({"head", "officer", "officer_submit", "viewer"})

NOTHING: frozenset[Permission] = frozenset()


class TransitionCode(enum.StrEnum):
    """Why a transition was refused."""

    NOT_ALLOWED = "not_allowed"  # no such transition from the document's state
    COMMENT_REQUIRED = "comment_required"
    LOCKED = "locked"  # past the lock date, the unit can no longer do this
    NOT_CURRENT = "not_current"  # an old revision never moves
    NOT_PASSED = "not_passed"  # recognising an assessment whose result does not pass
    EXISTS = "exists"  # the document to create already exists
    NO_FILE = "no_file"


class TransitionError(ValueError):
    def __init__(self, code: TransitionCode, action: str = ""):
        super().__init__(f"{action}: {code}")
        self.code = code
        self.action = action


@dataclass(frozen=True)
class Context:
    """What a hook is told: the transition, who performs it, when, and the caller's extras."""

    transition: Transition
    user_id: int | None
    comment: str
    now: object
    from_state: str
    extra: Mapping = field(default_factory=dict)


#: A hook performs a side effect of a transition on the document (a date, an unlock, a snapshot).
Hook = Callable[[object, Context], None]
#: A guard refuses a transition that the state table allows, with a code (or None to allow).
Guard = Callable[[object, Context], "TransitionCode | None"]


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    #: The new state; None keeps the document in its state (e.g. saving a returned plan).
    target: str | None
    permission: Permission
    #: "unit" (the space's people) or "reviewer" (the district coordinator): who performs it.
    actor: str = "unit"
    comment_required: bool = False
    #: True when the period's lock date stops it (the unit's edits), False for the reviewer's acts.
    lock_applies: bool = False
    hooks: tuple[Hook, ...] = ()
    guard: Guard | None = None

    def target_from(self, state: str) -> str:
        return self.target or state


def transition(action: str, sources, target: str | None, permission: Permission, **kw) -> Transition:
    """A transition from one state or several (``sources``: a str or an iterable of str)."""
    sources = frozenset({sources} if isinstance(sources, str) else sources)
    kw["hooks"] = tuple(kw.get("hooks", ()))
    return Transition(action, sources, target, permission, **kw)


@dataclass(frozen=True)
class Workflow:
    key: str
    #: state -> actor -> the permissions the actor has on a document in that state.
    states: Mapping[str, Mapping[str, frozenset[Permission]]]
    transitions: tuple[Transition, ...]
    #: Records the event of a transition on the document: (doc, context, new_state) -> None.
    record_event: Callable[[object, Context, str], None]
    initial: str = "draft"
    editable_states: frozenset[str] = frozenset({"draft", "returned"})
    #: The states in which the document waits for the reviewer (the review queue lists them).
    waiting_states: frozenset[str] = frozenset({"submitted"})
    title: str = ""
    #: state -> actor -> permissions granted only past the lock date (reopening a locked draft
    #: so that the unit may still send it late).
    locked_grants: Mapping[str, Mapping[str, frozenset[Permission]]] = field(default_factory=dict)

    def __post_init__(self):
        for state, perms in self.states.items():
            if set(perms) != set(ACTORS):
                raise ValueError(f"workflow {self.key}: state {state} must list every actor {ACTORS}")
        seen = set()
        for t in self.transitions:
            for s in t.sources:
                if s not in self.states or (t.target is not None and t.target not in self.states):
                    raise ValueError(f"workflow {self.key}: {t.action} uses an unknown state")
                if (s, t.action) in seen:
                    raise ValueError(f"workflow {self.key}: two transitions {t.action} from {s}")
                seen.add((s, t.action))

    def find(self, state: str, action: str) -> Transition | None:
        for t in self.transitions:
            if t.action == action and state in t.sources:
                return t
        return None

    def actions(self, state: str) -> list[Transition]:
        return [t for t in self.transitions if state in t.sources]

    def lock_stops(self) -> frozenset[Permission]:
        """The permissions the lock date takes from the unit (those of its lock-bound transitions)."""
        return frozenset(t.permission for t in self.transitions if t.lock_applies)

    def permissions(
        self, state: str, *, locked: bool = False, current: bool = True
    ) -> dict[str, frozenset[Permission]]:
        """What each actor may do on a document in ``state``.

        ``locked``: past the lock date, the unit loses what the lock stops (editing, submitting);
        the reviewer keeps reviewing. ``current``: an old revision grants nothing.
        """
        if not current:
            return dict.fromkeys(ACTORS, NOTHING)
        table = self.states[state]
        if not locked:
            return dict(table)
        stopped = self.lock_stops()
        grants = self.locked_grants.get(state, {})
        return {
            actor: (perms - stopped if actor in UNIT_ACTORS else perms) | grants.get(actor, NOTHING)
            for actor, perms in table.items()
        }

    def check(self, state: str, action: str, *, locked: bool = False) -> Transition:
        t = self.find(state, action)
        if t is None:
            raise TransitionError(TransitionCode.NOT_ALLOWED, action)
        if locked and t.lock_applies:
            raise TransitionError(TransitionCode.LOCKED, action)
        return t

    def apply(
        self,
        doc,
        action: str,
        *,
        user_id: int | None,
        comment: str = "",
        locked: bool = False,
        has_other_comment: bool = False,
        **extra,
    ) -> str:
        """Move ``doc`` (which has ``state`` and ``updated_at``) by ``action``; returns the new state.

        ``has_other_comment``: the caller holds comments elsewhere (a plan's per-part comments),
        which satisfy a required comment.
        """
        t = self.check(doc.state, action, locked=locked)
        comment = (comment or "").strip()
        if t.comment_required and not comment and not has_other_comment:
            raise TransitionError(TransitionCode.COMMENT_REQUIRED, action)
        ctx = Context(transition=t, user_id=user_id, comment=comment, now=utcnow(), from_state=doc.state, extra=extra)
        if t.guard is not None:
            code = t.guard(doc, ctx)
            if code is not None:
                raise TransitionError(code, action)
        new_state = t.target_from(doc.state)
        doc.state = new_state
        # Every save and transition updates the row, so its version moves and a stale form conflicts.
        doc.updated_at = ctx.now
        for hook in t.hooks:
            hook(doc, ctx)
        self.record_event(doc, ctx, new_state)
        return new_state


def events_of(event_model, **fields) -> Callable[[object, Context, str], None]:
    """The usual ``record_event``: append ``event_model(...)`` (a WorkflowEventMixin row, with the
    extra ``fields`` given) to the document's ``events``."""

    def record(doc, ctx: Context, new_state: str) -> None:
        doc.events.append(
            event_model(
                user_id=ctx.user_id,
                action=ctx.transition.action,
                from_state=ctx.from_state,
                to_state=new_state,
                comment=ctx.comment,
                **fields,
            )
        )

    return record


# --- registration -----------------------------------------------------------------------------------


def add_workflow(config, workflow: Workflow) -> None:
    """``config.add_workflow(workflow)``: declare a workflow; one key, one workflow."""

    def register():
        config.registry["intranet.workflows"][workflow.key] = workflow

    config.action(("intranet.workflow", workflow.key), register, introspectables=())


def get_workflow(registry, key: str) -> Workflow:
    return registry["intranet.workflows"][key]


def workflows(registry) -> dict[str, Workflow]:
    return dict(registry["intranet.workflows"])


# --- after a transition -----------------------------------------------------------------------------


@dataclass
class DocumentTransitioned:
    """Sent (``registry.notify``) after a document moved, once it is flushed: notices listen."""

    request: object
    workflow: Workflow
    document: object
    space: object
    action: str
    from_state: str
    to_state: str
    comment: str
    #: Where the document is read (a path), for a notice's link.
    path: str
    #: A short, name-free title of the document ("Báo cáo 6 tháng đầu năm 2017 — Y tế").
    title: str


def transition_done(request, event: DocumentTransitioned) -> None:
    request.registry.notify(event)


def includeme(config):
    config.registry.setdefault("intranet.workflows", {})
    config.add_directive("add_workflow", add_workflow)


def latest_return(events):
    """The return event (with its comment) that the unit has not answered yet by submitting again,
    or None. ``events`` in the order they happened."""
    found = None
    for event in events:
        if event.action == "return":
            found = event
        elif event.action in ("submit", "accept", "approve"):
            found = None
    return found
