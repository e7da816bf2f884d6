"""Saving and moving a versioned document: the one use case the pages and the API share.

    version check (409 with both versions) → store → transition → audit → notices

A document (a report, a commune plan, an assessment) carries a ``version`` that moves on every
save and transition; a form or an API call sends the version it read, and a stale one is a
:class:`VersionConflict`, never a silent overwrite.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from intranet.audit.services import record
from intranet.workflow import DocumentTransitioned, Workflow, transition_done


class VersionConflict(Exception):
    """Someone saved or moved the document after the sender read it."""

    def __init__(self, current: int):
        super().__init__(f"the document is at version {current}")
        self.current = current


def check_version(sent: int | None, document) -> None:
    """``sent`` is the version the form or the API call read (None for junk: a conflict)."""
    current = document.version if document is not None else 0
    if sent != current:
        raise VersionConflict(current)


@dataclass
class Subject:
    """What the audit trail and the notices say of one document (no personal data of a child)."""

    #: The audit action's prefix ("report" gives "report.submit") and the audited object type.
    audit_prefix: str
    obj_type: str
    space: object
    #: Where the document is read, for a notice's link.
    path: str
    #: The document's short title in Vietnamese ("Báo cáo 6 tháng đầu năm 2017").
    title: str
    detail: dict = field(default_factory=dict)


def perform(
    request,
    workflow: Workflow,
    document,
    action: str,
    subject: Subject,
    *,
    comment: str = "",
    locked: bool = False,
    audit_detail: dict | Callable | None = None,
    has_other_comment: bool = False,
    **extra,
) -> str:
    """Apply ``action`` (raises :class:`intranet.workflow.TransitionError`), audit it, tell the
    people concerned (every action but a plain save). Returns the new state."""
    before = document.state
    workflow.apply(
        document,
        action,
        user_id=request.identity.id,
        comment=comment,
        locked=locked,
        has_other_comment=has_other_comment,
        **extra,
    )
    request.dbsession.flush()
    if callable(audit_detail):
        audit_detail = audit_detail(document)  # what the transition itself computed (a snapshot)
    detail = {**subject.detail, "from": before, "to": document.state, **(audit_detail or {})}
    if comment.strip():
        detail["comment"] = comment.strip()
    record(
        request,
        f"{subject.audit_prefix}.{action}",
        subject.obj_type,
        document.id,
        space_id=subject.space.id,
        detail=detail,
    )
    if action != "save":
        transition_done(
            request,
            DocumentTransitioned(
                request=request,
                workflow=workflow,
                document=document,
                space=subject.space,
                action=action,
                from_state=before,
                to_state=document.state,
                comment=comment.strip(),
                path=subject.path,
                title=subject.title,
            ),
        )
    return document.state


def save_versioned(
    request,
    workflow: Workflow,
    *,
    document,
    sent_version: int | None,
    store: Callable[[], object],
    submit: bool,
    subject: Callable[[object], Subject],
    locked: bool = False,
    audit_detail: dict | None = None,
):
    """Check the version, store what was sent (``store()`` returns the document, creating it when
    needed), then save or submit it. Returns the document."""
    check_version(sent_version, document)
    document = store()
    perform(
        request,
        workflow,
        document,
        "submit" if submit else "save",
        subject(document),
        locked=locked,
        audit_detail=audit_detail,
    )
    return document
