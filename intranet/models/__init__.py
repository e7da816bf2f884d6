"""Engine and session factories, ``request.dbsession``, and the SQLite connection rules.

SQLite is configured as DESIGN.md section 5 asks: WAL, foreign keys, a busy timeout,
synchronous=NORMAL, and transactions begun explicitly — ``BEGIN IMMEDIATE`` for requests that
write, so that concurrent writers queue on the lock instead of failing with "database is locked".
"""

from __future__ import annotations

import contextvars
from contextlib import contextmanager

import zope.sqlalchemy
from sqlalchemy import engine_from_config, event
from sqlalchemy.orm import configure_mappers, sessionmaker

# Import every model module so that the metadata is complete and relationships resolve.
from intranet.accounts import models as _accounts  # noqa: F401,E402
from intranet.assessments import models as _assessments  # noqa: F401,E402
from intranet.audit import models as _audit  # noqa: F401,E402
from intranet.cases import models as _cases  # noqa: F401,E402
from intranet.documents import models as _documents  # noqa: F401,E402
from intranet.duties import models as _duties  # noqa: F401,E402
from intranet.models.meta import Base, metadata  # noqa: F401
from intranet.notifications import models as _notifications  # noqa: F401,E402
from intranet.plans import models as _plans  # noqa: F401,E402
from intranet.reports import models as _reports  # noqa: F401,E402
from intranet.spaces import models as _spaces  # noqa: F401,E402

#: Whether the current unit of work intends to write; read when SQLite begins a transaction.
write_intent: contextvars.ContextVar[bool] = contextvars.ContextVar("intranet_write_intent", default=True)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _configure_sqlite(engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, connection_record):
        # Let SQLAlchemy (below) emit BEGIN itself instead of pysqlite's implicit handling.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write_intent.get() else "BEGIN")


def get_engine(settings, prefix="sqlalchemy."):
    engine = engine_from_config(settings, prefix, future=True)
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine)
    return engine


def get_session_factory(engine):
    return sessionmaker(bind=engine, expire_on_commit=False)


def get_tm_session(session_factory, transaction_manager, request=None):
    """A session joined to ``transaction_manager``: pyramid_tm commits or aborts it, never app code."""
    dbsession = session_factory(info={"request": request})
    # Every transaction that ends well ends with COMMIT, reads too: PostgreSQL's driver forgets
    # the statements it has prepared on a connection whenever it sends ROLLBACK there (it cannot
    # know what was undone), and then plans each statement anew on every page.
    zope.sqlalchemy.register(
        dbsession, transaction_manager=transaction_manager, initial_state=zope.sqlalchemy.datamanager.STATUS_CHANGED
    )
    return dbsession


@contextmanager
def short_transaction(request):
    """A unit of work of its own, committed as soon as the block ends.

    For what must be settled *before* slow work that no lock may be held across: signing in
    counts the attempt and reads the password hash here, then checks the hash (argon2, slow on
    purpose) with no transaction open, and only then writes in the request's own transaction.
    On SQLite a write lock held across the hash queued every other writer behind it.
    It must run before the request's own session has begun, or on SQLite it would wait for the
    lock that its own request holds. Tests that share one session across requests (environ
    "app.dbsession") get that session: a single test has nobody to wait for.
    """
    shared = request.environ.get("app.dbsession")
    if shared is not None:
        yield shared
        return
    request_session = request.__dict__.get("dbsession")
    if request_session is not None and request_session.in_transaction():
        raise RuntimeError("short_transaction() after the request's transaction began")
    token = write_intent.set(True)
    try:
        with request.registry["dbsession_factory"]() as session, session.begin():
            yield session
    finally:
        write_intent.reset(token)


def includeme(config):
    settings = config.get_settings()
    config.include("pyramid_tm")
    config.include("pyramid_retry")

    # Resolve every relationship now, so that a mapping mistake stops start-up, not a request.
    configure_mappers()
    engine = get_engine(settings)
    session_factory = get_session_factory(engine)
    config.registry["dbsession_factory"] = session_factory
    config.registry["dbengine"] = engine

    def dbsession(request):
        # Tests share one externally controlled session across requests.
        session = request.environ.get("app.dbsession")
        if session is None:
            write_intent.set(request.method not in SAFE_METHODS)
            session = get_tm_session(session_factory, request.tm, request=request)
        return session

    config.add_request_method(dbsession, reify=True)
