"""Commune annual plans: the template from the district plan, validation, the workflow and its
permissions (as data), per-part comments, revisions, conflicts, the signed scan, progress, the
copy to the next year with the actuals as baselines, print/PDF, the district list, and the number
of statements the pages issue."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from intranet.audit.models import AuditEntry
from intranet.plans import services
from intranet.plans.models import CommunePlan, CommunePlanActivity
from intranet.plans.workflow import WORKFLOW
from intranet.security.permissions import Permission as P
from tests.fixtures.browser import csrf_from
from tests.fixtures.database import count_statements
from tests.fixtures.factories import get_space, get_user

STATE_PERMISSIONS = WORKFLOW.states
LIST = "/spaces/tan-canh/plans"
PLAN = "/spaces/tan-canh/plans/2017"
TRANSITION = PLAN + "/transition"
PLAN_PERMISSIONS = {P.PLAN_EDIT, P.PLAN_SUBMIT, P.PLAN_REVIEW, P.PLAN_REVISE, P.PLAN_ATTACH}


def create(browser, url=LIST, year="2017", status=302):
    page = browser.get(url)
    form = next(f for f in page.forms.values() if "year" in f.fields)
    form["year"] = year
    return form.submit(status=status)


def plan_form(browser, url=PLAN):
    return browser.get(url).forms["plan-form"]


def fill(form, *, activities=1):
    """A complete plan: every target, ``activities`` activities, every part."""
    for name in list(form.fields):
        if name.startswith("t.") and name.endswith(".target"):
            form[name] = (
                "75" if "ty_le" in name or "nang_cao" in name or "can_thiep" in name or "ho_tro" in name else "12"
            )
    for n in range(1, activities + 1):
        form[f"a.{n}.title"] = f"Truyền thông về quyền trẻ em tại thôn {n}"
        form[f"a.{n}.months"] = "3-5, 9"
        form[f"a.{n}.responsible"] = "Công chức Văn hoá – Xã hội"
        form[f"a.{n}.budget"] = "1.500.000"
        form[f"a.{n}.source"] = "Ngân sách xã"
        form[f"a.{n}.duty"] = "xa.truyen-thong-cau-lac-bo"
    form["s.situation"] = "Toàn xã có 820 trẻ em dưới 16 tuổi."
    form["s.solutions"] = "Phối hợp với nhà trường và các đoàn thể."
    form["s.organisation"] = "Công chức LĐTBXH xã làm đầu mối."
    return form


def the_plan(dbsession, slug="tan-canh", year=2017, revision=None):
    return services.load_plan(dbsession, get_space(dbsession, slug).id, year, revision)


def submitted_plan(as_user, *, activities=1):
    officer = as_user("tancanh")
    create(officer)
    fill(plan_form(officer), activities=activities).submit(name="action", value="submit", status=302)
    return officer


def review(browser, action, **fields):
    page = browser.get(PLAN)
    form = page.forms["plan-review"]
    data = {"csrf_token": csrf_from(page), "action": action, **fields}
    assert form.action == TRANSITION
    return browser.post(TRANSITION, data)


# --- the workflow table, as data -------------------------------------------------------------------


class FakeSpace:
    id = 7
    officers_may_submit = False
    category = "commune"
    slug = "x"


class FakePlan:
    year = 2017
    revision = 1

    def __init__(self, state, current=True):
        self.state, self.is_current = state, current


PRINCIPALS = {
    "head": ["space:7:head"],
    "officer": ["space:7:officer"],
    "viewer": ["space:7:viewer"],
    "reviewer": ["role:coordinator"],
}


def test_table_locks_approved_plans_and_lets_only_the_coordinator_review():
    assert not any(P.PLAN_EDIT in perms for perms in STATE_PERMISSIONS["approved"].values())
    reviewers = {
        actor
        for state in STATE_PERMISSIONS
        for actor, perms in STATE_PERMISSIONS[state].items()
        if P.PLAN_REVIEW in perms
    }
    assert reviewers == {"reviewer"}


# --- drafting from the template ----------------------------------------------------------------------


def test_draft_from_the_district_template(as_user, dbsession):
    officer = as_user("tancanh")
    page = officer.get(LIST)
    assert "Dự thảo kế hoạch" in page.text or 'name="year"' in page.text
    res = create(officer)
    assert res.location.endswith(PLAN)
    plan = the_plan(dbsession)
    assert plan.title == "Kế hoạch công tác bảo vệ, chăm sóc trẻ em năm 2017 của UBND xã Tân Cảnh"
    assert plan.state == "draft" and plan.revision == 1
    assert [t.indicator_key for t in plan.targets][:3] == [
        "ho_tro_tre_em_khuyet_tat_xam_hai_hiv",
        "can_thiep_tre_em_nguy_co",
        "tre_em_hcdb",
    ]
    assert len(plan.targets) == 10 and all(t.target is None for t in plan.targets)
    assert plan.activities == [] and {s.key for s in plan.sections} == {"situation", "solutions", "organisation"}
    page = officer.get(PLAN)
    assert "Số trẻ em có hoàn cảnh đặc biệt" in page.text
    # the commune's duties are the activity picklist
    assert 'value="xa.truyen-thong-cau-lac-bo"' in page.text
    assert 'value="congan' not in page.text
    css = len(officer.get("/static/css/site.css").body)
    assert len(page.body) + css <= 60 * 1024
    # a second draft of the same year is refused (the form no longer offers it)
    page = officer.get(LIST)
    assert 'name="year"' not in page.text
    officer.post(LIST, {"csrf_token": csrf_from(page), "year": "2017"}, status=302)
    officer.post(LIST, {"csrf_token": csrf_from(page), "year": "2031"}, status=400)
    assert (
        dbsession.scalar(select(func.count()).select_from(CommunePlan).where(CommunePlan.space_id == plan.space_id))
        == 1
    )
    assert (
        dbsession.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "commune_plan.create"))
        == 1
    )


def test_only_communes_have_plans_and_only_their_members_write(as_user):
    as_user("congan").get("/spaces/congan/plans", status=404)
    as_user("congan").get(LIST, status=403)
    as_user("dieuphoi").get(LIST, status=200)
    as_user("sotinh").get(LIST, status=200)
    page = as_user("sotinh").get(LIST)
    assert 'name="year"' not in page.text
    as_user("tancanh").get("/spaces/kon-dao/plans", status=403)


# --- validation ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("raw, expected", [("1.500.000", 1_500_000), ("1 500 000 đ", 1_500_000), ("", 0), ("0", 0)])
def test_budget_accepts_vietnamese_grouping(raw, expected):
    assert services.parse_budget(raw) == (expected, None)


@pytest.mark.parametrize("raw", ["1,5 triệu", "-100", "abc"])
def test_budget_refuses(raw):
    value, error = services.parse_budget(raw)
    assert value is None and error is not None


@pytest.mark.parametrize(
    "raw, expected", [("3-5, 9", [3, 4, 5, 9]), ("1,2,12", [1, 2, 12]), ("tháng 6", [6]), ("T3 - T4", [3, 4])]
)
def test_months(raw, expected):
    assert services.parse_months(raw) == (expected, None)


@pytest.mark.parametrize("raw", ["13", "0", "5-3", "mùa hè"])
def test_months_refused(raw):
    assert services.parse_months(raw)[0] is None


def test_bad_values_shown_beside_fields_and_nothing_is_lost(as_user, dbsession):
    officer = as_user("tancanh")
    create(officer)
    form = plan_form(officer)
    form["a.1.title"] = "Tập huấn cộng tác viên thôn"
    form["a.1.months"] = "13"
    form["a.1.budget"] = "1,5 triệu"
    form["a.1.duty"] = "xa.truyen-thong-cau-lac-bo"
    form["t.tre_em_hcdb.target"] = "mười"
    form["s.situation"] = "Đường vào thôn bị sạt lở"
    res = form.submit(name="action", value="save", status=400)
    assert res.text.count('aria-invalid="true"') == 3
    assert "Tập huấn cộng tác viên thôn" in res.text and 'value="1,5 triệu"' in res.text
    assert 'value="13"' in res.text and 'value="mười"' in res.text and "Đường vào thôn bị sạt lở" in res.text
    assert "Tháng là số từ 1 đến 12" in res.text or "1 to 12" in res.text
    # "Lưu bản nháp" always saves: what could be read is stored, what could not stays as it was.
    plan = the_plan(dbsession)
    assert [(a.title, a.months, a.budget, a.duty_key) for a in plan.activities] == [
        ("Tập huấn cộng tác viên thôn", [], 0, "xa.truyen-thong-cau-lac-bo")
    ]
    assert {s.key: s.text for s in plan.sections}["situation"] == "Đường vào thôn bị sạt lở"
    assert [t.target for t in plan.targets if t.indicator_key == "tre_em_hcdb"] == [None]
    assert plan.state == "draft"
    # The page that comes back carries the new version: saving again does not conflict.
    again = res.forms[[k for k, f in res.forms.items() if "version" in f.fields][0]]
    again["a.1.months"] = "3-5"
    again["a.1.budget"] = "1.500.000"
    again["t.tre_em_hcdb.target"] = "10"
    again.submit(name="action", value="save", status=302)
    plan = the_plan(dbsession)
    assert [(a.months, a.budget) for a in plan.activities] == [([3, 4, 5], 1_500_000)]


def test_a_draft_may_be_incomplete_but_cannot_be_submitted(as_user, dbsession):
    head = as_user("chutich.tancanh")
    create(head)
    form = plan_form(head)
    form["a.1.title"] = "Tổ chức Tết Trung thu"
    form["a.1.months"] = "9"
    form["a.1.budget"] = "5.000.000"
    form["a.1.duty"] = "xa.to-chuc-thuc-hien"
    form.submit(name="action", value="save", status=302)
    plan = the_plan(dbsession)
    assert plan.state == "draft"
    assert [(a.title, a.months, a.budget) for a in plan.activities] == [("Tổ chức Tết Trung thu", [9], 5_000_000)]
    res = plan_form(head).submit(name="action", value="submit", status=400)
    assert res.text.count('aria-invalid="true"') >= 10 + 1 + 3  # targets, the responsible, the parts
    dbsession.refresh(plan)
    assert plan.state == "draft"


# --- the workflow --------------------------------------------------------------------------------------


def test_full_workflow_with_part_comments_history_and_audit(as_user, dbsession):
    officer = submitted_plan(as_user, activities=2)
    plan = the_plan(dbsession)
    assert plan.state == "submitted" and plan.submitted_at is not None
    assert [a.budget for a in plan.activities] == [1_500_000, 1_500_000]
    page = officer.get(PLAN)
    assert "plan-form" not in page.forms  # no longer editable
    as_user("sotinh").post(TRANSITION, {"action": "approve"}, status=403)

    coordinator = as_user("dieuphoi")
    # returning needs a comment somewhere
    review(coordinator, "return")
    dbsession.refresh(plan)
    assert plan.state == "submitted"
    review(
        coordinator,
        "return",
        **{
            "comment.section:situation": "Bổ sung số trẻ em khuyết tật.",
            "comment.activity:2": "Kinh phí chưa rõ nguồn.",
        },
    )
    dbsession.refresh(plan)
    assert plan.state == "returned"
    page = officer.get(PLAN)
    situation = re.search(r'id="part-section-situation">(.*?)</fieldset>', page.text, re.S).group(1)
    assert "Bổ sung số trẻ em khuyết tật." in situation
    activity2 = re.search(
        r'id="part-activity-2">(.*?)</div>\s*(<div class="activity|\{)', page.text, re.S
    ) or re.search(r'id="part-activity-2">(.*?)id="part-activity-3"', page.text, re.S)
    assert "Kinh phí chưa rõ nguồn." in activity2.group(1)
    assert "Kinh phí chưa rõ nguồn." not in situation
    # saving keeps it returned (the comments stay beside their parts); submitting sends it again
    form = plan_form(officer)
    form["s.situation"] = "Toàn xã có 820 trẻ em, 6 trẻ em khuyết tật."
    form.submit(name="action", value="save", status=302)
    dbsession.refresh(plan)
    assert plan.state == "returned"
    plan_form(officer).submit(name="action", value="submit", status=302)
    review(coordinator, "approve")
    dbsession.refresh(plan)
    assert plan.state == "approved" and plan.approved_at is not None
    # approved = locked, for everyone
    officer.post(PLAN, {"version": str(plan.version), "action": "save"}, status=403)
    as_user("chutich.tancanh").post(PLAN, {"version": str(plan.version), "action": "save"}, status=403)
    actions = [e.action for e in the_plan(dbsession).events]
    assert actions == ["create", "submit", "return", "comment", "comment", "save", "submit", "approve"]
    parts = [e.part for e in the_plan(dbsession).events if e.action == "comment"]
    assert parts == ["activity:2", "section:situation"]
    audited = set(dbsession.scalars(select(AuditEntry.action).where(AuditEntry.action.like("commune_plan.%"))))
    assert audited >= {
        "commune_plan.create",
        "commune_plan.submit",
        "commune_plan.return",
        "commune_plan.approve",
        "commune_plan.save",
    }


def test_a_comment_over_the_limit_refuses_the_review_and_one_at_the_limit_is_kept_whole(as_user, dbsession):
    submitted_plan(as_user)
    plan = the_plan(dbsession)
    events = len(plan.events)
    coordinator = as_user("dieuphoi")
    page = coordinator.get(PLAN)
    assert page.html.select_one("textarea#comment")["maxlength"] == "4000"  # a browser sends no more
    assert page.html.select_one('textarea[name="comment.activity:1"]')["maxlength"] == "4000"

    too_long = "Kinh phí chưa rõ nguồn. " + "x" * (4001 - len("Kinh phí chưa rõ nguồn. "))
    refused = [
        ("return", {"comment": too_long}),
        ("approve", {"comment": too_long}),
        ("return", {"comment": "Bổ sung số liệu.", "comment.activity:1": too_long}),
    ]
    for action, fields in refused:
        res = review(coordinator, action, **fields)
        assert res.status_int == 302 and res.location.endswith(PLAN)
        shown = res.follow().html.select_one(".flash-error")
        assert shown is not None and "4.000" in shown.text and "4.001" in shown.text, (action, list(fields))
        if "comment.activity:1" in fields:
            assert "Hoạt động 1" in shown.text  # which of the comments is too long
        plan = the_plan(dbsession)  # read again, with its lists of parts
        assert plan.state == "submitted" and len(plan.events) == events, (action, list(fields))
    audited = select(AuditEntry).where(AuditEntry.action.in_(["commune_plan.return", "commune_plan.approve"]))
    assert dbsession.scalars(audited).first() is None

    whole = ("Đề nghị làm rõ nguồn kinh phí. " * 200)[: 4000 - 1] + "Z"
    on_part = ("Bổ sung số trẻ em khuyết tật. " * 200)[: 4000 - 1] + "Y"
    review(coordinator, "return", comment=whole, **{"comment.activity:1": on_part})
    plan = the_plan(dbsession)
    assert plan.state == "returned"
    kept = {(e.action, e.part): e.comment for e in plan.events[events:]}
    assert kept == {("return", ""): whole, ("comment", "activity:1"): on_part}
    assert len(whole) == len(on_part) == 4000


def test_officer_submits_only_where_the_commune_allows_it(as_user, dbsession):
    get_space(dbsession, "tan-canh").officers_may_submit = False
    dbsession.flush()
    officer = as_user("tancanh")
    create(officer)
    page = officer.get(PLAN)
    assert 'value="submit"' not in page.text
    fields = dict(fill(page.forms["plan-form"]).submit_fields())
    officer.post(PLAN, {**fields, "action": "submit"}, status=403)
    assert the_plan(dbsession).state == "draft"
    head = as_user("chutich.tancanh")
    fill(plan_form(head)).submit(name="action", value="submit", status=302)
    assert the_plan(dbsession).state == "submitted"


def test_stale_save_is_a_conflict_showing_both_versions(as_user, dbsession):
    officer, head = as_user("tancanh"), as_user("chutich.tancanh")
    create(officer)
    mine = plan_form(officer)
    theirs = plan_form(head)
    theirs["s.situation"] = "Bản của chủ tịch xã"
    theirs.submit(name="action", value="save", status=302)
    mine["s.situation"] = "Bản của cán bộ"
    res = mine.submit(name="action", value="save", status=409)
    assert "Bản của cán bộ" in res.text and "Bản của chủ tịch xã" in res.text
    assert the_plan(dbsession).section_text("situation") == "Bản của chủ tịch xã"
    # saving again from the conflict page is a deliberate overwrite
    res.forms["plan-form"].submit(name="action", value="save", status=302)
    assert the_plan(dbsession).section_text("situation") == "Bản của cán bộ"


# --- revisions -------------------------------------------------------------------------------------------


def approved_plan(as_user, dbsession, *, activities=1):
    submitted_plan(as_user, activities=activities)
    review(as_user("dieuphoi"), "approve")
    plan = the_plan(dbsession)
    assert plan.state == "approved"
    return plan


def test_new_revision_needs_a_reason_and_keeps_the_old_one_readable(as_user, dbsession):
    first = approved_plan(as_user, dbsession)
    officer, head = as_user("tancanh"), as_user("chutich.tancanh")
    page = officer.get(PLAN)
    assert 'value="revise"' not in page.text
    officer.post(TRANSITION, {"csrf_token": csrf_from(page), "action": "revise", "reason": "x"}, status=403)
    page = head.get(PLAN)
    head.post(TRANSITION, {"csrf_token": csrf_from(page), "action": "revise", "reason": "  "}, status=302)
    assert the_plan(dbsession).revision == 1
    # A reason over 4,000 characters is refused whole, never cut: nothing is opened.
    res = head.post(
        TRANSITION, {"csrf_token": csrf_from(page), "action": "revise", "reason": "x" * 4001}, status=302
    ).follow()
    assert "4.001 ký tự" in res.text and "tối đa 4.000" in res.text
    assert the_plan(dbsession).revision == 1
    assert 'name="reason" rows="2" maxlength="4000"' in res.text
    head.post(
        TRANSITION, {"csrf_token": csrf_from(page), "action": "revise", "reason": "Điều chỉnh kinh phí"}, status=302
    )
    current = the_plan(dbsession)
    assert (current.revision, current.state, current.reason) == (2, "draft", "Điều chỉnh kinh phí")
    assert [a.title for a in current.activities] == [a.title for a in first.activities]
    old = the_plan(dbsession, revision=1)
    assert old.state == "approved" and not old.is_current
    page = head.get(PLAN + "/revisions/1")
    assert "plan-form" not in page.forms and "Truyền thông về quyền trẻ em tại thôn 1" in page.text
    assert 'value="revise"' not in page.text
    # the coordinator may open a revision too, of an approved current one only
    form = plan_form(head)
    form["a.1.budget"] = "2.000.000"
    form.submit(name="action", value="submit", status=302)
    review(as_user("dieuphoi"), "approve")
    coordinator = as_user("dieuphoi")
    page = coordinator.get(PLAN)
    coordinator.post(
        TRANSITION, {"csrf_token": csrf_from(page), "action": "revise", "reason": "Theo ý kiến huyện"}, status=302
    )
    assert [p.revision for p in services.revisions(dbsession, old.space_id, 2017)] == [3, 2, 1]
    assert the_plan(dbsession, revision=1).activities[0].budget == 1_500_000
    assert the_plan(dbsession, revision=2).activities[0].budget == 2_000_000


# --- the signed scan --------------------------------------------------------------------------------------


def test_scan_only_on_an_approved_plan(as_user, dbsession):
    officer = submitted_plan(as_user)
    page = officer.get(PLAN)
    url = PLAN + "/revisions/1/scan"
    officer.post(
        url, {"csrf_token": csrf_from(page)}, upload_files=[("scan", "ke-hoach.pdf", b"%PDF-1.4 x")], status=403
    )
    review(as_user("dieuphoi"), "approve")
    page = officer.get(PLAN)
    assert 'name="scan"' in page.text
    res = officer.post(
        url, {"csrf_token": csrf_from(page)}, upload_files=[("scan", "ke-hoach.docx", b"not a pdf at all")], status=302
    )
    assert the_plan(dbsession).scan_sha256 is None
    assert "PDF, JPEG" in res.follow().text
    officer.post(
        url,
        {"csrf_token": csrf_from(page)},
        upload_files=[("scan", "ke-hoach-da-ky.pdf", b"%PDF-1.4 signed and stamped")],
        status=302,
    )
    plan = the_plan(dbsession)
    assert plan.scan_filename == "ke-hoach-da-ky.pdf"
    res = as_user("sotinh").get(url)
    assert res.body == b"%PDF-1.4 signed and stamped" and res.content_type == "application/pdf"
    as_user("congan").get(url, status=403)


def test_scan_too_big(as_user, dbsession, app):
    officer = as_user("tancanh")
    approved_plan(as_user, dbsession)
    page = officer.get(PLAN)
    big = b"%PDF-1.4 " + b"0" * int(app.registry.settings["intranet.max_upload_bytes"])
    res = officer.post(
        PLAN + "/revisions/1/scan", {"csrf_token": csrf_from(page)}, upload_files=[("scan", "lon.pdf", big)], status=302
    )
    assert "10 MB" in res.follow().text
    assert the_plan(dbsession).scan_sha256 is None


# --- progress ------------------------------------------------------------------------------------------------


def test_progress_of_an_approved_plan(as_user, dbsession, factory):
    plan = approved_plan(as_user, dbsession, activities=3)
    plan.activities[0].duty_key = "xa.truyen-thong-cau-lac-bo"
    plan.activities[1].duty_key = "xa.quan-ly-tre-em-hcdb"
    plan.activities[2].duty_key = "xa.phat-hien-can-thiep"
    plan.activities[2].months = [1]
    dbsession.flush()
    space, author = get_space(dbsession, "tan-canh"), get_user(dbsession, "tancanh")
    factory.log(space, author, "xa.truyen-thong-cau-lac-bo", progress="in_progress", log_date=dt.date(2017, 3, 2))
    factory.log(space, author, "xa.truyen-thong-cau-lac-bo", progress="done", log_date=dt.date(2017, 9, 20))
    factory.log(space, author, "xa.quan-ly-tre-em-hcdb", progress="in_progress", log_date=dt.date(2017, 7, 1))
    factory.log(space, author, "xa.phat-hien-can-thiep", progress="done", log_date=dt.date(2016, 12, 1))  # last year
    items = services.plan_progress(dbsession, the_plan(dbsession), dt.date(2017, 10, 1))
    assert [i.status for i in items] == ["done", "in_progress", "overdue"]
    assert [len(i.logs) for i in items] == [2, 1, 0]
    items = services.plan_progress(dbsession, the_plan(dbsession), dt.date(2017, 1, 15))
    assert items[2].status == "not_started"
    page = as_user("dieuphoi").get(PLAN)
    assert 'id="progress"' in page.text and "badge-done" in page.text
    district = as_user("dieuphoi").get("/district/plans?year=2017")
    row = re.search(r'<tr data-space="tan-canh">(.*?)</tr>', district.text, re.S).group(1)
    assert "33 % (1/3)" in row and "state-approved" in row


# --- the district list ----------------------------------------------------------------------------------------


def test_district_list_of_the_demo_plans(as_user):
    page = as_user("sotinh").get("/district/plans?year=2017")
    rows = dict(re.findall(r'<tr data-space="([^"]+)">.*?class="badge state-(\w+)"', page.text, re.S))
    assert rows == {
        "tt-dak-to": "approved",
        "tan-canh": "none",
        "kon-dao": "approved",
        "dak-tram": "approved",
        "ngoc-tu": "submitted",
        "dak-ro-nga": "returned",
        "dien-binh": "approved",
        "po-ko": "draft",
        "van-lem": "none",
    }
    # a commune without a plan says so (not a duty's "not started")
    assert page.text.count("Chưa có kế hoạch") == 2 + 1  # two rows and the summary line
    as_user("tancanh").get("/district/plans", status=403)
    as_user("dieuphoi").get("/district/plans", status=200)


def test_district_list_pages_through_the_communes(as_user, factory):
    added = [factory.space().slug for _ in range(25)]  # 34 communes: two pages of 30
    coordinator = as_user("dieuphoi")

    def page(number):
        text = coordinator.get(f"/district/plans?year=2017&page={number}&_LOCALE_=en").text
        return re.findall(r'<tr data-space="([^"]+)">', text), text

    # the summary line counts the year's 34 communes on every page, not the rows of the page
    summary = "Approved: 4 · Submitted: 1 · Returned: 1 · Draft: 1 · No plan yet: 27"
    first, text = page(1)
    assert len(first) == 30 and first[0] == "tt-dak-to" and "Page 1 of 2" in text
    assert summary in text
    second, text = page(2)
    assert len(second) == 4 and second[-1] == added[-1] and "Page 2 of 2" in text
    assert not set(first) & set(second)
    assert summary in text
    # past the last page: no row, but the pager still knows how many pages there are
    beyond, text = page(5)
    assert beyond == [] and "No commune." in text and "Page 5 of 2" in text
    assert summary in text


def test_demo_returned_plan_shows_its_comment_beside_the_targets(as_user):
    page = as_user("dieuphoi").get("/spaces/dak-ro-nga/plans/2017")
    targets = re.search(r'id="part-targets">(.*?)</fieldset>', page.text, re.S).group(1)
    assert "lao động sớm" in targets and "plan-comment" in targets
    page = as_user("dieuphoi").get("/spaces/dien-binh/plans/2017")
    assert "/spaces/dien-binh/plans/2017/revisions/1" in page.text


# --- the copy to the next year -----------------------------------------------------------------------------------


def accept_report(dbsession, slug, period_code, values):
    """An accepted report of ``slug`` for the period with the given (element, option) figures."""
    from intranet.host import get_registry
    from intranet.reports import services as reports

    return _accept(dbsession, slug, period_code, values, reports, get_registry)


def _accept(dbsession, slug, period_code, values, reports, get_registry):
    from intranet.reports.models import Submission, SubmissionValue

    space = get_space(dbsession, slug)
    period = reports.period_by_code(dbsession, period_code)
    sub = reports.load_submission(dbsession, "xa.bao-cao", space.id, period.id)
    if sub is None:
        sub = Submission(
            form_key="xa.bao-cao",
            form_version=1,
            space_id=space.id,
            period_id=period.id,
            state="accepted",
            values=[],
            narratives=[],
            events=[],
        )
        dbsession.add(sub)
    for v in list(sub.values):
        sub.values.remove(v)
    dbsession.flush()
    for (code, option), value in values.items():
        sub.values.append(SubmissionValue(element_code=code, option=option, value_num=Decimal(value)))
    sub.state = "accepted"
    dbsession.flush()
    return sub


def test_copy_to_next_year_takes_the_actuals_as_baselines(as_user, dbsession, app):
    plan = approved_plan(as_user, dbsession, activities=2)
    # half-year: 30 + 31 children in special circumstances, 4 injured
    accept_report(
        dbsession,
        "tan-canh",
        "2017-6t",
        {
            ("tre_em_hcdb", "nam"): 30,
            ("tre_em_hcdb", "nu"): 31,
            ("tre_em_tai_nan_thuong_tich", "nam"): 4,
            ("tre_em_nguy_co", "nam"): 20,
            ("tre_em_nguy_co_duoc_can_thiep", "nam"): 15,
        },
    )
    # the year report has the special circumstances but not the injuries: those come from the half-year
    accept_report(dbsession, "tan-canh", "2017", {("tre_em_hcdb", "nam"): 28, ("tre_em_hcdb", "nu"): 29})
    # another commune's figures are not mixed in
    accept_report(dbsession, "kon-dao", "2017", {("tre_em_hcdb", "nam"): 500})
    officer = as_user("tancanh")
    page = officer.get(PLAN)
    assert 'value="copy"' in page.text
    officer.post(TRANSITION, {"csrf_token": csrf_from(page), "action": "copy"}, status=302)
    new = the_plan(dbsession, year=2018)
    assert (new.year, new.revision, new.state) == (2018, 1, "draft")
    assert new.title.endswith("năm 2018 của UBND xã Tân Cảnh")
    targets = {t.indicator_key: t for t in new.targets}
    assert targets["tre_em_hcdb"].baseline == 57 and targets["tre_em_hcdb"].baseline_source == "Năm 2017"
    assert targets["tre_em_tai_nan_thuong_tich"].baseline == 4
    assert targets["tre_em_tai_nan_thuong_tich"].baseline_source == "6 tháng đầu năm 2017"
    assert targets["can_thiep_tre_em_nguy_co"].baseline == Decimal("75.0")
    assert targets["tre_em_lao_dong_som"].baseline is None and targets["tre_em_lao_dong_som"].baseline_source == ""
    assert [(a.title, a.months) for a in new.activities] == [(a.title, a.months) for a in plan.activities]
    assert new.section_text("situation") == plan.section_text("situation")
    page = officer.get("/spaces/tan-canh/plans/2018")
    assert "Năm 2017" in page.text and 'name="t.tre_em_hcdb.baseline" value="57"' in page.text
    # once only
    page = officer.get(PLAN)
    assert 'value="copy"' not in page.text
    officer.post(TRANSITION, {"csrf_token": csrf_from(page), "action": "copy"}, status=302)
    assert len(services.revisions(dbsession, new.space_id, 2018)) == 1
    # the district list of 2018 shows it
    page = as_user("dieuphoi").get("/district/plans?year=2018")
    assert re.search(r'<tr data-space="tan-canh">.*?state-draft', page.text, re.S)


def test_copy_is_refused_before_approval(as_user, dbsession):
    officer = submitted_plan(as_user)
    page = officer.get(PLAN)
    officer.post(TRANSITION, {"csrf_token": csrf_from(page), "action": "copy"}, status=302)
    assert the_plan(dbsession, year=2018) is None


# --- print and PDF ---------------------------------------------------------------------------------------------


def test_print_and_pdf_in_the_administrative_format(as_user, dbsession, tmp_path):
    from tests.functional.test_exports import pdf_text

    plan = approved_plan(as_user, dbsession)
    plan.number = "12/KH-UBND"
    dbsession.flush()
    page = as_user("tancanh").get(PLAN + "/revisions/1/print")
    # (the document's own words, "KẾ HOẠCH", "Số:", come from the catalogue)
    for text in (
        "UBND XÃ TÂN CẢNH",
        "12/KH-UBND",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Tân Cảnh, ngày",
        "Nơi nhận",
        "TM. ỦY BAN NHÂN DÂN",
        "Truyền thông về quyền trẻ em tại thôn 1",
        "1.500.000",
    ):
        assert text in page.text, text
    res = as_user("dieuphoi").get(PLAN + "/revisions/1/export.pdf")
    assert res.content_type == "application/pdf" and res.body.startswith(b"%PDF")
    assert res.headers["Content-Disposition"] == 'attachment; filename="ke-hoach-tan-canh-2017-r1.pdf"'
    text = pdf_text(res.body, tmp_path)
    for expected in ("UBND XÃ TÂN CẢNH", "12/KH-UBND", "CỘNG HÒA XÃ HỘI", "Tân Cảnh, ngày", "CHỦ TỊCH"):
        assert expected in text, expected
    exports = dbsession.scalars(select(AuditEntry).where(AuditEntry.action == "export.commune_plan")).all()
    assert sorted(e.detail["format"] for e in exports) == ["pdf", "print"]
    as_user("congan").get(PLAN + "/revisions/1/export.pdf", status=403)
    as_user("tancanh").get(PLAN + "/revisions/1/export.xlsx", status=404)


# --- statements do not grow with rows --------------------------------------------------------------------------


def test_statement_counts_do_not_grow(make_app, app, dbsession, factory):
    engine = app.registry["dbengine"]
    coordinator = make_app()
    coordinator.login("dieuphoi")
    plan = approved_plan(lambda login: _logged(make_app, login), dbsession, activities=1)
    urls = ["/district/plans?year=2017", PLAN, PLAN + "/revisions/1"]

    def counts():
        result = {}
        for url in urls:
            dbsession.expire_all()
            with count_statements(engine) as statements:
                coordinator.get(url, status=200)
            result[url] = len(statements)
        return result

    small = counts()
    space, author = get_space(dbsession, "tan-canh"), get_user(dbsession, "tancanh")
    for n in range(12):
        a = CommunePlanActivity(
            sort_order=10 + n,
            title=f"Hoạt động {n}",
            months_mask=1 << (n % 12),
            duty_key=["xa.truyen-thong-cau-lac-bo", "xa.quan-ly-tre-em-hcdb"][n % 2],
        )
        plan.activities.append(a)
        factory.log(space, author, a.duty_key, log_date=dt.date(2017, 1 + n % 12, 3))
    for _ in range(25):  # more communes, each with an approved plan and logs
        commune = factory.space()
        other = services.new_plan(dbsession, app.registry, commune, 2017, None)
        other.state = "approved"
        other.activities.append(
            CommunePlanActivity(sort_order=1, title="x", months_mask=3, duty_key="xa.truyen-thong-cau-lac-bo")
        )
        factory.log(commune, author, "xa.truyen-thong-cau-lac-bo", progress="done")
    dbsession.flush()
    large = counts()
    assert large == small, f"statements grew with the data: {small} -> {large}"


def _logged(make_app, login):
    browser = make_app()
    browser.login(login)
    return browser
