"""The coordinator's district table, user administration, the plugins page and the audit trail."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from intranet.accounts.models import User
from intranet.audit.models import AuditEntry
from intranet.i18n import local_today
from tests.fixtures.factories import get_space, get_user


def test_log_without_quantities_or_files_is_saved(as_user, dbsession):
    form = as_user("tancanh").get("/spaces/tan-canh/logs/new?duty=xa.bao-cao-dinh-ky").forms[1]
    form["log_date"], form["description"], form["progress"] = "05/06/2017", "Đã gửi báo cáo 6 tháng", "done"
    assert "Đã gửi báo cáo 6 tháng" in form.submit(status=302).follow().text


def test_duty_chooser_without_duty_parameter(as_user):
    page = as_user("tancanh").get("/spaces/tan-canh/logs/new")
    assert 'name="duty"' in page.text and "xa.bao-cao-dinh-ky" in page.text
    page = as_user("tancanh").get("/spaces/tan-canh/logs/new?duty=congan.bao-cao-dinh-ky")
    assert 'name="duty"' in page.text  # another kind's duty is not offered


def test_district_table_shows_every_space_with_status_and_last_date(as_user, factory, dbsession):
    factory.log(
        get_space(dbsession, "congan"),
        get_user(dbsession, "congan"),
        "congan.bao-cao-dinh-ky",
        progress="done",
        log_date=dt.date(2017, 6, 4),
    )
    factory.log(
        get_space(dbsession, "congan"),
        get_user(dbsession, "congan"),
        "congan.bao-cao-dinh-ky",
        progress="in_progress",
        log_date=dt.date(2017, 5, 1),
    )
    page = as_user("dieuphoi").get("/district/duties")
    assert page.text.count('scope="rowgroup"') == 20
    assert "04/06/2017" in page.text  # the latest log decides the status and the date
    assert "Công an huyện" in page.text and "UBND xã Văn Lem" in page.text


def test_district_table_filters(as_user, factory, dbsession):
    factory.log(
        get_space(dbsession, "congan"), get_user(dbsession, "congan"), "congan.bao-cao-dinh-ky", progress="done"
    )
    browser = as_user("dieuphoi")
    communes = browser.get("/district/duties?category=commune")
    assert communes.text.count('scope="rowgroup"') == 9
    done = browser.get("/district/duties?status=done")
    assert done.text.count('scope="rowgroup"') == 1 and "Công an huyện" in done.text
    one = browser.get("/district/duties?space=tan-canh")
    assert one.text.count('scope="rowgroup"') == 1
    # A filter value that is none of the choices is refused beside its field and left out of the
    # table (400, as the audit trail's filters), never silently dropped.
    refused = browser.get("/district/duties?status=nonsense&category=x&page=-3", status=400)
    assert 'id="err-status"' in refused.text and 'id="err-category"' in refused.text
    assert refused.text.count("Vui lòng chọn một trong các mục có sẵn.") == 4  # beside each, and in the summary
    assert refused.text.count('scope="rowgroup"') == communes.text.count('scope="rowgroup"') + 11


def test_district_table_is_printable(as_user):
    css = as_user("dieuphoi").get("/static/css/site.css").text
    assert "@media print" in css


def test_officers_cannot_see_district_pages(as_user):
    for login in ("tancanh", "congan", "chutich.tancanh"):
        as_user(login).get("/district/duties", status=403)


def test_admin_creates_a_user_who_can_log_in(as_user, make_app, dbsession):
    admin = as_user("admin")
    form = admin.get("/admin/users/new").forms[1]
    form["login"] = "canbo.vanlem"
    form["full_name"] = "A Nhoi"
    form["password"] = "mat-khau-2017"
    form.submit(status=302)
    user = dbsession.scalars(select(User).where(User.login == "canbo.vanlem")).one()
    assert user.full_name == "A Nhoi" and user.global_role is None
    assert make_app().login("canbo.vanlem", "mat-khau-2017").status_int == 302
    assert dbsession.scalars(select(AuditEntry).where(AuditEntry.action == "user.create")).one()


def test_admin_user_form_validates_and_keeps_input(as_user):
    admin = as_user("admin")
    form = admin.get("/admin/users/new").forms[1]
    form["login"] = "Tên Có Dấu"
    form["full_name"] = "Nguyễn Văn Bình"
    form["password"] = "ngan"
    res = form.submit(status=400)
    assert "Nguyễn Văn Bình" in res.text
    assert res.text.count('aria-invalid="true"') == 2
    form = admin.get("/admin/users/new").forms[1]
    form["login"], form["full_name"], form["password"] = "tancanh", "Trùng", "mat-khau-2017"
    form.submit(status=400)  # login already taken


@pytest.mark.parametrize(
    "address", ["yte@dakto.gov.vn\nBcc: ai-do@example.com", "không có a còng", "a@b", "a b@dakto.gov.vn"]
)
def test_admin_refuses_an_address_that_would_forge_mail_headers(as_user, dbsession, address):
    admin = as_user("admin")
    user = get_user(dbsession, "yte")
    form = admin.get(f"/admin/users/{user.id}").forms[1]
    before = user.email
    form["email"] = address
    res = form.submit(status=400)
    assert "Địa chỉ thư điện tử không hợp lệ" in res.text
    assert user.email == before


def test_admin_disables_and_resets_password(as_user, make_app, dbsession):
    phone = make_app()
    phone.login("yte")
    admin = as_user("admin")
    user_id = get_user(dbsession, "yte").id
    page = admin.get(f"/admin/users/{user_id}")
    page.forms[2].submit(name="action", value="disable", status=302)
    phone.get("/", status=302)  # the open session ends at once
    make_app().login("yte", status=200)
    page = admin.get(f"/admin/users/{user_id}")
    page.forms[2].submit(name="action", value="enable", status=302)
    form = admin.get(f"/admin/users/{user_id}").forms[1]
    form["password"] = "mat-khau-moi-2017"
    form.submit(name="action", value="save", status=302)
    make_app().login("yte", "mat-khau-moi-2017")
    actions = dbsession.scalars(select(AuditEntry.action).where(AuditEntry.object_id == str(user_id))).all()
    assert {"user.disable", "user.enable", "user.update"} <= set(actions)


def test_admin_cannot_disable_self(as_user, dbsession):
    admin = as_user("admin")
    user_id = get_user(dbsession, "admin").id
    admin.get(f"/admin/users/{user_id}").forms[2].submit(name="action", value="disable", status=302)
    assert get_user(dbsession, "admin").is_active


def test_user_list_search_and_memberships(as_user):
    page = as_user("admin").get("/admin/users?q=tancanh")
    assert "chutich.tancanh" in page.text and "UBND xã Tân Cảnh" in page.text
    assert "congan" not in page.text.split("<tbody>")[1]


def test_plugins_page_lists_every_plugin_and_its_duties(as_user, app):
    from intranet.host import get_registry

    page = as_user("admin").get("/admin/plugins")
    reg = get_registry(app.registry)
    assert len(reg.plugins) == 12
    for key, info in reg.plugins.items():
        assert f"<code>{key}</code>" in page.text
        for duty in info.duties:
            assert duty.key in page.text
        # what else it declares: its report form, indicators and criteria sets
        for declared in (*info.forms, *info.indicators, *info.criteria_sets):
            assert f"<code>{declared.key}</code>" in page.text, declared.key
    assert "0.1.0" in page.text  # the version of the distribution
    assert len(reg.plugins["ldtbxh"].indicators) == 10 and reg.plugins["ldtbxh"].criteria_sets


def test_audit_trail_filters(as_user, factory, dbsession):
    form = as_user("tancanh").get("/spaces/tan-canh/logs/new?duty=xa.bao-cao-dinh-ky").forms[1]
    form["log_date"], form["description"], form["progress"] = "05/06/2017", "Báo cáo", "done"
    form.submit(status=302)
    browser = as_user("dieuphoi")
    page = browser.get("/admin/audit?user=tancanh")
    assert "duty_log.create" in page.text and "login" in page.text
    assert "duty_log.create" in browser.get("/admin/audit?space=tan-canh").text
    assert "duty_log.create" not in browser.get("/admin/audit?space=congan").text
    # The unit filter is chosen from the list on the page (it listed empty options once).
    chosen = next(f for f in browser.get("/admin/audit").forms.values() if "space" in f.fields)
    chosen["space"] = "tan-canh"
    assert "duty_log.create" in chosen.submit().text
    today = local_today().strftime("%d/%m/%Y")
    assert "duty_log.create" in browser.get(f"/admin/audit?from={today}&to={today}").text
    assert "duty_log.create" not in browser.get("/admin/audit?to=01/01/2017").text
    assert browser.get("/admin/audit?user=khong-co").status_int == 200
    as_user("sotinh").get("/admin/audit", status=403)
    as_user("tancanh").get("/admin/audit", status=403)


def test_audit_detail_shows_what_changed_never_the_typed_text(as_user, dbsession):
    typed = "Tuyên truyền ở Đăk Rơ Wang"
    form = as_user("tancanh").get("/spaces/tan-canh/logs/new?duty=xa.bao-cao-dinh-ky").forms[1]
    form["log_date"], form["description"], form["progress"] = "05/06/2017", typed, "done"
    form.submit(status=302)
    page = as_user("admin").get("/admin/audit?user=tancanh").text
    assert typed not in page and "Tuy" not in page
    assert f'"chars": {len(typed)}' in page and '"progress": "done"' in page


def test_pages_fit_the_budget(as_user, factory, dbsession):
    """≤ 60 KB with their CSS, for the pages that grow (lists page instead)."""
    space = get_space(dbsession, "tan-canh")
    for _ in range(40):
        factory.log(space, get_user(dbsession, "tancanh"), "xa.bao-cao-dinh-ky", values={"so": 12})
    browser = as_user("dieuphoi")
    css = len(browser.get("/static/css/site.css").body)
    for url in (
        "/",
        "/spaces",
        "/spaces/tan-canh",
        "/spaces/tan-canh/logs",
        "/district/duties",
        "/admin/audit",
        "/spaces/ldtbxh/logs/new?duty=ldtbxh.bao-cao-dinh-ky",
        "/spaces/tan-canh/reports/xa.bao-cao/2017-6t",
        "/district/reports/2017-6t",
        "/district/reports/2017-6t/completeness",
        "/district/indicators/2017-6t",
    ):
        size = len(browser.get(url).body) + css
        assert size <= 60 * 1024, (url, size)
    admin = as_user("admin")
    for url in ("/admin/plugins", "/admin/users"):
        assert len(admin.get(url).body) + css <= 60 * 1024, url


def test_pages_need_no_javascript(as_user):
    page = as_user("dieuphoi").get("/district/duties")
    assert "<script" not in page.text and " style=" not in page.text
