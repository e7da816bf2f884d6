"""Defects users saw in forms: dates (one format everywhere; a day that does not exist is told
apart from a badly written date), the maximum of an assessment score, and participants whose men
and women do not add up to the total."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from markupsafe import escape
from pyramid.i18n import make_localizer
from sqlalchemy import func, select

from intranet.duties.models import DutyLog
from intranet.i18n import DATE_FORMAT_ERROR, DATE_NOT_REAL, DATE_YEAR_ERROR, _
from intranet.reports.exports import vietnamese
from tests.fixtures.browser import csrf_from

REGISTRY = "/p/ldtbxh/registry"
DUTY = "xa.bao-cao-dinh-ky"


def vi(message, **mapping) -> str:
    """What a Vietnamese page shows for ``message``, escaped as in HTML (the English text until the
    catalogue has the message)."""
    return str(escape(vietnamese().t(message, **mapping)))


def error_of(html: str, name: str) -> str:
    match = re.search(rf'<p class="error" id="err-{re.escape(name)}">(.*?)</p>', html, flags=re.S)
    assert match, f"no error beside {name}"
    return match.group(1)


def log_form(browser):
    return browser.get(f"/spaces/tan-canh/logs/new?duty={DUTY}").forms[1]


def unit_id(dbsession, code: str) -> int:
    from intranet_ldtbxh.models import Unit

    return dbsession.scalar(select(Unit.id).where(Unit.code == code))


def post_activity(browser, dbsession, status, **fields):
    club = unit_id(dbsession, "clb-bvte-tan-canh")
    body = {
        "csrf_token": csrf_from(browser.get(REGISTRY)),
        "activity_date": "12/05/2017",
        "participants": "10",
        "topics": "gia_dinh",
        **fields,
    }
    return browser.post(f"{REGISTRY}/{club}/activities/new?kind=meeting", body, status=status)


# --- 5. dates ------------------------------------------------------------------------------------------


def test_date_fields_show_one_format(as_user, dbsession):
    """Label, placeholder and the example of the error all say dd/mm/yyyy."""
    browser = as_user("tancanh")
    club = unit_id(dbsession, "clb-bvte-tan-canh")
    pages = {
        "log_date": browser.get(f"/spaces/tan-canh/logs/new?duty={DUTY}").text,
        "activity_date": browser.get(f"{REGISTRY}/{club}/activities/new?kind=meeting").text,
        "start_date": as_user("dieuphoi").get(f"{REGISTRY}/new").text,
        "due_date": as_user("dieuphoi").get("/district/periods").text,
        "from": as_user("dieuphoi").get("/admin/audit").text,
    }
    for name, html in pages.items():
        field = re.search(rf'<input id="{name}" [^>]*>', html).group(0)
        assert 'placeholder="dd/mm/yyyy"' in field, name
        assert re.search(rf'<label for="{name}">[^<]*\(dd/mm/yyyy', html), name
    assert "05/06/2017" in vi(DATE_FORMAT_ERROR) or "05/06/2017" in DATE_FORMAT_ERROR


def test_a_day_that_does_not_exist_is_not_called_badly_written(as_user, dbsession):
    browser = as_user("tancanh")
    before = dbsession.scalar(select(func.count()).select_from(DutyLog))
    for typed, message in (
        ("31/02/2017", DATE_NOT_REAL),
        ("29/02/2017", DATE_NOT_REAL),
        ("31/4/2017", DATE_NOT_REAL),
        ("5-6-2017", DATE_FORMAT_ERROR),
        ("05/06/17", DATE_FORMAT_ERROR),
        ("01/01/0001", DATE_YEAR_ERROR),
    ):
        form = log_form(browser)
        form["log_date"], form["description"], form["progress"] = typed, "Họp thôn", "done"
        res = form.submit(status=400)
        assert error_of(res.text, "log_date") == vi(message), typed
        assert f'value="{typed}"' in res.text  # kept
    assert dbsession.scalar(select(func.count()).select_from(DutyLog)) == before
    form = log_form(browser)
    form["log_date"], form["description"], form["progress"] = "29/02/2016", "Họp thôn", "done"
    form.submit(status=302)  # a leap day is a day


def test_the_nonexistent_day_in_vietnamese(as_user):
    """Vietnamese wording of new messages: passes once the catalogue has them."""
    browser = as_user("tancanh")
    form = log_form(browser)
    form["log_date"], form["description"], form["progress"] = "31/02/2017", "Họp thôn", "done"
    assert error_of(form.submit(status=400).text, "log_date").startswith("Ngày không có thật")
    form = log_form(browser)
    form["log_date"], form["description"], form["progress"] = "2017/06/05", "Họp thôn", "done"
    assert error_of(form.submit(status=400).text, "log_date") == (
        "Ngày phải được nhập theo định dạng dd/mm/yyyy, ví dụ: 05/06/2017."
    )


def test_registry_dates_tell_the_same(as_user, dbsession):
    res = post_activity(as_user("tancanh"), dbsession, 400, activity_date="30/02/2017")
    assert error_of(res.text, "activity_date") == vi(DATE_NOT_REAL)
    coordinator = as_user("dieuphoi")
    page = coordinator.get(f"{REGISTRY}/new")
    form = list(page.forms.values())[-1]
    form["name"], form["kind"], form["start_date"] = "Câu lạc bộ thử", "clb_bvte", "31/06/2017"
    form["space_id"] = form["space_id"].options[-1][0]
    res = form.submit(status=400)
    assert error_of(res.text, "start_date") == vi(DATE_NOT_REAL)


def test_period_dates_and_audit_filter_tell_the_same(as_user):
    coordinator = as_user("dieuphoi")
    page = coordinator.get("/district/periods")
    form = next(f for f in page.forms.values() if "due_date" in f.fields)
    form["due_date"], form["lock_date"] = "31/11/2017", "15/13/2017"
    res = form.submit(status=400)
    assert error_of(res.text, "due_date") == vi(DATE_NOT_REAL)
    assert error_of(res.text, "lock_date") == vi(DATE_NOT_REAL)
    res = as_user("admin").get("/admin/audit", {"from": "31/02/2017"}, status=400)
    assert vi(DATE_NOT_REAL) in res.text and 'value="31/02/2017"' in res.text
    res = as_user("admin").get("/admin/audit", {"from": "2017.02.01"}, status=400)
    assert vi(DATE_FORMAT_ERROR) in res.text


# --- 8. the maximum of an assessment score -----------------------------------------------------------------


@pytest.fixture
def points_set(dbsession):
    """The test set with 400 points at most per criterion, in force for 2017."""
    from tests.functional.test_assessments import criteria_ids, load_set, use_set_for

    load_set(dbsession, "test-points.yaml", "test-points")
    use_set_for(dbsession, "test-points")
    return criteria_ids(dbsession, "test-points")


def score_input(html: str, name: str) -> str:
    return re.search(rf'<input name="{re.escape(name)}" [^>]*>', html).group(0)


def test_score_field_carries_the_criterion_maximum(as_user, points_set):
    head = as_user("chutich.tancanh")
    url = "/spaces/tan-canh/assessments/2017"
    page = head.get(url)
    field = score_input(page.text, f"s.{points_set['A']}")
    assert 'max="400"' in field and 'min="0"' in field and 'type="number"' in field
    form = next(f for f in page.forms.values() if "version" in f.fields and f.action.endswith(url))
    form[f"s.{points_set['A']}"] = "401"
    res = form.submit(name="action", value="save", status=400)
    assert error_of(res.text, f"s.{points_set['A']}") == vi(
        _("At most ${n} points for this criterion.", mapping={"n": 400})
    )
    assert 'value="401"' in score_input(res.text, f"s.{points_set['A']}")  # kept
    form = next(f for f in res.forms.values() if "version" in f.fields and f.action.endswith(url))
    form[f"s.{points_set['A']}"] = "400"
    form.submit(name="action", value="save", status=302)


def test_verified_score_field_carries_the_maximum_too(as_user, dbsession, points_set):
    from tests.functional.test_assessments import edit_form, fill_points

    head = as_user("chutich.tancanh")
    form = edit_form(head)
    fill_points(form, points_set, {"A": 300, "B": 280, "C": 250})
    form.submit(name="action", value="submit", status=302)
    page = as_user("dieuphoi").get("/spaces/tan-canh/assessments/2017")
    assert 'max="400"' in score_input(page.text, f"vs.{points_set['B']}")


# --- 9. participants: men and women add up to the total ----------------------------------------------------


def test_men_and_women_must_add_up_to_the_total(as_user, dbsession):
    from intranet_ldtbxh.i18n import _ as plugin_
    from intranet_ldtbxh.models import UnitActivity

    browser = as_user("tancanh")
    count = select(func.count()).select_from(UnitActivity)
    before = dbsession.scalar(count)
    res = post_activity(browser, dbsession, 400, participants="10", male="4", female="5", notes="Sinh hoạt câu lạc bộ")
    # The registry's message lives in the plugin's own catalogue.
    plugin_locale = str(Path(__import__("intranet_ldtbxh").__file__).parent / "locale")
    expected = make_localizer("vi", [plugin_locale]).translate(
        plugin_(
            "Men and women (or boys and girls) add up to ${sum}, not to the total of ${total}.",
            mapping={"sum": 9, "total": 10},
        )
    )
    assert expected != "Men and women (or boys and girls) add up to 9, not to the total of 10.", "not translated"
    assert error_of(res.text, "female") == str(escape(expected))
    assert 'name="participants" value="10"' in res.text
    assert 'name="male" value="4"' in res.text and 'name="female" value="5"' in res.text
    assert "Sinh hoạt câu lạc bộ</textarea>" in res.text
    assert dbsession.scalar(count) == before
    post_activity(browser, dbsession, 302, participants="10", male="4", female="6")
    post_activity(browser, dbsession, 302, participants="10", male="4")  # one part only: no sum to check
    assert dbsession.scalar(count) == before + 2


def test_the_sum_message_in_vietnamese(as_user, dbsession):
    """Vietnamese wording of a new message: passes once the catalogue has it."""
    res = post_activity(as_user("tancanh"), dbsession, 400, participants="10", male="4", female="5")
    assert error_of(res.text, "female") == (
        "Số nam và số nữ (hoặc trẻ em trai và trẻ em gái) cộng lại là 9, không bằng tổng số 10."
    )
