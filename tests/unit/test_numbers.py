"""The one parser of Vietnamese numbers: what it reads, what it refuses and why, as tables."""

from __future__ import annotations

from decimal import Decimal

import pytest

from intranet import numbers
from intranet.numbers import (
    AMBIGUOUS,
    DIGITS,
    INVALID,
    MAX_INT,
    MAX_PAGE,
    NEGATIVE,
    PLACES,
    TOO_LARGE,
    TOO_SMALL,
    WHOLE,
    NumberError,
    as_text,
    parse_decimal,
    parse_id,
    parse_integer,
    parse_page,
    parse_plain,
    parse_year,
)

HUGE = "9" * 5000  # int() refuses more than 4,300 digits with an error of its own


def refusal(parse, text, **kwargs) -> NumberError:
    with pytest.raises(NumberError) as caught:
        parse(text, **kwargs)
    return caught.value


# --- whole numbers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("0", 0),
        ("7", 7),
        (" 7 ", 7),
        ("007", 7),
        ("1210", 1210),
        ("1.210", 1210),
        ("12.345.678", 12_345_678),
        ("1 210", 1210),
        ("1\u00a0210", 1210),  # a no-break space, as Word and phones put between groups
        ("1\u202f210", 1210),  # a narrow no-break space
        ("12 345 678", 12_345_678),
        ("+5", 5),
        ("-0", 0),
        ("2.147.483.647", MAX_INT),
    ],
)
def test_integer_reads(text, expected):
    assert parse_integer(text) == expected


@pytest.mark.parametrize(
    "text, code",
    [
        ("²", DIGITS),
        ("①", DIGITS),
        ("½", DIGITS),
        ("١٢", DIGITS),  # Arabic-Indic: int() would read 12
        ("１２", DIGITS),  # full-width: int() would read 12
        ("1²", DIGITS),
        ("1,5", WHOLE),  # not 15
        ("1,210", WHOLE),  # 1,21 in Vietnamese, 1210 in English
        ("1,0", WHOLE),
        ("12.5", AMBIGUOUS),  # not 125
        ("1.21", AMBIGUOUS),  # not 121
        ("1.2.3", AMBIGUOUS),
        ("1.2100", AMBIGUOUS),
        ("1234.567", AMBIGUOUS),  # a first group of four digits
        ("0.125", AMBIGUOUS),  # 0,125 in English: not 125
        ("01.210", AMBIGUOUS),
        ("1 21", AMBIGUOUS),
        ("1.210 500", AMBIGUOUS),  # dots and spaces in one number
        (".5", AMBIGUOUS),
        ("5.", AMBIGUOUS),
        ("1..210", AMBIGUOUS),
        ("1,2,3", AMBIGUOUS),
        ("", INVALID),
        ("   ", INVALID),
        ("mười", INVALID),
        ("12a", INVALID),
        ("1e5", INVALID),
        ("0x10", INVALID),
        ("NaN", INVALID),
        ("Infinity", INVALID),
        ("--5", INVALID),
        ("5-", INVALID),
        ("1_000", INVALID),
        ("12,", INVALID),
        (",5", INVALID),
        ("-1", NEGATIVE),
        ("\u22121", NEGATIVE),  # the minus sign word processors put
        (HUGE, TOO_LARGE),
        ("9" * 16, TOO_LARGE),
        ("2.147.483.648", TOO_LARGE),  # beyond the database's INTEGER
    ],
)
def test_integer_refuses(text, code):
    error = refusal(parse_integer, text)
    assert error.code == code
    assert error.message.domain == "intranet"


def test_integer_messages_say_what_to_do():
    assert refusal(parse_integer, "²").message == numbers.MSG_DIGITS
    assert refusal(parse_integer, "1,5").message == numbers.MSG_WHOLE
    assert refusal(parse_integer, "12.5").message == numbers.MSG_AMBIGUOUS
    assert refusal(parse_integer, HUGE).message == numbers.MSG_TOO_LARGE
    assert refusal(parse_integer, "mười").message == "Enter a whole number (0 or more)."
    assert refusal(parse_integer, "mười", allow_negative=True).message == "Enter a whole number."


@pytest.mark.parametrize("text", [HUGE, "1." + ".".join(["000"] * 2000), "9" * 100_000, "0" * 5000 + "1" * 16])
def test_huge_texts_are_refused_before_int_reads_them(text):
    # int() itself raises a ValueError of its own beyond 4,300 digits: the refusal must come first
    assert refusal(parse_integer, text).code == TOO_LARGE


@pytest.mark.parametrize(
    "text, kwargs, expected",
    [
        ("-3", {"allow_negative": True}, -3),
        ("-1.210", {"allow_negative": True}, -1210),
        ("\u22125", {"allow_negative": True}, -5),
        ("1.000.000.000.000", {"maximum": 10**12}, 10**12),
        ("400", {"maximum": 400}, 400),
        ("1", {"minimum": 1}, 1),
    ],
)
def test_integer_with_limits_reads(text, kwargs, expected):
    assert parse_integer(text, **kwargs) == expected


@pytest.mark.parametrize(
    "text, kwargs, code, n",
    [
        ("401", {"maximum": 400}, TOO_LARGE, "400"),
        ("0", {"minimum": 1}, TOO_SMALL, "1"),
        ("1.000.001", {"maximum": 1_000_000}, TOO_LARGE, "1.000.000"),
        ("-3", {"allow_negative": True, "minimum": -2}, TOO_SMALL, "-2"),
    ],
)
def test_integer_limits_are_named_in_the_message(text, kwargs, code, n):
    error = refusal(parse_integer, text, **kwargs)
    assert error.code == code and error.message.mapping == {"n": n}


def test_a_field_puts_its_own_wording_on_a_code():
    error = refusal(parse_integer, "abc")
    assert error.message_or(invalid="Nhập số tiền") == "Nhập số tiền"
    assert error.message_or(negative="x") == error.message


# --- numbers with decimals -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, kwargs, expected",
    [
        ("12,5", {}, Decimal("12.5")),
        ("0,75", {}, Decimal("0.75")),
        ("12,50", {}, Decimal("12.5")),
        ("1.210", {}, Decimal(1210)),
        ("1.210,5", {}, Decimal("1210.5")),
        ("1 210,5", {}, Decimal("1210.5")),
        ("12", {}, Decimal(12)),
        ("100", {"maximum": 100}, Decimal(100)),
        ("0,125", {"places": 3}, Decimal("0.125")),  # a leading 0 cannot be a group of thousands
        ("1234,567", {"places": 3}, Decimal("1234.567")),  # nor can four digits before the comma
        ("-2,5", {"allow_negative": True}, Decimal("-2.5")),
        ("-0,0", {}, Decimal(0)),
    ],
)
def test_decimal_reads(text, kwargs, expected):
    assert parse_decimal(text, **kwargs) == expected


@pytest.mark.parametrize(
    "text, kwargs, code",
    [
        ("12.5", {}, AMBIGUOUS),  # English decimal point: say to use the comma
        ("1.21", {}, AMBIGUOUS),
        ("1,210", {"places": 3}, AMBIGUOUS),  # 1210 in English
        ("12,500", {"places": 3}, AMBIGUOUS),
        ("1,2,3", {}, AMBIGUOUS),
        ("1.210.5", {}, AMBIGUOUS),
        ("0,125", {}, PLACES),  # the column keeps two decimals: not rounded away
        ("12,5", {"places": 0}, WHOLE),
        ("②", {}, DIGITS),
        ("12,٥", {}, DIGITS),
        ("abc", {}, INVALID),
        ("12,5%", {}, INVALID),
        ("-1", {}, NEGATIVE),
        ("100,5", {"maximum": 100}, TOO_LARGE),
        ("-0,5", {"allow_negative": True, "minimum": 0}, TOO_SMALL),
        (HUGE, {}, TOO_LARGE),
        ("1," + HUGE, {}, PLACES),
    ],
)
def test_decimal_refuses(text, kwargs, code):
    assert refusal(parse_decimal, text, **kwargs).code == code


def test_decimal_places_are_named():
    assert refusal(parse_decimal, "0,125").message.mapping == {"n": 2}


# --- what machines send: ids, versions, pages, years ---------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1", 1),
        ("42", 42),
        (str(MAX_INT), MAX_INT),
        ("007", 7),
        ("0", None),
        (str(MAX_INT + 1), None),
        ("99999999999999999999", None),
        (HUGE, None),
        ("١", None),
        ("²", None),
        ("-1", None),
        ("+1", None),
        ("1.210", None),
        (" 1", None),
        ("", None),
        (None, None),
        (b"1", None),
    ],
)
def test_id(text, expected):
    assert parse_id(text) == expected


def test_plain_keeps_zero_and_its_own_range():
    assert parse_plain("0") == 0  # a blank document's version
    assert parse_plain("٠") is None
    assert parse_plain("201", maximum=200) is None
    assert parse_plain(HUGE) is None


@pytest.mark.parametrize(
    "text, expected",
    [
        (None, 1),
        ("", 1),
        ("1", 1),
        ("3", 3),
        ("0", 1),
        ("-1", 1),
        ("²", 1),
        ("١", 1),
        ("abc", 1),
        ("1000000", MAX_PAGE),
        ("1000001", MAX_PAGE),
        ("9999999999999999999999999", MAX_PAGE),
        (HUGE, MAX_PAGE),
    ],
)
def test_page(text, expected):
    assert parse_page(text) == expected


@pytest.mark.parametrize("text, expected", [("2017", 2017), ("2000", 2000), ("2100", 2100)])
def test_year_reads(text, expected):
    assert parse_year(text) == expected


@pytest.mark.parametrize("text", ["10000", "0", "-1", "1999", "2101", "²", "٢٠١٧", "2.017", HUGE, ""])
def test_year_refuses_with_the_range(text):
    error = refusal(parse_year, text)
    assert error.code == INVALID and error.message.mapping == {"low": 2000, "high": 2100}


# --- writing numbers back ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, text",
    [
        (0, "0"),
        (7, "7"),
        (1210, "1.210"),
        (12_345_678, "12.345.678"),
        (-1210, "-1.210"),
        (Decimal("12.5"), "12,5"),
        (Decimal("12.50"), "12,5"),
        (Decimal("1210.5"), "1.210,5"),
        (Decimal("1E+3"), "1.000"),
    ],
)
def test_as_text(value, text):
    assert as_text(value) == text


@pytest.mark.parametrize("value", [Decimal("0.75"), Decimal("1210.5"), Decimal("999999999999.99"), Decimal(-3)])
def test_as_text_reads_back(value):
    assert parse_decimal(as_text(value), allow_negative=True) == value


# --- dates ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, ok",
    [
        ("05/6/2017", True),
        ("2017-06-05", True),
        ("01/01/1900", True),
        ("31/12/2999", True),
        ("01/01/0001", False),
        ("31/12/9999", False),
        ("31/12/1899", False),
        ("01/01/3000", False),
        ("٠١/٠١/٢٠١٧", False),
        ("31/02/2017", False),
    ],
)
def test_parse_date_keeps_to_a_sane_range(text, ok):
    from intranet.i18n import parse_date

    assert (parse_date(text) is not None) == ok


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12,5", Decimal("12.5")),
        ("12,5%", Decimal("12.5")),
        ("12,5 %", Decimal("12.5")),
        ("100", Decimal("100")),
        ("0", Decimal("0")),
    ],
)
def test_percentage_reads(text, expected):
    assert numbers.parse_percentage(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("100,5", numbers.MSG_PERCENT_RANGE),
        ("-1", numbers.MSG_PERCENT_RANGE),
        ("mười", numbers.MSG_PERCENT),
        ("12.5", numbers.MSG_AMBIGUOUS),
    ],
)
def test_percentage_refusals_say_why(text, message):
    with pytest.raises(numbers.NumberError) as info:
        numbers.parse_percentage(text)
    assert info.value.message == message


# --- the edge cases of the hardening issue, for both parsers --------------------------------------

BOTH = [parse_integer, parse_decimal]


@pytest.mark.parametrize("parse", BOTH, ids=["integer", "decimal"])
@pytest.mark.parametrize(
    "text",
    [
        "١٢",  # Arabic-Indic
        "۱۲",  # Extended Arabic-Indic (Persian)
        "१२",  # Devanagari
        "১২",  # Bengali
        "๑๒",  # Thai
        "１２",  # full-width
        "𝟙𝟚",  # mathematical double-struck
        "Ⅻ",  # a Roman numeral: numeric, not a digit
        "¹²",
        "1.2١0",  # one foreign digit inside an otherwise good number
    ],
)
def test_unicode_digits_are_refused_by_both(parse, text):
    assert refusal(parse, text).code == DIGITS


@pytest.mark.parametrize("parse", BOTH, ids=["integer", "decimal"])
@pytest.mark.parametrize("text", ["\x00", "12\x00", "\x0012", "1\x00210", "1.210\x00", "12,5\x00"])
def test_nul_bytes_are_refused_by_both(parse, text):
    assert refusal(parse, text).code == INVALID


@pytest.mark.parametrize("parse", BOTH, ids=["integer", "decimal"])
@pytest.mark.parametrize(
    "text",
    [
        "9" * 16,
        "-" + "9" * 16,
        "1" + "0" * 15,
        "1.000.000.000.000.000",  # sixteen digits, grouped
        "1 000 000 000 000 000",
        "9" * 4301,  # beyond what int() itself reads
    ],
)
def test_sixteen_digits_or_more_are_refused_by_both(parse, text):
    kwargs = {"allow_negative": True, "maximum": 10**20} if parse is parse_integer else {"allow_negative": True}
    assert refusal(parse, text, **kwargs).code == TOO_LARGE


@pytest.mark.parametrize(
    "text, expected",
    [
        ("9" * 15, 10**15 - 1),
        ("999.999.999.999.999", 10**15 - 1),
        ("0" * 20 + "9" * 15, 10**15 - 1),  # leading zeros are not significant digits
    ],
)
def test_fifteen_digits_are_read_by_both(text, expected):
    assert parse_integer(text, maximum=10**15) == expected
    assert parse_decimal(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["1٫5", "1，5", "1·210", "1'210", "1_210"])
def test_foreign_separators_are_not_numbers(text):
    assert refusal(parse_integer, text).code == INVALID
    assert refusal(parse_decimal, text).code == INVALID


def test_the_three_vietnamese_texts_each_have_one_reading():
    # "1.210": one thousand two hundred and ten, in either field.
    assert parse_integer("1.210") == 1210 and parse_decimal("1.210") == Decimal(1210)
    # "12,5": twelve and a half; a whole-number field refuses it instead of reading 125 or 12.
    assert parse_decimal("12,5") == Decimal("12.5")
    assert refusal(parse_integer, "12,5").code == WHOLE
    # "1,210": 1,21 to a Vietnamese reader and 1210 to an English one: refused by both.
    assert refusal(parse_integer, "1,210").code == WHOLE
    assert refusal(parse_decimal, "1,210").code == AMBIGUOUS
    assert refusal(parse_decimal, "1,210", places=3).code == AMBIGUOUS
    assert refusal(numbers.parse_percentage, "1,210").code == AMBIGUOUS
