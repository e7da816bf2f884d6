"""Sessions that really end, a throttle that slows guessers without locking out colleagues,
forwarded headers believed only from our proxy, and answers that do not tell who or what exists.
"""

from __future__ import annotations

import datetime as dt

import pytest
import webtest
from sqlalchemy import select, text, update

from tests.fixtures.browser import csrf_from
from tests.fixtures.database import running_app
from tests.fixtures.factories import get_user


def _browser(app, ip="192.0.2.1", **environ):
    return webtest.TestApp(app, extra_environ={"HTTP_HOST": "example.com", "REMOTE_ADDR": ip, **environ})


def _login(browser, login, password="demo2017", status=302):
    form = browser.get("/login").forms[0]
    form["login"], form["password"] = login, password
    return form.submit(status=status)


# --- sessions -------------------------------------------------------------------------------


def test_a_cookie_kept_from_before_logout_is_refused(make_app):
    browser = make_app()
    browser.login("tancanh")
    kept = browser.cookies["intranet_session"]
    browser.logout()
    replay = make_app()
    replay.set_cookie("intranet_session", kept)
    res = replay.get("/", status=302)
    assert "/login" in res.location


def test_logout_on_one_device_leaves_the_other_signed_in(make_app):
    phone, desk = make_app(), make_app()
    phone.login("tancanh")
    desk.login("tancanh")
    phone.logout()
    desk.get("/", status=200)


def test_a_session_ends_at_its_absolute_lifetime(make_app, dbsession):
    from intranet.accounts.models import UserSession

    browser = make_app()
    browser.login("tancanh")
    browser.get("/", status=200)
    user = get_user(dbsession, "tancanh")
    # However active it stays, the session that began 12 hours ago is over.
    dbsession.execute(
        update(UserSession).where(UserSession.user_id == user.id).values(expires_at=dt.datetime(2000, 1, 1))
    )
    assert "/login" in browser.get("/", status=302).location


def test_sign_in_starts_a_session_with_the_configured_lifetime(make_app, dbsession, app):
    from intranet.accounts.models import UserSession
    from intranet.models.meta import utcnow

    make_app().login("yte")
    row = dbsession.scalars(select(UserSession).where(UserSession.user_id == get_user(dbsession, "yte").id)).one()
    lifetime = (row.expires_at - row.created_at).total_seconds()
    assert lifetime == int(app.registry.settings["intranet.session_max_seconds"]) == 12 * 3600
    assert row.created_at <= utcnow() < row.expires_at


def test_re_enabling_an_account_does_not_revive_its_api_tokens(make_app, dbsession):
    from intranet.accounts.token_views import create_token

    user = get_user(dbsession, "congan")
    _row, token = create_token(dbsession, user.id, "Bảng tính")
    api = make_app()
    api.extra_environ = {**api.extra_environ, "HTTP_AUTHORIZATION": f"Bearer {token}"}
    api.get("/api/v1/spaces", status=200)
    admin = make_app()
    admin.login("admin")
    for action in ("disable", "enable"):
        page = admin.get(f"/admin/users/{user.id}")
        admin.post(f"/admin/users/{user.id}", {"csrf_token": csrf_from(page), "action": action}, status=302)
    assert user.is_active  # the requests share this session (and its identity map) with the test
    api.get("/api/v1/spaces", status=401)


def test_api_answers_are_never_cached(make_app, dbsession):
    from intranet.accounts.token_views import create_token

    _row, token = create_token(dbsession, get_user(dbsession, "dieuphoi").id, "Thống kê")
    api = make_app()
    api.extra_environ = {**api.extra_environ, "HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert api.get("/api/v1/spaces", status=200).headers["Cache-Control"] == "no-store"
    assert api.get("/api/v1/reports/999999", status=404).headers["Cache-Control"] == "no-store"


def test_locale_cookie_is_secure_when_cookies_are(app_settings):
    from intranet import main

    secure = main({}, **{**app_settings, "intranet.secure_cookies": "true"})
    res = webtest.TestApp(secure, extra_environ={"HTTP_HOST": "example.com"}).get("/locale/en?next=/login")
    cookie = res.headers["Set-Cookie"]
    assert "_LOCALE_=en" in cookie and "secure" in cookie.lower()


# --- throttling -------------------------------------------------------------------------------


def test_a_guesser_elsewhere_does_not_lock_out_the_real_user(make_app, app):
    limit = int(app.registry.settings["intranet.login_max_failures"])
    attacker, colleague = make_app(), make_app()
    attacker.extra_environ["REMOTE_ADDR"] = "203.0.113.66"
    colleague.extra_environ["REMOTE_ADDR"] = "192.0.2.20"
    for _ in range(limit * 3):
        attacker.login("giaoduc", "doan-mat-khau", status=200)
    attacker.login("giaoduc", "demo2017", status=200).mustcontain("Đăng nhập sai quá nhiều lần")
    colleague.login("giaoduc")  # the real user, from their own machine, before the deadline
    colleague.get("/", status=200)


def test_an_office_behind_one_address_is_slowed_by_failures_only(make_app, app):
    """Successful sign-ins do not use up the address's allowance (50 failed tries)."""
    limit = int(app.registry.settings["intranet.login_max_failures"])
    for i in range(limit * 10 + 5):
        browser = make_app()
        browser.extra_environ["REMOTE_ADDR"] = "192.0.2.99"
        browser.login(("yte", "giaoduc", "congan")[i % 3])
    for _ in range(limit - 1):
        make_app().login("truyenhinh", "sai-mat-khau", status=200)
    office = make_app()
    office.extra_environ["REMOTE_ADDR"] = "192.0.2.99"
    office.login("truyenhinh")


def test_the_wait_grows_with_each_failure_and_a_success_clears_it(dbsession, app):
    from intranet.accounts import services
    from intranet.accounts.models import LoginThrottle

    rules = services.login_rules(app.registry.settings, "yte", "192.0.2.30")
    start = dt.datetime(2026, 12, 1, 8, 0)
    waits = []
    now = start
    for _ in range(8):
        assert services.reserve_attempt(dbsession, rules, now=now) is None
        until = dbsession.scalar(select(LoginThrottle.locked_until).where(LoginThrottle.key == rules[0].key))
        waits.append(0 if until is None else int((until - now).total_seconds()))
        # A try during the wait is refused and not counted.
        if until is not None:
            assert services.reserve_attempt(dbsession, rules, now=now) == until
            now = until
    assert waits == [0, 0, 0, 0, 30, 60, 120, 240]
    services.clear_failures(dbsession, rules[0])
    assert services.reserve_attempt(dbsession, rules, now=now) is None


def test_wrong_current_passwords_are_throttled_like_logins(as_user, app):
    limit = int(app.registry.settings["intranet.login_max_failures"])
    browser = as_user("tancanh")
    for _ in range(limit):
        form = browser.get("/account/password").forms[1]
        form["current"], form["new"], form["confirm"] = "doan-sai", "mat-khau-moi-2017", "mat-khau-moi-2017"
        form.submit(status=400).mustcontain("Mật khẩu hiện tại không đúng")
    form = browser.get("/account/password").forms[1]
    form["current"], form["new"], form["confirm"] = "demo2017", "mat-khau-moi-2017", "mat-khau-moi-2017"
    form.submit(status=400).mustcontain("Đăng nhập sai quá nhiều lần")


def test_a_failed_login_never_keeps_what_was_typed(testapp, dbsession):
    from intranet.audit.models import AuditEntry

    testapp.login("Mat-khau-bi-go-nham-vao-o-ten", "x", status=200)
    testapp.login("yte", "sai-mat-khau", status=200)
    entries = dbsession.scalars(
        select(AuditEntry).where(AuditEntry.action == "login.failed").order_by(AuditEntry.id)
    ).all()
    assert "Mat-khau" not in str([(e.object_id, e.detail) for e in entries])
    assert entries[0].detail == {"login_length": len("Mat-khau-bi-go-nham-vao-o-ten")}
    assert entries[1].object_id == str(get_user(dbsession, "yte").id)


# --- the client address -------------------------------------------------------------------------


def _last_login_ip(dbsession, login):
    from intranet.audit.models import AuditEntry

    return dbsession.scalars(
        select(AuditEntry.ip)
        .where(AuditEntry.action == "login", AuditEntry.user_id == get_user(dbsession, login).id)
        .order_by(AuditEntry.id.desc())
    ).first()


@pytest.fixture
def behind_proxy(app):
    """The app as configured behind a proxy at 10.0.0.1."""
    from intranet.security.network import parse_trusted_proxies

    saved = app.registry.get("intranet.trusted_proxies")
    app.registry["intranet.trusted_proxies"] = parse_trusted_proxies("10.0.0.1")
    yield
    app.registry["intranet.trusted_proxies"] = saved


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        ("10.0.0.1", "198.51.100.9", "198.51.100.9"),  # our proxy reports the client
        ("10.0.0.1", "6.6.6.6, 198.51.100.9", "198.51.100.9"),  # the client's own claim is ignored
        ("203.0.113.5", "198.51.100.9", "203.0.113.5"),  # not our proxy: the header is not believed
        ("10.0.0.1", "x" * 5000, "10.0.0.1"),  # longer than the audit column, and not an address
        ("10.0.0.1", "198.51.100.9\r\nSet-Cookie: a=b", "10.0.0.1"),
    ],
)
def test_forwarded_for_is_believed_only_from_the_proxy(make_app, dbsession, behind_proxy, remote, forwarded, expected):
    browser = make_app()
    browser.extra_environ.update(REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    browser.login("yte")
    assert _last_login_ip(dbsession, "yte") == expected


def test_without_a_configured_proxy_forwarded_for_is_ignored(make_app, dbsession):
    browser = make_app()
    browser.extra_environ.update(REMOTE_ADDR="192.0.2.44", HTTP_X_FORWARDED_FOR="1.2.3.4")
    browser.login("yte")
    assert _last_login_ip(dbsession, "yte") == "192.0.2.44"


# --- answers that do not tell what exists ---------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/spaces/tan-canh",
        "/spaces/khong-co-xa-nay",
        "/spaces/tan-canh/logs/1/edit",
        "/spaces/tan-canh/logs/987654/edit",
        "/spaces/tan-canh/plans/2017",
        "/spaces/khong-co/plans/2017",
    ],
)
def test_strangers_are_sent_to_sign_in_whether_or_not_it_exists(testapp, path):
    res = testapp.get(path, status=302)
    assert res.location.startswith("http://example.com/login")


def test_api_hides_reports_the_caller_may_not_see(make_app, dbsession):
    from intranet.accounts.token_views import create_token
    from intranet.reports.models import Submission
    from intranet.spaces.models import Space

    other = dbsession.scalars(
        select(Submission.id).join(Space, Space.id == Submission.space_id).where(Space.slug != "tan-canh")
    ).first()
    _row, token = create_token(dbsession, get_user(dbsession, "tancanh").id, "Xã")
    api = make_app()
    api.extra_environ = {**api.extra_environ, "HTTP_AUTHORIZATION": f"Bearer {token}"}
    hidden = api.get(f"/api/v1/reports/{other}", status=404).json
    missing = api.get("/api/v1/reports/987654", status=404).json
    assert hidden == missing


# --- no lock across the password hash --------------------------------------------------------------


@pytest.fixture(scope="module")
def live_app(tmp_path_factory):
    with running_app(tmp_path_factory, "intranet_hashlock") as application:
        yield application


def test_no_transaction_is_open_while_the_password_hash_runs(live_app, monkeypatch):
    """The cause of "database is locked" under a login storm: the write lock was held while
    argon2 ran. While the hash runs, another connection must be able to write at once."""
    from intranet.accounts import services

    engine = live_app.registry["dbengine"]
    seen = []
    real_verify = services.pwd_context.verify

    def verify_and_probe(password, hashed):
        if engine.dialect.name == "sqlite":
            probe = engine.raw_connection()  # the driver's own connection: no BEGIN of ours
            try:
                cursor = probe.cursor()
                cursor.execute("PRAGMA busy_timeout=0")
                try:
                    cursor.execute("BEGIN IMMEDIATE")
                    cursor.execute("ROLLBACK")
                    seen.append("free")
                except Exception as exc:  # "database is locked": somebody holds the write lock
                    seen.append(f"locked: {exc}")
                cursor.execute("PRAGMA busy_timeout=10000")
            finally:
                probe.close()
        else:
            with engine.connect() as probe:
                busy = probe.scalar(
                    text(
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                        "AND state LIKE 'idle in transaction%' AND pid <> pg_backend_pid()"
                    )
                )
                seen.append("free" if busy == 0 else f"{busy} transaction(s) open")
        return real_verify(password, hashed)

    monkeypatch.setattr(services.pwd_context, "verify", verify_and_probe)
    browser = _browser(live_app)
    _login(browser, "yte", "sai-mat-khau", status=200)
    _login(browser, "yte")
    assert seen == ["free", "free"]
