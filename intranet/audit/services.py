"""Write and read the audit trail. Details hold field changes, never a child's personal data."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from intranet.audit.models import AuditEntry


def record(request_or_session, action: str, obj_type: str, obj_id=None, *, space_id=None,
           detail=None, user_id=None, ip=None) -> AuditEntry:
    """Add one audit line in the current transaction (it commits or aborts with the change)."""
    if hasattr(request_or_session, "dbsession"):
        request = request_or_session
        dbsession = request.dbsession
        if user_id is None and request.identity is not None:
            user_id = request.identity.id
        ip = ip or request.client_addr
    else:
        dbsession = request_or_session
    entry = AuditEntry(
        user_id=user_id,
        action=action,
        object_type=obj_type,
        object_id=None if obj_id is None else str(obj_id),
        space_id=space_id,
        detail=detail or {},
        ip=ip,
    )
    dbsession.add(entry)
    return entry


def search(dbsession, *, user_id=None, space_id=None, date_from: dt.date | None = None,
           date_to: dt.date | None = None, page: int = 1, page_size: int = 50):
    """Audit lines matching the filters, newest first: (entries, total)."""
    from sqlalchemy.orm import selectinload

    q = select(AuditEntry)
    if user_id:
        q = q.where(AuditEntry.user_id == user_id)
    if space_id:
        q = q.where(AuditEntry.space_id == space_id)
    from intranet.i18n import utc_start_of

    if date_from:
        q = q.where(AuditEntry.at >= utc_start_of(date_from))
    if date_to:
        q = q.where(AuditEntry.at < utc_start_of(date_to + dt.timedelta(days=1)))
    total = dbsession.scalar(select(func.count()).select_from(q.subquery()))
    entries = dbsession.scalars(
        q.options(selectinload(AuditEntry.user), selectinload(AuditEntry.space))
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(page_size)
        .offset((page - 1) * page_size)
    ).all()
    return entries, total
