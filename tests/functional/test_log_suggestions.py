"""Reports pre-filled from the unit's own duty logs: a duty's measure that names a report figure
(``Measure.element``) adds up over the unit's logs dated within the reporting period, and that
sum is offered apart from the previous period's figures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from intranet.host import get_registry
from intranet.reports import services
from intranet.reports.models import Period
from tests.fixtures.database import count_statements
from tests.fixtures.factories import get_space, get_user

BUOI = ("yte_so_buoi_tuyen_truyen_attp", "")
LUOT = ("yte_so_luot_nguoi_tuyen_truyen_attp", "")
DOT = ("yte_so_dot_kiem_tra_attp", "")


@pytest.fixture
def forms(app):
    return get_registry(app.registry).forms


@pytest.fixture
def half_2017(dbsession):
    return services.period_by_code(dbsession, "2017-6t")


@pytest.fixture
def half_2018(dbsession, half_2017):
    period = Period(
        plan_id=half_2017.plan_id,
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


@pytest.fixture
def yte(dbsession):
    return get_space(dbsession, "yte")


@pytest.fixture
def author(dbsession):
    return get_user(dbsession, "yte")


def attp(factory, space, author, day, sessions, people):
    return factory.log(
        space,
        author,
        "yte.tuyen-truyen-attp",
        log_date=day,
        values={"so_buoi_tuyen_truyen": sessions, "so_luot_tuyen_truyen": people},
    )


def test_the_bundled_measures_name_the_figures_of_their_kinds_form(app):
    reg = get_registry(app.registry)
    duty = reg.duty("yte.tuyen-truyen-attp")
    assert duty.measure("so_buoi_tuyen_truyen").element == "yte_so_buoi_tuyen_truyen_attp"
    assert duty.measure("so_luot_tuyen_truyen").element == "yte_so_luot_nguoi_tuyen_truyen_attp"
    assert reg.duty("taichinh.kinh-phi-hang-nam").measure("so_kinh_phi_bo_tri").cell == (
        "taichinh_kinh_phi_bo_tri",
        "ngan_sach_huyen",
    )
    # every named figure is a cell of the form of the duty's own kind
    for kind in reg.kinds:
        cells = {(e.code, o) for f in reg.forms_for(kind) for e in f.elements() for o in e.cells()}
        assert set(reg.measure_cells(kind).values()) <= cells, kind


def test_logs_of_the_period_are_summed_into_the_named_figures(dbsession, app, factory, forms, yte, author, half_2017):
    attp(factory, yte, author, dt.date(2017, 1, 1), 3, 120)  # the period's first day
    attp(factory, yte, author, dt.date(2017, 6, 30), 2, 85)  # and its last
    factory.log(
        yte,
        author,
        "yte.kiem-tra-attp-truong-hoc",
        log_date=dt.date(2017, 4, 2),
        values={"so_dot_kiem_tra": 4, "so_truong_duoc_kiem_tra": 11},
    )
    factory.log(yte, author, "yte.tuyen-truyen-attp", log_date=dt.date(2017, 3, 3))  # no figures

    got = services.suggestions(dbsession, app.registry, forms["yte.bao-cao"], yte, half_2017)

    assert got.from_logs[BUOI] == Decimal(5) and got.from_logs[LUOT] == Decimal(205)
    assert got.from_logs[DOT] == Decimal(4)
    assert got.from_logs[("yte_so_truong_kiem_tra_attp", "")] == Decimal(11)
    assert got.log_counts[BUOI] == 2 and got.log_counts[DOT] == 1
    # the first half-year has no previous one: the logs are the only source, and kept apart
    assert got == {} and got.period is None


def test_logs_outside_the_period_or_of_another_unit_are_not_counted(
    dbsession, app, factory, forms, yte, author, half_2017
):
    attp(factory, yte, author, dt.date(2017, 5, 20), 2, 40)
    attp(factory, yte, author, dt.date(2016, 12, 31), 50, 5000)  # the day before the period
    attp(factory, yte, author, dt.date(2017, 7, 1), 60, 6000)  # the day after it
    other = factory.space(kind="yte", category="agency", title="Phòng Y tế thử")
    attp(factory, other, author, dt.date(2017, 5, 20), 70, 7000)

    got = services.suggestions(dbsession, app.registry, forms["yte.bao-cao"], yte, half_2017)
    assert got.from_logs == {BUOI: Decimal(2), LUOT: Decimal(40)}
    assert got.log_counts == {BUOI: 1, LUOT: 1}

    theirs = services.suggestions(dbsession, app.registry, forms["yte.bao-cao"], other, half_2017)
    assert theirs.from_logs == {BUOI: Decimal(70), LUOT: Decimal(7000)}


def test_only_measures_that_name_a_figure_are_offered(dbsession, app, factory, forms, half_2017):
    ldtbxh = get_space(dbsession, "ldtbxh")
    author = get_user(dbsession, "yte")
    # "so_hoat_dong" of the Action Month names its figure; the same key in the partnership
    # duty names none, and is not added to it
    factory.log(
        ldtbxh,
        author,
        "ldtbxh.thang-hanh-dong",
        log_date=dt.date(2017, 6, 1),
        values={"so_hoat_dong": 6, "so_luot_tre_em_tham_gia": 900},
    )
    factory.log(ldtbxh, author, "ldtbxh.phoi-hop-hoat-dong", log_date=dt.date(2017, 6, 2), values={"so_hoat_dong": 40})
    factory.log(
        ldtbxh,
        author,
        "ldtbxh.van-dong-dong-gop",
        log_date=dt.date(2017, 6, 3),
        values={"so_tien_van_dong": 15_000_000},
    )

    got = services.suggestions(dbsession, app.registry, forms["ldtbxh.bao-cao"], ldtbxh, half_2017)
    assert got.from_logs == {
        ("ldtbxh_so_hoat_dong_thang_hanh_dong", ""): Decimal(6),
        ("kinh_phi_van_dong", ""): Decimal(15_000_000),
    }


def test_a_measure_adds_to_one_option_of_a_broken_down_figure(dbsession, app, factory, forms, half_2017):
    space = get_space(dbsession, "taichinh-kehoach")
    author = get_user(dbsession, "yte")
    for day, amount in ((dt.date(2017, 2, 1), 120_000_000), (dt.date(2017, 5, 1), 30_000_000)):
        factory.log(space, author, "taichinh.kinh-phi-hang-nam", log_date=day, values={"so_kinh_phi_bo_tri": amount})

    got = services.suggestions(dbsession, app.registry, forms["taichinh.bao-cao"], space, half_2017)
    assert got.from_logs == {("taichinh_kinh_phi_bo_tri", "ngan_sach_huyen"): Decimal(150_000_000)}


def test_both_sources_in_at_most_four_statements(dbsession, app, factory, forms, yte, author, half_2018):
    for month in range(1, 7):
        attp(factory, yte, author, dt.date(2018, month, 10), 1, 30)
    factory.log(
        yte, author, "yte.kiem-tra-attp-truong-hoc", log_date=dt.date(2018, 3, 1), values={"so_dot_kiem_tra": 2}
    )
    with count_statements(app.registry["dbengine"]) as statements:
        got = services.suggestions(dbsession, app.registry, forms["yte.bao-cao"], yte, half_2018)
    assert len(statements) <= 4
    assert got.period.code == "2017-6t" and len(got) > 3  # last half-year's report
    assert got.from_logs == {BUOI: Decimal(6), LUOT: Decimal(180), DOT: Decimal(2)}  # this one's logs
    assert got.log_counts[BUOI] == 6


def test_the_report_page_prefills_empty_fields_with_the_log_sums(
    app, dbsession, factory, forms, yte, author, half_2018, as_user
):
    attp(factory, yte, author, dt.date(2018, 2, 10), 3, 150)
    attp(factory, yte, author, dt.date(2018, 4, 10), 4, 210)
    last = services.suggestions(dbsession, app.registry, forms["yte.bao-cao"], yte, half_2018)
    assert last.period.code == "2017-6t" and last[BUOI] != 7 and last[LUOT] != 360
    browser = as_user("yte")
    page = browser.get("/spaces/yte/reports/yte.bao-cao/2018-6t?prefill=1")
    form = next(f for f in page.forms.values() if "v.yte_so_buoi_tuyen_truyen_attp" in f.fields)
    # this half-year's logs, not last half-year's report
    assert form["v.yte_so_buoi_tuyen_truyen_attp"].value == "7"
    assert form["v.yte_so_luot_nguoi_tuyen_truyen_attp"].value == "360"
