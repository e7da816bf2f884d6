"""Child-friendly commune assessment: criteria sets (shipped, imported, malformed), the set in force
for a year, scoring with each threshold class, figures pre-filled from reports, the commune's
self-assessment, the district's verification and decision, and the indicator."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
import webtest
from sqlalchemy import func, select

from intranet.assessments import importer, services
from intranet.assessments.models import AssessmentEvidence, AssessmentScore, CriteriaSet, CriterionRow
from intranet.audit.models import AuditEntry
from intranet.reports.models import Submission, SubmissionValue
from intranet.reports.services import compute_indicators, period_by_code
from tests.fixtures.database import count_statements
from tests.fixtures.factories import get_space, get_user

DATA = Path(__file__).resolve().parent.parent / "data" / "criteria"
URL = "/spaces/tan-canh/assessments/2017"


# --- helpers -------------------------------------------------------------------------------------


@pytest.fixture
def as_user(as_user):
    """Pages in English: the assertions read the English wording of the messages."""

    def factory(login):
        browser = as_user(login)
        browser.set_cookie("_LOCALE_", "en")
        return browser

    return factory


def import_file(browser, name, data=None, status=302):
    page = browser.get("/district/criteria")
    form = next(f for f in page.forms.values() if f.action.endswith("/district/criteria/import"))
    form["file"] = webtest.Upload(name, data if data is not None else (DATA / name).read_bytes())
    return form.submit(status=status)


def stored(dbsession, key, version=1):
    return dbsession.scalars(
        select(CriteriaSet).where(CriteriaSet.key == key, CriteriaSet.version == version)
    ).one_or_none()


def criteria_ids(dbsession, key, version=1) -> dict[str, int]:
    row = stored(dbsession, key, version)
    return dict(
        dbsession.execute(
            select(CriterionRow.code, CriterionRow.id).where(CriterionRow.criteria_set_id == row.id)
        ).all()
    )


def titles(dbsession, key, version=1) -> list[str]:
    return [c.title for c in services.load_set(dbsession, stored(dbsession, key, version).id).criteria]


def use_set_for(dbsession, key, year=2017, version=1):
    services.assign_year(dbsession, year, stored(dbsession, key, version).id, None)
    dbsession.flush()


def load_set(dbsession, name, key):
    cset = importer.parse_criteria((DATA / name).read_bytes(), name)
    services.store_set(dbsession, cset, source="test")
    return stored(dbsession, key)


def edit_form(browser, url=URL):
    page = browser.get(url)
    return next(f for f in page.forms.values() if "version" in f.fields and f.action.endswith(url))


def verify_form(browser, url=URL):
    page = browser.get(url)
    return next(f for f in page.forms.values() if f.action.endswith("/transition") and "commune_class" in f.fields)


def decision_form(browser, url=URL, with_comment=True):
    page = browser.get(url)
    return next(
        f
        for f in page.forms.values()
        if f.action.endswith("/transition")
        and ("comment" in f.fields) == with_comment
        and "commune_class" not in f.fields
    )


def assessment(dbsession, slug="tan-canh", year=2017):
    return services.load_assessment(dbsession, get_space(dbsession, slug).id, year)


def fill_points(form, ids, scores, met=True):
    for code, score in scores.items():
        form[f"s.{ids[code]}"] = str(score)
        form[f"m.{ids[code]}"] = "1" if met else "0"


# --- the shipped 2019 set and the set in force for a year ----------------------------------------


def submitted_points_assessment(as_user, dbsession, points: int):
    """Tân Cảnh's 2017 assessment on the test points set, submitted by its chairman with ``points``
    on each of A, B and C: (criterion ids by code, the chairman's browser, the coordinator's)."""
    load_set(dbsession, "test-points.yaml", "test-points")
    use_set_for(dbsession, "test-points")
    ids = criteria_ids(dbsession, "test-points")
    head, coordinator = as_user("chutich.tancanh"), as_user("dieuphoi")
    form = edit_form(head)
    fill_points(form, ids, dict.fromkeys("ABC", points))
    form.submit(name="action", value="submit", status=302)
    return ids, head, coordinator


def test_the_2019_set_is_stored_by_the_seed_with_its_thresholds(app, dbsession):
    row = stored(dbsession, "qd-06-2019")
    assert row is not None and row.source == "plugin:ldtbxh"
    assert row.legal_number == "06/QĐ-TTg" and row.legal_date == dt.date(2019, 1, 3) and row.valid_from == 2019
    d = services.definition_of(row)
    assert len(d.criteria) == 13 and d.scoring == "points"
    assert {c.key: c.threshold for c in d.classes} == {"urban": 900, "other": 850, "mountain_island_hard": 800}
    assert set(d.rules) == {"all_met", "none_zero", "total_threshold"}
    # the official points are not known here: left to whoever imports the set
    assert all(c.max_points is None for c in d.criteria)
    assert d.criterion("5").prefill == ("tre_em_tai_nan_thuong_tich",)
    # a second seed adds nothing
    assert services.seed_plugin_sets(dbsession, app.registry) == 0


def test_a_set_rewritten_in_place_is_shown_as_it_now_is(as_user, dbsession):
    """A set is parsed once per process, but a data migration may rewrite a stored set with its
    fingerprint (0007 did, for spelling): the page drawn afterwards shows the set as it now is."""
    load_set(dbsession, "test-points.yaml", "test-points")
    use_set_for(dbsession, "test-points")
    head = as_user("chutich.tancanh")
    assert "Xã miền núi (thử nghiệm) — 800 points" in head.get(URL).text
    row = stored(dbsession, "test-points")
    data = {**row.definition, "classes": [dict(c) for c in row.definition["classes"]]}
    data["classes"][2].update(title="Xã miền núi, hải đảo (thử nghiệm)", threshold=750)
    row.definition, row.fingerprint = data, services.fingerprint(data)
    dbsession.flush()
    page = head.get(URL).text
    assert "Xã miền núi, hải đảo (thử nghiệm) — 750 points" in page and "— 800 points" not in page


def test_the_set_in_force_follows_valid_from_unless_the_coordinator_assigns_one(dbsession):
    assert services.set_for_year(dbsession, 2017) is None
    assert services.set_for_year(dbsession, 2019).key == "qd-06-2019"
    assert services.set_for_year(dbsession, 2021).key == "qd-06-2019"
    toolkit = load_set(dbsession, "test-toolkit-2014.yaml", "test-toolkit-2014")
    assert services.set_for_year(dbsession, 2017).id == toolkit.id
    points = load_set(dbsession, "test-points.yaml", "test-points")
    assert services.set_for_year(dbsession, 2017).id == points.id  # valid_from 2016 > 2014
    use_set_for(dbsession, "test-toolkit-2014")
    assert services.set_for_year(dbsession, 2017).id == toolkit.id
    assert services.set_for_year(dbsession, 2019).key == "qd-06-2019"


def test_without_a_set_the_commune_page_says_so_and_the_coordinator_is_offered_the_import(as_user):
    page = as_user("chutich.tancanh").get(URL)
    assert "No criteria set is in force for 2017." in page.text
    assert "/district/criteria" not in page.text and not [f for f in page.forms.values() if "version" in f.fields]
    page = as_user("dieuphoi").get(URL)
    assert "/district/criteria" in page.text


# --- import --------------------------------------------------------------------------------------


def test_import_yaml_stores_a_new_set_and_refuses_a_changed_one_under_the_same_version(as_user, dbsession):
    coordinator = as_user("dieuphoi")
    res = import_file(coordinator, "test-toolkit-2014.yaml").follow()
    assert "Bộ tiêu chí thử nghiệm (15 tiêu chí)" in res.text and "has been imported" in res.text
    row = stored(dbsession, "test-toolkit-2014")
    assert row.source == "import:test-toolkit-2014.yaml" and row.imported_by == get_user(dbsession, "dieuphoi").id
    assert len(criteria_ids(dbsession, "test-toolkit-2014")) == 15
    assert dbsession.scalar(select(AuditEntry).where(AuditEntry.action == "criteria_set.import")) is not None
    # the same file again changes nothing
    res = import_file(coordinator, "test-toolkit-2014.yaml").follow()
    assert "is already stored" in res.text
    # a different content under the same key and version is refused
    changed = (DATA / "test-toolkit-2014.yaml").read_text().replace("Tiêu chí thử nghiệm 3", "Tiêu chí đã sửa")
    res = import_file(coordinator, "sua.yaml", changed.encode(), status=400)
    assert "new version number" in res.text
    assert titles(dbsession, "test-toolkit-2014")[2] == "Tiêu chí thử nghiệm 3"
    # …and a new version is a new row
    import_file(coordinator, "v2.yaml", changed.replace("version: 1", "version: 2").encode())
    assert titles(dbsession, "test-toolkit-2014", 2)[2] == "Tiêu chí đã sửa"


def test_a_malformed_yaml_is_refused_naming_file_line_and_field_and_nothing_is_stored(as_user, dbsession):
    before = dbsession.scalar(select(func.count()).select_from(CriteriaSet))
    res = import_file(as_user("dieuphoi"), "malformed.yaml", status=400)
    text = res.text
    assert "File malformed.yaml, line 2, field “key”" in text
    assert "field “title”" in text and "This field is required." in text
    assert "line 7, field “scoring”" in text
    assert "“majority”" in text
    assert "line 9, field “colour”" in text
    assert "field “criteria.max_points”" in text
    assert "The criterion code “1” is used twice" in text
    assert "“khong co ma nay”" in text
    assert "nothing has been stored" in text
    assert dbsession.scalar(select(func.count()).select_from(CriteriaSet)) == before


def test_a_yaml_syntax_error_names_the_line(as_user):
    res = import_file(as_user("dieuphoi"), "broken-syntax.yaml", status=400)
    assert "File broken-syntax.yaml, line" in res.text and "YAML" in res.text


def _xlsx(set_rows, criteria_rows, classes_rows=None, drop=()):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "set"
    for r in set_rows:
        ws.append(list(r))
    if "criteria" not in drop:
        wc = wb.create_sheet("criteria")
        for r in criteria_rows:
            wc.append(list(r))
    if classes_rows is not None:
        wk = wb.create_sheet("classes")
        for r in classes_rows:
            wk.append(list(r))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


SET_ROWS = [
    ("key", "test-xlsx"),
    ("version", 1),
    ("title", "Bộ tiêu chí thử nghiệm từ Excel"),
    ("legal_number", "TEST/XLSX"),
    ("legal_date", "03/01/2019"),
    ("valid_from", 2019),
    ("scoring", "points"),
    ("rules", "all_met, none_zero, total_threshold"),
]
CLASS_ROWS = [
    ("key", "title", "threshold"),
    ("urban", "Phường (thử nghiệm)", 900),
    ("mountain_island_hard", "Xã miền núi (thử nghiệm)", 800),
]


def test_import_xlsx(as_user, dbsession):
    data = _xlsx(
        SET_ROWS,
        [
            ("code", "title", "max_points", "prefill"),
            (1, "Tiêu chí Excel 1", 500, "tre_em_tai_nan_thuong_tich"),
            (2, "Tiêu chí Excel 2", 500, None),
        ],
        CLASS_ROWS,
    )
    import_file(as_user("dieuphoi"), "bo-tieu-chi.xlsx", data)
    d = services.definition_of(stored(dbsession, "test-xlsx"))
    assert [(c.code, c.max_points, c.prefill) for c in d.criteria] == [
        ("1", 500, ("tre_em_tai_nan_thuong_tich",)),
        ("2", 500, ()),
    ]
    assert d.legal_basis.date == dt.date(2019, 1, 3) and d.commune_class("urban").threshold == 900


def test_a_malformed_xlsx_names_sheet_row_and_field(as_user, dbsession):
    coordinator = as_user("dieuphoi")
    res = import_file(coordinator, "thieu.xlsx", _xlsx(SET_ROWS, [], CLASS_ROWS, drop=("criteria",)), status=400)
    assert "File thieu.xlsx, sheet “criteria”" in res.text and "The sheet is missing." in res.text
    bad_rows = [r if r[0] != "version" else ("version", "một") for r in SET_ROWS]
    data = _xlsx(bad_rows, [("code", "title", "max_points"), (1, "Tiêu chí", 100), (2, None, 100)], CLASS_ROWS)
    res = import_file(coordinator, "sai.xlsx", data, status=400)
    assert "File sai.xlsx, sheet “set”, row 2, field “version”" in res.text
    assert "File sai.xlsx, sheet “criteria”, row 3, field “criteria.title”" in res.text
    # thresholds that the criteria cannot reach
    assert "is more than the 200 points" in res.text
    assert stored(dbsession, "test-xlsx") is None


def test_prefill_codes_must_be_report_figures(as_user, dbsession):
    text = (DATA / "test-points.yaml").read_text().replace("[tre_em_tai_nan_thuong_tich]", "[tre_em_khong_co]")
    res = import_file(as_user("dieuphoi"), "points.yaml", text.encode(), status=400)
    assert "tre_em_khong_co" in res.text and stored(dbsession, "test-points") is None


def test_only_the_district_may_import(as_user):
    as_user("sotinh").get("/district/criteria", status=200)
    for login in ("sotinh", "chutich.tancanh"):
        browser = as_user(login)
        token = browser.get("/").text.split('name="csrf_token" value="')[1].split('"')[0]
        browser.post("/district/criteria/import", {"csrf_token": token}, status=403)
    as_user("chutich.tancanh").get("/district/criteria", status=403)


# --- scoring -------------------------------------------------------------------------------------


@pytest.mark.parametrize("commune_class, threshold", [("urban", 900), ("other", 850), ("mountain_island_hard", 800)])
def test_scoring_with_each_threshold_class(dbsession, commune_class, threshold):
    d = services.definition_of(stored(dbsession, "qd-06-2019"))
    codes = [c.code for c in d.criteria]

    def result(total, *, met=True, zero=False):
        # spread ``total`` over the 13 criteria
        base, extra = divmod(total, 13)
        scores = {code: (base + (1 if i < extra else 0), met) for i, code in enumerate(codes)}
        if zero:
            scores[codes[0]] = (0, met)
            scores[codes[1]] = (scores[codes[1]][0] + base + (1 if extra else 0), met)
        return services.compute_result(d, commune_class, scores)

    at = result(threshold)
    assert at["total"] == threshold and at["threshold"] == threshold and at["passed"]
    below = result(threshold - 1)
    assert below["rules"] == {"all_met": True, "none_zero": True, "total_threshold": False}
    assert not below["passed"]
    one_not_met = result(threshold + 50, met=False)
    assert not one_not_met["rules"]["all_met"] and not one_not_met["passed"]
    with_a_zero = result(threshold + 10, zero=True)
    assert with_a_zero["total"] == threshold + 10 and not with_a_zero["rules"]["none_zero"]
    assert not with_a_zero["passed"]


def test_pass_fail_set_needs_every_criterion_met(dbsession):
    d = services.definition_of(load_set(dbsession, "test-toolkit-2014.yaml", "test-toolkit-2014"))
    all_met = {c.code: (None, True) for c in d.criteria}
    assert services.compute_result(d, "", all_met)["passed"]
    assert services.compute_result(d, "", {**all_met, "7": (None, False)})["passed"] is False


# --- figures from the reports --------------------------------------------------------------------


def _accepted_report(dbsession, slug, code, injuries, accepted=dt.datetime(2017, 12, 20, 3, 0)):
    space = get_space(dbsession, slug)
    period = period_by_code(dbsession, code)
    sub = dbsession.scalars(
        select(Submission).where(Submission.space_id == space.id, Submission.period_id == period.id)
    ).one_or_none()
    if sub is None:
        sub = Submission(form_key="xa.bao-cao", form_version=2, space_id=space.id, period_id=period.id)
        dbsession.add(sub)
        dbsession.flush()
    sub.state, sub.accepted_at = "accepted", accepted
    dbsession.execute(
        SubmissionValue.__table__.delete().where(
            SubmissionValue.submission_id == sub.id,
            SubmissionValue.element_code.in_(["tre_em_tai_nan_thuong_tich", "tre_em_hcdb_duoc_ho_tro"]),
        )
    )
    dbsession.add_all(
        [
            SubmissionValue(
                submission_id=sub.id, element_code="tre_em_tai_nan_thuong_tich", option="nam", value_num=injuries
            ),
            SubmissionValue(submission_id=sub.id, element_code="tre_em_tai_nan_thuong_tich", option="nu", value_num=2),
            SubmissionValue(submission_id=sub.id, element_code="tre_em_hcdb_duoc_ho_tro", option="nu", value_num=17),
        ]
    )
    dbsession.flush()
    dbsession.expire_all()
    return sub


def test_figures_are_prefilled_from_the_accepted_report_with_the_source(as_user, dbsession, factory):
    load_set(dbsession, "test-toolkit-2014.yaml", "test-toolkit-2014")
    ids = criteria_ids(dbsession, "test-toolkit-2014")
    head = factory.user()
    factory.membership(head, get_space(dbsession, "ngoc-tu"), "head")
    _accepted_report(dbsession, "ngoc-tu", "2017-6t", 3, accepted=dt.datetime(2017, 6, 10, 3, 0))
    browser = as_user(head.login)
    url = "/spaces/ngoc-tu/assessments/2017"
    form = edit_form(browser, url)
    assert form[f"f.{ids['5']}.0"].value == "5"  # 3 boys + 2 girls injured
    assert form[f"f.{ids['5']}.1"].value == "17"  # girls in special circumstances supported
    page = browser.get(url)
    assert "First half of 2017" in page.text and "10/06/2017" in page.text
    # the year report, once accepted, is preferred over the half-year
    _accepted_report(dbsession, "ngoc-tu", "2017", 9)
    form = edit_form(browser, url)
    assert form[f"f.{ids['5']}.0"].value == "11"
    assert "Year 2017" in browser.get(url).text
    # the commune may correct a figure; what it saves is kept with the source
    form[f"f.{ids['5']}.0"] = "12"
    form.submit(name="action", value="save", status=302)
    a = assessment(dbsession, "ngoc-tu")
    score = next(s for s in a.scores if s.criterion_id == ids["5"])
    assert score.figures == {"tre_em_tai_nan_thuong_tich": "12", "tre_em_hcdb_duoc_ho_tro[nu]": "17"}
    assert a.prefill["source"]["period_code"] == "2017" and a.prefill["values"]["tre_em_tai_nan_thuong_tich"] == "11"


# --- the workflow --------------------------------------------------------------------------------


def test_self_assessment_verification_recognition_and_the_indicator(as_user, app, dbsession):
    load_set(dbsession, "test-points.yaml", "test-points")
    use_set_for(dbsession, "test-points")
    ids = criteria_ids(dbsession, "test-points")
    period_year = period_by_code(dbsession, "2017")

    def indicator():
        results = compute_indicators(dbsession, app.registry, period_year.plan_id, period_year.id)
        return next(r for r in results if r.indicator.key == "xa_phu_hop_voi_tre_em").actual

    assert indicator() is None  # no assessment for 2017 yet
    officer, head, coordinator = as_user("tancanh"), as_user("chutich.tancanh"), as_user("dieuphoi")
    get_space(dbsession, "tan-canh").officers_may_submit = False
    dbsession.flush()
    form = edit_form(officer)
    assert form["commune_class"].value == "mountain_island_hard"  # Kon Tum: a mountain province
    fill_points(form, ids, {"A": 300, "B": 280})
    form[f"e.{ids['A']}"] = "Biên bản kiểm tra ngày 12/11/2017"
    form[f"file.{ids['A']}"] = webtest.Upload("bien-ban.pdf", b"%PDF-1.4 bien ban", "application/pdf")
    form.submit(name="action", value="save", status=302)
    a = assessment(dbsession)
    assert a.state == "draft" and a.criteria_set_id == stored(dbsession, "test-points").id
    assert [e.filename for e in a.evidence] == ["bien-ban.pdf"]
    assert indicator() == 0
    # an officer may not submit here; an incomplete assessment cannot be submitted
    assert "Submit to the district" not in officer.get(URL).text
    res = edit_form(head).submit(name="action", value="submit", status=400)
    assert f'name="s.{ids["C"]}"' in res.text and "A score is required" in res.text
    form = edit_form(head)
    fill_points(form, ids, {"C": 250})
    form.submit(name="action", value="submit", status=302)
    a = assessment(dbsession)
    assert a.state == "submitted"
    # the commune can no longer change it; the district sees the provisional result
    assert not [f for f in head.get(URL).forms.values() if "version" in f.fields and f.action.endswith(URL)]
    page = as_user("dieuphoi").get("/district/assessments?year=2017")
    assert "830" in page.text and "800" in page.text  # total and the mountain threshold
    # a change without a reason is refused
    form = verify_form(coordinator)
    form[f"vs.{ids['B']}"] = "200"
    res = form.submit(name="action", value="verify", status=400)
    assert "Give the reason" in res.text
    assert assessment(dbsession).state == "submitted"
    # a reason over 4,000 characters is refused beside its field and shown again whole, never cut
    form = verify_form(coordinator)
    form[f"vs.{ids['B']}"] = "200"
    form[f"r.{ids['B']}"] = "Thiếu minh chứng. " + "x" * 4000
    res = form.submit(name="action", value="verify", status=400)
    assert "At most 4000 characters." in res.text  # this coordinator reads English
    assert ("Thiếu minh chứng. " + "x" * 4000) in res.text
    assert assessment(dbsession).state == "submitted"
    form = verify_form(coordinator)
    form[f"vs.{ids['B']}"] = "200"
    form[f"r.{ids['B']}"] = "Chưa có minh chứng về sân chơi."
    form.submit(name="action", value="verify", status=302)
    a = assessment(dbsession)
    assert a.state == "verified"
    assert a.result["total"] == 750 and a.result["threshold"] == 800 and not a.result["passed"]
    assert next(s for s in a.scores if s.criterion_id == ids["B"]).self_score == 280  # the commune's own kept
    # it cannot be recognised below the threshold: the button is not offered and the action refused
    assert 'value="recognise"' not in coordinator.get(URL).text
    form = decision_form(coordinator, with_comment=False)
    coordinator.post(
        URL + "/transition",
        {"csrf_token": form["csrf_token"].value, "action": "recognise", "version": form["version"].value},
        status=302,
    )
    assert assessment(dbsession).state == "verified"
    # verify again with the commune's scores: 830 ≥ 800
    form = verify_form(coordinator)
    form[f"vs.{ids['B']}"] = "280"
    form[f"r.{ids['B']}"] = ""
    form.submit(name="action", value="verify", status=302)
    assert assessment(dbsession).result["passed"]
    decision_form(coordinator, with_comment=False).submit(name="action", value="recognise", status=302)
    a = assessment(dbsession)
    assert a.state == "recognised" and a.decided_at is not None
    assert [e.action for e in a.events] == ["save", "submit", "verify", "verify", "recognise"]
    # recognised today, long after 2017: not by the end of the period
    assert indicator() == 0
    a.decided_at = dt.datetime(2017, 12, 20, 2, 0)
    dbsession.flush()
    assert indicator() == 1
    half = period_by_code(dbsession, "2017-6t")
    results = compute_indicators(dbsession, app.registry, half.plan_id, half.id)
    assert next(r for r in results if r.indicator.key == "xa_phu_hop_voi_tre_em").actual == 0
    page = as_user("sotinh").get("/district/indicators/2017")
    assert "Communes the district recognised" in page.text  # the rule in words
    # the overview counts it
    assert "Recognised" in as_user("sotinh").get("/district/assessments?year=2017").text
    actions = set(dbsession.scalars(select(AuditEntry.action).where(AuditEntry.object_type == "assessment")))
    assert {"assessment.save", "assessment.submit", "assessment.verify", "assessment.recognise"} <= actions


def test_return_and_not_recognise_need_a_comment(as_user, dbsession):
    ids, head, coordinator = submitted_points_assessment(as_user, dbsession, 100)
    decision_form(coordinator).submit(name="action", value="return", status=302)
    assert assessment(dbsession).state == "submitted"
    form = decision_form(coordinator)
    form["comment"] = "Bổ sung minh chứng tiêu chí A."
    form.submit(name="action", value="return", status=302)
    assert assessment(dbsession).state == "returned"
    assert "Bổ sung minh chứng tiêu chí A." in head.get(URL).text
    edit_form(head).submit(name="action", value="submit", status=302)
    verify_form(coordinator).submit(name="action", value="verify", status=302)
    form = decision_form(coordinator)
    form["comment"] = "Tổng điểm chưa đạt."
    form.submit(name="action", value="not_recognise", status=302)
    a = assessment(dbsession)
    assert a.state == "not_recognised" and a.result["total"] == 300


def test_a_comment_over_the_limit_refuses_the_step_and_one_at_the_limit_is_kept_whole(as_user, dbsession):
    ids, head, coordinator = submitted_points_assessment(as_user, dbsession, 100)
    events = len(assessment(dbsession).events)
    page = coordinator.get(URL)
    assert page.html.select_one("textarea#comment")["maxlength"] == "4000"  # a browser sends no more

    form = decision_form(coordinator)
    form["comment"] = "Bổ sung minh chứng. " + "x" * (4001 - len("Bổ sung minh chứng. "))
    res = form.submit(name="action", value="return", status=302)
    shown = res.follow().html.select_one(".flash-error")
    assert shown is not None and "4,000" in shown.text and "4,001" in shown.text
    a = assessment(dbsession)
    assert a.state == "submitted" and len(a.events) == events  # nothing moved, nothing stored
    assert dbsession.scalars(select(AuditEntry).where(AuditEntry.action == "assessment.return")).first() is None

    whole = ("Bổ sung minh chứng tiêu chí A. " * 200)[: 4000 - 1] + "Z"
    form = decision_form(coordinator)
    form["comment"] = whole
    form.submit(name="action", value="return", status=302)
    a = assessment(dbsession)
    assert a.state == "returned" and a.events[-1].action == "return" and a.events[-1].comment == whole
    assert len(whole) == 4000

    # Not recognising and reopening are refused the same way.
    edit_form(head).submit(name="action", value="submit", status=302)
    verify_form(coordinator).submit(name="action", value="verify", status=302)
    form = decision_form(coordinator)
    form["comment"] = "y" * 4001
    res = form.submit(name="action", value="not_recognise", status=302)
    assert "4,001" in res.follow().html.select_one(".flash-error").text
    assert assessment(dbsession).state == "verified"
    form = decision_form(coordinator)
    form["comment"] = "Tổng điểm chưa đạt."
    form.submit(name="action", value="not_recognise", status=302)
    assert assessment(dbsession).state == "not_recognised"
    page = coordinator.get(URL)
    assert page.html.select_one("textarea#reopen-comment")["maxlength"] == "4000"
    form = decision_form(coordinator)
    form["comment"] = "z" * 4001
    res = form.submit(name="action", value="reopen", status=302)
    assert "4,001" in res.follow().html.select_one(".flash-error").text
    assert assessment(dbsession).state == "not_recognised"


def test_an_old_assessment_keeps_its_set_and_result_when_a_new_version_arrives(as_user, dbsession):
    ids, head, coordinator = submitted_points_assessment(as_user, dbsession, 270)
    verify_form(coordinator).submit(name="action", value="verify", status=302)
    before = assessment(dbsession)
    snapshot = dict(before.result)
    assert snapshot["total"] == 810 and snapshot["passed"]
    # version 2 raises the mountain threshold to 850 and is assigned to 2017
    v2 = (
        (DATA / "test-points.yaml")
        .read_text()
        .replace("version: 1", "version: 2")
        .replace("threshold: 800", "threshold: 850")
    )
    import_file(coordinator, "test-points-v2.yaml", v2.encode())
    use_set_for(dbsession, "test-points", version=2)
    a = assessment(dbsession)
    assert a.criteria_set_id == stored(dbsession, "test-points", 1).id
    assert a.result == snapshot
    page = coordinator.get(URL)
    assert "version 1" in page.text and "810" in page.text
    decision_form(coordinator, with_comment=False).submit(name="action", value="recognise", status=302)
    assert assessment(dbsession).state == "recognised"
    # a commune starting now uses version 2
    other = as_user("dieuphoi")
    head2 = get_user(dbsession, "chutich.tancanh")
    from intranet.spaces.models import Membership

    dbsession.add(Membership(user_id=head2.id, space_id=get_space(dbsession, "kon-dao").id, role="head"))
    dbsession.flush()
    ids2 = criteria_ids(dbsession, "test-points", 2)
    form = edit_form(head, "/spaces/kon-dao/assessments/2017")
    fill_points(form, ids2, {"A": 270})
    form.submit(name="action", value="save", status=302)
    assert assessment(dbsession, "kon-dao").criteria_set_id == stored(dbsession, "test-points", 2).id
    assert other.get("/district/assessments?year=2017").status_int == 200


def test_stale_save_shows_both_versions(as_user, dbsession):
    load_set(dbsession, "test-points.yaml", "test-points")
    use_set_for(dbsession, "test-points")
    ids = criteria_ids(dbsession, "test-points")
    first, second = as_user("tancanh"), as_user("chutich.tancanh")
    fill_points(edit_form(second), ids, {"A": 10})
    form = edit_form(second)
    fill_points(form, ids, {"A": 10})
    form.submit(name="action", value="save", status=302)
    mine, theirs = edit_form(first), edit_form(second)
    theirs[f"s.{ids['A']}"] = "341"
    theirs.submit(name="action", value="save", status=302)
    mine[f"s.{ids['A']}"] = "339"
    res = mine.submit(name="action", value="save", status=409)
    assert 'value="339"' in res.text and "341" in res.text
    assert next(s for s in assessment(dbsession).scores if s.criterion_id == ids["A"]).self_score == 341


def test_evidence_files_are_served_to_readers_only(as_user, dbsession):
    load_set(dbsession, "test-points.yaml", "test-points")
    use_set_for(dbsession, "test-points")
    ids = criteria_ids(dbsession, "test-points")
    head = as_user("chutich.tancanh")
    form = edit_form(head)
    form[f"file.{ids['B']}"] = webtest.Upload("anh.png", b"\x89PNG\r\n\x1a\n....", "image/png")
    form.submit(name="action", value="save", status=302)
    ev = dbsession.scalars(select(AssessmentEvidence)).one()
    url = f"{URL}/evidence/{ev.id}"
    res = as_user("sotinh").get(url)
    assert res.body.startswith(b"\x89PNG") and "anh.png" in res.headers["Content-Disposition"]
    as_user("congan").get(url, status=403)
    as_user("chutich.tancanh").get(f"{URL}/evidence/999999", status=404)
    # a file that is not an accepted kind is refused beside its criterion
    form = edit_form(head)
    form[f"file.{ids['C']}"] = webtest.Upload("virus.exe", b"MZ....", "application/octet-stream")
    res = form.submit(name="action", value="save", status=400)
    assert "virus.exe" in res.text


# --- permissions ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "login, url, status",
    [
        ("sotinh", URL, 200),
        ("admin", URL, 200),
        ("dieuphoi", URL, 200),
        ("tancanh", URL, 200),
        ("congan", URL, 403),
        ("chutich.tancanh", "/spaces/kon-dao/assessments/2017", 403),
        ("chutich.tancanh", "/district/assessments", 403),
        ("congan", "/district/assessments", 403),
        ("sotinh", "/district/assessments", 200),
        ("dieuphoi", "/spaces/congan/assessments/2017", 404),
        ("dieuphoi", "/spaces/tan-canh/assessments/17", 404),
        ("chutich.tancanh", "/spaces/tan-canh/assessments", 200),
    ],
)
def test_who_may_read(as_user, login, url, status):
    as_user(login).get(url, status=status)


def test_province_reads_but_cannot_write(as_user, dbsession):
    load_set(dbsession, "test-points.yaml", "test-points")
    use_set_for(dbsession, "test-points")
    page = as_user("sotinh").get(URL)
    assert not [f for f in page.forms.values() if "version" in f.fields]
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    as_user("sotinh").post(URL, {"csrf_token": token, "version": "0", "action": "save"}, status=403)


# --- the overview does not grow a query per commune ----------------------------------------------


def test_overview_statement_count_does_not_grow_with_communes(app, as_user, dbsession, factory):
    load_set(dbsession, "test-points.yaml", "test-points")
    set_row = stored(dbsession, "test-points")
    ids = criteria_ids(dbsession, "test-points")
    browser = as_user("dieuphoi")
    engine = app.registry["dbengine"]

    def add(slugs):
        for slug in slugs:
            space = get_space(dbsession, slug) if isinstance(slug, str) else slug
            a = services.create_assessment(dbsession, space.id, 2017, set_row, "other")
            a.criteria_set = set_row
            for cid in ids.values():
                a.scores.append(
                    AssessmentScore(
                        criterion_id=cid, self_score=290, met=True, evidence_text="", figures={}, adjustment_reason=""
                    )
                )
        dbsession.flush()

    def count():
        # As a worker that has served the page before: a set's definition is read and parsed
        # once per process (intranet.assessments.services.definition_of), not once per page.
        browser.get("/district/assessments?year=2017", status=200)
        with count_statements(engine) as statements:
            browser.get("/district/assessments?year=2017", status=200)
        return len(statements)

    add(["tan-canh", "kon-dao"])
    small = count()
    add(["dak-tram", "ngoc-tu", "po-ko"] + [factory.space() for _ in range(20)])
    large = count()
    assert large == small, (small, large)
    page = browser.get("/district/assessments?year=2017")
    assert page.text.count("870") >= 25 and len(page.body) < 60 * 1024


def test_the_overview_shows_thirty_communes_a_page_and_counts_the_whole_year(as_user, dbsession, factory):
    load_set(dbsession, "test-points.yaml", "test-points")
    set_row = stored(dbsession, "test-points")
    extra = [factory.space() for _ in range(31)]  # 9 demo communes + 31 = 40
    for space in (get_space(dbsession, "tan-canh"), extra[-1]):
        a = services.create_assessment(dbsession, space.id, 2017, set_row, "other")
        a.state = "recognised"
        a.result = {"total": 900, "threshold": 800, "passed": True}
    dbsession.flush()
    browser = as_user("dieuphoi")

    def rows(page):
        return page.html.select("table.grid tbody tr")

    def shown(page):
        return [row.select_one("td a").get_text() for row in rows(page)]

    first = browser.get("/district/assessments?year=2017", status=200)
    assert len(rows(first)) == 30
    assert "Recognised: <strong>2</strong> / 40" in first.text  # the year's, not the page's
    assert "Page 1 of 2" in first.text
    tan_canh = get_space(dbsession, "tan-canh").title_en  # this coordinator reads English
    assert tan_canh in shown(first) and extra[-1].title_en not in shown(first)
    second = browser.get(first.html.select_one("a[rel=next]")["href"], status=200)
    assert "year=2017" in second.request.url
    assert len(rows(second)) == 10
    assert extra[-1].title_en in shown(second) and tan_canh not in shown(second)
    assert "Recognised: <strong>2</strong> / 40" in second.text
    # a page past the last: no row, the year's counts all the same
    past = browser.get("/district/assessments?year=2017&page=7", status=200)
    assert [r.get_text(strip=True) for r in rows(past)] == ["No commune."]
    assert "Recognised: <strong>2</strong> / 40" in past.text


def test_a_refused_save_says_the_chosen_files_must_be_chosen_again(as_user, dbsession):
    load_set(dbsession, "test-points.yaml", "test-points")
    use_set_for(dbsession, "test-points")
    ids = criteria_ids(dbsession, "test-points")
    form = edit_form(as_user("chutich.tancanh"))
    form[f"file.{ids['B']}"] = webtest.Upload("anh.png", b"\x89PNG\r\n\x1a\n....", "image/png")
    form[f"s.{ids['A']}"] = "nhiều"  # not a number: the save is refused
    res = form.submit(name="action", value="save", status=400)
    assert "choose them again" in res.text
    assert not dbsession.scalars(select(AssessmentEvidence)).all()
    # A refusal without any file chosen does not ask for files.
    form = edit_form(as_user("chutich.tancanh"))
    form[f"s.{ids['A']}"] = "nhiều"
    assert "choose them again" not in form.submit(name="action", value="save", status=400).text
