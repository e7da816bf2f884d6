from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from intranet.models.meta import Base, TimestampMixin, WorkflowEventMixin


class Plan(TimestampMixin, Base):
    """The programme plan of one year (Kế hoạch thực hiện Chương trình bảo vệ trẻ em)."""

    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, unique=True)
    title: Mapped[str] = mapped_column(String(300))
    issuer: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    #: Reporting deadlines of the year: half-year and year reports (05/6 and 15/12 in 2017).
    half_year_due: Mapped[dt.date] = mapped_column(Date)
    year_due: Mapped[dt.date] = mapped_column(Date)


# --- commune annual plans (kế hoạch công tác bảo vệ, chăm sóc trẻ em năm … của UBND xã) -------------

COMMUNE_PLAN_STATES = ("draft", "submitted", "returned", "approved")
#: The free-text parts of a commune plan, in the order the document prints them.
SECTION_KEYS = ("situation", "solutions", "organisation")


class CommunePlan(TimestampMixin, Base):
    """One revision of a commune's annual plan (one space, one year).

    A year's plan starts at revision 1; opening a new revision of an approved plan copies it into
    revision n+1 and marks the old one as no longer current (it stays readable, never editable).
    """

    __tablename__ = "commune_plans"
    __table_args__ = (UniqueConstraint("space_id", "year", "revision"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    #: False once a later revision has been opened.
    is_current: Mapped[bool] = mapped_column(Boolean, default=True)
    state: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    title: Mapped[str] = mapped_column(String(300))
    #: The document number and symbol without "Số:", e.g. "12/KH-UBND".
    number: Mapped[str] = mapped_column(String(60), default="")
    #: Why this revision was opened (empty for revision 1).
    reason: Mapped[str] = mapped_column(Text, default="")
    #: The plan this one was copied from: the previous revision, or last year's plan.
    source_id: Mapped[int | None] = mapped_column(ForeignKey("commune_plans.id", ondelete="SET NULL"))
    submitted_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    approved_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    #: The signed and stamped scan of the approved plan (a PDF or an image), stored as a Blob.
    scan_sha256: Mapped[str | None] = mapped_column(ForeignKey("blobs.sha256"))
    scan_filename: Mapped[str | None] = mapped_column(String(255))
    scan_uploaded_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    space = relationship("Space", lazy="raise_on_sql")
    targets = relationship(
        "CommunePlanTarget", cascade="all, delete-orphan", lazy="raise_on_sql", order_by="CommunePlanTarget.sort_order"
    )
    activities = relationship(
        "CommunePlanActivity",
        cascade="all, delete-orphan",
        lazy="raise_on_sql",
        order_by="CommunePlanActivity.sort_order",
    )
    sections = relationship("CommunePlanSection", cascade="all, delete-orphan", lazy="raise_on_sql")
    events = relationship(
        "CommunePlanEvent", cascade="all, delete-orphan", lazy="raise_on_sql", order_by="CommunePlanEvent.id"
    )

    def section_text(self, key: str) -> str:
        for s in self.sections:
            if s.key == key:
                return s.text
        return ""


class CommunePlanTarget(Base):
    """The commune's own number for one of the district plan's indicators."""

    __tablename__ = "commune_plan_targets"
    __table_args__ = (UniqueConstraint("plan_id", "indicator_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("commune_plans.id", ondelete="CASCADE"), index=True)
    indicator_key: Mapped[str] = mapped_column(String(120))
    #: The indicator's title and unit as the plan was drafted (Vietnamese data).
    label: Mapped[str] = mapped_column(String(300))
    unit: Mapped[str] = mapped_column(String(40), default="")
    baseline: Mapped[float | None] = mapped_column(Numeric(18, 2))
    #: Where a copied baseline came from, e.g. the period title "Năm 2017" of an accepted report.
    baseline_source: Mapped[str] = mapped_column(String(200), default="")
    target: Mapped[float | None] = mapped_column(Numeric(18, 2))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class CommunePlanActivity(Base):
    """One activity of a commune plan: what, in which months, who, how much, for which duty."""

    __tablename__ = "commune_plan_activities"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("commune_plans.id", ondelete="CASCADE"), index=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(Text)
    #: Months 1..12 as bits: bit (m - 1) set for month m.
    months_mask: Mapped[int] = mapped_column(Integer, default=0)
    responsible: Mapped[str] = mapped_column(String(200), default="")
    #: In đồng, a whole number ≥ 0.
    budget: Mapped[int] = mapped_column(BigInteger, default=0)
    budget_source: Mapped[str] = mapped_column(String(200), default="")
    #: The commune duty (plugin registry key) this activity serves.
    duty_key: Mapped[str] = mapped_column(String(120), default="")

    @property
    def months(self) -> list[int]:
        return [m for m in range(1, 13) if self.months_mask & (1 << (m - 1))]

    @months.setter
    def months(self, values) -> None:
        mask = 0
        for m in values:
            mask |= 1 << (int(m) - 1)
        self.months_mask = mask


class CommunePlanSection(Base):
    """A free-text part of the plan: situation, solutions, organisation."""

    __tablename__ = "commune_plan_sections"
    __table_args__ = (UniqueConstraint("plan_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("commune_plans.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text, default="")


class CommunePlanEvent(WorkflowEventMixin, Base):
    """The plan's history: every save and transition; a comment may concern one part of the plan
    ("targets", "activity:2", "section:situation"), so a returned plan shows it beside that part."""

    __tablename__ = "commune_plan_events"

    plan_id: Mapped[int] = mapped_column(ForeignKey("commune_plans.id", ondelete="CASCADE"), index=True)
    part: Mapped[str] = mapped_column(String(40), default="")
