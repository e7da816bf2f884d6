"""The workflow side of the plugin contract: a plugin declares a document's workflow as data,
exactly as the core declares reports, commune plans and assessments (intranet/*/workflow.py)::

    from intranet.plugin import Permission as P
    from intranet.plugin.workflow import ACTORS, NOTHING, Workflow, events_of, transition

    WORKFLOW = Workflow(
        key="mykey.request", record_event=events_of(MyEvent),   # its history rows
        states={"draft": {...every actor...: frozenset(...)}, "sent": {...}},
        transitions=(transition("send", "draft", "sent", P.MY_SEND),
                     transition("return", "sent", "draft", P.MY_REVIEW, actor="reviewer",
                                comment_required=True)),
    )

    def includeme(config):
        config.add_workflow(WORKFLOW)        # one key, one workflow: a second one stops start-up

A resource's ACL is then ``workflow_acl(space, WORKFLOW.permissions(doc.state))`` (from here),
and ``perform`` or ``WORKFLOW.apply`` moves a document; a refusal is a ``TransitionError`` with a ``TransitionCode``.
The actors are the space's local roles ("head", "officer", "viewer"), "officer_submit" (an officer
where the space lets officers submit) and "reviewer" (the district coordinator).
"""

from __future__ import annotations

from intranet.resources import workflow_acl
from intranet.workflow import (
    ACTORS,
    NOTHING,
    Context,
    DocumentTransitioned,
    Transition,
    TransitionCode,
    TransitionError,
    Workflow,
    events_of,
    get_workflow,
    latest_return,
    transition,
)
from intranet.workflow.documents import Subject, VersionConflict, check_version, perform, save_versioned

__all__ = [
    "ACTORS",
    "NOTHING",
    "Context",
    "DocumentTransitioned",
    "Subject",
    "Transition",
    "TransitionCode",
    "TransitionError",
    "VersionConflict",
    "Workflow",
    "check_version",
    "events_of",
    "get_workflow",
    "latest_return",
    "perform",
    "save_versioned",
    "transition",
    "workflow_acl",
]
