"""The language a page is written in, as the negotiator chooses it (tests/unit/test_locale.py):
the html element, an error page and the API's messages."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "url, cookie, lang",
    [
        ("/login?_LOCALE_=fr", None, "vi"),
        ("/login?_LOCALE_=fr", "en", "vi"),
        ("/login?_LOCALE_=en", None, "en"),
        ("/login", "en", "en"),
    ],
)
def test_pages_speak_the_negotiated_language(testapp, url, cookie, lang):
    if cookie:
        testapp.set_cookie("_LOCALE_", cookie)
    page = testapp.get(url)
    assert f'<html lang="{lang}">' in page.text


def test_a_query_that_is_not_utf8_is_refused_in_the_cookies_language(testapp):
    testapp.set_cookie("_LOCALE_", "en")
    page = testapp.get("/login?_LOCALE_=%ff", status=400)
    assert '<html lang="en">' in page.text
    # /logout takes POST only: refused before the query is read, in English all the same.
    refused = testapp.get("/logout?_LOCALE_=%ff", status=405)
    assert refused.text.startswith("This address does not accept the GET method.")


def test_api_errors_in_vietnamese_for_an_unknown_language(testapp):
    english = testapp.get("/api/v1/reports?_LOCALE_=en", status=401).json["message"]
    unknown = testapp.get("/api/v1/reports?_LOCALE_=fr", status=401).json["message"]
    vietnamese = testapp.get("/api/v1/reports", status=401).json["message"]
    assert unknown == vietnamese != english
