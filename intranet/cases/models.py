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

from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, Integer, String, Text
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
