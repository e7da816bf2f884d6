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
from pathlib import Path

import pytest

from tests.fixtures.database import build_app, throwaway_database

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


#: The demo's "today" (development.ini): the half-year period is open, so each job can be walked
#: from start to end whatever the real date.
DEMO_TODAY = "2017-05-29"


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    """Base URL ("http://127.0.0.1:<port>") of the seeded intranet served by waitress, on the demo
    day (as `make run` serves it). One per test module: the demo clock belongs to the whole
    process, so it is set only while a module's browser tests run, and put back after them."""
    from waitress import create_server, wasyncore

    from intranet.clock import set_demo_today

    with throwaway_database(tmp_path_factory, "intranet_e2e") as url:
        try:
            application = build_app(url, **{"intranet.demo_today": DEMO_TODAY})
        except BaseException:
            set_demo_today(None)
            raise
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
            set_demo_today(None)


def _unavailable(reason: str):
    if os.environ.get("INTRANET_REQUIRE_E2E"):
        pytest.fail(f"INTRANET_REQUIRE_E2E is set but the browser tests cannot run: {reason}", pytrace=False)
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
