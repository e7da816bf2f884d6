"""How a request's transaction ends, with the real transaction machinery (no shared test session)."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from tests.fixtures.browser import signed_in
from tests.fixtures.database import running_app

PAGES = ("/", "/spaces", "/district/assessments", "/p/ldtbxh/registry")


@pytest.fixture(scope="module")
def live_app(tmp_path_factory):
    with running_app(tmp_path_factory, "intranet_tx") as application:
        yield application


def test_a_page_that_only_reads_ends_its_transaction_with_commit(live_app):
    """A ROLLBACK makes the PostgreSQL driver forget every statement it has prepared on that
    connection, so that every page would be planned anew; a read ends with COMMIT instead (to the
    database the same end for a transaction that wrote nothing)."""
    engine = live_app.registry["dbengine"]
    browser = signed_in(live_app, "dieuphoi")
    ends: list[str] = []

    def commit(conn):
        ends.append("commit")

    def rollback(conn):
        ends.append("rollback")

    event.listen(engine, "commit", commit)
    event.listen(engine, "rollback", rollback)
    try:
        for path in PAGES:
            del ends[:]
            browser.get(path, status=200)
            assert ends == ["commit"], (path, ends)
        # a request that fails still rolls back
        del ends[:]
        browser.get("/spaces/no-such-unit", status=404)
        assert ends == ["rollback"], ends
    finally:
        event.remove(engine, "commit", commit)
        event.remove(engine, "rollback", rollback)


def test_pages_keep_the_statements_they_prepared_from_request_to_request(live_app):
    """The point of ending reads with COMMIT: on PostgreSQL the driver prepares a statement on
    its fifth run on a connection and keeps it, from page to page. (SQLite has no server to
    prepare on: there the pages are checked to answer the same through one connection.)"""
    engine = live_app.registry["dbengine"]
    browser = signed_in(live_app, "dieuphoi")
    engine.dispose()  # one connection from here on: the pages below are served one at a time
    pages = [browser.get("/district/assessments", status=200).html.select("table.grid tbody tr") for _ in range(8)]
    assert len({len(rows) for rows in pages}) == 1 and pages[0]
    if engine.dialect.name != "postgresql":
        return
    connection = engine.raw_connection()
    try:
        cursor = connection.cursor()
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    finally:
        connection.close()
    assert any("assessments" in statement for statement in prepared), prepared
