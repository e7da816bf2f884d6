"""Every user-facing string goes through the catalogues, and Vietnamese misses none of them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "intranet" / "locale"
PLACEHOLDER = re.compile(r"\$\{\w+\}")


def extracted_messages() -> set[str]:
    # The same map as babel.cfg: the core and the bundled plugins share one catalogue.
    method_map = [
        ("intranet/**.py", "python"),
        ("plugins/**.py", "python"),
        ("intranet/templates/**.jinja2", "jinja2"),
        ("plugins/**/templates/**.jinja2", "jinja2"),
    ]
    found = set()
    for _file, _line, message, _comments, _ctx in extract_from_dir(
        str(ROOT), method_map=method_map, keywords={"_": None}
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


@pytest.fixture(scope="module")
def vi_catalogue():
    with open(LOCALE / "vi" / "LC_MESSAGES" / "intranet.po", "rb") as f:
        return read_po(f)


def test_source_has_messages():
    assert len(extracted_messages()) > 100


def test_vietnamese_catalogue_translates_every_message(vi_catalogue):
    missing = sorted(m for m in extracted_messages() if not (vi_catalogue.get(m) and vi_catalogue.get(m).string))
    assert missing == [], f"untranslated in vi (run `make messages` and translate): {missing}"


def test_placeholders_survive_translation(vi_catalogue):
    wrong = [
        m.id
        for m in vi_catalogue
        if m.id and m.string and sorted(PLACEHOLDER.findall(m.id)) != sorted(PLACEHOLDER.findall(m.string))
    ]
    assert wrong == []


def test_compiled_catalogue_is_current(vi_catalogue):
    with open(LOCALE / "vi" / "LC_MESSAGES" / "intranet.mo", "rb") as f:
        compiled = read_mo(f)
    stale = [
        m.id for m in vi_catalogue if m.id and (compiled.get(m.id) is None or compiled.get(m.id).string != m.string)
    ]
    assert stale == [], "intranet.mo is older than intranet.po: run `make messages`"


def test_templates_have_no_untranslated_text():
    """Crude guard: no text node of three or more Latin words sits outside a translation call."""
    offenders = []
    templates = [
        *(ROOT / "intranet" / "templates").rglob("*.jinja2"),
        *(ROOT / "plugins").glob("*/templates/**/*.jinja2"),
    ]
    for path in templates:
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"{%.*?%}|{{.*?}}|{#.*?#}", " ", text, flags=re.S)
        # a <pre> block shows a file as it is written (the criteria file format), not page text
        text = re.sub(r"<pre>.*?</pre>", " ", text, flags=re.S)
        for node in re.findall(r">([^<>]+)<", text):
            if "=" in node:  # attribute text spilled out of a macro, not page text
                continue
            words = re.findall(r"[^\W\d_]{2,}", node)
            if len(words) >= 3:
                offenders.append(f"{path.name}: {node.strip()[:60]}")
    assert offenders == []


def test_english_page_and_language_switch(testapp):
    res = testapp.get("/login?_LOCALE_=en")
    assert '<html lang="en">' in res.text and "Log in" in res.text
    res = testapp.get("/login")
    assert '<html lang="vi">' in res.text and "Đăng nhập" in res.text
    res = testapp.get("/locale/en?next=/login", status=302)
    assert res.location.endswith("/login")
    assert '<html lang="en">' in testapp.get("/login").text  # the cookie keeps the choice
    testapp.get("/locale/vi?next=https://evil.example/", status=302)
    assert '<html lang="vi">' in testapp.get("/login").text


def test_numbers_use_vietnamese_grouping(as_user, factory, dbsession):
    from tests.conftest import get_space, get_user

    space = get_space(dbsession, "tan-canh")
    factory.log(space, get_user(dbsession, "tancanh"), "xa.bao-cao-dinh-ky", values={"x": 1210})
    browser = as_user("tancanh")
    assert "1.210" in browser.get("/spaces/tan-canh").text
    assert "1,210" in browser.get("/spaces/tan-canh?_LOCALE_=en").text
