"""Defects users saw on the pages: the sharing page's title, the registry's links to communes, the
words for the township, the plan's review heading, the year the district's assessments open on,
and the API tokens offered to commune officers."""

from __future__ import annotations

import datetime as dt
import re

from intranet.reports.exports import vietnamese

REGISTRY = "/p/ldtbxh/registry"


def vi(message, **mapping) -> str:
    """What a Vietnamese page says for ``message`` (before the catalogue has it: the English)."""
    return vietnamese().t(message, **mapping)


def title_of(html: str) -> str:
    match = re.search(r"<title>(.*?)</title>", html, flags=re.S)
    assert match, "no <title>"
    return match.group(1)


# --- 1. the sharing page's title ---------------------------------------------------------------------


def test_sharing_page_title_is_text_not_the_settings_form(as_user):
    page = as_user("admin").get("/spaces/kon-dao/sharing")
    title = title_of(page.text)
    assert "<" not in title and "csrf" not in title
    assert title.startswith("Phân quyền · UBND xã Kon Đào · ")
    # The settings form is still on the page, once.
    assert page.text.count('name="officers_may_submit"') == 1


# --- 4. the registry links only to the communes the reader may open ---------------------------------


def unit_id(dbsession, code: str) -> int:
    from intranet_ldtbxh.models import Unit
    from sqlalchemy import select

    return dbsession.scalar(select(Unit.id).where(Unit.code == code))


def test_registry_unit_page_links_the_commune_only_for_those_who_may_open_it(as_user, dbsession):
    url = f"{REGISTRY}/{unit_id(dbsession, 'tham-van-tan-canh')}"
    link = 'href="/spaces/tan-canh"'
    agency_officer = as_user("congan")
    agency_officer.get("/spaces/tan-canh", status=403)
    page = agency_officer.get(url)
    assert link not in page.text and "UBND xã Tân Cảnh" in page.text  # named, not linked
    for login in ("tancanh", "dieuphoi", "sotinh"):
        browser = as_user(login)
        assert link in browser.get(url).text, login
        browser.get("/spaces/tan-canh", status=200)


# --- 6. the township is not a "xã" ----------------------------------------------------------------------


def test_plan_of_the_township_does_not_call_it_a_commune(as_user):
    """Vietnamese wording of a changed translation: passes once the catalogue has it."""
    browser = as_user("dieuphoi")
    for url in ("/spaces/tt-dak-to/plans/2017", "/spaces/tt-dak-to/plans/2017/revisions/1/print"):
        text = browser.get(url).text
        assert "Tình hình trẻ em trên địa bàn xã, thị trấn" in text, url
        assert "trên địa bàn xã<" not in text, url


# --- 7. the plan's review heading ----------------------------------------------------------------------


def test_review_heading_of_a_plan_names_the_plan(as_user):
    browser = as_user("dieuphoi")
    browser.set_cookie("_LOCALE_", "en")
    page = browser.get("/spaces/ngoc-tu/plans/2017")  # submitted: the coordinator reviews it
    assert "<h2>Review the plan</h2>" in page.text


def test_review_heading_of_a_plan_in_vietnamese(as_user):
    """Vietnamese wording of a new message: passes once the catalogue has it."""
    page = as_user("dieuphoi").get("/spaces/ngoc-tu/plans/2017")
    assert "<h2>Xem xét kế hoạch</h2>" in page.text and "Xem xét báo cáo" not in page.text


# --- 10. the year the district's assessments open on ------------------------------------------------------


def shown_year(html: str) -> int:
    return int(re.search(r'<input id="year" name="year" value="(\d+)"', html).group(1))


def test_district_assessments_open_on_a_year_with_criteria(as_user, monkeypatch):
    from intranet.assessments import views

    browser = as_user("dieuphoi")
    # On the demo's clock (2017) no criteria set is in force yet: the 2019 one is the first.
    monkeypatch.setattr(views, "local_today", lambda: dt.date(2017, 11, 20))
    page = browser.get("/district/assessments")
    assert shown_year(page.text) == 2019
    assert "06/QĐ-TTg" in page.text  # the set in force is named
    # A later year under the same set: that year.
    monkeypatch.setattr(views, "local_today", lambda: dt.date(2021, 3, 1))
    assert shown_year(browser.get("/district/assessments").text) == 2021
    # Asked for, 2017 is still shown.
    assert shown_year(browser.get("/district/assessments?year=2017").text) == 2017


# --- 11. API tokens only for those who use the API -------------------------------------------------------


def test_commune_officers_are_not_offered_api_tokens(as_user):
    for login in ("tancanh", "chutich.tancanh", "congan"):
        browser = as_user(login)
        assert 'href="/account/tokens"' not in browser.get("/account/password").text, login
        browser.get("/account/tokens", status=403)


def test_district_and_province_keep_their_api_tokens(as_user):
    for login in ("admin", "dieuphoi", "sotinh"):
        browser = as_user(login)
        assert 'href="/account/tokens"' in browser.get("/account/password").text, login
        assert "Authorization: Bearer" in browser.get("/account/tokens").text
