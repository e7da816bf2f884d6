from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from intranet.models.meta import Base, TimestampMixin, utcnow

GLOBAL_ROLES = ("admin", "coordinator", "province")


class User(TimestampMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    password_hash: Mapped[str] = mapped_column(String(255))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    #: One of GLOBAL_ROLES, or None for a user who only holds local roles.
    global_role: Mapped[str | None] = mapped_column(String(20))
    #: Bumped on password change, disable and "log out everywhere": older sessions stop working.
    session_epoch: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    memberships = relationship("Membership", back_populates="user", cascade="all, delete-orphan", lazy="raise_on_sql")

    def __repr__(self) -> str:
        return f"<User {self.login}>"


class LoginThrottle(Base):
    """Failed-login counters, kept in the database so that every app server sees the same count."""

    __tablename__ = "login_throttles"
    __table_args__ = (UniqueConstraint("key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(128))
    failures: Mapped[int] = mapped_column(Integer, default=0)
    window_started_at: Mapped[dt.datetime] = mapped_column(DateTime)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime)


class UserSession(Base):
    """One signed-in browser. The signed cookie names the row by the SHA-256 of a random id;
    signing out deletes the row, so a copy of the cookie kept from before stops working, and
    ``expires_at`` ends the session however active it stays (the idle timeout is the cookie's)."""

    __tablename__ = "user_sessions"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)


class ApiToken(Base):
    """A personal API token (``Authorization: Bearer …``); only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: The first characters of the token, to tell tokens apart on the profile page.
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    user = relationship("User", lazy="raise_on_sql")
