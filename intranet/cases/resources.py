"""Where the child register hangs in the resource tree, and who may find it there.

``Space -> ChildRegister -> ChildEntry``. The register's ACL is its own and ends in ``DENY_ALL``:
nothing is inherited from the space or the root, so a permission given to a role elsewhere (the
administrator reads every space) never opens a child's record. The route factories answer 404 to
whoever may not open the register, exactly as for a commune or a child that does not exist: that a
child is in a commune's register is itself sensitive (DESIGN.md section 11). A signed-out visitor is
sent to sign in first, whatever the address: that tells nothing either.

Every answer under the register, a refusal or a redirect included, is ``Cache-Control: no-store``.
"""

from __future__ import annotations

from pyramid.authorization import DENY_ALL, Allow
from pyramid.httpexceptions import HTTPForbidden, HTTPNotFound
from sqlalchemy import select

from intranet.cases.models import Child
from intranet.resources import commune_space_factory
from intranet.security import Permission
from intranet.security.roles import CHILD_REGISTER_PERMISSIONS, space_principal

#: What the register's pages and files send, so that no browser, proxy or shared phone keeps them.
NO_STORE = "no-store"


def no_store(request, response) -> None:
    response.headers["Cache-Control"] = NO_STORE
    response.headers["Pragma"] = "no-cache"


class ChildRegister:
    """The child register of one commune (Sổ theo dõi trẻ em)."""

    __name__ = "children"

    def __init__(self, space_resource):
        self.__parent__ = space_resource
        self.space = space_resource.space

    @property
    def __acl__(self):
        acl = []
        for who, perms in CHILD_REGISTER_PERMISSIONS.items():
            principal = f"role:{who}" if who == "coordinator" else space_principal(self.space.id, who)
            acl.append((Allow, principal, perms))
        acl.append(DENY_ALL)
        return acl


class ChildEntry:
    """One child of the register: the register's rules, nothing more."""

    def __init__(self, child: Child, register: ChildRegister):
        self.child = child
        self.space = register.space
        self.__name__ = child.reference
        self.__parent__ = register


def child_register_factory(request) -> ChildRegister:
    request.add_response_callback(no_store)
    if request.identity is None:
        raise HTTPForbidden()  # sent to the sign-in page, as for any page
    try:
        register = ChildRegister(commune_space_factory(request))
    except HTTPNotFound:
        raise HTTPNotFound() from None
    if not request.has_permission(Permission.CHILDREN_VIEW, register):
        raise HTTPNotFound()
    return register


def child_entry_factory(request) -> ChildEntry:
    register = child_register_factory(request)
    reference = request.matchdict["reference"]
    child = None
    if isinstance(reference, str) and len(reference) <= 16:
        child = request.dbsession.scalars(
            select(Child).where(Child.reference == reference.upper(), Child.space_id == register.space.id)
        ).one_or_none()
    if child is None:
        raise HTTPNotFound()
    return ChildEntry(child, register)
