"""Completeness counts that add up: expected = submitted + not submitted, submitted = on time +
late, accepted within submitted, returned and overdue within not submitted — in total and per
unit, for every period of the demo data, and on the pages that show them."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from intranet.reports import services
from intranet.spaces.models import Space
from tests.fixtures.factories import get_space, get_user


def demo_items(app, dbsession, code):
    spaces = list(dbsession.scalars(select(Space)))
    period = services.period_by_code(dbsession, code)
    return services.expected_reports(dbsession, app.registry, spaces, [period])


def assert_adds_up(c: services.Completeness, where: str):
    assert c.expected == c.submitted + c.not_submitted, where
    assert c.submitted == c.on_time + c.late, where
    assert 0 <= c.accepted <= c.submitted, where
    assert c.returned + c.overdue <= c.not_submitted, where
    assert c.waiting == c.submitted - c.accepted, where


def all_period_codes(dbsession):
    return [p.code for p in services.periods(dbsession)]


def test_the_counts_add_up_for_every_period_in_total_and_per_unit(app, dbsession):
    codes = all_period_codes(dbsession)
    assert {"2017-6t", "2017"} <= set(codes)
    for code in codes:
        items = demo_items(app, dbsession, code)
        per_space, total = services.completeness(items)
        assert total.expected == len(items) > 0
        assert_adds_up(total, code)
        for space_id, c in per_space.items():
            assert_adds_up(c, f"{code} / space {space_id}")
        for field in ("expected", "submitted", "on_time", "late", "accepted", "not_submitted", "returned"):
            assert getattr(total, field) == sum(getattr(c, field) for c in per_space.values()), field
        # each report falls in exactly one bucket of the line
        buckets = {
            "on_time": total.on_time,
            "late": total.late,
            "returned": total.returned,
            "overdue": total.overdue,
            "not_submitted": total.not_submitted - total.returned - total.overdue,
        }
        assert {k: sum(1 for i in items if i.standing == k) for k in buckets} == buckets


def test_the_demo_half_year_by_hand(app, dbsession):
    # 20 units × 1 form. With the district: 14 accepted on time, Diên Bình accepted late (09/6),
    # Phòng Y tế and Trung tâm Dân số submitted, waiting. Not submitted: Tân Cảnh (a draft) and
    # Văn Lem (nothing) — both overdue — and Kon Đào, returned to be corrected.
    items = demo_items(app, dbsession, "2017-6t")
    per_space, total = services.completeness(items)
    got = (
        total.expected,
        total.submitted,
        total.on_time,
        total.late,
        total.accepted,
        total.not_submitted,
        total.returned,
        total.overdue,
    )
    assert got == (20, 17, 16, 1, 15, 3, 1, 2)
    kon_dao = per_space[get_space(dbsession, "kon-dao").id]
    assert (kon_dao.submitted, kon_dao.on_time, kon_dao.not_submitted, kon_dao.returned) == (0, 0, 1, 1)
    standing = {i.space.slug: i.standing for i in items}
    assert standing["kon-dao"] == "returned"
    assert standing["dien-binh"] == "late"
    assert standing["van-lem"] == standing["tan-canh"] == "overdue"


def test_a_returned_report_sent_again_counts_as_submitted_with_its_first_date(app, dbsession):
    period = services.period_by_code(dbsession, "2017-6t")
    space = get_space(dbsession, "kon-dao")
    sub = services.load_submission(dbsession, "xa.bao-cao", space.id, period.id)
    assert sub.state == "returned"
    services.apply_transition(sub, "submit", get_user(dbsession, "dieuphoi").id)
    dbsession.flush()
    _per_space, total = services.completeness(demo_items(app, dbsession, "2017-6t"))
    # sent again today, long after the due date: its first sending (02/6) still decides
    assert (total.submitted, total.on_time, total.not_submitted, total.returned) == (18, 17, 2, 0)
    assert_adds_up(total, "after resubmission")


def tally_numbers(html: str) -> list[int]:
    """The figures of the completeness line, in the order they are written."""
    match = re.search(r'<p class="tally"[^>]*>(.*?)</p>', html, re.S)
    assert match, "no completeness line on the page"
    return [int(n.replace(".", "").replace(",", "")) for n in re.findall(r"\d[\d.,]*", match.group(1))]


def test_the_completeness_page_writes_one_line_that_adds_up(as_user):
    page = as_user("dieuphoi").get("/district/reports/2017-6t/completeness?_LOCALE_=en")
    expected, submitted, on_time, late, accepted, not_submitted, returned, overdue = tally_numbers(page.text)
    assert (expected, submitted, on_time, late, accepted, not_submitted, returned, overdue) == (
        20,
        17,
        16,
        1,
        15,
        3,
        1,
        2,
    )
    assert expected == submitted + not_submitted and submitted == on_time + late
    tag = re.search(r'<p class="tally"([^>]*)>', page.text).group(1)
    data = {k: int(v) for k, v in re.findall(r'data-([a-z-]+)="(\d+)"', tag)}
    assert data == {
        "expected": 20,
        "submitted": 17,
        "on-time": 16,
        "late": 1,
        "accepted": 15,
        "not-submitted": 3,
        "returned": 1,
        "overdue": 2,
    }
    line = re.search(r'<p class="tally"[^>]*>(.*?)</p>', page.text, re.S).group(1)
    assert "of which returned: 1" in line and "Not submitted" in line
    # the row of the returned report says it is not submitted, not "on time"
    row = page.text.split('<tr data-space="kon-dao">', 1)[1].split("</tr>", 1)[0]
    assert "Not submitted (returned)" in row and ">On time<" not in row


def test_the_reports_list_shows_the_same_counts_per_period(as_user):
    page = as_user("dieuphoi").get("/district/reports?_LOCALE_=en")
    row = next(r for r in page.text.split("<tr>") if "First half of 2017" in r)
    cells = [int(v) for v in re.findall(r'<td class="num[^"]*"[^>]*>(\d+)</td>', row)]
    expected, submitted, on_time, late, accepted, not_submitted, returned = cells
    assert cells == [20, 17, 16, 1, 15, 3, 1]
    assert expected == submitted + not_submitted and submitted == on_time + late


@pytest.mark.parametrize("url", ["/district/reports", "/district/reports/2017-6t/completeness"])
def test_district_tables_become_labelled_cards_on_a_phone(as_user, url):
    page = as_user("dieuphoi").get(url)
    table = page.text.split('<table class="grid rows">', 1)[1].split("</table>", 1)[0]
    body = table.split("<tbody>", 1)[1]
    # every value cell carries its column's name for the narrow layout; each row has a row header
    rows = len(re.findall(r"<tr[\s>]", body))
    assert rows >= 2 and body.count('<th scope="row">') == rows
    cells = re.findall(r"<td(?: [^>]*)?>", body)
    labelled = [c for c in cells if "data-label=" in c]
    assert len(labelled) >= len(cells) - rows  # all but the links cell


def test_the_completeness_line_in_vietnamese(as_user):
    """Runs once the msgids of this change are in the Vietnamese catalogue."""
    page = as_user("dieuphoi").get("/district/reports/2017-6t/completeness")
    line = re.search(r'<p class="tally"[^>]*>(.*?)</p>', page.text, re.S).group(1)
    assert "Phải nộp" in line and "Đã gửi" in line and "Chưa nộp" in line
    assert "trong đó bị trả lại: 1" in line
