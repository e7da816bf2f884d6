"""The numbers side of the plugin contract: a plugin reads every number its forms, query strings
and paths carry with the core's one parser of Vietnamese numbers (1.210 is one thousand two
hundred and ten, 12,5 is twelve and a half), so that a text means the same number on its pages as
on the core's::

    from intranet.plugin.numbers import NumberError, parse_id, parse_integer

    try:
        count = parse_integer(request.POST.get("participants", ""), maximum=100_000)
    except NumberError as exc:
        errors["participants"] = exc.message  # a translation string, for the page

``parse_integer`` and ``parse_decimal`` read what a person typed and raise ``NumberError``;
``parse_id`` (a database id: None when there is none, answer 404), ``parse_plain`` (a version or
another number a page wrote for itself) and ``parse_page`` (a list's page) read what a machine sent.
``as_text`` writes a number the way these read it back.
"""

from __future__ import annotations

from intranet.numbers import (
    MAX_INT,
    MAX_PAGE,
    MAX_YEAR,
    MIN_YEAR,
    MSG_TOO_LARGE,
    NumberError,
    as_text,
    parse_decimal,
    parse_id,
    parse_integer,
    parse_page,
    parse_plain,
    parse_year,
)

__all__ = [
    "MAX_INT",
    "MAX_PAGE",
    "MAX_YEAR",
    "MIN_YEAR",
    "MSG_TOO_LARGE",
    "NumberError",
    "as_text",
    "parse_decimal",
    "parse_id",
    "parse_integer",
    "parse_page",
    "parse_plain",
    "parse_year",
]
