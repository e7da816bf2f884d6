"""The reminder command: who is reminded, what they read, and once a day only."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pyramid_mailer.mailer import DummyMailer
from sqlalchemy import func, select

from intranet.notifications.models import Notice, ReminderSent
from intranet.notifications.services import send_reminders
from intranet.reports import services as rs
from tests.fixtures.factories import get_space, get_user


@pytest.fixture
def open_period(dbsession):
    """The half-year 2017 as if it were still open: due on 05/6, lock date far away."""
    period = rs.period_by_code(dbsession, "2017-6t")
    period.lock_date = dt.date(2099, 1, 1)
    dbsession.flush()
    return period


def test_units_that_owe_the_report_are_reminded_once_a_day(app, dbsession, open_period):
    get_user(dbsession, "tancanh").email = "tancanh@example.vn"
    dbsession.flush()
    mailer = DummyMailer()
    out = io.StringIO()
    counts = send_reminders(dbsession, app.registry, mailer, dt.date(2017, 6, 1), out=out)
    # Not yet submitted on 01/6: tan-canh (an open draft), kon-dao (returned), van-lem.
    reminded = set(dbsession.scalars(select(ReminderSent.space_id)))
    assert reminded == {get_space(dbsession, s).id for s in ("tan-canh", "kon-dao", "van-lem")}
    assert counts["reports"] == 3
    # tan-canh's head and officer get a notice; the officer with an e-mail gets one too.
    tancanh_notices = dbsession.scalars(
        select(Notice).where(Notice.space_id == get_space(dbsession, "tan-canh").id)
    ).all()
    assert {n.user_id for n in tancanh_notices} == {
        get_user(dbsession, "tancanh").id,
        get_user(dbsession, "chutich.tancanh").id,
    }
    assert "còn 4 ngày đến hạn nộp (05/06/2017)" in tancanh_notices[0].message
    assert [m.recipients for m in mailer.outbox] == [["tancanh@example.vn"]]
    assert mailer.outbox[0].subject.startswith("Nhắc hạn:")
    assert "[1/3]" in out.getvalue()
    # The same day again: nothing new.
    again = send_reminders(dbsession, app.registry, DummyMailer(), dt.date(2017, 6, 1))
    assert (again["reports"], again["skipped"]) == (0, 3)
    assert dbsession.scalar(select(func.count()).select_from(Notice)) == counts["notices"]


def test_nothing_is_due_more_than_a_week_ahead(app, dbsession, open_period):
    counts = send_reminders(dbsession, app.registry, DummyMailer(), dt.date(2017, 5, 1))
    assert counts["reports"] == 0


def test_overdue_reports_say_so(app, dbsession, open_period):
    send_reminders(dbsession, app.registry, DummyMailer(), dt.date(2017, 6, 8))
    notice = dbsession.scalars(select(Notice).where(Notice.space_id == get_space(dbsession, "van-lem").id)).first()
    assert notice is None or "đã quá hạn nộp 3 ngày" in notice.message  # van-lem has no members
    notice = dbsession.scalars(select(Notice).where(Notice.space_id == get_space(dbsession, "tan-canh").id)).first()
    assert "đã quá hạn nộp 3 ngày" in notice.message


def test_past_the_lock_date_only_reopened_reports_are_reminded(app, dbsession):
    # The real 2017 lock date has passed: tan-canh was reopened, kon-dao returned.
    send_reminders(dbsession, app.registry, DummyMailer(), dt.date(2017, 7, 20))
    reminded = set(dbsession.scalars(select(ReminderSent.space_id)))
    assert get_space(dbsession, "van-lem").id not in reminded
    assert get_space(dbsession, "tan-canh").id in reminded


def test_notice_page_and_mark_read(app, dbsession, as_user, open_period):
    send_reminders(dbsession, app.registry, DummyMailer(), dt.date(2017, 6, 1))
    browser = as_user("tancanh")
    home = browser.get("/")
    assert "/notices" in home.text
    page = browser.get("/notices")
    assert "Nhắc" in page.text or "còn 4 ngày" in page.text
    page.forms[1].submit(status=302)
    assert (
        dbsession.scalar(
            select(func.count())
            .select_from(Notice)
            .where(Notice.user_id == get_user(dbsession, "tancanh").id, Notice.read_at.is_(None))
        )
        == 0
    )


def test_remind_command_commits_once_a_day(tmp_path_factory):
    """The command on its own database (it commits), run twice on the same day."""
    from intranet.cli import run_remind
    from tests.fixtures.database import base_settings, build_app, throwaway_database

    with throwaway_database(tmp_path_factory, "intranet_remind") as url:
        build_app(url).registry["dbengine"].dispose()
        out = io.StringIO()
        counts = run_remind(base_settings(url), "20/07/2017", mailer=DummyMailer(), out=out)
        assert "Reminders for 20/07/2017" in out.getvalue() and counts["reports"] >= 1
        again = run_remind(base_settings(url), "20/07/2017", mailer=DummyMailer(), out=io.StringIO())
        assert again["reports"] == 0 and again["skipped"] == counts["reports"]


def test_a_bad_address_is_skipped_and_named_the_others_are_sent(app, dbsession, open_period, tmp_path):
    from pyramid_mailer.mailer import DebugMailer

    get_user(dbsession, "tancanh").email = "tancanh@example.vn"
    get_user(dbsession, "chutich.tancanh").email = "chutich@example.vn\r\nBcc: ai-do@example.com"
    dbsession.flush()
    out = io.StringIO()
    # The debug mailer checks each message as the SMTP mailer does: a CR/LF in an address raised.
    counts = send_reminders(dbsession, app.registry, DebugMailer(str(tmp_path)), dt.date(2017, 6, 1), out=out)
    assert (counts["reports"], counts["emails"], counts["bad_addresses"]) == (3, 1, 1)
    sent = [p.read_text() for p in tmp_path.iterdir()]
    assert len(sent) == 1 and "tancanh@example.vn" in sent[0] and "ai-do" not in sent[0]
    assert "chutich.tancanh" in out.getvalue() and "chutich@example.vn" not in out.getvalue()
    # Both still get the notice in the intranet.
    notices = dbsession.scalars(select(Notice.user_id).where(Notice.space_id == get_space(dbsession, "tan-canh").id))
    assert set(notices) == {get_user(dbsession, "tancanh").id, get_user(dbsession, "chutich.tancanh").id}
