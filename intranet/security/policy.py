"""The Pyramid 2 security policy: identity from the signed session or a bearer token, ACLs over
the tree.

The session holds only the user id and the user's session epoch. Once per request the user row
is read and the epoch compared, so a password change, a disabled account or "log out everywhere"
ends every other session at its next request.

Under /api/ a request may instead carry ``Authorization: Bearer <token>``: a personal API token,
stored only as its SHA-256 (intranet/accounts/token_views.py makes them). Such a request is
authenticated by the token alone, never by the session; a wrong or revoked token makes it
anonymous, which the API answers with 401. Tokens do nothing outside /api/: a leaked token can
read and edit through the API but cannot make new tokens or change the password.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from pyramid.authorization import ACLHelper, Authenticated, Everyone
from pyramid.request import RequestLocalCache
from pyramid.security import Denied
from sqlalchemy import or_, select, update
from sqlalchemy.exc import OperationalError

from intranet.security.roles import WRITING_LOCAL_ROLES, space_principal

SESSION_USER = "uid"
SESSION_EPOCH = "epoch"
#: The random id of the server-side session row (accounts.models.UserSession).
SESSION_ID = "sid"
#: The name of the session cookie (intranet/security/__init__.py sets it).
SESSION_COOKIE = "intranet_session"
#: Where bearer tokens are honoured.
API_PREFIX = "/api/"
#: last_used_at is written at most this often, so that reads do not turn into writes.
TOKEN_TOUCH_INTERVAL = dt.timedelta(minutes=1)
#: Longer "tokens" are not ours (ours are 43 characters); do not hash megabytes.
MAX_TOKEN_LENGTH = 200


def hash_token(token: str) -> str:
    """The hex SHA-256 of an API token: the only form in which a token is stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def bearer_token(request) -> str | None:
    """The token of an ``Authorization: Bearer …`` header ("" when malformed), else None."""
    header = request.headers.get("Authorization", "")
    scheme, _sep, value = header.strip().partition(" ")
    if scheme.lower() != "bearer":
        return None
    value = value.strip()
    return value if 0 < len(value) <= MAX_TOKEN_LENGTH else ""


def is_api_request(request) -> bool:
    return request.path_info.startswith(API_PREFIX)


def uses_bearer_token(request) -> bool:
    """An API call that carries a bearer token and no session cookie.

    A browser adds cookies to forged cross-site requests but never an Authorization header, so
    such a call needs no CSRF token (DESIGN.md section 4).
    """
    return is_api_request(request) and bearer_token(request) is not None and SESSION_COOKIE not in request.cookies


def csrf_required(request) -> bool:
    """The ``callback`` of the default CSRF options: whether an unsafe request must carry a token."""
    return not uses_bearer_token(request)


@dataclass
class Identity:
    user: object
    memberships: list = field(default_factory=list)
    #: The API token the request was authenticated with; None for a session.
    token_id: int | None = None

    @property
    def id(self) -> int:
        return self.user.id

    @property
    def global_role(self) -> str | None:
        return self.user.global_role

    def role_in(self, space_id: int) -> str | None:
        for m in self.memberships:
            if m.space_id == space_id:
                return m.role
        return None

    @property
    def space_ids(self) -> set[int]:
        return {m.space_id for m in self.memberships}


def _memberships(request, user) -> list:
    from intranet.spaces.models import Membership

    return list(request.dbsession.scalars(select(Membership).where(Membership.user_id == user.id)))


def load_token_identity(request, token: str) -> Identity | None:
    from intranet.accounts.models import ApiToken, User
    from intranet.models.meta import utcnow

    if not token:
        return None
    row = request.dbsession.execute(
        select(ApiToken.id, ApiToken.last_used_at, User)
        .join(User, User.id == ApiToken.user_id)
        .where(ApiToken.token_hash == hash_token(token), ApiToken.revoked_at.is_(None))
    ).one_or_none()
    if row is None or not row.User.is_active:
        return None
    now = utcnow()
    if row.last_used_at is None or now - row.last_used_at >= TOKEN_TOUCH_INTERVAL:
        _touch_token(request.dbsession, row.id, now)
    return Identity(user=row.User, memberships=_memberships(request, row.User), token_id=row.id)


def _touch_token(dbsession, token_id: int, now: dt.datetime) -> None:
    """Record the use; a lost race (another request touched it, SQLite busy) is not an error."""
    from intranet.accounts.models import ApiToken

    stale = now - TOKEN_TOUCH_INTERVAL
    try:
        with dbsession.begin_nested():
            dbsession.execute(
                update(ApiToken)
                .where(ApiToken.id == token_id, or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at <= stale))
                .values(last_used_at=now)
                .execution_options(synchronize_session=False)
            )
    except OperationalError:
        pass


def load_identity(request) -> Identity | None:
    from intranet.accounts.models import User, UserSession
    from intranet.accounts.services import hash_session_id
    from intranet.models.meta import utcnow

    if is_api_request(request):
        token = bearer_token(request)
        if token is not None:
            return load_token_identity(request, token)
    user_id = request.session.get(SESSION_USER)
    session_id = request.session.get(SESSION_ID)
    if not isinstance(user_id, int) or not isinstance(session_id, str):
        return None
    # One statement: the user, and whether this browser's session is still open on the server
    # (signing out deletes the row; a session also ends at its absolute lifetime).
    user = request.dbsession.scalars(
        select(User)
        .join(UserSession, UserSession.user_id == User.id)
        .where(
            User.id == user_id, UserSession.id_hash == hash_session_id(session_id), UserSession.expires_at > utcnow()
        )
    ).one_or_none()
    if user is None or not user.is_active or user.session_epoch != request.session.get(SESSION_EPOCH):
        request.session.invalidate()
        return None
    return Identity(user=user, memberships=_memberships(request, user))


class SecurityPolicy:
    def __init__(self):
        self.acl = ACLHelper()
        # Pyramid asks the policy every time request.identity is read: load it once per request.
        self._identity_cache = RequestLocalCache(load_identity)

    def identity(self, request):
        return self._identity_cache.get_or_create(request)

    def authenticated_userid(self, request):
        identity = request.identity
        return identity.id if identity else None

    def effective_principals(self, request) -> list[str]:
        principals = [Everyone]
        identity = request.identity
        if identity is None:
            return principals
        principals += [Authenticated, f"user:{identity.id}"]
        if identity.global_role:
            principals.append(f"role:{identity.global_role}")
        for m in identity.memberships:
            principals.append(space_principal(m.space_id, m.role))
            if m.role in WRITING_LOCAL_ROLES:
                principals.append(f"space:{m.space_id}:writer:{identity.id}")
        return principals

    def permits(self, request, context, permission):
        if context is None:
            return Denied("no context")
        return self.acl.permits(context, self.effective_principals(request), permission)

    def remember(self, request, userid, **kw):
        from intranet.accounts import services
        from intranet.accounts.models import User

        self._identity_cache.clear(request)
        user = request.dbsession.get(User, userid)
        services.end_session(request.dbsession, request.session.get(SESSION_ID))
        request.session.invalidate()  # a fresh session: no fixation across the login
        lifetime = int(request.registry.settings["intranet.session_max_seconds"])
        request.session[SESSION_ID] = services.start_session(request.dbsession, user, lifetime)
        request.session[SESSION_USER] = user.id
        request.session[SESSION_EPOCH] = user.session_epoch
        request.session.new_csrf_token()
        return []

    def forget(self, request, **kw):
        from intranet.accounts import services

        self._identity_cache.clear(request)
        services.end_session(request.dbsession, request.session.get(SESSION_ID))
        request.session.invalidate()
        return []
