"""Indicators are judged only when they can be: "met" or "not met" on the year's period, once
every unit that must report the figures has an accepted report; a half-year is a mid-year
reading; fewer accepted reports give "not enough data" with the coverage ("6/9")."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from intranet.host import get_registry
from intranet.reports import services
from intranet.reports.models import Period
from intranet.spaces.models import Space
from tests.fixtures.factories import get_user

INJURIES = "tre_em_tai_nan_thuong_tich"


def communes(dbsession):
    return list(dbsession.scalars(select(Space).where(Space.kind == "xa").order_by(Space.sort_order)))


def accept(app, dbsession, space, period, values):
    form = get_registry(app.registry).forms["xa.bao-cao"]
    sub = services.create_submission(dbsession, form, space.id, period.id)
    services.store_entry(sub, form, services.Entry(values={k: Decimal(v) for k, v in values.items()}))
    user = get_user(dbsession, "dieuphoi").id
    services.apply_transition(sub, "submit", user)
    services.apply_transition(sub, "accept", user)
    dbsession.flush()
    return sub


def indicators(app, dbsession, period):
    return {r.indicator.key: r for r in services.compute_indicators(dbsession, app.registry, period.plan_id, period.id)}


@pytest.fixture
def periods_2018(dbsession):
    plan_id = services.period_by_code(dbsession, "2017").plan_id
    half = Period(
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
    year = Period(
        plan_id=plan_id,
        code="2018",
        kind="year",
        year=2018,
        title="Năm 2018",
        title_en="Year 2018",
        start_date=dt.date(2018, 1, 1),
        end_date=dt.date(2018, 12, 31),
        due_date=dt.date(2018, 12, 15),
        lock_date=dt.date(2099, 1, 15),
    )
    dbsession.add_all([half, year])
    dbsession.flush()
    return half, year


def verdict_of(page_text: str, title_en: str) -> str:
    """The text of the verdict shown under an indicator's title on the (English) page."""
    item = page_text.split(title_en, 1)[1].split("</li>", 1)[0]
    return item.split('class="verdict', 1)[1].split(">", 1)[1].split("<", 1)[0]


def test_the_year_is_judged_only_once_every_commune_has_an_accepted_report(app, dbsession, as_user, periods_2018):
    _half, year = periods_2018
    units = communes(dbsession)
    assert len(units) == 9
    for space in units[:-1]:
        accept(app, dbsession, space, year, {(INJURIES, "nam"): 5, (INJURIES, "nu"): 5})
    injuries = indicators(app, dbsession, year)[INJURIES]
    assert injuries.actual == Decimal(80) and injuries.threshold == Decimal(111)
    assert injuries.compared is True  # the reading alone would say "met"…
    assert (injuries.coverage.reported, injuries.coverage.expected) == (8, 9)
    assert [s.slug for s in injuries.coverage.missing] == [units[-1].slug]
    assert injuries.verdict == "incomplete" and injuries.met is None  # …but one commune is missing
    browser = as_user("dieuphoi")
    page = browser.get("/district/indicators/2018?_LOCALE_=en")
    assert verdict_of(page.text, "Children injured in accidents") == "Not enough data"
    assert "Figures from 8/9 communes with an accepted report" in page.text

    accept(app, dbsession, units[-1], year, {(INJURIES, "nam"): 20, (INJURIES, "nu"): 20})
    injuries = indicators(app, dbsession, year)[INJURIES]
    assert (injuries.actual, injuries.coverage.complete, injuries.verdict, injuries.met) == (
        Decimal(120),
        True,
        "not_met",
        False,
    )
    page = browser.get("/district/indicators/2018?_LOCALE_=en")
    assert verdict_of(page.text, "Children injured in accidents") == "Not met"
    assert "Figures from 9/9 communes with an accepted report" in page.text


def test_a_met_target_on_the_year(app, dbsession, periods_2018):
    _half, year = periods_2018
    for space in communes(dbsession):
        accept(app, dbsession, space, year, {(INJURIES, "nam"): 6, (INJURIES, "nu"): 6})
    injuries = indicators(app, dbsession, year)[INJURIES]
    assert (injuries.actual, injuries.verdict, injuries.met) == (Decimal(108), "met", True)


def test_a_half_year_is_a_mid_year_reading_never_met_or_not_met(app, dbsession, as_user, periods_2018):
    half, year = periods_2018
    for space in communes(dbsession):
        accept(app, dbsession, space, half, {(INJURIES, "nam"): 30, (INJURIES, "nu"): 30})
    injuries = indicators(app, dbsession, half)[INJURIES]
    assert injuries.coverage.complete and injuries.actual == Decimal(540)
    assert injuries.compared is False  # above the year's limit already, but only half the year
    assert (injuries.verdict, injuries.met, injuries.final) == ("mid_year", None, False)
    assert all(r.met is None for r in indicators(app, dbsession, half).values())
    page = as_user("dieuphoi").get("/district/indicators/2018-6t?_LOCALE_=en")
    assert verdict_of(page.text, "Children injured in accidents") == "Mid-year reading"
    assert 'class="flash mid-year"' in page.text
    assert 'href="/district/indicators/2018"' in page.text  # where the year is judged
    assert 'class="verdict verdict-met"' not in page.text and 'class="verdict verdict-not_met"' not in page.text


def test_the_demo_half_year_lacks_three_communes(app, dbsession, as_user):
    half = services.period_by_code(dbsession, "2017-6t")
    results = indicators(app, dbsession, half)
    injuries = results[INJURIES]
    assert injuries.actual is not None
    assert (injuries.coverage.reported, injuries.coverage.expected) == (6, 9) and injuries.coverage.communes
    assert {s.slug for s in injuries.coverage.missing} == {"tan-canh", "van-lem", "kon-dao"}
    assert injuries.verdict == "incomplete"
    # counted from the registry, not from reports: no coverage, but still only a mid-year reading
    points = results["xa_co_he_thong_dich_vu"]
    assert points.coverage is None and points.actual is not None and points.verdict == "mid_year"
    # nothing is claimed as met anywhere on the page, nor in the API
    page = as_user("dieuphoi").get("/district/indicators/2017-6t?_LOCALE_=en")
    assert "verdict-met" not in page.text and "verdict-not_met" not in page.text
    assert "Figures from 6/9 communes with an accepted report" in page.text


def test_the_indicator_page_in_vietnamese(as_user):
    """Runs once the msgids of this change are in the Vietnamese catalogue."""
    page = as_user("dieuphoi").get("/district/indicators/2017-6t")
    assert "Số liệu giữa năm" in page.text
    assert "Chưa đủ số liệu" in page.text
    assert "Số liệu từ 6/9 xã, thị trấn có báo cáo được duyệt" in page.text
