"""gzip: pages, the style sheet and JSON go out compressed to a browser that reads gzip, and as
they are to one that does not; pages that may hold a secret are compressed only for requests the
browser says came from our own pages (BREACH); small, encoded and streamed answers are left alone."""

from __future__ import annotations

import gzip
from pathlib import Path

from webob import Request, Response

import intranet
from intranet.compression import MIN_SIZE, compress_response

GZIP = {"Accept-Encoding": "gzip, deflate, br", "Sec-Fetch-Site": "same-origin"}
CSS = Path(intranet.__file__).parent / "static" / "css" / "site.css"


def fetch(browser, url: str, headers: dict | None = None) -> Response:
    """The answer as it goes on the wire (WebTest would decode the gzip before we see it), with
    the browser's cookies and its shared test transaction."""
    request = Request.blank(url, environ=dict(browser.extra_environ), headers=headers or {})
    if browser.cookies:
        request.headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in browser.cookies.items())
    return request.get_response(browser.app)


def vary(response) -> set[str]:
    return {v.strip().lower() for v in response.headers.get("Vary", "").split(",") if v.strip()}


def test_a_page_comes_back_gzipped_and_decodes_to_the_same_html(as_user):
    browser = as_user("dieuphoi")  # the coordinator's dashboard: the review queue, every unit
    plain = fetch(browser, "/", {"Sec-Fetch-Site": "same-origin"})
    packed = fetch(browser, "/", GZIP)
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "accept-encoding" in vary(plain) and "accept-encoding" in vary(packed)
    html = gzip.decompress(packed.body)
    assert html == plain.body and b"</main>" in html and b'name="csrf_token"' in html
    assert int(packed.headers["Content-Length"]) == len(packed.body) < len(plain.body) / 3


def test_the_style_sheet_comes_back_gzipped(testapp):
    plain = testapp.get("/static/css/site.css")
    packed = fetch(testapp, "/static/css/site.css", {"Accept-Encoding": "gzip"})
    again = fetch(testapp, "/static/css/site.css", {"Accept-Encoding": "gzip"})  # from the cache
    assert plain.body == CSS.read_bytes() and "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "gzip" and "accept-encoding" in vary(packed)
    assert gzip.decompress(packed.body) == CSS.read_bytes() == gzip.decompress(again.body)
    assert len(packed.body) < len(plain.body) / 2
    # Still a cacheable static file that revalidates.
    assert "max-age" in packed.headers["Cache-Control"]
    testapp.get(
        "/static/css/site.css",
        status=304,
        headers={"Accept-Encoding": "gzip", "If-Modified-Since": packed.headers["Last-Modified"]},
    )


def test_json_comes_back_gzipped(testapp):
    packed = fetch(testapp, "/api/v1/openapi.json", {"Accept-Encoding": "gzip"})
    assert packed.headers["Content-Encoding"] == "gzip"  # no cookie: nothing of a session in it
    assert gzip.decompress(packed.body) == testapp.get("/api/v1/openapi.json").body


def test_without_accept_encoding_or_with_gzip_refused_nothing_is_compressed(as_user):
    browser = as_user("tancanh")
    for headers in (
        {},
        {"Accept-Encoding": "identity"},
        {"Accept-Encoding": "gzip;q=0, br"},
        {"Accept-Encoding": "identity, *;q=0"},
    ):
        response = fetch(browser, "/", {**headers, "Sec-Fetch-Site": "same-origin"})
        assert "Content-Encoding" not in response.headers, headers
        assert b"<html" in response.body


def test_pages_are_not_compressed_for_requests_from_other_sites(as_user):
    # BREACH: a page another site makes the browser ask for is sent uncompressed, so the sizes an
    # attacker watches say nothing about the CSRF token on it.
    browser = as_user("tancanh")
    for site in ("cross-site", "same-site"):
        response = fetch(browser, "/", {"Accept-Encoding": "gzip", "Sec-Fetch-Site": site})
        assert "Content-Encoding" not in response.headers, site
        assert 'name="csrf_token"' in response.text
    assert (
        fetch(browser, "/", {"Accept-Encoding": "gzip", "Sec-Fetch-Site": "none"}).headers["Content-Encoding"] == "gzip"
    )  # typed or bookmarked
    # A browser that does not say where a request came from: not with a session cookie...
    assert "Content-Encoding" not in fetch(browser, "/", {"Accept-Encoding": "gzip"}).headers
    # ...but the static files, which hold no secret, whoever asks.
    css = fetch(browser, "/static/css/site.css", {"Accept-Encoding": "gzip", "Sec-Fetch-Site": "cross-site"})
    assert css.headers["Content-Encoding"] == "gzip"


def test_a_first_visit_without_cookies_is_compressed(testapp):
    response = fetch(testapp, "/login", {"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert b'name="password"' in gzip.decompress(response.body)


# --- what is left alone ------------------------------------------------------------------------


def make_request(**headers):
    from pyramid.testing import DummyRequest

    request = DummyRequest(headers={"Accept-Encoding": "gzip", "Sec-Fetch-Site": "same-origin", **headers})
    request.matched_route = None
    # DummyRequest has no accept_encoding parser: borrow WebOb's.
    from webob import Request

    request.accept_encoding = Request.blank("/", headers=request.headers).accept_encoding
    return request


def test_small_encoded_streamed_and_binary_answers_are_left_alone():
    text = ("<p>Báo cáo 6 tháng đầu năm</p>" * 200).encode("utf-8")
    small = Response(body=b"<p>ok</p>" * 10, content_type="text/html")
    assert len(small.body) < MIN_SIZE
    encoded = Response(body=gzip.compress(text), content_type="text/html", content_encoding="gzip")
    streamed = Response(app_iter=iter([text]), content_type="text/html")
    binary = Response(body=text, content_type="application/pdf")
    partial = Response(body=text, content_type="text/html", status=206)
    for response in (small, encoded, streamed, binary, partial):
        before = response.headers.get("Content-Encoding")
        compress_response(make_request(), response)
        assert response.headers.get("Content-Encoding") == before
    assert gzip.decompress(encoded.body) == text  # not compressed twice

    page = Response(body=text, content_type="text/html")
    compress_response(make_request(Range="bytes=0-10"), page)
    assert "Content-Encoding" not in page.headers

    page = Response(body=text, content_type="text/html")
    page.headers["ETag"] = '"v1"'
    compress_response(make_request(), page)
    assert page.content_encoding == "gzip" and gzip.decompress(page.body) == text
    assert page.headers["ETag"] == '"v1-gzip"'  # another representation, another validator
