"""Redirect targets named by a parameter (?came_from= after login, ?next= after choosing the
language): a plain path on this site, or the default."""

from __future__ import annotations

import pytest

from intranet.web import safe_next

DEFAULT = "/fallback"

ACCEPTED = [
    "/",
    "/spaces/tan-canh",
    "/spaces/tan-canh/logs?duty=xa.bao-cao-dinh-ky&page=2",
    "/district/reports/2017-6t#narratives",
    "/spaces/tan-canh/logs?q=%C4%90%C4%83k%20T%C3%B4",  # Vietnamese, percent-encoded
    "/spaces/tan-canh/reports/xa.bao-cao/2017-6t",
    "/login?came_from=/spaces",
    "/a%2Fb",  # an encoded slash inside a segment
]

REFUSED = [
    # not a path on this site
    (None, "nothing"),
    ("", "empty"),
    ("spaces/tan-canh", "relative"),
    ("http://evil.com/", "absolute URL"),
    ("https:evil.com", "scheme without slashes"),
    ("javascript:alert(1)", "script"),
    ("//evil.com", "protocol-relative"),
    ("///evil.com", "three slashes"),
    ("/\\evil.com", "backslash (read as //evil.com)"),
    ("\\\\evil.com", "two backslashes"),
    ("/..//evil.com", "dot segments"),
    ("/spaces/./x", "a dot segment"),
    # control and invisible characters, raw
    ("/\r\nSet-Cookie: a=1", "CR/LF"),
    ("/spaces\n", "LF"),
    ("/\x00", "NUL"),
    ("/\tspaces", "tab"),
    ("/\x0bspaces", "vertical tab"),
    ("/x\u2028y", "line separator"),
    ("/x\u2029y", "paragraph separator"),
    ("/x\u202ey", "bidi override"),
    ("/spaces/tân-cảnh", "non-ASCII"),
    ("/spaces/ x", "space"),
    (" /spaces", "leading space"),
    # the same, percent-encoded
    ("/%0d%0aSet-Cookie:%20a=1", "encoded CR/LF"),
    ("/%0A", "encoded LF"),
    ("/%00", "encoded NUL"),
    ("/%2F%2Fevil.com", "encoded //"),
    ("/%2f/evil.com", "half-encoded //"),
    ("/%5Cevil.com", "encoded backslash"),
    ("/%252F%252Fevil.com", "doubly encoded //"),
    ("/%25255C%25255Cevil.com", "triply encoded backslashes"),
    ("/%2e%2e//evil.com", "encoded dot segments"),
    ("/x%E2%80%A8y", "encoded line separator"),
    ("/x%E2%80%AEy", "encoded bidi override"),
    ("/" + "a" * 3000, "too long"),
]


@pytest.mark.parametrize("target", ACCEPTED)
def test_a_plain_path_on_this_site_is_kept(target):
    assert safe_next(None, target, DEFAULT) == target


@pytest.mark.parametrize("target, why", REFUSED, ids=[why for _t, why in REFUSED])
def test_anything_else_falls_back_to_the_default(target, why):
    assert safe_next(None, target, DEFAULT) == DEFAULT


def test_a_non_text_value_falls_back_to_the_default():
    class Upload:  # what request.params holds for a file sent under the parameter's name
        filename = "x"

    assert safe_next(None, Upload(), DEFAULT) == DEFAULT
