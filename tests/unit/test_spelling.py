"""One spelling on every page and in every export (GLOSSARY: spelling and formats).

The tone of "oa", "oe" and "uy" sits on the main vowel (hóa, khỏe, Ủy ban, ma túy), and a
percentage is written with a space before its sign (97,9 %). The scans below read everything the
intranet shows: the Vietnamese catalogue, the templates, the Python text of the core and of the
plugins, and their data files; a failure lists each file:line to correct.
"""

from __future__ import annotations

import ast
import re
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest

from intranet import i18n
from intranet.text import OLD_STYLE, normalise_tones, old_style_spellings

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "intranet" / "locale" / "vi" / "LC_MESSAGES" / "intranet.po"
#: The module that spells out the old style on purpose, to recognise it.
SPELLING_MODULE = ROOT / "intranet" / "text.py"

#: A figure written against its percent sign: "97,9%", "10%" (not "97,9 %", "{{ n }} %").
GLUED_PERCENT = re.compile(r"\d%")


# --- normalise_tones -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("hoá", "hóa"),
        ("Văn hoá", "Văn hóa"),
        ("khoẻ", "khỏe"),
        ("sức khoẻ", "sức khỏe"),
        ("thuỷ", "thủy"),
        ("ma tuý", "ma túy"),
        ("Uỷ ban nhân dân", "Ủy ban nhân dân"),
        ("UỶ BAN", "ỦY BAN"),
        ("HOÁ", "HÓA"),
        ("Huỷ", "Hủy"),
        ("Xoá", "Xóa"),
        ("khoá sổ", "khóa sổ"),
        ("hoà", "hòa"),
        ("toà án", "tòa án"),
        ("loè", "lòe"),
        ("hoả hoạn", "hỏa hoạn"),
        ("hoạ", "họa"),
        ("xoã", "xõa"),
        ("khoẻ.", "khỏe."),
        ("tuỳ", "tùy"),
        ("luỹ", "lũy"),
        ("thuỵ", "thụy"),
        ("(hoá)", "(hóa)"),
        ("hoá\nkhoẻ", "hóa\nkhỏe"),
        ("xã hội hoá, văn hoá", "xã hội hóa, văn hóa"),
    ],
)
def test_old_style_moves_to_the_main_vowel(old, new):
    assert normalise_tones(old) == new


@pytest.mark.parametrize(
    "word",
    [
        # already on the main vowel
        "hóa",
        "khỏe",
        "Ủy ban",
        "ma túy",
        "hòa",
        # the syllable goes on after the rhyme: the mark is where it belongs
        "hoàn thành",
        "khoáng sản",
        "tuyến",
        "huỳnh",
        "Quỳnh",
        "khuỷu tay",
        "hoạch",
        "toán",
        "xoáy",
        # after "q" the "u" is part of the consonant
        "quý",
        "quỹ",
        "quỳ",
        "Quý",
        "QUỸ",
        "quả",
        "quá",
        # no tone at all, or another rhyme
        "khuya",
        "hoa",
        "thuế",
        "Kế hoạch",
        "UBND",
    ],
)
def test_correct_words_are_left_alone(word):
    assert normalise_tones(word) == word


def test_decomposed_text_is_composed_then_normalised():
    decomposed = unicodedata.normalize("NFD", "Uỷ ban, hoá")
    assert decomposed != "Uỷ ban, hoá"
    assert normalise_tones(decomposed) == "Ủy ban, hóa"


def test_normalising_twice_changes_nothing_more():
    text = "Uỷ ban nhân dân huyện; Văn hoá – Xã hội; ma tuý; quỹ; hoàn thành"
    once = normalise_tones(text)
    assert once == "Ủy ban nhân dân huyện; Văn hóa – Xã hội; ma túy; quỹ; hoàn thành"
    assert normalise_tones(once) == once


@pytest.mark.parametrize("empty", ["", None])
def test_empty_text_stays_empty(empty):
    assert normalise_tones(empty) == empty


def test_old_style_spellings_lists_what_it_finds():
    assert old_style_spellings("hoá đơn, Uỷ ban, quý, hoàn") == ["oá", "Uỷ"]
    assert old_style_spellings("hóa đơn, Ủy ban") == []


# --- percentages -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("97.9"), "97,9 %"),
        (Decimal("12.5"), "12,5 %"),
        (33, "33 %"),
        (100, "100 %"),
        (Decimal("0"), "0 %"),
        (Decimal("1210.5"), "1.210,5 %"),
    ],
)
def test_a_percentage_has_a_space_before_its_sign(value, text):
    assert i18n.format_percent(value) == text


@pytest.mark.parametrize("empty", [None, ""])
def test_no_percentage_without_a_figure(empty):
    assert i18n.format_percent(empty) == ""


def test_a_figure_takes_the_sign_only_in_percent():
    assert i18n.format_figure(Decimal("97.9"), "%") == "97,9 %"
    assert i18n.format_figure(1210, "trẻ em") == "1.210"
    assert i18n.format_figure(3) == "3"


# --- the scans -------------------------------------------------------------------------------------


def _templates() -> list[Path]:
    found = list((ROOT / "intranet" / "templates").rglob("*.jinja2"))
    found += (ROOT / "plugins").glob("*/templates/**/*.jinja2")
    return sorted(found)


def _python() -> list[Path]:
    found = list((ROOT / "intranet").rglob("*.py")) + list((ROOT / "plugins").rglob("*.py"))
    return sorted(p for p in found if p != SPELLING_MODULE)


def _data_files() -> list[Path]:
    found = []
    for top in (ROOT / "intranet", ROOT / "plugins"):
        for ext in ("*.yaml", "*.yml", "*.json"):
            found += top.rglob(ext)
    return sorted(p for p in found if "static" not in p.parts)


def _msgstr_lines(path: Path):
    """(line number, text) of every msgstr string of a catalogue, continuation lines included."""
    in_msgstr = False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("msgstr"):
            in_msgstr = True
        elif not stripped.startswith('"'):
            in_msgstr = False
        if in_msgstr:
            yield number, line


def _lines(path: Path):
    yield from enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)


def _shown_strings(path: Path):
    """(line number, text) of the string literals of a Python file a reader may see: every string
    but the docstrings, which are for programmers."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docstrings.add(id(body[0].value))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            for offset, line in enumerate(node.value.splitlines() or [""]):
                yield node.lineno + offset, line


def _where(path: Path, number: int, line: str) -> str:
    return f"{path.relative_to(ROOT)}:{number}: {line.strip()[:100]}"


def _old_style(path: Path, lines) -> list[str]:
    return [_where(path, n, line) for n, line in lines if OLD_STYLE.search(unicodedata.normalize("NFC", line))]


def test_the_catalogue_spells_the_new_style():
    bad = _old_style(CATALOGUE, _msgstr_lines(CATALOGUE))
    assert not bad, "Tone on the main vowel (hóa, khỏe, Ủy, túy):\n" + "\n".join(bad)


def test_templates_spell_the_new_style():
    bad = [b for path in _templates() for b in _old_style(path, _lines(path))]
    assert not bad, "Tone on the main vowel (hóa, khỏe, Ủy, túy):\n" + "\n".join(bad)


def test_python_text_spells_the_new_style():
    """Duty lists, forms, seeds, messages: whole files, comments included, so that a text
    copied from a comment into a page is right as well."""
    bad = [b for path in _python() for b in _old_style(path, _lines(path))]
    assert not bad, "Tone on the main vowel (hóa, khỏe, Ủy, túy):\n" + "\n".join(bad)


def test_data_files_spell_the_new_style():
    paths = _data_files()
    assert any(p.name == "qd-06-2019.yaml" for p in paths), "the criteria files are not scanned"
    bad = [b for path in paths for b in _old_style(path, _lines(path))]
    assert not bad, "Tone on the main vowel (hóa, khỏe, Ủy, túy):\n" + "\n".join(bad)


def _glued(path: Path, lines) -> list[str]:
    return [_where(path, n, line) for n, line in lines if GLUED_PERCENT.search(line)]


def test_percentages_have_a_space_before_the_sign():
    bad = _glued(CATALOGUE, _msgstr_lines(CATALOGUE))
    # Style sheets size boxes in percent ("width: 100%"): those are not text.
    bad += [b for path in _templates() if not path.name.endswith(".css.jinja2") for b in _glued(path, _lines(path))]
    bad += [b for path in _python() for b in _glued(path, _shown_strings(path))]
    bad += [b for path in _data_files() for b in _glued(path, _lines(path))]
    assert not bad, "Write a percentage as 12,5 % (a space before %):\n" + "\n".join(bad)


def test_the_scans_see_what_they_look_for(tmp_path):
    """The scans would catch a slip: an old-style word and a glued percentage are found."""
    sample = tmp_path / "sample.py"
    sample.write_text('"""hoá 10% in a docstring."""\nTITLE = "Phòng Văn hoá, 97,9%"\n', encoding="utf-8")
    assert [n for n, _line in _lines(sample) if OLD_STYLE.search(_line)] == [1, 2]
    assert [n for n, line in _shown_strings(sample) if GLUED_PERCENT.search(line)] == [2]
    po = tmp_path / "sample.po"
    po.write_text('msgid "Delete"\nmsgstr "Xoá"\n\nmsgid ""\n"Cancel"\nmsgstr ""\n"Huỷ"\n', encoding="utf-8")
    assert [n for n, line in _msgstr_lines(po) if OLD_STYLE.search(line)] == [2, 7]


# --- text from outside: criteria files ------------------------------------------------------------


def test_an_imported_criteria_file_in_the_old_style_is_shown_in_the_new_one():
    from intranet.assessments.importer import parse_criteria

    data = (
        "key: test-spelling\nversion: 1\ntitle: Bộ tiêu chí văn hoá\n"
        "legal_basis:\n  number: 06/QĐ-TTg\n  issuer: Thủ tướng Chính phủ\n  title: Quyết định về hoà nhập\n"
        "valid_from: 2019\nscoring: pass_fail\nrules: [all_met]\n"
        "criteria:\n  - code: '1'\n    title: Trẻ em vi phạm pháp luật, sử dụng ma tuý\n"
        "    description: Khám sức khoẻ định kỳ; quỹ hỗ trợ\n"
    )
    cset = parse_criteria(data.encode("utf-8"), "test-spelling.yaml")
    assert cset.title == "Bộ tiêu chí văn hóa"
    assert cset.legal_basis.title == "Quyết định về hòa nhập"
    assert cset.criteria[0].title == "Trẻ em vi phạm pháp luật, sử dụng ma túy"
    assert cset.criteria[0].description == "Khám sức khỏe định kỳ; quỹ hỗ trợ"
    assert (cset.key, cset.criteria[0].code) == ("test-spelling", "1")
