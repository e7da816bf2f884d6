"""Who may call which view: every route, every demo role, as one table.

The expectations come from the role table (intranet/security/roles.py), not from what the app
happens to answer: admin reads every space and shares it but records nothing; the coordinator
(dieuphoi) reads every space and writes only where he is head (ldtbxh); the provincial viewer
(sotinh) reads everything and writes nothing; officers read and write only in their own space;
the head of a space may correct any log there, an officer only the logs they wrote. Anonymous
users are sent to /login by pages (LOGIN below) and get 401 from the API. API calls here use the
browser session (so PUT sends the X-CSRF-Token header); bearer tokens: tests/functional/test_api.py.

The people and spaces are the seed's demo accounts; the documents a route acts on (duty logs,
reports, commune plans, assessments, registry units) are made by this module's fixtures in the
state the route needs (``REPORTS``, ``PLAN_STATE``, ``documents``), whatever the demo's story says.

A new route fails ``test_every_route_is_in_the_matrix`` until it has a row here.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from pyramid.interfaces import IDefaultPermission, IException
from pyramid.security import NO_PERMISSION_REQUIRED
from sqlalchemy import select
from zope.interface.interfaces import IInterface

from intranet.cases.models import CaseService
from intranet.clock import utcnow
from intranet.i18n import local_today, to_local
from intranet.security import EXPLICIT_PERMISSION_REQUIRED
from tests.fixtures.browser import csrf_from
from tests.fixtures.documents import DocumentFactory
from tests.fixtures.factories import get_space, get_user

LOGIN = "302 to /login"

ROLES = ("anonymous", "admin", "dieuphoi", "sotinh", "congan", "tancanh", "chutich.tancanh")
#: For per-space routes, roles with a membership are tried in their own space and in another one
#: (expectation written as (own, other)); the others are tried in SPACE.
OWN = {"dieuphoi": "ldtbxh", "congan": "congan", "tancanh": "tan-canh", "chutich.tancanh": "tan-canh"}
OTHER = {"dieuphoi": "tan-canh", "congan": "tan-canh", "tancanh": "kon-dao", "chutich.tancanh": "kon-dao"}
SPACE = "tan-canh"

# fmt: off
MATRIX = [
    # route                 method  url                                                   anonymous  admin  dieuphoi    sotinh  congan      tancanh     chutich.tancanh
    ("health",              "GET",  "/healthz",                                           200,       200,   200,        200,    200,        200,        200),
    ("locale",              "GET",  "/locale/en",                                         302,       302,   302,        302,    302,        302,        302),
    ("accounts.login",      "GET",  "/login",                                             200,       302,   302,        302,    302,        302,        302),
    ("accounts.login",      "POST", "/login",                                             302,       302,   302,        302,    302,        302,        302),
    ("accounts.logout",     "POST", "/logout",                                            LOGIN,     LOGIN, LOGIN,      LOGIN,  LOGIN,      LOGIN,      LOGIN),
    ("accounts.password",   "GET",  "/account/password",                                  LOGIN,     200,   200,        200,    200,        200,        200),
    ("accounts.password",   "POST", "/account/password",                                  LOGIN,     302,   302,        302,    302,        302,        302),
    # API tokens are for those who use the API (district and province), not for commune officers
    ("accounts.tokens",     "GET",  "/account/tokens",                                    LOGIN,     200,   200,        200,    403,        403,        403),
    ("accounts.tokens",     "POST", "/account/tokens",                                    LOGIN,     200,   200,        200,    403,        403,        403),
    # a token of giaoduc's: nobody else may revoke it, or learn that it exists
    ("accounts.token_revoke", "POST", "/account/tokens/{token_id}/revoke",                LOGIN,     404,   404,        404,    403,        403,        403),
    ("notifications.list",  "GET",  "/notices",                                          LOGIN,     200,   200,        200,    200,        200,        200),
    ("notifications.list",  "POST", "/notices",                                          LOGIN,     302,   302,        302,    302,        302,        302),
    ("dashboard",           "GET",  "/",                                                  LOGIN,     200,   200,        200,    200,        200,        200),
    ("spaces.list",         "GET",  "/spaces",                                            LOGIN,     200,   200,        200,    200,        200,        200),
    ("api.spaces",          "GET",  "/api/v1/spaces",                                     401,       200,   200,        200,    200,        200,        200),
    ("api.openapi",         "GET",  "/api/v1/openapi.json",                               200,       200,   200,        200,    200,        200,        200),
    ("api.periods",         "GET",  "/api/v1/periods",                                    401,       200,   200,        200,    200,        200,        200),
    ("api.forms",           "GET",  "/api/v1/forms",                                      401,       200,   200,        200,    200,        200,        200),
    # everyone may call it; what it lists depends on the role (tests/functional/test_api.py)
    ("api.reports",         "GET",  "/api/v1/reports",                                    401,       200,   200,        200,    200,        200,        200),
    ("api.consolidation",   "GET",  "/api/v1/consolidation/2017-6t",                      401,       200,   200,        200,    403,        403,        403),
    ("district.duties",     "GET",  "/district/duties",                                   LOGIN,     200,   200,        200,    403,        403,        403),
    # the review queue is the coordinator's alone (she is the workflows' reviewer)
    ("district.review",     "GET",  "/district/review",                                   LOGIN,     403,   200,        403,    403,        403,        403),
    ("admin.users",         "GET",  "/admin/users",                                       LOGIN,     200,   403,        403,    403,        403,        403),
    ("admin.user_new",      "GET",  "/admin/users/new",                                   LOGIN,     200,   403,        403,    403,        403,        403),
    ("admin.user_new",      "POST", "/admin/users/new",                                   LOGIN,     302,   403,        403,    403,        403,        403),
    ("admin.user",          "GET",  "/admin/users/{user_id}",                             LOGIN,     200,   403,        403,    403,        403,        403),
    ("admin.user",          "POST", "/admin/users/{user_id}",                             LOGIN,     302,   403,        403,    403,        403,        403),
    ("admin.plugins",       "GET",  "/admin/plugins",                                     LOGIN,     200,   403,        403,    403,        403,        403),
    ("admin.audit",         "GET",  "/admin/audit",                                       LOGIN,     200,   200,        403,    403,        403,        403),
    ("district.reports",    "GET",  "/district/reports",                                  LOGIN,     200,   200,        200,    403,        403,        403),
    ("district.periods",    "GET",  "/district/periods",                                  LOGIN,     200,   200,        403,    403,        403,        403),
    ("district.periods",    "POST", "/district/periods",                                  LOGIN,     302,   302,        403,    403,        403,        403),
    ("district.completeness", "GET", "/district/reports/2017-6t/completeness",            LOGIN,     200,   200,        200,    403,        403,        403),
    ("district.consolidation", "GET", "/district/reports/2017-6t",                        LOGIN,     200,   200,        200,    403,        403,        403),
    ("district.indicators", "GET",  "/district/indicators/2017-6t",                       LOGIN,     200,   200,        200,    403,        403,        403),
    ("district.export",     "GET",  "/district/reports/2017-6t/export.csv",               LOGIN,     200,   200,        200,    403,        403,        403),
    # per space: (own, other) for the roles in OWN
    ("spaces.home",         "GET",  "/spaces/{slug}",                                     LOGIN,     200,   (200, 200), 200,    (200, 403), (200, 403), (200, 403)),
    ("spaces.sharing",      "GET",  "/spaces/{slug}/sharing",                             LOGIN,     200,   (403, 403), 403,    (403, 403), (403, 403), (403, 403)),
    ("spaces.sharing",      "POST", "/spaces/{slug}/sharing",                             LOGIN,     302,   (403, 403), 403,    (403, 403), (403, 403), (403, 403)),
    ("duties.logs",         "GET",  "/spaces/{slug}/logs",                                LOGIN,     200,   (200, 200), 200,    (200, 403), (200, 403), (200, 403)),
    ("duties.log_add",      "GET",  "/spaces/{slug}/logs/new?duty={kind}.bao-cao-dinh-ky", LOGIN,   403,   (200, 403), 403,    (200, 403), (200, 403), (200, 403)),
    ("duties.log_add",      "POST", "/spaces/{slug}/logs/new?duty={kind}.bao-cao-dinh-ky", LOGIN,   403,   (302, 403), 403,    (302, 403), (302, 403), (302, 403)),
    # per log: the space's log (see `logs`): tancanh wrote those of tan-canh and kon-dao, a former
    # officer those of congan and ldtbxh (so congan, an officer but not the author, may not correct it)
    ("duties.log_edit",     "GET",  "/spaces/{slug}/logs/{log_id}/edit",                  LOGIN,     403,   (200, 403), 403,    (403, 403), (200, 403), (200, 403)),
    ("duties.log_edit",     "POST", "/spaces/{slug}/logs/{log_id}/edit",                  LOGIN,     403,   (302, 403), 403,    (403, 403), (302, 403), (302, 403)),
    ("documents.evidence",  "GET",  "/spaces/{slug}/logs/{log_id}/evidence/{evidence_id}", LOGIN,   200,   (200, 200), 200,    (200, 403), (200, 403), (200, 403)),
    # reports of the half-year 2017 (see REPORTS): tan-canh's is a draft the coordinator reopened
    # past the lock date, kon-dao's was returned, congan's and ldtbxh's accepted
    ("reports.space",       "GET",  "/spaces/{slug}/reports",                             LOGIN,     200,   (200, 200), 200,    (200, 403), (200, 403), (200, 403)),
    ("reports.edit",        "GET",  "/spaces/{slug}/reports/{kind}.bao-cao/2017-6t",      LOGIN,     200,   (200, 200), 200,    (200, 403), (200, 403), (200, 403)),
    ("reports.edit",        "POST", "/spaces/{slug}/reports/{kind}.bao-cao/2017-6t",      LOGIN,     403,   (403, 403), 403,    (403, 403), (302, 403), (302, 403)),
    # reopening needs an accepted or a locked report: ldtbxh's is accepted, the coordinator reopens it
    ("reports.transition",  "POST", "/spaces/{slug}/reports/{kind}.bao-cao/2017-6t/transition", LOGIN, 403, (302, 403), 403,   (403, 403), (403, 403), (403, 403)),
    # exporting a report is reading it: whoever may open the report may download it
    ("reports.export",      "GET",  "/spaces/{slug}/reports/{kind}.bao-cao/2017-6t/export.csv", LOGIN,  200,   (200, 200), 200,    (200, 403), (200, 403), (200, 403)),
    # the same reports through the API, by id ({report_id} is the space's report, like {slug})
    ("api.report",          "GET",  "/api/v1/reports/{report_id}",                        401,       200,   (200, 200), 200,    (200, 404), (200, 404), (200, 404)),
    ("api.report_values",   "PUT",  "/api/v1/reports/{report_id}/values",                 401,       403,   (403, 403), 403,    (403, 404), (200, 404), (200, 404)),
    # commune annual plans (see `documents`): communes only, so an agency's URL is not found;
    # tan-canh's 2017 plan is a draft (none for creating one, submitted for the transition,
    # approved for the scan), kon-dao's is approved. The coordinator reviews; the commune drafts
    # and submits.
    ("plans.space",         "GET",  "/spaces/{slug}/plans",                               LOGIN,     200,   (404, 200), 200,    (404, 403), (200, 403), (200, 403)),
    ("plans.space",         "POST", "/spaces/{slug}/plans",                               LOGIN,     403,   (404, 403), 403,    (404, 403), (302, 403), (302, 403)),
    ("plans.edit",          "GET",  "/spaces/{slug}/plans/2017",                          LOGIN,     200,   (404, 200), 200,    (404, 403), (200, 403), (200, 403)),
    ("plans.edit",          "POST", "/spaces/{slug}/plans/2017",                          LOGIN,     403,   (404, 403), 403,    (404, 403), (302, 403), (302, 403)),
    ("plans.transition",    "POST", "/spaces/{slug}/plans/2017/transition",               LOGIN,     403,   (404, 302), 403,    (404, 403), (403, 403), (403, 403)),
    ("plans.revision",      "GET",  "/spaces/{slug}/plans/2017/revisions/1",              LOGIN,     200,   (404, 200), 200,    (404, 403), (200, 403), (200, 403)),
    ("plans.scan",          "GET",  "/spaces/{slug}/plans/2017/revisions/1/scan",         LOGIN,     200,   (404, 200), 200,    (404, 403), (200, 403), (200, 403)),
    ("plans.scan",          "POST", "/spaces/{slug}/plans/2017/revisions/1/scan",         LOGIN,     403,   (404, 403), 403,    (404, 403), (302, 403), (302, 403)),
    ("plans.print",         "GET",  "/spaces/{slug}/plans/2017/revisions/1/print",        LOGIN,     200,   (404, 200), 200,    (404, 403), (200, 403), (200, 403)),
    ("plans.export",        "GET",  "/spaces/{slug}/plans/2017/revisions/1/export.pdf",   LOGIN,     200,   (404, 200), 200,    (404, 403), (200, 403), (200, 403)),
    ("district.plans",      "GET",  "/district/plans",                                    LOGIN,     200,   200,        200,    403,        403,        403),
    # child-friendly assessments of 2019 (the shipped set applies from 2019): none exists, but
    # for the transition (submitted) and the evidence file (a draft), one in each commune
    ("assessments.space",   "GET",  "/spaces/{slug}/assessments",                         LOGIN,     200,   (404, 200), 200,    (404, 403), (200, 403), (200, 403)),
    ("assessments.edit",    "GET",  "/spaces/{slug}/assessments/2019",                    LOGIN,     200,   (404, 200), 200,    (404, 403), (200, 403), (200, 403)),
    ("assessments.edit",    "POST", "/spaces/{slug}/assessments/2019",                    LOGIN,     403,   (404, 403), 403,    (404, 403), (302, 403), (302, 403)),
    ("assessments.transition", "POST", "/spaces/{slug}/assessments/2019/transition",      LOGIN,     403,   (404, 302), 403,    (404, 403), (403, 403), (403, 403)),
    ("assessments.evidence", "GET", "/spaces/{slug}/assessments/2019/evidence/{assessment_evidence_id}", LOGIN, 200, (404, 200), 200, (404, 403), (200, 403), (200, 403)),
    ("assessments.district", "GET", "/district/assessments",                              LOGIN,     200,   200,        200,    403,        403,        403),
    ("assessments.criteria", "GET", "/district/criteria",                                 LOGIN,     200,   200,        200,    403,        403,        403),
    ("assessments.criteria_import", "POST", "/district/criteria/import",                  LOGIN,     302,   302,        403,    403,        403,        403),
    ("assessments.criteria_year", "POST", "/district/criteria/years",                     LOGIN,     302,   302,        403,    403,        403,        403),
    # the registry of models, clubs and counselling points (plugin intranet_ldtbxh): everyone
    # signed in reads it; a commune logs activities of its own units only ({unit_id} is the
    # space's "Ông Bà Cháu" club, see `documents`; agencies have no unit); the district manages
    # the units
    ("ldtbxh.registry",     "GET",  "/p/ldtbxh/registry",                                 LOGIN,     200,   200,        200,    200,        200,        200),
    ("ldtbxh.unit",         "GET",  "/p/ldtbxh/registry/{unit_id}",                       LOGIN,     200,   (404, 200), 200,    (404, 200), (200, 200), (200, 200)),
    ("ldtbxh.unit_add",     "GET",  "/p/ldtbxh/registry/new",                             LOGIN,     200,   200,        403,    403,        403,        403),
    ("ldtbxh.unit_add",     "POST", "/p/ldtbxh/registry/new",                             LOGIN,     302,   302,        403,    403,        403,        403),
    ("ldtbxh.unit_edit",    "GET",  "/p/ldtbxh/registry/{unit_id}/edit",                  LOGIN,     200,   (404, 200), 403,    (404, 403), (403, 403), (403, 403)),
    ("ldtbxh.unit_edit",    "POST", "/p/ldtbxh/registry/{unit_id}/edit",                  LOGIN,     302,   (404, 302), 403,    (404, 403), (403, 403), (403, 403)),
    ("ldtbxh.activity_add", "GET",  "/p/ldtbxh/registry/{unit_id}/activities/new?kind=talk", LOGIN,  403,   (404, 403), 403,    (404, 403), (200, 403), (200, 403)),
    ("ldtbxh.activity_add", "POST", "/p/ldtbxh/registry/{unit_id}/activities/new?kind=talk", LOGIN,  403,   (404, 403), 403,    (404, 403), (302, 403), (302, 403)),
    # cases (intranet/cases): one in tan-canh and one in kon-dao, managed by tancanh (see
    # `documents`). The list and the receipt to the register's people; one case to its team only
    # (tancanh, the head, the coordinator reading): everyone else gets 404
    ("cases.list",          "GET",  "/spaces/{slug}/cases",                               LOGIN,     404,   (404, 200), 404,    (404, 404), (200, 404), (200, 404)),
    ("cases.new",           "GET",  "/spaces/{slug}/cases/new",                           LOGIN,     404,   (404, 403), 404,    (404, 404), (200, 404), (200, 404)),
    ("cases.new",           "POST", "/spaces/{slug}/cases/new",                           LOGIN,     404,   (404, 403), 404,    (404, 404), (302, 404), (302, 404)),
    ("cases.view",          "GET",  "/spaces/{slug}/cases/{number}",                      LOGIN,     404,   (404, 200), 404,    (404, 404), (200, 404), (200, 404)),
    ("cases.detailed",      "POST", "/spaces/{slug}/cases/{number}/detailed",             LOGIN,     404,   (404, 403), 404,    (404, 404), (302, 404), (302, 404)),
    ("cases.plan",          "POST", "/spaces/{slug}/cases/{number}/plan",                 LOGIN,     404,   (404, 403), 404,    (404, 404), (302, 404), (302, 404)),
    # the plan's approval: in draft, the team (and the chairman) submit; the coordinator does not act
    ("cases.plan_step",     "POST", "/spaces/{slug}/cases/{number}/plan/step",            LOGIN,     404,   (404, 403), 404,    (404, 404), (302, 404), (302, 404)),
    ("cases.access",        "GET",  "/spaces/{slug}/cases/{number}/access",               LOGIN,     404,   (404, 200), 404,    (404, 404), (403, 404), (200, 404)),
    ("cases.initial",       "POST", "/spaces/{slug}/cases/{number}/initial",              LOGIN,     404,   (404, 403), 404,    (404, 404), (302, 404), (302, 404)),
    # referrals (intranet/cases/referral_views.py; see `referral_documents`): on the case, its team
    # refers a service and the coordinator sends a referral that waits for lack of consent; each
    # unit the matrix visits received one, read and answered by its head and officers only
    ("cases.refer",         "POST", "/spaces/{slug}/cases/{number}/referrals",            LOGIN,     404,   (404, 403), 404,    (404, 404), (302, 404), (302, 404)),
    ("cases.referral_override", "POST", "/spaces/{slug}/cases/{number}/referrals/{waiting}/override", LOGIN, 404, (404, 302), 404, (404, 404), (403, 404), (403, 404)),
    ("referrals.list",      "GET",  "/spaces/{slug}/referrals",                           LOGIN,     404,   (200, 404), 404,    (200, 404), (200, 404), (200, 404)),
    ("referrals.view",      "GET",  "/spaces/{slug}/referrals/{received}",                LOGIN,     404,   (200, 404), 404,    (200, 404), (200, 404), (200, 404)),
    ("referrals.answer",    "POST", "/spaces/{slug}/referrals/{received}/answer",         LOGIN,     404,   (302, 404), 404,    (302, 404), (302, 404), (302, 404)),
    ("referrals.outcome",   "POST", "/spaces/{slug}/referrals/{received}/outcome",        LOGIN,     404,   (302, 404), 404,    (302, 404), (302, 404), (302, 404)),
    # carrying out the approved plan and reviewing it: the team writes, the coordinator reads;
    # reopening a closed case and choosing the team: the chairman and the case worker
    ("cases.services",      "POST", "/spaces/{slug}/cases/{number}/services",             LOGIN,     404,   (404, 403), 404,    (404, 404), (302, 404), (302, 404)),
    ("cases.outcome",       "POST", "/spaces/{slug}/cases/{number}/services/outcome",     LOGIN,     404,   (404, 403), 404,    (404, 404), (302, 404), (302, 404)),
    ("cases.review",        "POST", "/spaces/{slug}/cases/{number}/review",               LOGIN,     404,   (404, 403), 404,    (404, 404), (302, 404), (302, 404)),
    ("cases.reopen",        "POST", "/spaces/{slug}/cases/{number}/reopen",               LOGIN,     404,   (404, 403), 404,    (404, 404), (302, 404), (302, 404)),
    ("cases.team",          "POST", "/spaces/{slug}/cases/{number}/team",                 LOGIN,     404,   (404, 403), 404,    (404, 404), (302, 404), (302, 404)),
    # a case's forms (Mẫu 01 to 06) to print and as PDF: read by the case team, 404 to all others
    ("cases.form",          "GET",  "/spaces/{slug}/cases/{number}/forms/02",             LOGIN,     404,   (404, 200), 404,    (404, 404), (200, 404), (200, 404)),
    ("cases.form_pdf",      "GET",  "/spaces/{slug}/cases/{number}/forms/04.pdf",         LOGIN,     404,   (404, 200), 404,    (404, 404), (200, 404), (200, 404)),
    # the plan's child indicators counted from the registers: exact for the coordinator, small
    # counts hidden for the administrator and the provincial viewer; not for units
    ("children.figures",    "GET",  "/district/children/2017-6t",                         LOGIN,     200,   200,        200,    403,        403,        403),
    # the child register (intranet/cases): a child in tan-canh and one in kon-dao (see `documents`).
    # To all but the commune's head, its designated child-protection officer (tancanh) and the
    # coordinator, the register does not exist: 404, in any commune, agencies included; the
    # coordinator reads every register and writes none (403 once she may see it)
    ("children.list",       "GET",  "/spaces/{slug}/children",                            LOGIN,     404,   (404, 200), 404,    (404, 404), (200, 404), (200, 404)),
    ("children.new",        "GET",  "/spaces/{slug}/children/new",                        LOGIN,     404,   (404, 403), 404,    (404, 404), (200, 404), (200, 404)),
    ("children.new",        "POST", "/spaces/{slug}/children/new",                        LOGIN,     404,   (404, 403), 404,    (404, 404), (302, 404), (302, 404)),
    ("children.view",       "GET",  "/spaces/{slug}/children/{reference}",                LOGIN,     404,   (404, 200), 404,    (404, 404), (200, 404), (200, 404)),
    ("children.edit",       "GET",  "/spaces/{slug}/children/{reference}/edit",           LOGIN,     404,   (404, 403), 404,    (404, 404), (200, 404), (200, 404)),
    ("children.edit",       "POST", "/spaces/{slug}/children/{reference}/edit",           LOGIN,     404,   (404, 403), 404,    (404, 404), (302, 404), (302, 404)),
    ("children.groups",     "POST", "/spaces/{slug}/children/{reference}/groups",         LOGIN,     404,   (404, 403), 404,    (404, 404), (302, 404), (302, 404)),
    ("children.supports",   "POST", "/spaces/{slug}/children/{reference}/supports",       LOGIN,     404,   (404, 403), 404,    (404, 404), (302, 404), (302, 404)),
]
# fmt: on

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CRITERIA_FILE = (Path(__file__).resolve().parent.parent / "data" / "criteria" / "test-points.yaml").read_bytes()
LOG_FORM = {"log_date": "20/05/2017", "description": "Họp thôn tuyên truyền", "progress": "in_progress"}
#: What each unsafe route is sent: a valid form, so an allowed user succeeds (302).
BODIES = {
    "accounts.login": {"login": "tancanh", "password": "demo2017"},
    "accounts.logout": {},
    "accounts.password": {"current": "demo2017", "new": "mat-khau-moi-2017", "confirm": "mat-khau-moi-2017"},
    "admin.user_new": {
        "login": "canbo.moi",
        "full_name": "Cán bộ mới",
        "email": "",
        "global_role": "",
        "password": "mat-khau-moi-2017",
    },
    "admin.user": {"action": "save", "full_name": "Lê Thị Mai", "email": "", "global_role": "", "password": ""},
    "spaces.sharing": {"login": "giaoduc", "role": "viewer"},
    "duties.log_add": LOG_FORM,
    "duties.log_edit": {**LOG_FORM, "version": "{version}"},
    "reports.edit": {"action": "save", "version": "{report_version}"},
    "district.periods": {"action": "dates", "period": "2017", "due_date": "15/12/2017", "lock_date": "15/01/2018"},
    "reports.transition": {"action": "reopen", "comment": "Mở lại để bổ sung số liệu"},
    "accounts.tokens": {"name": "Bảng tính tổng hợp"},
    # PUT: a JSON body (a draft saved with every figure emptied)
    "api.report_values": {"version": "{report_version}", "values": []},
    "plans.space": {"year": "2017"},
    "plans.edit": {"action": "save", "version": "{plan_version}"},
    "plans.transition": {"action": "return", "comment": "Bổ sung kinh phí cho hoạt động tháng 6"},
    "assessments.edit": {"action": "save", "version": "0", "commune_class": "mountain_island_hard"},
    "assessments.transition": {
        "action": "return",
        "comment": "Bổ sung minh chứng tiêu chí 2",
        "version": "{assessment_version}",
    },
    "assessments.criteria_year": {"year": "2017", "set_id": "{criteria_set_id}"},
    "ldtbxh.unit_add": {
        "space_id": "{space_id}",
        "kind": "clb_ong_ba_chau",
        "name": "Câu lạc bộ “Ông Bà Cháu” thôn 2",
        "start_date": "01/03/2017",
        "state": "active",
        "notes": "",
    },
    "ldtbxh.unit_edit": {
        "space_id": "{space_id}",
        "kind": "clb_ong_ba_chau",
        "name": "Câu lạc bộ “Ông Bà Cháu”",
        "start_date": "01/03/2017",
        "state": "active",
        "notes": "",
    },
    "ldtbxh.activity_add": {
        "activity_date": "20/05/2017",
        "participants": "15",
        "male": "6",
        "female": "9",
        "topics": "gia_dinh",
        "notes": "Sinh hoạt câu lạc bộ",
    },
    "children.new": {"full_name": "Trẻ Thử Nghiệm", "date_of_birth": "{born}", "sex": "male", "not_a_duplicate": "1"},
    "children.edit": {
        "full_name": "Trẻ Thử Nghiệm",
        "date_of_birth": "{born}",
        "sex": "male",
        "version": "{child_version}",
    },
    "children.groups": {"group_code": "orphan", "from_date": "{born}"},
    "children.supports": {"description": "Tặng quà", "given_on": "{born}", "provider": ""},
    "cases.new": {"received_at": "{hour_ago}", "reporter_kind": "family", "account": "Thử", "case_worker": "{worker}"},
    "cases.detailed": {"detailed_at": "{hour_ago}", "findings": "Gia đình khó khăn"},
    "cases.plan_step": {"action": "submit"},
    "cases.plan": {"plan_text": "Hỗ trợ học bổng; thăm gia đình hằng tháng"},
    "cases.services": {"description": "Thăm gia đình", "unit": "ldtbxh", "due_on": "{today}"},
    "cases.outcome": {"service": "{service_id}", "outcome": "done", "outcome_on": "{today}"},
    "cases.review": {
        "reviewed_on": "{today}",
        "harm": "low",
        "access": "low",
        "environment": "low",
        "decision": "close",
    },
    "cases.team": {"action": "worker", "user": "{worker}"},
    "cases.refer": {
        "service": "{service_id}",
        "unit": "{congan_id}",
        "summary": "Tóm tắt chuyển gửi (hư cấu)",
        "guardian_consent": "yes",
        "consent_by": "Mẹ của em (hư cấu)",
        "child_consent": "yes",
        "consent_on": "{today}",
    },
    "cases.referral_override": {"reason": "Trẻ đang gặp nguy hiểm (hư cấu)"},
    "referrals.answer": {"action": "accept"},
    "referrals.outcome": {"outcome": "done", "outcome_on": "{today}", "outcome_note": ""},
    "cases.initial": {
        "initial_at": "{hour_ago}",
        "harm": "low",
        "access": "low",
        "environment": "low",
        "in_danger": "no",
    },
}
#: Routes that are sent a file: (field, filename, content).
UPLOADS = {
    "plans.scan": [("scan", "ke-hoach-2017.pdf", PDF)],
    "assessments.criteria_import": [("file", "bo-tieu-chi.yaml", CRITERIA_FILE)],
}

#: A URL with one of these belongs to a space: tried in the role's own space and in another one.
PER_SPACE = ("{slug}", "{report_id}", "{unit_id}", "{reference}", "{number}")
PUBLIC_ROUTES = {"accounts.login", "accounts.logout", "health", "locale", "api.openapi", "__static/"}


def cases():
    for route, method, url, *expected in MATRIX:
        for role, want in zip(ROLES, expected, strict=True):
            if any(marker in url for marker in PER_SPACE) and role in OWN:
                assert isinstance(want, tuple), f"{route} {method} {role}: write (own, other)"
                for where, status in zip(("own", "other"), want, strict=True):
                    space = OWN[role] if where == "own" else OTHER[role]
                    yield pytest.param(route, method, url, role, space, status, id=f"{route}-{method}-{role}-{where}")
            else:
                assert not isinstance(want, tuple), f"{route} {method} {role}: one status only"
                yield pytest.param(route, method, url, role, SPACE, want, id=f"{route}-{method}-{role}")


CASES = list(cases())


# --- the views' declarations ---------------------------------------------------------------------


def is_exception_view(view) -> bool:
    context = view["context"]
    if view["exception_only"]:
        return True
    if isinstance(context, type):
        return issubclass(context, BaseException)
    return IInterface.providedBy(context) and context.isOrExtends(IException)


def test_every_view_has_a_permission(app):
    introspector = app.registry.introspector
    open_views = []
    for entry in introspector.get_category("views"):
        view = entry["introspectable"]
        permissions = [r["value"] for r in entry["related"] if r.category_name == "permissions"]
        permission = permissions[0] if permissions else None
        if permission in (None, NO_PERMISSION_REQUIRED) and not is_exception_view(view):
            if view["route_name"] not in PUBLIC_ROUTES:
                open_views.append(
                    f"route={view['route_name']} name={view['name']!r} "
                    f"callable={view['callable']!r} permission={permission}"
                )
    assert not open_views, "views without a permission of their own:\n" + "\n".join(open_views)

    routes = {e["introspectable"]["name"] for e in introspector.get_category("routes")}
    assert PUBLIC_ROUTES <= routes, "stale entries on the public allow-list"
    default = app.registry.queryUtility(IDefaultPermission)
    assert default == EXPLICIT_PERMISSION_REQUIRED


def test_every_route_is_in_the_matrix(app):
    routes = {e["introspectable"]["name"] for e in app.registry.introspector.get_category("routes")}
    assert routes - {"__static/"} == {row[0] for row in MATRIX}


# --- the matrix ----------------------------------------------------------------------------------


@pytest.fixture
def logs(dbsession, factory):
    """A duty log with one evidence file in every space the matrix visits, by slug."""
    from intranet.documents.services import store
    from intranet.duties.models import Evidence

    former = factory.user("canbo.cu", full_name="Cán bộ đã chuyển công tác")
    # kon-dao's log is also tancanh's: authorship alone must not open another space.
    authors = {
        "tan-canh": get_user(dbsession, "tancanh"),
        "kon-dao": get_user(dbsession, "tancanh"),
        "congan": former,
        "ldtbxh": former,
    }
    blob = store(dbsession, PDF, "pdf")
    made = {}
    for slug, author in authors.items():
        space = get_space(dbsession, slug)
        log = factory.log(space, author, f"{space.kind}.bao-cao-dinh-ky")
        evidence = Evidence(log_id=log.id, blob_sha256=blob.sha256, filename="bien-ban.pdf", uploaded_by=author.id)
        dbsession.add(evidence)
        dbsession.flush()
        made[slug] = (log, evidence)
    return made


#: The half-year 2017 report of each space the matrix visits: (state, reopened past the lock date).
#: The period's lock date has passed: the unit may edit only a report the coordinator reopened or
#: returned (tan-canh's and kon-dao's), and only in its own space.
REPORTS = {
    "tan-canh": ("draft", True),
    "kon-dao": ("returned", False),
    "congan": ("accepted", False),
    "ldtbxh": ("accepted", False),
}
#: The state of tan-canh's 2017 plan for a route (a draft otherwise; none for "plans.space", where
#: the commune creates it). Kon-dao's 2017 plan is approved.
PLAN_STATE = {"plans.space": None, "plans.transition": "submitted", "plans.scan": "approved"}
#: The state of the 2019 assessment of tan-canh and kon-dao for a route, each with an evidence
#: file (none otherwise: the commune starts one from a blank form).
ASSESSMENT_STATE = {"assessments.transition": "submitted", "assessments.evidence": "draft"}
#: The spaces with an "Ông Bà Cháu" club in the registry (the agencies have no unit).
CLUBS = ("tan-canh", "kon-dao")

#: Routes whose URL names a space's report (by form and period, or by id in the API).
REPORT_ROUTES = frozenset(row[0] for row in MATRIX if "{report_id}" in row[2] or ".bao-cao/" in row[2])
UNIT_ROUTES = frozenset(row[0] for row in MATRIX if "{unit_id}" in row[2])


#: The routes that act on referrals (see `referral_documents`).
REFERRAL_ROUTES = frozenset(row[0] for row in MATRIX if "refer" in row[0])
#: The units the matrix visits; the referral each receives comes from a case of this commune.
REFERRAL_SENDERS = {"tan-canh": "kon-dao", "kon-dao": "tan-canh", "congan": "tan-canh", "ldtbxh": "tan-canh"}


def referral_documents(make: DocumentFactory, *, accepted=()) -> dict:
    """For tan-canh and kon-dao, a case with two services: the first referred to congan without
    consent (waiting for the coordinator: ``waiting``), the second free to refer (``service_id``);
    and for each unit of REFERRAL_SENDERS, a referral it received (``received``), sent with
    consent, accepted by it when the unit is in ``accepted``."""
    from intranet.cases import procedure, referrals
    from intranet.cases.keys import get_keyring

    keyring = get_keyring(make.registry)
    db = make.db
    congan = get_space(db, "congan").id

    def refer(case, service_id, unit_id, consent):
        return referrals.refer(
            db,
            keyring,
            case,
            service_id=service_id,
            unit_id=unit_id,
            summary="Tóm tắt chuyển gửi (hư cấu)",
            guardian_consent=consent,
            consent_by="Mẹ của em (hư cấu)" if consent else "",
            child_consent=consent,
            consent_on=local_today(),
            user_id=make.unit_user,
        )

    def first_service(case):
        return db.scalar(select(CaseService.id).where(CaseService.case_id == case.id).order_by(CaseService.id))

    made = {}
    for slug in ("tan-canh", "kon-dao"):
        case = make.case(slug, service=True)
        made[f"waiting:{slug}"] = refer(case, first_service(case), congan, False).reference
        free = procedure.add_service(
            db,
            keyring,
            case,
            description="Hỗ trợ học tập (hư cấu)",
            due_on=local_today() + dt.timedelta(days=10),
            assigned_space_id=congan,
            user_id=make.unit_user,
        )
        made[f"case_number:{slug}"] = case.number
        made[f"service_id:{slug}"] = free.id
    for slug, sender in REFERRAL_SENDERS.items():
        case = make.case(sender, service=True)
        referral = refer(case, first_service(case), get_space(db, slug).id, True)
        if slug in accepted:
            referrals.accept(db, referral, user_id=make.unit_user)
        made[f"received:{slug}"] = referral.reference
    db.flush()
    return made


@pytest.fixture
def documents(request, app, dbsession, logs):
    """The reports, plans, assessments and registry units the route of the case acts on, in the
    states REPORTS, PLAN_STATE, ASSESSMENT_STATE and CLUBS name, with the placeholders they fill."""
    route = request.node.callspec.params["route"]
    make = DocumentFactory(
        dbsession,
        app.registry,
        unit_user=get_user(dbsession, "tancanh").id,
        reviewer=get_user(dbsession, "dieuphoi").id,
    )
    made = {"criteria_set_id": make.criteria_set("qd-06-2019").id}
    if route in REPORT_ROUTES:
        for slug, (state, unlocked) in REPORTS.items():
            report = make.report(slug, state, unlocked=unlocked)
            made[f"report_id:{slug}"] = report.id
            made[f"report_version:{slug}"] = report.version
    if route.startswith("plans."):
        make.commune_plan("kon-dao", 2017, "approved")
        state = PLAN_STATE.get(route, "draft")
        if state is None:
            make.no_commune_plan("tan-canh", 2017)
        else:
            plan = make.commune_plan("tan-canh", 2017, state, scan=route == "plans.scan")
            made["plan_version"] = plan.version
    if route.startswith("assessments."):
        for slug in ("tan-canh", "kon-dao"):
            state = ASSESSMENT_STATE.get(route)
            if state is None:
                make.no_assessment(slug, 2019)
                continue
            assessment = make.assessment(slug, 2019, state, evidence=True)
            made[f"assessment_evidence_id:{slug}"] = assessment.evidence[0].id
            made[f"assessment_version:{slug}"] = assessment.version
    if route in UNIT_ROUTES:
        for slug in logs:
            made[f"unit_id:{slug}"] = make.registry_unit(slug).id if slug in CLUBS else 0
    if route.startswith("cases."):
        for slug in ("tan-canh", "kon-dao"):
            case = make.case(
                slug,
                assessed=route in ("cases.detailed", "cases.plan", "cases.review"),
                planned=route == "cases.plan_step",
                approved=route == "cases.services",
                service=route == "cases.outcome",
                closed=route == "cases.reopen",
            )
            made[f"case_number:{slug}"] = case.number
            if route == "cases.outcome":
                made[f"service_id:{slug}"] = make.db.scalar(
                    select(CaseService.id).where(CaseService.case_id == case.id)
                )
    if route in REFERRAL_ROUTES:
        made.update(referral_documents(make, accepted=REFERRAL_SENDERS if route == "referrals.outcome" else ()))
    if route.startswith("children."):
        for slug in ("tan-canh", "kon-dao"):
            child = make.child(slug)
            made[f"child_reference:{slug}"] = child.reference
            made[f"child_version:{slug}"] = child.version
    return made


@pytest.fixture
def browser(make_app):
    """browser("tancanh") -> (a logged-in App, a valid CSRF token); one per login and test."""
    cache = {}

    def get(login):
        if login not in cache:
            app = make_app()
            if login == "anonymous":
                token = csrf_from(app.get("/login"))
            else:
                app.login(login)
                token = csrf_from(app.get("/"))
            cache[login] = (app, token)
        return cache[login]

    return get


def other_users_token(dbsession) -> int:
    from intranet.accounts.token_views import create_token

    row, _token = create_token(dbsession, get_user(dbsession, "giaoduc").id, "Của người khác")
    return row.id


def registry_unit(dbsession, space) -> int:
    """The space's first "Ông Bà Cháu" club in the registry; 0 (not found) for a space without one."""
    from intranet_ldtbxh.models import Unit

    return (
        dbsession.scalars(
            select(Unit.id).where(Unit.space_id == space.id, Unit.kind == "clb_ong_ba_chau").order_by(Unit.id).limit(1)
        ).first()
        or 0
    )


def space_report(dbsession, space):
    """The space's half-year 2017 report as the database has it (None when it has none)."""
    from intranet.reports.services import load_submission, period_by_code

    return load_submission(dbsession, f"{space.kind}.bao-cao", space.id, period_by_code(dbsession, "2017-6t").id)


def request_for(route, url, space_slug, dbsession, logs, documents):
    """The URL and body of a case. ``documents`` gives the ids and versions of what the route acts
    on; a caller that made no report or unit of its own gets those the database holds."""
    space = get_space(dbsession, space_slug)
    log, evidence = logs[space_slug]
    if f"report_id:{space_slug}" in documents:
        report_id, report_version = documents[f"report_id:{space_slug}"], documents[f"report_version:{space_slug}"]
    else:
        report = space_report(dbsession, space)
        report_id, report_version = (report.id, report.version) if report else (0, 0)
    unit_id = documents.get(f"unit_id:{space_slug}")
    values = {
        "slug": space_slug,
        "kind": space.kind,
        "log_id": log.id,
        "evidence_id": evidence.id,
        "version": log.version,
        "user_id": get_user(dbsession, "giaoduc").id,
        "report_version": report_version,
        "report_id": report_id,
        "token_id": other_users_token(dbsession) if "{token_id}" in url else 0,
        "space_id": space.id,
        "unit_id": registry_unit(dbsession, space) if unit_id is None else unit_id,
        "plan_version": documents.get("plan_version", 0),
        "criteria_set_id": documents["criteria_set_id"],
        "assessment_evidence_id": documents.get(f"assessment_evidence_id:{space_slug}", 0),
        "assessment_version": documents.get(f"assessment_version:{space_slug}", 0),
        "reference": documents.get(f"child_reference:{space_slug}", "NONE0-NONE0"),
        "child_version": documents.get(f"child_version:{space_slug}", 0),
        "born": (local_today() - dt.timedelta(days=3 * 365)).strftime("%d/%m/%Y"),
        "number": documents.get(f"case_number:{space_slug}", "XX-2017-0000"),
        "hour_ago": (to_local(utcnow()) - dt.timedelta(hours=1)).strftime("%d/%m/%Y %H:%M"),
        "worker": get_user(dbsession, "tancanh").id,
        "today": local_today().strftime("%d/%m/%Y"),
        "service_id": documents.get(f"service_id:{space_slug}", 0),
        "congan_id": get_space(dbsession, "congan").id,
        "waiting": documents.get(f"waiting:{space_slug}", "NONE0-NONE0"),
        "received": documents.get(f"received:{space_slug}", "NONE0-NONE0"),
    }
    body = {key: fill(value, values) for key, value in BODIES.get(route, {}).items()}
    return url.format(**values), body


def fill(value, values):
    """A body field with its placeholder filled; "{name}" alone keeps the value's type (for JSON)."""
    if not isinstance(value, str):
        return value
    if value.startswith("{") and value.endswith("}") and value[1:-1] in values:
        return values[value[1:-1]]
    return value.format(**values)


def check(response, expected):
    location = urlsplit(response.headers.get("Location", "")).path
    if expected == LOGIN:
        assert (response.status_int, location) == (302, "/login")
    else:
        assert response.status_int == expected
        if expected == 302:
            assert location != "/login"


@pytest.mark.parametrize(
    "route", ["reports.edit", "plans.space", "plans.transition", "plans.scan", "assessments.transition", "ldtbxh.unit"]
)
def test_the_documents_are_in_the_states_the_matrix_names(dbsession, documents, route):
    """What the expectations rest on: each report, plan, assessment and unit as the tables say."""
    from intranet.assessments.services import load_assessment
    from intranet.plans.services import load_plan
    from intranet.reports.services import is_locked, period_by_code

    for slug in ("tan-canh", "kon-dao", "congan", "ldtbxh"):
        space = get_space(dbsession, slug)
        if route in REPORT_ROUTES:
            report = space_report(dbsession, space)
            assert report.id == documents[f"report_id:{slug}"]
            assert report.state == REPORTS[slug][0]
            # past the lock date: reopening or returning a report lets the unit edit it again
            state, reopened = REPORTS[slug]
            assert is_locked(period_by_code(dbsession, "2017-6t"), report) is not (reopened or state == "returned")
        if route.startswith("plans.") and space.category == "commune":
            plan = load_plan(dbsession, space.id, 2017)
            want = "approved" if slug == "kon-dao" else PLAN_STATE.get(route, "draft")
            assert (plan.state if plan else None) == want
            if plan is not None:
                scanned = route == "plans.scan" and slug == "tan-canh"
                assert plan.revision == 1 and (plan.scan_sha256 is not None) == scanned
        if route.startswith("assessments.") and space.category == "commune":
            assessment = load_assessment(dbsession, space.id, 2019)
            assert assessment.state == ASSESSMENT_STATE[route]
            assert [e.id for e in assessment.evidence] == [documents[f"assessment_evidence_id:{slug}"]]
        if route in UNIT_ROUTES:
            from intranet_ldtbxh.models import Unit

            unit = dbsession.get(Unit, documents[f"unit_id:{slug}"]) if documents[f"unit_id:{slug}"] else None
            assert (unit.space_id if unit else None) == (space.id if slug in CLUBS else None)


@pytest.mark.parametrize("route, method, url, role, space, expected", CASES)
def test_view_matrix(browser, dbsession, logs, documents, route, method, url, role, space, expected):
    app, token = browser(role)
    url, body = request_for(route, url, space, dbsession, logs, documents)
    if method == "GET":
        response = app.get(url, status="*")
    elif method == "PUT":
        response = app.put_json(url, body, headers={"X-CSRF-Token": token}, status="*")
    else:
        response = app.post(url, {**body, "csrf_token": token}, upload_files=UPLOADS.get(route), status="*")
    check(response, expected)


def csrf_cases():
    """For each unsafe route, the first signed-in case the matrix allows."""
    seen = set()
    for case in CASES:
        route, method, url, role, space, expected = case.values
        if method == "POST" and role != "anonymous" and expected not in (401, 403, 404) and route not in seen:
            seen.add(route)
            yield pytest.param(route, url, role, space, id=case.id)


@pytest.mark.parametrize("route, url, role, space", list(csrf_cases()))
def test_post_without_csrf_token_is_refused(browser, dbsession, logs, documents, route, url, role, space):
    app, _token = browser(role)
    app.set_cookie("_LOCALE_", "en")
    url, body = request_for(route, url, space, dbsession, logs, documents)
    response = app.post(url, body, upload_files=UPLOADS.get(route), status="*")
    assert response.status_int == 400
    assert "The form has expired" in response.text
