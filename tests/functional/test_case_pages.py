"""The cases' pages (issue 11, sections 2 and 4): the commune's child-protection officer receives a
report (Form 01) and records the initial assessment (Form 02); the stage and the deadlines follow
what is filled; the case opens to its team only (worker, helpers, the commune's head, the
coordinator) and is not found by anyone else, another protection officer of the same commune
included; every reading is audited by number; nothing is cached."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from intranet.audit.models import AuditEntry
from intranet.cases.models import Case
from intranet.i18n import local_today
from intranet.spaces.models import Membership
from tests.fixtures.factories import get_space

LIST = "/spaces/tan-canh/cases"
ACCOUNT = "Cô giáo báo tin em bị đánh nhiều lần ở nhà, có vết bầm trên tay."


def _form(page, action_part):
    return next(f for f in page.forms.values() if action_part in (f.action or ""))


def receive(browser, status=302, **extra):
    form = _form(browser.get(LIST + "/new"), "/cases/new")
    form["reporter_kind"] = "school"
    form["reporter"] = "Trường Tiểu học Tân Cảnh, cô Y Hoa"
    form["account"] = ACCOUNT
    for key, value in extra.items():
        form[key] = value
    return form.submit(status=status)


def number_of(res) -> str:
    return re.search(r"/cases/([A-Z0-9-]+)$", res.location).group(1)


def test_the_officer_receives_a_report_and_assesses_it(as_user, dbsession):
    officer = as_user("tancanh")
    res = receive(officer)
    number = number_of(res)
    assert re.fullmatch(r"TC-\d{4}-\d{4}", number)
    page = res.follow()
    assert ACCOUNT in page.text and number in page.html.title.text
    assert page.headers["Cache-Control"] == "no-store"
    assert "Đã tiếp nhận thông tin" in page.text or "Report received" in page.text
    # Form 02: the stage moves on, the 12-hour deadline is met.
    form = _form(page, "/initial")
    form["harm"], form["access"], form["environment"], form["in_danger"] = "high", "high", "medium", "yes"
    form["emergency_measures"] = "Đưa em đến ở với bà ngoại; báo Công an xã."
    page = form.submit(status=302).follow()
    assert "Đưa em đến ở với bà ngoại" in page.text
    # Form 03, then the plan's draft (Form 04): the stage follows.
    form = _form(page, "/detailed")
    form["findings"] = "Cha thường xuyên say rượu; mẹ đi làm xa."
    page = form.submit(status=302).follow()
    form = _form(page, "/plan")
    form["plan_text"] = "Tư vấn tâm lý cho em; làm việc với cha; thăm gia đình hằng tuần."
    page = form.submit(status=302).follow()
    assert "Tư vấn tâm lý cho em" in page.text
    assert "Support and intervention plan being drafted" in page.text or "đang xây dựng" in page.text.lower()
    listing = officer.get(LIST)
    assert number in listing.text
    actions = [a for (a,) in dbsession.execute(select(AuditEntry.action).where(AuditEntry.object_id == number))]
    assert {"case.open", "case.view", "case.initial_assessment", "case.detailed_assessment", "case.plan_draft"} <= set(
        actions
    )
    details = dbsession.scalars(select(AuditEntry.detail).where(AuditEntry.object_type.in_(["case", "case_folder"])))
    assert "bà ngoại" not in str(list(details)) and "đánh" not in str(list(details))


def test_a_child_in_danger_needs_emergency_measures_and_nothing_is_saved_without(as_user, dbsession):
    officer = as_user("tancanh")
    page = receive(officer).follow()
    form = _form(page, "/initial")
    form["harm"], form["access"], form["environment"], form["in_danger"] = "high", "high", "high", "yes"
    refused = form.submit(status=400)
    assert refused.html.select_one("#err-emergency_measures") is not None
    assert dbsession.scalar(select(Case.initial_at).order_by(Case.id.desc()).limit(1)) is None


def test_bad_receipts_are_refused_beside_their_fields(as_user, dbsession):
    officer = as_user("tancanh")
    before = dbsession.scalar(select(func.count()).select_from(Case))
    for field, value in (("received_at", "31/02/2017 10:00"), ("received_at", "01/01/2099 10:00"), ("account", " ")):
        page = receive(officer, status=400, **{field: value})
        assert page.html.select_one(f"#err-{field}") is not None, (field, value)
    page = receive(officer, status=400, child="NOPE0-NOPE0")
    assert page.html.select_one("#err-child") is not None
    assert dbsession.scalar(select(func.count()).select_from(Case)) == before


def test_only_the_team_finds_the_case(as_user, dbsession, factory):
    number = number_of(receive(as_user("tancanh")))
    url = f"{LIST}/{number}"
    assert ACCOUNT in as_user("chutich.tancanh").get(url).text
    assert ACCOUNT in as_user("dieuphoi").get(url).text
    # Another child-protection officer of the same commune, not on this case's team.
    other = factory.user("baove.tancanh", full_name="Cán bộ bảo vệ trẻ em khác")
    dbsession.add(
        Membership(
            user_id=other.id, space_id=get_space(dbsession, "tan-canh").id, role="officer", protects_children=True
        )
    )
    dbsession.flush()
    colleague = as_user("baove.tancanh")
    colleague.get(url, status=404)
    assert number not in colleague.get(LIST).text  # their list holds their own cases only
    for login in ("admin", "sotinh", "congan", "giaoduc", "yte"):
        browser = as_user(login)
        for path in (LIST, LIST + "/new", url, f"{LIST}/TC-2017-9999"):
            assert ACCOUNT not in browser.get(path, status=404).text
    as_user("dieuphoi").get(LIST + "/new", status=403)  # she reads every case, opens none


def test_the_chairman_and_the_coordinator_read_who_opened_the_case(as_user):
    number = number_of(receive(as_user("tancanh")))
    url = f"{LIST}/{number}"
    as_user("tancanh").get(url)
    log = as_user("chutich.tancanh").get(url + "/access")
    rows = [r.get_text(" ", strip=True) for r in log.html.select("table.grid tbody tr")]
    assert any("A Thịnh" in r and "tancanh" in r for r in rows)  # the officer's reading
    assert log.headers["Cache-Control"] == "no-store"
    assert "A Thịnh" in as_user("dieuphoi").get(url + "/access").text
    as_user("tancanh").get(url + "/access", status=403)  # the case worker works on it, the log is not his
    as_user("giaoduc").get(url + "/access", status=404)


def test_the_dashboards_list_the_open_deadlines_overdue_first(app, as_user, dbsession):
    import datetime as dt

    from intranet.cases import procedure
    from intranet.cases.keys import get_keyring
    from intranet.clock import utcnow
    from tests.fixtures.factories import get_user

    keyring = get_keyring(app.registry)
    space_id = get_space(dbsession, "tan-canh").id
    worker = get_user(dbsession, "tancanh").id
    now = utcnow()
    _items, demo_open, demo_overdue = procedure.deadline_board(dbsession, space_ids=[space_id])

    def case(hours_ago, worker_id=worker):
        return procedure.open_case(
            dbsession,
            keyring,
            space_id,
            received_at=now - dt.timedelta(hours=hours_ago),
            reporter_kind="police",
            reporter="",
            account="Hư cấu",
            case_worker_id=worker_id,
            user_id=worker,
        )

    late = case(20)  # no initial assessment 20 hours after the receipt: overdue
    fresh = case(1)
    old = case(24 * 14)  # a fortnight: the plan's 5 working days are past too
    procedure.record_initial_assessment(
        dbsession,
        keyring,
        old,
        initial_at=old.received_at + dt.timedelta(hours=2),
        harm="low",
        access="low",
        environment="low",
        in_danger=False,
        user_id=worker,
    )
    other = case(30, worker_id=get_user(dbsession, "chutich.tancanh").id)  # not tancanh's
    dbsession.flush()

    items, open_count, overdue = procedure.deadline_board(dbsession, space_ids=[space_id])
    # 12 hours: late, fresh, other open (late and other overdue); 5 days: all four open (old overdue);
    # besides the demo's cases.
    assert open_count == demo_open + 3 + 4 and overdue == demo_overdue + 2 + 1
    assert [i.deadline.overdue for i in items] == sorted((i.deadline.overdue for i in items), reverse=True)
    assert items[0].number in (old.number, other.number, late.number)
    mine, mine_open, _late = procedure.deadline_board(dbsession, member_id=worker)
    assert other.number not in {i.number for i in mine} and mine_open == demo_open + 2 + 3
    assert fresh.number in {i.number for i in mine}

    head = as_user("chutich.tancanh").get("/")
    section = head.html.select_one("#case-deadlines")
    assert section is not None and late.number in head.text and other.number in head.text
    officer = as_user("tancanh").get("/")
    assert late.number in officer.text and other.number not in officer.text
    assert late.number in as_user("dieuphoi").get("/").text
    assert as_user("giaoduc").get("/").html.select_one("#case-deadlines") is None


def test_the_demo_has_fictional_cases_in_several_stages_one_overdue(app, as_user, dbsession):
    from intranet.cases import procedure
    from intranet.cases.keys import get_keyring

    keyring = get_keyring(app.registry)
    cases = list(dbsession.scalars(select(Case).where(Case.space_id == get_space(dbsession, "tan-canh").id)))
    demo = [c for c in cases if "hư cấu" in procedure.read_case(keyring, c).account]
    assert len(demo) == 4
    assert {procedure.stage(c, procedure.case_services(dbsession, c)) for c in demo} == {
        "received",
        "initial_assessment_done",
        "plan_drafted",
        "in_progress",
    }
    assert sum(1 for c in demo if any(d.overdue for d in procedure.deadlines(c))) >= 1
    assert as_user("tancanh").get("/").html.select_one("#case-deadlines + p + ul.deadlines li.overdue") is not None


def test_the_plan_is_submitted_then_returned_then_approved_by_a_decision(as_user, dbsession):
    officer = as_user("tancanh")
    page = receive(officer).follow()
    form = _form(page, "/initial")
    form["harm"], form["access"], form["environment"], form["in_danger"] = "medium", "low", "low", "no"
    page = form.submit(status=302).follow()
    form = _form(page, "/detailed")
    form["findings"] = "Gia đình cần hỗ trợ sinh kế."
    page = form.submit(status=302).follow()
    form = _form(page, "/plan")
    form["plan_text"] = "Hỗ trợ học bổng; giới thiệu vay vốn."
    page = form.submit(status=302).follow()
    number = page.request.path.rsplit("/", 1)[1]
    url = f"{LIST}/{number}"
    # The case team submits; it cannot approve its own plan.
    _form(page, "/plan/step").submit(status=302)
    page = officer.get(url)
    body = {
        "action": "approve",
        "decision_number": "1/QĐ-UBND",
        "decision_date": "01/01/2017",
        "csrf_token": _csrf(page),
    }
    officer.post(url + "/plan/step", body, status=403)
    head = as_user("chutich.tancanh")
    page = head.get(url)
    # A return needs its reason; nothing changes without it.
    returned = next(f for f in page.forms.values() if f.fields.get("action") and f["action"].value == "return")
    returned["comment"] = ""
    assert returned.submit(status=400).html.select_one("#err-comment") is not None
    returned["comment"] = "Bổ sung biện pháp tư vấn tâm lý cho em."
    returned.submit(status=302)
    page = officer.get(url)
    assert "Bổ sung biện pháp tư vấn tâm lý" in page.text
    _form(page, "/plan/step").submit(status=302)  # submitted again
    page = head.get(url)
    approve = next(f for f in page.forms.values() if f.fields.get("action") and f["action"].value == "approve")
    approve["decision_number"] = "15/QĐ-UBND"
    approve["decision_date"] = local_today().strftime("%d/%m/%Y")
    approve.submit(status=302)
    case = dbsession.scalars(select(Case).where(Case.number == number)).one()
    assert (case.plan_state, case.decision_number) == ("approved", "15/QĐ-UBND")
    assert case.first_plan_approved_at is not None and "15/QĐ-UBND" in head.get(url).text
    actions = set(dbsession.scalars(select(AuditEntry.action).where(AuditEntry.object_id == number)))
    assert {"case.plan_submit", "case.plan_return", "case.plan_approve"} <= actions
    details = str(list(dbsession.scalars(select(AuditEntry.detail).where(AuditEntry.object_id == number))))
    assert "tâm lý" not in details


def _csrf(page):
    return page.html.select_one("input[name=csrf_token]")["value"]
