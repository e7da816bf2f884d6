"""The forms of a case printed and as PDF (issue 11, sections 2 and 4): each of Mẫu 01 to 06 shows
the decree's title and what the case recorded, the child as the register knows it; a step not
reached yet prints dotted lines to complete by hand; each print and export is audited under the
case's number, with no free text; nothing is cached; the file is named after the case, never the
child; and the forms are not found by anyone outside the case team."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest
from sqlalchemy import select

from intranet.audit.models import AuditEntry
from intranet.cases.keys import get_keyring
from intranet.cases.models import CaseService
from intranet.cases.printing import FORMS
from intranet.cases.procedure import add_review, link_child, record_outcome
from intranet.i18n import local_date, local_today
from intranet.reports.exports import place_date, vietnamese
from intranet.spaces.models import Membership
from tests.fixtures.factories import get_space, get_user

CHILD_NAME = "Y Hư Cấu Thử In"
OUTCOME_NOTE = "Đã thăm gia đình hai lần (hư cấu)"
REVIEW_NOTES = "Em đã đi học đều trở lại (hư cấu)"

#: What each form shows of the case made by ``full_case`` (see tests/fixtures/documents.py).
RECORDED = {
    "01": ["Hàng xóm báo tin (trường hợp hư cấu)", CHILD_NAME],
    "02": [CHILD_NAME, "A Thịnh"],
    "03": ["Gia đình cần được hỗ trợ (hư cấu)", CHILD_NAME],
    "04": ["Thăm gia đình hằng tuần (hư cấu)", "Thăm gia đình (hư cấu)", CHILD_NAME],
    "05": ["1/QĐ-UBND", CHILD_NAME],
    "06": [REVIEW_NOTES, OUTCOME_NOTE, CHILD_NAME],
}


def url(number: str, form: str, slug: str = "tan-canh") -> str:
    return f"/spaces/{slug}/cases/{number}/forms/{form}"


def pdf_text(body: bytes, tmp_path) -> str:
    if shutil.which("pdftotext") is None:
        if os.environ.get("CI"):
            pytest.fail("pdftotext is missing: apt-get install poppler-utils")
        pytest.skip("pdftotext is missing")
    path = tmp_path / "form.pdf"
    path.write_bytes(body)
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True)
    return re.sub(r"\s+", " ", out.stdout.decode("utf-8"))


def plain(html: str) -> str:
    """The page's text with its line breaks and wrapping points folded, as a reader sees it."""
    return re.sub(r"\s+", " ", html.replace("\u200b", ""))


@pytest.fixture
def officer_id(dbsession):
    return get_user(dbsession, "tancanh").id


@pytest.fixture
def full_case(app, dbsession, document_factory, officer_id):
    """A case of tan-canh through every step: its child from the register, assessed, its plan
    approved with a service done, then closed by a review."""
    document_factory.unit_user = officer_id
    case = document_factory.case("tan-canh", service=True)
    child = document_factory.child("tan-canh", full_name=CHILD_NAME)
    keyring = get_keyring(app.registry)
    link_child(dbsession, case, child_id=child.id, user_id=officer_id)
    service = dbsession.scalars(select(CaseService).where(CaseService.case_id == case.id)).one()
    today = local_today()
    record_outcome(
        dbsession, keyring, service, outcome="done", outcome_on=today, outcome_note=OUTCOME_NOTE, user_id=officer_id
    )
    add_review(
        dbsession,
        keyring,
        case,
        reviewed_on=today,
        harm="low",
        access="low",
        environment="medium",
        decision="close",
        notes=REVIEW_NOTES,
        user_id=officer_id,
    )
    dbsession.flush()
    return case


@pytest.fixture
def new_case(dbsession, document_factory, officer_id):
    """A case of tan-canh just received: no child linked, no step after the receipt."""
    document_factory.unit_user = officer_id
    return document_factory.case("tan-canh")


def test_each_form_prints_its_title_and_what_the_case_recorded(as_user, full_case):
    officer = as_user("tancanh")
    for code, spec in FORMS.items():
        page = officer.get(url(full_case.number, code))
        text = plain(page.text)
        assert spec.subject in text and spec.kind in text, code
        assert full_case.number in text
        for value in RECORDED[code]:
            assert value in text, (code, value)
        assert page.headers["Cache-Control"] == "no-store"
        # The page's title names the case and the form, never the child.
        title = page.html.title.text
        assert full_case.number in title and CHILD_NAME not in title
        assert page.html.select_one(f'a[href="{url(full_case.number, code)}.pdf"]') is not None


def test_each_form_exports_to_pdf_with_its_vietnamese_title(as_user, full_case, tmp_path):
    officer = as_user("tancanh")
    for code, spec in FORMS.items():
        res = officer.get(url(full_case.number, code) + ".pdf")
        assert res.content_type == "application/pdf"
        assert res.body.startswith(b"%PDF")
        assert res.headers["Cache-Control"] == "no-store"
        name = f"{full_case.number}-mau-{code}.pdf"
        assert res.headers["Content-Disposition"] == f'attachment; filename="{name}"'
        text = pdf_text(res.body, tmp_path)
        assert spec.title(vietnamese()) in text, code
        assert full_case.number in text
        assert RECORDED[code][0] in text, code
    # The case's number and the form: nothing of the child, nothing but ASCII.
    assert re.fullmatch(r"[A-Z0-9]+-\d{4}-\d{4}-mau-06\.pdf", name)


def test_the_decision_and_the_risks_print_as_recorded(as_user, full_case):
    officer = as_user("tancanh")
    decision = plain(officer.get(url(full_case.number, "05")).text)
    assert "1/QĐ-UBND" in decision
    # Dated the day of the decision, the receipt the day of the receipt (in Đăk Tô).
    assert place_date("Tân Cảnh", full_case.decision_date, vietnamese()) in decision
    receipt = plain(officer.get(url(full_case.number, "01")).text)
    assert place_date("Tân Cảnh", local_date(full_case.received_at), vietnamese()) in receipt
    # Form 02: medium, medium, low, each ticked once in its column.
    page = officer.get(url(full_case.number, "02"))
    rows = [[td.text.strip() for td in tr.select("td")] for tr in page.html.select("table.data tbody tr")]
    assert [r[1:] for r in rows[:3]] == [["☐", "☒", "☐"], ["☐", "☒", "☐"], ["☐", "☐", "☒"]]
    assert rows[3][1:] == ["0", "2", "1"]


def test_a_step_not_reached_prints_dotted_lines_to_complete_by_hand(as_user, new_case, tmp_path):
    officer = as_user("tancanh")
    plan = officer.get(url(new_case.number, "04"))
    text = plain(plan.text)
    assert FORMS["04"].subject in text
    assert "……" in text
    assert "Thăm gia đình" not in text  # no plan, no service
    # The child is not linked yet: its lines are blank too; the decision has no number yet.
    assert CHILD_NAME not in text
    decision = plain(officer.get(url(new_case.number, "05")).text)
    assert "…/QĐ-UBND" in decision
    review = officer.get(url(new_case.number, "06"))
    rows = [[td.text.strip() for td in tr.select("td")] for tr in review.html.select("table.data tbody tr")]
    assert all(cell == "☐" for row in rows[:3] for cell in row[1:])
    res = officer.get(url(new_case.number, "02") + ".pdf")
    text = pdf_text(res.body, tmp_path)
    assert FORMS["02"].kind in text and "……" in text


def test_every_print_and_export_is_audited_without_free_text(as_user, dbsession, full_case):
    officer = as_user("tancanh")
    officer.get(url(full_case.number, "03"))
    officer.get(url(full_case.number, "04") + ".pdf")
    lines = dbsession.execute(
        select(AuditEntry.action, AuditEntry.object_type, AuditEntry.detail, AuditEntry.user_id).where(
            AuditEntry.object_id == full_case.number, AuditEntry.action.in_(["case.print", "case.export"])
        )
    ).all()
    user_id = get_user(dbsession, "tancanh").id
    assert sorted((a, o, d, u) for a, o, d, u in lines) == [
        ("case.export", "case", {"form": "04", "format": "pdf"}, user_id),
        ("case.print", "case", {"form": "03"}, user_id),
    ]
    # The case's access log, read by the commune's chairman, shows them.
    chairman = as_user("chutich.tancanh")
    chairman.set_cookie("_LOCALE_", "en")
    log = chairman.get(f"/spaces/tan-canh/cases/{full_case.number}/access").text
    assert "Form of a case printed" in log and "Form of a case exported to PDF" in log


def test_the_case_team_prints_and_nobody_else_finds_the_forms(as_user, dbsession, factory, full_case):
    number = full_case.number
    for login in ("chutich.tancanh", "dieuphoi"):
        browser = as_user(login)
        assert CHILD_NAME in browser.get(url(number, "01")).text
        assert browser.get(url(number, "05") + ".pdf").body.startswith(b"%PDF")
    # An officer of the same commune not on the case's team, and one of another commune.
    same = factory.user("baove.tancanh", full_name="Cán bộ bảo vệ trẻ em khác")
    other = factory.user("baove.kondao", full_name="Cán bộ Kon Đào")
    dbsession.add_all(
        [
            Membership(
                user_id=same.id, space_id=get_space(dbsession, "tan-canh").id, role="officer", protects_children=True
            ),
            Membership(
                user_id=other.id, space_id=get_space(dbsession, "kon-dao").id, role="officer", protects_children=True
            ),
        ]
    )
    dbsession.flush()
    before = dbsession.scalar(
        select(AuditEntry.id).where(AuditEntry.action.in_(["case.print", "case.export"])).order_by(AuditEntry.id.desc())
    )
    for login in ("baove.tancanh", "baove.kondao", "admin", "sotinh", "congan"):
        browser = as_user(login)
        for slug in ("tan-canh", "kon-dao"):
            for form in ("01", "05", "07"):
                for path in (url(number, form, slug), url(number, form, slug) + ".pdf"):
                    res = browser.get(path, status=404)
                    assert CHILD_NAME not in res.text and res.headers["Cache-Control"] == "no-store", (login, path)
    after = dbsession.scalar(
        select(AuditEntry.id).where(AuditEntry.action.in_(["case.print", "case.export"])).order_by(AuditEntry.id.desc())
    )
    assert after == before  # nothing printed, nothing audited as printed


def test_an_unknown_form_is_not_found_by_the_team_either(as_user, full_case):
    officer = as_user("tancanh")
    for form in ("00", "07", "1", "mau-01", "01.xlsx"):
        officer.get(url(full_case.number, form), status=404)
    officer.get(url(full_case.number, "07") + ".pdf", status=404)
    officer.get(url("TC-2017-9999", "01"), status=404)


def test_the_case_page_links_to_each_form(as_user, full_case):
    page = as_user("tancanh").get(f"/spaces/tan-canh/cases/{full_case.number}")
    for code in FORMS:
        assert page.html.select_one(f'a[href="{url(full_case.number, code)}"]') is not None
        assert page.html.select_one(f'a[href="{url(full_case.number, code)}.pdf"]') is not None


def test_the_links_name_the_forms_as_the_printing_module_does():
    from pathlib import Path

    import intranet

    source = (Path(intranet.__file__).parent / "templates" / "cases" / "_print_links.jinja2").read_text("utf-8")
    for code, spec in FORMS.items():
        assert f"('{code}', _(\"{spec.label}\"))" in source


def test_a_reader_in_english_gets_the_forms_titles_in_english(as_user, full_case):
    officer = as_user("tancanh")
    officer.set_cookie("_LOCALE_", "en")
    for code in ("01", "05"):
        text = plain(officer.get(url(full_case.number, code)).text)
        assert FORMS[code].subject_en in text and f"Form No. {code}" in text
        assert CHILD_NAME in text and full_case.number in text
    res = officer.get(url(full_case.number, "05") + ".pdf")
    assert res.headers["Content-Disposition"] == f'attachment; filename="{full_case.number}-mau-05.pdf"'


def test_a_document_in_a_log_or_a_traceback_shows_no_name(app, dbsession, full_case):
    from intranet.cases import printing

    data = printing.read(dbsession, app.registry, full_case)
    for code in FORMS:
        doc = printing.document(vietnamese(), get_space(dbsession, "tan-canh"), data, code)
        assert CHILD_NAME not in repr(doc) and REVIEW_NOTES not in repr(doc), code
    assert CHILD_NAME not in repr(data)
