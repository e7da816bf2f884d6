"""Uploaded files: kept under the extension of what they really are, Office files that would
inflate past the bounds refused, and a duty log's number of files bounded."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from sqlalchemy import func, select
from webtest import Upload

from intranet.documents.services import MAX_ZIP_ENTRIES, MAX_ZIP_RATIO
from intranet.duties.models import DutyLog, Evidence
from intranet.duties.services import MAX_EVIDENCE_FILES

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DUTY = "xa.bao-cao-dinh-ky"


def open_form(browser):
    form = browser.get(f"/spaces/tan-canh/logs/new?duty={DUTY}").forms[1]
    form["log_date"], form["description"], form["progress"] = "01/06/2017", "Họp dân thôn 3, có biên bản", "done"
    return form


def office(extra: dict[str, int] | None = None, entries: int = 0) -> bytes:
    """A DOCX; ``extra`` adds entries of that many zero bytes (streamed, never held whole)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
        for name, size in (extra or {}).items():
            with zf.open(name, "w", force_zip64=True) as f:
                block = b"\x00" * (1024 * 1024)
                for _ in range(size // len(block)):
                    f.write(block)
        for i in range(entries):
            zf.writestr(f"word/media/{i}.xml", "")
    return buf.getvalue()


@pytest.mark.parametrize(
    "sent,kept",
    [
        ("trang.html", "trang.jpg"),
        ("anh.svg", "anh.jpg"),
        ("chay-thu.exe", "chay-thu.jpg"),
        ("anh-chup.JPEG", "anh-chup.JPEG"),
        (".html", "minh-chung.jpg"),
    ],
)
def test_a_file_is_kept_under_the_extension_of_what_it_is(as_user, dbsession, sent, kept):
    browser = as_user("tancanh")
    form = open_form(browser)
    form["evidence"] = [Upload(sent, JPEG)]
    page = form.submit(status=302).follow()
    assert dbsession.scalars(select(Evidence.filename)).all() == [kept]
    url = re.search(r'href="(/spaces/tan-canh/logs/\d+/evidence/\d+)"', page.text).group(1)
    res = browser.get(url)
    assert res.content_type == "image/jpeg" and kept in res.headers["Content-Disposition"]


def test_a_pdf_named_svg_is_kept_as_pdf(as_user, dbsession):
    form = open_form(as_user("tancanh"))
    form["evidence"] = [Upload("so-do.svg", PDF)]
    form.submit(status=302)
    assert dbsession.scalars(select(Evidence.filename)).all() == ["so-do.pdf"]


@pytest.mark.parametrize(
    "name,data",
    [
        ("bom.docx", office({"word/media/a.bin": 101 * 1024 * 1024})),  # 101 MB once unpacked
        ("nen.docx", office({"word/media/a.bin": 2 * 1024 * 1024})),  # 2 MB at a ratio past MAX_ZIP_RATIO
        ("nhieu.docx", office(entries=MAX_ZIP_ENTRIES + 1)),
    ],
    ids=["size", "ratio", "entries"],
)
def test_an_office_file_that_inflates_past_the_bounds_is_refused(as_user, dbsession, name, data):
    form = open_form(as_user("tancanh"))
    form["evidence"] = [Upload(name, data)]
    res = form.submit(status=400)
    assert name in res.text and "100 MB" in res.text
    assert "Họp dân thôn 3, có biên bản" in res.text  # nothing typed is lost
    assert dbsession.scalar(select(func.count()).select_from(DutyLog)) == 0


def test_the_ratio_bomb_is_small_but_inflates_past_the_ratio():
    info = zipfile.ZipFile(io.BytesIO(office({"a": 2 * 1024 * 1024}))).getinfo("a")
    assert info.file_size > MAX_ZIP_RATIO * info.compress_size


def test_a_real_office_file_is_accepted(as_user, dbsession):
    form = open_form(as_user("tancanh"))
    form["evidence"] = [Upload("bao-cao.docx", office({"word/media/a.bin": 1024 * 1024}, entries=50))]
    form.submit(status=302)
    assert dbsession.scalars(select(Evidence.filename)).all() == ["bao-cao.docx"]


def _files(n: int):
    # Distinct bytes: the same file twice is stored once, but still counts as two attachments.
    return [("evidence", f"anh-{i}.png", PNG + bytes([i])) for i in range(n)]


def test_too_many_files_for_one_log_are_refused_and_what_was_typed_is_kept(as_user, dbsession):
    res = open_form(as_user("tancanh")).submit(upload_files=_files(MAX_EVIDENCE_FILES + 1), status=400)
    assert 'id="err-evidence"' in res.text and str(MAX_EVIDENCE_FILES) in res.text
    assert 'aria-invalid="true"' in res.text
    assert "Họp dân thôn 3, có biên bản" in res.text
    assert dbsession.scalar(select(func.count()).select_from(DutyLog)) == 0


def test_a_correction_counts_the_files_already_attached(as_user, dbsession):
    browser = as_user("tancanh")
    open_form(browser).submit(upload_files=_files(MAX_EVIDENCE_FILES), status=302)
    log_id = dbsession.scalars(select(DutyLog.id)).one()
    form = browser.get(f"/spaces/tan-canh/logs/{log_id}/edit").forms[1]
    form["description"] = "Bổ sung ảnh chụp buổi họp"
    res = form.submit(upload_files=[("evidence", "them.png", PNG + b"x")], status=400)
    assert 'id="err-evidence"' in res.text and "Bổ sung ảnh chụp buổi họp" in res.text
    # Removing one first makes room for it.
    form = res.forms[1]
    form.get("remove_evidence", index=0).checked = True
    form.submit(upload_files=[("evidence", "them.png", PNG + b"x")], status=302)
    assert dbsession.scalar(select(func.count()).select_from(Evidence)) == MAX_EVIDENCE_FILES
