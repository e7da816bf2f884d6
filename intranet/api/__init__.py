"""The JSON API under /api/v1, documented by /api/v1/openapi.json (intranet/api/openapi.py).

Callers authenticate with a personal API token (``Authorization: Bearer …``, made on
/account/tokens) or with the browser session (then unsafe methods need ``X-CSRF-Token``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pyramid.renderers import JSON


def decimal_to_json(value: Decimal, request):
    """A figure as a JSON number: 1210 rather than 1210.00, 12.5 as it is."""
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def datetime_to_json(value: dt.datetime, request) -> str:
    """Times are stored in UTC without a zone: say so with "Z"."""
    text = value.isoformat(timespec="seconds")
    return text + "Z" if value.tzinfo is None else text


def date_to_json(value: dt.date, request) -> str:
    return value.isoformat()


def json_renderer() -> JSON:
    renderer = JSON()
    renderer.add_adapter(Decimal, decimal_to_json)
    renderer.add_adapter(dt.datetime, datetime_to_json)
    renderer.add_adapter(dt.date, date_to_json)
    return renderer


def includeme(config):
    # Replaces Pyramid's default "json" renderer for every view, the API's and any other.
    config.add_renderer("json", json_renderer())
