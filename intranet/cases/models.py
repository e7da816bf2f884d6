"""The child register: one entry per child of a commune, the groups the child belongs to, and the
supports the child received (issue 11, section 1; DESIGN.md section 11).

Identifying values never reach these tables as typed. A column listed in a model's ``ENCRYPTED``
holds a token of :mod:`intranet.cases.crypto` (TEXT, the same on SQLite and PostgreSQL), bound to
``"<table>.<column>:<reference>"``: the row's random ``reference``, chosen before the insert and
never changed, so that a token copied to another row or column does not decrypt there.
:mod:`intranet.cases.services` is the only writer and reader of those columns.

What stays plain is what identifies nobody by itself and what counting needs: the commune, sex,
ethnic group, the groups with their dates, who recorded what and when. Not the year of birth, nor
an age: with the commune and the sex they single out a child; ages are counted from the decrypted
dates. ``match_index`` is the keyed hash (HMAC) of the folded name and the birth date
(:func:`intranet.cases.names.match_key`): it finds a likely duplicate across the district without
decrypting anything, and shows nothing to whoever lacks the index key.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, CheckConstraint, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from intranet.models.meta import Base, TimestampMixin, utcnow

#: "male" / "female" (Nam / Nữ).
SEXES = ("male", "female")
#: The length of the random references (``Child.reference``, ``ChildSupport.reference``).
REFERENCE_LENGTH = 11


class Child(TimestampMixin, Base):
    """A child of a commune's register (Sổ theo dõi trẻ em)."""

    __tablename__ = "children"

    #: The columns that hold tokens, in the order a form shows them.
    ENCRYPTED = ("full_name", "date_of_birth", "village", "carers", "contact", "notes")

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Random, public, never a name: what URLs will show, and the encrypted values' context.
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    #: The commune whose register holds the child.
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id"), index=True)
    full_name: Mapped[str] = mapped_column(Text)
    #: The ISO date (yyyy-mm-dd), encrypted.
    date_of_birth: Mapped[str] = mapped_column(Text)
    #: The village (thôn, làng) where the child lives.
    village: Mapped[str] = mapped_column(Text)
    #: The carer(s): parents, grandparents, guardian, with how they are related.
    carers: Mapped[str] = mapped_column(Text)
    #: How to reach the carers: a telephone number, an address.
    contact: Mapped[str] = mapped_column(Text)
    notes: Mapped[str] = mapped_column(Text)
    sex: Mapped[str] = mapped_column(String(8))
    #: The two-digit code of the list of Vietnam's 54 ethnic groups (01 Kinh, ...); None: unknown.
    ethnicity: Mapped[str | None] = mapped_column(String(2))
    #: HMAC-SHA256 (hex) of match_key(full_name, date_of_birth) under the index key.
    match_index: Mapped[str] = mapped_column(String(64), index=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    space = relationship("Space", lazy="raise_on_sql")
    groups = relationship(
        "ChildGroup", cascade="all, delete-orphan", lazy="raise_on_sql", order_by="ChildGroup.from_date"
    )
    supports = relationship(
        "ChildSupport", cascade="all, delete-orphan", lazy="raise_on_sql", order_by="ChildSupport.given_on"
    )

    def __repr__(self) -> str:
        return f"<Child {self.reference}>"


class ChildGroup(Base):
    """The child belongs to a group of ``groups.yaml`` from ``from_date``, until ``until_date``."""

    __tablename__ = "child_groups"
    __table_args__ = (CheckConstraint("until_date IS NULL OR until_date >= from_date", name="until_after_from"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id", ondelete="CASCADE"), index=True)
    group_code: Mapped[str] = mapped_column(String(32), index=True)
    from_date: Mapped[dt.date] = mapped_column(Date)
    #: None while the child is still in the group.
    until_date: Mapped[dt.date | None] = mapped_column(Date)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class ChildSupport(Base):
    """A support the child received: what (encrypted: it is told in free text), when, by which unit."""

    __tablename__ = "child_supports"

    ENCRYPTED = ("description",)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Random, never shown: the encrypted description's context.
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id", ondelete="CASCADE"), index=True)
    description: Mapped[str] = mapped_column(Text)
    given_on: Mapped[dt.date] = mapped_column(Date)
    #: The unit that gave it; None for a giver outside the intranet's units (named in the description).
    provider_space_id: Mapped[int | None] = mapped_column(ForeignKey("spaces.id"), index=True)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


# --- case management (Decree 56/2017/NĐ-CP, Articles 25-30) -------------------------------------

#: Who reported (Mẫu 01): Tổng đài 111, the police, a school, a health facility, the family, the
#: child, a neighbour, someone else.
REPORTER_KINDS = ("hotline_111", "police", "school", "health", "family", "child", "neighbour", "other")
#: The levels of harm, of the abuser's access to the child and of the environment (Mẫu 02, 06).
RISK_LEVELS = ("high", "medium", "low")
#: The states of the support and intervention plan (Mẫu 04); the workflow engine moves them.
PLAN_STATES = ("draft", "submitted", "approved", "returned")
#: A service's outcome (Mẫu 04, carrying out the plan).
OUTCOMES = ("done", "not_done")
#: What a review (Mẫu 06) decides: close the case, or draw up a new plan.
REVIEW_DECISIONS = ("close", "new_plan")


def _one_of(column: str, values: tuple[str, ...]) -> str:
    """A CHECK that ``column`` is NULL or one of ``values`` (constants of this module, never input)."""
    listed = ", ".join(f"'{value}'" for value in values)
    return f"{column} IS NULL OR {column} IN ({listed})"


class Case(TimestampMixin, Base):
    """A child-protection case (hồ sơ trường hợp) of a commune, from the report's receipt to its
    closing. Each step's values sit on the row; the stage is computed from them, never stored."""

    __tablename__ = "cases"
    __table_args__ = (
        # The commune's sequence of a year: two cases opened at once cannot take one number.
        UniqueConstraint("space_id", "year", "seq", name="uq_cases_space_year_seq"),
        CheckConstraint("seq > 0", name="seq_positive"),
        CheckConstraint(_one_of("reporter_kind", REPORTER_KINDS), name="reporter_kind_known"),
        CheckConstraint(_one_of("harm", RISK_LEVELS), name="harm_level"),
        CheckConstraint(_one_of("access", RISK_LEVELS), name="access_level"),
        CheckConstraint(_one_of("environment", RISK_LEVELS), name="environment_level"),
        CheckConstraint(_one_of("plan_state", PLAN_STATES), name="plan_state_known"),
        CheckConstraint("plan_round > 0", name="plan_round_positive"),
    )

    #: The columns that hold tokens, in the order of the forms (Mẫu 01 to 04).
    ENCRYPTED = ("reporter", "account", "emergency_measures", "findings", "plan_text", "plan_return_reason")

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Random, never shown as the case's name: the encrypted values' context.
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    #: What URLs and pages show: "TC-2017-0003" (prefix, year of receipt, sequence in the commune).
    number: Mapped[str] = mapped_column(String(32), unique=True)
    #: The commune's letters in the number, kept as given to the case (a commune keeps its prefix).
    prefix: Mapped[str] = mapped_column(String(12))
    #: The year of the receipt, in Đăk Tô, and the case's rank among that year's cases of the commune.
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id"), index=True)
    #: The child of the commune's register; None until the child is linked.
    child_id: Mapped[int | None] = mapped_column(ForeignKey("children.id"), index=True)
    case_worker_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)

    # Mẫu 01: receipt of the report.
    received_at: Mapped[dt.datetime] = mapped_column(DateTime)
    reporter_kind: Mapped[str] = mapped_column(String(16))
    #: Who reported and how to reach them (may be empty: a report can be anonymous).
    reporter: Mapped[str] = mapped_column(Text)
    #: What happened, as reported.
    account: Mapped[str] = mapped_column(Text)

    # Mẫu 02: initial assessment (None until it is recorded).
    initial_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    harm: Mapped[str | None] = mapped_column(String(8))
    access: Mapped[str | None] = mapped_column(String(8))
    environment: Mapped[str | None] = mapped_column(String(8))
    in_danger: Mapped[bool | None] = mapped_column(Boolean)
    emergency_measures: Mapped[str | None] = mapped_column(Text)
    #: When the child was separated from the abuser, where that was needed.
    separated_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    # Mẫu 03: detailed assessment and the case meeting.
    detailed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    findings: Mapped[str | None] = mapped_column(Text)
    meeting_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    # Mẫu 04 / 05: the support and intervention plan and the decision approving it.
    plan_drafted_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    #: The plan's objectives and measures.
    plan_text: Mapped[str | None] = mapped_column(Text)
    #: Why the chairman returned the plan, the last time (encrypted: it may name the child).
    plan_return_reason: Mapped[str | None] = mapped_column(Text)
    #: None before a plan exists; then draft / submitted / approved / returned.
    plan_state: Mapped[str | None] = mapped_column(String(16))
    plan_submitted_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    plan_approved_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    decision_number: Mapped[str | None] = mapped_column(String(50))
    decision_date: Mapped[dt.date | None] = mapped_column(Date)
    #: 1 for the first plan; a review deciding on a new plan adds one. Services belong to a round.
    plan_round: Mapped[int] = mapped_column(Integer, default=1)
    #: When the first plan was approved, kept when a review asks for a new plan: the 5 working days
    #: of Decree 56 are the first plan's.
    first_plan_approved_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    # Closing (a review deciding "close") and reopening; a closed case is read-only.
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    reopened_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    #: When the retention period's end erased the case's free texts (intranet erase-expired-cases);
    #: its dates, risks, stage and numbers stay, for the counts.
    erased_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    next_review_on: Mapped[dt.date | None] = mapped_column(Date)

    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    space = relationship("Space", lazy="raise_on_sql")
    child = relationship("Child", lazy="raise_on_sql")
    helpers = relationship("CaseHelper", cascade="all, delete-orphan", lazy="raise_on_sql")
    services = relationship("CaseService", cascade="all, delete-orphan", lazy="raise_on_sql", order_by="CaseService.id")
    reviews = relationship("CaseReview", cascade="all, delete-orphan", lazy="raise_on_sql", order_by="CaseReview.id")

    def __repr__(self) -> str:
        return f"<Case {self.number}>"


class CaseHelper(Base):
    """A user assigned to help on a case: one of the case team (with the case worker, the
    commune's chairman and the coordinator)."""

    __tablename__ = "case_helpers"
    __table_args__ = (UniqueConstraint("case_id", "user_id", name="uq_case_helpers_case_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    assigned_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class CaseService(Base):
    """A service or intervention of the plan: what (encrypted), by which unit or person, by when,
    and its outcome (done / not done, and why)."""

    __tablename__ = "case_services"
    __table_args__ = (
        CheckConstraint(_one_of("outcome", OUTCOMES), name="outcome_known"),
        CheckConstraint("(outcome IS NULL) = (outcome_on IS NULL)", name="outcome_dated"),
    )

    ENCRYPTED = ("description", "assignee", "outcome_note")

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Random, never shown: the encrypted values' context.
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    #: The plan (Case.plan_round) the service belongs to.
    plan_round: Mapped[int] = mapped_column(Integer, default=1)
    description: Mapped[str] = mapped_column(Text)
    #: The unit that carries it out; None for a person or body outside the intranet's units.
    assigned_space_id: Mapped[int | None] = mapped_column(ForeignKey("spaces.id"), index=True)
    #: The person who carries it out, in free text (may be empty when a unit is named).
    assignee: Mapped[str] = mapped_column(Text)
    due_on: Mapped[dt.date] = mapped_column(Date)
    #: None while open; then "done" or "not_done".
    outcome: Mapped[str | None] = mapped_column(String(8))
    #: What was done, or why it was not.
    outcome_note: Mapped[str | None] = mapped_column(Text)
    outcome_on: Mapped[dt.date | None] = mapped_column(Date)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    outcome_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class CaseReview(Base):
    """A review of the case (Mẫu 06): the three risks again, and the decision to close the case or
    to draw up a new plan."""

    __tablename__ = "case_reviews"
    __table_args__ = (
        CheckConstraint(_one_of("harm", RISK_LEVELS), name="harm_level"),
        CheckConstraint(_one_of("access", RISK_LEVELS), name="access_level"),
        CheckConstraint(_one_of("environment", RISK_LEVELS), name="environment_level"),
        CheckConstraint(_one_of("decision", REVIEW_DECISIONS), name="decision_known"),
    )

    ENCRYPTED = ("notes",)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Random, never shown: the encrypted notes' context.
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    reviewed_on: Mapped[dt.date] = mapped_column(Date)
    harm: Mapped[str] = mapped_column(String(8))
    access: Mapped[str] = mapped_column(String(8))
    environment: Mapped[str] = mapped_column(String(8))
    decision: Mapped[str] = mapped_column(String(16))
    notes: Mapped[str] = mapped_column(Text)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


# --- referrals between units (issue 11, section 3) -----------------------------------------------

#: The states of a referral (intranet.cases.referrals.TRANSITIONS moves them): waiting for the
#: coordinator's override (consent missing), sent to the receiving unit, accepted or declined by
#: it, and "completed" once the receiving unit recorded the outcome.
REFERRAL_STATES = ("awaiting_override", "sent", "accepted", "declined", "completed")


class CaseReferral(Base):
    """A service of a case referred to another unit (chuyển gửi), which accepts or declines it and
    records the outcome. The receiving unit reads this row's summary and its service, nothing else
    of the case. Consent is recorded as given or not (plain, for the rule); who gave it and every
    free text are encrypted."""

    __tablename__ = "case_referrals"
    __table_args__ = (
        CheckConstraint(_one_of("state", REFERRAL_STATES), name="state_known"),
        CheckConstraint(_one_of("outcome", OUTCOMES), name="outcome_known"),
        CheckConstraint("(outcome IS NULL) = (outcome_on IS NULL)", name="outcome_dated"),
    )

    #: The summary written for the receiving unit; who gave consent for the parent or guardian;
    #: why the coordinator sent it without the consent required; why the unit declined it; what it did.
    ENCRYPTED = ("summary", "consent_by", "override_reason", "decline_reason", "outcome_note")

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Random, public: what the receiving unit's addresses show, and the encrypted values' context.
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("case_services.id", ondelete="CASCADE"), index=True)
    #: The receiving unit (never the case's commune).
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id"), index=True)
    state: Mapped[str] = mapped_column(String(20))
    summary: Mapped[str] = mapped_column(Text)
    #: Whether the parent or guardian consented, and whether the child did (the child's consent is
    #: required from age 7); the day consent was recorded.
    guardian_consent: Mapped[bool] = mapped_column(Boolean, default=False)
    child_consent: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_by: Mapped[str] = mapped_column(Text)
    consent_on: Mapped[dt.date | None] = mapped_column(Date)
    #: The coordinator's decision to send it without the consent required.
    override_reason: Mapped[str | None] = mapped_column(Text)
    overridden_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    overridden_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    #: When the receiving unit accepted or declined it, and who.
    answered_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    answered_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decline_reason: Mapped[str | None] = mapped_column(Text)
    #: "done" or "not_done", on ``outcome_on``, with what was done or why not.
    outcome: Mapped[str | None] = mapped_column(String(8))
    outcome_on: Mapped[dt.date | None] = mapped_column(Date)
    outcome_note: Mapped[str | None] = mapped_column(Text)
    outcome_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<CaseReferral {self.reference}>"
