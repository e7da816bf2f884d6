"""Roles and their permissions: the one table the whole intranet reads.

Global roles come from ``User.global_role`` (principal ``role:<name>``) and are granted on the
root of the resource tree. Local roles come from Membership rows (principal
``space:<id>:<role>``) and are granted on the space they belong to; a member designated as the
unit's child-protection officer also holds ``space:<id>:protection``. Authorship of a duty log
(principal ``user:<id>``) grants its correction. A plugin gives its own permissions to these roles
with ``config.add_permissions`` (intranet/host/directives.py); the resource tree adds them to
this table (``intranet.resources.grants``).
"""

from __future__ import annotations

import enum

from intranet.security.permissions import Permission as P


class Role(enum.StrEnum):
    """Every role a person can hold: global (``User.global_role``) or local (``Membership.role``)."""

    ADMIN = "admin"
    COORDINATOR = "coordinator"
    PROVINCE = "province"
    HEAD = "head"
    OFFICER = "officer"
    VIEWER = "viewer"


#: Every signed-in user, whatever their role.
AUTHENTICATED = frozenset({P.DASHBOARD_VIEW, P.SPACES_LIST, P.ACCOUNT_SELF, P.API_READ})

#: Reading commune plans and assessments: granted on the root to district readers, on a space to its members.
_READ_PLANS = frozenset({P.PLANS_LIST, P.PLAN_VIEW, P.ASSESSMENTS_LIST, P.ASSESSMENT_VIEW})

GLOBAL_ROLE_PERMISSIONS: dict[str, frozenset[P]] = {
    Role.ADMIN: frozenset(
        {
            P.SPACE_VIEW,
            P.SPACE_SHARE,
            P.DISTRICT_VIEW,
            P.CHILD_FIGURES,
            P.ADMIN_USERS,
            P.ADMIN_PLUGINS,
            P.AUDIT_VIEW,
            P.REPORTS_LIST,
            P.REPORT_VIEW,
            P.PERIODS_MANAGE,
            P.CRITERIA_MANAGE,
            P.API_TOKENS,
        }
    )
    | _READ_PLANS,
    # Reads every space and runs the district pages; writes only where a membership allows.
    # What it may do to a report (return, accept, reopen) depends on the report's state:
    # intranet/reports/workflow.py; the same holds for commune plans (intranet/plans/workflow.py)
    # and assessments.
    Role.COORDINATOR: frozenset(
        {
            P.SPACE_VIEW,
            P.DISTRICT_VIEW,
            P.DISTRICT_REVIEW,
            P.CHILD_FIGURES,
            P.CHILD_FIGURES_EXACT,
            P.AUDIT_VIEW,
            P.REPORTS_LIST,
            P.REPORT_VIEW,
            P.PERIODS_MANAGE,
            P.CRITERIA_MANAGE,
            P.API_TOKENS,
        }
    )
    | _READ_PLANS,
    # Sở LĐTBXH: reads everything, writes nothing.
    Role.PROVINCE: frozenset(
        {P.SPACE_VIEW, P.DISTRICT_VIEW, P.REPORTS_LIST, P.REPORT_VIEW, P.API_TOKENS, P.CHILD_FIGURES}
    )
    | _READ_PLANS,
}

LOCAL_ROLE_PERMISSIONS: dict[str, frozenset[P]] = {
    Role.HEAD: frozenset({P.SPACE_VIEW, P.DUTY_LOG_ADD, P.DUTY_LOG_EDIT, P.REPORTS_LIST, P.REPORT_VIEW, P.PLAN_CREATE})
    | _READ_PLANS,
    Role.OFFICER: frozenset({P.SPACE_VIEW, P.DUTY_LOG_ADD, P.REPORTS_LIST, P.REPORT_VIEW, P.PLAN_CREATE}) | _READ_PLANS,
    Role.VIEWER: frozenset({P.SPACE_VIEW, P.REPORTS_LIST, P.REPORT_VIEW}) | _READ_PLANS,
}

#: Who opens a commune's child register (intranet/cases), and nobody else: not the roles above,
#: not the commune's other members, not the administrator nor the provincial viewer (DESIGN.md
#: section 11). "head" is the commune's head (the chairman), "protection" a member designated as
#: the commune's child-protection officer (Membership.protects_children), "coordinator" the
#: district coordinator (a global role), who reads every commune's register and writes none.
CHILD_REGISTER_PERMISSIONS: dict[str, frozenset[P]] = {
    "coordinator": frozenset({P.CHILDREN_VIEW}),
    "head": frozenset({P.CHILDREN_VIEW, P.CHILDREN_EDIT}),
    "protection": frozenset({P.CHILDREN_VIEW, P.CHILDREN_EDIT}),
}

#: Who sees a commune's list of cases and may record the receipt of a report: the register's people.
#: A protection officer's list holds only the cases whose team they are on.
CASE_FOLDER_PERMISSIONS: dict[str, frozenset[P]] = {
    "coordinator": frozenset({P.CASES_LIST}),
    "head": frozenset({P.CASES_LIST, P.CASE_OPEN}),
    "protection": frozenset({P.CASES_LIST, P.CASE_OPEN}),
}
#: Who opens one case, and nobody else (404): its team. "worker" and "helper" are the users named
#: on the case (principal user:<id>), "head" the commune's head, "coordinator" the coordinator.
CASE_TEAM_PERMISSIONS: dict[str, frozenset[P]] = {
    # the access log (who opened the case, when): the coordinator and the commune's chairman
    # the coordinator also sends a referral that lacks the consent required (with a written reason)
    "coordinator": frozenset({P.CASE_VIEW, P.CASE_ACCESS_LOG, P.CASE_REFERRAL_OVERRIDE}),
    "head": frozenset({P.CASE_VIEW, P.CASE_EDIT, P.CASE_ACCESS_LOG, P.CASE_TEAM, P.CASE_REOPEN}),
    "worker": frozenset({P.CASE_VIEW, P.CASE_EDIT, P.CASE_TEAM, P.CASE_REOPEN}),
    "helper": frozenset({P.CASE_VIEW, P.CASE_EDIT}),
}

#: Who of a receiving unit reads and answers the referrals it received: its head and its officers
#: (not its viewers). Granted on the unit's referrals only, nothing inherited (404 to everyone else).
REFERRAL_RECIPIENT_PERMISSIONS: dict[str, frozenset[P]] = {
    "head": frozenset({P.REFERRALS_RECEIVE, P.REFERRAL_ANSWER}),
    "officer": frozenset({P.REFERRALS_RECEIVE, P.REFERRAL_ANSWER}),
}

#: What the author of a duty log may do to it (while still able to write in its space).
AUTHOR_PERMISSIONS = frozenset({P.DUTY_LOG_EDIT})

#: Global roles that see every unit: those granted reading every space on the root.
SEE_ALL_ROLES = frozenset(r for r, perms in GLOBAL_ROLE_PERMISSIONS.items() if P.SPACE_VIEW in perms)

#: Local roles that may write in a space; authorship counts only for them.
WRITING_LOCAL_ROLES = frozenset(r for r, perms in LOCAL_ROLE_PERMISSIONS.items() if P.DUTY_LOG_ADD in perms)


def space_principal(space_id: int, role: str) -> str:
    return f"space:{space_id}:{role}"


def protection_principal(space_id: int) -> str:
    """The principal of the unit's designated child-protection officers
    (``Membership.protects_children``): what opens its child register, beside the head and the
    coordinator (DESIGN.md section 11)."""
    return f"space:{space_id}:protection"
