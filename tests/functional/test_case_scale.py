"""Scale (issue 11, section 6): with 10,000 cases in one commune, the commune's case list and the
home page's case deadlines issue as many SQL statements as with 10 cases, and weigh about the
same: the list shows 50 cases a page, the dashboard the soonest deadlines and two counts.

The 10,000 cases go in with a few bulk inserts (SQLAlchemy Core, executemany), each with its own
random reference and its texts encrypted for that reference, as ``open_case`` does; they spread
over the stages of the procedure, with services, reviews and overdue deadlines of every kind."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import func, insert, select

from intranet.cases import procedure
from intranet.cases.keys import get_keyring
from intranet.cases.models import Case, CaseHelper, CaseService
from intranet.cases.services import new_reference, token_context
from intranet.clock import utcnow
from intranet.i18n import local_date
from tests.fixtures.database import count_statements
from tests.fixtures.factories import get_space, get_user

COMMUNE = "tan-canh"
LIST = f"/spaces/{COMMUNE}/cases"
#: How many cases the commune has in the small run, and in the large one.
SMALL, LARGE = 10, 10_000
PAGE_SIZE = 50
#: How many deadlines the home page lists at most.
SHOWN = 20
#: The pages and who reads them: the commune's head, its protection officer (on some cases' team)
#: and the district's coordinator.
READERS = ("chutich.tancanh", "tancanh", "dieuphoi")
PAGES = [(login, url) for url in (LIST, "/") for login in READERS]
#: The stages the bulk cases reach, in turn.
STAGES = (
    "received",
    "initial",
    "detailed",
    "draft",
    "submitted",
    "approved",
    "in_progress",
    "under_review",
    "closed",
)


def _tokens(keyring, table: str, reference: str, texts: dict[str, str | None]) -> dict[str, str | None]:
    return {
        column: None if text is None else keyring.encrypt(text, token_context(table, column, reference))
        for column, text in texts.items()
    }


def bulk_cases(dbsession, keyring, space_id: int, n: int, *, officer: int, head: int) -> None:
    """``n`` more cases of the commune, one received every 100 minutes back from an hour ago (so
    across the last two years: some with the holidays of their year known, some not), in turn at
    each stage of :data:`STAGES`; a third managed by ``officer``, some more with ``officer`` as a
    helper, the rest by ``head`` or nobody."""
    now = utcnow()
    prefix = dbsession.scalar(select(Case.prefix).where(Case.space_id == space_id).limit(1))
    seqs = dict(
        dbsession.execute(
            select(Case.year, func.max(Case.seq)).where(Case.space_id == space_id).group_by(Case.year)
        ).all()
    )
    cases, plans = [], {}
    for i in range(n):
        received = now - dt.timedelta(hours=1, minutes=100 * i)
        year = local_date(received).year
        seqs[year] = seqs.get(year, 0) + 1
        reached = i % len(STAGES)
        reference = new_reference()
        worker = officer if i % 3 == 0 else (head if i % 3 == 1 else None)
        row = {
            "reference": reference,
            "number": procedure.case_number(prefix, year, seqs[year]),
            "prefix": prefix,
            "year": year,
            "seq": seqs[year],
            "space_id": space_id,
            "child_id": None,
            "case_worker_id": worker,
            "received_at": received,
            "reporter_kind": "neighbour",
            "plan_round": 1,
            "created_by": officer,
            "updated_by": officer,
            "version": 1,
            "created_at": now,
            "updated_at": now,
            "initial_at": None,
            "harm": None,
            "access": None,
            "environment": None,
            "in_danger": None,
            "detailed_at": None,
            "plan_drafted_at": None,
            "plan_state": None,
            "plan_submitted_at": None,
            "plan_approved_at": None,
            "first_plan_approved_at": None,
            "decision_number": None,
            "decision_date": None,
            "closed_at": None,
            "next_review_on": None,
        }
        texts = {"reporter": "", "account": "Hàng xóm báo tin (trường hợp hư cấu)"}
        texts.update(emergency_measures=None, findings=None, plan_text=None)
        if reached >= STAGES.index("initial"):
            row.update(initial_at=received + dt.timedelta(hours=2), harm="medium", access="low", environment="low")
            row["in_danger"] = False
            texts["emergency_measures"] = ""
        if reached >= STAGES.index("detailed"):
            row["detailed_at"] = received + dt.timedelta(hours=5)
            texts["findings"] = "Gia đình cần được hỗ trợ (hư cấu)"
        if reached >= STAGES.index("draft"):
            row.update(plan_drafted_at=received + dt.timedelta(hours=6), plan_state="draft")
            texts["plan_text"] = "Thăm gia đình hằng tuần (hư cấu)"
        if reached >= STAGES.index("submitted"):
            row.update(plan_state="submitted", plan_submitted_at=received + dt.timedelta(hours=7))
        if reached >= STAGES.index("approved"):
            approved = received + dt.timedelta(days=2)
            row.update(plan_state="approved", plan_approved_at=approved, first_plan_approved_at=approved)
            row.update(decision_number=f"{i}/QĐ-UBND", decision_date=local_date(approved))
        if reached >= STAGES.index("under_review"):
            # A review every 90 days: the older cases' review is overdue.
            row["next_review_on"] = local_date(received) + dt.timedelta(days=90)
        if reached == STAGES.index("closed"):
            row.update(closed_at=received + dt.timedelta(days=30), next_review_on=None)
        row.update(_tokens(keyring, "cases", reference, texts))
        cases.append(row)
        if reached >= STAGES.index("in_progress"):
            plans[row["number"]] = (reached, local_date(received) + dt.timedelta(days=30))
    dbsession.execute(insert(Case.__table__), cases)
    ids = dict(dbsession.execute(select(Case.number, Case.id).where(Case.number.in_(list(plans)))).all())
    services = []
    for number, (reached, due) in plans.items():
        reference = new_reference()
        done = reached > STAGES.index("in_progress")
        services.append(
            {
                "reference": reference,
                "case_id": ids[number],
                "plan_round": 1,
                "assigned_space_id": space_id,
                "due_on": due,
                "outcome": "done" if done else None,
                "outcome_on": due if done else None,
                "created_by": officer,
                "created_at": now,
                "outcome_by": officer if done else None,
                **_tokens(
                    keyring,
                    "case_services",
                    reference,
                    {
                        "description": "Thăm gia đình (hư cấu)",
                        "assignee": "",
                        "outcome_note": "Đã thăm (hư cấu)" if done else None,
                    },
                ),
            }
        )
    dbsession.execute(insert(CaseService.__table__), services)
    # The officer helps on a seventh of the cases managed by someone else.
    helped = dbsession.scalars(
        select(Case.id).where(
            Case.space_id == space_id, (Case.case_worker_id != officer) | Case.case_worker_id.is_(None)
        )
    ).all()
    rows = [{"case_id": case_id, "user_id": officer, "assigned_by": head, "created_at": now} for case_id in helped[::7]]
    dbsession.execute(insert(CaseHelper.__table__), rows)
    dbsession.flush()


def opened(dbsession, keyring, space_id: int, n: int, *, officer: int) -> None:
    """``n`` more cases through the procedure itself, received over the last days."""
    now = utcnow()
    for i in range(n):
        procedure.open_case(
            dbsession,
            keyring,
            space_id,
            received_at=now - dt.timedelta(hours=1 + 9 * i),
            reporter_kind="school",
            reporter="",
            account="Nhà trường báo tin (trường hợp hư cấu)",
            case_worker_id=officer,
            user_id=officer,
        )
    dbsession.flush()


#: Where each page lists its items: the rows of the case table, the dashboard's deadlines.
ITEMS = {LIST: "table.grid tbody tr", "/": "#case-deadlines ~ ul.deadlines li"}


def measure(app, browsers, dbsession) -> dict:
    """Each reader's pages: (statements, bytes, the items listed as HTML, the page)."""
    engine = app.registry["dbengine"]
    result = {}
    for login, url in PAGES:
        # The requests share the test's session: start each from a cold identity map, as a real
        # request does, with what the previous one added written already.
        dbsession.flush()
        dbsession.expire_all()
        with count_statements(engine) as statements:
            page = browsers[login].get(url, status=200)
        items = [str(item).encode() for item in page.html.select(ITEMS[url])]
        result[login, url] = (len(statements), len(page.body), items, page)
    dbsession.flush()
    return result


def weight_bound(small, large, most: int) -> int:
    """The most ``large`` may weigh: ``small``'s page without its items, ``most`` items as long as
    the longest of either page, and 2 KB for a pager and longer numbers."""
    frame = small[1] - sum(map(len, small[2]))
    return frame + most * max(map(len, small[2] + large[2])) + 2048


def test_case_list_and_dashboard_do_not_grow_with_the_cases(app, make_app, dbsession):
    keyring = get_keyring(app.registry)
    space_id = get_space(dbsession, COMMUNE).id
    officer = get_user(dbsession, "tancanh").id
    head = get_user(dbsession, "chutich.tancanh").id
    already = dbsession.scalar(select(func.count()).select_from(Case).where(Case.space_id == space_id))
    opened(dbsession, keyring, space_id, SMALL - already, officer=officer)
    browsers = {}
    for login in READERS:
        browsers[login] = make_app()
        browsers[login].login(login)

    small = measure(app, browsers, dbsession)
    bulk_cases(dbsession, keyring, space_id, LARGE - SMALL, officer=officer, head=head)
    assert dbsession.scalar(select(func.count()).select_from(Case).where(Case.space_id == space_id)) == LARGE
    large = measure(app, browsers, dbsession)

    counts = {key: (small[key][0], large[key][0]) for key in small}
    assert all(a == b for a, b in counts.values()), f"statements grew with the cases: {counts}"
    for login in READERS:
        # The list: the 10 cases on one page, then a full page of 50 and a pager to the others.
        small_list, large_list = small[login, LIST], large[login, LIST]
        assert len(small_list[2]) == SMALL, login
        assert len(large_list[2]) == PAGE_SIZE, login
        pages = re.findall(r"[?&]page=(\d+)", large_list[3].text)
        assert pages and max(map(int, pages)) > 1, login
        assert large_list[1] <= weight_bound(small_list, large_list, PAGE_SIZE), (login, small_list[1], large_list[1])
        # The dashboard: the soonest deadlines (at most 20) and the counts, never every deadline.
        small_home, large_home = small[login, "/"], large[login, "/"]
        assert 0 < len(large_home[2]) <= SHOWN, login
        assert large_home[1] <= weight_bound(small_home, large_home, SHOWN), (login, small_home[1], large_home[1])
    # The counts say how many deadlines are open: thousands, though twenty are listed.
    counts_line = large["dieuphoi", "/"][3].html.select_one("#case-deadlines + p").text
    assert int(re.sub(r"\D", "", counts_line.split(",")[0])) > 1000, counts_line
