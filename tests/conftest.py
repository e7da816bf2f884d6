"""The suite's fixtures live in tests/fixtures/ (see its __init__.py), registered here as plugins:
a throwaway database built by Alembic, seeded once; a WebTest app per test whose requests share
one transaction that is rolled back at the end of the test.

The backend comes from INTRANET_TEST_DATABASE_URL (a PostgreSQL server URL: the fixtures create
and drop their own database on it); SQLite in a temporary folder when it is unset.
"""

from __future__ import annotations

pytest_plugins = (
    "tests.fixtures.database",
    "tests.fixtures.browser",
    "tests.fixtures.factories",
    "tests.fixtures.documents",
)
