"""Unit tests are pure logic: no database, no app on one. A test here that asks for a fixture
built on the database (``app``, ``dbsession``, ``testapp``, ``as_user``, ``factory`` …: all rest on
``db_url``) fails before the database is made, saying where such a test belongs."""

from __future__ import annotations

import inspect

import pytest

#: Every database fixture depends on this one (tests/fixtures/database.py).
DATABASE_FIXTURE = "db_url"


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    if DATABASE_FIXTURE not in getattr(item, "fixturenames", ()):
        return
    params = getattr(getattr(item, "callspec", None), "params", {})
    asked = [name for name in inspect.signature(item.function).parameters if name not in params]
    pytest.fail(
        f"{item.nodeid} is a unit test, but what it asks for ({', '.join(asked)}) needs the database. "
        "Unit tests run without one: test the pure function, or move the test to tests/functional/.",
        pytrace=False,
    )
