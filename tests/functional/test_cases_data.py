"""The data of a child-protection case (issue 11, sections 2 and 4): a case goes through the steps of
Decree 56/2017 and its stage follows; numbers count per commune and year, also when two people
open cases at once; what is typed is stored encrypted and read back as it was; a value moved to
another row does not decrypt; a closed case refuses every write until reopened; a value that cannot
be right is refused with its field named, and nothing is stored."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from sqlalchemy import delete, func, inspect, select, text
from sqlalchemy.exc import IntegrityError

from intranet.cases import procedure
from intranet.cases.crypto import TamperedTokenError
from intranet.cases.keys import get_keyring
from intranet.cases.models import Case, CaseHelper, CaseReview, CaseService
from intranet.cases.procedure import (
    CaseError,
    add_review,
    add_service,
    assign_case_worker,
    assign_helper,
    case_reviews,
    case_services,
    case_team_ids,
    deadlines,
    draft_plan,
    link_child,
    open_case,
    read_case,
    read_review,
    read_service,
    record_decision,
    record_detailed_assessment,
    record_initial_assessment,
    record_outcome,
    remove_helper,
    reopen_case,
    schedule_review,
    stage,
)
from intranet.cases.services import ChildFields, register_child
from intranet.clock import demo_day, utcnow
from tests.fixtures.database import running_app
from tests.fixtures.factories import get_space, get_user

TODAY = dt.date(2017, 6, 20)
T = dt.datetime
D = dt.date
#: Monday 12 June 2017, 08:30 in Đăk Tô.
RECEIVED = T(2017, 6, 12, 1, 30)

REPORTER = "Chị Y Blông, hàng xóm, 0905 111 222"
ACCOUNT = "Cháu Đinh Văn Tèo bị cha đánh, bầm tím ở tay, thôn Kon Tu Dốp 2"
MEASURES = "Đưa cháu Tèo về ở với bà ngoại Y Hlin ngay trong đêm"
FINDINGS = "Cha cháu Tèo uống rượu thường xuyên, mẹ đi làm ở Bình Dương"
PLAN = "Mục tiêu: cháu Tèo an toàn, đi học đều; tư vấn cho cha"
SERVICE = "Tư vấn tâm lý cho cháu Tèo tại Điểm tham vấn"
ASSIGNEE = "Cô giáo Phạm Thị Lành"
OUTCOME_NOTE = "Gia đình chuyển đi Gia Lai"
REVIEW_NOTES = "Cháu Tèo đã đi học lại, cha đã bỏ rượu"
#: What no raw row may hold, in any case.
SECRETS = [
    REPORTER,
    "Y Blông",
    "0905 111 222",
    "0905111222",
    ACCOUNT,
    "Đinh Văn Tèo",
    "dinh van teo",
    "Tèo",
    "Kon Tu Dốp",
    MEASURES,
    "Y Hlin",
    FINDINGS,
    "Bình Dương",
    PLAN,
    SERVICE,
    "tâm lý",
    ASSIGNEE,
    "Phạm Thị Lành",
    OUTCOME_NOTE,
    "Gia Lai",
    REVIEW_NOTES,
]


@pytest.fixture(autouse=True)
def on_the_day():
    """The checks (nothing recorded later than now) run on the intranet's clock."""
    with demo_day(TODAY):
        yield


@pytest.fixture
def keyring(app):
    return get_keyring(app.registry)


@pytest.fixture
def commune(dbsession):
    return get_space(dbsession, "tan-canh")


@pytest.fixture
def officer(dbsession):
    return get_user(dbsession, "tancanh")


@pytest.fixture
def no_cases(dbsession):
    """The numbers start from an empty list of cases: cases already in the test database (the
    demo's) are set aside inside this test's transaction, which is rolled back at its end."""
    dbsession.execute(delete(Case), execution_options={"synchronize_session": False})


def new_case(dbsession, keyring, space_id, user_id, **changes) -> Case:
    values = {
        "received_at": RECEIVED,
        "reporter_kind": "neighbour",
        "reporter": REPORTER,
        "account": ACCOUNT,
        "case_worker_id": user_id,
        "user_id": user_id,
        **changes,
    }
    return open_case(dbsession, keyring, space_id, **values)


@pytest.fixture
def case(dbsession, keyring, commune, officer):
    return new_case(dbsession, keyring, commune.id, officer.id)


@pytest.fixture
def child(dbsession, keyring, commune, officer):
    fields = ChildFields(full_name="Đinh Văn Tèo", date_of_birth=D(2009, 4, 2), sex="male")
    return register_child(dbsession, keyring, commune.id, fields, officer.id)


def assess(dbsession, keyring, case, user_id):
    record_initial_assessment(
        dbsession,
        keyring,
        case,
        initial_at=T(2017, 6, 12, 6, 0),
        harm="high",
        access="high",
        environment="medium",
        in_danger=True,
        emergency_measures=MEASURES,
        separated_at=T(2017, 6, 12, 9, 0),
        user_id=user_id,
    )
    record_detailed_assessment(
        dbsession,
        keyring,
        case,
        detailed_at=T(2017, 6, 13, 3, 0),
        findings=FINDINGS,
        meeting_at=T(2017, 6, 13, 8, 0),
        user_id=user_id,
    )


def approve(dbsession, case):
    """What the plan's workflow will do: submit, then approve (the lead's transitions)."""
    case.plan_state, case.plan_submitted_at = "submitted", utcnow()
    dbsession.flush()
    case.plan_state, case.plan_approved_at = "approved", utcnow()
    dbsession.flush()


def current_stage(dbsession, case) -> str:
    return stage(case, case_services(dbsession, case), case_reviews(dbsession, case))


def raw_row(dbsession, table: str, row_id: int) -> dict:
    """The row as the database holds it, read with plain SQL (no model, no decryption)."""
    return dict(dbsession.execute(text(f"SELECT * FROM {table} WHERE id = :id"), {"id": row_id}).mappings().one())


def shown(haystack: str) -> list[str]:
    folded = haystack.casefold()
    return [secret for secret in SECRETS if secret.casefold() in folded]


# --- the procedure, step by step ----------------------------------------------------------------


def test_a_case_goes_through_every_step_and_its_stage_follows(dbsession, keyring, case, officer, child):
    seen = [current_stage(dbsession, case)]
    link_child(dbsession, case, child_id=child.id, user_id=officer.id)
    record_initial_assessment(
        dbsession,
        keyring,
        case,
        initial_at=T(2017, 6, 12, 6, 0),
        harm="high",
        access="high",
        environment="medium",
        in_danger=True,
        emergency_measures=MEASURES,
        user_id=officer.id,
    )
    seen.append(current_stage(dbsession, case))
    record_detailed_assessment(
        dbsession, keyring, case, detailed_at=T(2017, 6, 13, 3, 0), findings=FINDINGS, user_id=officer.id
    )
    seen.append(current_stage(dbsession, case))
    draft_plan(dbsession, keyring, case, plan_text=PLAN, user_id=officer.id)
    seen.append(current_stage(dbsession, case))
    case.plan_state, case.plan_submitted_at = "submitted", utcnow()
    seen.append(current_stage(dbsession, case))
    case.plan_state, case.plan_approved_at = "approved", utcnow()
    seen.append(current_stage(dbsession, case))
    record_decision(dbsession, case, decision_number="15/QĐ-UBND", decision_date=D(2017, 6, 19), user_id=officer.id)
    police = get_space(dbsession, "congan")
    first = add_service(
        dbsession, keyring, case, description=SERVICE, due_on=D(2017, 6, 30), assignee=ASSIGNEE, user_id=officer.id
    )
    second = add_service(
        dbsession,
        keyring,
        case,
        description="Xác minh",
        due_on=D(2017, 7, 5),
        assigned_space_id=police.id,
        user_id=officer.id,
    )
    seen.append(current_stage(dbsession, case))
    record_outcome(dbsession, keyring, first, outcome="done", outcome_on=D(2017, 6, 19), user_id=officer.id)
    assert current_stage(dbsession, case) == "in_progress"
    record_outcome(
        dbsession, keyring, second, outcome="not_done", outcome_on=TODAY, outcome_note=OUTCOME_NOTE, user_id=officer.id
    )
    seen.append(current_stage(dbsession, case))
    review = add_review(
        dbsession,
        keyring,
        case,
        reviewed_on=TODAY,
        harm="low",
        access="low",
        environment="low",
        decision="close",
        notes=REVIEW_NOTES,
        user_id=officer.id,
    )
    seen.append(current_stage(dbsession, case))
    assert seen == list(procedure.STAGES)
    assert case.closed_at is not None and case.next_review_on is None

    record = read_case(keyring, case)
    assert (record.reporter, record.account, record.emergency_measures) == (REPORTER, ACCOUNT, MEASURES)
    assert (record.findings, record.plan_text) == (FINDINGS, PLAN)
    assert (record.child_id, record.harm, record.in_danger, record.decision_number) == (
        child.id,
        "high",
        True,
        "15/QĐ-UBND",
    )
    services = [read_service(keyring, s) for s in case_services(dbsession, case)]
    assert [(s.description, s.assignee, s.assigned_space_id, s.outcome, s.outcome_note) for s in services] == [
        (SERVICE, ASSIGNEE, None, "done", ""),
        ("Xác minh", "", police.id, "not_done", OUTCOME_NOTE),
    ]
    assert read_review(keyring, review).notes == REVIEW_NOTES
    assert shown(repr(record)) == [] and shown(repr(services)) == [] and shown(repr(read_review(keyring, review))) == []

    # reopened: back to what the data say (every service has its outcome: the case awaits a review)
    reopen_case(dbsession, case, user_id=officer.id, next_review_on=D(2017, 7, 1))
    assert case.closed_at is None and case.reopened_at is not None
    assert current_stage(dbsession, case) == "under_review"
    # a review asks for a new plan: a draft of its own, with its own services and decision
    approved_first = case.plan_approved_at
    add_review(
        dbsession,
        keyring,
        case,
        reviewed_on=TODAY,
        harm="medium",
        access="low",
        environment="medium",
        decision="new_plan",
        next_review_on=D(2017, 8, 1),
        user_id=officer.id,
    )
    assert current_stage(dbsession, case) == "plan_drafted"
    assert (case.plan_round, case.plan_state, case.decision_number, case.plan_approved_at) == (2, "draft", None, None)
    assert case.first_plan_approved_at == approved_first and case.next_review_on == D(2017, 8, 1)
    draft_plan(dbsession, keyring, case, plan_text="Kế hoạch mới", user_id=officer.id)
    approve(dbsession, case)
    assert current_stage(dbsession, case) == "plan_approved"  # the first plan's services do not count
    add_service(
        dbsession, keyring, case, description="Thăm gia đình", due_on=D(2017, 7, 10), assignee="x", user_id=officer.id
    )
    assert current_stage(dbsession, case) == "in_progress"
    assert [s.plan_round for s in case_services(dbsession, case)] == [1, 1, 2]


def test_the_deadlines_of_a_stored_case(dbsession, keyring, case, officer):
    # received Monday 12 June 08:30: assessment due 20:30, plan due Monday 19 June
    found = deadlines(case, case_services(dbsession, case), utcnow())
    assert [(d.kind, d.overdue) for d in found] == [("initial_12h", True), ("plan_5_days", True)]
    assess(dbsession, keyring, case, officer.id)
    draft_plan(dbsession, keyring, case, plan_text=PLAN, user_id=officer.id)
    approve(dbsession, case)
    add_service(dbsession, keyring, case, description=SERVICE, due_on=D(2017, 6, 16), assignee="x", user_id=officer.id)
    schedule_review(dbsession, case, next_review_on=D(2017, 7, 20), user_id=officer.id)
    found = deadlines(case, case_services(dbsession, case), utcnow())
    assert [(d.kind, d.overdue, d.late, d.met_at is not None) for d in found] == [
        ("service_due", True, False, False),
        ("initial_12h", False, False, True),
        ("plan_5_days", False, True, True),  # approved on the 20th, a day late
        ("review_due", False, False, False),
    ]


# --- numbers ------------------------------------------------------------------------------------


def test_numbers_count_per_commune_and_year(dbsession, keyring, commune, officer, no_cases):
    kon_dao = get_space(dbsession, "kon-dao")
    numbers = [
        new_case(dbsession, keyring, commune.id, officer.id).number,
        new_case(dbsession, keyring, commune.id, officer.id, received_at=T(2017, 2, 1, 3, 0)).number,
        new_case(dbsession, keyring, kon_dao.id, officer.id).number,
        # 31 December 2016 at 20:00 UTC is 1 January 2017 in Đăk Tô
        new_case(dbsession, keyring, kon_dao.id, officer.id, received_at=T(2016, 12, 31, 20, 0)).number,
        new_case(dbsession, keyring, kon_dao.id, officer.id, received_at=T(2016, 12, 31, 16, 0)).number,
    ]
    assert numbers == ["TC-2017-0001", "TC-2017-0002", "KD-2017-0001", "KD-2017-0002", "KD-2016-0001"]
    # a new year starts again from 1
    with demo_day(D(2018, 1, 3)):
        assert new_case(dbsession, keyring, commune.id, officer.id, received_at=T(2018, 1, 2, 2, 0)).number == (
            "TC-2018-0001"
        )
        assert new_case(dbsession, keyring, commune.id, officer.id, received_at=T(2017, 12, 30, 2, 0)).number == (
            "TC-2017-0003"
        )
    rows = dbsession.execute(select(Case.prefix, Case.year, Case.seq).order_by(Case.id)).all()
    assert [tuple(r) for r in rows][:3] == [("TC", 2017, 1), ("TC", 2017, 2), ("KD", 2017, 1)]


def test_a_commune_whose_initials_are_taken_gets_its_own_prefix(
    dbsession, keyring, commune, officer, factory, no_cases
):
    assert new_case(dbsession, keyring, commune.id, officer.id).number == "TC-2017-0001"
    tan_cuong = factory.space("tan-cuong")
    assert new_case(dbsession, keyring, tan_cuong.id, officer.id).number == "TC2-2017-0001"
    assert new_case(dbsession, keyring, tan_cuong.id, officer.id).number == "TC2-2017-0002"
    assert new_case(dbsession, keyring, commune.id, officer.id).number == "TC-2017-0002"


def test_a_number_taken_meanwhile_is_tried_again(dbsession, keyring, commune, officer, monkeypatch, no_cases):
    assert new_case(dbsession, keyring, commune.id, officer.id).number == "TC-2017-0001"
    kon_dao = get_space(dbsession, "kon-dao")
    real = procedure._commune_prefix
    calls = []

    def claimed_by_another(session, space):
        # the first attempt finds the letters of a commune that took TC-2017-0001 meanwhile
        calls.append(space.slug)
        return "TC" if len(calls) == 1 else real(session, space)

    monkeypatch.setattr(procedure, "_commune_prefix", claimed_by_another)
    case = new_case(dbsession, keyring, kon_dao.id, officer.id)
    assert case.number == "KD-2017-0001" and calls == ["kon-dao", "kon-dao"]
    assert read_case(keyring, case).account == ACCOUNT
    assert dbsession.scalar(select(func.count()).select_from(Case)) == 2


def test_the_database_refuses_a_second_case_with_the_same_sequence(dbsession, case):
    twin = {c.name: getattr(case, c.key) for c in Case.__table__.columns if c.name not in ("id",)}
    twin.update(reference="ZZZZZ-ZZZZZ", number="ZZ-2017-0001")
    with pytest.raises(IntegrityError), dbsession.begin_nested():
        dbsession.execute(Case.__table__.insert().values(**twin))


@pytest.fixture(scope="module")
def committed_app(tmp_path_factory):
    with running_app(tmp_path_factory, "intranet_cases") as application:
        yield application


def test_two_sessions_opening_cases_at_once_take_consecutive_numbers(committed_app):
    """Two people open a case of one commune at the same moment. The first holds the commune's
    lock until it commits; the second waits for it (on PostgreSQL the test sees it wait), then
    takes the next number. On SQLite the second one's transaction waits for the write lock."""
    app = committed_app
    factory = app.registry["dbsession_factory"]
    engine = app.registry["dbengine"]
    keyring = get_keyring(app.registry)
    postgresql = engine.dialect.name == "postgresql"
    second_started = threading.Event()
    result: dict = {}

    def second():
        try:
            with factory() as session:
                if postgresql:
                    result["pid"] = session.scalar(text("SELECT pg_backend_pid()"))
                second_started.set()
                ids = get_space(session, "tan-canh").id, get_user(session, "tancanh").id
                result["number"] = new_case(session, keyring, *ids).number
                session.commit()
        except Exception as error:  # reported by the main thread
            result["error"] = error
        finally:
            second_started.set()

    with factory() as first:
        space_id, user_id = get_space(first, "tan-canh").id, get_user(first, "tancanh").id
        before = first.scalar(select(func.max(Case.seq)).where(Case.space_id == space_id, Case.year == 2017)) or 0
        first_number = new_case(first, keyring, space_id, user_id).number
        thread = threading.Thread(target=second)
        thread.start()
        assert second_started.wait(30)
        if postgresql:
            # the second session is waiting for the first one's lock on the commune
            give_up = time.monotonic() + 30
            with engine.connect() as watcher:
                while not watcher.scalar(
                    text("SELECT cardinality(pg_blocking_pids(:pid)) > 0"), {"pid": result["pid"]}
                ):
                    assert time.monotonic() < give_up, "the second session never waited for the first"
                    time.sleep(0.01)
        first.commit()
    thread.join(60)
    assert not thread.is_alive() and "error" not in result, result.get("error")
    assert (first_number, result["number"]) == (f"TC-2017-{before + 1:04d}", f"TC-2017-{before + 2:04d}")


# --- encryption at rest -------------------------------------------------------------------------


def test_the_rows_hold_none_of_the_typed_texts(dbsession, keyring, case, officer):
    assess(dbsession, keyring, case, officer.id)
    draft_plan(dbsession, keyring, case, plan_text=PLAN, user_id=officer.id)
    approve(dbsession, case)
    service = add_service(
        dbsession, keyring, case, description=SERVICE, due_on=D(2017, 6, 30), assignee=ASSIGNEE, user_id=officer.id
    )
    record_outcome(
        dbsession, keyring, service, outcome="not_done", outcome_on=TODAY, outcome_note=OUTCOME_NOTE, user_id=officer.id
    )
    review = add_review(
        dbsession,
        keyring,
        case,
        reviewed_on=TODAY,
        harm="low",
        access="low",
        environment="low",
        decision="close",
        notes=REVIEW_NOTES,
        user_id=officer.id,
    )
    rows = {
        "cases": raw_row(dbsession, "cases", case.id),
        "case_services": raw_row(dbsession, "case_services", service.id),
        "case_reviews": raw_row(dbsession, "case_reviews", review.id),
    }
    for table, row in rows.items():
        assert shown(" | ".join(str(value) for value in row.values())) == [], table
    for model, row in ((Case, rows["cases"]), (CaseService, rows["case_services"]), (CaseReview, rows["case_reviews"])):
        # every value written is a token (the plan was never returned: no reason, nothing to encrypt)
        assert all(
            row[column].startswith(f"v1.{keyring.current}.")
            for column in model.ENCRYPTED
            if not (column == "plan_return_reason" and row[column] is None)
        ), model
    # the number, which URLs will show, says nothing of the child either
    assert shown(rows["cases"]["number"]) == [] and rows["cases"]["number"].startswith("TC-2017-")
    record = read_case(keyring, case)
    assert (record.emergency_measures, record.findings, record.plan_text) == (MEASURES, FINDINGS, PLAN)
    assert read_service(keyring, service).outcome_note == OUTCOME_NOTE


def test_a_step_not_recorded_yet_stores_nothing(dbsession, keyring, case):
    row = raw_row(dbsession, "cases", case.id)
    assert [row[c] for c in ("emergency_measures", "findings", "plan_text")] == [None, None, None]
    record = read_case(keyring, case)
    assert (record.emergency_measures, record.findings, record.plan_text, record.plan_state) == (None, None, None, None)


def test_a_token_moved_to_another_row_or_column_does_not_decrypt(dbsession, keyring, case, commune, officer):
    other = new_case(dbsession, keyring, commune.id, officer.id, account="Một sự việc khác")
    stolen = raw_row(dbsession, "cases", case.id)["account"]
    dbsession.execute(text("UPDATE cases SET account = :t WHERE id = :id"), {"t": stolen, "id": other.id})
    dbsession.expire_all()
    with pytest.raises(TamperedTokenError) as caught:
        read_case(keyring, dbsession.get(Case, other.id))
    assert shown(str(caught.value)) == []
    # the same row, another column: the account where the reporter belongs
    dbsession.execute(text("UPDATE cases SET reporter = :t WHERE id = :id"), {"t": stolen, "id": case.id})
    dbsession.expire_all()
    with pytest.raises(TamperedTokenError):
        read_case(keyring, dbsession.get(Case, case.id))


def test_the_plain_columns_identify_nobody():
    """Only these columns of a case are stored as typed; a new plain column is added here on purpose."""
    assert {c.name for c in Case.__table__.columns} - set(Case.ENCRYPTED) == {
        "id",
        "reference",
        "number",
        "prefix",
        "year",
        "seq",
        "space_id",
        "child_id",
        "case_worker_id",
        "received_at",
        "reporter_kind",
        "initial_at",
        "harm",
        "access",
        "environment",
        "in_danger",
        "separated_at",
        "detailed_at",
        "meeting_at",
        "plan_drafted_at",
        "plan_state",
        "plan_submitted_at",
        "plan_approved_at",
        "decision_number",
        "decision_date",
        "plan_round",
        "first_plan_approved_at",
        "closed_at",
        "reopened_at",
        "erased_at",
        "next_review_on",
        "created_by",
        "updated_by",
        "version",
        "created_at",
        "updated_at",
    }
    assert set(CaseService.ENCRYPTED) == {"description", "assignee", "outcome_note"}
    assert set(CaseReview.ENCRYPTED) == {"notes"}


# --- closed cases -------------------------------------------------------------------------------


@pytest.fixture
def closed(dbsession, keyring, case, officer):
    assess(dbsession, keyring, case, officer.id)
    draft_plan(dbsession, keyring, case, plan_text=PLAN, user_id=officer.id)
    approve(dbsession, case)
    service = add_service(dbsession, keyring, case, description=SERVICE, due_on=TODAY, assignee="x", user_id=officer.id)
    record_outcome(dbsession, keyring, service, outcome="done", outcome_on=TODAY, user_id=officer.id)
    add_review(
        dbsession,
        keyring,
        case,
        reviewed_on=TODAY,
        harm="low",
        access="low",
        environment="low",
        decision="close",
        user_id=officer.id,
    )
    return case, service


WRITES = {
    "link_child": lambda db, kr, case, service, u, child: link_child(db, case, child_id=child.id, user_id=u),
    "assign_case_worker": lambda db, kr, case, service, u, child: assign_case_worker(
        db, case, case_worker_id=None, user_id=u
    ),
    "initial": lambda db, kr, case, service, u, child: record_initial_assessment(
        db, kr, case, initial_at=RECEIVED, harm="low", access="low", environment="low", in_danger=False, user_id=u
    ),
    "detailed": lambda db, kr, case, service, u, child: record_detailed_assessment(
        db, kr, case, detailed_at=T(2017, 6, 13), findings="x", user_id=u
    ),
    "plan": lambda db, kr, case, service, u, child: draft_plan(db, kr, case, plan_text="x", user_id=u),
    "decision": lambda db, kr, case, service, u, child: record_decision(
        db, case, decision_number="1/QĐ-UBND", decision_date=TODAY, user_id=u
    ),
    "service": lambda db, kr, case, service, u, child: add_service(
        db, kr, case, description="x", due_on=TODAY, assignee="x", user_id=u
    ),
    "outcome": lambda db, kr, case, service, u, child: record_outcome(
        db, kr, service, outcome="not_done", outcome_on=TODAY, outcome_note="x", user_id=u
    ),
    "review": lambda db, kr, case, service, u, child: add_review(
        db, kr, case, reviewed_on=TODAY, harm="low", access="low", environment="low", decision="close", user_id=u
    ),
    "schedule": lambda db, kr, case, service, u, child: schedule_review(db, case, next_review_on=TODAY, user_id=u),
    "helper": lambda db, kr, case, service, u, child: assign_helper(db, case, helper_id=u, user_id=u),
    "remove_helper": lambda db, kr, case, service, u, child: remove_helper(db, case, helper_id=u, user_id=u),
}


@pytest.mark.parametrize("write", sorted(WRITES))
def test_a_closed_case_refuses_every_write(dbsession, keyring, closed, officer, child, write):
    case, service = closed
    before = raw_row(dbsession, "cases", case.id), raw_row(dbsession, "case_services", service.id)
    with pytest.raises(CaseError) as caught:
        WRITES[write](dbsession, keyring, case, service, officer.id, child)
    assert (caught.value.field, caught.value.code) == ("case", "closed")
    dbsession.flush()
    assert (raw_row(dbsession, "cases", case.id), raw_row(dbsession, "case_services", service.id)) == before
    assert dbsession.scalar(select(func.count()).select_from(CaseService).where(CaseService.case_id == case.id)) == 1


def test_a_reopened_case_takes_writes_again(dbsession, keyring, closed, officer):
    case, service = closed
    with pytest.raises(CaseError) as caught:
        reopen_case(dbsession, case, user_id=officer.id, next_review_on=D(2017, 6, 19))
    assert (caught.value.field, caught.value.code) == ("next_review_on", "past")
    reopen_case(dbsession, case, user_id=officer.id)
    record_outcome(
        dbsession, keyring, service, outcome="not_done", outcome_on=TODAY, outcome_note="Lý do", user_id=officer.id
    )
    assert read_service(keyring, service).outcome == "not_done"
    with pytest.raises(CaseError) as caught:
        reopen_case(dbsession, case, user_id=officer.id)
    assert caught.value.code == "not_closed"


def test_a_case_is_closed_only_when_every_service_has_its_outcome(dbsession, keyring, case, officer):
    assess(dbsession, keyring, case, officer.id)
    draft_plan(dbsession, keyring, case, plan_text=PLAN, user_id=officer.id)
    approve(dbsession, case)
    add_service(dbsession, keyring, case, description=SERVICE, due_on=TODAY, assignee="x", user_id=officer.id)
    with pytest.raises(CaseError) as caught:
        add_review(
            dbsession,
            keyring,
            case,
            reviewed_on=TODAY,
            harm="low",
            access="low",
            environment="low",
            decision="close",
            user_id=officer.id,
        )
    assert (caught.value.field, caught.value.code) == ("decision", "open_services")
    assert case.closed_at is None and dbsession.scalar(select(func.count()).select_from(CaseReview)) == 0


# --- refusals -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"received_at": T(2017, 6, 21, 2, 0)}, "received_at", "future"),
        ({"received_at": D(2017, 6, 12)}, "received_at", "invalid"),
        ({"received_at": "2017-06-12 08:30"}, "received_at", "invalid"),
        ({"reporter_kind": "rumour"}, "reporter_kind", "invalid"),
        ({"account": "   "}, "account", "required"),
        ({"account": "Tèo " * 2001}, "account", "too_long"),
        ({"reporter": "Y Blông " * 200}, "reporter", "too_long"),
        ({"case_worker_id": 10**9}, "case_worker_id", "unknown"),
    ],
)
def test_a_receipt_that_cannot_be_right_is_refused_and_nothing_stored(
    dbsession, keyring, commune, officer, changes, field, code
):
    before = dbsession.scalar(select(func.count()).select_from(Case))
    with pytest.raises(CaseError) as caught:
        new_case(dbsession, keyring, commune.id, officer.id, **changes)
    assert (caught.value.field, caught.value.code) == (field, code)
    assert str(caught.value) == f"{field}: {code}" and shown(str(caught.value)) == []
    assert dbsession.scalar(select(func.count()).select_from(Case)) == before


def test_a_child_of_another_communes_register_is_refused(dbsession, keyring, commune, officer, child):
    before = dbsession.scalar(select(func.count()).select_from(Case))
    ngoc_tu = get_space(dbsession, "ngoc-tu")
    with pytest.raises(CaseError) as caught:
        new_case(dbsession, keyring, ngoc_tu.id, officer.id, child_id=child.id)
    assert (caught.value.field, caught.value.code) == ("child_id", "not_in_register")
    with pytest.raises(CaseError):
        new_case(dbsession, keyring, commune.id, officer.id, child_id=10**9)
    assert dbsession.scalar(select(func.count()).select_from(Case)) == before
    assert new_case(dbsession, keyring, commune.id, officer.id, child_id=child.id).child_id == child.id
    with pytest.raises(ValueError, match="in a commune"):
        new_case(dbsession, keyring, get_space(dbsession, "congan").id, officer.id)


def _initial(**changes):
    values = {
        "initial_at": T(2017, 6, 12, 6, 0),
        "harm": "high",
        "access": "low",
        "environment": "low",
        "in_danger": True,
        "emergency_measures": MEASURES,
    }
    return {**values, **changes}


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"initial_at": T(2017, 6, 12, 1, 0)}, "initial_at", "before_receipt"),
        ({"initial_at": T(2017, 6, 21, 1, 0)}, "initial_at", "future"),
        ({"harm": "severe"}, "harm", "invalid"),
        ({"access": None}, "access", "invalid"),
        ({"environment": "High"}, "environment", "invalid"),
        ({"in_danger": "yes"}, "in_danger", "invalid"),
        ({"emergency_measures": " "}, "emergency_measures", "required"),
        ({"separated_at": T(2017, 6, 11)}, "separated_at", "before_receipt"),
    ],
)
def test_an_initial_assessment_that_cannot_be_right_changes_nothing(
    dbsession, keyring, case, officer, changes, field, code
):
    before = raw_row(dbsession, "cases", case.id)
    with pytest.raises(CaseError) as caught:
        record_initial_assessment(dbsession, keyring, case, user_id=officer.id, **_initial(**changes))
    assert (caught.value.field, caught.value.code) == (field, code)
    dbsession.flush()
    assert raw_row(dbsession, "cases", case.id) == before


def test_a_child_not_in_danger_needs_no_emergency_measures(dbsession, keyring, case, officer):
    record_initial_assessment(
        dbsession, keyring, case, user_id=officer.id, **_initial(in_danger=False, emergency_measures="")
    )
    assert read_case(keyring, case).emergency_measures == ""


def test_the_steps_come_in_their_order(dbsession, keyring, case, officer):
    def refused(call) -> tuple[str, str]:
        with pytest.raises(CaseError) as caught:
            call()
        return caught.value.field, caught.value.code

    detailed = lambda: record_detailed_assessment(  # noqa: E731
        dbsession, keyring, case, detailed_at=T(2017, 6, 13), findings=FINDINGS, user_id=officer.id
    )
    plan = lambda: draft_plan(dbsession, keyring, case, plan_text=PLAN, user_id=officer.id)  # noqa: E731
    service = lambda: add_service(  # noqa: E731
        dbsession, keyring, case, description=SERVICE, due_on=TODAY, assignee="x", user_id=officer.id
    )
    decision = lambda: record_decision(  # noqa: E731
        dbsession, case, decision_number="15/QĐ-UBND", decision_date=TODAY, user_id=officer.id
    )
    assert refused(detailed) == ("initial_at", "missing")
    assert refused(plan) == ("detailed_at", "missing")
    assert refused(service) == ("plan_state", "missing")
    record_initial_assessment(dbsession, keyring, case, user_id=officer.id, **_initial())
    with pytest.raises(CaseError) as caught:
        record_detailed_assessment(
            dbsession, keyring, case, detailed_at=T(2017, 6, 12, 5, 0), findings=FINDINGS, user_id=officer.id
        )
    assert caught.value.code == "before_initial"
    detailed()
    plan()
    assert refused(decision) == ("plan_state", "not_approved")
    case.plan_state = "submitted"
    assert refused(plan) == ("plan_state", "locked")
    new_plan = lambda: add_review(  # noqa: E731
        dbsession,
        keyring,
        case,
        reviewed_on=TODAY,
        harm="low",
        access="low",
        environment="low",
        decision="new_plan",
        user_id=officer.id,
    )
    assert refused(new_plan) == ("decision", "no_approved_plan")
    case.plan_state = "returned"
    plan()  # a returned plan is written again; its state is the workflow's to move
    assert case.plan_state == "returned"


@pytest.mark.parametrize(
    ("call", "field", "code"),
    [
        (lambda db, kr, case, u: record_decision(db, case, decision_number=" ", decision_date=TODAY, user_id=u), "decision_number", "required"),
        (lambda db, kr, case, u: record_decision(db, case, decision_number="1", decision_date=D(2017, 6, 21), user_id=u), "decision_date", "future"),
        (lambda db, kr, case, u: record_decision(db, case, decision_number="1", decision_date=T(2017, 6, 19), user_id=u), "decision_date", "invalid"),
        (lambda db, kr, case, u: add_service(db, kr, case, description="", due_on=TODAY, assignee="x", user_id=u), "description", "required"),
        (lambda db, kr, case, u: add_service(db, kr, case, description="x", due_on=TODAY, user_id=u), "assignee", "required"),
        (lambda db, kr, case, u: add_service(db, kr, case, description="x", due_on=TODAY, assigned_space_id=10**9, user_id=u), "assigned_space_id", "unknown"),
        (lambda db, kr, case, u: add_service(db, kr, case, description="x", due_on=D(2017, 6, 1), assignee="x", user_id=u), "due_on", "before_receipt"),
        (lambda db, kr, case, u: add_review(db, kr, case, reviewed_on=TODAY, harm="low", access="low", environment="low", decision="wait", user_id=u), "decision", "invalid"),
        (lambda db, kr, case, u: add_review(db, kr, case, reviewed_on=D(2017, 6, 21), harm="low", access="low", environment="low", decision="new_plan", user_id=u), "reviewed_on", "future"),
        (lambda db, kr, case, u: add_review(db, kr, case, reviewed_on=TODAY, harm="none", access="low", environment="low", decision="new_plan", user_id=u), "harm", "invalid"),
        (lambda db, kr, case, u: add_review(db, kr, case, reviewed_on=TODAY, harm="low", access="low", environment="low", decision="new_plan", next_review_on=D(2017, 6, 1), user_id=u), "next_review_on", "past"),
        (lambda db, kr, case, u: schedule_review(db, case, next_review_on=D(2017, 6, 19), user_id=u), "next_review_on", "past"),
        (lambda db, kr, case, u: assign_helper(db, case, helper_id=u, user_id=u), "helper_id", "case_worker"),
        (lambda db, kr, case, u: assign_helper(db, case, helper_id=10**9, user_id=u), "helper_id", "unknown"),
    ],
)  # fmt: skip
def test_a_later_step_that_cannot_be_right_changes_nothing(dbsession, keyring, case, officer, call, field, code):
    assess(dbsession, keyring, case, officer.id)
    draft_plan(dbsession, keyring, case, plan_text=PLAN, user_id=officer.id)
    approve(dbsession, case)
    before = raw_row(dbsession, "cases", case.id)
    with pytest.raises(CaseError) as caught:
        call(dbsession, keyring, case, officer.id)
    assert (caught.value.field, caught.value.code) == (field, code)
    dbsession.flush()
    assert raw_row(dbsession, "cases", case.id) == before
    for model in (CaseService, CaseReview, CaseHelper):
        assert dbsession.scalar(select(func.count()).select_from(model).where(model.case_id == case.id)) == 0


def test_an_outcome_not_done_says_why(dbsession, keyring, case, officer):
    assess(dbsession, keyring, case, officer.id)
    draft_plan(dbsession, keyring, case, plan_text=PLAN, user_id=officer.id)
    service = add_service(dbsession, keyring, case, description=SERVICE, due_on=TODAY, assignee="x", user_id=officer.id)
    for changes, field, code in [
        ({"outcome": "not_done", "outcome_note": ""}, "outcome_note", "required"),
        ({"outcome": "maybe"}, "outcome", "invalid"),
        ({"outcome": "done", "outcome_on": D(2017, 6, 21)}, "outcome_on", "future"),
    ]:
        values = {"outcome_on": TODAY, **changes}
        with pytest.raises(CaseError) as caught:
            record_outcome(dbsession, keyring, service, user_id=officer.id, **values)
        assert (caught.value.field, caught.value.code) == (field, code)
    dbsession.flush()
    row = raw_row(dbsession, "case_services", service.id)
    assert (row["outcome"], row["outcome_on"], row["outcome_note"]) == (None, None, None)


# --- versions -----------------------------------------------------------------------------------


def test_a_save_over_a_newer_version_is_refused(dbsession, keyring, case, officer):
    opened_at = case.version
    record_initial_assessment(dbsession, keyring, case, user_id=officer.id, expected_version=opened_at, **_initial())
    assert case.version == opened_at + 1
    with pytest.raises(CaseError) as caught:
        record_initial_assessment(
            dbsession, keyring, case, user_id=officer.id, expected_version=opened_at, **_initial(harm="low")
        )
    assert (caught.value.field, caught.value.code) == ("version", "stale")
    assert case.harm == "high"


def test_a_save_overtaken_by_another_is_refused(dbsession, keyring, case, officer):
    # another request saved the case after this one read it
    dbsession.execute(text("UPDATE cases SET version = version + 1 WHERE id = :id"), {"id": case.id})
    with pytest.raises(CaseError) as caught:
        record_initial_assessment(dbsession, keyring, case, user_id=officer.id, **_initial())
    assert caught.value.code == "stale"


def test_a_service_added_moves_the_cases_version(dbsession, keyring, case, officer):
    assess(dbsession, keyring, case, officer.id)
    draft_plan(dbsession, keyring, case, plan_text=PLAN, user_id=officer.id)
    opened_at = case.version
    add_service(dbsession, keyring, case, description=SERVICE, due_on=TODAY, assignee="x", user_id=officer.id)
    assert raw_row(dbsession, "cases", case.id)["version"] == opened_at + 1


# --- the case team ------------------------------------------------------------------------------


def test_the_case_team_is_the_case_worker_and_the_helpers(dbsession, case, officer, factory):
    helper, other = factory.user(), factory.user()
    assert case_team_ids(dbsession, case) == {officer.id}
    first = assign_helper(dbsession, case, helper_id=helper.id, user_id=officer.id)
    assert assign_helper(dbsession, case, helper_id=helper.id, user_id=officer.id).id == first.id  # once
    assign_helper(dbsession, case, helper_id=other.id, user_id=officer.id)
    assert case_team_ids(dbsession, case) == {officer.id, helper.id, other.id}
    assert remove_helper(dbsession, case, helper_id=other.id, user_id=officer.id)
    assert not remove_helper(dbsession, case, helper_id=other.id, user_id=officer.id)
    assign_case_worker(dbsession, case, case_worker_id=None, user_id=officer.id)
    assert case_team_ids(dbsession, case) == {helper.id}
    with pytest.raises(IntegrityError), dbsession.begin_nested():
        dbsession.add(CaseHelper(case_id=case.id, user_id=helper.id))
        dbsession.flush()


# --- the migration ------------------------------------------------------------------------------


def test_the_migration_goes_down_and_up_again(tmp_path_factory):
    from alembic import command
    from sqlalchemy import create_engine

    from intranet.cli import alembic_config, db_upgrade
    from intranet.config import resolve_settings
    from tests.fixtures.database import base_settings, throwaway_database

    tables = {"cases", "case_helpers", "case_services", "case_reviews"}
    with throwaway_database(tmp_path_factory, "intranet_cases_mig") as url:
        settings = resolve_settings(base_settings(url))
        db_upgrade(settings)
        cfg = alembic_config(settings)
        command.downgrade(cfg, "0009_child_protection_officers")
        engine = create_engine(settings["sqlalchemy.url"])
        try:
            with engine.connect() as conn:
                names = set(inspect(conn).get_table_names())
                assert not tables & names and "children" in names
            command.upgrade(cfg, "heads")
            with engine.connect() as conn:
                assert tables <= set(inspect(conn).get_table_names())
        finally:
            engine.dispose()
