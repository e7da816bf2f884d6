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
    ADMIN_USERS = "admin:users"
    ADMIN_PLUGINS = "admin:plugins"
    AUDIT_VIEW = "audit:view"
    API_READ = "api:read"
    ACCOUNT_SELF = "accounts:self"
    REPORTS_LIST = "reports:list"
    REPORT_VIEW = "reports:view"
    REPORT_EDIT = "reports:edit"
    REPORT_SUBMIT = "reports:submit"
    REPORT_REVIEW = "reports:review"
    REPORT_REOPEN = "reports:reopen"
    PERIODS_MANAGE = "reports:periods"
