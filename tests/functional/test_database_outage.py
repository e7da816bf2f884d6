"""A database that restarts or does not answer: the request is retried on a fresh connection,
or answered 503 with a page that asks to try again, never a 500 (bench/load.py restarts a real
PostgreSQL in the middle of a run)."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import OperationalError

from tests.fixtures.browser import signed_in
from tests.fixtures.database import running_app


@pytest.fixture(scope="module")
def live_app(tmp_path_factory):
    with running_app(tmp_path_factory, "intranet_outage") as application:
        yield application


@pytest.fixture
def browser(live_app):
    return signed_in(live_app, "tancanh")


def _lost_connection(invalidated: bool) -> OperationalError:
    error = OperationalError("SELECT 1", {}, Exception("server closed the connection unexpectedly"))
    error.connection_invalidated = invalidated
    return error


def _failing(monkeypatch, times: int, invalidated: bool) -> list:
    from intranet.notifications import services as views

    calls = []
    real = views.unread_count

    def unread_count(dbsession, user_id):
        calls.append(1)
        if len(calls) <= times:
            raise _lost_connection(invalidated)
        return real(dbsession, user_id)

    monkeypatch.setattr(views, "unread_count", unread_count)
    return calls


def test_a_connection_lost_once_is_retried_on_a_fresh_one(browser, monkeypatch):
    calls = _failing(monkeypatch, times=1, invalidated=True)
    browser.get("/", status=200)
    assert len(calls) == 2


def test_a_database_that_does_not_answer_gets_a_try_again_page(browser, monkeypatch):
    calls = _failing(monkeypatch, times=99, invalidated=True)
    res = browser.get("/", status=503)
    assert len(calls) == 3  # retry.attempts
    assert "Hệ thống tạm thời không trả lời" in res.text and res.headers["Retry-After"] == "5"
    assert "server closed the connection" not in res.text


def test_a_refused_connection_is_not_retried_but_answered_503(browser, monkeypatch):
    calls = _failing(monkeypatch, times=99, invalidated=False)
    res = browser.get("/", status=503)
    assert len(calls) == 1
    assert "Vui lòng đợi vài giây rồi thử lại" in res.text


def test_other_database_errors_stay_errors(browser, monkeypatch):
    """Only what may pass by itself is called transient; a bug must not hide behind "try again"."""
    from sqlalchemy.exc import ProgrammingError

    from intranet.notifications import services as views

    def broken(dbsession, user_id):
        raise ProgrammingError("SELECT nope", {}, Exception("no such column"))

    monkeypatch.setattr(views, "unread_count", broken)
    with pytest.raises(ProgrammingError):
        browser.get("/")
