"""Small helpers that views share: translation, flash messages, pagination, safe redirects."""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import unquote

from markupsafe import Markup, escape
from pyramid.i18n import TranslationString

from intranet.numbers import parse_page


def t(request, message, **mapping) -> str:
    """Translate a message now (for flash messages and JSON, which outlive the request)."""
    if mapping:
        # A message that is already a TranslationString keeps its own domain (a plugin's).
        message = TranslationString(message, domain=getattr(message, "domain", None) or "intranet", mapping=mapping)
    return request.localizer.translate(message)


def flash(request, message, queue: str = "info", **mapping) -> None:
    request.session.flash(t(request, message, **mapping), queue=queue)


#: Longer redirect targets are not links anyone followed.
MAX_NEXT = 2000
#: Unicode categories no redirect target has, even percent-encoded: controls (CR, LF, NUL...),
#: format characters (bidi overrides, zero-width), line and paragraph separators (U+2028, U+2029),
#: surrogates, private use and unassigned code points.
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"})


def _plain_path(text: str) -> bool:
    """A path on this site: "/" but not "//" (another host), no backslash (browsers read "/\\x" as
    "//x"), no dot segment, no character of :data:`_UNSAFE_CATEGORIES`."""
    if not text.startswith("/") or text.startswith("//") or "\\" in text:
        return False
    if any(unicodedata.category(ch) in _UNSAFE_CATEGORIES for ch in text):
        return False
    path = re.split(r"[?#]", text, maxsplit=1)[0]
    return not any(segment in (".", "..") for segment in path.split("/"))


def safe_next(request, value: str | None, default: str = "/") -> str:
    """``value`` when it is a plain path on this site, else ``default``: the only redirect target a
    parameter may name (after login, after choosing the language).

    As sent it must be printable ASCII without spaces (so no CR/LF, no U+2028, no other non-ASCII),
    and a plain path; decoded once, twice or three times ("/%2F%2Fevil.com", "/%0d%0a",
    "/%255C..."), it must still be one.
    """
    if not isinstance(value, str) or not value or len(value) > MAX_NEXT:
        return default
    if not (value.isascii() and value.isprintable()) or " " in value:
        return default
    text = value
    for _attempt in range(3):
        if not _plain_path(text):
            return default
        decoded = unquote(text)
        if decoded == text:
            return value
        text = decoded
    return default


def page_number(request) -> int:
    return parse_page(request.params.get("page"))


@dataclass
class Page:
    items: list
    number: int
    size: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.size)) if self.size else 1

    @property
    def has_prev(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def select_options(choices, selected=None) -> Markup:
    """The ``<option>`` elements of a ``<select>`` with many choices (a filter by unit lists two
    hundred): ``choices`` are (value, label) pairs, ``selected`` the value chosen, if any. Built
    in one pass, each value and label escaped, instead of a template loop of an escape, a test
    and a lookup per option."""
    parts = []
    for value, label in choices:
        mark = " selected" if selected is not None and value == selected else ""
        parts.append(f'<option value="{escape(value)}"{mark}>{escape(label)}</option>')
    return Markup("".join(parts))


def page_url(request, number: int) -> str:
    params = dict(request.GET)
    params["page"] = str(number)
    return request.current_route_path(_query=params)
