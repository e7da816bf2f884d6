"""A hostile criteria file is answered with the importer's usual list of problems, at once and in
a fraction of a second: a spreadsheet declaring A1:XFD100000, more rows than a set can need, a
workbook that inflates past its bound, YAML nested 10,000 deep, 60,000 aliases, and shared
aliases that expand exponentially (billion laughs). The import page's answer to them, storing
nothing: tests/functional/test_criteria_import_page.py."""

from __future__ import annotations

import pytest

from intranet.assessments import importer
from intranet.plugin.criteria import CriteriaSetError
from tests.fixtures.criteria_files import laughs, many_aliases, nested_yaml, workbook


def problems(data: bytes, name: str) -> list[str]:
    with pytest.raises(CriteriaSetError) as exc:
        importer.parse(data, name)
    return [p.message.interpolate() for p in exc.value.problems]


def test_a_declared_dimension_is_not_trusted():
    cset = importer.parse(workbook(3, dimension="A1:XFD100000"), "kich-thuoc.xlsx")
    assert [c.code for c in cset.criteria] == ["1", "2", "3"]


def test_a_sheet_with_too_many_rows_is_refused():
    found = problems(workbook(10_000, dimension="A1:XFD100000"), "muoi-nghin.xlsx")
    assert found == [f"The sheet has more than {importer.MAX_ROWS} rows; a criteria set needs far fewer."]


def test_a_workbook_that_inflates_past_its_bound_is_refused():
    found = problems(workbook(3, extra={"xl/media/a.bin": 3 * 1024 * 1024}), "phong-to.xlsx")
    assert found == ["The Excel file is too large once unpacked (more than 2 MB) for a criteria set."]


def test_deeply_nested_yaml_is_refused():
    with pytest.raises(CriteriaSetError) as exc:
        importer.parse(nested_yaml(10_000), "sau.yaml")
    [problem] = exc.value.problems
    assert problem.line == 2
    assert problem.message.interpolate() == "The file nests lists and fields more than 20 levels deep."


def test_deeply_nested_block_yaml_is_refused():
    found = problems(b"key: sau\ncriteria:\n  " + b"- " * 30 + b"x\n", "khoi.yaml")
    assert found == ["The file nests lists and fields more than 20 levels deep."]


def test_nesting_just_within_the_bound_is_read():
    # 17 levels of lists under criteria: refused for what it says, not for its depth.
    found = problems(nested_yaml(17), "vua-du.yaml")
    assert "The file nests lists and fields more than 20 levels deep." not in found


def test_sixty_thousand_aliases_are_refused():
    assert problems(many_aliases(60_000), "bi-danh.yaml") == ["The file uses more than 100 aliases (*name)."]


def test_aliases_that_expand_exponentially_are_refused():
    # Six levels, 60 aliases, a million values once expanded.
    found = problems(laughs(6), "cuoi.yaml")
    assert found == [f"The file is too large: more than {importer.MAX_NODES} values once its aliases are expanded."]


def test_an_alias_inside_its_own_block_is_refused():
    found = problems(b"key: vong\ncriteria: &c [a, *c]\n", "vong.yaml")
    assert found == ["An alias (*name) refers to the block that contains it."]


def test_a_few_aliases_are_still_read():
    text = (
        b"key: chung\nversion: 1\ntitle: Bo tieu chi\nlegal_basis: {number: 1/QD}\nvalid_from: 2019\n"
        b"scoring: pass_fail\nrules: [all_met]\n"
        b"criteria:\n  - &c {code: '1', title: Tieu chi 1}\n  - {code: '2', title: Tieu chi 2}\n"
    )
    assert [c.code for c in importer.parse(text, "chung.yaml").criteria] == ["1", "2"]
