"""Text that enters through any door — path, query string, form field, file name, JSON body.

A NUL byte (which no browser sends, and which PostgreSQL refuses to store) is refused with 400 and
a Vietnamese message, and nothing is stored. Control characters that Word puts in pasted text
(vertical tab for Shift+Enter, form feed for a page break) arrive as plain line breaks.
"""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select
from webtest import TestRequest

from intranet.duties.models import DutyLog, Evidence
from intranet.reports import services
from intranet.reports.models import Submission, SubmissionNarrative
from tests.fixtures.browser import csrf_from
from tests.fixtures.factories import get_space
from tests.functional.test_reports import file_report, period_2018  # noqa: F401 (a fixture)

REFUSED = "Yêu cầu có chứa ký tự không hợp lệ"
DUTY = "xa.bao-cao-dinh-ky"
LOG_URL = f"/spaces/tan-canh/logs/new?duty={DUTY}"
REPORT_URL = "/spaces/tan-canh/reports/xa.bao-cao/2017-6t"
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def log_count(dbsession) -> int:
    return dbsession.scalar(select(func.count()).select_from(DutyLog))


def log_fields(browser, **overrides) -> dict:
    page = browser.get(LOG_URL)
    fields = {
        "csrf_token": csrf_from(page),
        "log_date": "05/06/2017",
        "progress": "done",
        "description": "Họp thôn Đăk Rơ Wang",
    }
    fields.update(overrides)
    return fields


def post_multipart(browser, url, fields: dict, files: list[tuple[str, str, bytes]], status):
    """A multipart POST encoded here, so that a file name may carry any character."""
    boundary = "intranet-test-boundary"
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            + value.encode("utf-8")
            + b"\r\n"
        )
    for name, filename, data in files:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: application/pdf\r\n\r\n".encode()
            + data
            + b"\r\n"
        )
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    request = TestRequest.blank(url, method="POST", body=body, content_type=f"multipart/form-data; boundary={boundary}")
    # As from a server: a stream read once, not a body already known to be seekable.
    del request.environ["webob.is_body_seekable"]
    request.environ.update(browser.extra_environ)
    return browser.do_request(request, status=status)


def assert_refused(res):
    assert res.status_int == 400
    assert REFUSED in res.text
    assert "<html" in res.text.lower()  # the site's own page, in Vietnamese


def tan_canh_report(dbsession) -> Submission:
    space = get_space(dbsession, "tan-canh")
    return services.load_submission(dbsession, "xa.bao-cao", space.id, services.period_by_code(dbsession, "2017-6t").id)


# --- NUL is refused wherever it comes from ---------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/spaces/tan%00canh",
        "/spaces/tan-canh/reports/xa.bao-cao/2017%006t",
        "/spaces/tan-canh/logs?duty=xa%00",
        "/spaces/tan-canh/logs?du%00ty=xa",
        "/login?came_from=/%00",
    ],
)
def test_nul_in_path_or_query_is_refused(as_user, url):
    assert_refused(as_user("tancanh").get(url, status=400))


def test_a_query_that_is_not_utf8_is_refused(as_user):
    assert_refused(as_user("tancanh").get("/spaces/tan-canh/logs?duty=%ff", status=400))


def test_nul_in_a_form_value_is_refused_and_nothing_is_stored(as_user, dbsession):
    browser = as_user("tancanh")
    before = log_count(dbsession)
    res = browser.post(LOG_URL, log_fields(browser, description="Họp thôn\x00 Đăk Rơ Wang"), status=400)
    assert_refused(res)
    assert log_count(dbsession) == before


def test_nul_in_a_field_name_is_refused_and_nothing_is_stored(as_user, dbsession):
    browser = as_user("tancanh")
    before = log_count(dbsession)
    res = browser.post(LOG_URL, log_fields(browser, **{"ghi\x00chu": "x"}), status=400)
    assert_refused(res)
    assert log_count(dbsession) == before


def test_nul_in_a_multipart_value_is_refused(as_user, dbsession):
    browser = as_user("tancanh")
    before = log_count(dbsession)
    fields = log_fields(browser, description="Biên bản\x00")
    res = post_multipart(browser, LOG_URL, fields, [("evidence", "bien-ban.pdf", PDF)], status=400)
    assert_refused(res)
    assert log_count(dbsession) == before


def test_nul_in_a_file_name_is_refused_and_nothing_is_stored(as_user, dbsession):
    browser = as_user("tancanh")
    before = log_count(dbsession)
    evidence = dbsession.scalar(select(func.count()).select_from(Evidence))
    res = post_multipart(browser, LOG_URL, log_fields(browser), [("evidence", "bien\x00ban.pdf", PDF)], status=400)
    assert_refused(res)
    assert log_count(dbsession) == before
    assert dbsession.scalar(select(func.count()).select_from(Evidence)) == evidence


def test_nul_in_a_json_string_is_refused_with_a_json_error(as_user, dbsession):
    browser = as_user("tancanh")
    report = tan_canh_report(dbsession)
    version, narratives = report.version, {n.key: n.text for n in report.narratives}
    token = csrf_from(browser.get("/"))
    res = browser.put_json(
        f"/api/v1/reports/{report.id}/values",
        {"version": version, "values": [], "narratives": {"kho_khan": "Sạt lở\u0000"}},
        headers={"X-CSRF-Token": token},
        status=400,
    )
    assert res.content_type == "application/json"
    assert res.json["error"] == "bad_characters"
    assert res.json["message"].startswith(REFUSED)
    report = tan_canh_report(dbsession)
    assert report.version == version
    assert {n.key: n.text for n in report.narratives} == narratives


def test_nul_in_a_json_key_is_refused(as_user, dbsession):
    browser = as_user("tancanh")
    report = tan_canh_report(dbsession)
    token = csrf_from(browser.get("/"))
    res = browser.put_json(
        f"/api/v1/reports/{report.id}/values",
        {"version": report.version, "values": [], "narratives": {"kho\u0000khan": "x"}},
        headers={"X-CSRF-Token": token},
        status=400,
    )
    assert res.json["error"] == "bad_characters"


def test_nul_in_json_sent_as_plain_text_is_refused(as_user, dbsession):
    """The API reads a JSON body whatever its Content-Type says; so does the check."""
    browser = as_user("tancanh")
    report = tan_canh_report(dbsession)
    token = csrf_from(browser.get("/"))
    body = '{"version": %d, "values": [], "narratives": {"kho_khan": "S\\u0000"}}' % report.version
    res = browser.put(
        f"/api/v1/reports/{report.id}/values",
        body,
        content_type="text/plain",
        headers={"X-CSRF-Token": token},
        status=400,
    )
    assert res.json["error"] == "bad_characters"


def test_a_file_upload_keeps_its_bytes(as_user, dbsession):
    """Cleaning text never touches a file: a PDF holding NUL and vertical tabs is stored as sent."""
    from intranet.documents.services import blob_data

    data = PDF + b"\x00\x0b\x0c\r\n\x85binary"
    browser = as_user("tancanh")
    post_multipart(
        browser,
        LOG_URL,
        log_fields(browser, description="Có biên bản"),
        [("evidence", "bien-ban.pdf", data)],
        status=302,
    )
    sha256 = dbsession.scalars(
        select(Evidence.blob_sha256)
        .join(DutyLog, DutyLog.id == Evidence.log_id)
        .where(DutyLog.description == "Có biên bản")
    ).one()
    assert blob_data(dbsession, sha256) == data


# --- Word's control characters become line breaks --------------------------------------------------


def test_vertical_tab_in_a_duty_log_is_stored_as_a_line_break(as_user, dbsession):
    browser = as_user("tancanh")
    text = "Dòng một\x0bDòng hai\r\nDòng ba\x0cTrang sau\x07\x1b\x85\tcuối"
    browser.post(LOG_URL, log_fields(browser, description=text), status=302)
    stored = dbsession.scalars(select(DutyLog.description).where(DutyLog.description.like("Dòng một%"))).one()
    assert stored == "Dòng một\nDòng hai\nDòng ba\nTrang sau\tcuối"


def test_a_multipart_form_with_a_file_input_left_empty_is_cleaned(as_user, dbsession):
    browser = as_user("tancanh")
    post_multipart(
        browser, LOG_URL, log_fields(browser, description="Không đính kèm\x0btệp"), [("evidence", "", b"")], status=302
    )
    assert (
        dbsession.scalars(
            select(func.count()).select_from(DutyLog).where(DutyLog.description == "Không đính kèm\ntệp")
        ).one()
        == 1
    )


def test_vertical_tab_in_a_report_narrative_is_stored_as_a_line_break(as_user, dbsession):
    browser = as_user("tancanh")
    page = browser.get(REPORT_URL)
    form = next(f for f in page.forms.values() if "version" in f.fields)
    form["n.kho_khan"] = "Đường sạt lở\x0bThôn 3 chưa tiếp cận"
    form.submit(name="action", value="save", status=302)
    narratives = {n.key: n.text for n in tan_canh_report(dbsession).narratives}
    assert narratives["kho_khan"] == "Đường sạt lở\nThôn 3 chưa tiếp cận"


def test_vertical_tab_in_a_json_narrative_is_stored_as_a_line_break(as_user, dbsession):
    browser = as_user("tancanh")
    report = tan_canh_report(dbsession)
    token = csrf_from(browser.get("/"))
    res = browser.put_json(
        f"/api/v1/reports/{report.id}/values",
        {"version": report.version, "values": [], "narratives": {"kho_khan": "Một\u000bHai"}},
        headers={"X-CSRF-Token": token},
    )
    assert res.json["narratives"]["kho_khan"] == "Một\nHai"
    narratives = {n.key: n.text for n in tan_canh_report(dbsession).narratives}
    assert narratives["kho_khan"] == "Một\nHai"


# --- redirect targets named by a parameter -----------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    ["/%0d%0aSet-Cookie:%20a=1", "/x%E2%80%A8y", "/t%C3%A2n-c%E1%BA%A3nh", "/%5Cevil.com", "/%252F%252Fevil.com"],
)
def test_a_redirect_target_with_control_or_foreign_characters_falls_back(as_user, testapp, target):
    res = testapp.get(f"/locale/en?next={target}", status=302)
    assert res.location == "http://example.com/"
    res = as_user("tancanh").get(f"/login?came_from={target}", status=302)
    assert res.location == "http://example.com/"


# --- texts stored before cleaning still export ------------------------------------------------------


OLD_TEXT = "Đường sạt lở\x0bThôn 3 chưa tiếp cận\x07\x1f"
EXPORTED = "Đường sạt lở\nThôn 3 chưa tiếp cận"


@pytest.fixture
def old_narrative(app, dbsession, period_2018):  # noqa: F811
    """An accepted report whose narrative holds Word's vertical tab, written straight to the table
    as rows stored before the input was cleaned hold it."""
    report = file_report(dbsession, app, "tan-canh", period_2018, {("tre_em_tai_nan_thuong_tich", "nam"): 4})
    report.narratives.append(SubmissionNarrative(key="kho_khan", text=OLD_TEXT))
    dbsession.flush()
    return period_2018


def narrative_cells(body: bytes) -> list[str]:
    book = load_workbook(io.BytesIO(body))
    return [row[-1] for row in book["Thuyết minh"].iter_rows(min_row=2, values_only=True)]


def test_consolidated_xlsx_exports_a_stored_vertical_tab_as_a_line_break(as_user, old_narrative):
    res = as_user("dieuphoi").get("/district/reports/2018-6t/export.xlsx", status=200)
    assert EXPORTED in narrative_cells(res.body)


def test_report_xlsx_and_pdf_export_a_stored_vertical_tab(as_user, old_narrative):
    browser = as_user("chutich.tancanh")
    url = "/spaces/tan-canh/reports/xa.bao-cao/2018-6t/export."
    assert EXPORTED in narrative_cells(browser.get(url + "xlsx", status=200).body)
    assert browser.get(url + "pdf", status=200).body.startswith(b"%PDF-")
