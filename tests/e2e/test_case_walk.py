"""One case walked through in a real browser, on a phone, on the demo day: the commune's
child-protection officer (tancanh) enters a child, receives a report about the child, assesses
and drafts the plan; the commune's chairman approves it by a decision; the officer adds a service
and refers it to the district police, which accepts it and records its outcome; the provincial
viewer reads counts only; an officer of another unit finds no case.

Selectors use names, ids, actions and CSS classes, never button or link texts: those are translated.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import expect

SCREENSHOTS = Path(__file__).parent / "screenshots"
PHONE = {"width": 360, "height": 740}
ACCOUNT = "Thầy giáo báo em Y Thử Ca nghỉ học hai tuần, nhà thiếu ăn (hư cấu)."


def _login(browser, live_server, login):
    context = browser.new_context(viewport=PHONE, device_scale_factor=1)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(f"{live_server}/login")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", "demo2017")
    with page.expect_navigation():
        page.click("form.stack [type=submit]")
    assert urlsplit(page.url).path != "/login", f"{login}: login was refused"
    return context, page


def _submit(page, action_end: str):
    """Submit the form whose action ends with ``action_end`` and wait for the next page."""
    form = page.locator(f'form[action$="{action_end}"]').first
    with page.expect_navigation():
        form.locator("[type=submit]").click()


def _open(page, action_end: str):
    """Open the <details> holding the form whose action ends with ``action_end``."""
    details = page.locator(f'details:has(form[action$="{action_end}"])').first
    if details.count() and details.get_attribute("open") is None:
        details.locator("summary").click()


def test_a_case_from_the_report_to_the_referral(live_server, browser):
    context, page = _login(browser, live_server, "tancanh")
    try:
        # The child first, in the register.
        page.goto(f"{live_server}/spaces/tan-canh/children/new")
        page.fill("#full_name", "Y Thử Ca")
        page.fill("#date_of_birth", "03/04/2008")
        page.check("input[name=sex][value=female]")
        with page.expect_navigation():
            page.click("main form.stack [type=submit]")
        reference = urlsplit(page.url).path.rsplit("/", 1)[1]
        # The report about the child (Form 01), from the child's page.
        with page.expect_navigation():
            page.click(f'a[href^="/spaces/tan-canh/cases/new?child={reference}"]')
        assert page.input_value("#child") == reference
        page.select_option("#reporter_kind", "school")
        page.fill("#account", ACCOUNT)
        _submit(page, "/cases/new")
        path = urlsplit(page.url).path
        assert re.fullmatch(r"/spaces/tan-canh/cases/TC-2017-\d{4}", path), path
        number = path.rsplit("/", 1)[1]
        assert number in page.title() and "Thử" not in page.title()
        # Form 02 and 03, then the plan's draft (Form 04), submitted to the chairman.
        _open(page, "/initial")
        for name, value in (("harm", "medium"), ("access", "low"), ("environment", "medium"), ("in_danger", "no")):
            page.check(f"input[name={name}][value={value}]")
        _submit(page, "/initial")
        _open(page, "/detailed")
        page.fill("#findings", "Gia đình thiếu lương thực mùa giáp hạt (hư cấu).")
        _submit(page, "/detailed")
        _open(page, "/plan")
        page.fill("#plan_text", "Hỗ trợ gạo; vận động em đi học lại (hư cấu).")
        _submit(page, "/plan")
        _submit(page, "/plan/step")
        page.screenshot(path=str(SCREENSHOTS / "case-plan-submitted.png"), full_page=True)
    finally:
        context.close()

    # The chairman approves the plan by a decision (Form 05).
    context, page = _login(browser, live_server, "chutich.tancanh")
    try:
        page.goto(f"{live_server}{path}")
        approve = page.locator('form[action$="/plan/step"]:has(input[name=action][value=approve])')
        approve.locator("input[name=decision_number]").fill("21/QĐ-UBND")
        approve.locator("input[name=decision_date]").fill("29/05/2017")
        with page.expect_navigation():
            approve.locator("[type=submit]").click()
        expect(page.locator("main")).to_contain_text("21/QĐ-UBND")
    finally:
        context.close()

    # The officer adds a service for the district police.
    context, page = _login(browser, live_server, "tancanh")
    try:
        page.goto(f"{live_server}{path}")
        _open(page, "/services")
        page.fill("#service_description", "Xác minh tình hình gia đình (hư cấu)")
        page.select_option("#service_unit", "congan")
        page.fill("#service_due_on", "05/06/2017")
        _submit(page, "/services")
        expect(page.locator("ul.services")).to_contain_text("Xác minh tình hình gia đình")
        # ... and refers it to the police, with the consent of the mother and of the child (9).
        _open(page, "/referrals")
        refer = page.locator('form[action$="/referrals"]')
        refer.locator("select[name=service]").select_option(index=1)
        police = refer.locator("select[name=unit] option", has_text="Công an huyện").first.get_attribute("value")
        refer.locator("select[name=unit]").select_option(police)
        refer.locator("textarea[name=summary]").fill("Cần xác minh tình hình gia đình em (hư cấu).")
        refer.locator("input[name=guardian_consent][value=yes]").check()
        refer.locator("input[name=consent_by]").fill("Mẹ của em (hư cấu)")
        refer.locator("input[name=child_consent][value=yes]").check()
        with page.expect_navigation():
            refer.locator("[type=submit]").click()
        expect(page.locator("ul.referrals")).to_contain_text("Công an")
        page.screenshot(path=str(SCREENSHOTS / "case-services.png"), full_page=True)
    finally:
        context.close()

    # The police find the referral from their unit's page, accept it and record what they did:
    # they read the summary and the service, nothing else of the case.
    context, page = _login(browser, live_server, "congan")
    try:
        page.goto(f"{live_server}/spaces/congan")
        with page.expect_navigation():
            page.click('a[href="/spaces/congan/referrals"]')
        with page.expect_navigation():
            page.locator('main a[href^="/spaces/congan/referrals/"]').first.click()
        expect(page.locator("main")).to_contain_text("Cần xác minh tình hình gia đình em")
        content = page.content()
        assert "giáp hạt" not in content and ACCOUNT not in content and "Y Thử Ca" not in content
        assert page.locator(f'a[href^="{path}"]').count() == 0  # no way into the case
        accept = page.locator('form[action$="/answer"]:has(input[name=action][value=accept])')
        with page.expect_navigation():
            accept.locator("[type=submit]").click()
        outcome = page.locator('form[action$="/outcome"]')
        outcome.locator("input[name=outcome][value=done]").check()
        outcome.locator("textarea[name=outcome_note]").fill("Đã xác minh, gia đình hợp tác (hư cấu).")
        with page.expect_navigation():
            outcome.locator("[type=submit]").click()
        page.screenshot(path=str(SCREENSHOTS / "referral-received.png"), full_page=True)
        assert page.goto(f"{live_server}{path}").status == 404  # the case itself stays closed to them
    finally:
        context.close()

    # The outcome is back on the case, as the service's.
    context, page = _login(browser, live_server, "tancanh")
    try:
        page.goto(f"{live_server}{path}")
        expect(page.locator("ul.services")).to_contain_text("Đã xác minh, gia đình hợp tác")
    finally:
        context.close()

    # Outside the team, the case does not exist; the province reads counts only.
    for login in ("giaoduc", "sotinh", "admin"):
        context, page = _login(browser, live_server, login)
        try:
            response = page.goto(f"{live_server}{path}")
            assert response.status == 404, login
            assert "Thử" not in page.content() and "giáp hạt" not in page.content()
        finally:
            context.close()
    context, page = _login(browser, live_server, "sotinh")
    try:
        response = page.goto(f"{live_server}/district/children/2017-6t")
        assert response.status == 200
        expect(page.locator("main")).to_contain_text("< 5")
        assert "Thử Ca" not in page.content() and number not in page.content()
    finally:
        context.close()
