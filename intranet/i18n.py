"""Languages: Vietnamese by default, English on request; dates and numbers through Babel."""
from __future__ import annotations

import datetime as dt

from babel.numbers import format_decimal
from pyramid.i18n import TranslationStringFactory
from pyramid.threadlocal import get_current_request

_ = TranslationStringFactory("intranet")

LOCALES = ("vi", "en")
DEFAULT_LOCALE = "vi"
LOCALE_COOKIE = "_LOCALE_"


def locale_negotiator(request) -> str:
    asked = request.params.get("_LOCALE_") if request.method == "GET" else None
    if asked in LOCALES:
        return asked
    cookie = request.cookies.get(LOCALE_COOKIE)
    if cookie in LOCALES:
        return cookie
    return DEFAULT_LOCALE


def _locale() -> str:
    request = get_current_request()
    return request.locale_name if request is not None else DEFAULT_LOCALE


def _local_zone():
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo("Asia/Ho_Chi_Minh")
    except Exception:  # no tz database on the machine: Việt Nam keeps UTC+7 all year
        return dt.timezone(dt.timedelta(hours=7))


#: The district's time zone. Times are stored in UTC and shown, and dated, in local time.
LOCAL_ZONE = _local_zone()


def to_local(value: dt.datetime) -> dt.datetime:
    """A stored (naive UTC) time as the district's wall-clock time."""
    return value.replace(tzinfo=dt.timezone.utc).astimezone(LOCAL_ZONE).replace(tzinfo=None)


def local_date(value: dt.datetime) -> dt.date:
    """The district's calendar day of a stored (naive UTC) time, e.g. to judge a deadline."""
    return to_local(value).date()


def utc_start_of(day: dt.date) -> dt.datetime:
    """The stored (naive UTC) time at which the district's calendar day begins."""
    local = dt.datetime.combine(day, dt.time.min, tzinfo=LOCAL_ZONE)
    return local.astimezone(dt.timezone.utc).replace(tzinfo=None)


def local_today() -> dt.date:
    """Today in Đăk Tô, whatever the server's own time zone."""
    return dt.datetime.now(LOCAL_ZONE).date()


def format_date(value) -> str:
    """dd/mm/yyyy, the same in both languages (GLOSSARY: formats); times in local time."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        return to_local(value).strftime("%d/%m/%Y %H:%M")
    return value.strftime("%d/%m/%Y")


def format_number(value) -> str:
    """1.210 in Vietnamese, 1,210 in English."""
    if value is None or value == "":
        return ""
    return format_decimal(value, locale=_locale())


#: The years a typed date may have: far enough either way for any record or deadline, and far from
#: the ends of the calendar, where turning a day into UTC overflows (a filter "01/01/0001" was a 500).
MIN_DATE_YEAR, MAX_DATE_YEAR = 1900, 2999


def parse_date(text: str) -> dt.date | None:
    """Read dd/mm/yyyy (also d/m/yyyy and the ISO form a date picker sends); None if invalid.

    Digits are ASCII only (strptime would read Arabic-Indic ones) and the year is within
    MIN_DATE_YEAR..MAX_DATE_YEAR."""
    text = (text or "").strip()
    if not text.isascii():
        return None
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            value = dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        return value if MIN_DATE_YEAR <= value.year <= MAX_DATE_YEAR else None
    return None


def localized(obj, attr: str) -> str:
    """The English rendering of a data field (``<attr>_en``) when the page is in English."""
    if _locale() == "en":
        value = getattr(obj, f"{attr}_en", "") or ""
        if value:
            return value
    return getattr(obj, attr)


def page_url(request, number):
    from intranet.web import page_url as _page_url

    return _page_url(request, number)


def includeme(config):
    config.add_translation_dirs("intranet:locale/")
    config.set_locale_negotiator(locale_negotiator)
    config.include("pyramid_jinja2")
    config.add_jinja2_renderer(".jinja2")
    config.add_jinja2_search_path("intranet:templates", name=".jinja2")

    def add_globals():
        env = config.get_jinja2_environment(".jinja2")
        env.filters["date"] = format_date
        env.filters["number"] = format_number
        env.globals["localized"] = localized
        env.globals["page_url"] = page_url
        env.policies["json.dumps_kwargs"] = {"ensure_ascii": False, "sort_keys": True}

    config.action(None, add_globals, order=999)
