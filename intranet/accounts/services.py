"""Users, passwords and login throttling.

Passwords are hashed with argon2id through the passlib API (the libpass distribution). The
failed-login counters live in the database so that every app server sees the same count.
"""
from __future__ import annotations

import datetime as dt

from passlib.context import CryptContext
from sqlalchemy import select, update
from sqlalchemy.orm import object_session

from intranet.accounts.models import ApiToken, LoginThrottle, User
from intranet.models.meta import utcnow

pwd_context = CryptContext(schemes=["argon2"], deprecated="auto")

MAX_PASSWORD_LENGTH = 256
MIN_PASSWORD_LENGTH = 8


class PasswordTooLong(ValueError):
    pass


def hash_password(password: str) -> str:
    if len(password) > MAX_PASSWORD_LENGTH:
        raise PasswordTooLong()
    return pwd_context.hash(password)


def verify_password(password: str, password_hash: str) -> bool:
    if len(password) > MAX_PASSWORD_LENGTH:
        return False
    try:
        return pwd_context.verify(password, password_hash)
    except (ValueError, TypeError):
        return False


# A fixed hash checked when the login is unknown, so that answering takes as long either way.
_DUMMY_HASH = None


def _dummy_hash() -> str:
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = pwd_context.hash("not-a-real-password")
    return _DUMMY_HASH


def find_user(dbsession, login: str) -> User | None:
    return dbsession.scalars(select(User).where(User.login == login.strip().lower())).one_or_none()


def authenticate(dbsession, login: str, password: str) -> User | None:
    user = find_user(dbsession, login)
    if user is None:
        verify_password(password, _dummy_hash())
        return None
    if not verify_password(password, user.password_hash):
        return None
    if not user.is_active:
        return None
    if pwd_context.needs_update(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def set_password(user: User, password: str) -> None:
    """Change the password, end every session of the user and revoke their API tokens.

    A password change is what someone does who fears their account is known to another: a token
    made under the old password must stop working with the old sessions.
    """
    user.password_hash = hash_password(password)
    user.session_epoch = (user.session_epoch or 0) + 1
    dbsession = object_session(user)
    if dbsession is not None and user.id is not None:
        dbsession.execute(
            update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
            .values(revoked_at=utcnow())
        )


def password_problem(password: str, confirm: str | None = None):
    """A translation string saying what is wrong with a new password, or None."""
    from intranet.i18n import _

    if len(password) < MIN_PASSWORD_LENGTH:
        return _("The password must have at least ${n} characters.", mapping={"n": MIN_PASSWORD_LENGTH})
    if len(password) > MAX_PASSWORD_LENGTH:
        return _("The password must have at most ${n} characters.", mapping={"n": MAX_PASSWORD_LENGTH})
    if confirm is not None and password != confirm:
        return _("The two passwords do not match.")
    return None


# --- throttling -----------------------------------------------------------------------------


def throttle_key(login: str) -> str:
    return "login:" + login.strip().lower()[:100]


def locked_until(dbsession, key: str, now: dt.datetime | None = None) -> dt.datetime | None:
    now = now or utcnow()
    row = dbsession.scalars(select(LoginThrottle).where(LoginThrottle.key == key)).one_or_none()
    if row is not None and row.locked_until is not None and row.locked_until > now:
        return row.locked_until
    return None


def register_failure(dbsession, key: str, *, max_failures: int, lock_seconds: int,
                     now: dt.datetime | None = None) -> None:
    """Count one failed login atomically; lock the key after ``max_failures`` in the window."""
    now = now or utcnow()
    window_start = now - dt.timedelta(seconds=lock_seconds)
    dialect = dbsession.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    # One statement: insert the counter or, atomically, restart an old window / add one.
    stmt = insert(LoginThrottle).values(key=key, failures=1, window_started_at=now)
    excluded = stmt.excluded
    stmt = stmt.on_conflict_do_update(
        index_elements=[LoginThrottle.key],
        set_={
            "failures": _case_window(LoginThrottle, window_start, 1, LoginThrottle.failures + 1),
            "window_started_at": _case_window(
                LoginThrottle, window_start, excluded.window_started_at, LoginThrottle.window_started_at
            ),
        },
    )
    dbsession.execute(stmt)
    dbsession.execute(
        update(LoginThrottle)
        .where(LoginThrottle.key == key, LoginThrottle.failures >= max_failures)
        .values(locked_until=now + dt.timedelta(seconds=lock_seconds), failures=0, window_started_at=now)
    )


def _case_window(model, window_start, restart_value, continue_value):
    from sqlalchemy import case

    return case((model.window_started_at < window_start, restart_value), else_=continue_value)


def clear_failures(dbsession, key: str) -> None:
    dbsession.execute(
        update(LoginThrottle).where(LoginThrottle.key == key).values(failures=0, locked_until=None)
    )
