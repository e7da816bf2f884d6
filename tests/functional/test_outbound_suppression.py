"""Counts of children leaving the district (issue 11, section 5): the provincial viewer's and the
administrator's pages, the API and every export show a count from 1 to 4 as "< 5", and hide as
many others as it takes that no shown total gives one away; the coordinator's pages and a unit's
own report stay exact.

The half-year 2018 below: children injured (a figure of the child register's indicators), by sex,
in three communes' accepted reports —

    ============  ====  ====  =====
    commune       boys  girls total
    ============  ====  ====  =====
    Tân Cảnh         3    10     13
    Kon Đào         12     7     19
    TT Đăk Tô       20     9     29
    district        35    26     61
    ============  ====  ====  =====

Tân Cảnh's 3 boys are hidden; the boys' row then has one hidden count under a shown total (35):
Kon Đào's 12 goes with it; then Tân Cảnh's girls (its own total, 13, is on its report page) and
Kon Đào's girls (19). Tân Cảnh also reports 2 boys breaking the law: the district's count, 2.
"""

from __future__ import annotations

import csv
import io
import itertools
import re

import pytest
from openpyxl import load_workbook

from intranet.cases.figures import HIDDEN, child_count_elements, suppress, suppress_cells
from intranet.reports import outbound
from tests.functional.test_api import bearer, report_of  # noqa: F401 (a fixture)
from tests.functional.test_exports import pdf_text, rows_by_label
from tests.functional.test_reports import file_report, period_2018, xa_form  # noqa: F401 (a fixture)

INJURED = "tre_em_tai_nan_thuong_tich"
LAW = "tre_em_vi_pham_phap_luat"
PERIOD = "2018-6t"
ESCAPED = "&lt; 5"
NOTE_EN = "Counts of children from 1 to 4 are shown as “< 5”"


@pytest.fixture
def injured_2018(app, dbsession, period_2018):  # noqa: F811
    file_report(dbsession, app, "tan-canh", period_2018, {(INJURED, "nam"): 3, (INJURED, "nu"): 10, (LAW, "nam"): 2})
    file_report(dbsession, app, "kon-dao", period_2018, {(INJURED, "nam"): 12, (INJURED, "nu"): 7})
    file_report(dbsession, app, "tt-dak-to", period_2018, {(INJURED, "nam"): 20, (INJURED, "nu"): 9})
    return period_2018


# --- the rule, as data -------------------------------------------------------------------------------


def table(rows: dict) -> tuple[dict, list]:
    """A two-way table with its margins as suppress_cells reads it: rows × columns, each row's
    total ("T"), each column's total, the grand total."""
    cols = sorted({c for r in rows.values() for c in r})
    cells = {(r, c): v for r, line in rows.items() for c, v in line.items()}
    for r in rows:
        cells[(r, "T")] = sum(rows[r].values())
    for c in cols:
        cells[("T", c)] = sum(rows[r][c] for r in rows)
    cells[("T", "T")] = sum(cells[(r, "T")] for r in rows)
    lines = [([(r, c) for c in cols], (r, "T")) for r in rows]
    lines += [([(r, c) for r in rows], ("T", c)) for c in cols]
    lines += [([(r, "T") for r in rows], ("T", "T")), ([("T", c) for c in cols], ("T", "T"))]
    return cells, lines


def assert_protected(cells, lines, shown):
    for key, value in cells.items():
        if 0 < value < 5:
            assert shown[key] == HIDDEN, key
    for parts, total in lines:
        if shown[total] != HIDDEN:
            assert sum(1 for p in parts if shown[p] == HIDDEN) != 1, (parts, total)


@pytest.mark.parametrize(
    "rows",
    [
        {"nam": {"a": 3, "b": 12, "c": 20}, "nu": {"a": 10, "b": 7, "c": 9}},
        {"x": {"a": 1, "b": 0, "c": 0}, "y": {"a": 0, "b": 30, "c": 6}, "z": {"a": 8, "b": 2, "c": 0}},
        {"x": {"a": 4, "b": 4}, "y": {"a": 4, "b": 4}},
        {"x": {"a": 0, "b": 7, "c": 2, "d": 50}, "y": {"a": 9, "b": 0, "c": 11, "d": 6}},
    ],
)
def test_a_table_keeps_no_line_with_a_single_hidden_count(rows):
    cells, lines = table(rows)
    shown = suppress_cells(cells, lines).cells
    assert_protected(cells, lines, shown)
    assert all(shown[k] == v for k, v in cells.items() if shown[k] != HIDDEN)


def test_the_worked_example_of_this_module():
    cells, lines = table({"nam": {"tc": 3, "kd": 12, "tt": 20}, "nu": {"tc": 10, "kd": 7, "tt": 9}})
    shown = suppress_cells(cells, lines)
    hidden = {k for k, v in shown.cells.items() if v == HIDDEN}
    assert hidden == {("nam", "tc"), ("nam", "kd"), ("nu", "tc"), ("nu", "kd")}
    assert shown.secondary == {("nam", "kd"), ("nu", "tc"), ("nu", "kd")}
    assert shown.cells[("T", "T")] == 61


def test_one_line_is_the_same_rule():
    cells = {"a": 3, "b": 9, "c": 7, "d": 0}
    one = suppress(cells)
    table_ = suppress_cells({**cells, "t": 19}, [(tuple(cells), "t")])
    assert one.cells == {k: table_.cells[k] for k in cells} and one.secondary == table_.secondary


def test_the_figures_that_count_children():
    codes = child_count_elements()
    # Every figure the register's indicators name, and the other counts of the groups of Article 10.
    assert {INJURED, LAW, "tre_em_hcdb", "tre_em_nguy_co_duoc_can_thiep", "xa_tre_em_hcdb_theo_nhom"} <= codes
    assert {"congan_so_nan_nhan", "ldtbxh_so_truong_hop_can_thiep"} <= codes
    # All the children of an area, cases, sessions: no child is pointed at.
    assert not {"tre_em", "xa_tre_em_theo_gioi_tinh", "congan_so_vu_xam_hai", "so_buoi_truyen_thong"} & codes


# --- the pages ---------------------------------------------------------------------------------------


def commune_row(text: str, element: str, option: str) -> list[str]:
    """The cells of a row of the consolidated page (an element's option): the total, the communes."""
    row = re.search(rf'<span class="vh">{element} — </span>{option}</th>(.*?)</tr>', text, re.S)
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)]


def test_the_provincial_viewer_and_the_administrator_read_small_counts_as_under_five(as_user, injured_2018):
    for login in ("sotinh", "admin"):
        page = as_user(login).get(f"/district/reports/{PERIOD}")
        boys = commune_row(page.text, "Trẻ em bị tai nạn thương tích", "Nam")
        assert ESCAPED in boys and "35" in boys[0]  # the total stays
        assert boys.count(ESCAPED) == 2  # Tân Cảnh's 3, and Kon Đào's 12 with it
        assert "Số trẻ em từ 1 đến 4" in page.text or "Counts of children from 1 to 4" in page.text


def test_the_coordinator_reads_the_exact_counts(as_user, injured_2018):
    page = as_user("dieuphoi").get(f"/district/reports/{PERIOD}")
    assert ESCAPED not in page.text
    assert "3" in commune_row(page.text, "Trẻ em bị tai nạn thương tích", "Nam")
    assert ESCAPED not in as_user("dieuphoi").get(f"/district/indicators/{PERIOD}").text


def test_an_indicator_of_a_small_count_is_hidden_outside(as_user, injured_2018):
    page = as_user("sotinh").get(f"/district/indicators/{PERIOD}")
    law = page.text.split("Số trẻ em vi phạm pháp luật", 1)[1].split("</li>", 1)[0]
    assert ESCAPED in law and "<svg" not in law
    injured = page.text.split("Số trẻ em bị tai nạn thương tích", 1)[1].split("</li>", 1)[0]
    assert ESCAPED not in injured and "61" in injured


def test_a_units_report_page_is_exact_for_the_unit_and_hidden_for_the_province(as_user, injured_2018):
    url = f"/spaces/tan-canh/reports/xa.bao-cao/{PERIOD}"
    assert ESCAPED not in as_user("chutich.tancanh").get(url).text
    page = as_user("sotinh").get(url)
    injured = page.text.split("Trẻ em bị tai nạn thương tích", 1)[1].split('<div class="element">', 1)[0]
    # 3 boys hidden, the 10 girls with them (the total, 13, is shown).
    assert injured.count(ESCAPED) == 2 and "13" in injured


# --- the exports: every one, whoever makes it -------------------------------------------------------


def assert_rows_protected(rows, total_col, first_col):
    """No row of a sheet whose total is shown has exactly one hidden count."""
    for row in rows:
        cells = list(row[first_col:])
        if row[total_col] != HIDDEN and isinstance(row[total_col], int):
            assert cells.count(HIDDEN) != 1, row


def col(header, name: str) -> int:
    return next(i for i, h in enumerate(header) if h and name in h)


def test_the_coordinators_consolidated_xlsx_hides_small_counts(as_user, injured_2018):
    browser = as_user("dieuphoi")
    browser.set_cookie("_LOCALE_", "en")
    book = load_workbook(io.BytesIO(browser.get(f"/district/reports/{PERIOD}/export.xlsx").body))
    sheet = book["Commune totals"]
    header = [c.value for c in sheet[5]]
    rows = rows_by_label(sheet)
    boys, girls = rows["Children injured in accidents — Male"], rows["Children injured in accidents — Female"]
    assert boys[col(header, "Tan Canh")] == HIDDEN and girls[col(header, "Tan Canh")] == HIDDEN
    assert boys[col(header, "Kon Dao")] == HIDDEN and girls[col(header, "Kon Dao")] == HIDDEN
    # Shown counts stay numbers.
    assert boys[1] == 35 and boys[col(header, "Dak To")] == 20 and isinstance(girls[1], int)
    assert_rows_protected(sheet.iter_rows(min_row=6, values_only=True), 1, 2)
    # Columns: no commune has one hidden count of an element (its total is on its report).
    for name in ("Tan Canh", "Kon Dao", "Dak To"):
        assert [boys[col(header, name)], girls[col(header, name)]].count(HIDDEN) != 1
    for ws in (book["Indicators"], sheet, book["Agencies"]):
        assert any(NOTE_EN in str(r[0]) for r in ws.iter_rows(values_only=True) if r and r[0]), ws.title
    law = rows_by_label(book["Indicators"])["Children breaking the law"]
    assert law[4] == HIDDEN


def test_the_consolidated_csv_hides_small_counts_and_says_so(as_user, injured_2018):
    browser = as_user("dieuphoi")
    browser.set_cookie("_LOCALE_", "en")
    res = browser.get(f"/district/reports/{PERIOD}/export.csv")
    _header, *rows = list(csv.reader(io.StringIO(res.body.decode("utf-8-sig"))))
    *figures, note = rows
    assert note[0].startswith(NOTE_EN) and not any(note[1:])
    value = {(r[0], r[2], r[4]): r[6] for r in figures}
    assert value[("tan-canh", INJURED, "nam")] == HIDDEN and value[("tan-canh", INJURED, "nu")] == HIDDEN
    assert value[("tt-dak-to", INJURED, "nam")] == "20"
    assert value[("tan-canh", LAW, "nam")] == HIDDEN


def test_the_consolidated_pdf_hides_small_counts(as_user, injured_2018, tmp_path):
    browser = as_user("sotinh")
    browser.set_cookie("_LOCALE_", "en")
    text = pdf_text(browser.get(f"/district/reports/{PERIOD}/export.pdf").body, tmp_path)
    assert "< 5" in text and NOTE_EN in text


def test_a_units_own_export_is_suppressed_too(as_user, injured_2018, tmp_path):
    browser = as_user("chutich.tancanh")
    browser.set_cookie("_LOCALE_", "en")
    base = f"/spaces/tan-canh/reports/xa.bao-cao/{PERIOD}/export"
    book = load_workbook(io.BytesIO(browser.get(f"{base}.xlsx").body))
    rows = rows_by_label(book["Report"])
    assert rows["Children injured in accidents — Male"][1] == HIDDEN
    assert rows["Children injured in accidents — Female"][1] == HIDDEN
    assert rows["Children injured in accidents — Total"][1] == 13
    assert rows["Children breaking the law — Male"][1] == HIDDEN
    assert any(NOTE_EN in str(label) for label in rows)
    _header, *lines = list(csv.reader(io.StringIO(browser.get(f"{base}.csv").body.decode("utf-8-sig"))))
    assert [r[6] for r in lines if r[2] == INJURED] == [HIDDEN, HIDDEN] and lines[-1][0].startswith(NOTE_EN)
    text = pdf_text(browser.get(f"{base}.pdf").body, tmp_path)
    assert "< 5" in text and NOTE_EN in text


# --- the API ----------------------------------------------------------------------------------------


def api_values(body) -> dict:
    return {(v["element"], v["option"]): v["value"] for v in body["values"]}


def test_the_api_hides_small_counts_but_for_the_unit_itself(bearer, dbsession, injured_2018):  # noqa: F811
    report = report_of(dbsession, "tan-canh", PERIOD)
    url = f"/api/v1/reports/{report.id}"
    for login in ("sotinh", "dieuphoi"):
        body = bearer(login).get(url).json
        values = api_values(body)
        assert values[(INJURED, "nam")] == HIDDEN and values[(INJURED, "nu")] == HIDDEN and body["suppressed"]
    own = bearer("tancanh").get(url).json
    assert api_values(own)[(INJURED, "nam")] == 3 and not own["suppressed"]


def test_the_api_consolidation_hides_small_counts(bearer, injured_2018):  # noqa: F811
    body = bearer("dieuphoi").get(f"/api/v1/consolidation/{PERIOD}").json
    rows = {(e["element"], e["option"]): e for e in body["elements"]}
    assert rows[(INJURED, "nam")]["communes"] == 35 and rows[(LAW, "nam")]["communes"] == HIDDEN
    law = next(i for i in body["indicators"] if i["key"] == LAW)
    assert law["actual"] == HIDDEN and law["suppressed"]
    injured = next(i for i in body["indicators"] if i["key"] == INJURED)
    assert injured["actual"] == 61 and not injured["suppressed"]


def test_no_hidden_count_of_a_report_can_be_worked_out(app):
    form = xa_form(app)
    for boys, girls in itertools.product(range(0, 8), repeat=2):
        hidden = outbound.report_hidden(form, {(INJURED, "nam"): boys, (INJURED, "nu"): girls})
        parts = [(INJURED, "nam") in hidden, (INJURED, "nu") in hidden]
        if (INJURED, None) not in hidden:
            assert sum(parts) != 1, (boys, girls)
        for n, part in zip((boys, girls), parts, strict=True):
            if 0 < n < 5:
                assert part, (boys, girls)
        if 0 < boys + girls < 5:
            assert (INJURED, None) in hidden
