"""Users, passwords and login throttling.

Passwords are hashed with argon2id through the passlib API (the libpass distribution). The
failed-login counters live in the database so that every app server sees the same count.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from passlib.context import CryptContext
from sqlalchemy import case, delete, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import object_session, selectinload

from intranet.accounts.models import ApiToken, LoginThrottle, User, UserSession
from intranet.i18n import _
from intranet.models.meta import utcnow
from intranet.spaces.models import Membership, Space

#: argon2id with OWASP's first recommended setting (19 MiB, 2 passes, 1 lane; Password Storage Cheat
#: Sheet). passlib's default (64 MiB, 3 passes, 4 lanes) made each worker's memory jump by 64 MiB at a
#: sign-in, past the 150 MB a worker may take. A hash made with other settings is made again at the
#: next successful sign-in (``needs_update``).
pwd_context = CryptContext(
    schemes=["argon2"],
    deprecated="auto",
    argon2__memory_cost=19456,
    argon2__time_cost=2,
    argon2__parallelism=1,
)

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


@dataclass(frozen=True)
class Credentials:
    """What checking a password needs, read in a short transaction that ends before the slow
    hash is computed (no lock is held while argon2 runs)."""

    user_id: int | None
    password_hash: str
    is_active: bool


def credentials(dbsession, login: str) -> Credentials:
    row = dbsession.execute(
        select(User.id, User.password_hash, User.is_active).where(User.login == login.strip().lower())
    ).one_or_none()
    if row is None:
        # Check a fixed hash all the same, so that answering takes as long either way.
        return Credentials(None, _dummy_hash(), False)
    return Credentials(row.id, row.password_hash, bool(row.is_active))


def password_matches(creds: Credentials, password: str) -> bool:
    """The slow part of signing in; touches no database."""
    matches = verify_password(password, creds.password_hash)
    return matches and creds.user_id is not None and creds.is_active


def upgraded_hash(creds: Credentials, password: str) -> str | None:
    """A new hash when the stored one uses older parameters (computed outside any transaction)."""
    return hash_password(password) if pwd_context.needs_update(creds.password_hash) else None


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
            update(ApiToken)
            .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
            .values(revoked_at=utcnow())
        )


def password_problem(password: str, confirm: str | None = None):
    """A translation string saying what is wrong with a new password, or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return _("The password must have at least ${n} characters.", mapping={"n": MIN_PASSWORD_LENGTH})
    if len(password) > MAX_PASSWORD_LENGTH:
        return _("The password must have at most ${n} characters.", mapping={"n": MAX_PASSWORD_LENGTH})
    if confirm is not None and password != confirm:
        return _("The two passwords do not match.")
    return None


# --- throttling -----------------------------------------------------------------------------
#
# Each attempt is counted *before* the password is checked, in one short transaction of its own,
# so that parallel attempts can never get more tries than the limit and no database lock is held
# while the (deliberately slow) password hash runs. A success clears the count. Past the free
# tries, the next attempt must wait, and the wait doubles with every further failure up to a
# ceiling: the real user is slowed, never locked out for long.
#
# Counters are kept per (login, address) and per address. Someone guessing a colleague's
# password from another machine delays only themselves; one address trying many logins is
# slowed as a whole (with a larger allowance, since an office may share one address).


@dataclass(frozen=True)
class ThrottleRule:
    key: str
    free_tries: int
    #: Failures older than this are forgotten.
    window_seconds: int
    #: The longest wait between two attempts.
    max_delay_seconds: int


#: The first wait after the free tries; it doubles with each further failure.
BASE_DELAY_SECONDS = 30


def login_rules(settings, login: str, address: str) -> list[ThrottleRule]:
    free = int(settings["intranet.login_max_failures"])
    window = int(settings["intranet.login_lock_seconds"])
    login = login.strip().lower()[:64]
    return [
        ThrottleRule(f"login:{login}|ip:{address}", free, window, window),
        ThrottleRule(f"ip:{address}", free * 10, window, window),
    ]


def password_rules(settings, user_id: int) -> list[ThrottleRule]:
    """Wrong "current password" answers on the password page count like failed logins."""
    free = int(settings["intranet.login_max_failures"])
    window = int(settings["intranet.login_lock_seconds"])
    return [ThrottleRule(f"password:{user_id}", free, window, window)]


def delay_after(failures: int, rule: ThrottleRule) -> int:
    """Seconds to wait before the next attempt, after ``failures`` failures in a row."""
    if failures < rule.free_tries:
        return 0
    return min(rule.max_delay_seconds, BASE_DELAY_SECONDS * 2 ** min(failures - rule.free_tries, 20))


def _insert(dbsession):
    """The dialect's INSERT, which knows ON CONFLICT (both PostgreSQL's and SQLite's have it)."""
    return postgresql_insert if dbsession.get_bind().dialect.name == "postgresql" else sqlite_insert


def reserve_attempt(dbsession, rules: list[ThrottleRule], now: dt.datetime | None = None) -> dt.datetime | None:
    """Count one attempt under every rule, or say until when the caller must wait.

    Returns None when the attempt may go ahead (it is already counted as a failure; call
    ``clear_failures`` on success), else the time of the earliest next attempt (nothing counted).
    """
    now = now or utcnow()
    insert = _insert(dbsession)
    for rule in rules:
        dbsession.execute(
            insert(LoginThrottle)
            .values(key=rule.key, failures=0, window_started_at=now)
            .on_conflict_do_nothing(index_elements=[LoginThrottle.key])
        )
    wait_until = None
    for rule in rules:
        # The row lock taken by this UPDATE (PostgreSQL) or the write lock (SQLite) makes a
        # parallel attempt wait here and then see the delay this one sets.
        row = dbsession.execute(
            select(LoginThrottle.locked_until).where(LoginThrottle.key == rule.key).with_for_update()
        ).one()
        if row.locked_until is not None and row.locked_until > now:
            wait_until = max(wait_until or row.locked_until, row.locked_until)
    if wait_until is not None:
        return wait_until
    for rule in rules:
        window_start = now - dt.timedelta(seconds=rule.window_seconds)
        failures = dbsession.execute(
            update(LoginThrottle)
            .where(LoginThrottle.key == rule.key)
            .values(
                failures=case((LoginThrottle.window_started_at < window_start, 1), else_=LoginThrottle.failures + 1),
                window_started_at=case(
                    (LoginThrottle.window_started_at < window_start, now), else_=LoginThrottle.window_started_at
                ),
            )
            .returning(LoginThrottle.failures)
        ).scalar_one()
        delay = delay_after(failures, rule)
        if delay:
            dbsession.execute(
                update(LoginThrottle)
                .where(LoginThrottle.key == rule.key)
                .values(locked_until=now + dt.timedelta(seconds=delay))
            )
    return None


def clear_failures(dbsession, rule: ThrottleRule) -> None:
    dbsession.execute(update(LoginThrottle).where(LoginThrottle.key == rule.key).values(failures=0, locked_until=None))


def attempt_succeeded(dbsession, rules: list[ThrottleRule]) -> None:
    """The attempt counted by ``reserve_attempt`` was right: clear the first rule (this login
    from this address) and take the attempt back from the others, so that an office sharing
    one address is slowed by its failures only, never by its colleagues signing in."""
    clear_failures(dbsession, rules[0])
    for rule in rules[1:]:
        dbsession.execute(
            update(LoginThrottle)
            .where(LoginThrottle.key == rule.key, LoginThrottle.failures > 0)
            .values(
                failures=LoginThrottle.failures - 1,
                locked_until=case(
                    (LoginThrottle.failures - 1 < rule.free_tries, None), else_=LoginThrottle.locked_until
                ),
            )
        )


def wait_minutes(until: dt.datetime, now: dt.datetime | None = None) -> int:
    seconds = (until - (now or utcnow())).total_seconds()
    return max(1, int(seconds // 60) + (1 if seconds % 60 else 0))


# --- sessions -------------------------------------------------------------------------------


def hash_session_id(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("utf-8")).hexdigest()


def start_session(dbsession, user: User, lifetime_seconds: int, now: dt.datetime | None = None) -> str:
    """A new server-side session for ``user``: returns the id the cookie will carry."""
    now = now or utcnow()
    # Sessions that ran out are of no use to anyone; drop them while we are writing anyway.
    dbsession.execute(delete(UserSession).where(UserSession.expires_at <= now))
    session_id = secrets.token_urlsafe(32)
    dbsession.add(
        UserSession(
            id_hash=hash_session_id(session_id),
            user_id=user.id,
            created_at=now,
            expires_at=now + dt.timedelta(seconds=lifetime_seconds),
        )
    )
    return session_id


def end_session(dbsession, session_id: str | None) -> None:
    if isinstance(session_id, str) and session_id:
        dbsession.execute(delete(UserSession).where(UserSession.id_hash == hash_session_id(session_id)))


# --- enabling and disabling accounts ----------------------------------------------------------


def set_active(user: User, active: bool) -> None:
    """Enable or disable an account. Disabling ends its sessions and revokes its API tokens for
    good: enabling it again later must not bring an old, perhaps leaked, token back to life."""
    user.is_active = active
    user.session_epoch = (user.session_epoch or 0) + 1
    dbsession = object_session(user)
    if not active and dbsession is not None and user.id is not None:
        dbsession.execute(
            update(ApiToken)
            .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
            .values(revoked_at=utcnow())
        )
        dbsession.execute(delete(UserSession).where(UserSession.user_id == user.id))


# --- the administrator's lists and lookups ------------------------------------------------------


def login_taken(dbsession, login: str) -> bool:
    return dbsession.scalar(select(User.id).where(User.login == login)) is not None


def user_id_by_login(dbsession, login: str) -> int | None:
    return dbsession.scalar(select(User.id).where(User.login == login))


def users_page(dbsession, term: str, *, page: int, size: int) -> tuple[list[User], int]:
    """Users whose login or name contains ``term`` ("%" and "_" are searched for, not wildcards),
    with their memberships, by login: (the page's users, the total). Two statements and one more
    for the memberships."""
    q = select(User)
    if term:
        q = q.where(or_(User.login.icontains(term, autoescape=True), User.full_name.icontains(term, autoescape=True)))
    total = dbsession.scalar(select(func.count()).select_from(q.subquery()))
    items = dbsession.scalars(
        q.options(selectinload(User.memberships).selectinload(Membership.space))
        .order_by(User.login)
        .limit(size)
        .offset((page - 1) * size)
    ).all()
    return list(items), total


def user_for_update(dbsession, user_id: int) -> User | None:
    return dbsession.scalars(select(User).where(User.id == user_id).with_for_update()).one_or_none()


def memberships_of(dbsession, user: User) -> list:
    """A user's memberships with their spaces, by space title."""
    return list(
        dbsession.scalars(
            select(Membership)
            .where(Membership.user_id == user.id)
            .options(selectinload(Membership.space))
            .join(Space)
            .order_by(Space.title)
        )
    )


def names_and_logins(dbsession, ids) -> dict[int, tuple[str, str]]:
    """id -> (full name, login) of these users, in one statement."""
    ids = set(ids)
    if not ids:
        return {}
    rows = dbsession.execute(select(User.id, User.full_name, User.login).where(User.id.in_(ids)))
    return {uid: (name, login) for uid, name, login in rows}


def full_names(dbsession, ids) -> dict[int, str]:
    return {uid: name for uid, (name, _login) in names_and_logins(dbsession, ids).items()}


def active_users(dbsession) -> list[User]:
    return list(dbsession.scalars(select(User).where(User.is_active.is_(True)).order_by(User.full_name)))


def user_by_login(dbsession, login: str) -> User | None:
    return dbsession.scalars(select(User).where(User.login == login)).one_or_none()


def tokens_of(dbsession, user_id: int) -> list[ApiToken]:
    """A user's tokens: those in use first, the newest first."""
    return list(
        dbsession.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user_id)
            .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc(), ApiToken.id.desc())
        )
    )


def token_for_update(dbsession, token_id: int, user_id: int) -> ApiToken | None:
    """The user's own token (another user's is not found), locked for the change."""
    return dbsession.scalars(
        select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == user_id).with_for_update()
    ).one_or_none()
