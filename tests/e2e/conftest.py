"""Browser tests: the real WSGI app served by waitress on 127.0.0.1, driven by headless Chromium.

The live server owns its database (committed data, unlike the rolled-back transaction of the
session ``app`` fixture): a new SQLite file, or a throwaway database on the PostgreSQL server
named by INTRANET_TEST_DATABASE_URL, migrated with Alembic and seeded with the demo data.

Chromium is the system one (/usr/bin/chromium); nothing is downloaded. Without it (or without
the ``playwright`` package) the tests are skipped, unless INTRANET_REQUIRE_E2E is set, in which
case they fail.
"""
from __future__ import annotations

import os
import threading
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from intranet import main
from intranet.cli import db_upgrade
from intranet.config import resolve_settings
from intranet.plans.seed import run_seed
from tests.conftest import base_settings

E2E_DIR = Path(__file__).parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if E2E_DIR in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.e2e)


@contextmanager
def throwaway_database(tmp_path_factory):
    """A database URL of our own; same recipe as ``db_url`` in tests/conftest.py."""
    server = os.environ.get("INTRANET_TEST_DATABASE_URL")
    if not server:
        path = tmp_path_factory.mktemp("e2e-db") / "e2e.sqlite"
        yield f"sqlite:///{path}"
        return
    url = make_url(server.replace("postgresql://", "postgresql+psycopg://", 1)
                   if server.startswith("postgresql://") else server)
    name = f"intranet_e2e_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" ENCODING \'UTF8\' TEMPLATE template0'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"), {"n": name})
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """Base URL ("http://127.0.0.1:<port>") of the seeded intranet served by waitress."""
    from waitress import create_server, wasyncore

    with throwaway_database(tmp_path_factory) as url:
        settings = base_settings(url)
        db_upgrade(resolve_settings(settings))
        with open(os.devnull, "w") as devnull:
            run_seed(settings, demo=True, out=devnull)
        application = main({}, **settings)
        server = create_server(application, host="127.0.0.1", port=0, threads=4)
        thread = threading.Thread(target=server.run, name="e2e-waitress", daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.effective_port}"
        finally:
            # Close every socket from inside the server loop (no cross-thread races); the loop
            # ends when its map is empty.
            server.trigger.pull_trigger(lambda: wasyncore.close_all(server._map))
            thread.join(timeout=10)
            server.task_dispatcher.shutdown()
            application.registry["dbengine"].dispose()


def _unavailable(reason: str):
    if os.environ.get("INTRANET_REQUIRE_E2E"):
        pytest.fail(f"INTRANET_REQUIRE_E2E is set but the browser tests cannot run: {reason}",
                    pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        _unavailable(f"the playwright package is not installed ({exc})")
    if not os.access(CHROMIUM, os.X_OK):
        _unavailable(f"no Chromium at {CHROMIUM}")
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    except Exception:
        playwright.stop()
        raise
    try:
        yield chromium
    finally:
        chromium.close()
        playwright.stop()
