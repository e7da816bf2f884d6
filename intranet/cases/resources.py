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

from intranet.cases.models import Case, Child
from intranet.cases.procedure import case_team_ids
from intranet.cases.referrals import find_received
from intranet.cases.workflow import WORKFLOW as PLAN_WORKFLOW
from intranet.resources import commune_space_factory, space_factory
from intranet.security import Permission
from intranet.security.roles import (
    CASE_FOLDER_PERMISSIONS,
    CASE_TEAM_PERMISSIONS,
    CHILD_REGISTER_PERMISSIONS,
    REFERRAL_RECIPIENT_PERMISSIONS,
    space_principal,
)

#: What the register's pages and files send, so that no browser, proxy or shared phone keeps them.
NO_STORE = "no-store"


def no_store(request, response) -> None:
    response.headers["Cache-Control"] = NO_STORE
    response.headers["Pragma"] = "no-cache"


class CommuneNode:
    """A confidential part of a commune (its register, its cases): its own ACL, from ``GRANTS``
    (who -> permissions; "coordinator" is the global role, the others the commune's local
    principals), ending in ``DENY_ALL`` so that nothing is inherited."""

    __name__ = ""
    GRANTS: dict = {}

    def __init__(self, space_resource):
        self.__parent__ = space_resource
        self.space = space_resource.space

    @property
    def __acl__(self):
        acl = []
        for who, perms in self.GRANTS.items():
            principal = f"role:{who}" if who == "coordinator" else space_principal(self.space.id, who)
            acl.append((Allow, principal, perms))
        acl.append(DENY_ALL)
        return acl


def commune_node(request, node_class, permission, *, spaces=commune_space_factory):
    """The ``node_class`` of the commune in the URL (of any unit, with ``spaces=space_factory``),
    or 404 to whoever lacks ``permission`` there (as for a unit that does not exist); sign-in
    first, and no answer is ever cached."""
    request.add_response_callback(no_store)
    if request.identity is None:
        raise HTTPForbidden()  # sent to the sign-in page, as for any page
    try:
        node = node_class(spaces(request))
    except HTTPNotFound:
        raise HTTPNotFound() from None
    if not request.has_permission(permission, node):
        raise HTTPNotFound()
    return node


class ChildRegister(CommuneNode):
    """The child register of one commune (Sổ theo dõi trẻ em)."""

    __name__ = "children"
    GRANTS = CHILD_REGISTER_PERMISSIONS


class ChildEntry:
    """One child of the register: the register's rules, nothing more."""

    def __init__(self, child: Child, register: ChildRegister):
        self.child = child
        self.space = register.space
        self.__name__ = child.reference
        self.__parent__ = register


def child_register_factory(request) -> ChildRegister:
    return commune_node(request, ChildRegister, Permission.CHILDREN_VIEW)


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


# --- cases ---------------------------------------------------------------------------------------


class CaseFolder(CommuneNode):
    """The cases of one commune (Hồ sơ trường hợp)."""

    __name__ = "cases"
    GRANTS = CASE_FOLDER_PERMISSIONS


class CaseResource:
    """One case: its team's rules, nothing inherited (the folder's list rights open no case)."""

    def __init__(self, case, team: set[int], folder: CaseFolder):
        self.case = case
        self.team = team
        self.space = folder.space
        self.__name__ = case.number
        self.__parent__ = folder

    @property
    def __acl__(self):
        perms = CASE_TEAM_PERMISSIONS
        acl = [
            (Allow, "role:coordinator", perms["coordinator"]),
            (Allow, space_principal(self.space.id, "head"), perms["head"]),
        ]
        if self.case.case_worker_id is not None:
            acl.append((Allow, f"user:{self.case.case_worker_id}", perms["worker"]))
        for user_id in sorted(self.team - {self.case.case_worker_id}):
            acl.append((Allow, f"user:{user_id}", perms["helper"]))
        # The plan's approval: what its state lets the team ("officer") and the chairman do.
        if self.case.plan_state is not None and self.case.closed_at is None:
            table = PLAN_WORKFLOW.permissions(self.case.plan_state)
            acl.append((Allow, space_principal(self.space.id, "head"), table["head"]))
            for user_id in sorted(self.team):
                acl.append((Allow, f"user:{user_id}", table["officer"]))
        acl.append(DENY_ALL)
        return acl


def case_folder_factory(request) -> CaseFolder:
    return commune_node(request, CaseFolder, Permission.CASES_LIST)


def case_factory(request) -> CaseResource:
    folder = case_folder_factory(request)
    number = request.matchdict["number"]
    case = None
    if isinstance(number, str) and len(number) <= 32:
        case = request.dbsession.scalars(
            select(Case).where(Case.number == number.upper(), Case.space_id == folder.space.id)
        ).one_or_none()
    if case is None:
        raise HTTPNotFound()
    resource = CaseResource(case, case_team_ids(request.dbsession, case), folder)
    if not request.has_permission(Permission.CASE_VIEW, resource):
        raise HTTPNotFound()
    return resource


# --- referrals received by a unit (intranet/cases/referrals.py) -----------------------------------


class ReferralInbox:
    """The referrals a unit (any unit: an agency or a commune) received. Its ACL is its own, from
    ``REFERRAL_RECIPIENT_PERMISSIONS`` (the unit's head and officers), ending in ``DENY_ALL``."""

    __name__ = "referrals"

    def __init__(self, space_resource):
        self.__parent__ = space_resource
        self.space = space_resource.space

    @property
    def __acl__(self):
        acl = [
            (Allow, space_principal(self.space.id, who), perms) for who, perms in REFERRAL_RECIPIENT_PERMISSIONS.items()
        ]
        acl.append(DENY_ALL)
        return acl


class ReceivedReferral:
    """One referral the unit received: the inbox's rules, nothing more (nothing of the case's)."""

    def __init__(self, referral, inbox: ReferralInbox):
        self.referral = referral
        self.space = inbox.space
        self.__name__ = referral.reference
        self.__parent__ = inbox


def referral_inbox_factory(request) -> ReferralInbox:
    """The referrals of the unit in the URL, or 404 to whoever is not its head or an officer (as
    for a unit that does not exist); sign-in first, and no answer is ever cached."""
    return commune_node(request, ReferralInbox, Permission.REFERRALS_RECEIVE, spaces=space_factory)


def received_referral_factory(request) -> ReceivedReferral:
    inbox = referral_inbox_factory(request)
    referral = find_received(request.dbsession, inbox.space.id, request.matchdict["reference"])
    if referral is None:
        raise HTTPNotFound()
    return ReceivedReferral(referral, inbox)
