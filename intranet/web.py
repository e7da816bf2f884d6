"""Small helpers that views share: translation, flash messages, pagination, safe redirects."""
from __future__ import annotations

import math
from dataclasses import dataclass
from urllib.parse import urlparse


def t(request, message, **mapping) -> str:
    """Translate a message now (for flash messages and JSON, which outlive the request)."""
    from intranet.i18n import _

    if mapping:
        message = _(message, mapping=mapping)
    return request.localizer.translate(message)


def flash(request, message, queue: str = "info", **mapping) -> None:
    request.session.flash(t(request, message, **mapping), queue=queue)


def safe_next(request, value: str | None, default: str = "/") -> str:
    """Only a path on this site may be a redirect target after login."""
    if not value:
        return default
    parsed = urlparse(value)
    if parsed.scheme or parsed.netloc or not value.startswith("/") or value.startswith("//"):
        return default
    return value


def page_number(request) -> int:
    try:
        return max(1, int(request.params.get("page", 1)))
    except (TypeError, ValueError):
        return 1


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


def page_url(request, number: int) -> str:
    params = dict(request.GET)
    params["page"] = str(number)
    return request.current_route_path(_query=params)
