"""The home page's warning of the units that cannot send their reports (no active head, and
maybe no one who may submit): who sees it, what it says of each unit, and how many in all."""

from __future__ import annotations

from sqlalchemy import select

NO_MEMBER = "không có thành viên"
NO_SUBMITTER = "chưa có Trưởng đơn vị và không ai được gửi báo cáo"
NO_HEAD = "chưa có Trưởng đơn vị (cán bộ được gửi báo cáo)"


def staffing_lines(page) -> dict[str, str]:
    """Unit title -> what the warning says of it."""
    block = page.html.select_one("details.staffing")
    if block is None:
        return {}
    return {li.a.get_text(strip=True): li.get_text(" ", strip=True) for li in block.select("li")}


def warned_count(page) -> int:
    summary = page.html.select_one("details.staffing summary strong").get_text()
    return int(summary.split()[0])


def add_units(factory):
    """Four communes: no member; an officer only; an officer who may submit; a head who left
    (inactive) beside an officer who may submit; and one with an active head."""
    empty = factory.space(title="UBND xã Trống")
    officer_only = factory.space(title="UBND xã Cán Bộ")
    factory.membership(factory.user(), officer_only, "officer")
    officers_submit = factory.space(title="UBND xã Được Gửi")
    officers_submit.officers_may_submit = True
    factory.membership(factory.user(), officers_submit, "officer")
    head_left = factory.space(title="UBND xã Trưởng Nghỉ")
    head_left.officers_may_submit = True
    gone = factory.user()
    gone.is_active = False
    factory.membership(gone, head_left, "head")
    factory.membership(factory.user(), head_left, "officer")
    headed = factory.space(title="UBND xã Có Trưởng")
    factory.membership(factory.user(), headed, "head")
    factory.db.flush()
    return empty, officer_only, officers_submit, head_left, headed


def test_coordinator_sees_each_unit_that_cannot_send_and_why(as_user, factory):
    before = as_user("dieuphoi").get("/?staffing=all")
    count_before = warned_count(before) if staffing_lines(before) else 0
    add_units(factory)
    page = as_user("dieuphoi").get("/?staffing=all")
    lines = staffing_lines(page)
    assert NO_MEMBER in lines["UBND xã Trống"]
    assert NO_SUBMITTER in lines["UBND xã Cán Bộ"]
    assert NO_HEAD in lines["UBND xã Được Gửi"]
    # A head whose account is disabled is no head.
    assert NO_HEAD in lines["UBND xã Trưởng Nghỉ"]
    assert "UBND xã Có Trưởng" not in lines
    assert warned_count(page) == count_before + 4 == len(lines)


def test_the_warning_shows_the_first_units_and_how_many_more(as_user, factory):
    for _ in range(25):
        factory.space()  # no member at all
    factory.db.flush()
    page = as_user("dieuphoi").get("/")
    lines = staffing_lines(page)
    total = warned_count(page)
    assert len(lines) == 20 and total >= 25
    more = page.html.select_one("details.staffing a[href*='staffing=all']")
    assert more is not None and str(total - 20) in more.get_text()
    assert len(staffing_lines(as_user("dieuphoi").get("/?staffing=all"))) == total


def test_administrator_sees_the_same_warning_and_an_officer_none(as_user, factory):
    # The administrator, who reviews nothing, is warned of the same units as the coordinator.
    add_units(factory)
    coordinator = staffing_lines(as_user("dieuphoi").get("/?staffing=all"))
    admin = staffing_lines(as_user("admin").get("/?staffing=all"))
    assert admin == coordinator and "UBND xã Trống" in admin
    assert staffing_lines(as_user("tancanh").get("/")) == {}
    assert staffing_lines(as_user("sotinh").get("/")) == {}


def test_overdue_units_agree_with_the_completeness_line(as_user, app, dbsession):
    """After both due dates, the coordinator's home page counts and lists the overdue reports that
    the completeness line counts (its "overdue" bucket, worked out report by report)."""
    import datetime as dt

    from intranet import clock
    from intranet.reports import services
    from intranet.spaces.models import Space

    browser = as_user("dieuphoi")
    with clock.demo_day(dt.date(2017, 12, 20)):
        spaces = list(dbsession.scalars(select(Space).order_by(Space.category, Space.sort_order, Space.title)))
        periods = services.periods(dbsession)
        items = services.expected_reports(dbsession, app.registry, spaces, periods)
        overdue = [i for i in items if i.standing == "overdue"]
        _per_space, total = services.completeness(items)
        page = browser.get("/")
    assert total.overdue == len(overdue) > 20
    heading = next(h for h in page.html.select("h2") if h.get_text() == "Đơn vị quá hạn nộp")
    listed = heading.find_next_sibling("ul").select("li")
    assert len(listed) == 20
    # The first twenty in the district's order, each naming its unit and period.
    for li, item in zip(listed, overdue[:20], strict=True):
        assert item.space.title in li.get_text() and item.period.title in li.get_text()
    # (The case deadlines above it have an overdue count of their own: it does not replace this one.)
    more = listed[0].find_parent("ul").find_next_sibling("p")
    assert more is not None and more.get_text() == f"và {total.overdue - 20} mục khác"
