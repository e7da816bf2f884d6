"""Exports: the files a user downloads — the consolidated report and one unit's report as Excel,
CSV and PDF — checked by opening them, against figures computed by hand."""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from intranet.audit.models import AuditEntry
from intranet.reports.models import SubmissionNarrative
from tests.fixtures.factories import get_space, get_user
from tests.functional.test_reports import file_report, period_2018  # noqa: F401 (a fixture)

DISTRICT = "/district/reports/{period}/export.{fmt}"
REPORT = "/spaces/{slug}/reports/xa.bao-cao/{period}/export.{fmt}"
INJURED = "tre_em_tai_nan_thuong_tich"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def normalised(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def pdf_text(body: bytes, tmp_path) -> str:
    """The PDF's text, by poppler's pdftotext (CI installs poppler-utils: see .ci/run)."""
    if shutil.which("pdftotext") is None:
        if os.environ.get("CI") or os.environ.get("INTRANET_REQUIRE_E2E"):
            pytest.fail("pdftotext is missing: apt-get install poppler-utils")
        pytest.skip("pdftotext is missing: apt-get install poppler-utils")
    path = tmp_path / "export.pdf"
    path.write_bytes(body)
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True)
    return normalised(out.stdout.decode("utf-8"))


def page_sizes(body: bytes, tmp_path) -> list[tuple[float, float]]:
    path = tmp_path / "sizes.pdf"
    path.write_bytes(body)
    out = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "999", str(path)], capture_output=True, check=True, text=True
    ).stdout
    return [(float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", out)]


@pytest.fixture
def half_year_2018(app, dbsession, period_2018):  # noqa: F811
    """Three communes accepted, one only submitted (not counted); tan-canh wrote a narrative.
    No count is under 5: every export hides those (test_outbound_suppression.py)."""
    file_report(dbsession, app, "tt-dak-to", period_2018, {(INJURED, "nam"): 30, (INJURED, "nu"): 20})
    tan_canh = file_report(dbsession, app, "tan-canh", period_2018, {(INJURED, "nam"): 40, (INJURED, "nu"): 10})
    file_report(dbsession, app, "kon-dao", period_2018, {(INJURED, "nu"): 5})
    file_report(dbsession, app, "dak-tram", period_2018, {(INJURED, "nam"): 100}, state="submitted")
    tan_canh.narratives.append(
        SubmissionNarrative(
            key="kho_khan", text="=1+1 Đường vào thôn Đăk Rơ Wang bị sạt lở, chưa tiếp cận được hộ gia đình."
        )
    )
    dbsession.flush()
    return period_2018


def rows_by_label(sheet) -> dict:
    return {row[0]: row for row in sheet.iter_rows(values_only=True)}


#: Every sheet opens with the title, the unit and the period, then an empty row, then its table.
HEADER_ROW = 5


# --- the consolidated report ------------------------------------------------------------------------


def test_consolidated_xlsx_has_the_sheets_and_the_hand_computed_totals(as_user, half_year_2018):
    res = as_user("dieuphoi").get(DISTRICT.format(period="2018-6t", fmt="xlsx"))
    assert res.content_type == XLSX
    assert res.headers["Content-Disposition"] == 'attachment; filename="bao-cao-tong-hop-2018-6t.xlsx"'
    assert res.headers["Cache-Control"] == "private, no-store"
    book = load_workbook(io.BytesIO(res.body))
    assert book.sheetnames == ["Chỉ số", "Tổng hợp theo xã", "Cơ quan", "Thuyết minh"]

    communes = book["Tổng hợp theo xã"]
    header = [c.value for c in communes[HEADER_ROW]]
    assert header[:2] == ["Chỉ tiêu thống kê", "Tổng số"]
    assert all(c.font.bold for c in communes[HEADER_ROW])
    rows = rows_by_label(communes)
    boys, girls = rows["Trẻ em bị tai nạn thương tích — Nam"], rows["Trẻ em bị tai nạn thương tích — Nữ"]
    # Accepted only: 30 + 40 boys (dak-tram's 100 is submitted, not accepted); 20 + 10 + 5 girls.
    assert (boys[1], girls[1]) == (70, 35)
    assert isinstance(boys[1], int)
    assert boys[header.index("Tân Cảnh")] == 40
    assert boys[header.index("Đăk Trăm")] is None
    assert girls[header.index("Kon Đào")] == 5

    indicators = rows_by_label(book["Chỉ số"])
    injured = indicators["Số trẻ em bị tai nạn thương tích"]
    # 105 children injured against at most 111 (124 in 2016, −10 %).
    # 105 ≤ 111, but one commune has no accepted report for 2017: not enough data to say "Đạt".
    assert injured[1:] == (124, "Giảm 10 % so với năm 2016", 111, 105, "Chưa đủ số liệu")
    assert indicators["Số trẻ em lang thang kiếm sống"][5] == "Chưa có số liệu"

    narratives = list(book["Thuyết minh"].iter_rows(min_row=HEADER_ROW + 1, values_only=True))
    assert narratives == [
        (
            "UBND xã Tân Cảnh",
            "Khó khăn, vướng mắc",
            "=1+1 Đường vào thôn Đăk Rơ Wang bị sạt lở, chưa tiếp cận được hộ gia đình.",
        )
    ]
    assert book["Thuyết minh"][f"C{HEADER_ROW + 1}"].data_type == "s"  # a text, not a formula
    agencies = book["Cơ quan"]
    assert [c.value for c in agencies[HEADER_ROW]] == ["Đơn vị", "Chỉ tiêu thống kê", "Số liệu"]


def test_consolidated_csv_has_a_bom_and_one_row_per_accepted_figure(as_user, half_year_2018):
    res = as_user("dieuphoi").get(DISTRICT.format(period="2018-6t", fmt="csv"))
    assert res.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert res.headers["Content-Disposition"] == 'attachment; filename="bao-cao-tong-hop-2018-6t.csv"'
    assert res.body.startswith(b"\xef\xbb\xbf")
    header, *rows, note = list(csv.reader(io.StringIO(res.body.decode("utf-8-sig"))))
    assert header == ["Mã đơn vị", "Đơn vị", "Mã chỉ tiêu", "Chỉ tiêu thống kê", "Mã phân tổ", "Phân tổ", "Số liệu"]
    assert ["tan-canh", "UBND xã Tân Cảnh", INJURED, "Trẻ em bị tai nạn thương tích", "nam", "Nam", "40"] in rows
    assert {r[0] for r in rows} == {"tt-dak-to", "tan-canh", "kon-dao"}  # dak-tram's is not accepted
    assert sum(int(r[6]) for r in rows if r[2] == INJURED and r[4] == "nam") == 70
    assert "< 5" in note[0] and not any(note[1:])  # the last line says how small counts are shown


def test_consolidated_pdf_in_the_administrative_format(as_user, tmp_path):
    res = as_user("sotinh").get(DISTRICT.format(period="2017-6t", fmt="pdf"))
    assert res.content_type == "application/pdf" and res.body.startswith(b"%PDF")
    assert res.headers["Content-Disposition"] == 'attachment; filename="bao-cao-tong-hop-2017-6t.pdf"'
    text = pdf_text(res.body, tmp_path)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập – Tự do – Hạnh phúc" in text
    assert "UBND HUYỆN ĐĂK TÔ" in text and "PHÒNG LAO ĐỘNG – THƯƠNG BINH VÀ XÃ HỘI" in text
    assert "Số: …/BC-LĐTBXH" in text
    assert re.search(r"Đăk Tô, ngày \d\d tháng \d{1,2} năm \d{4}", text)
    assert "Báo cáo kết quả thực hiện Chương trình bảo vệ trẻ em huyện Đăk Tô năm 2017".lower() in text.lower()
    assert "6 tháng đầu năm 2017" in text
    assert "Số trẻ em bị tai nạn thương tích" in text and "Tân Cảnh" in text  # the indicators, a column
    assert "Công an huyện" in text and "UBND xã Đăk Trăm" in text  # an agency, a narrative
    assert "Nơi nhận:" in text and "Sở LĐTBXH tỉnh Kon Tum" in text and "Lưu: VT, LĐTBXH" in text
    assert "TRƯỞNG PHÒNG" in text
    sizes = page_sizes(res.body, tmp_path)
    assert sizes[0][0] < sizes[0][1]  # the heading page is portrait
    assert any(w > h for w, h in sizes)  # the commune table is on landscape pages


def test_english_export_follows_the_language(as_user, half_year_2018):
    browser = as_user("dieuphoi")
    browser.set_cookie("_LOCALE_", "en")
    book = load_workbook(io.BytesIO(browser.get(DISTRICT.format(period="2018-6t", fmt="xlsx")).body))
    assert book.sheetnames == ["Indicators", "Commune totals", "Agencies", "Narrative texts"]
    assert rows_by_label(book["Commune totals"])["Children injured in accidents — Male"][1] == 70


def test_export_leaves_an_audit_line(as_user, dbsession):
    as_user("dieuphoi").get(DISTRICT.format(period="2017-6t", fmt="csv"))
    entry = dbsession.scalars(select(AuditEntry).where(AuditEntry.action == "export.consolidated")).one()
    assert entry.user_id == get_user(dbsession, "dieuphoi").id
    assert entry.detail == {"format": "csv", "period": "2017-6t"}


def test_officers_cannot_export_the_district_report(as_user):
    as_user("tancanh").get(DISTRICT.format(period="2017-6t", fmt="xlsx"), status=403)
    as_user("congan").get(DISTRICT.format(period="2017-6t", fmt="pdf"), status=403)


@pytest.mark.parametrize(
    "url",
    [
        DISTRICT.format(period="2017-6t", fmt="docx"),
        DISTRICT.format(period="2017-6t", fmt="XLSX"),
        DISTRICT.format(period="2099-6t", fmt="csv"),
        REPORT.format(slug="tan-canh", period="2017-6t", fmt="exe"),
        REPORT.format(slug="van-lem", period="2017-6t", fmt="csv"),  # van-lem never saved a report
    ],
)
def test_unknown_format_period_or_report_is_404(as_user, url):
    as_user("dieuphoi").get(url, status=404)


def test_consolidated_page_links_the_exports(as_user):
    page = as_user("dieuphoi").get("/district/reports/2017-6t")
    assert "Xuất:" in page.text
    for fmt in ("xlsx", "csv", "pdf"):
        assert f'href="/district/reports/2017-6t/export.{fmt}"' in page.text
    assert len(page.body) <= 60 * 1024


# --- one unit's report ------------------------------------------------------------------------------


def test_unit_exports_its_own_report_but_not_another_units(as_user, dbsession, tmp_path):
    officer = as_user("tancanh")
    page = officer.get("/spaces/tan-canh/reports/xa.bao-cao/2017-6t")
    assert 'href="/spaces/tan-canh/reports/xa.bao-cao/2017-6t/export.pdf"' in page.text
    res = officer.get(REPORT.format(slug="tan-canh", period="2017-6t", fmt="pdf"))
    assert res.headers["Content-Disposition"] == 'attachment; filename="bao-cao-tan-canh-2017-6t.pdf"'
    assert res.headers["Cache-Control"] == "private, no-store"
    text = pdf_text(res.body, tmp_path)
    assert "UBND XÃ TÂN CẢNH" in text and "Số: …/BC-UBND" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert re.search(r"Tân Cảnh, ngày \d\d tháng \d{1,2} năm \d{4}", text)
    assert "Kết quả thực hiện công tác bảo vệ trẻ em" in text and "6 tháng đầu năm 2017" in text
    assert "Bản nháp" in text  # the state is on the document: a draft is not a report
    assert "TM. ỦY BAN NHÂN DÂN" in text and "CHỦ TỊCH" in text
    officer.get(REPORT.format(slug="kon-dao", period="2017-6t", fmt="pdf"), status=403)
    officer.get(REPORT.format(slug="kon-dao", period="2017-6t", fmt="csv"), status=403)
    entry = dbsession.scalars(select(AuditEntry).where(AuditEntry.action == "export.report")).one()
    assert entry.detail == {"format": "pdf", "period": "2017-6t", "form": "xa.bao-cao"}
    assert entry.space_id is not None and entry.object_type == "submission"


def test_report_xlsx_and_csv_carry_the_figures(app, as_user, dbsession, half_year_2018):
    browser = as_user("chutich.tancanh")
    book = load_workbook(io.BytesIO(browser.get(REPORT.format(slug="tan-canh", period="2018-6t", fmt="xlsx")).body))
    assert book.sheetnames == ["Báo cáo", "Thuyết minh", "Lịch sử xử lý"]
    rows = rows_by_label(book["Báo cáo"])
    assert rows["Đơn vị: UBND xã Tân Cảnh"] and rows["Kỳ báo cáo: 6 tháng đầu năm 2018"]
    assert rows["Trạng thái"][1] == "Đã duyệt"
    assert rows["Trẻ em bị tai nạn thương tích — Nam"][1] == 40
    assert rows["Trẻ em bị tai nạn thương tích — Tổng số"][1] == 50
    history = list(book["Lịch sử xử lý"].iter_rows(min_row=HEADER_ROW + 1, values_only=True))
    assert [h[2] for h in history] == ["Đã gửi", "Đã duyệt"]

    res = browser.get(REPORT.format(slug="tan-canh", period="2018-6t", fmt="csv"))
    assert res.body.startswith(b"\xef\xbb\xbf")
    header, *rows = list(csv.reader(io.StringIO(res.body.decode("utf-8-sig"))))
    assert rows[:-1] == [
        ["tan-canh", "UBND xã Tân Cảnh", INJURED, "Trẻ em bị tai nạn thương tích", "nam", "Nam", "40"],
        ["tan-canh", "UBND xã Tân Cảnh", INJURED, "Trẻ em bị tai nạn thương tích", "nu", "Nữ", "10"],
    ]
    assert "< 5" in rows[-1][0]


# --- what a printed sheet says ----------------------------------------------------------------------


def heading(sheet) -> list:
    return [sheet.cell(row=r, column=1).value for r in range(1, HEADER_ROW)]


def assert_printable(sheet):
    """A4, fitted to the page's width, the table's header repeated at the top of every page."""
    assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4
    assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
    assert sheet.freeze_panes == f"A{HEADER_ROW + 1}"


def test_consolidated_xlsx_sheets_say_what_unit_and_period_and_print_on_a4(as_user, half_year_2018):
    book = load_workbook(io.BytesIO(as_user("dieuphoi").get(DISTRICT.format(period="2018-6t", fmt="xlsx")).body))
    for sheet in book.worksheets:
        title, unit, period, blank = heading(sheet)
        assert title == ("Báo cáo tổng hợp — Kết quả thực hiện Chương trình bảo vệ trẻ em huyện Đăk Tô năm 2018")
        assert unit.startswith("Đơn vị: ") and period == "Kỳ báo cáo: 6 tháng đầu năm 2018"
        assert blank is None
        assert_printable(sheet)
    # Nine communes side by side do not fit a portrait page (a report's two columns do: below).
    assert book["Tổng hợp theo xã"].page_setup.orientation == "landscape"


def test_consolidated_xlsx_names_the_division_as_unit(as_user, half_year_2018):
    """Vietnamese text of a new message: passes once the catalogue has it."""
    book = load_workbook(io.BytesIO(as_user("dieuphoi").get(DISTRICT.format(period="2018-6t", fmt="xlsx")).body))
    assert heading(book["Chỉ số"])[1] == "Đơn vị: Phòng Lao động – Thương binh và Xã hội huyện Đăk Tô"


def test_report_xlsx_heading_print_setup_and_history_in_local_time(as_user, dbsession, half_year_2018):
    import datetime as dt

    from intranet.reports.models import Submission, SubmissionEvent

    sent = dbsession.scalars(
        select(SubmissionEvent)
        .join(Submission)
        .where(Submission.space_id == get_space(dbsession, "tan-canh").id, Submission.period_id == half_year_2018.id)
        .order_by(SubmissionEvent.id)
    ).first()
    # Sent at 20:30 UTC on 4 June: 03:30 on 5 June in Đăk Tô (UTC+7), as the page shows it.
    sent.at = dt.datetime(2018, 6, 4, 20, 30)
    dbsession.flush()
    browser = as_user("chutich.tancanh")
    page = browser.get("/spaces/tan-canh/reports/xa.bao-cao/2018-6t")
    assert "05/06/2018 03:30" in page.text
    book = load_workbook(io.BytesIO(browser.get(REPORT.format(slug="tan-canh", period="2018-6t", fmt="xlsx")).body))

    history = book["Lịch sử xử lý"]
    assert heading(history)[1:3] == ["Đơn vị: UBND xã Tân Cảnh", "Kỳ báo cáo: 6 tháng đầu năm 2018"]
    assert heading(history)[0].startswith("Báo cáo")
    assert_printable(history)
    assert history.page_setup.orientation == "landscape"
    assert history.cell(row=HEADER_ROW + 1, column=1).value == dt.datetime(2018, 6, 5, 3, 30)

    report = book["Báo cáo"]
    assert heading(report)[1] == "Đơn vị: UBND xã Tân Cảnh"
    assert str(report.page_setup.paperSize) == report.PAPERSIZE_A4 and report.page_setup.orientation == "portrait"
    header_row = int(report.print_title_rows.split(":")[0].lstrip("$"))
    assert [c.value for c in report[header_row]] == ["Chỉ tiêu thống kê", "Số liệu"]
    assert report.freeze_panes == f"A{header_row + 1}"
