"""The one parser of Vietnamese numbers: every form field, query parameter and path segment that
holds a number is read here, so that one text means one number on every page.

Vietnamese writes 1.210 for one thousand two hundred and ten and 12,5 for twelve and a half: the
dot groups thousands, the comma starts the decimals. English writes them the other way round, and
people type both. A text is therefore accepted only when it has one meaning, and a text that an
English reader would understand differently is refused with a message instead of being guessed:

- digits are ASCII 0-9 only. ``²``, ``①``, Arabic-Indic or full-width digits pass ``str.isdigit``
  (and some pass ``int``) but are refused here;
- thousands are grouped by three with "." (1.210, 12.345.678) or with spaces, no-break spaces
  included (1 210), one kind per number. The first group has one to three digits and does not
  start with 0. So 12.5, 1.21, 1.2.3 and 0.125 are refused, never read as 125, 121, 123 or 125;
- a single comma starts the decimals (12,5; 1.210,5). A whole-number field refuses any comma:
  1,210 is 1,21 to a Vietnamese reader and 1210 to an English one, and 1,5 must not become 15.
  A decimal field refuses 1,210 (one to three digits, a comma, exactly three digits) for the
  same reason, and more decimals than the column keeps (``places``);
- at most ``MAX_DIGITS`` significant digits before the comma: a longer text is refused before
  ``int`` or ``Decimal`` sees it (``int`` itself fails on more than 4,300 digits).

Pure functions with no request: the messages are translation strings of the core catalogue, and
``NumberError.code`` lets a form put its own wording on the plain "not a number" case.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from translationstring import TranslationStringFactory

_ = TranslationStringFactory("intranet")

#: The largest value of the database's INTEGER columns (ids, versions, years, most counts).
MAX_INT = 2**31 - 1
#: Significant digits a typed number may have before its decimal comma (Numeric(18, 2) keeps 16).
MAX_DIGITS = 15
#: Beyond this page a list is empty anyway; OFFSET stays far inside the database's range.
MAX_PAGE = 10**6
#: The years a plan, a report period or an assessment may have.
MIN_YEAR, MAX_YEAR = 2000, 2100

# What NumberError.code says went wrong.
INVALID = "invalid"  # not a number at all ("mười", "1e5", "")
DIGITS = "digits"  # a digit that is not 0-9 ("²", "①", "٣")
AMBIGUOUS = "ambiguous"  # dots, commas or spaces that do not make one Vietnamese number
WHOLE = "whole"  # decimals in a whole-number field
PLACES = "places"  # more decimals than the field keeps
NEGATIVE = "negative"
TOO_SMALL = "too_small"
TOO_LARGE = "too_large"

_MINUS = "-\u2212"  # a hyphen, or the minus sign that word processors put
_SIGNS = "+" + _MINUS
_ALLOWED = re.compile(r"[0-9.,\s+\-\u2212]*")
_DIGIT_RUN = re.compile(r"[0-9]+")
_SEPARATOR = re.compile(r"\.|\s+")

MSG_DIGITS = _("Write the number with the digits 0 to 9 only.")
MSG_AMBIGUOUS = _("Write decimals after a comma (12,5) and group thousands by three with a dot (1.210).")
MSG_WHOLE = _("Enter a whole number, without decimals; thousands are grouped with a dot, e.g. 1.210.")
MSG_TOO_LARGE = _("The number is too large.")
MSG_PERCENT = _("Enter a percentage, e.g. 12,5.")
MSG_PERCENT_RANGE = _("A percentage is between 0 and 100.")


class NumberError(ValueError):
    """A text that is not the number the field expects: ``message`` (a translation string) says
    why in the user's words, ``code`` (one of this module's constants) says it to the program."""

    def __init__(self, code: str, message):
        super().__init__(code)
        self.code = code
        self.message = message

    def message_or(self, **own):
        """The field's own wording for this code when it has one, else this module's message:
        ``exc.message_or(invalid=_("Enter an amount in đồng…"), negative=…)``."""
        return own.get(self.code, self.message)


@dataclass(frozen=True)
class _Parts:
    negative: bool
    digits: str  # before the comma, without grouping and leading zeros
    decimals: str | None  # after the comma; None without a comma
    ungrouped: str | None  # before the comma as typed, when it holds no group separator


def _split(text: str, invalid) -> _Parts:
    """The parts of a Vietnamese number, or NumberError."""
    text = (text or "").strip()
    if any(not ch.isascii() and ch.isnumeric() for ch in text):
        raise NumberError(DIGITS, MSG_DIGITS)
    if not text or not _ALLOWED.fullmatch(text):
        raise NumberError(INVALID, invalid)
    negative = text[0] in _MINUS
    if text[0] in _SIGNS:
        text = text[1:].lstrip()
    whole, comma, decimals = text.partition(",")
    if comma and not _DIGIT_RUN.fullmatch(decimals):
        raise NumberError(AMBIGUOUS, MSG_AMBIGUOUS) if decimals else NumberError(INVALID, invalid)
    groups = _SEPARATOR.split(whole)
    if not all(_DIGIT_RUN.fullmatch(g) for g in groups):
        if not _DIGIT_RUN.search(whole) or any(ch in whole for ch in _SIGNS):
            raise NumberError(INVALID, invalid)
        raise NumberError(AMBIGUOUS, MSG_AMBIGUOUS)  # ".5", "5.", "1..210"
    if len(groups) > 1:
        first, rest = groups[0], groups[1:]
        mixed = "." in whole and any(ch.isspace() for ch in whole)
        if mixed or len(first) > 3 or first.startswith("0") or any(len(g) != 3 for g in rest):
            raise NumberError(AMBIGUOUS, MSG_AMBIGUOUS)
    digits = "".join(groups).lstrip("0") or "0"
    if len(digits) > MAX_DIGITS:
        raise NumberError(TOO_LARGE, MSG_TOO_LARGE)
    negative = negative and (digits != "0" or decimals.strip("0") != "")  # "-0" is 0
    return _Parts(negative, digits, decimals if comma else None, whole if len(groups) == 1 else None)


def _check_range(value, minimum, maximum) -> None:
    if minimum is not None and value < minimum:
        raise NumberError(TOO_SMALL, _("The smallest allowed value is ${n}.", mapping={"n": as_text(minimum)}))
    if maximum is not None and value > maximum:
        raise NumberError(TOO_LARGE, _("The largest allowed value is ${n}.", mapping={"n": as_text(maximum)}))


def parse_integer(
    text: str, *, minimum: int | None = None, maximum: int | None = None, allow_negative: bool = False
) -> int:
    """A whole number as typed: "1.210", "1 210", "7", "-3" (with ``allow_negative``).

    Without ``maximum`` the limit is the database's INTEGER range; a caller whose column is wider
    passes its own. Raises NumberError.
    """
    invalid = _("Enter a whole number.") if allow_negative else _("Enter a whole number (0 or more).")
    parts = _split(text, invalid)
    if parts.decimals is not None:
        raise NumberError(WHOLE, MSG_WHOLE)
    value = -int(parts.digits) if parts.negative else int(parts.digits)
    if value < 0 and not allow_negative:
        raise NumberError(NEGATIVE, _("Enter a whole number (0 or more)."))
    if maximum is None and abs(value) > MAX_INT:
        raise NumberError(TOO_LARGE, MSG_TOO_LARGE)
    _check_range(value, minimum, maximum)
    return value


def parse_decimal(text: str, *, places: int = 2, minimum=None, maximum=None, allow_negative: bool = False) -> Decimal:
    """A number with decimals as typed: "12,5", "1.210,5", "1.210" (1210), "0,75".

    ``places`` is how many decimals the column keeps: more are refused rather than rounded away.
    Raises NumberError.
    """
    invalid = _("Enter a number, e.g. 12 or 12,5.")
    parts = _split(text, invalid)
    decimals = parts.decimals
    if decimals is not None:
        whole = parts.ungrouped
        if whole is not None and len(decimals) == 3 and len(whole) <= 3 and not whole.startswith("0"):
            raise NumberError(AMBIGUOUS, MSG_AMBIGUOUS)  # 1,210: 1210 to an English reader
        if len(decimals) > places:
            if places == 0:
                raise NumberError(WHOLE, MSG_WHOLE)
            raise NumberError(PLACES, _("At most ${n} digits after the comma.", mapping={"n": places}))
    sign = "-" if parts.negative else ""
    value = Decimal(f"{sign}{parts.digits}.{decimals}" if decimals else f"{sign}{parts.digits}")
    if value < 0 and not allow_negative:
        raise NumberError(NEGATIVE, _("Enter a number of 0 or more."))
    _check_range(value, minimum, maximum)
    return value


def parse_percentage(text: str) -> Decimal:
    """A percentage from 0 to 100 with at most two decimals: "12,5", "12,5%", "100"."""
    try:
        return parse_decimal(text.strip().removesuffix("%").strip(), places=2, minimum=0, maximum=100)
    except NumberError as exc:
        raise NumberError(
            exc.code,
            exc.message_or(
                invalid=MSG_PERCENT,
                negative=MSG_PERCENT_RANGE,
                too_small=MSG_PERCENT_RANGE,
                too_large=MSG_PERCENT_RANGE,
            ),
        ) from None


def parse_plain(text, *, minimum: int = 0, maximum: int = MAX_INT) -> int | None:
    """A number a page writes for a machine (an id in a path, a version or an id in a hidden
    field, a page in a query): ASCII digits only, no sign, no grouping; None when it is anything
    else or outside ``minimum``..``maximum``."""
    if not isinstance(text, str) or not _DIGIT_RUN.fullmatch(text):
        return None
    digits = text.lstrip("0") or "0"
    if len(digits) > len(str(maximum)):
        return None
    value = int(digits)
    return value if minimum <= value <= maximum else None


def parse_id(text) -> int | None:
    """A database id from a path or a form: 1..2**31-1, else None (the caller answers 404)."""
    return parse_plain(text, minimum=1)


def parse_page(text) -> int:
    """The page of a list asked for in a query string: 1 when absent or not a page number, and no
    more than MAX_PAGE, so that the OFFSET of the query never leaves the database's range."""
    text = (text or "").strip() if isinstance(text, str) else ""
    if not _DIGIT_RUN.fullmatch(text):
        return 1
    digits = text.lstrip("0")
    if len(digits) > len(str(MAX_PAGE)):
        return MAX_PAGE
    return min(max(int(digits or "0"), 1), MAX_PAGE)


def parse_year(text, *, minimum: int = MIN_YEAR, maximum: int = MAX_YEAR) -> int:
    """A year typed or sent in a URL: ASCII digits, from ``minimum`` to ``maximum``.
    Raises NumberError whose message names the range."""
    value = parse_plain(text, minimum=minimum, maximum=maximum)
    if value is None:
        raise NumberError(
            INVALID, _("Enter a year between ${low} and ${high}.", mapping={"low": minimum, "high": maximum})
        )
    return value


def as_text(value) -> str:
    """A number as a Vietnamese user writes it, and as this module reads it back: 1.210, 12,5."""
    value = Decimal(value)
    sign = "-" if value < 0 else ""
    whole, _dot, decimals = format(abs(value), "f").partition(".")
    decimals = decimals.rstrip("0")
    grouped = f"{int(whole):,}".replace(",", ".")
    return f"{sign}{grouped},{decimals}" if decimals else f"{sign}{grouped}"
