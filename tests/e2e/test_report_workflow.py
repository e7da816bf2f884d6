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
RETURN_REASON = "Đề nghị kiểm tra lại số trẻ em lao động sớm."


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
    # The demo's figures are not the child register's (it holds a few fictional children): the
    # officer says why beside each figure the register counts.
    for note in page.locator("textarea[name^='c.']").all():
        note.fill("Sổ theo dõi trẻ em mới nhập một phần.")


def click_action(page, value):
    with page.expect_navigation():
        page.click(f"button[name=action][value={value}]")


def sign_in_again(browser, live_server, context, who, viewport):
    context.close()
    return login(browser, live_server, who, viewport)


def shot(page, name):
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_half_year_report_round_trip(live_server, browser):
    """The whole job on the demo day, at phone width: the commune submits, the coordinator finds the
    report in her queue and returns it, the commune sees why at the top and a notice, fixes and
    sends again, and the coordinator accepts it after the period's lock date."""
    import datetime as dt

    from intranet.clock import demo_day

    officer_ctx, officer = login(browser, live_server, "tancanh", PHONE)
    coord_ctx, coordinator = login(browser, live_server, "dieuphoi", PHONE)
    try:
        officer.goto(live_server + REPORT)
        fill_report(officer, xa_form())
        click_action(officer, "submit")
        expect(officer.locator("main")).to_contain_text("Đã gửi")
        assert not officer.locator("button[name=action][value=save]").count()  # no longer editable
        shot(officer, "report-submitted")

        # The coordinator finds it in her queue and opens it from there.
        coordinator.goto(live_server + "/district/review")
        shot(coordinator, "review-queue")
        with coordinator.expect_navigation():
            coordinator.click(f"ol.queue a[href='{REPORT}']")
        coordinator.fill("textarea#comment", RETURN_REASON)
        click_action(coordinator, "return")
        # She goes on to the next document waiting, not back to the one she returned.
        assert urlsplit(coordinator.url).path != REPORT

        # The commune is told (a notice) and sees the reason at the top of the report.
        officer.goto(live_server + "/notices")
        expect(officer.locator("main")).to_contain_text(RETURN_REASON)
        officer.goto(live_server + REPORT)
        expect(officer.locator(".returned")).to_contain_text(RETURN_REASON)
        shot(officer, "report-returned")
        officer.fill("[name='v.tre_em_lao_dong_som.nam']", "8")
        click_action(officer, "submit")
        expect(officer.locator("main")).to_contain_text("Đã gửi")

        # After the lock date (05/7/2017) the unit can no longer edit, but the coordinator still
        # accepts what was sent on time. Sessions are timed on the same clock: sign in again.
        with demo_day(dt.date(2017, 7, 6)):
            coord_ctx, coordinator = sign_in_again(browser, live_server, coord_ctx, "dieuphoi", PHONE)
            coordinator.goto(live_server + REPORT)
            click_action(coordinator, "accept")
            coordinator.goto(live_server + REPORT)
            expect(coordinator.locator("main")).to_contain_text("Đã duyệt")

            coordinator.goto(live_server + "/district/reports/2017-6t/completeness")
            line = coordinator.locator("[data-completeness]").first
            counts = {
                key: int(line.get_attribute(f"data-{key}"))
                for key in ("expected", "submitted", "not-submitted", "on-time", "late")
            }
            assert counts["expected"] == counts["submitted"] + counts["not-submitted"], counts
            assert counts["submitted"] == counts["on-time"] + counts["late"], counts
            row = coordinator.locator("[data-space='tan-canh']").first
            expect(row.locator(".state-accepted")).to_have_count(1)
            shot(coordinator, "completeness")
            assert coordinator.locator("html").get_attribute("lang") == "vi"
    finally:
        officer_ctx.close()
        coord_ctx.close()
