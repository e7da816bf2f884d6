"""The demo clock: ``utcnow()`` and ``local_today()`` move by the same whole days, time still passes,
None gives the real clock back; the setting is read by main() and by the ``intranet`` command."""

from __future__ import annotations

import datetime as dt

import pytest
from pyramid_jinja2 import IJinja2Environment

from intranet import clock, main
from intranet.cli import _use_demo_clock
from intranet.config import ConfigurationError, demo_today
from intranet.i18n import LOCAL_ZONE, local_date, local_today
from intranet.models.meta import utcnow

DEMO_DAY = dt.date(2017, 5, 29)


@pytest.fixture(autouse=True)
def real_clock_afterwards():
    """Whatever a test does to the clock, the next test starts on the real one."""
    yield
    clock.set_demo_today(None)


def real_utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def real_today() -> dt.date:
    return dt.datetime.now(LOCAL_ZONE).date()


def test_the_clock_is_the_real_one_by_default():
    assert clock.offset() == dt.timedelta(0) and clock.demo_today() is None
    assert local_today() == real_today()
    assert abs(utcnow() - real_utcnow()) < dt.timedelta(seconds=5)


def test_demo_day_moves_utcnow_and_local_today_by_the_same_days():
    clock.set_demo_today(DEMO_DAY)
    days = (DEMO_DAY - real_today()).days
    assert days < -3000  # 2017 is years ago
    assert local_today() == DEMO_DAY
    assert clock.demo_today() == DEMO_DAY
    assert clock.offset() == dt.timedelta(days=days)
    # utcnow moved by exactly those days: the time of day is the real one
    shift = utcnow() - real_utcnow()
    assert abs(shift - dt.timedelta(days=days)) < dt.timedelta(seconds=5)
    # both sides agree: the local day of the stored "now" is today
    assert local_date(utcnow()) == local_today() == DEMO_DAY


def test_time_still_passes_on_the_demo_day():
    clock.set_demo_today(DEMO_DAY)
    first = utcnow()
    second = utcnow()
    assert second >= first
    assert first.date() in (DEMO_DAY - dt.timedelta(days=1), DEMO_DAY)  # UTC is 7 hours behind Đăk Tô


def test_none_gives_the_real_clock_back():
    clock.set_demo_today(DEMO_DAY)
    clock.set_demo_today(None)
    assert local_today() == real_today()
    assert abs(utcnow() - real_utcnow()) < dt.timedelta(seconds=5)
    assert clock.demo_today() is None


def test_moving_the_day_again_is_not_cumulative():
    clock.set_demo_today(DEMO_DAY)
    clock.set_demo_today(dt.date(2017, 7, 6))  # e.g. a test moves past the half-year's lock date
    assert local_today() == dt.date(2017, 7, 6)
    assert local_date(utcnow()) == dt.date(2017, 7, 6)


def test_demo_day_block_restores_the_clock_it_found():
    clock.set_demo_today(DEMO_DAY)
    with clock.demo_day(dt.date(2017, 7, 6)):
        assert local_today() == dt.date(2017, 7, 6)
    assert local_today() == DEMO_DAY
    clock.set_demo_today(None)
    with pytest.raises(RuntimeError), clock.demo_day(DEMO_DAY):
        assert local_today() == DEMO_DAY
        raise RuntimeError("the block fails")
    assert local_today() == real_today()


# --- the setting --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2017-05-29", DEMO_DAY),
        (" 2017-05-29 ", DEMO_DAY),
        ("", None),
        ("   ", None),
        (None, None),
    ],
)
def test_setting_is_a_day_or_nothing(value, expected):
    assert demo_today({"intranet.demo_today": value}) == expected
    assert demo_today({}) is None


@pytest.mark.parametrize("value", ["29/05/2017", "2017-02-30", "tomorrow"])
def test_setting_that_is_no_day_stops_with_a_clear_message(value):
    with pytest.raises(ConfigurationError, match="intranet.demo_today must be a day written yyyy-mm-dd"):
        demo_today({"intranet.demo_today": value})


def test_the_command_runs_on_the_demo_day_of_its_ini():
    _use_demo_clock({"intranet.demo_today": "2017-05-29"})
    assert local_today() == DEMO_DAY


def test_the_command_leaves_the_clock_alone_without_the_setting():
    _use_demo_clock({})
    assert local_today() == real_today()


def test_main_sets_the_clock_from_the_setting_and_pages_can_tell():
    app = main({}, **{"sqlalchemy.url": "sqlite://", "intranet.secret": "x" * 40, "intranet.demo_today": "2017-05-29"})
    try:
        assert local_today() == DEMO_DAY
        env = app.registry.queryUtility(IJinja2Environment, name=".jinja2")
        assert env.globals["demo_today"]() == DEMO_DAY
        clock.set_demo_today(None)
        assert env.globals["demo_today"]() is None
    finally:
        app.registry["dbengine"].dispose()
