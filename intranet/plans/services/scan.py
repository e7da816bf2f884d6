"""The signed and stamped scan of an approved plan."""

from __future__ import annotations

from sqlalchemy import select

from intranet.documents.models import Blob
from intranet.documents.services import store
from intranet.models.meta import utcnow
from intranet.plans.models import (
    CommunePlan,
    CommunePlanEvent,
)
from intranet.workflow import TransitionCode, TransitionError


def attach_scan(dbsession, plan: CommunePlan, filename: str, data: bytes, kind: str, user_id: int | None) -> None:
    if plan.state != "approved" or not plan.is_current:
        raise TransitionError(TransitionCode.NOT_ALLOWED, "attach")
    blob = store(dbsession, data, kind)
    dbsession.flush()
    plan.scan_sha256 = blob.sha256
    plan.scan_filename = filename
    plan.scan_uploaded_at = utcnow()
    plan.events.append(
        CommunePlanEvent(
            user_id=user_id, action="attach", from_state=plan.state, to_state=plan.state, comment=filename, part=""
        )
    )


def scan(dbsession, plan: CommunePlan):
    """(content type, bytes) of the plan's signed scan, or None."""
    if not plan.scan_sha256:
        return None
    row = dbsession.execute(select(Blob.content_type, Blob.data).where(Blob.sha256 == plan.scan_sha256)).one_or_none()
    return tuple(row) if row else None
