"""The language of a page: ``?_LOCALE_=vi|en``, else the language switch's cookie, else Vietnamese.
A language we do not have, asked for in either place, gets Vietnamese (the API documents the
parameter as "vi" or "en"). The pages themselves: tests/functional/test_locale_pages.py."""

from __future__ import annotations

from urllib.parse import parse_qsl

import pytest
from pyramid import testing

from intranet.i18n import locale_negotiator


def request(query: str = "", cookie: str | None = None, method: str = "GET"):
    params = dict(parse_qsl(query, keep_blank_values=True))
    cookies = {"_LOCALE_": cookie} if cookie is not None else {}
    return testing.DummyRequest(params=params, cookies=cookies, method=method)


@pytest.mark.parametrize(
    "query, cookie, expected",
    [
        ("", None, "vi"),
        ("_LOCALE_=en", None, "en"),
        ("_LOCALE_=vi", "en", "vi"),
        ("", "en", "en"),
        ("", "vi", "vi"),
        # Unknown parameter values: Vietnamese, even when the cookie asks for English.
        ("_LOCALE_=fr", None, "vi"),
        ("_LOCALE_=fr", "en", "vi"),
        ("_LOCALE_=", "en", "vi"),
        ("_LOCALE_=EN", None, "vi"),
        ("_LOCALE_=en-US", None, "vi"),
        ("_LOCALE_=en%00", None, "vi"),
        # Unknown cookie values: Vietnamese.
        ("", "fr", "vi"),
        ("", "", "vi"),
        ("", "../../etc", "vi"),
    ],
)
def test_negotiated_language(query, cookie, expected):
    assert locale_negotiator(request(query, cookie)) == expected


def test_head_reads_the_parameter_like_get():
    assert locale_negotiator(request("_LOCALE_=en", method="HEAD")) == "en"


def test_a_form_post_keeps_the_cookies_language():
    # A parameter in the action URL of a form does not switch the language of its answer.
    assert locale_negotiator(request("_LOCALE_=vi", cookie="en", method="POST")) == "en"
    assert locale_negotiator(request("_LOCALE_=en", method="POST")) == "vi"


@pytest.mark.parametrize("locale", ["vi", "en"])
def test_whole_numbers_are_grouped_as_babel_groups_them(locale):
    """format_number groups a whole number itself (a list page writes hundreds): the same text as
    Babel's, in both languages, for every size and sign; other numbers still go through Babel."""
    from decimal import Decimal

    from babel.numbers import format_decimal

    from intranet.i18n import format_number

    req = testing.DummyRequest()
    req.locale_name = locale
    testing.setUp(request=req)
    try:
        values = [0, 7, -7, 999, 1000, -1000, 1210, 12345, 999999, 1000000, -123456789, 10**15 - 1, 10**18]
        for value in values:
            assert format_number(value) == format_decimal(value, locale=locale), value
        assert format_number(1210) == ("1.210" if locale == "vi" else "1,210")
        assert format_number(Decimal("12.5")) == ("12,5" if locale == "vi" else "12.5")
    finally:
        testing.tearDown()
