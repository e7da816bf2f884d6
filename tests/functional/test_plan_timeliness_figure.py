"""The indicator "plans approved within 5 working days" (Decree 56/2017: the support and
intervention plan within 5 working days of the receipt), per commune on the child figures page:
weekends and Tết are not working days, a year whose holidays are not known is not counted, and
outside the district small counts are hidden as for the other indicators."""

from __future__ import annotations

import datetime as dt

import pytest

from intranet.cases.calendar import deadline_5_working_days
from intranet.cases.figures import HIDDEN, commune_figures, indicators_on, plans_on_time
from intranet.cases.keys import get_keyring
from intranet.cases.procedure import open_case
from intranet.clock import demo_day
from intranet.i18n import LOCAL_ZONE
from intranet.reports import services
from intranet.reports.models import Period
from tests.fixtures.database import count_statements
from tests.fixtures.factories import get_space

URL = "/district/children/2017-6t"
KEY = "plans_on_time"
H1 = (dt.date(2017, 1, 1), dt.date(2017, 6, 30))


def local(*args) -> dt.datetime:
    """A time in Đăk Tô."""
    return dt.datetime(*args, tzinfo=LOCAL_ZONE)


def utc(value: dt.datetime) -> dt.datetime:
    """The stored (naive UTC) time of a local one."""
    return value.astimezone(dt.timezone.utc).replace(tzinfo=None)


@pytest.fixture
def add_case(app, dbsession):
    """add_case("tan-canh", received, approved=None, first_approved=None): a case received at
    ``received`` (a local time) whose plan was approved at ``approved``."""
    keyring = get_keyring(app.registry)

    def factory(slug, received, approved=None, first_approved=None):
        with demo_day(dt.date(2017, 12, 1)):
            case = open_case(
                dbsession,
                keyring,
                get_space(dbsession, slug).id,
                received_at=received,
                reporter_kind="hotline_111",
                reporter="",
                account="Thông tin thử.",
                case_worker_id=None,
                user_id=None,
            )
        if approved is not None:
            case.plan_state = "approved"
            case.plan_approved_at = utc(approved)
        if first_approved is not None:
            case.first_plan_approved_at = utc(first_approved)
        dbsession.flush()
        return case

    return factory


def test_the_deadlines_the_tests_rely_on():
    # Friday 03/03/2017: the weekend is skipped, Friday 10/03 is the fifth working day.
    assert deadline_5_working_days(dt.date(2017, 3, 3)) == dt.date(2017, 3, 10)
    # Wednesday 25/01/2017, the eve of Tết Đinh Dậu (26/01 to 01/02 off): Wednesday 08/02.
    assert deadline_5_working_days(dt.date(2017, 1, 25)) == dt.date(2017, 2, 8)


def test_a_plan_is_on_time_up_to_the_fifth_working_day_in_local_time(dbsession, add_case):
    tc = get_space(dbsession, "tan-canh").id
    add_case("tan-canh", local(2017, 3, 3, 15, 0), approved=local(2017, 3, 10, 23, 30))  # across a weekend
    add_case("tan-canh", local(2017, 3, 3, 15, 0), approved=local(2017, 3, 11, 0, 30))  # Saturday: late
    add_case("tan-canh", local(2017, 3, 3, 15, 0), approved=local(2017, 3, 13, 8, 0))  # Monday: late
    add_case("tan-canh", local(2017, 1, 25, 9, 0), approved=local(2017, 2, 8, 10, 0))  # across Tết
    add_case("tan-canh", local(2017, 1, 25, 9, 0), approved=local(2017, 2, 9, 10, 0))  # a day too late
    # The first plan counts: a new plan after a review does not make it late, nor on time.
    add_case(
        "tan-canh",
        local(2017, 4, 3, 9, 0),
        approved=local(2017, 6, 1, 9, 0),
        first_approved=local(2017, 4, 7, 9, 0),
    )
    add_case("tan-canh", local(2017, 5, 2, 9, 0))  # waits past its deadline: counted, not on time
    add_case("tan-canh", local(2017, 6, 28, 9, 0))  # its deadline has not come: not counted yet
    add_case("tan-canh", local(2017, 7, 3, 9, 0), approved=local(2017, 7, 4, 9, 0))  # another period
    got = plans_on_time(dbsession, [tc], *H1, today=dt.date(2017, 6, 30))
    assert (got[tc].count, got[tc].of, got[tc].unknown) == (3, 7, 0)
    # Once its deadline has passed, the waiting case of 28/06 counts as well.
    later = plans_on_time(dbsession, [tc], *H1, today=dt.date(2017, 7, 6))
    assert (later[tc].count, later[tc].of) == (3, 8)
    # The indicator is one of the plan's, in the same table as the others.
    figures = commune_figures(dbsession, [tc], *H1, today=dt.date(2017, 6, 30))
    assert (figures[KEY][tc].count, figures[KEY][tc].of) == (3, 7)
    assert KEY in [i.key for i in indicators_on(H1[1]).indicators]


@pytest.fixture
def half_2015(dbsession):
    """A half-year of a year whose holidays are not in the data."""
    plan_id = services.period_by_code(dbsession, "2017-6t").plan_id
    period = Period(
        plan_id=plan_id,
        code="2015-6t",
        kind="half_year",
        year=2015,
        title="6 tháng đầu năm 2015",
        title_en="First half of 2015",
        start_date=dt.date(2015, 1, 1),
        end_date=dt.date(2015, 6, 30),
        due_date=dt.date(2015, 6, 5),
        lock_date=dt.date(2015, 7, 5),
    )
    dbsession.add(period)
    dbsession.flush()
    return period


def test_a_year_whose_holidays_are_not_known_is_counted_as_not_known(as_user, dbsession, add_case, half_2015):
    tc = get_space(dbsession, "tan-canh").id
    add_case("tan-canh", local(2015, 3, 2, 9, 0), approved=local(2015, 3, 4, 9, 0))
    add_case("tan-canh", local(2015, 4, 1, 9, 0))
    got = plans_on_time(dbsession, [tc], half_2015.start_date, half_2015.end_date)
    # Neither on time nor late: the deadline is not known.
    assert (got[tc].count, got[tc].of, got[tc].unknown) == (0, 0, 2)
    page = as_user("dieuphoi").get("/district/children/2015-6t")
    note = page.html.select_one(f"#ind-{KEY} .unknown").get_text(" ", strip=True)
    assert "2" in note
    cell = _column(page, KEY)["UBND xã Tân Cảnh"]
    assert cell == "—"


def _column(page, key):
    """{row title: cell text} of the indicator ``key``'s column of the table."""
    keys = [li["id"].removeprefix("ind-") for li in page.html.select("ol.indicator-notes li")]
    index = keys.index(key)
    return {
        row.th.get_text(strip=True): row.select("td")[index].get_text(strip=True)
        for row in page.html.select("table.figures tbody tr")
    }


@pytest.fixture
def cases_2017(add_case):
    """Tân Cảnh: 6 cases past their deadline, 2 of them approved on time; Kon Đào: 7, all on time."""
    for n in range(6):
        approved = local(2017, 3, 6, 9, 0) if n < 2 else None
        add_case("tan-canh", local(2017, 3, 3, 9, n), approved=approved)
    for n in range(7):
        add_case("kon-dao", local(2017, 4, 3, 9, n), approved=local(2017, 4, 5, 9, 0))


def test_the_coordinator_reads_the_share_and_how_it_is_counted(as_user, cases_2017):
    page = as_user("dieuphoi").get(URL)
    column = _column(page, KEY)
    assert "(2/6)" in column["UBND xã Tân Cảnh"] and "(7/7)" in column["UBND xã Kon Đào"]
    assert "(9/13)" in column["Toàn huyện"]
    how = page.html.select_one(f"#ind-{KEY}").get_text(" ", strip=True)
    assert "5 ngày làm việc" in how and "Tết" in how


def test_the_province_sees_a_share_only_when_both_parts_are_shown(as_user, cases_2017):
    column = _column(as_user("sotinh").get(URL), KEY)
    # 2 on time in Tân Cảnh is hidden, and Kon Đào's 7 with it, or the total 9 would give it away.
    assert column["UBND xã Tân Cảnh"] == f"{HIDDEN}/6"
    assert column["UBND xã Kon Đào"] == f"{HIDDEN}/7"
    assert "%" not in column["UBND xã Tân Cảnh"] + column["UBND xã Kon Đào"]
    assert "(9/13)" in column["Toàn huyện"]


def test_the_page_reads_the_cases_in_one_statement_of_plain_columns(app, as_user, add_case):
    coordinator = as_user("dieuphoi")
    add_case("tan-canh", local(2017, 3, 3, 9, 0), approved=local(2017, 3, 6, 9, 0))
    coordinator.get(URL)  # the session's first page
    with count_statements(app.registry["dbengine"]) as few:
        coordinator.get(URL)
    for n in range(30):
        add_case("kon-dao" if n % 2 else "tan-canh", local(2017, 5, 2, 9, n), approved=local(2017, 5, 3, 9, 0))
    with count_statements(app.registry["dbengine"]) as many:
        coordinator.get(URL)
    assert len(many) == len(few)
    reads = [s for s in many if "FROM cases" in s]
    assert len(reads) == 1
    for column in ("account", "reporter", "plan_text", "findings", "emergency_measures"):
        assert f"cases.{column}" not in reads[0]
