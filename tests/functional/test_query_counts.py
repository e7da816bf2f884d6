"""The number of SQL statements a page issues does not grow with the data (no N+1)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.fixtures.database import count_statements
from tests.fixtures.factories import get_space, get_user

PAGES = [
    "/spaces/tan-canh",
    "/district/duties",
    "/spaces",
    "/",
    "/spaces/tan-canh/logs",
    "/admin/audit",
    "/admin/users",
]


DUTY_KEYS = ["xa.bao-cao-dinh-ky", "xa.ke-hoach-2017"]


def add_logs(factory, space, author, n):
    for j in range(n):
        factory.log(
            space,
            author,
            DUTY_KEYS[j % 2],
            log_date=dt.date(2017, 3, 1 + j % 28),
            values={"so_buoi": j},
            evidence=j % 3 == 0,
        )


def seed_some(factory, dbsession):
    """The seeded 20 spaces, with a few logs in the commune and some members."""
    add_logs(factory, get_space(dbsession, "tan-canh"), get_user(dbsession, "tancanh"), 3)
    factory.membership(factory.user(), get_space(dbsession, "tan-canh"), "viewer")


def grow(factory, dbsession, *, spaces: int, logs_per_space: int):
    """180 more communes with members and logs; many more logs and members in tan-canh."""
    for _ in range(spaces):
        space = factory.space()
        member = factory.user()
        factory.membership(member, space, "officer")
        add_logs(factory, space, member, logs_per_space)
    add_logs(factory, get_space(dbsession, "tan-canh"), get_user(dbsession, "tancanh"), 60)
    for _ in range(10):
        factory.membership(factory.user(), get_space(dbsession, "tan-canh"), "viewer")


@pytest.mark.parametrize("login", ["dieuphoi", "admin"])
def test_statement_count_does_not_grow_with_data(make_app, app, factory, dbsession, login):
    engine = app.registry["dbengine"]
    browser = make_app()
    browser.login(login)
    # The coordinator reads the audit trail but does not manage users.
    pages = [p for p in PAGES if not (login == "dieuphoi" and p == "/admin/users")]

    def counts():
        result = {}
        for url in pages:
            # The test's requests share one session; start each from a cold identity map, as a
            # real request does, or a cached row (kept alive by chance) hides its query.
            dbsession.expire_all()
            with count_statements(engine) as statements:
                browser.get(url, status=200)
            result[url] = len(statements)
        return result

    seed_some(factory, dbsession)
    small = counts()  # the seeded 20 spaces
    grow(factory, dbsession, spaces=180, logs_per_space=6)
    large = counts()  # 200 spaces, over a thousand logs
    assert large == small, f"statements grew with the data: {small} -> {large}"
    # …and the pages that list units stay within the 60 KB budget at 200 units
    css = len(browser.get("/static/css/site.css").body)
    for url in ("/district/duties", "/spaces"):
        assert len(browser.get(url).body) + css <= 60 * 1024, url
    assert max(small.values()) <= 15, small
