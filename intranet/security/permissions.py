"""Every permission the intranet checks, named ``<domain>:<action>``."""

from __future__ import annotations

from enum import StrEnum


class Permission(StrEnum):
    DASHBOARD_VIEW = "dashboard:view"
    SPACES_LIST = "spaces:list"
    SPACE_VIEW = "spaces:view"
    SPACE_SHARE = "spaces:share"
    DUTY_LOG_ADD = "duties:log"
    DUTY_LOG_EDIT = "duties:edit"
    DISTRICT_VIEW = "district:view"
    #: The review queue: what waits for the district coordinator.
    DISTRICT_REVIEW = "district:review"
    ADMIN_USERS = "admin:users"
    ADMIN_PLUGINS = "admin:plugins"
    AUDIT_VIEW = "audit:view"
    API_READ = "api:read"
    #: Personal API tokens (/account/tokens): for the district and province staff who call the
    #: API from their own programs; a commune officer works in the pages and is not offered them.
    API_TOKENS = "accounts:tokens"
    ACCOUNT_SELF = "accounts:self"
    REPORTS_LIST = "reports:list"
    REPORT_VIEW = "reports:view"
    REPORT_EDIT = "reports:edit"
    REPORT_SUBMIT = "reports:submit"
    REPORT_REVIEW = "reports:review"
    REPORT_REOPEN = "reports:reopen"
    PERIODS_MANAGE = "reports:periods"
    # Commune annual plans (kế hoạch năm của xã): what each role may do to one plan depends on
    # its state (intranet/plans/workflow.py); these are the space-level ones.
    PLANS_LIST = "plans:list"
    PLAN_CREATE = "plans:create"
    PLAN_VIEW = "plans:view"
    PLAN_EDIT = "plans:edit"
    PLAN_SUBMIT = "plans:submit"
    PLAN_REVIEW = "plans:review"
    PLAN_REVISE = "plans:revise"
    PLAN_ATTACH = "plans:attach"
    # Child-friendly commune assessment (đánh giá xã phù hợp với trẻ em).
    ASSESSMENTS_LIST = "assessments:list"
    ASSESSMENT_VIEW = "assessments:view"
    ASSESSMENT_EDIT = "assessments:edit"
    ASSESSMENT_SUBMIT = "assessments:submit"
    ASSESSMENT_VERIFY = "assessments:verify"
    # the child register of a commune (intranet/cases): opened only by those of
    # roles.CHILD_REGISTER_PERMISSIONS; to everyone else it does not exist (404)
    CHILDREN_VIEW = "children:view"
    CHILDREN_EDIT = "children:edit"
    # the cases of a commune (intranet/cases): the list and the receipt of a report to whoever
    # opens the register; one case to its team only (worker, helpers, head, coordinator)
    CASES_LIST = "cases:list"
    CASE_OPEN = "cases:open"
    CASE_VIEW = "cases:view"
    CASE_EDIT = "cases:edit"
    CASE_ACCESS_LOG = "cases:access_log"
    # who is on a case's team (its worker, its helpers), and opening a closed case again: the
    # commune's chairman and the case worker
    CASE_TEAM = "cases:team"
    CASE_REOPEN = "cases:reopen"
    # the support and intervention plan's approval (intranet/cases/workflow.py): the case team
    # submits, the commune's chairman approves or returns it
    CASE_PLAN_SUBMIT = "cases:plan_submit"
    CASE_PLAN_APPROVE = "cases:plan_approve"
    # referrals of a case's service to another unit (intranet/cases/referrals.py): the coordinator
    # sends one that lacks the consent required; the receiving unit's head and officers read and
    # answer those it received (to everyone else they do not exist: 404)
    CASE_REFERRAL_OVERRIDE = "cases:referral_override"
    REFERRALS_RECEIVE = "referrals:receive"
    REFERRAL_ANSWER = "referrals:answer"
    # the plan's child indicators counted from the registers: exact inside the district (the
    # coordinator), small counts hidden for everyone else (DESIGN.md section 11)
    CHILD_FIGURES = "children:figures"
    CHILD_FIGURES_EXACT = "children:figures_exact"
    CRITERIA_MANAGE = "assessments:criteria"
