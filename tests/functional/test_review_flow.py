"""The review job end to end on one engine: nothing stuck after the lock date, the queue, the
reason at the top, the notices, why there is no submit button, and drafts that always save."""

from __future__ import annotations

import os

from sqlalchemy import select

from intranet.district.services import review_queue, review_queue_head
from intranet.notifications.models import Notice
from intranet.reports import services
from intranet.reports.seed import demo_entry
from intranet.spaces.models import Membership
from tests.fixtures.factories import get_space, get_user
from tests.functional.test_reports import URL, fill, report_form, submission, xa_form


def _submit_tan_canh(as_user, app):
    head = as_user("chutich.tancanh")
    form = report_form(head)
    fill(form, demo_entry(xa_form(app), "tan-canh"))
    form.submit(name="action", value="submit", status=302)
    return head


def _review_form(page):
    return next(f for f in page.forms.values() if "comment" in f.fields and "next" in f.fields)


def test_a_report_submitted_on_time_can_be_accepted_after_the_lock_date(as_user, app, dbsession):
    _submit_tan_canh(as_user, app)
    sub = submission(dbsession)
    sub.unlocked = False  # the demo let Tân Cảnh send late; now the period's lock applies again
    dbsession.flush()
    period = services.period_by_code(dbsession, "2017-6t")
    assert services.is_locked(period, sub)  # the 2017 lock dates have passed
    page = as_user("dieuphoi").get(URL)
    assert 'value="accept"' in page.text and 'value="return"' in page.text
    _review_form(page).submit(name="action", value="accept", status=302)
    assert submission(dbsession).state == "accepted"


def test_the_queue_lists_what_waits_oldest_first_and_leads_to_the_next(as_user, app, dbsession):
    _submit_tan_canh(as_user, app)
    coordinator = as_user("dieuphoi")
    queue = coordinator.get("/district/review")
    links = [a.attrs["href"] for a in queue.html.select("ol.queue a")]
    assert URL in links
    # Oldest first: what the demo submitted in 2017 comes before the report sent just now.
    assert links[-1] == URL
    waiting = len(links)
    form = _review_form(coordinator.get(URL))
    form["comment"] = "Thiếu số liệu trẻ em bị xâm hại."
    res = form.submit(name="action", value="return", status=302)
    # After returning it she goes to the next document in her queue, not back to the same one.
    assert res.location.endswith(links[0]) and not res.location.endswith(URL)
    assert len(coordinator.get("/district/review").html.select("ol.queue a")) == waiting - 1


def test_the_home_page_shows_the_oldest_of_the_queue_and_counts_them_all(as_user, app, dbsession):
    _submit_tan_canh(as_user, app)
    everything = review_queue(dbsession, app.app.registry)
    # The demo's waiting report, plan and assessment, and the report sent just now.
    assert {w.kind for w in everything} >= {"report", "commune_plan"} and len(everything) >= 4
    for limit in range(1, len(everything) + 2):
        head, total = review_queue_head(dbsession, app.app.registry, limit=limit)
        assert [w.path for w in head] == [w.path for w in everything[:limit]]
        assert total == len(everything)
    home = as_user("dieuphoi").get("/")
    assert [a.attrs["href"] for a in home.html.select("ol.queue a")] == [w.path for w in everything[:5]]
    assert f"Xem cả {len(everything)} văn bản đang chờ" in home.text


def test_the_unit_sees_why_at_the_top_and_gets_a_notice(as_user, app, dbsession):
    _submit_tan_canh(as_user, app)
    coordinator = get_user(dbsession, "dieuphoi")
    notices = dbsession.scalars(
        select(Notice).where(Notice.user_id == coordinator.id, Notice.kind == "workflow.submit")
    ).all()
    assert len(notices) == 1 and "Tân Cảnh" in notices[0].message and notices[0].url == URL
    form = _review_form(as_user("dieuphoi").get(URL))
    form["comment"] = "Thiếu số liệu trẻ em bị xâm hại."
    form.submit(name="action", value="return", status=302)
    officer = get_user(dbsession, "tancanh")
    told = dbsession.scalars(select(Notice).where(Notice.user_id == officer.id, Notice.kind == "workflow.return")).all()
    assert len(told) == 1 and "Thiếu số liệu trẻ em bị xâm hại." in told[0].message
    page = as_user("tancanh").get(URL)
    top = page.html.select_one(".returned")
    assert top is not None and "Thiếu số liệu trẻ em bị xâm hại." in top.text
    # The reason comes before the form, not only in the history at the bottom.
    assert page.text.index("Thiếu số liệu trẻ em bị xâm hại.") < page.text.index('name="version"')
    # Saving the returned report keeps the reason in view until it is sent again.
    form = report_form(as_user("tancanh"))
    form.submit(name="action", value="save", status=302)
    assert as_user("tancanh").get(URL).html.select_one(".returned") is not None
    # Accepting tells the unit too.
    head = as_user("chutich.tancanh")
    report_form(head).submit(name="action", value="submit", status=302)
    _review_form(as_user("dieuphoi").get(URL)).submit(name="action", value="accept", status=302)
    assert (
        dbsession.scalars(select(Notice).where(Notice.user_id == officer.id, Notice.kind == "workflow.accept")).first()
        is not None
    )
    assert as_user("tancanh").get(URL).html.select_one(".returned") is None


def test_mail_of_a_transition_is_sent_only_after_commit(tmp_path):
    from pyramid_mailer.message import Message

    from intranet.notifications.services import _send_after_commit

    settings = {"intranet.mail": "debug", "intranet.mail_dir": str(tmp_path)}
    mails = [Message(subject="Đã được duyệt", sender="a@b.vn", recipients=["c@d.vn"], body="x")]
    _send_after_commit(False, settings, mails)
    assert os.listdir(tmp_path) == []
    _send_after_commit(True, settings, mails)
    assert len(os.listdir(tmp_path)) == 1


def test_why_there_is_no_submit_button(as_user, dbsession):
    space = get_space(dbsession, "tan-canh")
    space.officers_may_submit = False
    page = as_user("tancanh").get(URL)
    assert 'value="submit"' not in page.text
    assert "Chỉ Trưởng đơn vị được gửi" in page.text and "chưa có Trưởng đơn vị" not in page.text
    # Without a head, the page says so, and the coordinator's and the admin's home pages warn.
    head = get_user(dbsession, "chutich.tancanh")
    for m in dbsession.scalars(
        select(Membership).where(Membership.space_id == space.id, Membership.user_id == head.id)
    ):
        dbsession.delete(m)
    dbsession.flush()
    assert "chưa có Trưởng đơn vị" in as_user("tancanh").get(URL).text
    for login in ("dieuphoi", "admin"):
        home = as_user(login).get("/")
        warning = home.html.select_one(".flash-error")
        assert warning is not None and "Tân Cảnh" in warning.text, login
    assert as_user("tancanh").get("/").html.select_one(".flash-error") is None


def test_a_unit_with_no_member_is_warned_about(as_user, dbsession):
    space = get_space(dbsession, "van-lem")
    for m in dbsession.scalars(select(Membership).where(Membership.space_id == space.id)):
        dbsession.delete(m)
    dbsession.flush()
    warning = as_user("dieuphoi").get("/").html.select_one(".flash-error")
    assert "Văn Lem" in warning.text and "không có thành viên" in warning.text


def test_a_failed_submit_keeps_the_draft_saved(as_user, app, dbsession):
    head = as_user("chutich.tancanh")
    form = report_form(head)
    entry = demo_entry(xa_form(app), "tan-canh")
    fill(form, entry)
    form["v.tre_em_hcdb.nam"] = ""  # a required figure left out
    res = form.submit(name="action", value="submit", status=400)
    sub = submission(dbsession)
    assert sub.state == "draft"
    assert sub.values and ("tre_em_hcdb", "nam") not in {(v.element_code, v.option) for v in sub.values}
    assert "bản nháp đã được lưu" in res.text.lower()
    # The error summary links to the field's error.
    summary = res.html.select_one("#error-summary")
    assert summary.select_one('a[href="#f-v.tre_em_hcdb.nam"]') is not None
    assert res.html.select_one('input[id="f-v.tre_em_hcdb.nam"]') is not None
    # The form that comes back is at the saved version: fixing and sending works at once.
    again = res.forms[[k for k, f in res.forms.items() if "version" in f.fields][0]]
    again["v.tre_em_hcdb.nam"] = str(int(entry.values[("tre_em_hcdb", "nam")]))
    again.submit(name="action", value="submit", status=302)
    assert submission(dbsession).state == "submitted"


def test_a_draft_with_a_typo_saves_the_rest_and_keeps_the_saved_figure(as_user, app, dbsession):
    head = as_user("chutich.tancanh")
    form = report_form(head)
    form["v.tre_em_hcdb.nam"] = "7"
    form.submit(name="action", value="save", status=302)
    form = report_form(head)
    form["v.tre_em_hcdb.nam"] = "bảy"
    form["v.tre_em_hcdb.nu"] = "5"
    res = form.submit(name="action", value="save", status=400)
    values = {(v.element_code, v.option): v.value_num for v in submission(dbsession).values}
    assert values[("tre_em_hcdb", "nam")] == 7 and values[("tre_em_hcdb", "nu")] == 5
    assert 'value="bảy"' in res.text


def test_the_province_sees_a_district_summary(as_user):
    home = as_user("sotinh").get("/")
    assert "Bạn chưa là thành viên" not in home.text
    assert home.html.select_one(".district-summary") is not None


def test_the_review_queue_is_the_coordinators_own(as_user):
    for login in ("tancanh", "chutich.tancanh", "sotinh"):
        as_user(login).get("/district/review", status=(403, 404, 302))


def test_last_periods_figures_are_offered_and_prefilled_on_request(as_user, app, dbsession):
    import datetime as dt

    from intranet.reports.models import Period

    # Tân Cảnh's 2017 half-year report holds figures; the 2018 half-year is new.
    head = as_user("chutich.tancanh")
    form = report_form(head)
    form["v.tre_em_hcdb.nam"] = "37"
    form.submit(name="action", value="save", status=302)
    first = services.period_by_code(dbsession, "2017-6t")
    dbsession.add(
        Period(
            plan_id=first.plan_id,
            code="2018-6t",
            kind="half_year",
            year=2018,
            title="6 tháng đầu năm 2018",
            title_en="H1 2018",
            start_date=dt.date(2018, 1, 1),
            end_date=dt.date(2018, 6, 30),
            due_date=dt.date(2018, 6, 5),
            lock_date=dt.date(2099, 7, 5),
        )
    )
    dbsession.flush()
    url = "/spaces/tan-canh/reports/xa.bao-cao/2018-6t"
    page = head.get(url)
    field = page.html.select_one('input[name="v.tre_em_hcdb.nam"]')
    assert field["value"] == ""  # offered, not typed in for the unit
    assert "kỳ trước: 37" in " ".join(field.find_parent(class_="cell").stripped_strings)
    filled = head.get(url + "?prefill=1")
    assert filled.html.select_one('input[name="v.tre_em_hcdb.nam"]')["value"] == "37"
    assert filled.html.select_one(".suggested") is not None
    # Nothing is stored until the unit saves.
    assert submission(dbsession, code="2018-6t") is None
