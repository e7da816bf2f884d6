"""The intranet's one clock: real time, or real time moved to a demonstration day.

Every "now" of the application comes from here: :func:`intranet.models.meta.utcnow` (stored
times) and :func:`intranet.i18n.local_today` (deadlines, lock dates, default dates) both add
:func:`offset`. Normally the offset is zero. In development, the setting ``intranet.demo_today``
(see development.ini; production refuses it) moves the clock by whole days, so that the 2017 demo
plan can be walked through as if it were that day: the hours still pass, times stay consistent
with one another, and the day turns at midnight in Đăk Tô as it should.

The offset is process-wide (one clock for every thread of the server). Nothing here imports the
rest of the intranet: the models use it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from zoneinfo import ZoneInfo


def _district_zone() -> dt.tzinfo:
    try:
        return ZoneInfo("Asia/Ho_Chi_Minh")
    except Exception:  # no tz database on the machine: Việt Nam keeps UTC+7 all year
        return dt.timezone(dt.timedelta(hours=7))


#: Đăk Tô's time zone: the demo day begins and ends at local midnight (as in intranet.i18n).
DISTRICT_ZONE = _district_zone()

_offset = dt.timedelta(0)


def offset() -> dt.timedelta:
    """How far the application's clock is from the real one (whole days; zero normally)."""
    return _offset


def utcnow() -> dt.datetime:
    """Now in UTC without a zone, on the intranet's clock (moved to the demo day in development)."""
    return (dt.datetime.now(dt.timezone.utc) + offset()).replace(tzinfo=None)


def real_local_today() -> dt.date:
    """The real calendar day in Đăk Tô, whatever the clock says."""
    return dt.datetime.now(DISTRICT_ZONE).date()


def set_demo_today(day: dt.date | None) -> None:
    """Make ``day`` today for the whole process (None: back to the real clock).

    The clock moves by the whole days between the real local day and ``day``; the time of day
    stays the real one, so ``utcnow()`` still advances and ``local_today()`` is ``day`` until local
    midnight. ``main()`` calls it for the development setting ``intranet.demo_today`` (and so does
    ``intranet seed``, so that seeded rows are dated on the demo day).

    A test may move the day, e.g. past a period's lock date, while a live server (the browser
    tests' waitress thread) keeps running: the next request sees the new day. Sessions and sign-in
    throttles are timed on this clock too: after a move of more than a working day forward, sign
    in again. The clock belongs to the whole process, so a test that moves it must put it back,
    with :func:`demo_day` or::

        set_demo_today(dt.date(2017, 7, 6))
        try:
            ...
        finally:
            set_demo_today(None)
    """
    global _offset
    _offset = dt.timedelta(0) if day is None else dt.timedelta(days=(day - real_local_today()).days)


def demo_today() -> dt.date | None:
    """Today on the demonstration clock, or None when the clock is the real one (the page footer
    says so when it is not)."""
    if not _offset:
        return None
    return (dt.datetime.now(DISTRICT_ZONE) + _offset).date()


@contextmanager
def demo_day(day: dt.date | None) -> Iterator[None]:
    """``with demo_day(date(2017, 7, 6)): ...`` runs the block on that day, then restores the
    clock as it was (the real one, or the demo day set before)."""
    global _offset
    before = _offset
    set_demo_today(day)
    try:
        yield
    finally:
        _offset = before


def includeme(config) -> None:
    """Pages may ask ``demo_today()`` (the footer warns that the clock is a demonstration one)."""

    def add_global():
        config.get_jinja2_environment(".jinja2").globals["demo_today"] = demo_today

    config.action(None, add_global, order=999)
