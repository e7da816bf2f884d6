"""Spaces: what each demo account sees, cross-space denial, the space page and the sharing page."""

from __future__ import annotations

import re

import pytest

from tests.fixtures.browser import csrf_from
from tests.fixtures.factories import get_space

ALL_SLUGS = {
    "ldtbxh",
    "taichinh-kehoach",
    "noivu",
    "yte",
    "giaoduc",
    "vanhoa-thongtin",
    "congan",
    "trungtam-yte",
    "danso-khhgd",
    "truyenthanh-truyenhinh",
    "mattran-doanthe",
    "tt-dak-to",
    "tan-canh",
    "kon-dao",
    "dak-tram",
    "ngoc-tu",
    "dak-ro-nga",
    "dien-binh",
    "po-ko",
    "van-lem",
}

EXPECTED_SPACES = {
    "admin": ALL_SLUGS,
    "dieuphoi": ALL_SLUGS,
    "sotinh": ALL_SLUGS,
    "congan": {"congan"},
    "giaoduc": {"giaoduc"},
    "yte": {"yte"},
    "truyenhinh": {"truyenthanh-truyenhinh"},
    "tancanh": {"tan-canh"},
    "chutich.tancanh": {"tan-canh"},
}


def listed_slugs(html: str) -> set[str]:
    return set(re.findall(r'href="/spaces/([a-z0-9-]+)"', html))


@pytest.mark.parametrize("login", sorted(EXPECTED_SPACES))
def test_each_demo_account_sees_its_spaces(as_user, login):
    browser = as_user(login)
    assert listed_slugs(browser.get("/spaces").text) == EXPECTED_SPACES[login]
    api = browser.get("/api/v1/spaces").json
    assert {s["slug"] for s in api["spaces"]} == EXPECTED_SPACES[login]


def test_space_titles_have_diacritics(as_user):
    text = as_user("admin").get("/spaces").text
    for title in (
        "Phòng Lao động – Thương binh và Xã hội",
        "Công an huyện",
        "UBND xã Tân Cảnh",
        "UBND xã Đăk Rơ Nga",
        "UBND thị trấn Đăk Tô",
        "Đài Truyền thanh – Truyền hình huyện",
    ):
        assert title in text


def test_officer_cannot_read_another_space(as_user):
    browser = as_user("tancanh")
    browser.get("/spaces/congan", status=403)
    browser.get("/spaces/kon-dao", status=403)
    browser.get("/spaces/kon-dao/logs", status=403)
    browser.get("/spaces/kon-dao/logs/new", status=403)


def test_officer_cannot_post_into_another_space(as_user):
    browser = as_user("tancanh")
    token = csrf_from(browser.get("/spaces/tan-canh"))
    browser.post(
        "/spaces/congan/logs/new?duty=congan.bao-cao-dinh-ky",
        {"csrf_token": token, "log_date": "01/05/2017", "description": "x", "progress": "done"},
        status=403,
    )


def test_unknown_space_is_404(as_user):
    as_user("admin").get("/spaces/khong-co", status=404)


def test_space_page_shows_members_duties_and_logs(as_user):
    res = as_user("tancanh").get("/spaces/tan-canh")
    assert "<h1>UBND xã Tân Cảnh</h1>" in res.text
    assert "A Thịnh" in res.text and "Y Bình" in res.text  # members
    assert "kế hoạch công tác bảo vệ, chăm sóc trẻ em năm 2017" in res.text  # plan wording
    assert "15/12/2017" in res.text  # the reporting duty


def test_province_reads_but_cannot_write(as_user):
    browser = as_user("sotinh")
    browser.get("/spaces/tan-canh", status=200)
    browser.get("/spaces/tan-canh/logs/new", status=403)
    browser.get("/district/duties", status=200)
    browser.get("/admin/users", status=403)
    browser.get("/spaces/tan-canh/sharing", status=403)


def test_coordinator_reads_every_space_but_writes_only_in_ldtbxh(as_user):
    browser = as_user("dieuphoi")
    browser.get("/spaces/congan", status=200)
    browser.get("/spaces/congan/logs/new", status=403)
    browser.get("/spaces/ldtbxh/logs/new", status=200)


def role_form(page):
    return next(f for f in page.forms.values() if "role" in f.fields and "login" in f.fields)


def test_sharing_page_gives_and_removes_a_role(as_user, factory, dbsession):
    user = factory.user("canbo.kondao", full_name="Rơ Mah Hùng")
    admin = as_user("admin")
    page = admin.get("/spaces/kon-dao/sharing")
    form = role_form(page)
    form["login"] = "canbo.kondao"
    form["role"] = "officer"
    form.submit(status=302)
    assert "Rơ Mah Hùng" in admin.get("/spaces/kon-dao").text
    from sqlalchemy import select

    from intranet.spaces.models import Membership

    roles = dbsession.scalars(select(Membership.role).where(Membership.user_id == user.id)).all()
    assert roles == ["officer"]
    form = role_form(admin.get("/spaces/kon-dao/sharing"))
    form["login"] = "canbo.kondao"
    form["role"] = "none"
    form.submit(status=302)
    assert dbsession.scalars(select(Membership).where(Membership.user_id == user.id)).all() == []


def test_sharing_rejects_unknown_user(as_user):
    admin = as_user("admin")
    token = csrf_from(admin.get("/spaces/kon-dao/sharing"))
    res = admin.post("/spaces/kon-dao/sharing", {"csrf_token": token, "login": "nobody", "role": "head"}, status=400)
    assert "Không có người dùng nào có tên đăng nhập này" in res.text


def test_new_member_sees_space_immediately(as_user, factory, dbsession):
    user = factory.user("multi.role")
    from tests.fixtures.factories import get_space

    factory.membership(user, get_space(dbsession, "kon-dao"), "viewer")
    factory.membership(user, get_space(dbsession, "po-ko"), "officer")
    browser = as_user("multi.role")
    assert listed_slugs(browser.get("/spaces").text) == {"kon-dao", "po-ko"}
    browser.get("/spaces/kon-dao/logs/new", status=403)  # viewer there
    browser.get("/spaces/po-ko/logs/new", status=200)  # officer here


def test_sharing_page_lets_officers_submit(as_user, dbsession):
    admin = as_user("admin")
    page = admin.get("/spaces/kon-dao/sharing")
    form = next(f for f in page.forms.values() if "officers_may_submit" in f.fields)
    form["officers_may_submit"] = True
    form.submit(status=302)
    assert get_space(dbsession, "kon-dao").officers_may_submit
