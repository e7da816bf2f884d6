"""The plan's child indicators counted from the registers (issue 11, section 5): how each is
counted, exact inside the district, and outside it small counts hidden with secondary suppression
so that no total gives one away."""

from __future__ import annotations

import datetime as dt

import pytest

from intranet.cases.figures import HIDDEN, catalogue_from_data, commune_figures, default_indicators, suppress
from intranet.cases.keys import get_keyring
from intranet.cases.services import ChildFields, add_group, add_support, register_child
from intranet.clock import demo_day
from tests.fixtures.factories import get_space

URL = "/district/children/2017"


# --- suppression, as data ---------------------------------------------------------------------------


def test_counts_from_one_to_four_are_hidden_zero_and_five_are_not():
    shown = suppress({"a": 0, "b": 1, "c": 4, "d": 5, "e": 12})
    assert shown.cells == {"a": 0, "b": HIDDEN, "c": HIDDEN, "d": 5, "e": 12}
    assert shown.total == 22 and shown.secondary == set()


def test_one_hidden_count_takes_the_next_smallest_with_it():
    shown = suppress({"a": 3, "b": 9, "c": 7, "d": 0})
    # Alone, "a" would be 19 - 9 - 7: the smallest shown count (not a zero) is hidden too.
    assert shown.cells == {"a": HIDDEN, "b": 9, "c": HIDDEN, "d": 0}
    assert shown.total == 19 and shown.secondary == {"c"}


def test_with_no_other_count_to_hide_the_total_is_hidden():
    shown = suppress({"a": 3, "b": 0, "c": 0}, total=3)
    assert shown.total == HIDDEN
    shown = suppress({"a": 2, "b": 0}, total=7)
    assert shown.cells["a"] == HIDDEN and shown.total == HIDDEN


@pytest.mark.parametrize(
    "cells",
    [{"a": 1, "b": 30}, {"a": 4, "b": 5, "c": 6}, {"a": 2, "b": 2, "c": 40}, {"a": 0, "b": 0, "c": 3}, {"a": 6}],
)
def test_no_hidden_count_can_be_worked_out_from_the_total(cells):
    shown = suppress(cells)
    hidden = [k for k, v in shown.cells.items() if v == HIDDEN]
    if shown.total != HIDDEN:
        assert len(hidden) != 1
    for key in hidden:
        assert 0 < cells[key] or key in shown.secondary


def test_the_indicators_are_data_and_a_wrong_group_is_refused():
    current = default_indicators()[-1]
    keys = [i.key for i in current.indicators]
    assert keys[:3] == ["special_circumstances", "abused_disabled_hiv_supported", "at_risk_helped"]
    special = next(i for i in current.indicators if i.key == "special_circumstances")
    assert special.baseline == 1210 and "orphan" in special.groups and "risk_labour" not in special.groups
    with pytest.raises(ValueError):
        catalogue_from_data(
            {
                "versions": [
                    {
                        "valid_from": dt.date(2017, 1, 1),
                        "indicators": [
                            {
                                "key": "x",
                                "kind": "count",
                                "counting": "in_period",
                                "groups": ["no_such_group"],
                                "title": "x",
                                "title_en": "x",
                                "how": "x",
                                "how_en": "x",
                            }
                        ],
                    }
                ]
            }
        )


# --- counted from the registers --------------------------------------------------------------------


def _child(dbsession, keyring, slug, n, groups, supports=()):
    child = register_child(
        dbsession,
        keyring,
        get_space(dbsession, slug).id,
        ChildFields(full_name=f"Trẻ Thử {slug} {n}", date_of_birth=dt.date(2009, 1, 1 + n), sex="male"),
        None,
    )
    for code, start, until in groups:
        add_group(dbsession, child, code, start, until, None)
    for day in supports:
        add_support(dbsession, keyring, child, "Hỗ trợ", day, None, None)
    return child


@pytest.fixture
def registers(app, dbsession):
    """Tân Cảnh: 3 disabled children (2 supported in 2017), 1 injured in 2017, 1 in 2016, 6 in
    early labour; Kon Đào: 7 children in early labour, 1 orphan until 2016."""
    keyring = get_keyring(app.registry)
    y17, y16 = dt.date(2017, 3, 1), dt.date(2016, 3, 1)
    with demo_day(dt.date(2017, 12, 1)):
        for n in range(3):
            _child(dbsession, keyring, "tan-canh", n, [("disabled", y16, None)], [y17] if n < 2 else [y16])
        _child(dbsession, keyring, "tan-canh", 10, [("injured", y17, None)])
        _child(dbsession, keyring, "tan-canh", 11, [("injured", y16, None)])
        for n in range(6):
            _child(dbsession, keyring, "tan-canh", 20 + n, [("early_labour", y16, None)])
        for n in range(7):
            _child(dbsession, keyring, "kon-dao", n, [("early_labour", y17, None)])
        _child(dbsession, keyring, "kon-dao", 9, [("orphan", dt.date(2014, 1, 1), dt.date(2016, 12, 31))])
    dbsession.flush()
    return {slug: get_space(dbsession, slug).id for slug in ("tan-canh", "kon-dao")}


def test_each_indicator_counts_as_it_says(dbsession, registers):
    ids = list(registers.values())
    tc, kd = registers["tan-canh"], registers["kon-dao"]
    got = commune_figures(dbsession, ids, dt.date(2017, 1, 1), dt.date(2017, 12, 31))
    assert got["special_circumstances"][tc].count == 3  # the disabled; the orphan left in 2016
    assert kd not in got["special_circumstances"]
    supported = got["abused_disabled_hiv_supported"][tc]
    assert (supported.count, supported.of) == (2, 3)
    assert got["injured"][tc].count == 1  # entered in 2017 only
    assert got["early_labour"][tc].count == 6 and got["early_labour"][kd].count == 7


def _column(page, key):
    """{row title: cell text} of the indicator ``key``'s column of the table."""
    keys = [li["id"].removeprefix("ind-") for li in page.html.select("ol.indicator-notes li")]
    index = keys.index(key) + 1
    return {
        row.th.get_text(strip=True): row.select("td")[index - 1].get_text(strip=True)
        for row in page.html.select("table.figures tbody tr")
    }


def test_the_coordinator_reads_exact_counts_and_the_province_small_ones_hidden(as_user, registers):
    exact = as_user("dieuphoi").get(URL)
    assert exact.headers["Cache-Control"] == "no-store"
    injured = _column(exact, "injured")
    assert injured["UBND xã Tân Cảnh"] == "1" and injured["Toàn huyện"] == "1"
    assert _column(exact, "early_labour")["Toàn huyện"] == "13"
    province = as_user("sotinh").get(URL)
    # Tân Cảnh's one injury is hidden, and the district's total does not give it away.
    injured = _column(province, "injured")
    assert injured["UBND xã Tân Cảnh"] == HIDDEN and injured["Toàn huyện"] == HIDDEN
    assert "1" not in injured.values()
    # 6 and 7 children in early labour are shown as they are.
    labour = _column(province, "early_labour")
    assert (labour["UBND xã Tân Cảnh"], labour["UBND xã Kon Đào"], labour["Toàn huyện"]) == ("6", "7", "13")
    # 2 of 3 disabled children supported: both parts hidden, so no share either.
    supported = _column(province, "abused_disabled_hiv_supported")["UBND xã Tân Cảnh"]
    assert supported == f"{HIDDEN}/{HIDDEN}"
    for login in ("tancanh", "congan", "giaoduc"):
        as_user(login).get(URL, status=403)


def test_the_commune_report_is_prefilled_from_the_register_saying_how(app, as_user, dbsession):
    keyring = get_keyring(app.registry)
    with demo_day(dt.date(2017, 5, 20)):  # the register kept before the half-year ends
        _child(dbsession, keyring, "tan-canh", 1, [("disabled", dt.date(2016, 1, 1), None)], [dt.date(2017, 4, 2)])
        _child(dbsession, keyring, "tan-canh", 2, [("hiv", dt.date(2016, 1, 1), None)])
        _child(dbsession, keyring, "kon-dao", 3, [("disabled", dt.date(2016, 1, 1), None)], [dt.date(2017, 4, 2)])
    dbsession.flush()
    url = "/spaces/tan-canh/reports/xa.bao-cao/2017-6t"
    head = as_user("chutich.tancanh")
    page = head.get(url)
    cell = page.html.select_one('input[name="v.tre_em_khuyet_tat_xam_hai_hiv.nam"]').find_parent(class_="cell")
    assert "sổ theo dõi: 2" in " ".join(cell.stripped_strings)  # Kon Đào's child is not Tân Cảnh's
    assert "Trong số trẻ em thuộc các nhóm này trong kỳ" in page.text  # how it is counted
    filled = head.get(url + "?prefill=1").html
    assert filled.select_one('input[name="v.tre_em_khuyet_tat_xam_hai_hiv.nam"]')["value"] == "2"
    assert filled.select_one('input[name="v.tre_em_khuyet_tat_xam_hai_hiv_duoc_ho_tro.nam"]')["value"] == "1"
    assert filled.select_one('input[name="v.tre_em_khuyet_tat_xam_hai_hiv.nu"]')["value"] == "0"
