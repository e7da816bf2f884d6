"""The Pyramid 2 security policy: identity from the signed session, ACLs over the tree.

The session holds only the user id and the user's session epoch. Once per request the user row
is read and the epoch compared, so a password change, a disabled account or "log out everywhere"
ends every other session at its next request.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from pyramid.authorization import ACLHelper, Authenticated, Everyone
from pyramid.request import RequestLocalCache
from pyramid.security import Denied
from sqlalchemy import select

from intranet.security.roles import WRITING_LOCAL_ROLES, space_principal

SESSION_USER = "uid"
SESSION_EPOCH = "epoch"


@dataclass
class Identity:
    user: object
    memberships: list = field(default_factory=list)

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


def load_identity(request) -> Identity | None:
    from intranet.accounts.models import User
    from intranet.spaces.models import Membership

    user_id = request.session.get(SESSION_USER)
    if not isinstance(user_id, int):
        return None
    user = request.dbsession.get(User, user_id)
    if user is None or not user.is_active or user.session_epoch != request.session.get(SESSION_EPOCH):
        request.session.invalidate()
        return None
    memberships = list(
        request.dbsession.scalars(select(Membership).where(Membership.user_id == user.id))
    )
    return Identity(user=user, memberships=memberships)


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
        self._identity_cache.clear(request)
        from intranet.accounts.models import User

        user = request.dbsession.get(User, userid)
        request.session.invalidate()  # a fresh session: no fixation across the login
        request.session[SESSION_USER] = user.id
        request.session[SESSION_EPOCH] = user.session_epoch
        request.session.new_csrf_token()
        return []

    def forget(self, request, **kw):
        self._identity_cache.clear(request)
        request.session.invalidate()
        return []
