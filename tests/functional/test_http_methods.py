"""A method an address does not serve gets 405 and the ``Allow`` header (not 404): TRACE and the
other methods no view serves, everywhere; a served method on an address that does not take it
(PUT on the sign-in page, GET on the API's PUT-only address)."""

from __future__ import annotations

import pytest

# WebTest's WSGI checker warns about the very methods this module sends on purpose.
pytestmark = pytest.mark.filterwarnings("ignore:Unknown REQUEST_METHOD")


def allow(response) -> set[str]:
    return {m.strip() for m in response.headers["Allow"].split(",")}


@pytest.mark.parametrize("method", ["TRACE", "TRACK", "OPTIONS", "PATCH", "DELETE", "CONNECT", "PROPFIND", "FOO"])
def test_methods_no_view_serves_are_405_everywhere(testapp, method):
    for url in ("/", "/login", "/static/css/site.css", "/no/such/page", "/spaces/tan-canh"):
        response = testapp.request(url, method=method, status=405)
        assert response.status_int == 405, url
        assert "GET" in allow(response) and method not in allow(response), url


def test_allow_lists_what_the_address_serves(testapp):
    assert allow(testapp.request("/api/v1/reports", method="TRACE", status=405)) == {"GET", "HEAD"}
    assert allow(testapp.request("/login", method="TRACE", status=405)) == {"GET", "HEAD", "POST"}
    assert allow(testapp.request("/login", method="PUT", status=405)) == {"GET", "HEAD", "POST"}
    assert allow(testapp.request("/api/v1/reports/1/values", method="GET", status=405)) == {"PUT"}
    # No route: every method some view serves (the not-found page answers the others as before).
    everywhere = allow(testapp.request("/no/such/page", method="TRACE", status=405))
    assert {"GET", "HEAD", "POST", "PUT"} <= everywhere and "TRACE" not in everywhere
    testapp.get("/no/such/page", status=302)  # a stranger is still sent to sign in


def test_trace_echoes_nothing_and_carries_the_security_headers(testapp):
    response = testapp.request(
        "/login",
        method="TRACE",
        status=405,
        headers={"X-Probe": "echo-me", "Cookie": "intranet_session=secret-cookie-value"},
    )
    assert "secret-cookie-value" not in response.text and "echo-me" not in response.text
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "Set-Cookie" not in response.headers  # no session was opened for it


def test_the_api_answers_405_in_json(testapp):
    # ?_LOCALE_= is read on GET and HEAD only; the language switch's cookie on every method.
    response = testapp.request("/api/v1/reports", method="DELETE", status=405, headers={"Cookie": "_LOCALE_=en"})
    assert response.content_type == "application/json"
    assert response.json["error"] == "method_not_allowed"
    assert response.json["allowed"] == ["GET", "HEAD"]
    assert response.json["message"] == "This address does not accept the DELETE method. It accepts: GET, HEAD."


def test_the_message_is_in_vietnamese_by_default(testapp):
    # Passes once the Vietnamese catalogue has the message.
    page = testapp.request("/login", method="PATCH", status=405)
    english = testapp.request("/login", method="PATCH", status=405, headers={"Cookie": "_LOCALE_=en"})
    assert english.text == "This address does not accept the PATCH method. It accepts: GET, HEAD, POST."
    assert page.content_type == "text/plain"
    assert "PATCH" in page.text and "GET, HEAD, POST" in page.text and page.text != english.text


def test_served_methods_still_work(testapp):
    testapp.get("/login", status=200)
    testapp.head("/login", status=200)
    form = testapp.get("/login").forms[0]
    form["login"], form["password"] = "tancanh", "wrong"
    assert form.submit().status_int in (200, 400)  # refused by the form, not by the method check
