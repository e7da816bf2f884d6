"""The half-year report end to end: the commune officer fills and submits it, the coordinator
returns it with a comment, the officer fixes and resubmits, the coordinator accepts, and the
district's completeness page counts it.

Selectors use names, ids and CSS classes, never button or link texts: those are translated.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import expect

from intranet.reports.seed import demo_entry
from intranet.reports.services import field_name

SCREENSHOTS = Path(__file__).parent / "screenshots"
PHONE = {"width": 360, "height": 740}
REPORT = "/spaces/tan-canh/reports/xa.bao-cao/2017-6t"


def login(browser, live_server, who, viewport):
    context = browser.new_context(viewport=viewport)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(f"{live_server}/login")
    page.fill("input[name=login]", who)
    page.fill("input[name=password]", "demo2017")
    with page.expect_navigation():
        page.click("form.stack [type=submit]")
    assert urlsplit(page.url).path != "/login", f"{who} could not log in"
    return context, page


def xa_form():
    from intranet_xa.forms import FORM

    return FORM


def fill_report(page, form):
    entry = demo_entry(form, "tan-canh")
    for element in form.elements():
        for option in element.cells():
            value = entry.values.get((element.code, option))
            if value is None:
                continue
            name = field_name(element.code, option)
            if element.value_type == "yesno":
                page.select_option(f"select[name='{name}']", str(int(value)))
            else:
                page.fill(f"[name='{name}']", str(value if isinstance(value, str) else int(value)))
    for key, text in entry.narratives.items():
        page.fill(f"textarea[name='n.{key}']", text)


def click_action(page, value):
    with page.expect_navigation():
        page.click(f"button[name=action][value={value}]")


def test_half_year_report_round_trip(live_server, browser):
    officer_ctx, officer = login(browser, live_server, "tancanh", PHONE)
    coord_ctx, coordinator = login(browser, live_server, "dieuphoi", {"width": 1280, "height": 900})
    try:
        officer.goto(live_server + REPORT)
        fill_report(officer, xa_form())
        click_action(officer, "submit")
        expect(officer.locator("main")).to_contain_text("Đã gửi")
        assert not officer.locator("button[name=action][value=save]").count()  # no longer editable

        coordinator.goto(live_server + REPORT)
        coordinator.fill("textarea#comment", "Đề nghị kiểm tra lại số trẻ em lao động sớm.")
        click_action(coordinator, "return")
        expect(coordinator.locator("ol.history")).to_contain_text("Đề nghị kiểm tra lại số trẻ em lao động sớm.")

        officer.goto(live_server + REPORT)
        expect(officer.locator("ol.history")).to_contain_text("Đề nghị kiểm tra lại số trẻ em lao động sớm.")
        officer.fill("[name='v.tre_em_lao_dong_som.nam']", "8")
        click_action(officer, "submit")
        SCREENSHOTS.mkdir(exist_ok=True)
        officer.screenshot(path=str(SCREENSHOTS / "report-resubmitted.png"), full_page=True)

        coordinator.goto(live_server + REPORT)
        click_action(coordinator, "accept")
        expect(coordinator.locator("main")).to_contain_text("Đã duyệt")

        coordinator.goto(live_server + "/district/reports/2017-6t/completeness")
        row = coordinator.locator("table.grid tr", has_text="UBND xã Tân Cảnh")
        expect(row.locator(".state-accepted")).to_have_count(1)
        coordinator.goto(live_server + "/district/reports/2017-6t")
        expect(coordinator.locator("main")).not_to_contain_text("UBND xã Tân Cảnh, ")
        coordinator.screenshot(path=str(SCREENSHOTS / "consolidated.png"), full_page=True)
        assert coordinator.locator("html").get_attribute("lang") == "vi"
    finally:
        officer_ctx.close()
        coord_ctx.close()
