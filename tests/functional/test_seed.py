"""The seed: the 2017 plan, the 20 spaces of the plugins, the demo accounts; idempotent. On the
demo day of development.ini nothing is dated later than that day, and each job can be walked."""

from __future__ import annotations

import datetime as dt
import io
from contextlib import contextmanager

import pytest
from sqlalchemy import DateTime, func, select

from intranet import clock
from intranet.i18n import local_date, local_today
from intranet.models.meta import utcnow
from intranet.reports.seed import demo_entry
from intranet.seed import DEMO_ACCOUNTS, SPACE_ORDER, run_seed
from tests.fixtures.browser import csrf_from, signed_in
from tests.fixtures.database import running_app
from tests.functional.test_commune_plans import create as create_plan
from tests.functional.test_commune_plans import fill as fill_plan
from tests.functional.test_commune_plans import plan_form
from tests.functional.test_commune_plans import review as review_plan
from tests.functional.test_reports import fill, report_form, xa_form


def counts(app):
    from intranet.accounts.models import User
    from intranet.plans.models import Plan
    from intranet.spaces.models import Membership, Space

    session = app.registry["dbsession_factory"]()
    try:
        return {
            model.__name__: session.scalar(select(func.count()).select_from(model))
            for model in (User, Space, Membership, Plan)
        }
    finally:
        session.close()


def test_seeded_content(app):
    from intranet.plans.models import Plan
    from intranet.spaces.models import Space

    session = app.registry["dbsession_factory"]()
    try:
        spaces = session.scalars(select(Space).order_by(Space.sort_order)).all()
        plan = session.scalars(select(Plan)).one()
    finally:
        session.close()
    assert [s.slug for s in spaces] == SPACE_ORDER
    assert sum(s.category == "agency" for s in spaces) == 11
    assert sum(s.category == "commune" for s in spaces) == 9
    assert {s.kind for s in spaces if s.category == "commune"} == {"xa"}
    assert plan.year == 2017
    assert plan.half_year_due.isoformat() == "2017-06-05" and plan.year_due.isoformat() == "2017-12-15"
    assert plan.title == "Kế hoạch thực hiện Chương trình bảo vệ trẻ em huyện Đăk Tô năm 2017"


def test_seed_twice_changes_nothing(app, app_settings):
    before = counts(app)
    assert before["User"] >= len(DEMO_ACCOUNTS) and before["Space"] == 20 and before["Plan"] == 1
    out = io.StringIO()
    run_seed(app_settings, demo=True, out=out)
    assert counts(app) == before
    assert "Spaces: 0 created." in out.getvalue()
    assert "Demo accounts: 0 rows added" in out.getvalue()


# --- the demo day (development.ini: intranet.demo_today) ---------------------------------------------

DEMO_DAY = dt.date(2017, 5, 29)
REPORT = "/spaces/{slug}/reports/xa.bao-cao/2017-6t"
AFTER_THE_LOCK = dt.date(2017, 7, 6)  # the half-year 2017 is locked after 05/07/2017


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory):
    """The demo as `make run` seeds it, on the demo clock of development.ini, in a database of its
    own (each request commits). The clock goes back to the real one at once: each test sets the
    day it needs, so that nothing else in the run is built or seeded on the demo clock."""
    try:
        with running_app(tmp_path_factory, "intranet_demo", **{"intranet.demo_today": DEMO_DAY.isoformat()}) as app:
            clock.set_demo_today(None)
            yield app
    finally:
        clock.set_demo_today(None)


@pytest.fixture
def demo(demo_app):
    with clock.demo_day(DEMO_DAY):
        yield demo_app


@contextmanager
def reading(app):
    session = app.registry["dbsession_factory"]()
    try:
        yield session
    finally:
        session.close()


def report_of(app, slug):
    from intranet.reports.models import Period, Submission
    from intranet.spaces.models import Space

    with reading(app) as session:
        return session.scalars(
            select(Submission)
            .join(Space, Space.id == Submission.space_id)
            .join(Period, Period.id == Submission.period_id)
            .where(Space.slug == slug, Period.code == "2017-6t")
        ).one_or_none()


def review_report(browser, slug, action, comment=""):
    url = REPORT.format(slug=slug)
    token = csrf_from(browser.get(url))
    return browser.post(url + "/transition", {"csrf_token": token, "action": action, "comment": comment}, status=302)


#: Date columns that record the day something was done (not a due date or a period's end).
DAYS_THINGS_HAPPENED = {
    ("duty_logs", "log_date"),
    ("ldtbxh_units", "start_date"),
    ("ldtbxh_unit_activities", "activity_date"),
    ("reminders_sent", "day"),
}


def test_nothing_seeded_is_dated_after_the_demo_day(demo):
    from intranet.models.meta import Base

    now = utcnow()
    assert local_date(now) == DEMO_DAY
    later = {}
    with reading(demo) as session:
        for table in Base.metadata.sorted_tables:
            for column in table.columns:
                if isinstance(column.type, DateTime):
                    after = column > now
                elif (table.name, column.name) in DAYS_THINGS_HAPPENED:
                    after = column > DEMO_DAY
                else:
                    continue
                count = session.scalar(select(func.count()).select_from(table).where(after))
                if count:
                    later[f"{table.name}.{column.name}"] = count
        assert session.scalar(select(func.count()).select_from(Base.metadata.tables["submissions"])) > 0
    assert later == {}


def test_on_the_demo_day_the_half_year_is_under_way(demo):
    from intranet.plans.models import CommunePlan
    from intranet.reports.models import Submission
    from intranet.spaces.models import Space

    with reading(demo) as session:
        reports = dict(
            session.execute(
                select(Space.slug, Submission.state).join(Submission, Submission.space_id == Space.id)
            ).all()
        )
        plans = dict(
            session.execute(
                select(Space.slug, CommunePlan.state)
                .join(CommunePlan, CommunePlan.space_id == Space.id)
                .where(CommunePlan.is_current.is_(True))
            ).all()
        )
    assert reports["tt-dak-to"] == reports["giaoduc"] == "accepted"
    assert reports["dak-tram"] == reports["noivu"] == "submitted"  # waiting for the coordinator
    assert reports["congan"] == reports["kon-dao"] == "draft"
    # Not begun: tan-canh files its report in the demo; the late and the missing are not late yet.
    assert not {"tan-canh", "dien-binh", "danso-khhgd", "van-lem"} & set(reports)
    assert plans == {
        "tt-dak-to": "approved",
        "kon-dao": "approved",
        "dak-tram": "approved",
        "dien-binh": "approved",
        "ngoc-tu": "submitted",
        "dak-ro-nga": "returned",
        "po-ko": "draft",
    }
    page = signed_in(demo, "tancanh").get("/")
    assert "29/05/2017" in page.text and "intranet.demo_today" in page.text  # the footer says so


def test_on_the_demo_day_a_commune_files_its_half_year_report_to_acceptance(demo):
    from intranet.reports import services

    officer, coordinator = signed_in(demo, "tancanh"), signed_in(demo, "dieuphoi")
    form = report_form(officer, REPORT.format(slug="tan-canh"))
    fill(form, demo_entry(xa_form(demo), "tan-canh"))
    # The demo's figures are not the child register's (a few fictional children): said why.
    notes = [name for name in form.fields if name.startswith("c.")]
    assert notes  # the register counts some of the report's figures
    for name in notes:
        form[name] = "Sổ theo dõi trẻ em mới nhập một phần."
    form.submit(name="action", value="submit", status=302)  # Tân Cảnh lets its officer submit
    submission = report_of(demo, "tan-canh")
    assert submission.state == "submitted" and local_date(submission.first_submitted_at) == DEMO_DAY
    review_report(coordinator, "tan-canh", "return", "Đề nghị bổ sung số trẻ em lao động sớm.")
    assert report_of(demo, "tan-canh").state == "returned"
    report_form(officer, REPORT.format(slug="tan-canh")).submit(name="action", value="submit", status=302)
    assert report_of(demo, "tan-canh").state == "submitted"
    review_report(coordinator, "tan-canh", "accept")
    submission = report_of(demo, "tan-canh")
    assert submission.state == "accepted" and local_date(submission.accepted_at) == DEMO_DAY
    with reading(demo) as session:
        period = services.period_by_code(session, "2017-6t")
        assert services.timeliness(submission, period) == "on_time"


def test_on_the_demo_day_a_commune_submits_its_plan_to_approval(demo):
    from intranet.plans.models import CommunePlan
    from intranet.spaces.models import Space

    def plan():
        with reading(demo) as session:
            return session.scalars(
                select(CommunePlan)
                .join(Space, Space.id == CommunePlan.space_id)
                .where(Space.slug == "tan-canh", CommunePlan.year == 2017)
            ).one()

    officer, coordinator = signed_in(demo, "tancanh"), signed_in(demo, "dieuphoi")
    create_plan(officer)
    fill_plan(plan_form(officer)).submit(name="action", value="submit", status=302)
    assert plan().state == "submitted" and local_date(plan().submitted_at) == DEMO_DAY
    review_plan(coordinator, "return", **{"comment.section:situation": "Bổ sung số trẻ em khuyết tật."})
    assert plan().state == "returned"
    plan_form(officer).submit(name="action", value="submit", status=302)
    review_plan(coordinator, "approve")
    assert plan().state == "approved" and local_date(plan().approved_at) == DEMO_DAY


def test_a_test_can_move_the_day_past_the_lock_date(demo):
    congan_report = "/spaces/congan/reports/congan.bao-cao/2017-6t"

    def editable(browser):
        return any("version" in f.fields for f in browser.get(congan_report).forms.values())

    assert editable(signed_in(demo, "congan"))  # a draft, a week before the due date
    with clock.demo_day(AFTER_THE_LOCK):
        assert local_today() == AFTER_THE_LOCK
        # Sessions live on the same clock: five weeks later, everyone signs in again.
        officer, coordinator = signed_in(demo, "congan"), signed_in(demo, "dieuphoi")
        assert not editable(officer)  # the period is locked now
        # the coordinator still accepts a report that was submitted on time
        review_report(coordinator, "dak-tram", "accept")
        accepted = report_of(demo, "dak-tram")
        assert accepted.state == "accepted" and local_date(accepted.accepted_at) == AFTER_THE_LOCK
    assert local_today() == DEMO_DAY
