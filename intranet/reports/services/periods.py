"""Reporting periods, the lock date and timeliness."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from intranet.i18n import local_date, local_today
from intranet.reports.models import (
    Period,
    Submission,
)
from intranet.workflow import TransitionCode, TransitionError  # noqa: F401 (the callers' names)

#: Every reporting period, newest first, read by most pages: built once.
_PERIODS = select(Period).order_by(Period.year.desc(), Period.due_date.desc())


def periods(dbsession) -> list[Period]:
    return list(dbsession.scalars(_PERIODS))


def period_by_code(dbsession, code: str) -> Period | None:
    return dbsession.scalars(select(Period).where(Period.code == code)).one_or_none()


def is_locked(period: Period, submission: Submission | None, today: dt.date | None = None) -> bool:
    today = today or local_today()
    return today > period.lock_date and not (submission is not None and submission.unlocked)


def timeliness(submission: Submission | None, period: Period) -> str:
    """ "on_time", "late", or "missing" for a report that has not been submitted yet."""
    if submission is None or submission.first_submitted_at is None:
        return "missing"
    # The deadline is a day in Đăk Tô, not in UTC.
    return "on_time" if local_date(submission.first_submitted_at) <= period.due_date else "late"
