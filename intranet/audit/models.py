from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, DateTime, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from intranet.models.meta import Base, utcnow


class AuditEntry(Base):
    """One line of the audit trail: who did what, when, to which object, in which space."""

    __tablename__ = "audit_entries"
    #: A case's access log reads the lines of one object, newest first.
    __table_args__ = (Index("ix_audit_entries_object", "object_type", "object_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(String(64), index=True)
    object_type: Mapped[str] = mapped_column(String(64))
    object_id: Mapped[str | None] = mapped_column(String(64))
    space_id: Mapped[int | None] = mapped_column(ForeignKey("spaces.id", ondelete="SET NULL"), index=True)
    #: What changed (before/after of the fields), never a child's personal data.
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
    ip: Mapped[str | None] = mapped_column(String(64))

    user = relationship("User", lazy="raise_on_sql")
    space = relationship("Space", lazy="raise_on_sql")
