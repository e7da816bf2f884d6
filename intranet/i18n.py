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


def format_date(value) -> str:
    """dd/mm/yyyy, the same in both languages (GLOSSARY: formats)."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    return value.strftime("%d/%m/%Y")


def format_number(value) -> str:
    """1.210 in Vietnamese, 1,210 in English."""
    if value is None or value == "":
        return ""
    return format_decimal(value, locale=_locale())


def parse_date(text: str) -> dt.date | None:
    """Read dd/mm/yyyy (also d/m/yyyy and the ISO form a date picker sends); None if invalid."""
    text = (text or "").strip()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
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
