"""Languages: Vietnamese by default, English on request; dates and numbers through Babel."""

from __future__ import annotations

import datetime as dt
import functools
import re
import weakref
from zoneinfo import ZoneInfo

from babel.numbers import format_decimal
from pyramid.i18n import TranslationString, TranslationStringFactory
from pyramid.threadlocal import get_current_request

from intranet import clock
from intranet.web import page_url, select_options

_ = TranslationStringFactory("intranet")

LOCALES = ("vi", "en")
DEFAULT_LOCALE = "vi"
LOCALE_COOKIE = "_LOCALE_"

#: The query parameter that asks for a language (Pyramid's own name for it).
LOCALE_PARAM = "_LOCALE_"


def _known(code) -> str | None:
    """``code`` when it is one of LOCALES, exactly as documented ("vi", "en"); else None."""
    return code if isinstance(code, str) and code in LOCALES else None


def locale_negotiator(request) -> str:
    """The page's language: ``?_LOCALE_=`` on a GET (or HEAD), else the cookie the language switch
    sets, else Vietnamese.

    A ``_LOCALE_`` parameter that names no language of ours ("fr", "", "EN") is answered in
    Vietnamese, the documented default, whatever the cookie says: the parameter was asked for
    explicitly, and the API documents it as one of LOCALES. An unknown cookie is ignored the same way.
    """
    if request.method in ("GET", "HEAD"):
        try:
            query = request.GET
        except UnicodeDecodeError:  # not UTF-8: refused elsewhere (intranet.inputs), in the cookie's language
            query = {}
        if LOCALE_PARAM in query:
            return _known(query.get(LOCALE_PARAM)) or DEFAULT_LOCALE
    return _known(request.cookies.get(LOCALE_COOKIE)) or DEFAULT_LOCALE


def _locale() -> str:
    request = get_current_request()
    return request.locale_name if request is not None else DEFAULT_LOCALE


def _local_zone():
    try:
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
    """Today in Đăk Tô, whatever the server's own time zone, on the intranet's clock (the same
    one as ``utcnow()``: moved to the demo day in development, see intranet.clock)."""
    return (dt.datetime.now(LOCAL_ZONE) + clock.offset()).date()


def format_date(value) -> str:
    """dd/mm/yyyy, the same in both languages (GLOSSARY: formats); times in local time."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        return to_local(value).strftime("%d/%m/%Y %H:%M")
    return value.strftime("%d/%m/%Y")


#: The thousands separator of each language: a whole number is grouped without Babel (a list page
#: writes hundreds of counts, and Babel's pattern machinery costs ten times more per number).
_THOUSANDS = {"vi": ".", "en": ","}


def format_number(value) -> str:
    """1.210 in Vietnamese, 1,210 in English."""
    if value is None or value == "":
        return ""
    locale = _locale()
    if type(value) is int and locale in _THOUSANDS:
        return f"{value:,}".replace(",", _THOUSANDS[locale])
    return format_decimal(value, locale=locale)


#: What follows a percentage: a space, then the sign (GLOSSARY: formats, "12,5 %").
PERCENT_SUFFIX = " %"


def format_percent(value) -> str:
    """A percentage as every page and export writes it: "97,9 %" (a number, a space, the sign).

    ``value`` is the figure itself (97.9 for 97,9 %), not a fraction; None or "" gives ""."""
    if value is None or value == "":
        return ""
    return format_number(value) + PERCENT_SUFFIX


def format_figure(value, unit: str | None = None) -> str:
    """A figure in its unit's style: a percentage when ``unit`` is "%", else a plain number."""
    return format_percent(value) if unit == "%" else format_number(value)


#: The years a typed date may have: far enough either way for any record or deadline, and far from
#: the ends of the calendar, where turning a day into UTC overflows (a filter "01/01/0001" was a 500).
MIN_DATE_YEAR, MAX_DATE_YEAR = 1900, 2999


#: How a date is typed: dd/mm/yyyy (d/m/yyyy too), or yyyy-mm-dd as a date picker sends it.
#: [0-9], not \d: \d (and strptime) would read Arabic-Indic digits as well.
_DMY = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")
_ISO = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")

#: Why a typed date is refused. Every label, placeholder and message shows the one format
#: dd/mm/yyyy, with 05/06/2017 as its example.
DATE_FORMAT_ERROR = _("The date must be written dd/mm/yyyy, e.g. 05/06/2017.")
DATE_NOT_REAL = _("This date does not exist: check the day and the month.")
DATE_YEAR_ERROR = _("The year must be between ${min} and ${max}.", mapping={"min": MIN_DATE_YEAR, "max": MAX_DATE_YEAR})


def read_date(text: str) -> tuple[dt.date | None, object]:
    """``(date, None)`` for a date typed dd/mm/yyyy (also d/m/yyyy and ISO); ``(None, why)`` when
    the text is not one, ``why`` being a message that tells a badly written date (DATE_FORMAT_ERROR)
    from one written right that does not exist, such as 31/02/2017 (DATE_NOT_REAL); and
    ``(None, None)`` when nothing was typed."""
    text = (text or "").strip()
    if not text:
        return None, None
    dmy = _DMY.fullmatch(text)
    iso = None if dmy else _ISO.fullmatch(text)
    if not (dmy or iso):
        return None, DATE_FORMAT_ERROR
    if dmy:
        day, month, year = (int(g) for g in dmy.groups())
    else:
        year, month, day = (int(g) for g in iso.groups())
    if not MIN_DATE_YEAR <= year <= MAX_DATE_YEAR:
        return None, DATE_YEAR_ERROR
    try:
        return dt.date(year, month, day), None
    except ValueError:
        return None, DATE_NOT_REAL


def parse_date(text: str) -> dt.date | None:
    """Read dd/mm/yyyy (also d/m/yyyy and the ISO form a date picker sends); None if invalid
    (:func:`read_date` says why). Digits are ASCII only and the year is within
    MIN_DATE_YEAR..MAX_DATE_YEAR."""
    return read_date(text)[0]


def localized(obj, attr: str) -> str:
    """The English rendering of a data field (``<attr>_en``) when the page is in English."""
    if _locale() == "en":
        value = getattr(obj, f"{attr}_en", "") or ""
        if value:
            return value
    return getattr(obj, attr)


@functools.cache
def plugin_gettext(domain: str):
    """The ``gettext`` of a plugin's template: its messages from the plugin's own catalogue (its
    translation ``domain``), and every message that catalogue lacks (the core's layout and macros
    it extends) from the core's. A plugin template starts with
    ``{% set gettext = plugin_gettext("intranet_mykey") %}``; ``_()`` and ``{% trans %}`` then use it.

    Which catalogue has a message is looked up once per localizer (one per language and
    application) and remembered: a page of cards asks for the same few labels on every card.
    """
    chosen: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # localizer -> {message: domain}

    def gettext(message, mapping=None):
        localizer = get_current_request().localizer
        if isinstance(message, TranslationString):
            return localizer.translate(message, mapping=mapping)
        domains = chosen.setdefault(localizer, {})
        found = domains.get(message)
        if found is None:
            if len(domains) > 4096:  # only literal messages are asked for; a bound all the same
                domains.clear()
            own = localizer.translate(TranslationString(message, domain=domain)) != message
            found = domains[message] = domain if own else "intranet"
        return localizer.translate(TranslationString(message, domain=found, mapping=mapping))

    return gettext


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
        env.filters["percent"] = format_percent
        env.filters["figure"] = format_figure
        env.globals["localized"] = localized
        env.globals["page_url"] = page_url
        env.globals["options"] = select_options
        env.globals["plugin_gettext"] = plugin_gettext
        env.policies["json.dumps_kwargs"] = {"ensure_ascii": False, "sort_keys": True}

    config.action(None, add_globals, order=999)
