"""Numbers typed, sent in a query or in a path, on every page that reads one: one Vietnamese reading
(1.210 is 1210, 12,5 is 12.5), a message beside the field for everything else, what was typed kept,
nothing stored for a refused form, and never a server error for odd digits or huge numbers."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

import pytest
from markupsafe import escape
from pyramid.i18n import make_localizer
from sqlalchemy import func, select

import intranet
from intranet import numbers
from intranet.assessments import importer
from intranet.assessments import services as assessment_services
from intranet.assessments.models import CriteriaSet
from intranet.duties.models import DutyLog, DutyLogValue
from intranet.i18n import local_today
from intranet.plans import services as plan_services
from intranet.reports import services as report_services
from intranet.reports.models import Period
from tests.fixtures.browser import csrf_from
from tests.fixtures.factories import get_space

HUGE = "9" * 5000  # more digits than int() reads (4,300)
BIG = "9999999999999999999999999"  # beyond any database integer
_VI = make_localizer("vi", [str(Path(intranet.__file__).parent / "locale")])


def vi(message) -> str:
    """The text a Vietnamese page shows for ``message`` (a translation string), escaped as in HTML."""
    return str(escape(_VI.translate(message)))


def kept(res, raw: str) -> bool:
    return f'value="{escape(raw)}"' in res.text


MSG_WHOLE_OR_MORE = numbers._("Enter a whole number (0 or more).")
MSG_LARGE = numbers.MSG_TOO_LARGE
MSG_DIGITS = numbers.MSG_DIGITS
MSG_AMBIGUOUS = numbers.MSG_AMBIGUOUS
MSG_WHOLE = numbers.MSG_WHOLE

#: (typed, the message the field shows) for a field of whole numbers of 0 or more
BAD_COUNTS = [
    ("²", MSG_DIGITS),
    ("①", MSG_DIGITS),
    ("١٢", MSG_DIGITS),  # Arabic-Indic digits: int() reads them, the page must not
    ("1,5", MSG_WHOLE),  # was stored as 15
    ("1,210", MSG_WHOLE),  # 1,21 to a Vietnamese reader, 1210 to an English one
    ("1.21", MSG_AMBIGUOUS),  # was stored as 121
    ("12.5", MSG_AMBIGUOUS),
    (HUGE, MSG_LARGE),
    ("-1", MSG_WHOLE_OR_MORE),
]


# --- duty-log measures ---------------------------------------------------------------------------


def measure_duty(app):
    from intranet.host import get_registry

    return next(d for d in get_registry(app.registry).duties_for("xa") if d.measures)


def log_form(browser, duty):
    form = browser.get(f"/spaces/tan-canh/logs/new?duty={duty.key}").forms[1]
    form["log_date"], form["description"], form["progress"] = "20/05/2017", "Tuyên truyền tại thôn", "done"
    return form


@pytest.mark.parametrize("raw, message", BAD_COUNTS)
def test_duty_log_measure_refused_and_kept(as_user, app, dbsession, raw, message):
    duty = measure_duty(app)
    form = log_form(as_user("tancanh"), duty)
    form[f"m_{duty.measures[0].key}"] = raw
    res = form.submit(status=400)
    assert vi(message) in res.text and kept(res, raw)
    assert "Tuyên truyền tại thôn" in res.text
    assert dbsession.scalars(select(DutyLog)).all() == []


@pytest.mark.parametrize("raw, expected", [("1.210", 1210), ("1\u00a0210", 1210), ("12.345", 12345), ("7", 7)])
def test_duty_log_measure_in_vietnamese_is_stored_as_meant(as_user, app, dbsession, raw, expected):
    duty = measure_duty(app)
    form = log_form(as_user("tancanh"), duty)
    form[f"m_{duty.measures[0].key}"] = raw
    form.submit(status=302)
    assert dbsession.scalars(select(DutyLogValue.value)).all() == [expected]


# --- report values -------------------------------------------------------------------------------


REPORT = "/spaces/tan-canh/reports/xa.bao-cao/2017-6t"


def report_form(browser):
    return next(f for f in browser.get(REPORT).forms.values() if "version" in f.fields)


def report_values(dbsession):
    space = get_space(dbsession, "tan-canh")
    sub = report_services.load_submission(
        dbsession, "xa.bao-cao", space.id, report_services.period_by_code(dbsession, "2017-6t").id
    )
    return {} if sub is None else {(v.element_code, v.option): v.value_num for v in sub.values}


@pytest.mark.parametrize("raw, message", BAD_COUNTS)
def test_report_value_refused_and_kept(as_user, dbsession, raw, message):
    form = report_form(as_user("chutich.tancanh"))
    form["v.tre_em_hcdb.nam"] = raw
    form["v.tre_em_hcdb.nu"] = "14"
    res = form.submit(name="action", value="save", status=400)
    assert vi(message) in res.text and kept(res, raw) and kept(res, "14")
    # The draft is saved all the same, without the figure that could not be read.
    values = report_values(dbsession)
    assert ("tre_em_hcdb", "nam") not in values and values[("tre_em_hcdb", "nu")] == 14


def test_report_value_in_vietnamese_is_stored_as_meant(as_user, dbsession):
    form = report_form(as_user("chutich.tancanh"))
    form["v.tre_em_hcdb.nam"] = "1.210"
    form["v.tre_em_hcdb.nu"] = "1 005"
    form.submit(name="action", value="save", status=302)
    assert report_values(dbsession) == {("tre_em_hcdb", "nam"): 1210, ("tre_em_hcdb", "nu"): 1005}


@pytest.mark.parametrize(
    "raw, expected, message",
    [
        ("12,5", Decimal("12.5"), None),
        ("0,75", Decimal("0.75"), None),
        ("12.5", None, MSG_AMBIGUOUS),
        ("0,125", None, numbers._("At most ${n} digits after the comma.", mapping={"n": 2})),
        ("12,500", None, MSG_AMBIGUOUS),  # 12500 to an English reader
        ("²", None, MSG_DIGITS),
    ],
)
def test_report_percentage(raw, expected, message):
    from intranet.plugin import DataElement

    value, error = report_services.parse_value(DataElement("x", "x", "x", value_type="percentage"), raw)
    assert value == expected
    assert (error is None) == (message is None) and (message is None or error == message)


# --- the commune plan: budgets and targets -------------------------------------------------------


PLAN = "/spaces/tan-canh/plans/2017"


def plan_form(browser):
    page = browser.get("/spaces/tan-canh/plans")
    create = next(f for f in page.forms.values() if "year" in f.fields)
    create["year"] = "2017"
    create.submit(status=302)
    form = browser.get(PLAN).forms["plan-form"]
    form["a.1.title"], form["a.1.months"], form["a.1.duty"] = "Tập huấn cộng tác viên", "3-5", "xa.to-chuc-thuc-hien"
    form["a.1.budget"] = "1.500.000"
    return form


def the_plan(dbsession):
    return plan_services.load_plan(dbsession, get_space(dbsession, "tan-canh").id, 2017, None)


@pytest.mark.parametrize(
    "field, raw, message",
    [
        ("a.1.budget", "²", MSG_DIGITS),
        ("a.1.budget", "①.000", MSG_DIGITS),
        ("a.1.budget", HUGE, MSG_LARGE),
        ("a.1.budget", "1,5", MSG_WHOLE),
        ("a.1.budget", "1.50.000", MSG_AMBIGUOUS),
        ("t.tre_em_hcdb.target", "²", MSG_DIGITS),
        ("t.tre_em_hcdb.target", "1,5", MSG_WHOLE),
        ("t.tre_em_hcdb.target", "1.21", MSG_AMBIGUOUS),
        ("t.tre_em_hcdb.baseline", HUGE, MSG_LARGE),
        ("t.can_thiep_tre_em_nguy_co.target", "12.5", MSG_AMBIGUOUS),  # was stored as 12.5, 125 elsewhere
        ("t.can_thiep_tre_em_nguy_co.target", "①", MSG_DIGITS),
    ],
)
def test_plan_number_refused_and_kept(as_user, dbsession, field, raw, message):
    form = plan_form(as_user("tancanh"))
    form[field] = raw
    form["s.situation"] = "Đường vào thôn bị sạt lở"
    res = form.submit(name="action", value="save", status=400)
    assert vi(message) in res.text and kept(res, raw)
    assert "Đường vào thôn bị sạt lở" in res.text
    # The draft is saved all the same; the number that could not be read is not.
    plan = the_plan(dbsession)
    assert plan.version == 2 and {x.key: x.text for x in plan.sections}["situation"] == "Đường vào thôn bị sạt lở"
    if field.startswith("a.1."):
        assert [a.budget for a in plan.activities] == [0]
    else:
        key, part = field.split(".")[1:]
        assert [getattr(t, part) for t in plan.targets if t.indicator_key == key] == [None]


def test_plan_numbers_in_vietnamese_are_stored_as_meant(as_user, dbsession):
    form = plan_form(as_user("tancanh"))
    form["a.1.budget"] = "1.210"
    form["t.tre_em_hcdb.baseline"] = "1.210"
    form["t.tre_em_hcdb.target"] = "1 100"
    form["t.can_thiep_tre_em_nguy_co.target"] = "12,5"
    form.submit(name="action", value="save", status=302)
    plan = the_plan(dbsession)
    targets = {t.indicator_key: t for t in plan.targets}
    assert [a.budget for a in plan.activities] == [1210]
    assert (targets["tre_em_hcdb"].baseline, targets["tre_em_hcdb"].target) == (1210, 1100)
    assert targets["can_thiep_tre_em_nguy_co"].target == Decimal("12.5")


# --- assessment scores and figures ---------------------------------------------------------------


ASSESSMENT = "/spaces/tan-canh/assessments/2017"
DATA = Path(__file__).resolve().parent.parent / "data" / "criteria"


@pytest.fixture
def points_set(dbsession):
    cset = importer.parse_criteria((DATA / "test-points.yaml").read_bytes(), "test-points.yaml")
    assessment_services.store_set(dbsession, cset, source="test")
    row = dbsession.scalars(select(CriteriaSet).where(CriteriaSet.key == "test-points")).one()
    assessment_services.assign_year(dbsession, 2017, row.id, None)
    dbsession.flush()
    return {c.code: c.id for c in assessment_services.load_set(dbsession, row.id).criteria}


def assessment_form(browser):
    page = browser.get(ASSESSMENT)
    return next(f for f in page.forms.values() if "version" in f.fields and f.action.endswith(ASSESSMENT))


def stored_assessment(dbsession):
    return assessment_services.load_assessment(dbsession, get_space(dbsession, "tan-canh").id, 2017)


@pytest.mark.parametrize(
    "raw, message",
    [
        ("²", MSG_DIGITS),
        ("①", MSG_DIGITS),
        ("1.5", MSG_AMBIGUOUS),
        ("1,5", MSG_WHOLE),
        (HUGE, MSG_LARGE),
        ("-1", numbers._("Enter a whole number of points (0 or more).")),
    ],
)
def test_assessment_score_refused_and_kept(as_user, dbsession, points_set, raw, message):
    form = assessment_form(as_user("tancanh"))
    form[f"s.{points_set['A']}"] = raw
    form[f"e.{points_set['A']}"] = "Biên bản kiểm tra"
    res = form.submit(name="action", value="save", status=400)
    assert vi(message) in res.text and kept(res, raw) and "Biên bản kiểm tra" in res.text
    assert stored_assessment(dbsession) is None


@pytest.mark.parametrize("raw, message", [("12.5", MSG_AMBIGUOUS), ("²", MSG_DIGITS), (HUGE, MSG_LARGE)])
def test_assessment_figure_refused_and_kept(as_user, dbsession, points_set, raw, message):
    form = assessment_form(as_user("tancanh"))
    form[f"f.{points_set['A']}.0"] = raw
    res = form.submit(name="action", value="save", status=400)
    assert vi(message) in res.text and kept(res, raw)
    assert stored_assessment(dbsession) is None


def test_assessment_numbers_in_vietnamese_are_stored_as_meant(as_user, dbsession, points_set):
    browser = as_user("tancanh")
    form = assessment_form(browser)
    form[f"s.{points_set['A']}"] = "300"
    form[f"f.{points_set['A']}.0"] = "12,5"
    form.submit(name="action", value="save", status=302)
    score = next(s for s in stored_assessment(dbsession).scores if s.criterion_id == points_set["A"])
    assert score.self_score == 300 and score.figures == {"tre_em_tai_nan_thuong_tich": "12.5"}
    # the saved figure is shown the Vietnamese way, and saving the form again keeps it
    form = assessment_form(browser)
    assert form[f"f.{points_set['A']}.0"].value == "12,5"
    form.submit(name="action", value="save", status=302)
    dbsession.expire_all()
    score = next(s for s in stored_assessment(dbsession).scores if s.criterion_id == points_set["A"])
    assert score.figures == {"tre_em_tai_nan_thuong_tich": "12.5"}


@pytest.mark.parametrize("number", [HUGE, "'" + "9" * 30 + "'"])
def test_criteria_file_with_a_huge_number_is_refused(as_user, dbsession, number):
    import webtest

    text = (
        (DATA / "test-points.yaml").read_text(encoding="utf-8").replace("max_points: 400", f"max_points: {number}", 1)
    )
    page = as_user("dieuphoi").get("/district/criteria")
    form = next(f for f in page.forms.values() if f.action.endswith("/district/criteria/import"))
    form["file"] = webtest.Upload("lon.yaml", text.encode())
    res = form.submit(status=400)
    assert vi(MSG_LARGE) in res.text
    assert dbsession.scalars(select(CriteriaSet).where(CriteriaSet.key == "test-points")).one_or_none() is None


# --- registry counts (the LĐTBXH plugin) ---------------------------------------------------------


REGISTRY = "/p/ldtbxh/registry"


def club(dbsession):
    from intranet_ldtbxh.models import Unit

    return dbsession.scalars(select(Unit).where(Unit.code == "clb-bvte-tan-canh")).one()


def activity_count(dbsession, unit_id):
    from intranet_ldtbxh.models import UnitActivity

    return dbsession.scalar(select(func.count()).select_from(UnitActivity).where(UnitActivity.unit_id == unit_id))


def post_activity(browser, unit_id, status, **fields):
    body = {
        "csrf_token": csrf_from(browser.get(REGISTRY)),
        "activity_date": "12/05/2017",
        "participants": "20",
        "topics": "gia_dinh",
        "notes": "Họp nhóm nòng cốt",
        **fields,
    }
    return browser.post(f"{REGISTRY}/{unit_id}/activities/new?kind=meeting", body, status=status)


@pytest.mark.parametrize("raw, message", BAD_COUNTS)
def test_registry_count_refused_and_kept(as_user, dbsession, raw, message):
    unit = club(dbsession)
    before = activity_count(dbsession, unit.id)
    res = post_activity(as_user("tancanh"), unit.id, 400, participants=raw)
    assert vi(message) in res.text and kept(res, raw) and "Họp nhóm nòng cốt" in res.text
    assert activity_count(dbsession, unit.id) == before


def test_registry_count_in_vietnamese_is_stored_as_meant(as_user, dbsession):
    from intranet_ldtbxh.models import UnitActivity

    unit = club(dbsession)
    post_activity(as_user("tancanh"), unit.id, 302, participants="1.210", male="1.000", female="210")
    new = dbsession.scalars(
        select(UnitActivity).where(UnitActivity.unit_id == unit.id).order_by(UnitActivity.id.desc())
    ).first()
    assert (new.participants, new.participants_male, new.participants_female) == (1210, 1000, 210)


# --- pages, ids and years in URLs ----------------------------------------------------------------


@pytest.mark.parametrize(
    "login, url",
    [
        ("tancanh", "/spaces/tan-canh/logs"),
        ("tancanh", "/notices"),
        ("dieuphoi", "/district/duties"),
        ("dieuphoi", "/district/plans"),
        ("admin", "/admin/users"),
        ("admin", "/admin/audit"),
    ],
)
def test_a_page_beyond_the_database_range_gives_a_page(as_user, login, url):
    res = as_user(login).get(url, {"page": BIG})
    assert res.status_int == 200


def test_unit_page_with_a_huge_page_number(as_user, dbsession):
    assert as_user("tancanh").get(f"{REGISTRY}/{club(dbsession).id}", {"page": BIG}).status_int == 200


@pytest.mark.parametrize("log_id", ["99999999999999999999", HUGE, quote("١")])
def test_unknown_log_id_is_not_found_for_anyone(testapp, as_user, log_id):
    res = testapp.get(f"/spaces/tan-canh/logs/{log_id}/edit", status=302)  # a stranger signs in first
    assert "/login" in res.location
    as_user("tancanh").get(f"/spaces/tan-canh/logs/{log_id}/edit", status=404)


@pytest.mark.parametrize(
    "url",
    [
        "/admin/users/99999999999999999999",
        f"/admin/users/{HUGE}",
        "/admin/users/" + quote("١"),
    ],
)
def test_unknown_user_id_is_not_found(as_user, url):
    as_user("admin").get(url, status=404)


def test_unknown_evidence_and_unit_ids_are_not_found(as_user, factory, dbsession, points_set):
    from tests.fixtures.factories import get_user

    log = factory.log(get_space(dbsession, "tan-canh"), get_user(dbsession, "tancanh"), "xa.bao-cao-dinh-ky")
    browser = as_user("tancanh")
    for raw in ("99999999999999999999", HUGE, quote("١")):
        browser.get(f"/spaces/tan-canh/logs/{log.id}/evidence/{raw}", status=404)
        browser.get(f"{REGISTRY}/{raw}", status=404)
        browser.get(f"{ASSESSMENT}/evidence/{raw}", status=404)
        browser.get(f"/spaces/tan-canh/assessments/{raw}", status=404)
        browser.get(f"/spaces/tan-canh/plans/{raw}", status=404)


def test_unknown_token_and_api_report_ids_are_not_found(as_user):
    browser = as_user("dieuphoi")
    token = csrf_from(browser.get("/account/tokens"))
    for raw in ("99999999999999999999", HUGE):
        browser.post(f"/account/tokens/{raw}/revoke", {"csrf_token": token}, status=404)
        browser.get(f"/api/v1/reports/{raw}", status=404)


@pytest.mark.parametrize("page", [HUGE, BIG])
def test_api_page_out_of_range_is_a_400_naming_the_parameter(as_user, page):
    res = as_user("sotinh").get("/api/v1/reports", {"page": page}, status=400)
    assert res.json["error"] == "invalid_page" and res.json["parameter"] == "page"


@pytest.mark.parametrize("year", ["10000", "0", "-1", "²", BIG, HUGE, "1999"])
def test_district_plans_of_an_impossible_year(as_user, year):
    res = as_user("dieuphoi").get("/district/plans", {"year": year}, status=400)
    shown = year if len(year) <= 10 else year[:10] + "…"
    message = numbers._(
        "“${text}” is not a year from ${low} to ${high}; the plans of ${year} are shown.",
        mapping={"text": shown, "low": 2000, "high": 2100, "year": 2017},
    )
    assert vi(message) in res.text
    assert 'data-space="tan-canh"' in res.text  # the list of the year shown instead


@pytest.mark.parametrize("raw", ["²", "١٢٣٤", HUGE, "10000", "0"])
def test_reporting_periods_of_an_impossible_year(as_user, dbsession, raw):
    browser = as_user("dieuphoi")
    page = browser.get("/district/periods")
    form = next(f for f in page.forms.values() if "year" in f.fields)
    form["year"] = raw
    res = form.submit(status=400)
    assert vi(numbers._("Enter a year, e.g. 2018.")) in res.text and kept(res, raw)
    assert dbsession.scalar(select(func.count()).select_from(Period).where(Period.year > 2100)) == 0


@pytest.mark.parametrize("raw_set", ["²", HUGE, "١"])
def test_criteria_set_of_a_year_with_an_impossible_id(as_user, raw_set):
    browser = as_user("dieuphoi")
    token = csrf_from(browser.get("/district/criteria"))
    res = browser.post("/district/criteria/years", {"csrf_token": token, "year": "2018", "set_id": raw_set}, status=400)
    assert vi(numbers._("Choose one of the stored criteria sets.")) in res.text


@pytest.mark.parametrize(
    "field, raw, message",
    [
        ("from", "01/01/0001", "DATE_YEAR_ERROR"),
        ("to", "31/12/9999", "DATE_YEAR_ERROR"),
        ("from", "٠١/٠١/٢٠١٧", "DATE_FORMAT_ERROR"),
        ("to", "31/02/2017", "DATE_NOT_REAL"),
    ],
)
def test_audit_filter_with_an_impossible_date(as_user, field, raw, message):
    from intranet import i18n

    res = as_user("admin").get("/admin/audit", {field: raw}, status=400)
    assert vi(getattr(i18n, message)) in res.text
    assert kept(res, raw)


def test_audit_filter_with_real_dates_still_filters(as_user):
    res = as_user("admin").get("/admin/audit", {"from": "01/01/2017", "to": local_today().strftime("%d/%m/%Y")})
    assert res.status_int == 200


# --- versions and ids posted by forms ------------------------------------------------------------


@pytest.mark.parametrize("version", ["²", HUGE, "١"])
def test_junk_version_is_a_conflict_not_a_save(as_user, app, dbsession, version):
    duty = measure_duty(app)
    browser = as_user("tancanh")
    log_form(browser, duty).submit(status=302)
    log = dbsession.scalars(select(DutyLog)).one()
    form = browser.get(f"/spaces/tan-canh/logs/{log.id}/edit").forms[1]
    form["description"] = "Sửa lại nội dung"
    form["version"] = version
    res = form.submit(status=409)
    assert "Sửa lại nội dung" in res.text
    dbsession.refresh(log)
    assert log.description == "Tuyên truyền tại thôn"


def test_junk_version_on_report_plan_and_assessment(as_user, dbsession, points_set):
    head = as_user("chutich.tancanh")
    form = report_form(head)
    form["v.tre_em_hcdb.nam"], form["version"] = "3", "١"
    form.submit(name="action", value="save", status=409)
    assert report_values(dbsession) == {}
    form = plan_form(as_user("tancanh"))
    form["version"] = "١"
    form.submit(name="action", value="save", status=409)
    assert the_plan(dbsession).activities == []
    form = assessment_form(head)
    form[f"s.{points_set['A']}"] = "300"
    form["version"] = "٠"  # a blank assessment is version 0: an Arabic-Indic zero is not 0
    form.submit(name="action", value="save", status=409)
    assert stored_assessment(dbsession) is None


@pytest.mark.parametrize("raw", ["²", HUGE])
def test_junk_evidence_to_remove_is_ignored(as_user, app, dbsession, raw):
    duty = measure_duty(app)
    browser = as_user("tancanh")
    log_form(browser, duty).submit(status=302)
    log = dbsession.scalars(select(DutyLog)).one()
    page = browser.get(f"/spaces/tan-canh/logs/{log.id}/edit")
    form = page.forms[1]
    data = {
        name: field.value
        for name, field in ((n, fs[0]) for n, fs in form.fields.items() if n)
        if field.value is not None
    }
    data.update({"description": "Đã sửa", "remove_evidence": raw})
    browser.post(form.action, data, status=302)
    dbsession.refresh(log)
    assert log.description == "Đã sửa"
