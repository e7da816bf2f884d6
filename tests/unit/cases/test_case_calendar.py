"""The deadlines of Decree 56/2017 count working days: weekends, public holidays and Tết do not
count, a Saturday worked back for a swap does, and a year without holiday data is an error."""

from __future__ import annotations

import datetime as dt

import pytest

from intranet.cases import calendar
from intranet.cases.calendar import (
    HolidayDataError,
    HolidaysUnknownError,
    add_working_days,
    calendar_from_data,
    deadline_5_working_days,
    deadline_12_hours,
    default_calendar,
    is_working_day,
    working_days_between,
)

D = dt.date

#: Mùng 1 Tết and 10/3 lunar (Giỗ Tổ Hùng Vương) of each year, from the Vietnamese lunar calendar.
LUNAR = {
    2016: (D(2016, 2, 8), D(2016, 4, 16)),
    2017: (D(2017, 1, 28), D(2017, 4, 6)),
    2018: (D(2018, 2, 16), D(2018, 4, 25)),
    2019: (D(2019, 2, 5), D(2019, 4, 14)),
    2020: (D(2020, 1, 25), D(2020, 4, 2)),
    2021: (D(2021, 2, 12), D(2021, 4, 21)),
    2022: (D(2022, 2, 1), D(2022, 4, 10)),
    2023: (D(2023, 1, 22), D(2023, 4, 29)),
    2024: (D(2024, 2, 10), D(2024, 4, 18)),
    2025: (D(2025, 1, 29), D(2025, 4, 7)),
    2026: (D(2026, 2, 17), D(2026, 4, 26)),
    2027: (D(2027, 2, 6), D(2027, 4, 16)),
}


def test_five_working_days_skip_a_weekend():
    # Received on Wednesday 1 March 2017: Thu 2, Fri 3, Mon 6, Tue 7, Wed 8.
    assert add_working_days(D(2017, 3, 1), 5) == D(2017, 3, 8)
    assert deadline_5_working_days(D(2017, 3, 1)) == D(2017, 3, 8)
    # Received on a Friday: the deadline is the next Friday.
    assert deadline_5_working_days(D(2017, 3, 3)) == D(2017, 3, 10)
    # Received on a Saturday: counting starts on Monday.
    assert deadline_5_working_days(D(2017, 3, 4)) == D(2017, 3, 10)


def test_five_working_days_skip_tet_2017():
    # Tết Đinh Dậu: offices closed from Thursday 26/01 to Wednesday 01/02/2017.
    for day in [D(2017, 1, 26), D(2017, 1, 27), D(2017, 1, 30), D(2017, 1, 31), D(2017, 2, 1)]:
        assert not is_working_day(day)
    assert is_working_day(D(2017, 1, 25)) and is_working_day(D(2017, 2, 2))
    # Received on Wednesday 25/01: Thu 2/2, Fri 3/2, Mon 6/2, Tue 7/2, Wed 8/2.
    assert deadline_5_working_days(D(2017, 1, 25)) == D(2017, 2, 8)
    # Received on Tuesday 24/01: Wed 25/01 counts, then four days after Tết.
    assert deadline_5_working_days(D(2017, 1, 24)) == D(2017, 2, 7)
    # Received during Tết: the first day after it is the first day counted.
    assert deadline_5_working_days(D(2017, 1, 28)) == D(2017, 2, 8)


def test_five_working_days_skip_30_april_and_1_may():
    # 2017: Sunday 30/4, Monday 1/5, and Tuesday 2/5 in lieu of the Sunday. Received Thursday
    # 27/4: Fri 28/4, Wed 3/5, Thu 4/5, Fri 5/5, Mon 8/5.
    assert [is_working_day(D(2017, 5, day)) for day in (1, 2, 3)] == [False, False, True]
    assert deadline_5_working_days(D(2017, 4, 27)) == D(2017, 5, 8)
    # 2018: Monday 30/4 and Tuesday 1/5. Received Thursday 26/4: Fri 27/4, Wed 2/5, Thu 3/5,
    # Fri 4/5, Mon 7/5.
    assert deadline_5_working_days(D(2018, 4, 26)) == D(2018, 5, 7)


def test_a_saturday_worked_back_counts():
    # 2019: Monday 29/4 off in a swap, worked back on Saturday 4/5; 30/4 and 1/5 are holidays.
    assert not is_working_day(D(2019, 4, 29))
    assert is_working_day(D(2019, 5, 4))
    # Received Friday 26/4: Thu 2/5, Fri 3/5, Sat 4/5, Mon 6/5, Tue 7/5.
    assert deadline_5_working_days(D(2019, 4, 26)) == D(2019, 5, 7)
    # 31/12/2018 off, worked back on Saturday 5/1/2019.
    assert not is_working_day(D(2018, 12, 31)) and is_working_day(D(2019, 1, 5))
    assert add_working_days(D(2018, 12, 28), 2) == D(2019, 1, 3)


def test_a_holiday_on_a_weekend_is_given_back_on_the_next_working_day():
    # Giỗ Tổ Hùng Vương 2016 fell on Saturday 16/4: Monday 18/4 was off.
    assert not is_working_day(D(2016, 4, 18))
    # Quốc khánh 2017 fell on Saturday 2/9: Monday 4/9 was off.
    assert not is_working_day(D(2017, 9, 4))


def test_a_year_outside_the_data_is_an_error_not_a_year_without_holidays():
    with pytest.raises(HolidaysUnknownError) as caught:
        add_working_days(D(2015, 12, 30), 5)
    assert "2015" in str(caught.value) and "holidays.yaml" in str(caught.value)
    with pytest.raises(HolidaysUnknownError):
        add_working_days(D(2027, 12, 29), 5)  # runs into 2028
    with pytest.raises(HolidaysUnknownError):
        is_working_day(D(2030, 1, 5))  # even a Saturday: it might be worked back
    with pytest.raises(HolidaysUnknownError):
        working_days_between(D(2027, 12, 1), D(2028, 1, 10))


def test_working_days_between_undoes_add_working_days():
    for start in [D(2017, 1, 20), D(2017, 4, 27), D(2019, 4, 26), D(2018, 12, 28), D(2026, 2, 13)]:
        for n in range(0, 12):
            assert working_days_between(start, add_working_days(start, n)) == n
    assert working_days_between(D(2017, 3, 8), D(2017, 3, 1)) == -5
    assert working_days_between(D(2017, 3, 1), D(2017, 3, 1)) == 0
    assert add_working_days(D(2017, 3, 4), 0) == D(2017, 3, 4)


def test_a_plan_is_late_after_five_working_days():
    received = D(2017, 1, 25)
    assert working_days_between(received, D(2017, 2, 8)) == 5  # on time
    assert working_days_between(received, D(2017, 2, 9)) == 6  # late


def test_twelve_hours_are_plain_hours():
    # Received on the evening before Tết: the night and the holiday count.
    assert deadline_12_hours(dt.datetime(2017, 1, 27, 20, 30)) == dt.datetime(2017, 1, 28, 8, 30)
    aware = dt.datetime(2017, 1, 27, 20, 30, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    assert deadline_12_hours(aware) == aware + dt.timedelta(hours=12)
    assert deadline_12_hours(aware).tzinfo is aware.tzinfo


def test_days_and_times_are_not_confused():
    with pytest.raises(TypeError):
        deadline_12_hours(D(2017, 1, 27))
    with pytest.raises(TypeError):
        add_working_days(dt.datetime(2017, 1, 25, 23, 0), 5)
    with pytest.raises(TypeError):
        is_working_day(dt.datetime(2017, 1, 26, 8, 0))
    with pytest.raises(ValueError):
        add_working_days(D(2017, 3, 1), -1)


def test_the_data_covers_2016_to_2027_and_says_which_years_are_decided():
    data = default_calendar()
    assert list(data.statuses) == list(range(2016, 2028))
    assert not data.is_provisional(2017) and not data.is_provisional(2026)
    assert data.is_provisional(2027)


@pytest.mark.parametrize("year", sorted(LUNAR))
def test_each_year_lists_its_holidays(year):
    days_off = default_calendar().days_off
    tet, hung_kings = LUNAR[year]
    assert tet in days_off and tet - dt.timedelta(days=1) in days_off  # mùng 1 and the eve
    assert hung_kings in days_off
    for month, day in [(1, 1), (4, 30), (5, 1), (9, 2)]:
        assert D(year, month, day) in days_off
    if year >= 2021:  # Labour Code 2019: Quốc khánh has a day before or after
        assert D(year, 9, 1) in days_off or D(year, 9, 3) in days_off


@pytest.mark.parametrize("year", sorted(LUNAR))
def test_each_tet_break_closes_the_offices_five_weekdays(year):
    tet = LUNAR[year][0]
    closed = [
        tet + dt.timedelta(days=i)
        for i in range(-10, 11)
        if (tet + dt.timedelta(days=i)).weekday() < 5 and not is_working_day(tet + dt.timedelta(days=i))
    ]
    assert len(closed) == 5


def test_every_holiday_is_given_and_every_swap_worked_back():
    """Over the years, weekdays off minus weekend days worked equal the Labour Code's days: 10 a year
    to 2020 (art. 115 of 2012), 11 from 2021 (art. 112 of 2019), a weekend holiday given back."""
    data = default_calendar()
    weekdays_off = sum(1 for day in data.days_off if day.weekday() < 5)
    assert weekdays_off - len(data.worked_weekend_days) == 5 * 10 + 7 * 11


def test_a_year_needs_its_status_and_source():
    good = {"status": "decided", "source": "Labour Code", "days_off": {D(2017, 1, 2): "nghỉ bù"}}
    assert calendar_from_data({2017: good}).days_off == {D(2017, 1, 2)}
    for broken in [
        {2017: {**good, "status": "maybe"}},
        {2017: {**good, "source": ""}},
        {2017: {"status": "decided", "days_off": {}}},
        {2017: {**good, "day_off": {}}},
        {"2017": good},
        {},
    ]:
        with pytest.raises(HolidayDataError):
            calendar_from_data(broken)


@pytest.mark.parametrize(
    "days_off, working_days",
    [
        ({D(2018, 1, 1): "in another year"}, {}),
        ({"2017-12-30 .. 2018-01-02": "across two years"}, {}),
        ({"2017-02-01 .. 2017-01-26": "backwards"}, {}),
        ({"26/01/2017": "not ISO"}, {}),
        ({D(2017, 1, 2): ""}, {}),
        ({"2017-01-26 .. 2017-02-01": "Tết", D(2017, 1, 30): "again"}, {}),
        ({}, {D(2017, 1, 3): "a Tuesday is no weekend day"}),
        ({D(2017, 1, 7): "off"}, {D(2017, 1, 7): "and worked"}),
    ],
)
def test_malformed_days_are_refused(days_off, working_days):
    data = {2017: {"status": "decided", "source": "test", "days_off": days_off, "working_days": working_days}}
    with pytest.raises(HolidayDataError):
        calendar_from_data(data)


def test_the_rules_are_constants_of_the_decree():
    assert calendar.PLAN_WORKING_DAYS == 5 and calendar.EMERGENCY_HOURS == 12
