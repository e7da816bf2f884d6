"""A typed date is read one way everywhere: dd/mm/yyyy; a day that does not exist is told apart
from a date written wrong, and both from a year out of range."""

from __future__ import annotations

import datetime as dt

import pytest

from intranet.i18n import DATE_FORMAT_ERROR, DATE_NOT_REAL, DATE_YEAR_ERROR, parse_date, read_date


@pytest.mark.parametrize("text", ["05/06/2017", "5/6/2017", "05/6/2017", "2017-06-05", " 5/6/2017 "])
def test_a_date_is_read(text):
    assert read_date(text) == (dt.date(2017, 6, 5), None)
    assert parse_date(text) == dt.date(2017, 6, 5)


@pytest.mark.parametrize(
    "text, why",
    [
        ("31/02/2017", DATE_NOT_REAL),
        ("29/02/2017", DATE_NOT_REAL),
        ("31/04/2017", DATE_NOT_REAL),
        ("00/06/2017", DATE_NOT_REAL),
        ("15/13/2017", DATE_NOT_REAL),
        ("2017-02-30", DATE_NOT_REAL),
        ("5-6-2017", DATE_FORMAT_ERROR),
        ("05/06/17", DATE_FORMAT_ERROR),
        ("2017/06/05", DATE_FORMAT_ERROR),
        ("ngày 5", DATE_FORMAT_ERROR),
        ("٠٥/٠٦/٢٠١٧", DATE_FORMAT_ERROR),
        ("05/06/2017 08:00", DATE_FORMAT_ERROR),
        ("01/01/0001", DATE_YEAR_ERROR),
        ("31/12/9999", DATE_YEAR_ERROR),
        ("01/01/1899", DATE_YEAR_ERROR),
    ],
)
def test_why_a_date_is_refused(text, why):
    assert read_date(text) == (None, why)
    assert parse_date(text) is None


@pytest.mark.parametrize("text", ["", "   ", None])
def test_nothing_typed_is_no_error(text):
    assert read_date(text) == (None, None)


def test_the_messages_show_the_one_format():
    assert "dd/mm/yyyy" in DATE_FORMAT_ERROR and "05/06/2017" in DATE_FORMAT_ERROR
    assert DATE_YEAR_ERROR.mapping == {"min": 1900, "max": 2999}
