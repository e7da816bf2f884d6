"""The child register in a real browser, on a phone: the commune's child-protection officer enters
a child and is stopped by a likely duplicate; an officer of another unit finds nothing there; the
provincial viewer reads counts only, small ones hidden.

Selectors use names, ids and CSS classes, never button or link texts: those are translated.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import expect

SCREENSHOTS = Path(__file__).parent / "screenshots"
PHONE = {"width": 360, "height": 740}


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


def test_the_officer_enters_a_child_and_outsiders_find_nothing(live_server, browser):
    context, page = _login(browser, live_server, "tancanh")
    try:
        page.goto(f"{live_server}/spaces/tan-canh")
        with page.expect_navigation():
            page.click('a[href="/spaces/tan-canh/children"]')
        rows = page.locator("table.grid tbody tr")
        expect(rows).to_have_count(4)  # the demo's fictional children
        # Nguyễn Văn Mẫu's birth date, to type him again without diacritics.
        card = rows.filter(has_text="Mẫu")
        born = re.search(r"\d\d/\d\d/\d{4}", card.inner_text()).group(0)
        reference = card.locator("th a").inner_text()

        with page.expect_navigation():
            page.click('a[href="/spaces/tan-canh/children/new"]')
        page.fill("#full_name", "nguyen van mau")
        page.fill("#date_of_birth", born)
        page.check("input[name=sex][value=male]")
        with page.expect_navigation():
            page.click("main form.stack [type=submit]")
        expect(page.locator("#duplicates")).to_contain_text(reference)
        page.screenshot(path=str(SCREENSHOTS / "child-register-duplicate.png"), full_page=True)

        page.fill("#full_name", "Y Thử Mới")
        page.fill("#date_of_birth", "01/02/2012")
        with page.expect_navigation():
            page.click("main form.stack [type=submit]")
        path = urlsplit(page.url).path
        assert re.fullmatch(r"/spaces/tan-canh/children/[A-Z0-9]{5}-[A-Z0-9]{5}", path), path
        assert "Thử" not in page.title()  # the title names the reference, never the child
        expect(page.locator("dl.facts")).to_contain_text("Y Thử Mới")
        page.screenshot(path=str(SCREENSHOTS / "child-register-entry.png"), full_page=True)
    finally:
        context.close()

    for login in ("giaoduc", "sotinh"):
        context, page = _login(browser, live_server, login)
        try:
            response = page.goto(f"{live_server}{path}")
            assert response.status == 404, login
            assert "Thử" not in page.content()
        finally:
            context.close()


def test_the_province_reads_counts_only(live_server, browser):
    context, page = _login(browser, live_server, "sotinh")
    try:
        response = page.goto(f"{live_server}/district/children/2017-6t")
        assert response.status == 200
        assert response.headers.get("cache-control") == "no-store"
        expect(page.locator("main")).to_contain_text("< 5")
        assert "Mẫu" not in page.content() and "Minh Họa" not in page.content()
        page.screenshot(path=str(SCREENSHOTS / "child-figures-province.png"), full_page=True)
    finally:
        context.close()
