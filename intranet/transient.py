"""Transient database errors: a unique-key race and a lost connection are retried, and a
database that does not answer gets a short "try again" page, never a 500.

Unique-key races.

A row that does not exist yet cannot be locked with SELECT ... FOR UPDATE. When several people
make the first save of one report, commune plan or assessment at the same moment, on PostgreSQL
each request sees no row and inserts one; the first commits and the others fail on the unique
key (IntegrityError: a 500). Such a failure says only that someone else was first, so it is
marked retryable for pyramid_retry (``retry.attempts``): the request runs again from the start
with a new transaction, finds the winner's row (locking it), and answers as to a stale form — the
conflict page, which keeps what was typed, or the "already exists" notice. No timing is involved:
the loser's INSERT waits for the winner's transaction to end before it fails, so the winner's row
is committed when the retry reads.

Only unique violations are retried; a foreign key or NOT NULL failure is a bug and stays a 500,
as does a unique violation that is still there on the last attempt. On SQLite writers queue on
the database lock (BEGIN IMMEDIATE), so the race does not arise there; the rule is the same.

A lost connection. When PostgreSQL restarts (or a connection in the pool was cut), the first
statement on the old connection fails with the connection invalidated; the pool drops it, and a
retry of the request takes a fresh one (``pool_pre_ping`` checks each one first). A database
that does not answer at all (OperationalError: refused, starting up, shutting down), or still
fails on the last attempt, is answered 503 with a static page: rendering the site's layout would
ask the database again. Nothing half-written remains: the transaction was rolled back.
"""

from __future__ import annotations

from pyramid.tweens import EXCVIEW
from pyramid_retry import mark_error_retryable
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from intranet.limits import error_response

#: SQLSTATE of a unique violation (PostgreSQL); SQLite's extended result codes for the same.
PG_UNIQUE_VIOLATION = "23505"
SQLITE_UNIQUE = {"SQLITE_CONSTRAINT_UNIQUE", "SQLITE_CONSTRAINT_PRIMARYKEY"}


def is_unique_violation(exc: BaseException) -> bool:
    if not isinstance(exc, IntegrityError):
        return False
    orig = exc.orig
    state = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    return state == PG_UNIQUE_VIOLATION or getattr(orig, "sqlite_errorname", None) in SQLITE_UNIQUE


def is_transient(exc: BaseException) -> bool:
    """Whether running the request again may well succeed."""
    return is_unique_violation(exc) or (isinstance(exc, DBAPIError) and exc.connection_invalidated)


def _marking_tween(handler, registry):
    def tween(request):
        try:
            return handler(request)
        except DBAPIError as exc:
            if is_transient(exc):
                mark_error_retryable(exc)
            raise

    return tween


#: Under the exception view tween: marked before an exception view is chosen for it.
view_errors_tween_factory = _marking_tween
#: Over pyramid_tm: a violation raised at commit, after the exception views had their turn.
commit_errors_tween_factory = _marking_tween


def database_unavailable(exc, request):
    response = error_response(request.environ, "db_unavailable")
    response.headers["Retry-After"] = "5"
    return response


def includeme(config):
    config.add_tween("intranet.transient.view_errors_tween_factory", under=EXCVIEW)
    config.add_tween("intranet.transient.commit_errors_tween_factory", over="pyramid_tm.tm_tween_factory")
    # A retryable error goes to pyramid_retry while attempts are left; then, or when it is not
    # retryable, the page. Other database errors are bugs and stay 500s.
    for predicates in ({"retryable_error": False}, {"last_retry_attempt": True}):
        config.add_exception_view(database_unavailable, context=OperationalError, **predicates)
