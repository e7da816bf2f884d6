"""Working days and the deadlines of Decree 56/2017 (GLOSSARY: working day, Ngày làm việc).

The support and intervention plan (Mẫu 04) is due within 5 working days of the report's receipt;
a child in danger is separated from the abuser within 12 hours of it. The rules:

- A working day is a Monday to Friday that is not a day off of the public offices, or a Saturday
  or Sunday that a swap of working days (hoán đổi) makes worked (làm bù).
- The days off are data, not code: ``holidays.yaml`` beside this module lists them year by year
  with where each year comes from (the Labour Code, the year's decision on Tết and swaps). A date
  in a year that the data does not hold raises :class:`HolidaysUnknownError`: a deadline is never
  computed as if a year had no holidays.
- "Within n working days of" a day counts from the day after it (Civil Code 2015, art. 147: the
  first day of a period in days is not counted): a report received on Wednesday 01/03/2017 has its
  plan due on Wednesday 08/03/2017. A day received on a weekend or a holiday counts the same way,
  from the next working day.
- The 12 hours are plain hours, nights, weekends and holidays included.
- Days are calendar days in Đăk Tô. The functions take a ``datetime.date`` and refuse a
  ``datetime``: the caller turns a stored time into the local day first (``intranet.clock``), since
  a time stored in UTC before 07:00 is already the next day in Việt Nam.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources

import yaml

#: The hours within which a child in danger is separated from the abuser.
EMERGENCY_HOURS = 12
#: The working days within which the support and intervention plan is drawn up.
PLAN_WORKING_DAYS = 5
#: The statuses of a year in the data: its decision is out, or its days are the Labour Code's only.
DECIDED, PROVISIONAL = "decided", "provisional"

_RANGE = re.compile(r"(\d{4}-\d{2}-\d{2})\s*\.\.\s*(\d{4}-\d{2}-\d{2})")
_YEAR_FIELDS = {"status", "source", "days_off", "working_days"}


class HolidayDataError(ValueError):
    """The holiday data is malformed; the message says which year and entry."""


class HolidaysUnknownError(LookupError):
    """A date falls in a year that the holiday data does not hold."""


@dataclass(frozen=True)
class HolidayCalendar:
    """The days off and the worked weekend days of the years in ``statuses``."""

    days_off: frozenset[dt.date]
    worked_weekend_days: frozenset[dt.date]
    statuses: Mapping[int, str]

    def check_year(self, year: int) -> None:
        """Raise :class:`HolidaysUnknownError` unless the data holds ``year``."""
        if year not in self.statuses:
            known = f"{min(self.statuses)}-{max(self.statuses)}" if self.statuses else "none"
            raise HolidaysUnknownError(
                f"The holidays of {year} are not in intranet/cases/holidays.yaml (it holds {known}): "
                f"add that year's days off before counting working days in it."
            )

    def is_provisional(self, year: int) -> bool:
        """Whether ``year``'s days off are the Labour Code's only, awaiting the year's decision."""
        self.check_year(year)
        return self.statuses[year] == PROVISIONAL

    def is_working_day(self, day: dt.date) -> bool:
        """Whether the public offices work on ``day``."""
        _check_date(day)
        self.check_year(day.year)
        if day in self.worked_weekend_days:
            return True
        return day.weekday() < 5 and day not in self.days_off

    def add_working_days(self, start: dt.date, n: int) -> dt.date:
        """The ``n``-th working day after ``start`` (``start`` itself when ``n`` is 0)."""
        _check_date(start)
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise ValueError("add_working_days() counts a whole number of working days, 0 or more.")
        self.check_year(start.year)
        day = start
        while n:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                n -= 1
        return day

    def working_days_between(self, a: dt.date, b: dt.date) -> int:
        """The working days after ``a`` up to ``b`` included; negative when ``b`` is before ``a``.

        So ``working_days_between(a, add_working_days(a, n)) == n``: a plan drawn up on ``b`` for
        a report received on ``a`` is late when this is more than :data:`PLAN_WORKING_DAYS`.
        """
        _check_date(a)
        _check_date(b)
        self.check_year(a.year)
        self.check_year(b.year)
        if b < a:
            return -self.working_days_between(b, a)
        return sum(self.is_working_day(a + dt.timedelta(days=i)) for i in range(1, (b - a).days + 1))


def calendar_from_data(data: Mapping) -> HolidayCalendar:
    """The calendar described by ``data``, parsed from YAML in the shape ``holidays.yaml`` explains."""
    if not isinstance(data, Mapping) or not data:
        raise HolidayDataError("The holiday data is not a mapping of years.")
    days_off: set[dt.date] = set()
    worked: set[dt.date] = set()
    statuses: dict[int, str] = {}
    for year, entry in data.items():
        if isinstance(year, bool) or not isinstance(year, int):
            raise HolidayDataError(f"{year!r} is not a year.")
        if not isinstance(entry, Mapping) or set(entry) - _YEAR_FIELDS or not {"status", "source"} <= set(entry):
            raise HolidayDataError(f"{year}: give status, source, days_off and working_days, nothing else.")
        if entry["status"] not in (DECIDED, PROVISIONAL):
            raise HolidayDataError(f"{year}: the status is {DECIDED!r} or {PROVISIONAL!r}.")
        if not isinstance(entry["source"], str) or not entry["source"].strip():
            raise HolidayDataError(f"{year}: say where the days come from (source).")
        year_off = _days(year, entry.get("days_off") or {}, "days_off")
        year_worked = _days(year, entry.get("working_days") or {}, "working_days")
        for day in sorted(year_worked):
            if day.weekday() < 5:
                raise HolidayDataError(f"{year}: working day {day} is a weekday; list only Saturdays and Sundays.")
            if day in year_off:
                raise HolidayDataError(f"{year}: {day} is both a day off and a working day.")
        statuses[year] = entry["status"]
        days_off |= year_off
        worked |= year_worked
    return HolidayCalendar(frozenset(days_off), frozenset(worked), dict(sorted(statuses.items())))


@functools.cache
def default_calendar() -> HolidayCalendar:
    """The calendar of ``holidays.yaml``, read once per process."""
    text = resources.files(__package__).joinpath("holidays.yaml").read_text(encoding="utf-8")
    return calendar_from_data(yaml.safe_load(text))


def is_working_day(day: dt.date) -> bool:
    """Whether the public offices work on ``day`` (see the module's rules)."""
    return default_calendar().is_working_day(day)


def add_working_days(start: dt.date, n: int) -> dt.date:
    """The ``n``-th working day after ``start``."""
    return default_calendar().add_working_days(start, n)


def working_days_between(a: dt.date, b: dt.date) -> int:
    """The working days after ``a`` up to ``b`` included (negative when ``b`` is before ``a``)."""
    return default_calendar().working_days_between(a, b)


def deadline_5_working_days(received_on: dt.date) -> dt.date:
    """The last day for the support and intervention plan of a report received on ``received_on``."""
    return add_working_days(received_on, PLAN_WORKING_DAYS)


def deadline_12_hours(received_at: dt.datetime) -> dt.datetime:
    """The time by which a child in danger is separated from the abuser: 12 plain hours later.

    Naive or aware, the result is of the same kind as ``received_at``. A bare date is refused:
    it has no hour to count from.
    """
    if not isinstance(received_at, dt.datetime):
        raise TypeError("deadline_12_hours() counts from a datetime, the time the report was received.")
    return received_at + dt.timedelta(hours=EMERGENCY_HOURS)


def _check_date(day) -> None:
    if isinstance(day, dt.datetime) or not isinstance(day, dt.date):
        raise TypeError("Working days are counted on datetime.date values: convert a time to the local day first.")


def _days(year: int, entries, field: str) -> set[dt.date]:
    if not isinstance(entries, Mapping):
        raise HolidayDataError(f"{year}: {field} maps each day to what it is.")
    days: set[dt.date] = set()
    for key, label in entries.items():
        if not isinstance(label, str) or not label.strip():
            raise HolidayDataError(f"{year}: {field} {key} needs a description.")
        first, last = _span(year, key, field)
        if first.year != year or last.year != year or last < first:
            raise HolidayDataError(f"{year}: {field} {key} is not a day or a span of days within {year}.")
        span = {first + dt.timedelta(days=i) for i in range((last - first).days + 1)}
        if span & days:
            raise HolidayDataError(f"{year}: {field} {key} repeats a day listed before.")
        days |= span
    return days


def _span(year: int, key, field: str) -> tuple[dt.date, dt.date]:
    if isinstance(key, dt.date) and not isinstance(key, dt.datetime):
        return key, key
    match = _RANGE.fullmatch(key.strip()) if isinstance(key, str) else None
    try:
        if match:
            return dt.date.fromisoformat(match[1]), dt.date.fromisoformat(match[2])
        if isinstance(key, str):
            day = dt.date.fromisoformat(key.strip())
            return day, day
    except ValueError:
        pass
    raise HolidayDataError(f"{year}: {field} {key!r} is not YYYY-MM-DD or 'YYYY-MM-DD .. YYYY-MM-DD'.")
