"""What a unit types into a report: each cell read by its value type, the element's bounds, the
narratives' limits, and the checks that block submitting (compulsory figures and parts, and the
form's cross-field rules), keyed by the page's field names."""

from __future__ import annotations

from decimal import Decimal

import pytest

from intranet import numbers
from intranet.plugin import DataElement, Disaggregation, Narrative, Option, ReportForm, Rule, Section
from intranet.reports.services import (
    MAX_LINES,
    MAX_TEXT,
    Entry,
    check_for_submission,
    display_raw,
    field_name,
    parse_value,
    read_entry,
    read_values,
    rule_field,
)

SEX = Disaggregation("sex", "Giới tính", "Sex", (Option("nam", "Nam", "Male"), Option("nu", "Nữ", "Female")))
CHILDREN = DataElement("tre_em", "Số trẻ em", "Children", disaggregation=SEX, compulsory=True)
SUPPORTED = DataElement("tre_em_duoc_ho_tro", "Được hỗ trợ", "Supported", disaggregation=SEX)
SESSIONS = DataElement("so_buoi", "Số buổi", "Sessions", minimum=1, maximum=50)
FUNDS = DataElement("kinh_phi", "Kinh phí", "Funds", value_type="money")
RATE = DataElement("ty_le", "Tỷ lệ", "Rate", value_type="percentage")
CHANGE = DataElement("thay_doi", "Thay đổi", "Change", value_type="integer")
WORKS = DataElement("hoat_dong", "Hoạt động", "Works", value_type="yesno")
NOTE = DataElement("ghi_chu", "Ghi chú", "Note", value_type="text")
RESULTS = Narrative("ket_qua", "Kết quả", "Results", compulsory=True)
PROPOSALS = Narrative("de_xuat", "Đề xuất", "Proposals")

SUPPORTED_AT_MOST_CHILDREN = Rule(
    "tre_em_duoc_ho_tro", "<=", "tre_em", "Không vượt quá số trẻ em.", "At most the number of children."
)
GIRLS_SUPPORTED = Rule(
    "tre_em_duoc_ho_tro[nu]", "<=", "tre_em[nu]", "Không vượt quá số trẻ em nữ.", "At most the number of girls."
)
FORM = ReportForm(
    key="thu.bao-cao",
    title="Báo cáo thử",
    title_en="Test report",
    space_kind="thu",
    sections=(
        Section("so-lieu", "Số liệu", "Figures", elements=(CHILDREN, SUPPORTED, SESSIONS, FUNDS, RATE, CHANGE)),
        Section("khac", "Khác", "Other", elements=(WORKS, NOTE), narratives=(RESULTS, PROPOSALS)),
    ),
    rules=(SUPPORTED_AT_MOST_CHILDREN, GIRLS_SUPPORTED),
)


def text_of(message) -> str:
    return message.interpolate() if hasattr(message, "interpolate") else str(message)


# --- one cell ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "element, raw, value",
    [
        (SESSIONS, "", None),
        (SESSIONS, "   ", None),
        (SESSIONS, "7", Decimal(7)),
        (SESSIONS, " 1.210 ", Decimal(1210)),
        (FUNDS, "1.500.000", Decimal(1_500_000)),
        (RATE, "12,5", Decimal("12.5")),
        (RATE, "12,5 %", Decimal("12.5")),
        (CHANGE, "-3", Decimal(-3)),
        (WORKS, "1", Decimal(1)),
        (WORKS, "0", Decimal(0)),
        (NOTE, "  Không có  ", "Không có"),
    ],
)
def test_a_cell_is_read_by_its_value_type(element, raw, value):
    assert parse_value(element, raw) == (value, None)


MONEY = "Enter an amount in đồng, digits only, e.g. 1.500.000."


@pytest.mark.parametrize(
    "element, raw, message",
    [
        (SESSIONS, "-3", "Enter a whole number (0 or more)."),
        (SESSIONS, "12,5", numbers.MSG_WHOLE),
        (SESSIONS, "1,210", numbers.MSG_WHOLE),
        (SESSIONS, "12.5", numbers.MSG_AMBIGUOUS),
        (SESSIONS, "١٢", numbers.MSG_DIGITS),
        (SESSIONS, "12\x00", "Enter a whole number (0 or more)."),
        (SESSIONS, "9" * 16, numbers.MSG_TOO_LARGE),
        (SESSIONS, "1" + "0" * 15, numbers.MSG_TOO_LARGE),  # beyond what a report cell keeps
        (CHANGE, "-1" + "0" * 15, numbers.MSG_TOO_LARGE),  # far below zero is "too large" too
        (FUNDS, "mười triệu", MONEY),
        (FUNDS, "-500.000", MONEY),
        (FUNDS, "1,5", numbers.MSG_WHOLE),
        (RATE, "100,5", numbers.MSG_PERCENT_RANGE),
        (RATE, "mười", numbers.MSG_PERCENT),
        (RATE, "12.5", numbers.MSG_AMBIGUOUS),
        (WORKS, "2", "Choose yes or no."),
        (WORKS, "có", "Choose yes or no."),
        (NOTE, "x" * (MAX_TEXT + 1), f"At most {MAX_TEXT} characters."),
    ],
)
def test_a_cell_that_is_not_its_type_says_why(element, raw, message):
    value, error = parse_value(element, raw)
    assert value is None
    assert text_of(error) == message


def test_text_up_to_the_limit_is_kept():
    assert parse_value(NOTE, "x" * MAX_TEXT) == ("x" * MAX_TEXT, None)


# --- the whole form ------------------------------------------------------------------------------


def cells(**typed) -> dict[tuple[str, str], str]:
    """cells(tre_em__nu="3", so_buoi="2") -> {("tre_em", "nu"): "3", ("so_buoi", ""): "2"}"""
    return {tuple(name.split("__")) if "__" in name else (name, ""): raw for name, raw in typed.items()}


def test_values_are_keyed_by_element_and_option_and_errors_by_field_name():
    entry = read_values(FORM, cells(tre_em__nam="3", tre_em__nu="4", so_buoi="abc", kinh_phi=""), {})
    assert entry.values == {("tre_em", "nam"): Decimal(3), ("tre_em", "nu"): Decimal(4)}
    assert list(entry.errors) == ["v.so_buoi"]
    # what was typed is kept, for the form shown again
    assert entry.raw["v.so_buoi"] == "abc" and entry.raw["v.tre_em.nu"] == "4" and entry.raw["v.kinh_phi"] == ""


@pytest.mark.parametrize(
    "raw, error",
    [("0", "The smallest allowed value is 1."), ("51", "The largest allowed value is 50."), ("1", None), ("50", None)],
)
def test_the_elements_bounds(raw, error):
    entry = read_values(FORM, cells(so_buoi=raw), {})
    assert text_of(entry.errors["v.so_buoi"]) == error if error else "v.so_buoi" not in entry.errors
    assert (("so_buoi", "") in entry.values) is (error is None)


def test_narratives_are_trimmed_and_bounded():
    entry = read_values(
        FORM,
        {},
        {"ket_qua": "  Đã triển khai.  ", "de_xuat": "x" * (MAX_TEXT * 2 + 1)},
    )
    assert entry.narratives["ket_qua"] == "Đã triển khai."
    assert text_of(entry.errors["n.de_xuat"]) == f"At most {MAX_TEXT * 2} characters."
    lines = read_values(FORM, {}, {"de_xuat": "dòng\n" * MAX_LINES + "cuối"})
    assert text_of(lines.errors["n.de_xuat"]) == f"At most {MAX_LINES} lines."
    fewer = read_values(FORM, {}, {"de_xuat": "dòng\n" * (MAX_LINES - 1) + "cuối"})
    assert "n.de_xuat" not in fewer.errors


def test_the_page_and_the_api_read_alike():
    post = {"v.tre_em.nam": "1.210", "v.so_buoi": "12", "n.ket_qua": "Tốt", "v.khong_co": "5"}
    by_page = read_entry(FORM, post)
    by_api = read_values(FORM, cells(tre_em__nam="1.210", so_buoi="12"), {"ket_qua": "Tốt"})
    assert by_page.values == by_api.values == {("tre_em", "nam"): Decimal(1210), ("so_buoi", ""): Decimal(12)}
    assert by_page.narratives == by_api.narratives
    # a field the form does not have is not read
    assert "v.khong_co" not in by_page.raw


def test_totals_and_cells_as_rules_name_them():
    entry = Entry(values={("tre_em", "nam"): Decimal(3), ("tre_em", "nu"): Decimal(4), ("ghi_chu", ""): "7"})
    assert entry.cell("tre_em") == entry.total("tre_em") == Decimal(7)
    assert entry.cell("tre_em[nu]") == Decimal(4)
    assert entry.cell("tre_em[khac]") is None
    assert entry.cell("tre_em_duoc_ho_tro") is None  # nothing typed: no total, not 0
    assert entry.cell("ghi_chu") is None  # a text is no figure


# --- what blocks submitting ----------------------------------------------------------------------


def submitted(typed: dict, texts: dict | None = None, *, english: bool = False) -> dict[str, str]:
    entry = read_values(FORM, cells(**typed), {"ket_qua": "Đã triển khai.", **(texts or {})})
    check_for_submission(FORM, entry, english=english)
    return {name: text_of(message) for name, message in entry.errors.items()}


def test_compulsory_figures_and_parts_are_required_cell_by_cell():
    errors = submitted({"tre_em__nam": "3"}, {"ket_qua": "  "})
    assert errors == {
        "v.tre_em.nu": "This figure is required before the report can be submitted.",
        "n.ket_qua": "This part is required before the report can be submitted.",
    }
    assert submitted({"tre_em__nam": "3", "tre_em__nu": "0"}) == {}


def test_a_typing_error_is_not_hidden_by_the_required_message():
    errors = submitted({"tre_em__nam": "3", "tre_em__nu": "ba"})
    assert errors == {"v.tre_em.nu": "Enter a whole number (0 or more)."}


@pytest.mark.parametrize(
    "typed, errors",
    [
        # totals: 5 supported of 7 children holds; 8 of 7 is shown beside the first cell of the left side
        ({"tre_em_duoc_ho_tro__nam": "2", "tre_em_duoc_ho_tro__nu": "3"}, {}),
        (
            {"tre_em_duoc_ho_tro__nam": "5", "tre_em_duoc_ho_tro__nu": "3"},
            {"v.tre_em_duoc_ho_tro.nam": "Không vượt quá số trẻ em."},
        ),
        # both broken: each message beside its own field
        (
            {"tre_em_duoc_ho_tro__nam": "3", "tre_em_duoc_ho_tro__nu": "5"},
            {
                "v.tre_em_duoc_ho_tro.nam": "Không vượt quá số trẻ em.",
                "v.tre_em_duoc_ho_tro.nu": "Không vượt quá số trẻ em nữ.",
            },
        ),
        # one cell: 5 girls supported of 4, though 5 of 7 children in all
        ({"tre_em_duoc_ho_tro__nu": "5"}, {"v.tre_em_duoc_ho_tro.nu": "Không vượt quá số trẻ em nữ."}),
        # equal is allowed by "<="
        ({"tre_em_duoc_ho_tro__nam": "3", "tre_em_duoc_ho_tro__nu": "4"}, {}),
    ],
)
def test_rules_compare_totals_or_cells(typed, errors):
    assert submitted({"tre_em__nam": "3", "tre_em__nu": "4", **typed}) == errors


def test_a_rule_with_an_empty_side_is_not_checked():
    # nothing typed for the children: only the required messages, no rule message
    errors = submitted({"tre_em_duoc_ho_tro__nam": "9"})
    assert set(errors) == {"v.tre_em.nam", "v.tre_em.nu"}
    assert "Không vượt quá" not in " ".join(errors.values())


def test_rule_messages_in_english():
    errors = submitted({"tre_em__nam": "1", "tre_em__nu": "1", "tre_em_duoc_ho_tro__nu": "2"}, english=True)
    assert errors == {"v.tre_em_duoc_ho_tro.nu": "At most the number of girls."}


@pytest.mark.parametrize(
    "op, holds",
    [
        ("<=", [True, True, False]),
        ("<", [True, False, False]),
        (">=", [False, True, True]),
        (">", [False, False, True]),
        ("==", [False, True, False]),
    ],
)
def test_each_operator(op, holds):
    form = ReportForm(
        key="thu.so-sanh",
        title="So sánh",
        title_en="Compare",
        space_kind="thu",
        sections=(Section("s", "S", "S", elements=(SESSIONS, DataElement("so_lop", "Số lớp", "Classes"))),),
        rules=(Rule("so_buoi", op, "so_lop", "Sai.", "Wrong."),),
    )
    for sessions, expected in zip(("4", "5", "6"), holds, strict=True):
        entry = read_values(form, cells(so_buoi=sessions, so_lop="5"), {})
        check_for_submission(form, entry)
        assert ("v.so_buoi" not in entry.errors) is expected, (op, sessions)


def test_a_rules_message_goes_beside_its_left_side():
    assert (
        rule_field(FORM, "tre_em_duoc_ho_tro") == field_name("tre_em_duoc_ho_tro", "nam") == "v.tre_em_duoc_ho_tro.nam"
    )
    assert rule_field(FORM, "tre_em_duoc_ho_tro[nu]") == "v.tre_em_duoc_ho_tro.nu"
    assert rule_field(FORM, "so_buoi") == "v.so_buoi"


@pytest.mark.parametrize(
    "element, value, raw",
    [
        (SESSIONS, None, ""),
        (SESSIONS, Decimal("1210.00"), "1.210"),
        (RATE, Decimal("12.50"), "12,5"),
        (RATE, Decimal("100.00"), "100"),
        (NOTE, "Không có", "Không có"),
    ],
)
def test_a_saved_value_is_shown_as_it_reads_back(element, value, raw):
    assert display_raw(element, value) == raw
    if value is not None:
        assert parse_value(element, raw) == (Decimal(value) if element.numeric else value, None)
