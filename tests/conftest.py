"""The suite's fixtures live in tests/fixtures/ (see its __init__.py), registered here as plugins:
a throwaway database built by Alembic, seeded once; a WebTest app per test whose requests share
one transaction that is rolled back at the end of the test.

The backend comes from INTRANET_TEST_DATABASE_URL (a PostgreSQL server URL: the fixtures create
and drop their own database on it); SQLite in a temporary folder when it is unset.
"""

from __future__ import annotations

import importlib

pytest_plugins = (
    "tests.fixtures.database",
    "tests.fixtures.browser",
    "tests.fixtures.factories",
    "tests.fixtures.documents",
)

#: Where the names some test modules still import from here (``from tests.conftest import …``)
#: now live. Resolved on first use, so that pytest imports the plugins first and rewrites their
#: assertions; new code imports from tests.fixtures.* directly.
_MOVED = {
    "TEST_SECRET": "database",
    "DEMO_PASSWORD": "database",
    "base_settings": "database",
    "throwaway_database": "database",
    "build_app": "database",
    "running_app": "database",
    "count_statements": "database",
    "App": "browser",
    "csrf_from": "browser",
    "signed_in": "browser",
    "Factory": "factories",
    "get_space": "factories",
    "get_user": "factories",
}


def __getattr__(name: str):
    if name in _MOVED:
        return getattr(importlib.import_module(f"tests.fixtures.{_MOVED[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
