"""Who may call which view: every route, every demo role, as one table.

The expectations come from the role table (intranet/security/roles.py), not from what the app
happens to answer: admin reads every space and shares it but records nothing; the coordinator
(dieuphoi) reads every space and writes only where he is head (ldtbxh); the provincial viewer
(sotinh) reads everything and writes nothing; officers read and write only in their own space;
the head of a space may correct any log there, an officer only the logs they wrote. Anonymous
users are sent to /login by pages (LOGIN below) and get 401 from the API. API calls here use the
browser session (so PUT sends the X-CSRF-Token header); bearer tokens: tests/functional/test_api.py.

A new route fails ``test_every_route_is_in_the_matrix`` until it has a row here.
"""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from pyramid.interfaces import IDefaultPermission, IException
from pyramid.security import NO_PERMISSION_REQUIRED
from zope.interface.interfaces import IInterface

from intranet.security import EXPLICIT_PERMISSION_REQUIRED
from tests.conftest import csrf_from, get_space, get_user

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
    ("accounts.tokens",     "GET",  "/account/tokens",                                    LOGIN,     200,   200,        200,    200,        200,        200),
    ("accounts.tokens",     "POST", "/account/tokens",                                    LOGIN,     200,   200,        200,    200,        200,        200),
    # a token of giaoduc's: nobody else may revoke it, or learn that it exists
    ("accounts.token_revoke", "POST", "/account/tokens/{token_id}/revoke",                LOGIN,     404,   404,        404,    404,        404,        404),
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
    # reports of the demo half-year (see intranet/reports/seed.py): tan-canh's is an open draft,
    # kon-dao's was returned, congan's and ldtbxh's accepted; the period's lock date has passed
    ("reports.space",       "GET",  "/spaces/{slug}/reports",                             LOGIN,     200,   (200, 200), 200,    (200, 403), (200, 403), (200, 403)),
    ("reports.edit",        "GET",  "/spaces/{slug}/reports/{kind}.bao-cao/2017-6t",      LOGIN,     200,   (200, 200), 200,    (200, 403), (200, 403), (200, 403)),
    ("reports.edit",        "POST", "/spaces/{slug}/reports/{kind}.bao-cao/2017-6t",      LOGIN,     403,   (403, 403), 403,    (403, 403), (302, 403), (302, 403)),
    # reopening needs an accepted or a locked report: ldtbxh's is accepted, the coordinator reopens it
    ("reports.transition",  "POST", "/spaces/{slug}/reports/{kind}.bao-cao/2017-6t/transition", LOGIN, 403, (302, 403), 403,   (403, 403), (403, 403), (403, 403)),
    # exporting a report is reading it: whoever may open the report may download it
    ("reports.export",      "GET",  "/spaces/{slug}/reports/{kind}.bao-cao/2017-6t/export.csv", LOGIN,  200,   (200, 200), 200,    (200, 403), (200, 403), (200, 403)),
    # the same reports through the API, by id ({report_id} is the space's report, like {slug})
    ("api.report",          "GET",  "/api/v1/reports/{report_id}",                        401,       200,   (200, 200), 200,    (200, 403), (200, 403), (200, 403)),
    ("api.report_values",   "PUT",  "/api/v1/reports/{report_id}/values",                 401,       403,   (403, 403), 403,    (403, 403), (200, 403), (200, 403)),
]
# fmt: on

LOG_FORM = {"log_date": "20/05/2017", "description": "Họp thôn tuyên truyền", "progress": "in_progress"}
#: What each unsafe route is sent: a valid form, so an allowed user succeeds (302).
BODIES = {
    "accounts.login": {"login": "tancanh", "password": "demo2017"},
    "accounts.logout": {},
    "accounts.password": {"current": "demo2017", "new": "mat-khau-moi-2017", "confirm": "mat-khau-moi-2017"},
    "admin.user_new": {"login": "canbo.moi", "full_name": "Cán bộ mới", "email": "", "global_role": "",
                       "password": "mat-khau-moi-2017"},
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
}

PUBLIC_ROUTES = {"accounts.login", "accounts.logout", "health", "locale", "api.openapi", "__static/"}
#: A URL with one of these belongs to a space: tried in the role's own space and in another one.
PER_SPACE = ("{slug}", "{report_id}")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def cases():
    for route, method, url, *expected in MATRIX:
        for role, want in zip(ROLES, expected, strict=True):
            if any(marker in url for marker in PER_SPACE) and role in OWN:
                assert isinstance(want, tuple), f"{route} {method} {role}: write (own, other)"
                for where, status in zip(("own", "other"), want, strict=True):
                    space = OWN[role] if where == "own" else OTHER[role]
                    yield pytest.param(route, method, url, role, space, status,
                                       id=f"{route}-{method}-{role}-{where}")
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
                open_views.append(f"route={view['route_name']} name={view['name']!r} "
                                  f"callable={view['callable']!r} permission={permission}")
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
    authors = {"tan-canh": get_user(dbsession, "tancanh"), "kon-dao": get_user(dbsession, "tancanh"),
               "congan": former, "ldtbxh": former}
    blob = store(dbsession, PDF, "pdf")
    made = {}
    for slug, author in authors.items():
        space = get_space(dbsession, slug)
        log = factory.log(space, author, f"{space.kind}.bao-cao-dinh-ky")
        evidence = Evidence(log_id=log.id, blob_sha256=blob.sha256, filename="bien-ban.pdf",
                            uploaded_by=author.id)
        dbsession.add(evidence)
        dbsession.flush()
        made[slug] = (log, evidence)
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


def request_for(route, url, space_slug, dbsession, logs):
    from intranet.reports.services import load_submission, period_by_code

    space = get_space(dbsession, space_slug)
    log, evidence = logs[space_slug]
    report = load_submission(dbsession, f"{space.kind}.bao-cao", space.id, period_by_code(dbsession, "2017-6t").id)
    values = {"slug": space_slug, "kind": space.kind, "log_id": log.id, "evidence_id": evidence.id,
              "version": log.version, "user_id": get_user(dbsession, "giaoduc").id,
              "report_version": report.version if report else 0, "report_id": report.id if report else 0,
              "token_id": other_users_token(dbsession) if "{token_id}" in url else 0}
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


@pytest.mark.parametrize("route, method, url, role, space, expected", CASES)
def test_view_matrix(browser, dbsession, logs, route, method, url, role, space, expected):
    app, token = browser(role)
    url, body = request_for(route, url, space, dbsession, logs)
    if method == "GET":
        response = app.get(url, status="*")
    elif method == "PUT":
        response = app.put_json(url, body, headers={"X-CSRF-Token": token}, status="*")
    else:
        response = app.post(url, {**body, "csrf_token": token}, status="*")
    check(response, expected)


def csrf_cases():
    """For each unsafe route, the first signed-in case the matrix allows."""
    seen = set()
    for case in CASES:
        route, method, url, role, space, expected = case.values
        if method == "POST" and role != "anonymous" and expected not in (401, 403) and route not in seen:
            seen.add(route)
            yield pytest.param(route, url, role, space, id=case.id)


@pytest.mark.parametrize("route, url, role, space", list(csrf_cases()))
def test_post_without_csrf_token_is_refused(browser, dbsession, logs, route, url, role, space):
    app, _token = browser(role)
    app.set_cookie("_LOCALE_", "en")
    url, body = request_for(route, url, space, dbsession, logs)
    response = app.post(url, body, status="*")
    assert response.status_int == 400
    assert "The form has expired" in response.text
