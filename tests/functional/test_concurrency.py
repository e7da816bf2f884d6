"""Concurrent writers through the real transaction machinery (committed data, real threads).

SQLite: requests that write begin with BEGIN IMMEDIATE, so concurrent writers queue on the lock
instead of failing with "database is locked". PostgreSQL: read-then-write paths lock their rows
or use one atomic statement, so no update is lost.
"""

from __future__ import annotations

import re
import threading

import pytest
import webtest
from sqlalchemy import func, select

from tests.fixtures.browser import signed_in
from tests.fixtures.database import running_app

WRITERS = 6
LOGS_EACH = 8


@pytest.fixture(scope="module")
def live_app(tmp_path_factory):
    with running_app(tmp_path_factory, "intranet_conc", **{"intranet.login_max_failures": "1000"}) as application:
        yield application


def run_threads(target, n):
    errors: list[BaseException] = []
    start = threading.Barrier(n)

    def wrapped(i):
        try:
            start.wait()
            target(i)
        except BaseException as exc:  # collected and reported below
            errors.append(exc)

    threads = [threading.Thread(target=wrapped, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return errors


def test_concurrent_duty_logs_are_all_saved(live_app):
    from intranet.duties.models import DutyLog

    browsers = [signed_in(live_app, "tancanh") for _ in range(WRITERS)]

    def write(i):
        browser = browsers[i]
        for j in range(LOGS_EACH):
            page = browser.get("/spaces/tan-canh/logs/new?duty=xa.bao-cao-dinh-ky")
            token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
            browser.post(
                "/spaces/tan-canh/logs/new?duty=xa.bao-cao-dinh-ky",
                {
                    "csrf_token": token,
                    "log_date": "05/06/2017",
                    "progress": "done",
                    "description": f"concurrent {i}-{j}",
                },
                status=302,
            )

    errors = run_threads(write, WRITERS)
    assert errors == []
    session = live_app.registry["dbsession_factory"]()
    try:
        count = session.scalar(
            select(func.count()).select_from(DutyLog).where(DutyLog.description.like("concurrent %"))
        )
    finally:
        session.close()
    assert count == WRITERS * LOGS_EACH


def test_concurrent_failed_logins_are_all_counted(live_app):
    """A login storm: every attempt counted, none answered "database is locked".

    The password hash runs outside any transaction (accounts.views.login), so the write lock is
    held only for the few short statements of each attempt; this holds on a loaded machine."""
    from intranet.accounts.models import LoginThrottle

    attempts_each = 5

    def fail(i):
        browser = webtest.TestApp(live_app, extra_environ={"HTTP_HOST": "example.com", "REMOTE_ADDR": "192.0.2.10"})
        for _ in range(attempts_each):
            form = browser.get("/login").forms[0]
            form["login"], form["password"] = "giaoduc", "wrong-password"
            form.submit(status=200).mustcontain("Tên đăng nhập hoặc mật khẩu không đúng")

    errors = run_threads(fail, WRITERS)
    assert errors == []
    session = live_app.registry["dbsession_factory"]()
    try:
        failures = session.scalar(
            select(LoginThrottle.failures).where(LoginThrottle.key == "login:giaoduc|ip:192.0.2.10")
        )
    finally:
        session.close()
    assert failures == WRITERS * attempts_each  # none lost to a read-modify-write race


@pytest.fixture(scope="module")
def strict_app(tmp_path_factory):
    """An app with the default limit of five free tries."""
    with running_app(tmp_path_factory, "intranet_throttle") as application:
        yield application


def test_parallel_attempts_get_no_more_tries_than_the_limit(strict_app):
    """Ten guesses sent at the same moment: only the free tries reach the password check."""
    from intranet.audit.models import AuditEntry

    limit = int(strict_app.registry.settings["intranet.login_max_failures"])
    answers = []

    def guess(i):
        browser = webtest.TestApp(strict_app, extra_environ={"HTTP_HOST": "example.com", "REMOTE_ADDR": "198.51.100.7"})
        form = browser.get("/login").forms[0]
        form["login"], form["password"] = "yte", f"guess-{i}"
        answers.append(form.submit(status=200).text)

    errors = run_threads(guess, 2 * limit)
    assert errors == []
    checked = sum("Tên đăng nhập hoặc mật khẩu không đúng" in text for text in answers)
    waited = sum("Đăng nhập sai quá nhiều lần" in text for text in answers)
    assert (checked, waited) == (limit, limit)
    session = strict_app.registry["dbsession_factory"]()
    try:
        failed = session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == "login.failed", AuditEntry.ip == "198.51.100.7")
        )
    finally:
        session.close()
    assert failed == limit
