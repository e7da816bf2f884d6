"""Bounded request bodies: a WSGI middleware that refuses an oversized or malformed body before
anything parses it, whatever server runs the application.

waitress buffers a body up to its own ``max_request_body_size`` (set in the ini files), but gunicorn
hands the application the raw stream: an anonymous 1 GB POST to /login grew a worker to 3.2 GB,
because the form parser reads an urlencoded body into memory in one piece. Here:

* a body may carry at most ``intranet.max_request_bytes`` (default 60 MB: several evidence files of
  10 MB each) when it is ``multipart/form-data``, and at most :data:`MAX_FORM_BYTES` otherwise.
  The largest plain form, a commune plan with 30 activities, weighs about 60 KB; 1 MB holds some
  110,000 Vietnamese characters even percent-encoded (up to 9 bytes each), and JSON bodies are
  smaller still.
* a body may carry at most :data:`MAX_FIELDS` form fields or parts: parsing 100,000 tiny multipart
  parts (5 MB) took 4 s and 160 MB, so the byte limit alone does not bound the work.
* a declared ``Content-Length`` over the limit is answered 413 at once, without reading a byte; a
  body without one (chunked) or one that lies is read through a stream that stops at the limit.
* the ``Content-Type`` is checked and rewritten in one canonical form, so that the parser sees
  exactly what was checked: ``multipart/form-data`` needs a valid boundary, and a charset, when
  given, must be UTF-8 (ASCII being part of it). WebOb raises on any other charset and on a
  missing boundary, which was a 500; decoding latin-1 or UTF-7 as UTF-8 would corrupt Vietnamese
  text silently, so they are refused with 400.

The answers are small static pages, Vietnamese first (the middleware runs before Pyramid, with no
request, no localizer and no templates), and JSON under /api/.
"""

from __future__ import annotations

import codecs
import json
import re
from html import escape
from urllib.parse import parse_qs

from pyramid.httpexceptions import HTTPBadRequest, HTTPRequestEntityTooLarge
from pyramid.request import Request as PyramidRequest
from webob import Response

MB = 1024 * 1024
# The limit of multipart bodies is the setting intranet.max_request_bytes (intranet.config).
MAX_FORM_BYTES = 1 * MB
MAX_FIELDS = 5000
MULTIPART = "multipart/form-data"
URLENCODED = "application/x-www-form-urlencoded"
#: What the form parser accepts (printable ASCII, not ending in a space), less the quote, the
#: backslash and the semicolon, so that the canonical header means the same to every parser.
BOUNDARY_RE = re.compile(r"^[ !#-:<-\[\]-~]{0,199}[!#-:<-\[\]-~]$")
UTF8_NAMES = {"utf-8", "ascii"}

MESSAGES = {
    "too_large": (
        "Dữ liệu gửi lên quá lớn",
        "Mỗi lần gửi được tối đa {limit} dữ liệu và {fields} trường hoặc tệp. "
        "Vui lòng quay lại, bớt tệp đính kèm hoặc gửi làm nhiều lần.",
        "The data sent is too large",
        "At most {limit} and {fields} fields or files can be sent at once. "
        "Go back and attach fewer files, or send them in several parts.",
    ),
    "bad_form": (
        "Biểu mẫu gửi lên không hợp lệ",
        "Dữ liệu của biểu mẫu bị hỏng hoặc thiếu ranh giới (boundary) giữa các phần. "
        "Vui lòng tải lại trang và gửi lại.",
        "The form sent is malformed",
        "The form data is damaged or has no valid boundary between its parts. Reload the page and send it again.",
    ),
    "bad_charset": (
        "Bảng mã không được hỗ trợ",
        "Dữ liệu phải được mã hóa theo UTF-8. Vui lòng tải lại trang và gửi lại.",
        "Unsupported character set",
        "The data must be encoded in UTF-8. Reload the page and send it again.",
    ),
    "bad_url": (
        "Địa chỉ không hợp lệ",
        "Địa chỉ trang có ký tự không hợp lệ. Vui lòng kiểm tra lại đường dẫn.",
        "Bad address",
        "The page address has characters that are not valid. Check the link.",
    ),
    "db_unavailable": (
        "Hệ thống tạm thời không trả lời",
        "Cơ sở dữ liệu đang khởi động lại hoặc quá bận. Không có gì bị lưu dở. Vui lòng đợi vài giây rồi thử lại.",
        "The system is not answering for a moment",
        "The database is restarting or too busy. Nothing was half-saved. Wait a few seconds and try again.",
    ),
    "bad_length": (
        "Yêu cầu không hợp lệ",
        "Độ dài dữ liệu (Content-Length) không hợp lệ.",
        "Bad request",
        "The Content-Length header is not valid.",
    ),
}
_STATUS = {
    "too_large": 413,
    "bad_form": 400,
    "bad_charset": 400,
    "bad_url": 400,
    "db_unavailable": 503,
    "bad_length": 400,
}


def _size(n: int) -> str:
    return f"{n // MB} MB" if n >= MB else f"{max(n // 1024, 1)} KB"


def _english(environ) -> bool:
    return parse_qs(environ.get("QUERY_STRING", "")).get("_LOCALE_") == ["en"]


def error_body(environ, code: str, limit: int = 0) -> tuple[str, bytes]:
    """(content type, body) of the answer for ``code``: a bilingual page, or JSON under /api/."""
    title_vi, text_vi, title_en, text_en = MESSAGES[code]
    values = {"limit": _size(limit), "fields": f"{MAX_FIELDS:,}".replace(",", ".")}
    text_vi, text_en = text_vi.format(**values), text_en.format(**values)
    if environ.get("PATH_INFO", "").startswith("/api/"):
        message = f"{title_en}. {text_en}" if _english(environ) else f"{title_vi}. {text_vi}"
        body = json.dumps({"error": code, "message": message}, ensure_ascii=False)
        return "application/json", body.encode("utf-8")
    page = (
        '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title_vi)}</title></head><body>"
        f"<h1>{escape(title_vi)}</h1><p>{escape(text_vi)}</p>"
        f'<div lang="en"><h2>{escape(title_en)}</h2><p>{escape(text_en)}</p></div>'
        '<p><a href="/">Trang chủ / Home</a></p></body></html>'
    )
    return "text/html", page.encode("utf-8")


_HEADERS = [
    ("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"),
    ("X-Content-Type-Options", "nosniff"),
    ("Cache-Control", "no-store"),
]


def error_response(environ, code: str, limit: int = 0) -> Response:
    content_type, body = error_body(environ, code, limit)
    response = Response(body=body, status=_STATUS[code], content_type=content_type, charset="utf-8")
    for name, value in _HEADERS:
        response.headers[name] = value
    return response


class BodyTooLarge(HTTPRequestEntityTooLarge):
    """Raised by the capped stream; a response itself, so Pyramid's exception view answers 413."""

    def __init__(self, environ, limit: int):
        content_type, body = error_body(environ, "too_large", limit)
        super().__init__(body=body, content_type=content_type, charset="utf-8", headers=_HEADERS)


class MalformedBody(HTTPBadRequest):
    """A body the form parser cannot read (a part without a valid boundary)."""

    def __init__(self, environ):
        content_type, body = error_body(environ, "bad_form")
        super().__init__(body=body, content_type=content_type, charset="utf-8", headers=_HEADERS)


class CappedInput:
    """``wsgi.input`` that delivers at most ``limit`` bytes and ``MAX_FIELDS`` fields, then raises
    :class:`BodyTooLarge`: whoever reads the body stops there, whatever it asked for."""

    def __init__(self, stream, environ, limit: int, separator: bytes | None = None):
        self._stream = stream
        self._environ = environ
        self._limit = limit
        self._separator = separator
        self._tail = b""
        self.bytes_read = 0
        self.fields = 0

    def _allowed(self, size) -> int:
        left = self._limit - self.bytes_read + 1  # one byte past the limit proves it is passed
        return left if size is None or size < 0 else min(size, left)

    def _count(self, data: bytes) -> bytes:
        self.bytes_read += len(data)
        if self._separator and data:
            window = self._tail + data
            self.fields += window.count(self._separator)
            self._tail = window[-(len(self._separator) - 1) :] if len(self._separator) > 1 else b""
        if self.bytes_read > self._limit or self.fields > MAX_FIELDS + 1:
            raise BodyTooLarge(self._environ, self._limit)
        return data

    def read(self, size=-1) -> bytes:
        return self._count(self._stream.read(self._allowed(size)))

    def readline(self, size=-1) -> bytes:
        return self._count(self._stream.readline(self._allowed(size)))

    def readlines(self, hint=-1) -> list[bytes]:
        return list(self)

    def __iter__(self):
        return iter(self.readline, b"")

    def close(self) -> None:
        close = getattr(self._stream, "close", None)
        if close is not None:
            close()


def _params(value: str) -> tuple[str, dict[str, str]] | None:
    """(media type, parameters) of a Content-Type; None when a parameter is given twice."""
    media, *rest = value.split(";")
    params: dict[str, str] = {}
    for part in rest:
        name, eq, val = part.partition("=")
        name, val = name.strip().lower(), val.strip()
        if not eq or not name:
            continue
        if len(val) >= 2 and val[0] == val[-1] == '"':
            val = val[1:-1]
        if name in params:
            return None
        params[name] = val
    return media.strip().lower(), params


def check_content_type(environ) -> str | None:
    """Check the Content-Type and rewrite it canonically; the error code, or None when it is fine."""
    raw = environ.get("CONTENT_TYPE", "")
    if not raw.strip():
        return None
    parsed = _params(raw)
    if parsed is None:
        return "bad_form"
    media, params = parsed
    charset = params.get("charset")
    if charset is not None:
        try:
            name = codecs.lookup(charset).name
        except LookupError:
            return "bad_charset"
        if name not in UTF8_NAMES:
            return "bad_charset"
    if media == MULTIPART:
        boundary = params.get("boundary", "")
        if not BOUNDARY_RE.match(boundary):
            return "bad_form"
        environ["CONTENT_TYPE"] = f'{MULTIPART}; boundary="{boundary}"'
    else:
        # Without a charset WebOb reads UTF-8, which is what was checked.
        environ["CONTENT_TYPE"] = media
    return None


class BodyLimit:
    """The middleware; attribute access goes through to the wrapped Pyramid router."""

    def __init__(self, app, max_request_bytes: int, max_form_bytes: int = MAX_FORM_BYTES):
        self.app = app
        self.max_request_bytes = max_request_bytes
        self.max_form_bytes = min(max_form_bytes, max_request_bytes)

    def __getattr__(self, name):
        return getattr(self.app, name)

    def __call__(self, environ, start_response):
        response = self._refusal(environ)
        if response is not None:
            return response(environ, start_response)
        try:
            return self.app(environ, start_response)
        except BodyTooLarge as exc:
            # Pyramid answers it as a response; this is for a stack without its exception view.
            return exc(environ, start_response)

    def _refusal(self, environ) -> Response | None:
        try:
            # PEP 3333 hands the path over as latin-1; ours are UTF-8, and every layer that
            # decodes it (routing, the security headers) would fail on anything else.
            environ.get("PATH_INFO", "").encode("latin-1").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            return error_response(environ, "bad_url")
        code = check_content_type(environ)
        if code is not None:
            return error_response(environ, code)
        media = environ.get("CONTENT_TYPE", "").split(";", 1)[0]
        limit = self.max_request_bytes if media == MULTIPART else self.max_form_bytes
        declared = (environ.get("CONTENT_LENGTH") or "").strip()
        if declared:
            if not (declared.isascii() and declared.isdigit()):
                return error_response(environ, "bad_length")
            if len(declared) > 15:
                return error_response(environ, "too_large", limit)
            if int(declared) > limit:
                return error_response(environ, "too_large", limit)
        separator = None
        if media == MULTIPART:
            separator = b"--" + _params(environ["CONTENT_TYPE"])[1]["boundary"].encode("ascii")
        elif media in ("", URLENCODED):
            # WebOb reads a POST body without a Content-Type as an urlencoded form too.
            separator = b"&"
        if "wsgi.input" in environ:
            environ["wsgi.input"] = CappedInput(environ["wsgi.input"], environ, limit, separator)
            # The capped stream cannot seek; WebOb (and pyramid_retry, which replays the body)
            # copies it into a seekable buffer when told it is not seekable.
            environ["webob.is_body_seekable"] = False
        return None


class Request(PyramidRequest):
    """Pyramid's request, answering 400 instead of 500 when the form parser gives up."""

    @property
    def POST(self):  # noqa: N802 - WebOb's name
        try:
            return super().POST
        except (ValueError, DeprecationWarning):
            # A nested part without a valid boundary passes the header check and still makes the
            # parser raise ValueError; WebOb raises DeprecationWarning for a non-UTF-8 charset.
            raise MalformedBody(self.environ) from None


def includeme(config):
    config.set_request_factory(Request)


def wrap(app, settings) -> BodyLimit:
    """The application behind the body limit of ``settings``."""
    return BodyLimit(app, int(settings["intranet.max_request_bytes"]))
