"""What the pages show is written one way: the space around "·" and before a count, percentages
as "97,9 %" (GLOSSARY: formats).

Templates are rendered with trim_blocks and lstrip_blocks, which drop the line break after a block
tag and the indent before one: a separator at the start of an ``{% if %}`` line must carry its own
space, or it sticks to what the previous line printed ("05/06/2017· Phiên bản")."""

from __future__ import annotations

import re
from html import unescape

from tests.fixtures.factories import get_space, get_user

GLUED_PERCENT = re.compile(r"\d%")
PERCENT = re.compile(r"\d+(?:,\d+)? %")
#: A separator stuck to the word before it: "05/06/2017· Phiên bản".
GLUED_DOT = re.compile(r"[^\s(]·")


def text_of(html: str) -> str:
    """The page as a reader sees it: tags removed, runs of white space as one space."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", "", html)))


def test_the_log_count_is_apart_from_the_record_button(as_user, dbsession, factory):
    factory.log(get_space(dbsession, "tan-canh"), get_user(dbsession, "tancanh"), "xa.bao-cao-dinh-ky")
    text = text_of(as_user("tancanh").get("/spaces/tan-canh").text)
    assert "Ghi nhật ký 1 nhật ký" in text
    assert not re.search(r"[^\W\d_]\d+ nhật ký", text)


def test_the_form_version_is_apart_from_the_due_date(as_user):
    text = text_of(as_user("tancanh").get("/spaces/tan-canh/reports/xa.bao-cao/2017-6t").text)
    assert re.search(r"Hạn nộp 05/06/2017 · .*Phiên bản mẫu báo cáo \d", text)
    assert not GLUED_DOT.search(text), GLUED_DOT.findall(text)


def test_the_dates_of_an_approved_plan_are_apart(as_user):
    browser = as_user("dieuphoi")
    plans = browser.get("/spaces/tt-dak-to/plans")
    url = re.search(r'href="(/spaces/tt-dak-to/plans/2017[^"]*)"', plans.text).group(1)
    text = text_of(browser.get(url).text)
    assert re.search(r"Đã gửi \d\d/\d\d/\d{4}( \d\d:\d\d)? · Đã phê duyệt \d\d/\d\d/\d{4}", text), text[:600]
    assert not GLUED_DOT.search(text), GLUED_DOT.findall(text)


def test_indicators_write_percentages_with_a_space(as_user):
    text = text_of(as_user("dieuphoi").get("/district/indicators/2017-6t").text)
    assert re.search(r"Thực hiện: \d+(,\d+)? %", text)
    assert re.search(r"Tỷ lệ hoàn thành \d+(,\d+)? %", text)
    assert not GLUED_PERCENT.search(text), GLUED_PERCENT.findall(text)


def test_commune_plans_write_percentages_with_a_space(as_user):
    text = text_of(as_user("dieuphoi").get("/district/plans").text)
    assert PERCENT.search(text)
    assert not GLUED_PERCENT.search(text), GLUED_PERCENT.findall(text)


def test_the_consolidated_pdf_writes_percentages_with_a_space(as_user, monkeypatch):
    from intranet.reports import exports

    monkeypatch.setattr(exports, "html_to_pdf", lambda html: html.encode("utf-8"))
    html = as_user("dieuphoi").get("/district/reports/2017-6t/export.pdf").body.decode("utf-8")
    text = text_of(html)
    assert re.search(r"\(≥ 100 %\)", text), text[:800]
    assert PERCENT.search(text)
    assert not GLUED_PERCENT.search(text), GLUED_PERCENT.findall(text)
