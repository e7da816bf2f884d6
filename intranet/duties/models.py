from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from intranet.models.meta import Base, TimestampMixin

PROGRESS = ("not_started", "in_progress", "done")


class DutyLog(TimestampMixin, Base):
    """What a space did on one of its duties (nhật ký thực hiện nhiệm vụ).

    The duty itself is declared by the space kind's plugin and referenced by its key.
    """

    __tablename__ = "duty_logs"

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"), index=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    duty_key: Mapped[str] = mapped_column(String(120), index=True)
    log_date: Mapped[dt.date] = mapped_column(Date)
    description: Mapped[str] = mapped_column(Text)
    progress: Mapped[str] = mapped_column(String(16))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    #: Optimistic lock: a save carrying an older version is a conflict, never an overwrite.
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    author = relationship("User", lazy="raise_on_sql")
    values = relationship("DutyLogValue", cascade="all, delete-orphan", lazy="raise_on_sql", order_by="DutyLogValue.id")
    evidence = relationship("Evidence", cascade="all, delete-orphan", lazy="raise_on_sql", order_by="Evidence.id")


class DutyLogValue(Base):
    """One measure's quantity in a duty log (narrow table: one row per measure)."""

    __tablename__ = "duty_log_values"
    __table_args__ = (UniqueConstraint("log_id", "measure_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    log_id: Mapped[int] = mapped_column(ForeignKey("duty_logs.id", ondelete="CASCADE"), index=True)
    measure_key: Mapped[str] = mapped_column(String(64))
    value: Mapped[int] = mapped_column(BigInteger)


class Evidence(TimestampMixin, Base):
    """A file attached to a duty log as evidence (minh chứng); its bytes are a Blob."""

    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    log_id: Mapped[int] = mapped_column(ForeignKey("duty_logs.id", ondelete="CASCADE"), index=True)
    blob_sha256: Mapped[str] = mapped_column(ForeignKey("blobs.sha256"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    uploaded_by: Mapped[int] = mapped_column(ForeignKey("users.id"))

    blob = relationship("Blob", lazy="raise_on_sql")
