"""The trunk of the resource tree: Root -> Spaces -> Space, and Root -> District / Admin / Api.

Each domain hangs its documents under a space in its own ``resources.py`` (a duty log, a report,
a commune plan, an assessment), with the route factory that finds them.

Every node has a ``__parent__``, so a space's ACL adds local roles to the root's global rules
instead of repeating them. Route factories below build the lineage for URL dispatch.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from pyramid.authorization import DENY_ALL, Allow, Authenticated
from pyramid.httpexceptions import HTTPNotFound
from pyramid.traversal import PATH_SAFE, quote_path_segment
from sqlalchemy import bindparam, select

from intranet.host.registry import get_registry
from intranet.security.roles import (
    AUTHENTICATED,
    GLOBAL_ROLE_PERMISSIONS,
    LOCAL_ROLE_PERMISSIONS,
    space_principal,
)
from intranet.spaces.models import Space


def writer_principal(space_id: int, user_id: int) -> str:
    return f"space:{space_id}:writer:{user_id}"


@dataclass(frozen=True)
class Grants:
    """The role table (intranet/security/roles.py) with the permissions plugins give to roles
    (``config.add_permissions``): what the root and each space grant."""

    global_roles: dict[str, tuple[str, ...]]
    authenticated: tuple[str, ...]
    local_roles: dict[str, tuple[str, ...]]

    @cached_property
    def root_acl(self) -> tuple:
        """The root's ACL, made once per application: a page checks a dozen permissions against it.
        Sets, so that each check is one look-up, not a scan of a role's permissions."""
        acl = [(Allow, f"role:{role}", frozenset(perms)) for role, perms in self.global_roles.items()]
        acl.append((Allow, Authenticated, frozenset(self.authenticated)))
        acl.append(DENY_ALL)
        return tuple(acl)

    @cached_property
    def _local_sets(self) -> tuple[tuple[str, frozenset[str]], ...]:
        return tuple((role, frozenset(perms)) for role, perms in self.local_roles.items())

    def space_acl(self, space_id: int) -> list:
        """What each local role may do in the space ``space_id``."""
        return [(Allow, space_principal(space_id, role), perms) for role, perms in self._local_sets]


def _grants(extra: dict[str, set[str]]) -> Grants:
    def merged(table):
        return {role: tuple(sorted({*perms, *extra.get(role, ())})) for role, perms in table.items()}

    return Grants(
        global_roles=merged(GLOBAL_ROLE_PERMISSIONS),
        authenticated=tuple(sorted({*AUTHENTICATED, *extra.get("authenticated", ())})),
        local_roles=merged(LOCAL_ROLE_PERMISSIONS),
    )


#: The core's table alone: for a root made without a request (scripts, the shell).
CORE_GRANTS = _grants({})


def grants(request) -> Grants:
    """The grants of the application serving ``request``, worked out once per application."""
    if request is None:
        return CORE_GRANTS
    found = request.registry.get("intranet.grants")
    if found is None:
        found = request.registry["intranet.grants"] = _grants(get_registry(request.registry).grants)
    return found


class Root:
    __name__ = ""
    __parent__ = None

    def __init__(self, request=None):
        self.request = request

    @property
    def __acl__(self):
        return grants(self.request).root_acl


class Node:
    """A named child in the tree with no rules of its own."""

    def __init__(self, name: str, parent):
        self.__name__ = name
        self.__parent__ = parent


class SpaceResource:
    def __init__(self, space, parent):
        self.space = space
        self.__name__ = space.slug
        self.__parent__ = parent

    @cached_property
    def __acl__(self):
        root = self.__parent__
        while root.__parent__ is not None:
            root = root.__parent__
        return grants(getattr(root, "request", None)).space_acl(self.space.id)


def slug_path(base: str):
    """The path of each space under ``base``, a route's path made with an empty slug (e.g.
    ``request.route_path("spaces.home", slug="")``): the slug quoted exactly as the route would
    quote it, so that a list of units builds one route per page instead of one per row."""

    def path(slug: str) -> str:
        return base + quote_path_segment(slug, safe=PATH_SAFE)

    return path


def root_factory(request):
    return Root(request)


def spaces_factory(request):
    return Node("spaces", Root(request))


def district_factory(request):
    return Node("district", Root(request))


def admin_factory(request):
    return Node("admin", Root(request))


#: Every page under /spaces/{slug} reads its space: the statement is built once.
_SPACE_BY_SLUG = select(Space).where(Space.slug == bindparam("slug"))


def space_factory(request):
    space = request.dbsession.scalars(_SPACE_BY_SLUG, {"slug": request.matchdict["slug"]}).one_or_none()
    if space is None:
        raise HTTPNotFound()
    return SpaceResource(space, spaces_factory(request))


def workflow_acl(space, actor_permissions: dict) -> list:
    """The ACL of a document under a workflow (a report, a commune plan, an assessment): what each actor
    may do in the document's state, given to the principal that actor stands for in ``space``."""
    acl = []
    for actor, perms in actor_permissions.items():
        if not perms:
            continue
        if actor == "reviewer":
            principal = "role:coordinator"
        elif actor == "officer_submit":
            if not space.officers_may_submit:
                continue
            principal = space_principal(space.id, "officer")
        else:
            principal = space_principal(space.id, actor)
        acl.append((Allow, principal, tuple(perms)))
    return acl


def commune_space_factory(request):
    """A commune's space: plans and assessments exist only for communes (an agency's URL is not found)."""
    resource = space_factory(request)
    if resource.space.category != "commune":
        raise HTTPNotFound()
    return resource
