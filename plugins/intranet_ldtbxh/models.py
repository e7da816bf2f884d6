"""The registry of the programme's units: models, clubs and counselling points, and their activities.

Tables are prefixed with the plugin's key and created by the plugin's own Alembic branch
(``migrations/``, label "ldtbxh"). A counselling session's row holds counts and topic keys only:
no column can carry a child's name.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from intranet.plugin.models import Base, TimestampMixin

#: Unit kinds, in the order of the plan (section I), with their labels (msgids; Vietnamese in the
#: catalogue, the plan's own wording).
KIND_NETWORK = "mang_luoi"
KIND_PREVENTION = "mo_hinh_phong_ngua"
KIND_ONG_BA_CHAU = "clb_ong_ba_chau"
KIND_COMMUNITY_CLUB = "clb_bvte"
KIND_PARTICIPATION_CLUB = "clb_quyen_tham_gia"
KIND_COUNSELLING = "diem_tham_van"
UNIT_KINDS = (
    KIND_NETWORK,
    KIND_PREVENTION,
    KIND_ONG_BA_CHAU,
    KIND_COMMUNITY_CLUB,
    KIND_PARTICIPATION_CLUB,
    KIND_COUNSELLING,
)

STATE_ACTIVE = "active"
UNIT_STATES = (STATE_ACTIVE, "paused", "closed")

ACTIVITY_MEETING = "meeting"
ACTIVITY_BRIEFING = "briefing"
ACTIVITY_COUNSELLING = "counselling"
ACTIVITY_TALK = "talk"
ACTIVITY_KINDS = (ACTIVITY_MEETING, ACTIVITY_BRIEFING, ACTIVITY_COUNSELLING, ACTIVITY_TALK)


class Unit(TimestampMixin, Base):
    """One model, club or counselling point of the programme, run in one commune."""

    __tablename__ = "ldtbxh_units"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Stable key of a unit the plan names (the seed finds it again by this); None for units
    #: added later through the pages.
    code: Mapped[str | None] = mapped_column(String(64), unique=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    name: Mapped[str] = mapped_column(String(200))
    #: When it started working; None when the documents do not say (units "kept running").
    start_date: Mapped[dt.date | None] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(16), default=STATE_ACTIVE)
    notes: Mapped[str] = mapped_column(Text, default="")

    commune = relationship("Space", lazy="raise_on_sql")

    def __repr__(self) -> str:
        return f"<Unit {self.id} {self.kind} {self.space_id}>"


class UnitActivity(TimestampMixin, Base):
    """One meeting, briefing, counselling session (or day of sessions) or talk of a unit.

    ``participants`` counts the people who took part; for counselling it counts the children
    counselled and ``sessions`` the sessions held. ``topics`` is a list of keys from a fixed list.
    ``notes`` stays empty for counselling: its form has no free text.
    """

    __tablename__ = "ldtbxh_unit_activities"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("ldtbxh_units.id", ondelete="CASCADE"), index=True)
    activity_date: Mapped[dt.date] = mapped_column(Date, index=True)
    kind: Mapped[str] = mapped_column(String(32))
    participants: Mapped[int] = mapped_column(Integer, default=0)
    participants_male: Mapped[int | None] = mapped_column(Integer)
    participants_female: Mapped[int | None] = mapped_column(Integer)
    sessions: Mapped[int | None] = mapped_column(Integer)
    topics: Mapped[list] = mapped_column(JSON, default=list)
    notes: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)

    unit = relationship("Unit", lazy="raise_on_sql")
    author = relationship("User", lazy="raise_on_sql")
