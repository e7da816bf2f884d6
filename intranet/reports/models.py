from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from intranet.models.meta import Base, TimestampMixin, WorkflowEventMixin, utcnow

PERIOD_KINDS = ("half_year", "year")
STATES = ("draft", "submitted", "returned", "accepted")


class Period(TimestampMixin, Base):
    """A reporting period (kỳ báo cáo) of a plan year, with its due and lock dates."""

    __tablename__ = "periods"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    #: URL name, e.g. "2017-6t" (half-year) or "2017" (year)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    year: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(120))
    title_en: Mapped[str] = mapped_column(String(120))
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date] = mapped_column(Date)
    #: Reports first submitted on or before this day are on time.
    due_date: Mapped[dt.date] = mapped_column(Date)
    #: After this day only the coordinator can open a report again.
    lock_date: Mapped[dt.date] = mapped_column(Date)


class FormVersion(Base):
    """The definition of a report form as it was at one version, kept for old submissions."""

    __tablename__ = "report_form_versions"
    __table_args__ = (UniqueConstraint("form_key", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    form_key: Mapped[str] = mapped_column(String(120))
    version: Mapped[int] = mapped_column(Integer)
    definition: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class Submission(TimestampMixin, Base):
    """One space's report (báo cáo) on one form for one period."""

    __tablename__ = "submissions"
    __table_args__ = (UniqueConstraint("form_key", "space_id", "period_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    form_key: Mapped[str] = mapped_column(String(120))
    form_version: Mapped[int] = mapped_column(Integer)
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"), index=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("periods.id"), index=True)
    state: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    #: First submission: decides on time / late.
    first_submitted_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    submitted_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    accepted_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    #: Set by the coordinator's "reopen" after the lock date: the space may edit again.
    unlocked: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    space = relationship("Space", lazy="raise_on_sql")
    period = relationship("Period", lazy="raise_on_sql")
    values = relationship("SubmissionValue", cascade="all, delete-orphan", lazy="raise_on_sql")
    narratives = relationship("SubmissionNarrative", cascade="all, delete-orphan", lazy="raise_on_sql")
    events = relationship(
        "SubmissionEvent", cascade="all, delete-orphan", lazy="raise_on_sql", order_by="SubmissionEvent.id"
    )


class SubmissionValue(Base):
    """One figure of a report: the narrow table the district sums with one GROUP BY."""

    __tablename__ = "submission_values"
    __table_args__ = (
        UniqueConstraint("submission_id", "element_code", "option"),
        Index("ix_submission_values_element", "element_code", "option"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"), index=True)
    element_code: Mapped[str] = mapped_column(String(120))
    #: The disaggregation option ("nu", "0-5" …), or "" for an undivided figure.
    option: Mapped[str] = mapped_column(String(40), default="")
    value_num: Mapped[float | None] = mapped_column(Numeric(18, 2))
    value_text: Mapped[str | None] = mapped_column(Text)
    #: The unit's comment on the element's figures where they differ from what the commune's child
    #: register counts (on the element's first row only). Free text: shown where the report is
    #: shown, never in the API.
    note: Mapped[str | None] = mapped_column(Text)


class SubmissionNarrative(Base):
    __tablename__ = "submission_narratives"
    __table_args__ = (UniqueConstraint("submission_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)


class SubmissionEvent(WorkflowEventMixin, Base):
    """The report's history: every save and transition, who, when, with the comment."""

    __tablename__ = "submission_events"

    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"), index=True)


class IndicatorTarget(TimestampMixin, Base):
    """A plan year's baseline and target for one indicator (the indicator itself is a plugin's)."""

    __tablename__ = "indicator_targets"
    __table_args__ = (UniqueConstraint("plan_id", "indicator_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    indicator_key: Mapped[str] = mapped_column(String(120))
    baseline: Mapped[float | None] = mapped_column(Numeric(18, 2))
    #: "at_least" / "at_most" an absolute value, or "change_pct": the baseline changed by a percentage
    target_mode: Mapped[str] = mapped_column(String(16))
    target_value: Mapped[float] = mapped_column(Numeric(18, 2))
    #: How the plan states it, e.g. "Giảm 10% so với năm 2016"
    target_text: Mapped[str] = mapped_column(String(200), default="")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
