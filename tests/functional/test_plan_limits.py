"""What a commune plan may hold is bounded so that its PDF renders in a few seconds: more
activities, longer texts or more lines are refused beside the field with what was typed kept; the
form offers no row beyond the limit; and a long word wraps inside its column of the PDF instead of
running off the page. (The time itself is measured by bench/plan_pdf.py, never asserted here.)"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from markupsafe import escape
from pyramid.i18n import make_localizer

import intranet
from intranet.i18n import _
from intranet.plans import exports, services
from tests.fixtures.browser import csrf_from
from tests.functional.test_commune_plans import PLAN, create, fill, plan_form, the_plan

_VI = make_localizer("vi", [str(Path(intranet.__file__).parent / "locale")])
DUTY = "xa.truyen-thong-cau-lac-bo"


def vi(message) -> str:
    """The text a Vietnamese page shows for ``message``, escaped as in HTML."""
    return str(escape(_VI.translate(message)))


def post_plan(browser, activities: int, *, title=None, status=302, **sections):
    """Save the draft with ``activities`` filled rows, as a browser would send them."""
    page = browser.get(PLAN)
    data = {
        "csrf_token": csrf_from(page),
        "version": page.forms["plan-form"]["version"].value,
        "a.count": str(activities),
        "action": "save",
    }
    for n in range(1, activities + 1):
        data.update(
            {
                f"a.{n}.title": title or f"Truyền thông tại thôn {n}",
                f"a.{n}.months": "3-5",
                f"a.{n}.responsible": "Công chức Văn hoá – Xã hội",
                f"a.{n}.budget": "1.500.000",
                f"a.{n}.source": "Ngân sách xã",
                f"a.{n}.duty": DUTY,
            }
        )
    data.update({f"s.{key}": text for key, text in sections.items()})
    return browser.post(PLAN, data, status=status)


def test_more_activities_than_the_limit_are_refused_and_kept(as_user, dbsession):
    officer = as_user("tancanh")
    create(officer)
    res = post_plan(officer, services.MAX_ACTIVITIES + 1, status=400)
    message = _(
        "A plan has at most ${n} activities; this one has ${count}. Merge or remove some of them.",
        mapping={"n": services.MAX_ACTIVITIES, "count": services.MAX_ACTIVITIES + 1},
    )
    assert '<p class="error" id="err-activities">' + vi(message) in res.text
    last = services.MAX_ACTIVITIES + 1
    assert f"Truyền thông tại thôn {last}</textarea>" in res.text  # the last row typed is still in the form
    assert the_plan(dbsession).activities == []


def test_the_form_offers_no_row_beyond_the_limit(as_user, dbsession):
    officer = as_user("tancanh")
    create(officer)
    post_plan(officer, services.MAX_ACTIVITIES)
    assert len(the_plan(dbsession).activities) == services.MAX_ACTIVITIES
    form = plan_form(officer)
    assert form["a.count"].value == str(services.MAX_ACTIVITIES)
    assert f"a.{services.MAX_ACTIVITIES}.title" in form.fields
    assert f"a.{services.MAX_ACTIVITIES + 1}.title" not in form.fields
    hint = _("A plan has at most ${n} activities.", mapping={"n": services.MAX_ACTIVITIES})
    assert vi(hint) in officer.get(PLAN).text


def test_a_plan_below_the_limit_still_gets_empty_rows(as_user):
    officer = as_user("tancanh")
    create(officer)
    post_plan(officer, services.MAX_ACTIVITIES - 1)
    form = plan_form(officer)
    assert f"a.{services.MAX_ACTIVITIES}.title" in form.fields
    assert f"a.{services.MAX_ACTIVITIES + 1}.title" not in form.fields


def test_too_long_texts_are_refused_beside_their_field_and_kept(as_user, dbsession):
    officer = as_user("tancanh")
    create(officer)
    long_title = "Tổ chức truyền thông tại thôn " * 17  # 510 characters
    many_lines = "\n".join(f"Thôn {n}: 12 trẻ em" for n in range(services.MAX_LINES + 1))
    res = post_plan(officer, 1, title=long_title.strip(), situation=many_lines, status=400)
    at_most = _("At most ${n} characters.", mapping={"n": services.MAX_TITLE})
    lines = _("At most ${n} lines.", mapping={"n": services.MAX_LINES})
    assert '<p class="error" id="err-a.1.title">' + vi(at_most) in res.text
    assert '<p class="error" id="err-s.situation">' + vi(lines) in res.text
    assert long_title.strip() + "</textarea>" in res.text and f"Thôn {services.MAX_LINES}: 12 trẻ em" in res.text
    # The draft keeps the rest of the row; the texts that are too long are not stored.
    plan = the_plan(dbsession)
    assert [a.title for a in plan.activities] == [""]
    assert {x.key: x.text for x in plan.sections}.get("situation", "") == ""


def test_the_largest_texts_allowed_are_saved(as_user, dbsession):
    officer = as_user("tancanh")
    create(officer)
    title = ("Tổ chức truyền thông tại thôn " * 17)[: services.MAX_TITLE]
    part = "\n".join(["Thôn 1: 12 trẻ em"] * services.MAX_LINES)
    post_plan(officer, 2, title=title, situation=part)
    plan = the_plan(dbsession)
    assert [a.title for a in plan.activities] == [title.strip()] * 2
    assert plan.section_text("situation") == part


@pytest.fixture
def rendered(monkeypatch):
    """The WeasyPrint documents of the PDFs made during the test."""
    from weasyprint import HTML

    from intranet.reports.exports import refuse_fetch

    documents = []

    def html_to_pdf(html):
        document = HTML(string=html, url_fetcher=refuse_fetch).render()
        documents.append(document)
        return document.write_pdf()

    monkeypatch.setattr(exports, "html_to_pdf", html_to_pdf)
    return documents


def _text_boxes(box):
    from weasyprint.formatting_structure.boxes import TextBox

    if isinstance(box, TextBox):
        yield box
    for child in getattr(box, "children", ()):
        yield from _text_boxes(child)


def test_long_words_wrap_inside_the_page_of_the_pdf(as_user, rendered):
    officer = as_user("tancanh")
    create(officer)
    link = "https://dakto.kontum.gov.vn/van-ban/ke-hoach-bao-ve-tre-em-" + "x" * 300
    form = fill(plan_form(officer), activities=2)
    form["a.1.title"] = link
    form["a.2.responsible"] = "Cônganxã" * 20
    form["s.solutions"] = "—" * 2000
    form.submit(name="action", value="save", status=302)
    res = as_user("dieuphoi").get(PLAN + "/revisions/1/export.pdf")
    assert res.body.startswith(b"%PDF")
    (document,) = rendered
    words = 0
    for page in document.pages:
        for box in _text_boxes(page._page_box):
            words += 1
            assert 0 <= box.position_x and box.position_x + box.width <= page.width, box.text[:40]
    assert words > 0


def test_soft_breaks_do_not_change_the_text():
    text = "Tuyên truyền về quyền trẻ em " + "x" * 45
    assert (
        exports.breakable(text) == "Tuyên truyền về quyền trẻ em " + "x" * 20 + "\u200b" + "x" * 20 + "\u200b" + "x" * 5
    )
    decomposed = unicodedata.normalize("NFD", "Tuyêntruyềnquyềntrẻem" * 3)
    wrapped = exports.breakable(decomposed)
    assert wrapped.replace("\u200b", "") == decomposed
    assert all(not unicodedata.combining(wrapped[i + 1]) for i, c in enumerate(wrapped) if c == "\u200b")
    assert exports.breakable("Ngân sách xã") == "Ngân sách xã"
