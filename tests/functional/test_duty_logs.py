"""The duty-log round trip: record, validate, attach evidence, correct, conflict, audit."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from webtest import Upload

from intranet.audit.models import AuditEntry
from intranet.duties.models import DutyLog
from tests.fixtures.factories import get_space, get_user

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def office_file(kind: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml" if kind == "docx" else "xl/workbook.xml", "<x/>")
    return buf.getvalue()


def commune_duty_with_measure(app):
    from intranet.host import get_registry

    for duty in get_registry(app.registry).duties_for("xa"):
        if duty.measures:
            return duty
    raise AssertionError("no commune duty declares a measure")


def open_form(browser, duty_key, slug="tan-canh"):
    return browser.get(f"/spaces/{slug}/logs/new?duty={duty_key}").forms[1]


def test_record_a_duty_log_round_trip(as_user, app, dbsession):
    duty = commune_duty_with_measure(app)
    measure = duty.measures[0]
    browser = as_user("tancanh")
    form = open_form(browser, duty.key)
    form["log_date"] = "20/5/2017"
    form["description"] = "Tổ chức nói chuyện chuyên đề tại thôn Đăk Rơ Wang"
    form[f"m_{measure.key}"] = "1.250"
    form["progress"] = "in_progress"
    form["evidence"] = [Upload("bien-ban.pdf", PDF)]
    res = form.submit(status=302).follow()
    assert "Tổ chức nói chuyện chuyên đề tại thôn Đăk Rơ Wang" in res.text
    assert "20/05/2017" in res.text
    assert "bien-ban.pdf" in res.text
    # The unit's page lists the log with its value (read with the evidence in one statement).
    assert f"{measure.label}: <strong>1.250</strong>" in res.text
    # The requests share this session: the unit's page loaded the log without its values.
    log = dbsession.scalars(
        select(DutyLog)
        .where(DutyLog.duty_key == duty.key)
        .options(selectinload(DutyLog.values))
        .execution_options(populate_existing=True)
    ).one()
    assert [(v.measure_key, v.value) for v in log.values] == [(measure.key, 1250)]
    assert log.progress == "in_progress"
    entry = dbsession.scalars(select(AuditEntry).where(AuditEntry.action == "duty_log.create")).one()
    assert entry.object_id == str(log.id) and entry.space_id == log.space_id
    assert entry.detail["after"]["values"] == {measure.key: 1250}


def test_invalid_log_keeps_what_was_typed(as_user, app):
    duty = commune_duty_with_measure(app)
    browser = as_user("tancanh")
    form = open_form(browser, duty.key)
    form["log_date"] = "31/02/2017"
    form["description"] = "Nội dung đã nhập, không được mất"
    form[f"m_{duty.measures[0].key}"] = "mười"
    res = form.submit(status=400)
    assert "Nội dung đã nhập, không được mất" in res.text
    assert 'value="mười"' in res.text
    assert 'value="31/02/2017"' in res.text
    assert res.text.count('aria-invalid="true"') == 2  # date, measure
    assert res.text.count('class="error"') == 2


def test_future_date_is_refused(as_user, app):
    browser = as_user("tancanh")
    form = open_form(browser, "xa.bao-cao-dinh-ky")
    form["log_date"] = "01/01/2999"
    form["description"] = "x"
    form["progress"] = "done"
    form.submit(status=400)


@pytest.mark.parametrize(
    "name,data",
    [
        ("anh.png", PNG),
        ("bao-cao.docx", office_file("docx")),
        ("so-lieu.xlsx", office_file("xlsx")),
        ("scan.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 32),
    ],
)
def test_accepted_evidence_kinds(as_user, name, data):
    form = open_form(as_user("tancanh"), "xa.bao-cao-dinh-ky")
    form["log_date"], form["description"], form["progress"] = "01/06/2017", "Đã gửi báo cáo", "done"
    form["evidence"] = [Upload(name, data)]
    assert name in form.submit(status=302).follow().text


@pytest.mark.parametrize(
    "name,data",
    [
        ("virus.pdf", b"MZ\x90\x00 not a pdf at all"),  # a PDF name, not PDF content
        ("trang.html", b"<html><script>alert(1)</script></html>"),
        ("fake.docx", b"PK\x03\x04 broken zip"),
    ],
)
def test_wrong_kind_of_file_is_refused_by_content(as_user, name, data, dbsession):
    form = open_form(as_user("tancanh"), "xa.bao-cao-dinh-ky")
    form["log_date"], form["description"], form["progress"] = "01/06/2017", "Đã gửi báo cáo", "done"
    form["evidence"] = [Upload(name, data)]
    res = form.submit(status=400)
    assert name in res.text
    assert "Đã gửi báo cáo" in res.text  # nothing typed is lost
    assert dbsession.scalars(select(DutyLog)).all() == []


def test_too_big_file_is_refused(as_user, app, dbsession):
    limit = int(app.registry.settings["intranet.max_upload_bytes"])
    form = open_form(as_user("tancanh"), "xa.bao-cao-dinh-ky")
    form["log_date"], form["description"], form["progress"] = "01/06/2017", "Báo cáo", "done"
    form["evidence"] = [Upload("lon.pdf", b"%PDF-" + b"0" * limit)]
    res = form.submit(status=400)
    assert "10 MB" in res.text
    assert dbsession.scalars(select(DutyLog)).all() == []


def _logged(browser, duty_key="xa.bao-cao-dinh-ky", evidence=None):
    form = open_form(browser, duty_key)
    form["log_date"], form["description"], form["progress"] = "02/06/2017", "Bản đầu tiên", "in_progress"
    if evidence:
        form["evidence"] = [Upload(*evidence)]
    form.submit(status=302)


def test_evidence_is_served_only_to_readers_of_the_space(as_user, dbsession):
    tancanh = as_user("tancanh")
    _logged(tancanh, evidence=("bien-ban.pdf", PDF))
    page = tancanh.get("/spaces/tan-canh")
    url = re.search(r'href="(/spaces/tan-canh/logs/\d+/evidence/\d+)"', page.text).group(1)
    res = tancanh.get(url)
    assert res.body == PDF and res.content_type == "application/pdf"
    assert as_user("dieuphoi").get(url).body == PDF  # coordinator reads every space
    as_user("congan").get(url, status=403)
    as_user("giaoduc").get(url.replace("tan-canh", "giaoduc"), status=404)


def test_same_file_is_stored_once(as_user, dbsession):
    from intranet.documents.models import Blob

    browser = as_user("tancanh")
    _logged(browser, evidence=("a.pdf", PDF))
    _logged(browser, evidence=("b.pdf", PDF))
    assert len(dbsession.scalars(select(Blob)).all()) == 1


def edit_form(browser, log_id, slug="tan-canh"):
    return browser.get(f"/spaces/{slug}/logs/{log_id}/edit").forms[1]


def test_author_and_head_correct_a_log_other_officer_cannot(as_user, dbsession, factory):
    tancanh = as_user("tancanh")
    _logged(tancanh)
    log = dbsession.scalars(select(DutyLog)).one()
    form = edit_form(tancanh, log.id)
    form["description"] = "Bản do tác giả sửa"
    form["progress"] = "done"
    form.submit(status=302)
    head = as_user("chutich.tancanh")
    form = edit_form(head, log.id)
    form["description"] = "Bản do chủ tịch sửa"
    form.submit(status=302)
    dbsession.refresh(log)
    assert log.description == "Bản do chủ tịch sửa" and log.progress == "done"
    other = factory.user("canbo2.tancanh")
    factory.membership(other, get_space(dbsession, "tan-canh"), "officer")
    as_user("canbo2.tancanh").get(f"/spaces/tan-canh/logs/{log.id}/edit", status=403)
    as_user("dieuphoi").get(f"/spaces/tan-canh/logs/{log.id}/edit", status=403)
    updates = dbsession.scalars(
        select(AuditEntry).where(AuditEntry.action == "duty_log.update").order_by(AuditEntry.id)
    ).all()
    # The trail says which fields changed and how long the text was, never the text itself: a
    # child's name typed by mistake and corrected must not live on in the audit trail.
    assert "description" in updates[0].detail["changed"] and "progress" in updates[0].detail["changed"]
    assert [u.detail["after"]["description"] for u in updates] == [
        {"chars": len("Bản do tác giả sửa")},
        {"chars": len("Bản do chủ tịch sửa")},
    ]
    assert updates[0].detail["before"]["description"] == {"chars": len("Bản đầu tiên")}
    assert "Bản" not in str([u.detail for u in updates])
    assert {u.user_id for u in updates} == {
        get_user(dbsession, "tancanh").id,
        get_user(dbsession, "chutich.tancanh").id,
    }


def test_author_removed_from_space_can_no_longer_correct(as_user, dbsession):
    from intranet.spaces.models import Membership

    tancanh = as_user("tancanh")
    _logged(tancanh)
    log = dbsession.scalars(select(DutyLog)).one()
    user = get_user(dbsession, "tancanh")
    m = dbsession.scalars(select(Membership).where(Membership.user_id == user.id)).one()
    m.role = "viewer"
    dbsession.flush()
    tancanh.get(f"/spaces/tan-canh/logs/{log.id}/edit", status=403)


def test_stale_save_shows_conflict_and_overwrites_nothing(as_user, dbsession):
    author = as_user("tancanh")
    _logged(author)
    log = dbsession.scalars(select(DutyLog)).one()
    head = as_user("chutich.tancanh")
    mine = edit_form(author, log.id)
    theirs = edit_form(head, log.id)
    theirs["description"] = "Chủ tịch lưu trước"
    theirs.submit(status=302)
    mine["description"] = "Tôi lưu sau, trên bản cũ"
    res = mine.submit(status=409)
    assert "Chủ tịch lưu trước" in res.text and "Tôi lưu sau, trên bản cũ" in res.text
    dbsession.refresh(log)
    assert log.description == "Chủ tịch lưu trước"
    # The conflict page carries the new version: saving again on purpose works.
    res.forms[1].submit(status=302)
    dbsession.refresh(log)
    assert log.description == "Tôi lưu sau, trên bản cũ"


def test_logs_page_pages(as_user, dbsession, factory):
    space = get_space(dbsession, "tan-canh")
    author = get_user(dbsession, "tancanh")
    for _ in range(45):
        factory.log(space, author, "xa.bao-cao-dinh-ky")
    browser = as_user("tancanh")
    first = browser.get("/spaces/tan-canh/logs")
    assert first.text.count('class="pre"') == 20
    assert "page=2" in first.text
    third = browser.get("/spaces/tan-canh/logs?page=3")
    assert third.text.count('class="pre"') == 5
    assert browser.get("/spaces/tan-canh/logs?page=abc").status_int == 200
