"""A commune officer records a duty log from a cheap phone, end to end in a real browser.

Selectors use names, ids and CSS classes, never button or link texts: those are translated.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import expect

from intranet.i18n import local_today

SCREENSHOTS = Path(__file__).parent / "screenshots"
PHONE = {"width": 360, "height": 740}
LOCAL_SCHEMES = {"data", "blob", "about"}  # never leave the browser


def test_officer_records_a_duty_log(live_server, browser):
    context = browser.new_context(viewport=PHONE, device_scale_factor=1)
    context.set_default_timeout(10_000)
    requests: list[str] = []
    page = context.new_page()
    page.on("request", lambda req: requests.append(req.url))
    try:
        page.goto(f"{live_server}/login")
        page.fill("input[name=login]", "tancanh")
        page.fill("input[name=password]", "demo2017")
        with page.expect_navigation():
            page.click("form.stack [type=submit]")
        assert urlsplit(page.url).path != "/login", "login was refused"
        expect(page.locator("main")).to_contain_text("UBND xã Tân Cảnh")

        page.goto(f"{live_server}/spaces/tan-canh")
        # The first duty whose plan entry declares measures (its <details> lists them in a
        # p.muted); the very first duty of the seed plan has none, and a log of it has no number.
        record = page.locator("ol.duties > li:has(> details > p.muted) a.button.small").first
        expect(record).to_be_visible()
        with page.expect_navigation():
            record.click()
        assert urlsplit(page.url).path == "/spaces/tan-canh/logs/new", page.url
        assert "duty=" in urlsplit(page.url).query, page.url

        description = "Tuyên truyền phòng chống xâm hại trẻ em tại thôn 3 — e2e " + uuid.uuid4().hex[:6]
        # The server runs on the demo day (tests/e2e/conftest.py): today is the intranet's today.
        page.fill("input[name=log_date]", local_today().strftime("%d/%m/%Y"))
        page.fill("textarea[name=description]", description)
        measures = page.locator("input[name^=m_]:visible")
        filled = measures.count()
        assert filled, "the duty form shows no measure field"
        for i in range(filled):
            measures.nth(i).fill("25")
        page.check("input[type=radio][name=progress][value=in_progress]")
        with page.expect_navigation():
            page.click("form.stack .actions button[type=submit]")

        assert urlsplit(page.url).path == "/spaces/tan-canh", (
            f"not back on the unit page after saving: {page.url}\n{page.content()[:3000]}"
        )
        entry = page.locator("ul.logs > li", has_text=description)
        expect(entry).to_have_count(1)
        expect(entry).to_be_visible()
        expect(entry.locator("ul.values > li")).to_have_count(filled)
        for i in range(filled):
            expect(entry.locator("ul.values > li").nth(i).locator("strong")).to_have_text("25")

        assert page.locator("html").get_attribute("lang") == "vi"

        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "duty-log.png"), full_page=True)
    finally:
        context.close()

    assert requests, "the page listener saw no requests"
    foreign = [
        url for url in requests if urlsplit(url).scheme not in LOCAL_SCHEMES and urlsplit(url).hostname != "127.0.0.1"
    ]
    assert not foreign, f"requests left 127.0.0.1: {foreign}"
