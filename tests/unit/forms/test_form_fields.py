"""The fields of the one form layer: what each reads, what it refuses and in which words, and
that what was typed is always what the form shows again."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from webob.multidict import MultiDict

from intranet import numbers
from intranet.forms import (
    MSG_CHOOSE,
    MSG_MONEY,
    MSG_REQUIRED,
    ChoiceField,
    DateField,
    DecimalField,
    Form,
    IntegerField,
    MoneyField,
    PasswordField,
    PercentageField,
    PlainNumberField,
    TextField,
)
from intranet.i18n import DATE_FORMAT_ERROR, DATE_NOT_REAL, DATE_YEAR_ERROR, _
from intranet.inputs import MESSAGE as BAD_CHARACTERS

HUGE = "9" * 5000


def post(**fields) -> MultiDict:
    """A form body as WebOb hands it to a view (request.POST)."""
    return MultiDict(list(fields.items()))


def read(field, raw):
    """(data, first message or None, value shown) of ``field`` in a form sent with ``raw``."""

    class OneField(Form):
        f = field

    form = OneField(post(f=raw))
    form.validate()
    return form.f.data, form.messages.get("f"), form.f.value


# --- whole numbers: intranet.numbers, never int() ---------------------------------------------------


@pytest.mark.parametrize(
    "raw, expected",
    [("7", 7), ("1.210", 1210), ("1 210", 1210), ("1\u00a0210", 1210), ("12.345.678", 12345678), (" 0 ", 0)],
)
def test_integer_reads_vietnamese_grouping(raw, expected):
    data, message, shown = read(IntegerField(), raw)
    assert (data, message, shown) == (expected, None, raw)


@pytest.mark.parametrize(
    "raw, message",
    [
        ("1,5", numbers.MSG_WHOLE),  # int() would fail, and an English reader means 1.5
        ("1,210", numbers.MSG_WHOLE),
        ("1.21", numbers.MSG_AMBIGUOUS),  # was stored as 121 by a careless parser
        ("12.5", numbers.MSG_AMBIGUOUS),
        ("١٢", numbers.MSG_DIGITS),  # int("١٢") == 12: refused here
        ("²", numbers.MSG_DIGITS),
        ("mười", _("Enter a whole number (0 or more).")),
        ("-1", _("Enter a whole number (0 or more).")),
        (HUGE, numbers.MSG_TOO_LARGE),  # more than 15 digits, refused before int() sees it
        ("1e5", _("Enter a whole number (0 or more).")),
    ],
)
def test_integer_refuses_with_the_parsers_words_and_keeps_the_text(raw, message):
    data, got, shown = read(IntegerField(), raw)
    assert data is None and got == message and shown == raw


def test_integer_range_and_own_words():
    assert read(IntegerField(maximum=10), "11")[1] == _("The largest allowed value is ${n}.", mapping={"n": "10"})
    own = _("Enter a number of people.")
    assert read(IntegerField(messages={"invalid": own}), "nhiều")[1] == own
    assert read(IntegerField(allow_negative=True), "-3")[0] == -3


def test_an_empty_optional_number_is_none_and_no_error():
    assert read(IntegerField(), "  ") == (None, None, "  ")


def test_a_required_number_says_so():
    assert read(IntegerField(required=MSG_REQUIRED), "")[1] == MSG_REQUIRED


# --- decimals, money, percentages ---------------------------------------------------------------------


def test_decimal_reads_a_comma_and_refuses_the_english_thousands():
    assert read(DecimalField(), "12,5")[0] == Decimal("12.5")
    assert read(DecimalField(), "1.210,5")[0] == Decimal("1210.5")
    assert read(DecimalField(), "1,210")[1] == numbers.MSG_AMBIGUOUS
    assert read(DecimalField(places=1), "1,25")[1] == _("At most ${n} digits after the comma.", mapping={"n": 1})


def test_money_in_dong():
    assert read(MoneyField(), "1.500.000 đ")[0] == 1500000
    assert read(MoneyField(), "1500000 VND")[0] == 1500000
    assert read(MoneyField(), "mười nghìn")[1] == MSG_MONEY
    assert read(MoneyField(), "-5")[1] == MSG_MONEY
    assert read(MoneyField(), "999.999.999.999.999")[0] == 10**15 - 1  # beyond INTEGER, within the 15 digits
    assert read(MoneyField(), "1.500.000 đ")[2] == "1.500.000 đ"


def test_percentage():
    assert read(PercentageField(), "12,5%")[0] == Decimal("12.5")
    assert read(PercentageField(), "101")[1] == numbers.MSG_PERCENT_RANGE


def test_a_number_opened_on_a_stored_value_is_written_the_vietnamese_way():
    class Counts(Form):
        people = IntegerField()
        amount = DecimalField()

    form = Counts(data={"people": 1250, "amount": Decimal("1210.5")})
    assert (form.people.value, form.amount.value) == ("1.250", "1.210,5")
    assert read(IntegerField(), form.people.value)[0] == 1250  # and read back as the same number


# --- dates: intranet.i18n.read_date -------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, message",
    [
        ("31/02/2017", DATE_NOT_REAL),
        ("31/4/2017", DATE_NOT_REAL),
        ("2017/06/05", DATE_FORMAT_ERROR),
        ("05/06/17", DATE_FORMAT_ERROR),
        ("٠٥/٠٦/٢٠١٧", DATE_FORMAT_ERROR),
        ("01/01/0001", DATE_YEAR_ERROR),
    ],
)
def test_date_says_what_is_wrong_and_keeps_the_text(raw, message):
    assert read(DateField(), raw) == (None, message, raw)


def test_date_reads_dd_mm_yyyy_and_the_pickers_form():
    assert read(DateField(), "5/6/2017")[0] == dt.date(2017, 6, 5)
    assert read(DateField(), "2017-06-05")[0] == dt.date(2017, 6, 5)
    assert read(DateField(), "29/02/2016")[0] == dt.date(2016, 2, 29)


def test_a_stored_date_is_written_dd_mm_yyyy():
    class Dated(Form):
        day = DateField()

    assert Dated(data={"day": dt.date(2017, 6, 5)}).day.value == "05/06/2017"


# --- text ----------------------------------------------------------------------------------------------


def test_text_is_cleaned_trimmed_and_capped():
    assert read(TextField(), "  Họp thôn\x0bĐăk Rơ Wang\x07 ")[0] == "Họp thôn\nĐăk Rơ Wang"
    assert read(TextField(max_length=5), "123456")[1] == _("At most ${n} characters.", mapping={"n": 5})
    assert read(TextField(max_length=5), " 12345 ")[1] is None  # counted after trimming


def test_a_nul_is_refused_never_dropped():
    assert read(TextField(), "Biên bản\x00")[1] == BAD_CHARACTERS


def test_lower_reads_lower_case_and_shows_what_was_typed():
    assert read(TextField(lower=True), " TanCanh ") == ("tancanh", None, " TanCanh ")


def test_a_required_text_of_spaces_is_empty():
    assert read(TextField(required=MSG_REQUIRED), "   ")[1] == MSG_REQUIRED


def test_a_password_keeps_its_spaces_and_is_never_shown_again():
    data, message, shown = read(PasswordField(), " mật khẩu ")
    assert (data, message, shown) == (" mật khẩu ", None, "")


# --- choices and plain numbers -------------------------------------------------------------------------


def test_choice():
    labels = {"": _("No global role"), "admin": _("Administrator")}
    assert read(ChoiceField(choices=labels), "")[:2] == ("", None)  # "" is one of them
    assert read(ChoiceField(choices=labels), "root")[1] == MSG_CHOOSE
    assert read(ChoiceField(choices=["a", "b"], message=_("Choose a role.")), "c")[1] == _("Choose a role.")
    assert read(ChoiceField(choices=[("a", "A")]), "a")[0] == "a"


def test_a_missing_choice_is_refused_when_empty_is_not_a_choice():
    class Progress(Form):
        progress = ChoiceField(choices=["done"], message=_("Choose the progress of the duty."), default="done")

    assert Progress().progress.value == "done"  # a form opened empty shows the default
    form = Progress(post())
    assert not form.validate()
    assert form.messages == {"progress": _("Choose the progress of the duty.")}


@pytest.mark.parametrize("raw", ["²", HUGE, "١", "-1", "", "1.2"])
def test_a_plain_number_the_page_wrote_is_none_when_junk_never_a_message(raw):
    assert read(PlainNumberField(), raw)[:2] == (None, None)


def test_a_plain_number():
    assert read(PlainNumberField(), "0042")[0] == 42
