"""Test fixtures: a throwaway database built by Alembic, seeded once; a WebTest app per test
whose requests share one transaction that is rolled back at the end of the test.

The backend comes from INTRANET_TEST_DATABASE_URL (a PostgreSQL server URL: the fixtures create
and drop their own database on it); SQLite in a temporary folder when it is unset.
"""

from __future__ import annotations

import os
import re
import tempfile
import uuid
from contextlib import contextmanager

import pytest
import transaction
import webtest
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url

from intranet import main
from intranet.cli import db_upgrade
from intranet.seed import run_seed

TEST_SECRET = "test-secret-" + "x" * 40
DEMO_PASSWORD = "demo2017"


def base_settings(url: str) -> dict:
    return {
        "sqlalchemy.url": url,
        "intranet.secret": TEST_SECRET,
        "intranet.environment": "testing",
        "intranet.plugins": "*",
        "pyramid.default_locale_name": "vi",
        # Notices' e-mails go to files (the debug mailer), outside the checkout.
        "intranet.mail_dir": os.path.join(tempfile.gettempdir(), f"intranet-test-mail-{os.getpid()}"),
    }


@contextmanager
def throwaway_database(tmp_path_factory, prefix: str = "intranet_test"):
    """A database URL of our own: a new SQLite file, or a new database on the PostgreSQL server
    named by INTRANET_TEST_DATABASE_URL, dropped afterwards."""
    server = os.environ.get("INTRANET_TEST_DATABASE_URL")
    if not server:
        path = tmp_path_factory.mktemp(prefix) / "test.sqlite"
        yield f"sqlite:///{path}"
        return
    url = make_url(
        server.replace("postgresql://", "postgresql+psycopg://", 1) if server.startswith("postgresql://") else server
    )
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0"))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"), {"n": name})
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


def build_app(url: str, **overrides):
    """Migrate and seed the database at ``url`` and return the WSGI app on it."""
    from intranet.config import resolve_settings

    settings = {**base_settings(url), **overrides}
    db_upgrade(resolve_settings(settings))
    with open(os.devnull, "w") as devnull:
        run_seed(settings, demo=True, out=devnull)
    return main({}, **settings)


@contextmanager
def running_app(tmp_path_factory, prefix: str, **overrides):
    """An app on a throwaway database of its own, with the real transaction machinery (each
    request commits; nothing is shared with a test session): for concurrency and outage tests."""
    with throwaway_database(tmp_path_factory, prefix) as url:
        application = build_app(url, **overrides)
        try:
            yield application
        finally:
            application.registry["dbengine"].dispose()


def signed_in(app, login: str, password: str = DEMO_PASSWORD) -> webtest.TestApp:
    """A browser of its own on ``app`` (no shared session), signed in through the login form."""
    browser = webtest.TestApp(app, extra_environ={"HTTP_HOST": "example.com"})
    form = browser.get("/login").forms[0]
    form["login"], form["password"] = login, password
    form.submit(status=302)
    return browser


@pytest.fixture(scope="session")
def db_url(tmp_path_factory):
    with throwaway_database(tmp_path_factory) as url:
        yield url


@pytest.fixture(scope="session")
def app_settings(db_url):
    return base_settings(db_url)


@pytest.fixture(scope="session")
def app(app_settings):
    application = build_app(app_settings["sqlalchemy.url"])
    yield application
    application.registry["dbengine"].dispose()


@pytest.fixture(scope="session")
def backend(app):
    return app.registry["dbengine"].dialect.name


@pytest.fixture
def tm():
    manager = transaction.TransactionManager(explicit=True)
    manager.begin()
    manager.doom()
    yield manager
    manager.abort()


@pytest.fixture
def dbsession(app, tm):
    from intranet.models import get_tm_session

    return get_tm_session(app.registry["dbsession_factory"], tm)


class App(webtest.TestApp):
    """A browser: keeps its cookies; ``login`` goes through the real login form."""

    def login(self, login: str, password: str = DEMO_PASSWORD, *, status=302):
        form = self.get("/login").forms[0]
        form["login"] = login
        form["password"] = password
        return form.submit(status=status)

    def logout(self):
        page = self.get("/")
        token = csrf_from(page)
        return self.post("/logout", {"csrf_token": token}, status=302)


def csrf_from(response) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', response.text)
    assert match, "no CSRF token on the page"
    return match.group(1)


@pytest.fixture
def make_app(app, tm, dbsession):
    def factory():
        return App(
            app,
            extra_environ={
                "HTTP_HOST": "example.com",
                "tm.active": True,
                "tm.manager": tm,
                "app.dbsession": dbsession,
            },
        )

    return factory


@pytest.fixture
def testapp(make_app):
    return make_app()


@pytest.fixture
def as_user(make_app):
    """as_user("tancanh") -> a logged-in App for that demo account."""

    def factory(login: str):
        browser = make_app()
        browser.login(login)
        return browser

    return factory


@contextmanager
def count_statements(engine):
    """Count the SQL statements sent to ``engine`` inside the block."""
    statements: list[str] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", before)


# --- factories ---------------------------------------------------------------------------------


_HASHES: dict[str, str] = {}


def _hash(password: str) -> str:
    """argon2 is slow on purpose: hash each test password once per run."""
    from intranet.accounts.services import hash_password

    if password not in _HASHES:
        _HASHES[password] = hash_password(password)
    return _HASHES[password]


class Factory:
    def __init__(self, dbsession):
        self.db = dbsession
        self._n = 0
        self._plan_id = None

    def _next(self):
        self._n += 1
        return self._n

    def user(self, login=None, *, password=DEMO_PASSWORD, global_role=None, full_name=None):
        from intranet.accounts.models import User

        n = self._next()
        login = login or f"user{n}-{uuid.uuid4().hex[:6]}"
        user = User(
            login=login,
            full_name=full_name or f"Người dùng {n}",
            password_hash=_hash(password),
            global_role=global_role,
        )
        self.db.add(user)
        self.db.flush()
        return user

    def space(self, slug=None, *, kind="xa", category="commune", title=None):
        from intranet.spaces.models import Space

        n = self._next()
        space = Space(
            slug=slug or f"xa-thu-{n}-{uuid.uuid4().hex[:4]}",
            kind=kind,
            category=category,
            title=title or f"UBND xã Thử {n}",
            title_en=f"Test commune {n}",
            sort_order=100 + n,
        )
        self.db.add(space)
        self.db.flush()
        return space

    def membership(self, user, space, role="officer"):
        from intranet.spaces.models import Membership

        m = Membership(user_id=user.id, space_id=space.id, role=role)
        self.db.add(m)
        self.db.flush()
        return m

    def log(self, space, author, duty_key, *, progress="in_progress", log_date=None, values=None, evidence=False):
        import datetime as dt

        from intranet.documents.services import store
        from intranet.duties.models import DutyLog, DutyLogValue, Evidence
        from intranet.plans.services import current_plan

        if self._plan_id is None:
            self._plan_id = current_plan(self.db).id
        log = DutyLog(
            space_id=space.id,
            plan_id=self._plan_id,
            author_id=author.id,
            duty_key=duty_key,
            log_date=log_date or dt.date(2017, 5, 20),
            description="Tổ chức tuyên truyền tại thôn",
            progress=progress,
            values=[],
            evidence=[],
        )
        for key, value in (values or {}).items():
            log.values.append(DutyLogValue(measure_key=key, value=value))
        if evidence:
            blob = store(self.db, b"%PDF-1.4 bien ban", "pdf")
            log.evidence.append(Evidence(blob_sha256=blob.sha256, filename="bien-ban.pdf", uploaded_by=author.id))
        self.db.add(log)
        self.db.flush()
        return log


@pytest.fixture
def factory(dbsession):
    return Factory(dbsession)


def get_space(dbsession, slug):
    from intranet.spaces.services import get_by_slug

    return get_by_slug(dbsession, slug)


def get_user(dbsession, login):
    from intranet.accounts.services import find_user

    return find_user(dbsession, login)
