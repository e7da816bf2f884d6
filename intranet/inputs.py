"""Text as it enters the application: one tween for every view, before any of them reads it.

* A NUL character in the path, the query string, a form field's name or value, an uploaded file's
  name or a JSON string is refused with 400 and a page (or JSON error under /api/) in the reader's
  language. No browser sends one; PostgreSQL cannot store one (it answered 500); and changing the
  data silently would be worse than saying so. Bytes that are not UTF-8 are refused the same way.
* Text values are normalised: Word's Shift+Enter (vertical tab) and page break (form feed) become
  line breaks, as do CRLF and a lone CR, and every other C0/C1 control character except the tab
  is removed. Such characters display as nothing and make every Excel export fail.

WebOb parses the query string and the form body once per request and caches the result in the
WSGI environ (``webob._parsed_query_vars``, ``webob._parsed_post_vars``); the cleaned values are
stored there, so ``request.GET``, ``request.POST`` and ``request.params`` return them for the rest
of the request, and for the attempts pyramid_retry makes with the same environ. Uploaded files
(``cgi.FieldStorage`` values) are passed on as they are, rewound for each attempt. A body that is
not a form is read as JSON (``request.json_body`` reads any body, whatever its Content-Type) and,
when a string changed, written back as the request's body, so that the views read it clean.
"""

from __future__ import annotations

import json
import re

from pyramid.httpexceptions import HTTPBadRequest
from pyramid.tweens import EXCVIEW
from webob.multidict import GetDict, MultiDict

from intranet.i18n import _

NUL = "\x00"
#: Line breaks of every origin: CRLF (what browsers send), a lone CR, VT (Word's Shift+Enter), FF.
_LINE_BREAKS = re.compile(r"\r\n?|[\x0b\x0c]")
#: C0 and C1 but the tab and the line feed: what goes once line breaks are "\n".
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
#: A lone surrogate (JSON "\ud800"): no UTF-8 encoding, so no database stores it.
_SURROGATE = re.compile(r"[\ud800-\udfff]")

MESSAGE = _(
    "The request contains characters that cannot be accepted (for example a NUL character copied "
    "from another program). Go back, check what you typed or pasted, and send it again."
)


class BadCharacters(HTTPBadRequest):
    """A request carrying a NUL character (or bytes that are not UTF-8) anywhere in its text."""


def clean_text(value: str) -> str:
    """``value`` with its line breaks as "\\n" and without other control characters (tab kept)."""
    if not _CONTROLS.search(value):
        return value
    return _CONTROLS.sub("", _LINE_BREAKS.sub("\n", value))


def _is_upload(value) -> bool:
    return hasattr(value, "filename") and hasattr(value, "file")


def _cleaned(items, *, uploads: bool) -> list:
    """The (name, value) pairs with their text values cleaned; raises BadCharacters on a NUL."""
    result = []
    for name, value in items:
        if NUL in name:
            raise BadCharacters()
        if isinstance(value, str):
            if NUL in value:
                raise BadCharacters()
            value = clean_text(value)
        elif uploads and _is_upload(value):
            if NUL in (value.filename or ""):
                raise BadCharacters()
            # A retried request reads the same parsed file again: from its start, not its end.
            value.file.seek(0)
        # Anything else is bytes: a file input left empty arrives as b"", and stays so.
        result.append((name, value))
    return result


def _clean_query(request) -> None:
    env = request.environ
    source = env.get("QUERY_STRING", "")
    try:
        query = request.GET  # parses QUERY_STRING and caches it
    except UnicodeDecodeError:
        # Not UTF-8: refused; the error page (its language, its links) reads no parameter then.
        env["webob._parsed_query_vars"] = (GetDict([], env), source)
        raise
    # A GetDict writes itself back into QUERY_STRING when changed: build it unchanged, then cache it.
    env["webob._parsed_query_vars"] = (GetDict(_cleaned(query.items(), uploads=False), env), source)


def _clean_form(request) -> bool:
    """Clean the form body; False when the body is not a form."""
    env = request.environ
    form = request.POST  # parses the body (form content types only) and caches it
    if not isinstance(form, MultiDict):
        return False  # NoVars
    cached = env.get("webob._parsed_post_vars")
    if cached is not None and cached[0] is form:
        env["webob._parsed_post_vars"] = (MultiDict(_cleaned(form.items(), uploads=True)), cached[1])
    return True


def _clean_json(value):
    """``value`` with every string cleaned; raises BadCharacters on a NUL or a lone surrogate."""
    if isinstance(value, str):
        if NUL in value or _SURROGATE.search(value):
            raise BadCharacters()
        return clean_text(value)
    if isinstance(value, list):
        return [_clean_json(v) for v in value]
    if isinstance(value, dict):
        return {_clean_json(k): _clean_json(v) for k, v in value.items()}
    return value


def _clean_json_body(request) -> None:
    body = request.body
    if not body:
        return
    try:
        data = json.loads(body.decode("utf-8"))
    except ValueError:  # not JSON (or not UTF-8): the view answers that in its own words
        return
    cleaned = _clean_json(data)
    if cleaned != data:
        request.body = json.dumps(cleaned, ensure_ascii=False).encode("utf-8")


def check_request(request) -> None:
    """Refuse a NUL anywhere in the request's text; clean the text values the views will read."""
    try:
        if NUL in request.path_info:
            raise BadCharacters()
        _clean_query(request)
        is_form = _clean_form(request)
    except UnicodeDecodeError:
        # The path, query or form is not UTF-8: no view could read it either.
        raise BadCharacters() from None
    if not is_form:
        _clean_json_body(request)


def inputs_tween_factory(handler, registry):
    def tween(request):
        check_request(request)
        return handler(request)

    return tween


def bad_characters_page(request):
    request.response.status_int = 400
    return {"message": request.localizer.translate(MESSAGE)}


def bad_characters_json(request):
    request.response.status_int = 400
    return {"error": "bad_characters", "message": request.localizer.translate(MESSAGE)}


def includeme(config):
    # Under the exception view tween: a refusal is rendered like any other error, in the reader's
    # language, and pyramid_tm aborts the transaction (nothing of the request is stored).
    config.add_tween("intranet.inputs.inputs_tween_factory", under=EXCVIEW)
    config.add_exception_view(bad_characters_page, context=BadCharacters, renderer="errors/bad_characters.jinja2")
    config.add_exception_view(bad_characters_json, context=BadCharacters, renderer="json", path_info=r"^/api/")
