"""A case after its plan's approval (issue 11, section 2, steps 5 and 6): the case team adds the
plan's services and records their outcomes; a review (Form 06) asks for a new plan or closes the
case, which is then read-only until the chairman or the case worker reopens it; the chairman and
the case worker choose who helps on the case, and a helper opens it while they are on the team."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from intranet.audit.models import AuditEntry
from intranet.cases.models import Case, CaseService
from intranet.i18n import local_today
from intranet.spaces.models import Membership
from tests.fixtures.factories import get_space

LIST = "/spaces/tan-canh/cases"


def _form(page, ending):
    return next(f for f in page.forms.values() if (f.action or "").endswith(ending))


def _day(days: int = 0) -> str:
    return (local_today() + dt.timedelta(days=days)).strftime("%d/%m/%Y")


def approved_case(as_user) -> str:
    """A case received, assessed, planned and approved through its pages; its URL."""
    officer = as_user("tancanh")
    form = _form(officer.get(LIST + "/new"), "/cases/new")
    form["reporter_kind"], form["account"] = "school", "Nhà trường báo em nghỉ học dài ngày (hư cấu)."
    page = form.submit(status=302).follow()
    form = _form(page, "/initial")
    form["harm"], form["access"], form["environment"], form["in_danger"] = "medium", "low", "low", "no"
    page = form.submit(status=302).follow()
    form = _form(page, "/detailed")
    form["findings"] = "Gia đình thiếu lương thực mùa giáp hạt."
    page = form.submit(status=302).follow()
    form = _form(page, "/plan")
    form["plan_text"] = "Hỗ trợ gạo; vận động em đi học lại."
    page = form.submit(status=302).follow()
    _form(page, "/plan/step").submit(status=302)
    url = page.request.path
    page = as_user("chutich.tancanh").get(url)
    approve = next(f for f in page.forms.values() if f.fields.get("action") and f["action"].value == "approve")
    approve["decision_number"], approve["decision_date"] = "21/QĐ-UBND", _day()
    approve.submit(status=302)
    return url


def _case(dbsession, url) -> Case:
    dbsession.expire_all()
    return dbsession.scalars(select(Case).where(Case.number == url.rsplit("/", 1)[1])).one()


def test_services_are_added_carried_out_and_the_case_closed_then_reopened(as_user, dbsession):
    url = approved_case(as_user)
    officer = as_user("tancanh")
    page = officer.get(url)
    # A service given by a district unit, due in a week.
    form = _form(page, "/services")
    form["description"] = "Cấp 30 kg gạo cho gia đình"
    form["unit"] = "ldtbxh"
    form["due_on"] = _day(7)
    page = form.submit(status=302).follow()
    assert "Cấp 30 kg gạo cho gia đình" in page.text, page.html.select_one("main").get_text(" ", strip=True)[-3000:]
    # A second one given by a person outside the district's units.
    form = _form(page, "/services")
    form["description"], form["assignee"], form["due_on"] = "Vận động em đi học lại", "Cô Y Hoa, giáo viên", _day(3)
    page = form.submit(status=302).follow()
    case = _case(dbsession, url)
    services = dbsession.scalars(select(CaseService).where(CaseService.case_id == case.id)).all()
    assert len(services) == 2 and all("gạo" not in s.description for s in services)  # encrypted at rest
    # Closing with a service still open is refused, beside the decision.
    review = _form(page, "/review")
    review["harm"], review["access"], review["environment"], review["decision"] = "low", "low", "low", "close"
    review["notes"] = "Em đã đi học lại."
    refused = review.submit(status=400)
    assert refused.html.select_one("#err-decision") is not None
    assert _case(dbsession, url).closed_at is None
    assert refused.html.select_one("textarea[name=notes]").text.strip() == "Em đã đi học lại."  # nothing lost
    # The outcomes: "not done" needs its reason.
    for service in services:
        page = officer.get(url)
        form = next(f for f in page.forms.values() if f.fields.get("service") and f["service"].value == str(service.id))
        form["outcome"] = "not_done"
        form["outcome_note"] = ""
        bad = form.submit(status=400)
        assert bad.html.select_one("#err-outcome_note") is not None
        form["outcome"] = "done"
        form["outcome_note"] = "Đã thực hiện"
        form.submit(status=302)
    page = officer.get(url)
    assert [span.get_text() for span in page.html.select("ul.services span.pre")] == ["Đã thực hiện"] * 2
    # Now the review closes the case; it is read-only.
    review = _form(page, "/review")
    review["harm"], review["access"], review["environment"], review["decision"] = "low", "low", "low", "close"
    page = review.submit(status=302).follow()
    assert _case(dbsession, url).closed_at is not None
    assert not any((f.action or "").endswith(("/services", "/initial", "/review")) for f in page.forms.values())
    token = page.html.select_one("input[name=csrf_token]")["value"]
    refused = officer.post(
        url + "/services", {"description": "x", "unit": "ldtbxh", "due_on": _day(), "csrf_token": token}, status=400
    )
    assert "closed" in refused.text or "đã đóng" in refused.text
    # The chairman reopens it (the coordinator may not).
    coordinator = as_user("dieuphoi")
    page = coordinator.get(url)
    assert not any((f.action or "").endswith("/reopen") for f in page.forms.values())
    coordinator.post(
        url + "/reopen", {"csrf_token": page.html.select_one("input[name=csrf_token]")["value"]}, status=403
    )
    page = as_user("chutich.tancanh").get(url)
    _form(page, "/reopen").submit(status=302)
    assert _case(dbsession, url).closed_at is None and _case(dbsession, url).reopened_at is not None
    actions = set(dbsession.scalars(select(AuditEntry.action).where(AuditEntry.object_id == case.number)))
    assert {"case.service_add", "case.service_outcome", "case.close", "case.reopen"} <= actions
    details = str(list(dbsession.scalars(select(AuditEntry.detail).where(AuditEntry.object_id == case.number))))
    assert "gạo" not in details and "Y Hoa" not in details


def test_a_review_asks_for_a_new_plan_whose_services_are_its_own(as_user, dbsession):
    url = approved_case(as_user)
    officer = as_user("tancanh")
    form = _form(officer.get(url), "/services")
    form["description"], form["unit"], form["due_on"] = "Cấp 30 kg gạo", "ldtbxh", _day(7)
    page = form.submit(status=302).follow()
    review = _form(page, "/review")
    review["harm"], review["access"], review["environment"], review["decision"] = "medium", "low", "low", "new_plan"
    review["next_review_on"] = _day(30)
    page = review.submit(status=302).follow()
    case = _case(dbsession, url)
    assert (case.plan_round, case.plan_state, case.closed_at) == (2, "draft", None)
    assert case.next_review_on == local_today() + dt.timedelta(days=30)
    # The first plan's service is an earlier plan's now; the new plan has none yet.
    assert "Services of earlier plans" in page.text or "kế hoạch trước" in page.text
    assert (
        "Services are added once the plan is approved." in page.text or "sau khi kế hoạch được phê duyệt" in page.text
    )
    # A date in the past is refused for the next review.
    review = _form(page, "/review")
    review["harm"], review["access"], review["environment"], review["decision"] = "low", "low", "low", "new_plan"
    review["next_review_on"] = _day(-1)
    assert review.submit(status=400).html.select_one("#err-decision, #err-next_review_on") is not None


def test_the_case_team_is_chosen_by_the_chairman_or_the_worker(as_user, dbsession, factory):
    url = approved_case(as_user)
    tan_canh = get_space(dbsession, "tan-canh").id
    helper = factory.user("baove.tancanh", full_name="Cán bộ bảo vệ trẻ em khác")
    dbsession.add(Membership(user_id=helper.id, space_id=tan_canh, role="officer", protects_children=True))
    plain = factory.user("vanthu.tancanh", full_name="Văn thư xã")
    dbsession.add(Membership(user_id=plain.id, space_id=tan_canh, role="officer"))
    dbsession.flush()
    colleague = as_user("baove.tancanh")
    colleague.get(url, status=404)
    page = as_user("tancanh").get(url)
    form = _form(page, "/team")
    options = [value for value, _sel, _text in form["user"].options]
    assert str(helper.id) in options and str(plain.id) not in options  # designated officers only
    form["user"], form["action"] = str(helper.id), "add_helper"
    form.submit(status=302)
    page = colleague.get(url)  # on the team now
    assert "Hỗ trợ gạo" in page.text
    assert not any((f.action or "").endswith("/team") for f in page.forms.values())  # helpers do not choose
    # A user who is not a candidate cannot be slipped in.
    token = page.html.select_one("input[name=csrf_token]")["value"]
    worker = as_user("tancanh")
    token = worker.get(url).html.select_one("input[name=csrf_token]")["value"]
    bad = worker.post(url + "/team", {"user": str(plain.id), "action": "add_helper", "csrf_token": token}, status=400)
    assert bad.html.select_one("#err-user") is not None
    # The chairman removes the helper: the case is not found by them any more.
    page = as_user("chutich.tancanh").get(url)
    form = _form(page, "/team")
    form["user"], form["action"] = str(helper.id), "remove_helper"
    form.submit(status=302)
    colleague.get(url, status=404)
    # Not a helper: said beside the field.
    form = _form(as_user("chutich.tancanh").get(url), "/team")
    form["user"], form["action"] = str(helper.id), "remove_helper"
    assert form.submit(status=400).html.select_one("#err-user") is not None
    assert "case.team" in set(
        dbsession.scalars(select(AuditEntry.action).where(AuditEntry.object_id == url.rsplit("/", 1)[1]))
    )


def test_an_outcome_for_another_case_s_service_is_refused(as_user, dbsession):
    first = approved_case(as_user)
    second = approved_case(as_user)
    officer = as_user("tancanh")
    form = _form(officer.get(first), "/services")
    form["description"], form["unit"], form["due_on"] = "Cấp 30 kg gạo", "ldtbxh", _day(7)
    form.submit(status=302)
    service = dbsession.scalars(select(CaseService).where(CaseService.case_id == _case(dbsession, first).id)).one()
    token = officer.get(second).html.select_one("input[name=csrf_token]")["value"]
    body = {"service": str(service.id), "outcome": "done", "outcome_on": _day(), "csrf_token": token}
    refused = officer.post(second + "/services/outcome", body, status=400)
    assert refused.html.select_one("#err-outcome") is not None
    dbsession.expire_all()
    assert dbsession.get(CaseService, service.id).outcome is None
