"""Suggestions to pre-fill a report: the unit's own figures of the previous period of the same
kind, from its report in any state; nothing from another unit, form or kind of period."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from intranet.host import get_registry
from intranet.reports import services
from intranet.reports.models import Period, SubmissionValue
from tests.fixtures.database import count_statements
from tests.fixtures.factories import get_space, get_user


@pytest.fixture
def xa(app):
    return get_registry(app.registry).forms["xa.bao-cao"]


@pytest.fixture
def half_2018(dbsession):
    plan_id = services.period_by_code(dbsession, "2017-6t").plan_id
    period = Period(
        plan_id=plan_id,
        code="2018-6t",
        kind="half_year",
        year=2018,
        title="6 tháng đầu năm 2018",
        title_en="First half of 2018",
        start_date=dt.date(2018, 1, 1),
        end_date=dt.date(2018, 6, 30),
        due_date=dt.date(2018, 6, 5),
        lock_date=dt.date(2099, 7, 5),
    )
    dbsession.add(period)
    dbsession.flush()
    return period


def stored(dbsession, slug, code="2017-6t"):
    period = services.period_by_code(dbsession, code)
    sub = services.load_submission(dbsession, "xa.bao-cao", get_space(dbsession, slug).id, period.id)
    return {(v.element_code, v.option): v.value_num for v in sub.values}


@pytest.mark.parametrize("slug, state", [("dien-binh", "accepted"), ("kon-dao", "returned")])
def test_the_previous_half_year_in_any_state(app, dbsession, xa, half_2018, slug, state):
    space = get_space(dbsession, slug)
    got = services.suggestions(dbsession, app.registry, xa, space, half_2018)
    assert got.period.code == "2017-6t"
    values = stored(dbsession, slug)
    assert values and got == {k: Decimal(v) for k, v in values.items()}
    assert got[("tre_em", "0-5")] == values[("tre_em", "0-5")]
    assert (
        services.load_submission(
            dbsession, "xa.bao-cao", space.id, services.period_by_code(dbsession, "2017-6t").id
        ).state
        == state
    )


def test_nothing_when_the_unit_filed_nothing_or_left_it_empty(app, dbsession, xa, half_2018):
    for slug in ("van-lem", "tan-canh"):  # no report at all; a draft without figures
        got = services.suggestions(dbsession, app.registry, xa, get_space(dbsession, slug), half_2018)
        assert got == {} and got.period.code == "2017-6t"


def test_only_the_same_kind_of_period_and_only_cells_the_form_still_has(app, dbsession, xa, half_2018):
    space = get_space(dbsession, "dien-binh")
    # the year 2017 had no previous year: nothing, and the half-year is not offered for a year
    year = services.period_by_code(dbsession, "2017")
    got = services.suggestions(dbsession, app.registry, xa, space, year)
    assert got == {} and got.period is None
    # a figure of an element the form dropped, or of an option it no longer has, is not offered
    sub = services.load_submission(dbsession, "xa.bao-cao", space.id, services.period_by_code(dbsession, "2017-6t").id)
    sub.values.append(SubmissionValue(element_code="xa_chi_tieu_cu", option="", value_num=7))
    sub.values.append(SubmissionValue(element_code="tre_em", option="18+", value_num=9))
    dbsession.flush()
    got = services.suggestions(dbsession, app.registry, xa, space, half_2018)
    assert ("xa_chi_tieu_cu", "") not in got and ("tre_em", "18+") not in got
    assert ("tre_em", "0-5") in got
    # another unit's report is never offered
    other = services.suggestions(dbsession, app.registry, xa, get_space(dbsession, "ngoc-tu"), half_2018)
    assert other != got and other == {k: Decimal(v) for k, v in stored(dbsession, "ngoc-tu").items()}


def test_four_statements_whatever_the_form_and_the_logs(app, dbsession, factory, xa, half_2018):
    space = get_space(dbsession, "dien-binh")
    author = get_user(dbsession, "yte")
    for month in range(1, 7):  # the duty logs of this half-year: one more statement, not one per log
        factory.log(
            space,
            author,
            "xa.truyen-thong-cau-lac-bo",
            log_date=dt.date(2018, month, 1),
            values={"so_buoi_tuyen_truyen": 2, "so_luot_tuyen_truyen": 50},
        )
    with count_statements(app.registry["dbengine"]) as statements:
        got = services.suggestions(dbsession, app.registry, xa, space, half_2018)
    # last period's report, the duty logs, the period before, and (a commune) its child register
    assert len(got) > 50 and len(statements) == 4
    assert got.from_logs == {
        ("so_buoi_truyen_thong", ""): Decimal(12),
        ("so_luot_nguoi_duoc_truyen_thong", ""): Decimal(300),
    }
