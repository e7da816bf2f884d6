"""Login, logout, throttling, password change and session invalidation."""

from __future__ import annotations

from tests.fixtures.browser import csrf_from
from tests.fixtures.factories import get_user


def test_anonymous_page_redirects_to_login(testapp):
    res = testapp.get("/spaces", status=302)
    assert "/login" in res.location and "came_from=%2Fspaces" in res.location


def test_anonymous_api_gets_401(testapp):
    res = testapp.get("/api/v1/spaces", status=401)
    assert res.json["error"] == "unauthorized" and res.json["message"]


def test_login_lands_on_dashboard_in_vietnamese(testapp):
    res = testapp.login("tancanh").follow()
    assert '<html lang="vi">' in res.text
    assert "UBND xã Tân Cảnh" in res.text
    assert "Báo cáo 6 tháng đầu năm" in res.text  # what is due


def test_login_returns_to_came_from(testapp):
    form = testapp.get("/login?came_from=/spaces/tan-canh").forms[0]
    form["login"], form["password"] = "tancanh", "demo2017"
    res = form.submit(status=302)
    assert res.location.endswith("/spaces/tan-canh")


def test_login_refuses_offsite_came_from(testapp):
    form = testapp.get("/login?came_from=//evil.example/x").forms[0]
    form["login"], form["password"] = "tancanh", "demo2017"
    res = form.submit(status=302)
    assert res.location in ("http://example.com/", "/")


def test_wrong_password_keeps_login_and_says_so(testapp):
    res = testapp.login("tancanh", "sai-mat-khau", status=200)
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in res.text
    assert 'value="tancanh"' in res.text


def test_disabled_user_cannot_log_in(testapp, dbsession):
    get_user(dbsession, "yte").is_active = False
    dbsession.flush()
    testapp.login("yte", status=200)
    testapp.get("/", status=302)


def test_logout_ends_session(testapp):
    testapp.login("tancanh")
    testapp.get("/", status=200)
    testapp.logout()
    testapp.get("/", status=302)


def test_logout_requires_csrf(testapp):
    testapp.login("tancanh")
    testapp.post("/logout", {}, status=400)
    testapp.get("/", status=200)


def test_throttling_locks_after_repeated_failures(testapp, app):
    limit = int(app.registry.settings["intranet.login_max_failures"])
    for _ in range(limit):
        testapp.login("giaoduc", "wrong-password", status=200)
    res = testapp.login("giaoduc", "demo2017", status=200)  # right password, but locked
    assert "Đăng nhập sai quá nhiều lần" in res.text
    testapp.get("/", status=302)


def test_throttling_is_per_login(testapp, app):
    limit = int(app.registry.settings["intranet.login_max_failures"])
    for _ in range(limit):
        testapp.login("giaoduc", "wrong-password", status=200)
    testapp.login("congan")  # another account is not locked


def test_password_change_ends_other_sessions(make_app):
    phone, desk = make_app(), make_app()
    phone.login("tancanh")
    desk.login("tancanh")
    page = desk.get("/account/password")
    form = page.forms[1]
    form["current"], form["new"], form["confirm"] = "demo2017", "mat-khau-moi-2017", "mat-khau-moi-2017"
    form.submit(status=302)
    desk.get("/", status=200)  # the session that changed it continues
    phone.get("/", status=302)  # the other one is signed out
    fresh = make_app()
    fresh.login("tancanh", "mat-khau-moi-2017")


def test_password_change_revokes_api_tokens(make_app, dbsession):
    from intranet.accounts.token_views import create_token

    _row, token = create_token(dbsession, get_user(dbsession, "sotinh").id, "Bảng tính")
    api = make_app()
    api.extra_environ = {**api.extra_environ, "HTTP_AUTHORIZATION": f"Bearer {token}"}
    api.get("/api/v1/spaces", status=200)
    desk = make_app()
    desk.login("sotinh")
    form = desk.get("/account/password").forms[1]
    form["current"], form["new"], form["confirm"] = "demo2017", "mat-khau-moi-2017", "mat-khau-moi-2017"
    form.submit(status=302)
    api.get("/api/v1/spaces", status=401)
    desk.get("/account/tokens", status=200).mustcontain("Bảng tính")


def test_password_change_validates(as_user):
    browser = as_user("tancanh")
    form = browser.get("/account/password").forms[1]
    form["current"], form["new"], form["confirm"] = "wrong", "short", "other"
    res = form.submit(status=400)
    assert "Mật khẩu hiện tại không đúng" in res.text


def test_session_cookie_flags(testapp):
    res = testapp.get("/login")
    cookie = res.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_security_headers(testapp):
    res = testapp.get("/login")
    csp = res.headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in csp and "frame-ancestors 'none'" in csp
    assert res.headers["X-Content-Type-Options"] == "nosniff"
    assert res.headers["Referrer-Policy"] == "same-origin"


def test_healthz(testapp):
    assert testapp.get("/healthz").text == "ok\n"


def test_csrf_token_rotates_on_login(testapp):
    before = csrf_from(testapp.get("/login"))
    testapp.login("tancanh")
    after = csrf_from(testapp.get("/"))
    assert before != after


def test_a_hash_of_older_settings_is_made_again_at_sign_in(testapp, dbsession):
    """Hashes made with passlib's 64 MiB default still sign in, and are made again with the
    current (19 MiB) setting, so that no worker needs 64 MiB for a sign-in after that."""
    from passlib.context import CryptContext

    old = CryptContext(schemes=["argon2"], argon2__memory_cost=65536, argon2__time_cost=3, argon2__parallelism=4)
    user = get_user(dbsession, "yte")
    user.password_hash = old.hash("demo2017")
    dbsession.flush()
    assert "m=65536" in user.password_hash
    testapp.login("yte")
    dbsession.refresh(user)
    assert user.password_hash.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
