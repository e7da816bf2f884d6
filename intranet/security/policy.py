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
from typing import NamedTuple

from pyramid.authorization import ACLHelper, Authenticated, Everyone
from pyramid.request import RequestLocalCache
from pyramid.security import Denied
from pyramid.session import JSONSerializer, SignedCookieSessionFactory
from pyramid.settings import asbool
from sqlalchemy import bindparam, or_, select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import load_only

from intranet.accounts import services as account_services
from intranet.accounts.models import ApiToken, User, UserSession
from intranet.models.meta import utcnow
from intranet.resources import Root
from intranet.security.roles import WRITING_LOCAL_ROLES, protection_principal, space_principal
from intranet.spaces.models import Membership

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


class Grant(NamedTuple):
    """One local role of the user: the columns of a Membership row that security needs."""

    space_id: int
    role: str
    #: Designated the unit's child-protection officer (``Membership.protects_children``).
    protects_children: bool = False


@dataclass
class Identity:
    """Who is asking, read once per request in one statement: the principals and the layout need
    the id, the name, the global role and the local roles, never the password hash."""

    #: The User row with only the identity's columns loaded (others load on first use: a password
    #: change reads the hash). It stays in the session, so that a document's history written in
    #: this request names its author without another query.
    user: User
    memberships: list[Grant] = field(default_factory=list)
    #: The API token the request was authenticated with; None for a session.
    token_id: int | None = None

    def __post_init__(self):
        self.id: int = self.user.id
        self.full_name: str = self.user.full_name
        self.global_role: str | None = self.user.global_role
        self.roles: dict[int, str] = {m.space_id: m.role for m in self.memberships}

    def role_in(self, space_id: int) -> str | None:
        return self.roles.get(space_id)

    @property
    def space_ids(self) -> set[int]:
        return set(self.roles)


def _identity_query(query):
    """``query``, which reaches the users table, with the user (only what an identity needs) and
    the user's local roles (and whether each designates a child-protection officer) joined in:
    one statement, one row per membership (one row with NULLs for a user who has none)."""
    return (
        query.add_columns(User, Membership.space_id, Membership.role, Membership.protects_children)
        .options(load_only(User.id, User.full_name, User.global_role, User.is_active, User.session_epoch))
        .outerjoin(Membership, Membership.user_id == User.id)
    )


#: The identity of a browser session, built once: every page runs it (see load_identity).
_SESSION_IDENTITY = _identity_query(
    select()
    .select_from(UserSession)
    .join(User, User.id == UserSession.user_id)
    .where(
        User.id == bindparam("user_id"),
        UserSession.id_hash == bindparam("id_hash"),
        UserSession.expires_at > bindparam("now"),
    )
)


def _identity(rows, token_id: int | None = None) -> Identity:
    """The identity from the rows of :func:`_identity_query`."""
    return Identity(
        user=rows[0].User,
        memberships=[Grant(r.space_id, r.role, r.protects_children) for r in rows if r.space_id is not None],
        token_id=token_id,
    )


def load_token_identity(request, token: str) -> Identity | None:
    if not token:
        return None
    rows = request.dbsession.execute(
        _identity_query(
            select(ApiToken.id.label("token_id"), ApiToken.last_used_at)
            .join(User, User.id == ApiToken.user_id)
            .where(ApiToken.token_hash == hash_token(token), ApiToken.revoked_at.is_(None))
        )
    ).all()
    if not rows or not rows[0].User.is_active:
        return None
    row = rows[0]
    now = utcnow()
    if row.last_used_at is None or now - row.last_used_at >= TOKEN_TOUCH_INTERVAL:
        _touch_token(request.dbsession, row.token_id, now)
    return _identity(rows, token_id=row.token_id)


def _touch_token(dbsession, token_id: int, now: dt.datetime) -> None:
    """Record the use; a lost race (another request touched it, SQLite busy) is not an error."""
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
    if is_api_request(request):
        token = bearer_token(request)
        if token is not None:
            return load_token_identity(request, token)
    user_id = request.session.get(SESSION_USER)
    session_id = request.session.get(SESSION_ID)
    if not isinstance(user_id, int) or not isinstance(session_id, str):
        return None
    # One statement: the user, whether this browser's session is still open on the server
    # (signing out deletes the row; a session also ends at its absolute lifetime), and the
    # user's local roles.
    rows = request.dbsession.execute(
        _SESSION_IDENTITY,
        {"user_id": user_id, "id_hash": account_services.hash_session_id(session_id), "now": utcnow()},
    ).all()
    user = rows[0].User if rows else None
    if user is None or not user.is_active or user.session_epoch != request.session.get(SESSION_EPOCH):
        request.session.invalidate()
        return None
    return _identity(rows)


def principals_of(identity: Identity | None) -> list[str]:
    """Everyone; then, for a signed-in user, the user, the global role, each local role and each
    unit whose child-protection officer the user is."""
    principals = [Everyone]
    if identity is None:
        return principals
    principals += [Authenticated, f"user:{identity.id}"]
    if identity.global_role:
        principals.append(f"role:{identity.global_role}")
    for m in identity.memberships:
        principals.append(space_principal(m.space_id, m.role))
        if m.role in WRITING_LOCAL_ROLES:
            principals.append(f"space:{m.space_id}:writer:{identity.id}")
        if m.protects_children:
            principals.append(protection_principal(m.space_id))
    return principals


class SecurityPolicy:
    def __init__(self):
        self.acl = ACLHelper()
        # Pyramid asks the policy every time request.identity is read: load it once per request.
        self._identity_cache = RequestLocalCache(load_identity)
        # A page asks permits() for every menu entry and link: work out the principals once per
        # identity (remember() and forget() make a new one within the request).
        self._principals_cache = RequestLocalCache()

    def identity(self, request):
        return self._identity_cache.get_or_create(request)

    def authenticated_userid(self, request):
        identity = request.identity
        return identity.id if identity else None

    def effective_principals(self, request) -> list[str]:
        identity = request.identity
        cached = self._principals_cache.get(request, None)
        if cached is None or cached[0] is not identity:
            cached = (identity, principals_of(identity))
            self._principals_cache.set(request, cached)
        return cached[1]

    def permits(self, request, context, permission):
        if context is None:
            return Denied("no context")
        return self.acl.permits(context, self.effective_principals(request), permission)

    def remember(self, request, userid, **kw):
        self._identity_cache.clear(request)
        self._principals_cache.clear(request)
        user = request.dbsession.get(User, userid)
        account_services.end_session(request.dbsession, request.session.get(SESSION_ID))
        request.session.invalidate()  # a fresh session: no fixation across the login
        lifetime = int(request.registry.settings["intranet.session_max_seconds"])
        request.session[SESSION_ID] = account_services.start_session(request.dbsession, user, lifetime)
        request.session[SESSION_USER] = user.id
        request.session[SESSION_EPOCH] = user.session_epoch
        request.session.new_csrf_token()
        return []

    def forget(self, request, **kw):
        self._identity_cache.clear(request)
        self._principals_cache.clear(request)
        account_services.end_session(request.dbsession, request.session.get(SESSION_ID))
        request.session.invalidate()
        return []


def includeme(config):
    settings = config.get_settings()
    session_factory = SignedCookieSessionFactory(
        settings["intranet.secret"],
        cookie_name=SESSION_COOKIE,
        secure=asbool(settings.get("intranet.secure_cookies")),
        httponly=True,
        samesite="Lax",
        timeout=int(settings["intranet.session_idle_seconds"]),
        reissue_time=300,
        serializer=JSONSerializer(),
    )
    config.set_session_factory(session_factory)
    config.set_security_policy(SecurityPolicy())
    # Unsafe methods need the session's CSRF token (form field or X-CSRF-Token header), except
    # API calls authenticated by a bearer token alone, which a browser cannot forge.
    config.set_default_csrf_options(require_csrf=True, callback=csrf_required)
    config.add_request_method(root_resource, "root_resource", reify=True)
    config.add_request_method(can, "can")


def root_resource(request) -> Root:
    """The root of the resource tree, made once per request: menus and links ask it a dozen times."""
    return Root(request)


def can(request, permission) -> bool:
    """Whether the user holds ``permission`` at the root (for menus and links)."""
    return bool(request.has_permission(permission, request.root_resource))
