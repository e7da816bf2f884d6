"""Criteria sets and the child-friendly commune assessments made against them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from intranet.models.meta import Base, TimestampMixin, WorkflowEventMixin, utcnow

STATES = ("draft", "submitted", "returned", "verified", "recognised", "not_recognised")


class CriteriaSet(Base):
    """One version of a criteria set (bộ tiêu chí); never changed once stored.

    ``definition`` keeps the whole set as data (classes, rules, criteria) and ``fingerprint`` its
    SHA-256, so a second import of the same key and version is recognised or refused.
    """

    __tablename__ = "criteria_sets"
    __table_args__ = (UniqueConstraint("key", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    title_en: Mapped[str] = mapped_column(String(300), default="")
    legal_number: Mapped[str] = mapped_column(String(60))
    legal_date: Mapped[dt.date | None] = mapped_column(Date)
    legal_issuer: Mapped[str] = mapped_column(String(200), default="")
    valid_from: Mapped[int] = mapped_column(Integer, index=True)
    scoring: Mapped[str] = mapped_column(String(16))
    definition: Mapped[dict] = mapped_column(JSON)
    fingerprint: Mapped[str] = mapped_column(String(64))
    #: "plugin:<key>" or "import:<file name>"
    source: Mapped[str] = mapped_column(String(255))
    imported_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    criteria = relationship(
        "CriterionRow", order_by="CriterionRow.position", lazy="raise_on_sql", cascade="all, delete-orphan"
    )


class CriterionRow(Base):
    """A criterion of a stored set; scores refer to it, so an old assessment keeps its criteria."""

    __tablename__ = "criteria"
    __table_args__ = (UniqueConstraint("criteria_set_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    criteria_set_id: Mapped[int] = mapped_column(ForeignKey("criteria_sets.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(500))
    title_en: Mapped[str] = mapped_column(String(500), default="")
    max_points: Mapped[int | None] = mapped_column(Integer)
    prefill: Mapped[list] = mapped_column(JSON, default=list)


class CriteriaYear(TimestampMixin, Base):
    """The coordinator's choice of set for a year (e.g. an imported 2014 toolkit for 2017)."""

    __tablename__ = "criteria_set_years"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    criteria_set_id: Mapped[int] = mapped_column(ForeignKey("criteria_sets.id"), index=True)
    assigned_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class Assessment(TimestampMixin, Base):
    """A commune's assessment for one year, under the set fixed when it was created."""

    __tablename__ = "assessments"
    __table_args__ = (UniqueConstraint("space_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    criteria_set_id: Mapped[int] = mapped_column(ForeignKey("criteria_sets.id"), index=True)
    commune_class: Mapped[str] = mapped_column(String(40))
    state: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    submitted_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    verified_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    #: When the district recognised (or declined to recognise) the commune.
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    #: The result computed at verification: total, threshold, class, each rule — never recomputed.
    result: Mapped[dict | None] = mapped_column(JSON)
    #: Report figures offered to the commune: {"source": {...}, "values": {ref: number}}.
    prefill: Mapped[dict | None] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    space = relationship("Space", lazy="raise_on_sql")
    criteria_set = relationship("CriteriaSet", lazy="raise_on_sql")
    scores = relationship("AssessmentScore", cascade="all, delete-orphan", lazy="raise_on_sql")
    evidence = relationship(
        "AssessmentEvidence", cascade="all, delete-orphan", lazy="raise_on_sql", order_by="AssessmentEvidence.id"
    )
    events = relationship(
        "AssessmentEvent", cascade="all, delete-orphan", lazy="raise_on_sql", order_by="AssessmentEvent.id"
    )


class AssessmentScore(Base):
    """The commune's score on one criterion, its evidence, and the district's verified score."""

    __tablename__ = "assessment_scores"
    __table_args__ = (UniqueConstraint("assessment_id", "criterion_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("criteria.id"), index=True)
    self_score: Mapped[int | None] = mapped_column(Integer)
    met: Mapped[bool | None] = mapped_column(Boolean)
    evidence_text: Mapped[str] = mapped_column(Text, default="")
    #: Figures typed or pre-filled from the reports: {ref: number}.
    figures: Mapped[dict] = mapped_column(JSON, default=dict)
    verified_score: Mapped[int | None] = mapped_column(Integer)
    verified_met: Mapped[bool | None] = mapped_column(Boolean)
    #: Required when the verified score or met flag differs from the commune's.
    adjustment_reason: Mapped[str] = mapped_column(Text, default="")


class AssessmentEvidence(TimestampMixin, Base):
    """A file attached to a criterion of an assessment as evidence (minh chứng)."""

    __tablename__ = "assessment_evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("criteria.id"), index=True)
    blob_sha256: Mapped[str] = mapped_column(ForeignKey("blobs.sha256"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    uploaded_by: Mapped[int] = mapped_column(ForeignKey("users.id"))


class AssessmentEvent(WorkflowEventMixin, Base):
    """The assessment's history: every save and transition, who, when, with the comment."""

    __tablename__ = "assessment_events"

    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), index=True)
