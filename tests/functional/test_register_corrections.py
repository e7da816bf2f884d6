"""A commune corrects a figure its child register pre-fills (issue 11, section 5): a figure other
than the register's is sent with a short comment saying why, kept beside the field, shown where
the report is shown inside the district (its page, the coordinator's review), never in the API."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from intranet.accounts.token_views import create_token
from intranet.cases.keys import get_keyring
from intranet.cases.services import ChildFields, add_group, add_support, register_child
from intranet.clock import demo_day
from intranet.host import get_registry
from intranet.reports import services
from intranet.reports.forms import field_name, note_name
from intranet.reports.models import SubmissionValue
from intranet.reports.seed import demo_entry
from intranet.reports.services.entries import display_raw
from intranet.reports.services.suggestions import register_differences, register_figures
from tests.fixtures.factories import get_space, get_user

URL = "/spaces/tan-canh/reports/xa.bao-cao/2017-6t"
LABOUR = "tre_em_lao_dong_som"
INJURED = "tre_em_tai_nan_thuong_tich"
COMMENT = "Một em chuyển đến từ xã khác, chưa ghi vào sổ."


@pytest.fixture
def register(app, dbsession):
    """Tân Cảnh's register, kept before the half-year ends: two boys in early labour, one injured girl."""
    keyring = get_keyring(app.registry)
    space = get_space(dbsession, "tan-canh")
    with demo_day(dt.date(2017, 5, 20)):
        for n, (sex, group) in enumerate((("male", "early_labour"), ("male", "early_labour"), ("female", "injured"))):
            child = register_child(
                dbsession,
                keyring,
                space.id,
                ChildFields(full_name=f"Trẻ Sửa Số {n}", date_of_birth=dt.date(2008, 2, 1 + n), sex=sex),
                None,
            )
            add_group(dbsession, child, group, dt.date(2017, 3, 1), None, None)
            add_support(dbsession, keyring, child, "Hỗ trợ", dt.date(2017, 4, 1), None, None)
    dbsession.flush()
    return space


@pytest.fixture
def counted(app, dbsession, register):
    """(the form, what the register counts for Tân Cảnh's half-year 2017 report)."""
    form = get_registry(app.registry).forms["xa.bao-cao"]
    period = services.period_by_code(dbsession, "2017-6t")
    figures, _how = register_figures(dbsession, form, register, period)
    assert figures[(LABOUR, "nam")] == 2 and figures[(INJURED, "nu")] == 1
    return form, figures


def _report_form(page):
    return next(f for f in page.forms.values() if field_name(LABOUR, "nam") in f.fields)


def _fill(page, form, figures, **changed):
    """The report's form filled in so that it can be sent: the demo figures, the register's where
    it counts one, then ``changed`` (field name -> text)."""
    html = _report_form(page)
    values = dict(demo_entry(form, "tan-canh").values)
    values.update(figures)
    injured = sum(v for (code, _o), v in figures.items() if code == INJURED)
    for option in form.element("xa_tai_nan_theo_nguyen_nhan").cells():  # the causes add up to it
        values[("xa_tai_nan_theo_nguyen_nhan", option)] = Decimal(injured if option == "khac" else 0)
    for (code, option), value in values.items():
        name = field_name(code, option)
        if name in html.fields:
            html[name] = display_raw(form.element(code), value)
    for name, text in demo_entry(form, "tan-canh").narratives.items():
        if f"n.{name}" in html.fields:
            html[f"n.{name}"] = text
    for name, text in changed.items():
        html[name] = text
    return html


def _error(page):
    """The message beside the comment on the children in early labour, or None."""
    return next((p for p in page.html.select("p.error") if p.get("id") == f"err-{note_name(LABOUR)}"), None)


def _rows(dbsession, code):
    report = services.load_submission(
        dbsession,
        "xa.bao-cao",
        get_space(dbsession, "tan-canh").id,
        services.period_by_code(dbsession, "2017-6t").id,
    )
    return report, {v.option: v for v in report.values if v.element_code == code}


def test_a_figure_other_than_the_registers_needs_a_comment_to_be_sent(as_user, dbsession, counted):
    form, figures = counted
    head = as_user("chutich.tancanh")
    page = head.get(URL)
    # The comment is asked for beside the figures the register counts, and only there.
    assert page.html.select_one(f'textarea[name="{note_name(LABOUR)}"]') is not None
    assert page.html.select_one(f'textarea[name="{note_name("so_buoi_truyen_thong")}"]') is None
    sent = _fill(page, form, figures, **{field_name(LABOUR, "nam"): "3"}).submit("action", value="submit", status=400)
    assert _error(sent) is not None
    # Nothing typed is lost: the figure as typed, the register's figure and how it is counted beside it.
    again = _report_form(sent)
    assert again[field_name(LABOUR, "nam")].value == "3"
    assert again[field_name(INJURED, "nu")].value == "1"
    cell = sent.html.select_one(f'input[name="{field_name(LABOUR, "nam")}"]').find_parent(class_="cell")
    assert "sổ theo dõi: 2" in " ".join(cell.stripped_strings)
    # The draft is saved, not sent.
    report, rows = _rows(dbsession, LABOUR)
    assert report.state == "draft" and rows["nam"].value_num == 3 and rows["nam"].note is None

    again[note_name(LABOUR)] = COMMENT
    done = again.submit("action", value="submit", status=302)
    assert done.location.endswith(URL)
    report, rows = _rows(dbsession, LABOUR)
    assert report.state == "submitted"
    # Kept once, on the element's first cell.
    assert rows["nam"].note == COMMENT and rows["nu"].note is None
    others = dbsession.scalars(
        select(SubmissionValue).where(
            SubmissionValue.submission_id == report.id, SubmissionValue.element_code != LABOUR
        )
    ).all()
    assert all(v.note is None for v in others)


def test_the_missing_comment_is_asked_for_in_vietnamese_beside_the_field(as_user, counted):
    form, figures = counted
    head = as_user("chutich.tancanh")
    sent = _fill(head.get(URL), form, figures, **{field_name(LABOUR, "nam"): "1"}).submit(
        "action", value="submit", status=400
    )
    error = _error(sent).get_text()
    assert "khác với số liệu của sổ theo dõi trẻ em" in error and "differs" not in error
    # and in the summary at the top, a link to the field
    summary = sent.html.select_one("#error-summary")
    assert summary.select_one(f'a[href="#f-{note_name(LABOUR)}"]') is not None


def test_the_registers_figures_need_no_comment(as_user, dbsession, counted):
    form, figures = counted
    head = as_user("chutich.tancanh")
    _fill(head.get(URL), form, figures).submit("action", value="submit", status=302)
    report, rows = _rows(dbsession, LABOUR)
    assert report.state == "submitted" and rows["nam"].value_num == 2


def test_a_draft_saves_without_the_comment_and_keeps_one_typed_with_a_bad_figure(as_user, dbsession, counted):
    form, figures = counted
    head = as_user("chutich.tancanh")
    _fill(head.get(URL), form, figures, **{field_name(LABOUR, "nam"): "4"}).submit("action", value="save", status=302)
    report, rows = _rows(dbsession, LABOUR)
    assert report.state == "draft" and rows["nam"].value_num == 4
    # A figure that cannot be read: the page comes back with the comment as typed, and saves it.
    page = head.get(URL)
    html = _report_form(page)
    assert html[field_name(LABOUR, "nam")].value == "4"
    html[note_name(LABOUR)] = COMMENT
    html[field_name(INJURED, "nu")] = "mười"
    back = html.submit("action", value="save", status=400)
    assert _report_form(back)[note_name(LABOUR)].value == COMMENT
    _report, rows = _rows(dbsession, LABOUR)
    assert rows["nam"].note == COMMENT


def test_the_comment_is_shown_with_the_report_and_never_in_the_api(as_user, make_app, dbsession, counted):
    form, figures = counted
    head = as_user("chutich.tancanh")
    _fill(head.get(URL), form, figures, **{field_name(LABOUR, "nam"): "3", note_name(LABOUR): COMMENT}).submit(
        "action", value="submit", status=302
    )
    # The unit's read-only page, and the coordinator's review of it.
    assert COMMENT in head.get(URL).text
    review = as_user("dieuphoi").get(URL)
    assert COMMENT in review.text and review.html.select_one('button[value="accept"]') is not None
    # Free text may give a small count away: not for readers outside the district.
    assert COMMENT not in as_user("sotinh").get(URL, status="*").text
    # The API gives the figures only.
    report, _rows_ = _rows(dbsession, LABOUR)
    _row, token = create_token(dbsession, get_user(dbsession, "dieuphoi").id, "Thử")
    client = make_app()
    client.extra_environ = {**client.extra_environ, "HTTP_AUTHORIZATION": f"Bearer {token}"}
    detail = client.get(f"/api/v1/reports/{report.id}")
    assert COMMENT not in detail.text and "Một em chuyển đến" not in detail.text


def test_figures_sent_through_the_api_keep_the_comment(as_user, make_app, dbsession, counted):
    form, figures = counted
    head = as_user("chutich.tancanh")
    _fill(head.get(URL), form, figures, **{field_name(LABOUR, "nam"): "3", note_name(LABOUR): COMMENT}).submit(
        "action", value="save", status=302
    )
    report, _rows_ = _rows(dbsession, LABOUR)
    _row, token = create_token(dbsession, get_user(dbsession, "chutich.tancanh").id, "Thử")
    client = make_app()
    client.extra_environ = {**client.extra_environ, "HTTP_AUTHORIZATION": f"Bearer {token}"}
    values = [{"element": LABOUR, "option": "nam", "value": 5}, {"element": LABOUR, "option": "nu", "value": 0}]
    client.put_json(f"/api/v1/reports/{report.id}/values", {"version": report.version, "values": values})
    _report, rows = _rows(dbsession, LABOUR)
    assert rows["nam"].value_num == 5 and rows["nam"].note == COMMENT


def test_which_figures_differ(counted):
    _form, figures = counted
    given = {(LABOUR, "nam"): Decimal(2), (LABOUR, "nu"): Decimal(1), (INJURED, "nu"): None}
    # A cell left empty differs from nothing; a figure other than the register's does.
    assert register_differences(given, figures) == {LABOUR}
    assert register_differences({(LABOUR, "nam"): Decimal(2)}, figures) == set()
