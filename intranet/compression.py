"""gzip for text answers: pages, the style sheet, scripts, JSON and SVG.

On a slow mobile link the bytes are the page's cost: a dashboard or a report form shrinks to a
fifth or less once gzipped. The application compresses by itself, so that ``pserve`` and a bare
waitress are as quick as a deployment behind nginx (README.md shows nginx's own setting; with it,
nginx passes our already-compressed answers on untouched).

What is compressed: an answer of one of :data:`COMPRESSIBLE` types, of at least
:data:`MIN_SIZE` bytes, not already encoded, to a request whose ``Accept-Encoding`` accepts gzip
(a request without that header gets the answer as it is). Every answer that could have been
compressed says ``Vary: Accept-Encoding``, compressed or not, so that no cache hands a gzipped
copy to a client that cannot read it. Streamed answers (a ``FileResponse`` or any other iterator)
are left alone, except the files of the static view: they are small, read once, and their
compressed bytes are kept in memory for as long as the file does not change (its size and
modification time). A request with a ``Range`` header is answered uncompressed: ranges of a
compressed body are correct but no client here needs them.

BREACH (compression as a side channel): an attacker who can make the victim's browser send many
requests, each reflecting a guess into a page that also carries a secret (the CSRF token, a
personal API token shown once), and who can watch the sizes of the encrypted answers, can recover
the secret from how well each guess compresses. Any answer of the application itself may carry
such a secret (every page has the CSRF token; the filter forms echo their query parameters next
to it). So, the static files apart, compression needs proof that the request did not come from
another site:

* ``Sec-Fetch-Site: same-origin`` (our own pages, links and forms) or ``none`` (the user typed
  the address or opened a bookmark) — compressed;
* ``cross-site`` or ``same-site`` (a page of another site, or of a sister subdomain, made the
  browser send it: the only way an attacker can make the victim's browser repeat requests with
  the session cookie) — not compressed;
* no ``Sec-Fetch-Site`` at all (browsers older than 2020-2023, scripts): compressed only when the
  request carries no cookie, so no session whose secrets the answer could hold (an API client
  with a bearer token, a first visit). An old browser with a session gets its pages
  uncompressed: slower, never weaker.

The static files (the style sheet) are the same for everyone and hold no secret: compressed
whoever asks. The alternatives were weaker or heavier: masking the CSRF token anew on every page
changes every form and test; rate limits do not stop a patient attacker; and "we reflect no
input next to a secret" is not true of the filter pages.
"""

from __future__ import annotations

import gzip
import threading
from collections import OrderedDict

from pyramid.response import FileResponse
from pyramid.tweens import MAIN
from webob.acceptparse import AcceptEncodingValidHeader

#: The media types worth compressing (images other than SVG, PDF, XLSX are compressed already).
COMPRESSIBLE = frozenset(
    {
        "text/html",
        "text/css",
        "text/plain",
        "text/csv",
        "text/javascript",
        "application/javascript",
        "application/json",
        "image/svg+xml",
    }
)
#: Below this, gzip's header and the round trip cost more than they save.
MIN_SIZE = 1024
#: The largest static file read into memory to be compressed (larger ones are left alone).
MAX_STATIC_SIZE = 1024 * 1024
#: gzip level 6: nearly level 9's size (within 1-2 %) at a fraction of its time.
LEVEL = 6
#: Where a request came from (Fetch Metadata) when it is ours or the user's own.
_OWN_ORIGIN = frozenset({"same-origin", "none"})


class _StaticCache:
    """The compressed bytes of static files, by (path, size, modification time); a few dozen."""

    def __init__(self, size: int = 64):
        self.size = size
        self._items: OrderedDict[tuple, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key) -> bytes | None:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key, value: bytes) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)


_static_cache = _StaticCache()


def accepts_gzip(request) -> bool:
    """Whether the client said it reads gzip (no header, or a header not understood: no)."""
    header = request.accept_encoding
    return isinstance(header, AcceptEncodingValidHeader) and bool(header.acceptable_offers(["gzip"]))


def from_own_origin(request) -> bool:
    """Whether the request provably did not come from another site (see the module docstring)."""
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None:
        return site.strip().lower() in _OWN_ORIGIN
    return not request.cookies


def _add_vary(response, name: str = "Accept-Encoding") -> None:
    vary = list(response.vary or ())
    if not any(v.lower() == name.lower() for v in vary):
        vary.append(name)
        response.vary = vary


def _is_static_file(request, response) -> bool:
    route = getattr(request, "matched_route", None)
    # Pyramid names the routes of its static views "__<name>/".
    return isinstance(response, FileResponse) and route is not None and route.name.startswith("__")


def _close(app_iter) -> None:
    close = getattr(app_iter, "close", None)
    if close is not None:
        close()


def compress_response(request, response) -> None:
    """Compress ``response`` in place when the rules of the module docstring allow it."""
    if response.status_int < 200 or response.status_int in (204, 206, 304):
        return
    if response.content_encoding or response.content_type not in COMPRESSIBLE:
        return
    length = response.content_length
    static = _is_static_file(request, response)
    if static:
        if length is None or length > MAX_STATIC_SIZE:
            return
    elif not isinstance(response.app_iter, (list, tuple)):
        return  # streamed: compressing would read it all into memory
    elif length is None:
        length = sum(len(chunk) for chunk in response.app_iter)
    if length < MIN_SIZE:
        return
    _add_vary(response)
    if not accepts_gzip(request) or "Range" in request.headers:
        return
    if not static and not from_own_origin(request):
        return  # BREACH: see the module docstring
    if static:
        key = (request.path_info, length, response.last_modified)
        compressed = _static_cache.get(key)
        if compressed is None:
            compressed = gzip.compress(response.body, compresslevel=LEVEL, mtime=0)
            _static_cache.put(key, compressed)
        else:
            _close(response.app_iter)
    else:
        compressed = gzip.compress(response.body, compresslevel=LEVEL, mtime=0)
    response.body = compressed
    response.content_encoding = "gzip"
    etag = response.headers.get("ETag", "")
    if etag.endswith('"'):  # another representation needs another validator
        response.headers["ETag"] = etag[:-1] + '-gzip"'


def compression_tween_factory(handler, registry):
    def tween(request):
        response = handler(request)
        compress_response(request, response)
        return response

    return tween


def includeme(config):
    # Over every tween that writes the answer's body or headers (the security headers, the debug
    # toolbar that adds itself to pages, the transaction's error pages): it compresses the last word.
    config.add_tween(
        "intranet.compression.compression_tween_factory",
        over=(
            "intranet.security.security_headers_tween_factory",
            "intranet.methods.methods_tween_factory",
            "pyramid_debugtoolbar.toolbar_tween_factory",
            "pyramid_tm.tm_tween_factory",
            MAIN,
        ),
    )
