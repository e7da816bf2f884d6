"""Every user-facing string goes through the catalogues, and Vietnamese misses none of them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"\$\{\w+\}")

#: (domain, folder of its sources, folder of its catalogues): the core's, and each plugin's own
#: (a plugin keeps its messages in its package: config.add_plugin_translations).
CATALOGUES = [("intranet", ROOT / "intranet", ROOT / "intranet" / "locale")] + [
    (path.name, path, path / "locale") for path in sorted((ROOT / "plugins").glob("intranet_*")) if path.is_dir()
]


def extracted_messages(source: Path) -> set[str]:
    # The same map as babel.cfg (the core's) and each plugin's babel.cfg: Python and templates.
    method_map = [("**.py", "python"), ("templates/**.jinja2", "jinja2")]
    found = set()
    for _file, _line, message, _comments, _ctx in extract_from_dir(
        str(source), method_map=method_map, keywords={"_": None}
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def _catalogue(locale: Path, domain: str):
    with open(locale / "vi" / "LC_MESSAGES" / f"{domain}.po", "rb") as f:
        return read_po(f)


def test_source_has_messages():
    assert len(extracted_messages(ROOT / "intranet")) > 100


@pytest.mark.parametrize(("domain", "source", "locale"), CATALOGUES, ids=[c[0] for c in CATALOGUES])
def test_vietnamese_catalogue_translates_every_message(domain, source, locale):
    found = extracted_messages(source)
    if domain != "intranet" and not found:
        return  # a plugin that marks no message for translation needs no catalogue
    assert locale.is_dir(), f"{domain} marks messages for translation but has no locale/ folder"
    vi_catalogue = _catalogue(locale, domain)
    missing = sorted(m for m in found if not (vi_catalogue.get(m) and vi_catalogue.get(m).string))
    assert missing == [], f"untranslated in {domain} vi (run `make messages` and translate): {missing}"


def test_the_core_catalogue_holds_no_plugin_message():
    core = {m.id for m in _catalogue(ROOT / "intranet" / "locale", "intranet") if m.id}
    for domain, source, _locale in CATALOGUES[1:]:
        own = extracted_messages(source) - extracted_messages(ROOT / "intranet")
        assert not (own & core), f"{domain}'s messages belong in its own catalogue: {sorted(own & core)[:5]}"


@pytest.mark.parametrize(("domain", "source", "locale"), CATALOGUES, ids=[c[0] for c in CATALOGUES])
def test_placeholders_survive_translation(domain, source, locale):
    if not locale.is_dir():
        return
    wrong = [
        m.id
        for m in _catalogue(locale, domain)
        if m.id and m.string and sorted(PLACEHOLDER.findall(m.id)) != sorted(PLACEHOLDER.findall(m.string))
    ]
    assert wrong == []


@pytest.mark.parametrize(("domain", "source", "locale"), CATALOGUES, ids=[c[0] for c in CATALOGUES])
def test_compiled_catalogue_is_current(domain, source, locale):
    if not locale.is_dir():
        return
    with open(locale / "vi" / "LC_MESSAGES" / f"{domain}.mo", "rb") as f:
        compiled = read_mo(f)
    stale = [
        m.id
        for m in _catalogue(locale, domain)
        if m.id and (compiled.get(m.id) is None or compiled.get(m.id).string != m.string)
    ]
    assert stale == [], f"{domain}.mo is older than {domain}.po: run `make messages`"


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
