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


def pytest_sessionfinish(session, exitstatus):
    """Under CI (``INTRANET_NO_SKIPS=1``, set by .ci/run) a skipped test fails the run: a test that
    skips because a tool, a server or a backend is missing has not passed."""
    import os

    import pytest

    if os.environ.get("INTRANET_NO_SKIPS") != "1":
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter is not None else []
    if skipped and session.exitstatus == pytest.ExitCode.OK:
        reporter.write_line(f"FAIL: {len(skipped)} test(s) skipped, and CI counts a skip as a failure:", red=True)
        for report in skipped:
            reporter.write_line(f"  {report.nodeid}: {report.longrepr[-1] if report.longrepr else ''}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
