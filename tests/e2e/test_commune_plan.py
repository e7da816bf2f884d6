"""The commune plan end to end: Tân Cảnh's officer drafts the 2017 plan from the district's
template and submits it, the coordinator returns it with a comment on one part, the officer fixes
it and submits again, the coordinator approves it, and the district's list shows it approved.

Selectors use names, ids and CSS classes, never button or link texts: those are translated.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import expect

from tests.e2e.test_report_workflow import PHONE, click_action, login

SCREENSHOTS = Path(__file__).parent / "screenshots"
PLANS = "/spaces/tan-canh/plans"
PLAN = "/spaces/tan-canh/plans/2017"
COMMENT = "Đề nghị nêu rõ số trẻ em khuyết tật của xã."
WHOLE = "Kế hoạch cần bổ sung số liệu trước khi phê duyệt."


def fill_plan(page):
    for field in page.locator("input[name$='.target']").all():
        field.fill(
            "80"
            if field.get_attribute("name")
            in (
                "t.ho_tro_tre_em_khuyet_tat_xam_hai_hiv.target",
                "t.can_thiep_tre_em_nguy_co.target",
                "t.nang_cao_nhan_thuc.target",
            )
            else "10"
        )
    page.fill("[name='a.1.title']", "Truyền thông về quyền trẻ em tại các thôn")
    page.fill("[name='a.1.months']", "3-5, 9")
    page.fill("[name='a.1.responsible']", "Công chức Văn hoá – Xã hội")
    page.fill("[name='a.1.budget']", "1.500.000")
    page.fill("[name='a.1.source']", "Ngân sách xã")
    page.select_option("select[name='a.1.duty']", "xa.truyen-thong-cau-lac-bo")
    page.fill("textarea[name='s.situation']", "Toàn xã có 820 trẻ em dưới 16 tuổi.")
    page.fill("textarea[name='s.solutions']", "Phối hợp với nhà trường và các đoàn thể.")
    page.fill("textarea[name='s.organisation']", "Công chức LĐTBXH xã làm đầu mối.")


def test_commune_plan_round_trip(live_server, browser):
    officer_ctx, officer = login(browser, live_server, "tancanh", PHONE)
    coord_ctx, coordinator = login(browser, live_server, "dieuphoi", PHONE)
    try:
        officer.goto(live_server + PLANS)
        officer.select_option("select#year", "2017")
        click_action(officer, "create")
        expect(officer.locator("#plan-state")).to_have_class("badge state-draft")
        fill_plan(officer)
        click_action(officer, "submit")
        expect(officer.locator("#plan-state")).to_have_class("badge state-submitted")
        assert not officer.locator("button[name=action][value=save]").count()  # no longer editable

        # The coordinator finds the plan in her queue, returns it with a comment on one part and
        # a word on the whole, and goes on to the next document waiting.
        coordinator.goto(live_server + "/district/review")
        with coordinator.expect_navigation():
            coordinator.click(f"ol.queue a[href='{PLAN}']")
        coordinator.fill("textarea[name='comment.section:situation']", COMMENT)
        coordinator.fill("textarea#comment", WHOLE)
        click_action(coordinator, "return")
        assert urlsplit(coordinator.url).path != PLAN
        coordinator.goto(live_server + PLAN)
        expect(coordinator.locator("#plan-state")).to_have_class("badge state-returned")

        # The commune is told, and sees why at the top and beside the part.
        officer.goto(live_server + "/notices")
        expect(officer.locator("main")).to_contain_text(WHOLE)
        officer.goto(live_server + PLAN)
        expect(officer.locator(".returned")).to_contain_text(WHOLE)
        expect(officer.locator("#part-section-situation .plan-comment")).to_contain_text(COMMENT)
        SCREENSHOTS.mkdir(exist_ok=True)
        officer.screenshot(path=str(SCREENSHOTS / "plan-returned.png"), full_page=True)
        officer.fill(
            "textarea[name='s.situation']", "Toàn xã có 820 trẻ em dưới 16 tuổi, trong đó 6 trẻ em khuyết tật."
        )
        click_action(officer, "submit")
        expect(officer.locator("#plan-state")).to_have_class("badge state-submitted")

        coordinator.goto(live_server + PLAN)
        click_action(coordinator, "approve")
        coordinator.goto(live_server + PLAN)
        expect(coordinator.locator("#plan-state")).to_have_class("badge state-approved")

        coordinator.goto(live_server + "/district/plans?year=2017")
        row = coordinator.locator("tr[data-space='tan-canh']")
        expect(row.locator(".state-approved")).to_have_count(1)
        coordinator.screenshot(path=str(SCREENSHOTS / "district-plans.png"), full_page=True)
    finally:
        officer_ctx.close()
        coord_ctx.close()
