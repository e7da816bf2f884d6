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


# --- the unit's child-protection officer (Membership.protects_children) --------------------------------


def membership_of(dbsession, user, slug="kon-dao"):
    from sqlalchemy import select

    from intranet.spaces.models import Membership

    space = get_space(dbsession, slug)
    return dbsession.scalars(
        select(Membership).where(Membership.user_id == user.id, Membership.space_id == space.id)
    ).one_or_none()


def membership_audit(dbsession, user):
    """The detail of each "membership.change" line about ``user``, oldest first."""
    from sqlalchemy import select

    from intranet.audit.models import AuditEntry

    return dbsession.scalars(
        select(AuditEntry.detail)
        .where(AuditEntry.action == "membership.change", AuditEntry.object_id == str(user.id))
        .order_by(AuditEntry.id)
    ).all()


def share(browser, login, role, *, protects_children=False, slug="kon-dao", status=302):
    form = role_form(browser.get(f"/spaces/{slug}/sharing"))
    form["login"] = login
    form["role"] = role
    form["protects_children"] = protects_children
    return form.submit(status=status)


def test_sharing_page_designates_and_undesignates_the_child_protection_officer(as_user, factory, dbsession):
    user = factory.user("baove.kondao", full_name="A Khang")
    admin = as_user("admin")
    share(admin, "baove.kondao", "officer", protects_children=True)
    assert membership_of(dbsession, user).protects_children
    page = admin.get("/spaces/kon-dao/sharing").text
    assert "<td>A Khang</td><td>baove.kondao</td><td>Cán bộ</td><td>Có</td>" in page
    # saving sets both: the role, and the designation only while the box is ticked
    share(admin, "baove.kondao", "head", protects_children=True)
    assert (membership_of(dbsession, user).role, membership_of(dbsession, user).protects_children) == ("head", True)
    share(admin, "baove.kondao", "head")
    assert membership_of(dbsession, user).protects_children is False
    assert (
        "<td>A Khang</td><td>baove.kondao</td><td>Trưởng đơn vị</td><td>—</td>"
        in admin.get("/spaces/kon-dao/sharing").text
    )
    share(admin, "baove.kondao", "none")
    assert membership_of(dbsession, user) is None
    # each save is one audit line, the flag's change beside the role's, and nothing about a child
    assert membership_audit(dbsession, user) == [
        {"user": "baove.kondao", "before": None, "after": "officer", "protects_children": [False, True]},
        {"user": "baove.kondao", "before": "officer", "after": "head", "protects_children": [True, True]},
        {"user": "baove.kondao", "before": "head", "after": "head", "protects_children": [True, False]},
        {"user": "baove.kondao", "before": "head", "after": None, "protects_children": [False, False]},
    ]


@pytest.mark.parametrize("role", ["viewer", "none"])
def test_sharing_page_refuses_a_viewer_as_child_protection_officer(as_user, factory, dbsession, role):
    from pathlib import Path

    from pyramid.i18n import make_localizer

    import intranet
    from intranet.spaces.forms import MSG_NOT_DESIGNABLE

    user = factory.user("xem.kondao")
    factory.membership(user, get_space(dbsession, "kon-dao"), "viewer")
    admin = as_user("admin")
    res = share(admin, "xem.kondao", role, protects_children=True, status=400)
    vietnamese = make_localizer("vi", [str(Path(intranet.__file__).parent / "locale")])
    message = vietnamese.translate(MSG_NOT_DESIGNABLE)
    assert f'<p class="error" id="err-protects_children">{message}</p>' in res.text
    assert 'aria-describedby="err-protects_children"' in res.text
    assert role_form(res)["protects_children"].checked  # the refused form comes back as it was sent
    membership = membership_of(dbsession, user)
    assert (membership.role, membership.protects_children) == ("viewer", False)
    assert membership_audit(dbsession, user) == []
    # a viewer without the box ticked is saved as before
    share(admin, "xem.kondao", "viewer")
    assert membership_audit(dbsession, user)[-1]["protects_children"] == [False, False]


def test_the_service_never_designates_a_viewer(factory, dbsession):
    from intranet.spaces.services import set_role

    user = factory.user()
    space = get_space(dbsession, "kon-dao")
    for role in ("viewer", None):
        with pytest.raises(ValueError):
            set_role(dbsession, space, user, role, protects_children=True)
    assert membership_of(dbsession, user) is None


def test_the_demo_officer_of_tan_canh_is_its_child_protection_officer(as_user, dbsession):
    page = as_user("admin").get("/spaces/tan-canh/sharing").text
    assert "<td>A Thịnh</td><td>tancanh</td><td>Cán bộ</td><td>Có</td>" in page
    assert "<td>Y Bình</td><td>chutich.tancanh</td><td>Trưởng đơn vị</td><td>—</td>" in page


def principals(dbsession, user) -> list[str]:
    """The principals of ``user`` as a request authenticated by an API token works them out: the
    identity read in its one statement, then ``principals_of``."""
    from types import SimpleNamespace

    from intranet.accounts.token_views import create_token
    from intranet.security.policy import load_token_identity, principals_of

    _row, token = create_token(dbsession, user.id, "Kiểm tra")
    return principals_of(load_token_identity(SimpleNamespace(dbsession=dbsession), token))


def test_the_protection_principal_comes_only_with_the_designation(factory, dbsession):
    from intranet.security.roles import protection_principal

    user = factory.user()
    kon_dao, po_ko = get_space(dbsession, "kon-dao"), get_space(dbsession, "po-ko")
    officer = factory.membership(user, kon_dao, "officer")
    factory.membership(user, po_ko, "head")
    found = principals(dbsession, user)
    assert f"space:{kon_dao.id}:officer" in found and f"space:{po_ko.id}:head" in found
    assert not [p for p in found if p.endswith(":protection")]  # a role alone opens no child register
    officer.protects_children = True
    dbsession.flush()
    found = principals(dbsession, user)
    assert protection_principal(kon_dao.id) == f"space:{kon_dao.id}:protection"
    assert [p for p in found if p.endswith(":protection")] == [protection_principal(kon_dao.id)]


def test_the_demo_accounts_protection_principals(dbsession):
    from intranet.security.roles import protection_principal
    from tests.fixtures.factories import get_user

    tan_canh = get_space(dbsession, "tan-canh").id
    assert protection_principal(tan_canh) in principals(dbsession, get_user(dbsession, "tancanh"))
    for login in ("chutich.tancanh", "dieuphoi", "admin"):  # the head and the coordinator are no officers
        assert not [p for p in principals(dbsession, get_user(dbsession, login)) if p.endswith(":protection")]
