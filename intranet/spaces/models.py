from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from intranet.models.meta import Base, TimestampMixin

LOCAL_ROLES = ("head", "officer", "viewer")
CATEGORIES = ("agency", "commune")


class Space(TimestampMixin, Base):
    """A party's area (đơn vị): one district agency or one commune committee."""

    __tablename__ = "spaces"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    #: The space kind a plugin serves ("congan", "xa", …); it selects the duty list.
    kind: Mapped[str] = mapped_column(String(64), index=True)
    category: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200), default="")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    #: Whether officers (not only the head) may submit this unit's reports.
    officers_may_submit: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")

    memberships = relationship("Membership", back_populates="space", cascade="all, delete-orphan", lazy="raise_on_sql")

    def __repr__(self) -> str:
        return f"<Space {self.slug}>"


class Membership(TimestampMixin, Base):
    """A user's local role in one space; the principal is ``space:<id>:<role>``."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("user_id", "space_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    #: Whether the member is the unit's child-protection officer (cán bộ làm công tác bảo vệ trẻ
    #: em), principal ``space:<id>:protection``. A role alone never opens children's data: the
    #: child register and cases open only to designated members, the unit's head and the district
    #: coordinator (DESIGN.md section 11). A viewer is never designated (the sharing page refuses).
    protects_children: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    user = relationship("User", back_populates="memberships", lazy="raise_on_sql")
    space = relationship("Space", back_populates="memberships", lazy="raise_on_sql")
