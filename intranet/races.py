"""A unique-key race is retried, and the retry takes the normal path.

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
"""
from __future__ import annotations

from pyramid_retry import mark_error_retryable
from sqlalchemy.exc import IntegrityError

#: SQLSTATE of a unique violation (PostgreSQL); SQLite's extended result codes for the same.
PG_UNIQUE_VIOLATION = "23505"
SQLITE_UNIQUE = {"SQLITE_CONSTRAINT_UNIQUE", "SQLITE_CONSTRAINT_PRIMARYKEY"}


def is_unique_violation(exc: BaseException) -> bool:
    if not isinstance(exc, IntegrityError):
        return False
    orig = exc.orig
    state = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    return state == PG_UNIQUE_VIOLATION or getattr(orig, "sqlite_errorname", None) in SQLITE_UNIQUE


def unique_race_tween_factory(handler, registry):
    def tween(request):
        try:
            return handler(request)
        except IntegrityError as exc:
            if is_unique_violation(exc):
                mark_error_retryable(exc)
            raise

    return tween


def includeme(config):
    # Over pyramid_tm: a violation raised at commit reaches this tween as well as one raised by a
    # view's flush, and the transaction is already aborted when pyramid_retry starts again.
    config.add_tween("intranet.races.unique_race_tween_factory", over="pyramid_tm.tm_tween_factory")
