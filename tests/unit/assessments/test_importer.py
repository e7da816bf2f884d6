"""Reading a criteria file (intranet/assessments/importer.py): a good YAML or XLSX file gives the
set it describes; a malformed one is refused with every problem at once, each with where it is
(file, line or sheet and row, field) and what to do."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest

from intranet.assessments import importer
from intranet.plugin.criteria import CriteriaSetError, Problem, from_data

DATA = Path(__file__).resolve().parents[2] / "data" / "criteria"

GOOD = """\
key: thu-nghiem
version: 1
title: Bộ tiêu chí thử nghiệm
legal_basis:
  number: 1/QĐ-UBND
  date: 03/01/2019
  issuer: UBND huyện Đăk Tô
valid_from: 2019
scoring: points
rules: [all_met, none_zero, total_threshold]
classes:
  - key: other
    title: Xã khác
    threshold: 150
criteria:
  - code: "1"
    title: Tiêu chí một
    max_points: 100
    prefill: [tre_em_tai_nan_thuong_tich, "tre_em_hcdb_duoc_ho_tro[nu]"]
  - code: "2"
    title: Tiêu chí hai
    max_points: 100
"""


def message(problem: Problem) -> str:
    m = problem.message
    return m.interpolate() if hasattr(m, "interpolate") else str(m)


def refused(data: bytes | str, name: str = "thu.yaml") -> list[tuple]:
    """(line, field, message) of each problem, in the order found."""
    with pytest.raises(CriteriaSetError) as caught:
        importer.parse(data.encode() if isinstance(data, str) else data, name)
    assert all(p.file == name for p in caught.value.problems)
    return [(p.line, p.field, message(p)) for p in caught.value.problems]


def changed(old: str, new: str) -> str:
    assert old in GOOD
    return GOOD.replace(old, new, 1)


# --- a good file ---------------------------------------------------------------------------------


def test_a_good_yaml_file():
    cset = importer.parse(GOOD.encode(), "thu.yaml")
    assert (cset.key, cset.version, cset.title, cset.valid_from, cset.scoring) == (
        "thu-nghiem",
        1,
        "Bộ tiêu chí thử nghiệm",
        2019,
        "points",
    )
    assert cset.legal_basis.number == "1/QĐ-UBND" and cset.legal_basis.date == dt.date(2019, 1, 3)
    assert cset.rules == ("all_met", "none_zero", "total_threshold")
    assert [(c.key, c.threshold) for c in cset.classes] == [("other", 150)]
    assert [(c.code, c.max_points, c.prefill) for c in cset.criteria] == [
        ("1", 100, ("tre_em_tai_nan_thuong_tich", "tre_em_hcdb_duoc_ho_tro[nu]")),
        ("2", 100, ()),
    ]
    # what the database keeps gives the same set back
    assert from_data(cset.as_data()) == cset


def test_a_byte_order_mark_and_an_iso_date_are_read():
    cset = importer.parse(b"\xef\xbb\xbf" + changed("date: 03/01/2019", "date: 2019-01-03").encode(), "bom.yaml")
    assert cset.legal_basis.date == dt.date(2019, 1, 3)


def test_a_pass_fail_set_needs_no_classes_and_no_points():
    text = changed("scoring: points", "scoring: pass_fail").replace(
        "rules: [all_met, none_zero, total_threshold]", "rules: all_met"
    )
    text = text.replace("    max_points: 100\n", "").replace(
        "classes:\n  - key: other\n    title: Xã khác\n    threshold: 150\n", ""
    )
    cset = importer.parse(text.encode(), "dat.yaml")
    assert (cset.scoring, cset.rules, cset.classes, {c.max_points for c in cset.criteria}) == (
        "pass_fail",
        ("all_met",),
        (),
        {None},
    )


def test_the_shipped_test_files_are_good():
    for name in ("test-points.yaml", "test-toolkit-2014.yaml"):
        assert importer.parse((DATA / name).read_bytes(), name).criteria


# --- a malformed YAML file: every problem, with its line and field --------------------------------

ALLOWED = "classes, criteria, key, legal_basis, note, rules, scoring, title, title_en, valid_from, version"
RULES = "all_met, none_zero, total_threshold"


@pytest.mark.parametrize(
    "text, problems",
    [
        pytest.param(
            changed("key: thu-nghiem", "key: Thu Nghiem"),
            [(1, "key", "Use only lower-case letters a-z, digits, “.”, “_” and “-”.")],
            id="key",
        ),
        pytest.param(
            changed("title: Bộ tiêu chí thử nghiệm\n", ""),
            [(1, "title", "This field is required.")],
            id="missing-title",
        ),
        pytest.param(
            changed("title: Bộ tiêu chí thử nghiệm", "title: [a, b]"),
            [(3, "title", "Write a text here, not a list.")],
            id="title-list",
        ),
        pytest.param(
            changed("title: Bộ tiêu chí thử nghiệm", "title: " + "x" * 301),
            [(3, "title", "At most 300 characters.")],
            id="title-long",
        ),
        pytest.param(changed("version: 1", "version: một"), [(2, "version", "Write a whole number.")], id="version"),
        pytest.param(
            changed("version: 1", "version: yes"), [(2, "version", "Write a whole number.")], id="version-bool"
        ),
        pytest.param(
            changed("version: 1", "version: 0"),
            [(2, "version", "Write a whole number between 1 and 10000.")],
            id="version-0",
        ),
        pytest.param(
            changed("valid_from: 2019", "valid_from: 1989"),
            [(8, "valid_from", "Write a whole number between 1990 and 2100.")],
            id="valid-from",
        ),
        pytest.param(
            changed("scoring: points", "scoring: diem"),
            [(9, "scoring", "Write “points” or “pass_fail”.")],
            id="scoring",
        ),
        pytest.param(
            changed("[all_met, none_zero, total_threshold]", "[all_met, majority]"),
            [(10, "rules", f"Unknown recognition rule “majority”; the rules are: {RULES}.")],
            id="unknown-rule",
        ),
        pytest.param(
            changed("[all_met, none_zero, total_threshold]", "[]"),
            [(10, "rules", f"Name at least one recognition rule: {RULES}.")],
            id="no-rule",
        ),
        pytest.param(
            changed("    max_points: 100\n    prefill", "    prefill")
            .replace("    max_points: 100\n", "")
            .replace("scoring: points", "scoring: pass_fail"),
            [
                (10, "rules", "The rule “none_zero” needs scoring: points."),
                (10, "rules", "The rule “total_threshold” needs scoring: points."),
            ],
            id="rules-need-points",
        ),
        pytest.param(
            GOOD + "colour: red\n",
            [(23, "colour", f"Unknown field; the allowed fields are: {ALLOWED}.")],
            id="unknown-field",
        ),
        pytest.param(
            changed("legal_basis:\n  number: 1/QĐ-UBND\n  date: 03/01/2019\n  issuer: UBND huyện Đăk Tô\n", ""),
            [(1, "legal_basis", "This field is required: the number, date and issuer of the document.")],
            id="no-legal-basis",
        ),
        pytest.param(
            changed("date: 03/01/2019", "date: 31/02/2019"),
            [(6, "legal_basis.date", "Write the date as DD/MM/YYYY or YYYY-MM-DD.")],
            id="legal-date",
        ),
        pytest.param(
            changed("  number: 1/QĐ-UBND\n", "  so: 1/QĐ-UBND\n"),
            [
                (5, "legal_basis.so", "Unknown field; the allowed fields are: date, issuer, number, title."),
                # a field left out is placed on its block's first line
                (5, "legal_basis.number", "This field is required."),
            ],
            id="legal-number",
        ),
        pytest.param(
            changed("  - key: other", "  - key: Loai 1"),
            [(12, "classes.key", "Use only lower-case letters a-z, digits and “_”, starting with a letter.")],
            id="class-key",
        ),
        pytest.param(
            changed("    threshold: 150\n", "    threshold: 150\n  - key: other\n    title: Lặp\n    threshold: 100\n"),
            [(15, "classes.key", "The commune class “other” is listed twice.")],
            id="class-twice",
        ),
        pytest.param(
            changed("    threshold: 150\n", ""),
            [(12, "classes.threshold", "This field is required.")],
            id="no-threshold",
        ),
        pytest.param(
            changed("threshold: 150", "threshold: 250"),
            [(14, "classes.threshold", "The threshold 250 is more than the 200 points the criteria can give.")],
            id="threshold-unreachable",
        ),
        pytest.param(
            changed("classes:\n  - key: other\n    title: Xã khác\n    threshold: 150\n", ""),
            [(1, "classes", "The rule total_threshold needs at least one commune class with its threshold.")],
            id="no-class",
        ),
        pytest.param(
            changed("classes:\n  - key: other\n    title: Xã khác\n    threshold: 150\n", "classes: other\n"),
            [
                (11, "classes", "Write a list of commune classes."),
                (11, "classes", "The rule total_threshold needs at least one commune class with its threshold."),
            ],
            id="classes-not-a-list",
        ),
        pytest.param(
            GOOD[: GOOD.index("criteria:")] + "criteria: []\n",
            [(15, "criteria", "List at least one criterion.")],
            id="no-criterion",
        ),
        pytest.param(
            changed('  - code: "2"', '  - code: "1"'),
            [(20, "criteria.code", "The criterion code “1” is used twice.")],
            id="code-twice",
        ),
        pytest.param(
            changed("    max_points: 100\n    prefill", "    max_points: nhiều\n    prefill"),
            [(18, "criteria.max_points", "Write a whole number.")],
            id="max-points",
        ),
        pytest.param(
            changed("[tre_em_tai_nan_thuong_tich,", "[khong co ma nay,"),
            [(19, "criteria.prefill", "“khong co ma nay” is not a report figure code (code or code[option]).")],
            id="prefill",
        ),
        pytest.param(
            changed('  - code: "2"\n    title: Tiêu chí hai\n    max_points: 100\n', "  - Tiêu chí hai\n"),
            [
                (15, "criteria", "Each criterion has a code and a title."),
                # one criterion of 100 points is left: the class's 150 cannot be reached
                (14, "classes.threshold", "The threshold 150 is more than the 100 points the criteria can give."),
            ],
            id="criterion-not-a-mapping",
        ),
        pytest.param(
            "- key\n- title\n",
            [(None, None, "The file does not describe a criteria set (expected fields such as key, title, criteria).")],
            id="not-a-set",
        ),
    ],
)
def test_a_malformed_yaml_file_names_line_and_field(text, problems):
    assert refused(text) == problems


def test_every_problem_of_a_file_is_listed_at_once():
    found = refused((DATA / "malformed.yaml").read_bytes(), "malformed.yaml")
    assert found == [
        (9, "colour", f"Unknown field; the allowed fields are: {ALLOWED}."),
        (2, "key", "Use only lower-case letters a-z, digits, “.”, “_” and “-”."),
        (2, "title", "This field is required."),
        (7, "scoring", "Write “points” or “pass_fail”."),
        (8, "rules", f"Unknown recognition rule “majority”; the rules are: {RULES}."),
        (13, "criteria.max_points", "Write a whole number."),
        (14, "criteria.code", "The criterion code “1” is used twice."),
        (16, "criteria.prefill", "“khong co ma nay” is not a report figure code (code or code[option])."),
    ]


def test_a_yaml_syntax_error_names_its_line():
    [(line, field, text)] = refused((DATA / "broken-syntax.yaml").read_bytes(), "broken-syntax.yaml")
    assert line is not None and line >= 3 and field is None
    assert text.startswith("This is not valid YAML: ")


@pytest.mark.parametrize(
    "data, text",
    [
        (b"", "The file is empty."),
        (b"x" * (importer.MAX_BYTES + 1), "The file is larger than 1 MB."),
        (b"key: x\n" + b"#" * importer.MAX_YAML_BYTES, "A YAML file is at most 256 KB; this one is larger."),
        ("key: thử".encode("utf-16"), "The file is neither an Excel (XLSX) file nor UTF-8 text (YAML)."),
        (b"PK\x03\x04 not a workbook", "The Excel file cannot be read."),
        (b"key: x\nversion: " + b"9" * 5000 + b"\n", "The number is too large."),
    ],
    ids=["empty", "over-1-mb", "long-yaml", "utf-16", "broken-xlsx", "huge-number"],
)
def test_a_file_that_cannot_be_read_says_why(data, text):
    assert refused(data) == [(None, None, text)]


def test_the_file_name_is_only_its_last_part():
    with pytest.raises(CriteriaSetError) as caught:
        importer.parse(b"", "C:\\Users\\lan\\bo-tieu-chi.yaml")
    assert caught.value.problems[0].file == "bo-tieu-chi.yaml"
    assert str(caught.value) == "File bo-tieu-chi.yaml: The file is empty."


# --- XLSX: sheet, row and field -------------------------------------------------------------------

SET_ROWS = [
    ("key", "thu-excel"),
    ("version", 1),
    ("title", "Bộ tiêu chí thử từ Excel"),
    ("legal_number", "1/QĐ-UBND"),
    ("legal_date", "03/01/2019"),
    ("valid_from", 2019),
    ("scoring", "points"),
    ("rules", "all_met, total_threshold"),
]
CLASSES = [("key", "title", "threshold"), ("other", "Xã khác", 150)]
CRITERIA = [
    ("code", "title", "max_points", "prefill"),
    (1, "Tiêu chí một", 100, "tre_em"),
    (2, "Tiêu chí hai", 100, None),
]


def workbook(set_rows=SET_ROWS, criteria=CRITERIA, classes=CLASSES) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "set"
    for row in set_rows:
        ws.append(list(row))
    for name, rows in (("criteria", criteria), ("classes", classes)):
        if rows is not None:
            sheet = wb.create_sheet(name)
            for row in rows:
                sheet.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def refused_xlsx(data: bytes) -> list[tuple]:
    with pytest.raises(CriteriaSetError) as caught:
        importer.parse(data, "thu.xlsx")
    return [(p.sheet, p.row, p.field, message(p)) for p in caught.value.problems]


def test_a_good_workbook():
    cset = importer.parse(workbook(), "thu.xlsx")
    assert (cset.key, cset.version, cset.legal_basis.date, cset.rules) == (
        "thu-excel",
        1,
        dt.date(2019, 1, 3),
        ("all_met", "total_threshold"),
    )
    # a code typed as a number in the sheet is the text "1"
    assert [(c.code, c.max_points, c.prefill) for c in cset.criteria] == [("1", 100, ("tre_em",)), ("2", 100, ())]
    assert [(c.key, c.threshold) for c in cset.classes] == [("other", 150)]


@pytest.mark.parametrize(
    "kw, problems",
    [
        pytest.param({"criteria": None}, [("criteria", None, None, "The sheet is missing.")], id="no-criteria-sheet"),
        pytest.param(
            {"set_rows": SET_ROWS + [("colour", "red")]},
            [
                (
                    "set",
                    9,
                    "colour",
                    "Unknown field; the allowed fields are: " + ", ".join(sorted(importer.SET_ROWS)) + ".",
                )
            ],
            id="unknown-set-field",
        ),
        pytest.param(
            {"criteria": [("code", "title", "points")] + [r[:3] for r in CRITERIA[1:]]},
            [
                (
                    "criteria",
                    1,
                    "points",
                    "Unknown column; the allowed columns are: code, description, max_points, prefill, title, title_en.",
                )
            ],
            id="unknown-column",
        ),
        pytest.param(
            {"set_rows": [r if r[0] != "version" else ("version", "một") for r in SET_ROWS]},
            [("set", 2, "version", "Write a whole number.")],
            id="bad-version",
        ),
        pytest.param(
            {"criteria": CRITERIA[:2] + [(2, None, 100, None)]},
            [("criteria", 3, "criteria.title", "This field is required.")],
            id="no-title",
        ),
        pytest.param(
            {"classes": [CLASSES[0], ("other", "Xã khác", 250)]},
            [
                (
                    "classes",
                    2,
                    "classes.threshold",
                    "The threshold 250 is more than the 200 points the criteria can give.",
                )
            ],
            id="threshold-unreachable",
        ),
        pytest.param(
            {"classes": None},
            [("set", None, "classes", "The rule total_threshold needs at least one commune class with its threshold.")],
            id="no-classes-sheet",
        ),
    ],
)
def test_a_malformed_workbook_names_sheet_row_and_field(kw, problems):
    assert refused_xlsx(workbook(**kw)) == problems


# --- how a problem says where it is ---------------------------------------------------------------


@pytest.mark.parametrize(
    "where, text",
    [
        (
            {"sheet": "criteria", "row": 3, "field": "criteria.title"},
            "File t.xlsx, sheet “criteria”, row 3, field “criteria.title”",
        ),
        ({"sheet": "criteria", "row": 3}, "File t.xlsx, sheet “criteria”, row 3"),
        ({"sheet": "set"}, "File t.xlsx, sheet “set”"),
        ({"line": 9, "field": "scoring"}, "File t.xlsx, line 9, field “scoring”"),
        ({"line": 9}, "File t.xlsx, line 9"),
        ({"field": "key"}, "File t.xlsx, field “key”"),
        ({}, "File t.xlsx"),
    ],
)
def test_where_a_problem_is(where, text):
    problem = Problem(file="t.xlsx", message="Sai.", **where)
    assert problem.where.interpolate() == text
    assert str(problem) == f"{text}: Sai."
