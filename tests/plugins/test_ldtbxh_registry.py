"""The LĐTBXH plugin's registry of models, clubs and counselling points (/p/ldtbxh/registry).

The plan's 13 units are seeded always; the demo adds their 2017 activities (three of the four
counselling points active in the first half-year, all four in the year). Commune officers log
activities for their own commune's units only; everybody signed in reads the registry; the
coordinator and the administrator add and change units. The indicator "communes with an effective
child-protection service system" counts communes whose active counselling point logged an
activity in the period.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
import webtest
from intranet_ldtbxh import seed_registry, services
from intranet_ldtbxh.indicators import INDICATORS
from intranet_ldtbxh.models import Unit, UnitActivity
from sqlalchemy import func, select

from intranet.audit.models import AuditEntry
from intranet.reports import services as report_services
from intranet.spaces.models import Space
from tests.fixtures.browser import csrf_from
from tests.fixtures.database import count_statements
from tests.fixtures.factories import get_space, get_user

REGISTRY = "/p/ldtbxh/registry"


def unit(dbsession, code) -> Unit:
    return dbsession.scalars(select(Unit).where(Unit.code == code)).one()


def activities(dbsession, unit_id) -> list[UnitActivity]:
    return list(
        dbsession.scalars(select(UnitActivity).where(UnitActivity.unit_id == unit_id).order_by(UnitActivity.id))
    )


def audit(dbsession, action) -> list[AuditEntry]:
    return list(dbsession.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


def log_form(browser, unit_id, kind, status=200):
    page = browser.get(f"{REGISTRY}/{unit_id}/activities/new?kind={kind}", status=status)
    return page, last_form(page) if status == 200 else None


def last_form(page):
    """The page's own form (the layout's log-out form comes first)."""
    return list(page.forms.values())[-1]


def post_log(browser, unit_id, kind="meeting", status=302, **fields):
    token = csrf_from(browser.get(REGISTRY))
    body = {"csrf_token": token, "activity_date": "12/05/2017", "participants": "20", "topics": "gia_dinh", **fields}
    return browser.post(f"{REGISTRY}/{unit_id}/activities/new?kind={kind}", body, status=status)


def add_activity(dbsession, unit_id, day, kind="counselling"):
    activity = UnitActivity(
        unit_id=unit_id,
        activity_date=day,
        kind=kind,
        participants=2,
        sessions=1 if kind == "counselling" else None,
        topics=["tam_ly"],
        notes="",
    )
    dbsession.add(activity)
    dbsession.flush()
    return activity


# --- the seed ------------------------------------------------------------------------------------


def test_the_plans_thirteen_units_are_seeded_once(dbsession):
    units = list(dbsession.scalars(select(Unit).where(Unit.code.is_not(None))))
    by_kind = {}
    for u in units:
        by_kind.setdefault(u.kind, set()).add(dbsession.get(Space, u.space_id).slug)
    assert by_kind == {
        "mang_luoi": {"tan-canh", "tt-dak-to"},
        "mo_hinh_phong_ngua": {"dak-tram", "ngoc-tu"},
        "clb_ong_ba_chau": {"tan-canh", "kon-dao"},
        "clb_bvte": {"tan-canh", "tt-dak-to"},
        "clb_quyen_tham_gia": {"tt-dak-to", "tan-canh"},
        "diem_tham_van": {"tan-canh", "tt-dak-to", "ngoc-tu", "dak-tram"},
    }
    assert len(units) == 14  # 2 + 2 + 2 + 2 + 2 + 4
    assert {u.state for u in units} == {"active"}
    assert all(u.start_date is None for u in units)  # the plan gives no start dates
    names = {u.name for u in units}
    assert "Câu lạc bộ “Quyền tham gia của trẻ em” Trường THCS Lương Thế Vinh" in names
    assert "Điểm tham vấn bảo vệ trẻ em tại cộng đồng xã Đăk Trăm" in names
    # Idempotent: seeding again (with the demo) adds nothing.
    before = dbsession.scalar(select(func.count()).select_from(UnitActivity))
    assert before > 0
    assert seed_registry(dbsession, demo=True) == 0
    assert dbsession.scalar(select(func.count()).select_from(UnitActivity)) == before


def test_demo_counselling_logs_hold_counts_and_topics_only(dbsession):
    logs = list(dbsession.scalars(select(UnitActivity).where(UnitActivity.kind == "counselling")))
    assert logs
    for log in logs:
        assert log.notes == ""
        assert log.sessions >= 1 and log.participants == log.participants_male + log.participants_female
        assert set(log.topics) <= set(services.TOPIC_LABELS)


# --- the indicator ---------------------------------------------------------------------------------


def test_indicator_counts_communes_whose_counselling_point_logged_in_the_period(app, dbsession):
    half = report_services.period_by_code(dbsession, "2017-6t")
    year = report_services.period_by_code(dbsession, "2017")
    results = {
        p.code: {
            r.indicator.key: r for r in report_services.compute_indicators(dbsession, app.registry, p.plan_id, p.id)
        }["xa_co_he_thong_dich_vu"]
        for p in (half, year)
    }
    # The demo: Đăk Trăm's point started again in August.
    # At mid-year the annual target is only read, not judged.
    assert (results["2017-6t"].actual, results["2017-6t"].verdict) == (Decimal(3), "mid_year")
    assert (results["2017"].actual, results["2017"].met) == (Decimal(4), True)
    assert results["2017"].target.baseline == 4  # the plan's 2016 figure: 4/9, to keep
    indicator = results["2017"].indicator
    assert indicator.compute is not None and not indicator.numerator
    assert "điểm tham vấn" in indicator.rule and "counselling point" in indicator.rule_en


def test_indicator_rule_counts_each_commune_once_and_only_active_points(dbsession, factory):
    compute = next(i for i in INDICATORS if i.key == "xa_co_he_thong_dich_vu").compute
    period = SimpleNamespace(start_date=dt.date(2019, 1, 1), end_date=dt.date(2019, 6, 30))
    assert compute(dbsession, period) == 0  # nothing logged in 2019
    tan_canh = unit(dbsession, "tham-van-tan-canh")
    add_activity(dbsession, tan_canh.id, dt.date(2019, 1, 1))  # first day counts
    second = Unit(
        space_id=tan_canh.space_id, kind="diem_tham_van", name="Điểm tham vấn thứ hai", state="active", notes=""
    )
    dbsession.add(second)
    dbsession.flush()
    add_activity(dbsession, second.id, dt.date(2019, 6, 30))  # last day counts; same commune
    assert compute(dbsession, period) == 1
    add_activity(dbsession, unit(dbsession, "tham-van-ngoc-tu").id, dt.date(2019, 7, 1))  # after the period
    add_activity(dbsession, unit(dbsession, "tham-van-ngoc-tu").id, dt.date(2018, 12, 31))  # before it
    add_activity(dbsession, unit(dbsession, "ong-ba-chau-kon-dao").id, dt.date(2019, 3, 1), "talk")  # no point
    paused = unit(dbsession, "tham-van-dak-tram")
    paused.state = "paused"
    add_activity(dbsession, paused.id, dt.date(2019, 3, 1))  # a paused point does not count
    assert compute(dbsession, period) == 1
    add_activity(dbsession, unit(dbsession, "tham-van-tt-dak-to").id, dt.date(2019, 2, 14), "talk")
    assert compute(dbsession, period) == 2  # any activity of an active point counts
    future = SimpleNamespace(start_date=dt.date(2999, 1, 1), end_date=dt.date(2999, 6, 30))
    assert compute(dbsession, future) is None  # nothing to count yet


def test_indicator_page_shows_the_rule(as_user):
    page = as_user("sotinh").get("/district/indicators/2017-6t")
    assert "có điểm tham vấn bảo vệ trẻ em tại cộng đồng đang hoạt động" in page.text


# --- reading ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("login", ["admin", "dieuphoi", "sotinh", "congan", "tancanh", "chutich.tancanh"])
def test_everyone_signed_in_reads_the_registry(as_user, dbsession, login):
    browser = as_user(login)
    page = browser.get(REGISTRY + "?period=2017-6t", status=200)
    assert "Điểm tham vấn bảo vệ trẻ em tại cộng đồng xã Ngọc Tụ" in page.text
    assert "01/01/2017" in page.text and "30/06/2017" in page.text
    point = unit(dbsession, "tham-van-tan-canh")
    detail = browser.get(f"{REGISTRY}/{point.id}", status=200)
    assert "Điểm tham vấn bảo vệ trẻ em tại cộng đồng xã Tân Cảnh" in detail.text
    assert "UBND xã Tân Cảnh" in detail.text


def test_anonymous_is_sent_to_login(testapp):
    res = testapp.get(REGISTRY, status=302)
    assert "/login" in res.location


def test_registry_counts_activities_in_the_period_and_filters(as_user, dbsession):
    browser = as_user("sotinh")
    point = unit(dbsession, "tham-van-dak-tram")

    def card(page, name):
        return page.text.split(name, 1)[1].split("</li>", 1)[0]

    half = browser.get(REGISTRY + "?period=2017-6t")
    assert re.search(r"<strong>0</strong>", card(half, point.name))  # Đăk Trăm: nothing before August
    year = browser.get(REGISTRY + "?period=2017")
    assert re.search(r"<strong>3</strong>", card(year, point.name))
    last = max(a.activity_date for a in activities(dbsession, point.id))
    assert last.strftime("%d/%m/%Y") in card(year, point.name)
    only = browser.get(REGISTRY + "?commune=kon-dao&period=2017")
    assert "Câu lạc bộ “Ông Bà Cháu” xã Kon Đào" in only.text
    assert "xã Tân Cảnh" not in only.text.split('class="filters"', 1)[1].split("</form>", 1)[1]
    kind = browser.get(REGISTRY + "?kind=diem_tham_van")
    assert kind.text.count('class="badge') == 4


def test_registry_cards_speak_the_readers_language_from_both_catalogues(as_user):
    """A card's labels come from the plugin's catalogue, the menu around them from the core's, in
    the language of each page: the catalogue chosen for a message is remembered per language."""
    browser = as_user("tancanh")
    for _ in range(2):
        vi = browser.get(REGISTRY + "?period=2017&_LOCALE_=vi").html
        card = vi.select_one("ul.cards li").get_text(" ", strip=True)
        assert "Số hoạt động trong kỳ" in card and "Hoạt động gần nhất" in card
        assert "Đang hoạt động" in card
        assert vi.select_one("nav.menu").get_text(" ", strip=True).startswith("Trang chủ")
        en = browser.get(REGISTRY + "?period=2017&_LOCALE_=en").html
        card = en.select_one("ul.cards li").get_text(" ", strip=True)
        assert "Activities in the period" in card and "Last activity" in card
        assert "Active" in card
        assert en.select_one("nav.menu").get_text(" ", strip=True).startswith("Home")


def test_registry_statements_do_not_grow_with_units_and_activities(app, as_user, dbsession, factory):
    browser = as_user("tancanh")
    engine = app.registry["dbengine"]
    dbsession.flush()
    dbsession.expire_all()
    with count_statements(engine) as few:
        browser.get(REGISTRY + "?period=2017", status=200)
    for _ in range(5):
        space = factory.space()
        for kind in ("diem_tham_van", "clb_bvte"):
            extra = Unit(space_id=space.id, kind=kind, name=f"Đơn vị thử {space.id} {kind}", state="active", notes="")
            dbsession.add(extra)
            dbsession.flush()
            for month in range(1, 13):
                add_activity(dbsession, extra.id, dt.date(2017, month, 10))
    dbsession.flush()
    dbsession.expire_all()
    with count_statements(engine) as many:
        page = browser.get(REGISTRY + "?period=2017", status=200)
    assert page.text.count('class="badge') == 14 + 10
    assert len(many) == len(few), (few, many)


def test_unit_page_pages_its_activities(as_user, dbsession):
    point = unit(dbsession, "tham-van-ngoc-tu")
    for day in range(1, 26):
        add_activity(dbsession, point.id, dt.date(2018, 1, day))
    browser = as_user("congan")
    first = browser.get(f"{REGISTRY}/{point.id}")
    assert "25/01/2018" in first.text and "01/01/2018" not in first.text
    assert 'rel="next"' in first.text
    second = browser.get(f"{REGISTRY}/{point.id}?page=2")
    assert "01/01/2018" in second.text


# --- logging: who may --------------------------------------------------------------------------------


@pytest.mark.parametrize("login", ["tancanh", "chutich.tancanh"])
def test_commune_members_log_for_their_communes_units(as_user, dbsession, login):
    browser = as_user(login)
    club = unit(dbsession, "ong-ba-chau-tan-canh")
    before = len(activities(dbsession, club.id))
    res = post_log(
        browser,
        club.id,
        "talk",
        participants="35",
        male="15",
        female="20",
        notes="Nói chuyện về phòng, chống đuối nước tại thôn 3.",
        status=302,
    )
    assert res.location.endswith(f"{REGISTRY}/{club.id}")
    rows = activities(dbsession, club.id)
    assert len(rows) == before + 1
    new = rows[-1]
    assert (new.activity_date, new.kind, new.participants, new.participants_male, new.participants_female) == (
        dt.date(2017, 5, 12),
        "talk",
        35,
        15,
        20,
    )
    assert new.topics == ["gia_dinh"] and new.author_id == get_user(dbsession, login).id
    entry = audit(dbsession, "ldtbxh.activity.create")[-1]
    assert entry.object_id == str(new.id) and entry.space_id == club.space_id
    assert entry.user_id == get_user(dbsession, login).id
    page = browser.get(res.location)
    assert "12/05/2017" in page.text and "Nói chuyện về phòng, chống đuối nước" in page.text


@pytest.mark.parametrize("login", ["tancanh", "chutich.tancanh"])
def test_commune_members_cannot_log_for_another_commune(as_user, dbsession, login):
    browser = as_user(login)
    other = unit(dbsession, "ong-ba-chau-kon-dao")
    before = len(activities(dbsession, other.id))
    browser.get(f"{REGISTRY}/{other.id}/activities/new?kind=talk", status=403)
    post_log(browser, other.id, "talk", status=403)
    assert len(activities(dbsession, other.id)) == before
    # …and the list offers them the link for their own units only.
    page = browser.get(REGISTRY)
    assert f"/registry/{unit(dbsession, 'ong-ba-chau-tan-canh').id}/activities/new" in page.text
    assert f"/registry/{other.id}/activities/new" not in page.text


@pytest.mark.parametrize("login", ["sotinh", "congan", "dieuphoi", "admin"])
def test_readers_and_managers_do_not_log(as_user, dbsession, login):
    browser = as_user(login)
    point = unit(dbsession, "tham-van-tan-canh")
    browser.get(f"{REGISTRY}/{point.id}", status=200)
    browser.get(f"{REGISTRY}/{point.id}/activities/new", status=403)
    post_log(browser, point.id, "counselling", sessions="2", status=403)
    assert "activities/new" not in browser.get(REGISTRY).text


def test_a_closed_unit_takes_no_new_log(as_user, dbsession):
    club = unit(dbsession, "clb-bvte-tan-canh")
    club.state = "closed"
    dbsession.flush()
    browser = as_user("tancanh")
    browser.get(f"{REGISTRY}/{club.id}/activities/new", status=403)
    post_log(browser, club.id, "meeting", status=403)


def test_commune_officer_cannot_manage_units(as_user, dbsession):
    browser = as_user("tancanh")
    club = unit(dbsession, "clb-bvte-tan-canh")
    browser.get(f"{REGISTRY}/new", status=403)
    browser.get(f"{REGISTRY}/{club.id}/edit", status=403)
    token = csrf_from(browser.get(REGISTRY))
    browser.post(
        f"{REGISTRY}/{club.id}/edit",
        {"csrf_token": token, "name": "x", "kind": "clb_bvte", "space_id": str(club.space_id), "state": "closed"},
        status=403,
    )
    assert unit(dbsession, "clb-bvte-tan-canh").state == "active"


# --- the counselling log: no free text -----------------------------------------------------------------


def test_counselling_form_has_no_free_text_field(as_user, dbsession):
    browser = as_user("tancanh")
    point = unit(dbsession, "tham-van-tan-canh")
    page, form = log_form(browser, point.id, "counselling")
    assert "<textarea" not in page.text
    typed = {
        name
        for name, fields in form.fields.items()
        for f in fields
        if type(f) in (webtest.forms.Text, webtest.forms.Textarea)
    }
    assert typed == {"activity_date", "sessions", "participants", "male", "female"}
    assert set(form.fields) - {None} == typed | {"topics", "csrf_token"}
    assert all(type(f) is webtest.forms.Checkbox for f in form.fields["topics"])
    # Every typed field takes a date or a number only.
    for name in typed:
        assert 'inputmode="numeric"' in re.search(rf'<input id="{name}" [^>]*>', page.text).group(0), name


def test_counselling_log_keeps_counts_and_topics_and_drops_any_text(as_user, dbsession):
    browser = as_user("tancanh")
    point = unit(dbsession, "tham-van-tan-canh")
    token = csrf_from(browser.get(REGISTRY))
    browser.post(
        f"{REGISTRY}/{point.id}/activities/new?kind=counselling",
        [
            ("csrf_token", token),
            ("activity_date", "03/06/2017"),
            ("sessions", "3"),
            ("participants", "4"),
            ("male", "1"),
            ("female", "3"),
            ("topics", "bao_luc_xam_hai"),
            ("topics", "tam_ly"),
            ("topics", "Y Hoa 12 tuổi"),  # not on the list: dropped
            ("notes", "Em Y Hoa, thôn 2"),  # a crafted field: the form has none, nothing is kept
        ],
        status=302,
    )
    new = activities(dbsession, point.id)[-1]
    assert (new.kind, new.sessions, new.participants, new.participants_male, new.participants_female) == (
        "counselling",
        3,
        4,
        1,
        3,
    )
    assert new.topics == ["bao_luc_xam_hai", "tam_ly"] and new.notes == ""
    entry = audit(dbsession, "ldtbxh.activity.create")[-1]
    assert "Y Hoa" not in str(entry.detail)
    assert "Y Hoa" not in browser.get(f"{REGISTRY}/{point.id}").text


def test_counselling_log_needs_sessions_and_a_topic(as_user, dbsession):
    browser = as_user("tancanh")
    point = unit(dbsession, "tham-van-tan-canh")
    before = len(activities(dbsession, point.id))
    token = csrf_from(browser.get(REGISTRY))
    res = browser.post(
        f"{REGISTRY}/{point.id}/activities/new?kind=counselling",
        {
            "csrf_token": token,
            "activity_date": "03/06/2017",
            "sessions": "0",
            "participants": "4",
            "male": "3",
            "female": "3",
        },
        status=400,
    )
    assert len(activities(dbsession, point.id)) == before
    assert 'id="err-sessions"' in res.text and 'id="err-topics"' in res.text and 'id="err-female"' in res.text
    assert 'value="03/06/2017"' in res.text and 'name="participants" value="4"' in res.text  # kept


# --- validation ----------------------------------------------------------------------------------------


def test_log_date_cannot_be_in_the_future_and_typed_text_is_kept(as_user, dbsession):
    browser = as_user("tancanh")
    club = unit(dbsession, "clb-bvte-tan-canh")
    before = len(activities(dbsession, club.id))
    res = post_log(
        browser,
        club.id,
        "meeting",
        activity_date="01/01/2999",
        participants="12",
        notes="Họp nhóm nòng cốt",
        status=400,
    )
    assert '<p class="error" id="err-activity_date">Ngày không được sau ngày hiện tại' in res.text
    assert 'aria-invalid="true" aria-describedby="err-activity_date"' in res.text
    assert 'value="01/01/2999"' in res.text and "Họp nhóm nòng cốt</textarea>" in res.text
    assert 'value="12"' in res.text and 'value="gia_dinh" checked' in res.text
    assert len(activities(dbsession, club.id)) == before


@pytest.mark.parametrize(
    "fields, error",
    [
        ({"activity_date": ""}, "activity_date"),
        ({"activity_date": "31/02/2017"}, "activity_date"),
        ({"participants": ""}, "participants"),
        ({"participants": "mười"}, "participants"),
        ({"participants": "10", "male": "6", "female": "6"}, "female"),
        ({"participants": "10", "male": "11"}, "female"),
    ],
)
def test_log_validation(as_user, dbsession, fields, error):
    browser = as_user("tancanh")
    club = unit(dbsession, "clb-bvte-tan-canh")
    res = post_log(browser, club.id, "meeting", status=400, **fields)
    assert f'id="err-{error}"' in res.text


def test_log_date_cannot_precede_the_unit_start(as_user, dbsession):
    club = unit(dbsession, "clb-bvte-tan-canh")
    club.start_date = dt.date(2017, 3, 1)
    dbsession.flush()
    browser = as_user("tancanh")
    res = post_log(browser, club.id, "meeting", activity_date="28/02/2017", status=400)
    assert 'id="err-activity_date"' in res.text and "01/03/2017" in res.text
    post_log(browser, club.id, "meeting", activity_date="01/03/2017", status=302)


def test_log_kind_is_chosen_first(as_user, dbsession):
    browser = as_user("tancanh")
    point = unit(dbsession, "tham-van-tan-canh")
    page = browser.get(f"{REGISTRY}/{point.id}/activities/new")
    choice = last_form(page)
    assert choice.method.lower() == "get" and choice["kind"].value == "counselling"  # a point's usual log
    page = choice.submit()
    assert 'name="sessions"' in page.text
    token = csrf_from(page)
    browser.post(f"{REGISTRY}/{point.id}/activities/new?kind=party", {"csrf_token": token}, status=400)


# --- managing units ------------------------------------------------------------------------------------


@pytest.mark.parametrize("login", ["dieuphoi", "admin"])
def test_coordinator_adds_a_unit_and_changes_its_state(as_user, dbsession, login):
    browser = as_user(login)
    form = last_form(browser.get(f"{REGISTRY}/new"))
    form["name"] = "Điểm tham vấn bảo vệ trẻ em tại cộng đồng xã Pô Kô"
    form["kind"] = "diem_tham_van"
    form["space_id"] = str(get_space(dbsession, "po-ko").id)
    form["start_date"] = "01/13/2017"
    res = form.submit(status=400)
    assert 'id="err-start_date"' in res.text and "xã Pô Kô" in res.text  # kept
    form = last_form(res)
    form["start_date"] = "01/09/2017"
    res = form.submit(status=302)
    added = dbsession.scalars(select(Unit).where(Unit.name.like("%Pô Kô"))).one()
    assert (added.kind, added.state, added.start_date, added.code) == (
        "diem_tham_van",
        "active",
        dt.date(2017, 9, 1),
        None,
    )
    assert audit(dbsession, "ldtbxh.unit.create")[-1].object_id == str(added.id)
    form = last_form(browser.get(f"{REGISTRY}/{added.id}/edit"))
    assert form["start_date"].value == "01/09/2017"
    form["state"] = "paused"
    form.submit(status=302)
    dbsession.refresh(added)
    assert added.state == "paused"
    entry = audit(dbsession, "ldtbxh.unit.update")[-1]
    assert entry.detail["before"]["state"] == "active" and entry.detail["after"]["state"] == "paused"


def test_unit_form_rejects_an_agency_as_commune(as_user, dbsession):
    browser = as_user("dieuphoi")
    token = csrf_from(browser.get(REGISTRY))
    res = browser.post(
        f"{REGISTRY}/new",
        {
            "csrf_token": token,
            "name": "Câu lạc bộ thử",
            "kind": "clb_bvte",
            "space_id": str(get_space(dbsession, "congan").id),
            "state": "active",
        },
        status=400,
    )
    assert 'id="err-space_id"' in res.text
    assert dbsession.scalars(select(Unit).where(Unit.name == "Câu lạc bộ thử")).first() is None


def test_refused_unit_form_keeps_what_was_typed_and_shows_the_error_beside_the_field(as_user, dbsession):
    browser = as_user("dieuphoi")
    po_ko = get_space(dbsession, "po-ko")
    form = last_form(browser.get(f"{REGISTRY}/new"))
    form["name"] = "Câu lạc bộ  “Quyền tham gia của trẻ em”   thôn 5"
    form["kind"] = "clb_quyen_tham_gia"
    form["space_id"] = str(po_ko.id)
    form["start_date"] = "01/01/2999"
    form["state"] = "paused"
    form["notes"] = "Thành lập theo Kế hoạch số 12/KH-UBND\nSinh hoạt hằng tháng"
    res = form.submit(status=400)
    # The message in Vietnamese, right after the date it is about, and linked from the summary.
    assert re.search(
        r'<input id="start_date" [^>]*value="01/01/2999"[^>]*aria-describedby="err-start_date">'
        r'<p class="error" id="err-start_date">Ngày không được sau ngày hiện tại.</p>',
        res.text,
    )
    assert '<a href="#start_date">' in res.text and res.text.count('class="error"') == 1
    again = last_form(res)
    assert again["name"].value == "Câu lạc bộ  “Quyền tham gia của trẻ em”   thôn 5"
    assert (again["kind"].value, again["space_id"].value, again["state"].value) == (
        "clb_quyen_tham_gia",
        str(po_ko.id),
        "paused",
    )
    assert "12/KH-UBND\nSinh hoạt hằng tháng</textarea>" in res.text
    assert dbsession.scalars(select(Unit).where(Unit.space_id == po_ko.id)).first() is None
    again["start_date"] = "01/09/2017"
    again.submit(status=302)
    added = dbsession.scalars(select(Unit).where(Unit.space_id == po_ko.id)).one()
    assert (added.name, added.state, added.start_date) == (
        "Câu lạc bộ “Quyền tham gia của trẻ em” thôn 5",  # runs of spaces typed inside count as one
        "paused",
        dt.date(2017, 9, 1),
    )
    assert added.notes == "Thành lập theo Kế hoạch số 12/KH-UBND\nSinh hoạt hằng tháng"


@pytest.mark.parametrize(
    "fields, name, message",
    [
        ({"name": "   "}, "name", "Vui lòng nhập tên."),
        ({"name": "C" * 201}, "name", "Tối đa 200 ký tự."),
        ({"kind": "cau_lac_bo"}, "kind", "Vui lòng chọn loại."),
        ({"space_id": ""}, "space_id", "Vui lòng chọn xã, thị trấn."),
        ({"state": "open"}, "state", "Vui lòng chọn trạng thái."),
        ({"start_date": "31/12/1989"}, "start_date", "Ngày đã nhập quá xa trong quá khứ."),
        ({"notes": "x" * 2001}, "notes", "Tối đa 2000 ký tự."),
    ],
)
def test_unit_form_validation(as_user, dbsession, fields, name, message):
    browser = as_user("dieuphoi")
    club = unit(dbsession, "clb-bvte-tan-canh")
    body = {
        "csrf_token": csrf_from(browser.get(REGISTRY)),
        "name": "Câu lạc bộ đã sửa",
        "kind": "clb_bvte",
        "space_id": str(club.space_id),
        "start_date": "",
        "state": "active",
        "notes": "",
        **fields,
    }
    res = browser.post(f"{REGISTRY}/{club.id}/edit", body, status=400)
    assert f'<p class="error" id="err-{name}">{message}</p>' in res.text
    assert unit(dbsession, "clb-bvte-tan-canh").name != "Câu lạc bộ đã sửa"


def test_unknown_unit_is_404(as_user):
    browser = as_user("sotinh")
    browser.get(f"{REGISTRY}/999999", status=404)
    browser.get(f"{REGISTRY}/999999/activities/new", status=404)
    browser.get(f"{REGISTRY}/abc", status=404)
