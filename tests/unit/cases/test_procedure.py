"""A case's stage and deadlines are computed from what has been filled (issue 11, section 2):
every step of Decree 56/2017 moves the stage, a reopened case goes back to what its data say, the
12 hours are plain hours, the 5 working days skip weekends and Tết, overdue deadlines come first,
and a year whose holidays are unknown gives an unknown deadline instead of an error."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from intranet.cases.calendar import calendar_from_data
from intranet.cases.models import REPORTER_KINDS, Case, CaseService
from intranet.cases.procedure import (
    DEADLINE_KINDS,
    DEADLINE_LABELS,
    REPORTER_KIND_LABELS,
    STAGE_LABELS,
    STAGES,
    CaseError,
    CaseRecord,
    ReviewRecord,
    ServiceRecord,
    case_number,
    deadlines,
    slug_prefix,
    stage,
)

D = dt.date
T = dt.datetime

#: Wednesday 1 March 2017, 09:00 in Đăk Tô (02:00 UTC).
RECEIVED = T(2017, 3, 1, 2, 0)
SERVICE_DUE = D(2017, 3, 20)


def case(**values) -> Case:
    base = {"received_at": RECEIVED, "reporter_kind": "hotline_111", "plan_round": 1}
    return Case(**{**base, **values})


def service(service_id: int, outcome=None, *, due_on=SERVICE_DUE, plan_round=1) -> CaseService:
    return CaseService(id=service_id, plan_round=plan_round, due_on=due_on, outcome=outcome)


def kinds(found) -> list[str]:
    return [d.kind for d in found]


def one(found, kind):
    (deadline,) = [d for d in found if d.kind == kind]
    return deadline


# --- the stage ----------------------------------------------------------------------------------


def test_the_stage_follows_every_step_of_the_procedure():
    c = case()
    seen = [stage(c, [], [])]
    c.initial_at = T(2017, 3, 1, 5, 0)
    seen.append(stage(c, [], []))
    c.detailed_at = T(2017, 3, 2, 5, 0)
    seen.append(stage(c, [], []))
    c.plan_state = "draft"
    seen.append(stage(c, [], []))
    c.plan_state = "submitted"
    seen.append(stage(c, [], []))
    c.plan_state = "approved"
    seen.append(stage(c, [], []))
    services = [service(1), service(2, "done")]
    seen.append(stage(c, services, []))
    services[0].outcome = "not_done"
    seen.append(stage(c, services, []))
    c.closed_at = T(2017, 4, 1, 3, 0)
    seen.append(stage(c, services, []))
    assert seen == list(STAGES)


def test_a_returned_plan_is_being_drafted_again():
    c = case(initial_at=RECEIVED, detailed_at=RECEIVED, plan_state="returned")
    assert stage(c) == "plan_drafted"


def test_a_reopened_case_goes_back_to_what_its_data_say():
    c = case(initial_at=RECEIVED, detailed_at=RECEIVED, plan_state="approved", closed_at=T(2017, 4, 1))
    services = [service(1, "done")]
    assert stage(c, services) == "closed"
    c.closed_at, c.reopened_at = None, T(2017, 4, 3)
    assert stage(c, services) == "under_review"
    # reopened before any plan: back to the step its data reached
    early = case(initial_at=RECEIVED, closed_at=T(2017, 3, 2))
    early.closed_at, early.reopened_at = None, T(2017, 3, 5)
    assert stage(early) == "initial_assessment_done"


def test_only_the_current_plans_services_count():
    # a review asked for a new plan (round 2), now approved: the first plan's done services do not
    # make it "under review"
    c = case(initial_at=RECEIVED, detailed_at=RECEIVED, plan_state="approved", plan_round=2)
    old = [service(1, "done", plan_round=1)]
    assert stage(c, old) == "plan_approved"
    assert stage(c, [*old, service(2, plan_round=2)]) == "in_progress"
    assert stage(c, [*old, service(2, "done", plan_round=2)]) == "under_review"


def test_the_stage_reads_records_as_well_as_rows():
    record = ServiceRecord(
        id=1,
        case_id=1,
        plan_round=1,
        assigned_space_id=None,
        due_on=D(2017, 3, 20),
        outcome=None,
        outcome_on=None,
        created_by=None,
        outcome_by=None,
        description="x",
        assignee="y",
        outcome_note=None,
    )
    c = case(initial_at=RECEIVED, detailed_at=RECEIVED, plan_state="approved")
    assert stage(c, [record]) == "in_progress"


def test_every_stage_deadline_and_reporter_has_a_label():
    assert set(STAGE_LABELS) == set(STAGES)
    assert set(DEADLINE_LABELS) == set(DEADLINE_KINDS)
    assert set(REPORTER_KIND_LABELS) == set(REPORTER_KINDS)
    assert all(label.domain == "intranet" for label in STAGE_LABELS.values())


# --- the 12 hours -------------------------------------------------------------------------------


def test_the_initial_assessment_is_due_12_plain_hours_after_the_receipt():
    c = case()
    due = T(2017, 3, 1, 14, 0)
    before = one(deadlines(c, [], T(2017, 3, 1, 13, 59)), "initial_12h")
    assert (before.due, before.met_at, before.overdue) == (due, None, False)
    after = one(deadlines(c, [], T(2017, 3, 1, 14, 1)), "initial_12h")
    assert after.overdue and after.met_at is None
    # over a night and a weekend alike: received on Friday 20:00 in Đăk Tô, due Saturday 08:00
    friday = case(received_at=T(2017, 3, 3, 13, 0))
    assert one(deadlines(friday, [], T(2017, 3, 3, 13, 0)), "initial_12h").due == T(2017, 3, 4, 1, 0)


def test_an_initial_assessment_recorded_in_time_meets_it_and_a_later_one_is_late():
    on_time = case(initial_at=T(2017, 3, 1, 9, 0), in_danger=True)
    met = one(deadlines(on_time, [], T(2017, 3, 9)), "initial_12h")
    assert (met.met_at, met.overdue, met.late) == (T(2017, 3, 1, 9, 0), False, False)
    late = case(initial_at=T(2017, 3, 1, 15, 0))
    met = one(deadlines(late, [], T(2017, 3, 9)), "initial_12h")
    assert (met.met_at, met.overdue, met.late) == (T(2017, 3, 1, 15, 0), False, True)


# --- the 5 working days -------------------------------------------------------------------------


def test_the_plan_is_due_5_working_days_after_the_receipt_day_across_a_weekend():
    c = case()  # Wednesday 01/03/2017: Thu 2, Fri 3, Mon 6, Tue 7, Wed 8
    plan = one(deadlines(c, [], T(2017, 3, 8, 16, 0)), "plan_5_days")  # 23:00 on the 8th, local
    assert (plan.due, plan.overdue, plan.unknown) == (D(2017, 3, 8), False, False)
    assert one(deadlines(c, [], T(2017, 3, 8, 17, 0)), "plan_5_days").overdue  # 00:00 on the 9th
    friday = case(received_at=T(2017, 3, 3, 2, 0))
    assert one(deadlines(friday, [], RECEIVED), "plan_5_days").due == D(2017, 3, 10)


def test_the_receipt_day_is_the_day_in_dak_to():
    # 20:00 UTC on Thursday 2 March is 03:00 on Friday 3 March in Đăk Tô: counted from the Friday
    c = case(received_at=T(2017, 3, 2, 20, 0))
    assert one(deadlines(c, [], T(2017, 3, 3)), "plan_5_days").due == D(2017, 3, 10)


@pytest.mark.parametrize(
    ("received_on", "due"),
    [
        # Tết Đinh Dậu: offices closed Thursday 26/01 to Wednesday 01/02/2017
        (D(2017, 1, 25), D(2017, 2, 8)),
        (D(2017, 1, 24), D(2017, 2, 7)),
        # Tết Mậu Tuất: offices closed Wednesday 14/02 to Tuesday 20/02/2018
        (D(2018, 2, 13), D(2018, 2, 27)),
        (D(2018, 2, 12), D(2018, 2, 26)),
    ],
)
def test_the_5_working_days_skip_tet(received_on, due):
    c = case(received_at=T.combine(received_on, dt.time(3, 0)))
    plan = one(deadlines(c, [], T.combine(received_on, dt.time(4, 0))), "plan_5_days")
    assert (plan.due, plan.overdue) == (due, False)
    assert one(deadlines(c, [], T.combine(due + dt.timedelta(days=1), dt.time(1, 0))), "plan_5_days").overdue


def test_the_first_plans_approval_meets_the_5_days_even_after_a_new_plan():
    c = case(plan_state="approved", plan_approved_at=T(2017, 3, 7, 3, 0))
    met = one(deadlines(c, [], T(2017, 4, 1)), "plan_5_days")
    assert (met.met_at, met.overdue, met.late) == (T(2017, 3, 7, 3, 0), False, False)
    # a review asked for a new plan, approved much later: the first approval is what counts
    again = case(
        plan_state="approved",
        plan_round=2,
        first_plan_approved_at=T(2017, 3, 7, 3, 0),
        plan_approved_at=T(2017, 5, 2, 3, 0),
    )
    assert one(deadlines(again, [], T(2017, 6, 1)), "plan_5_days").met_at == T(2017, 3, 7, 3, 0)
    late = case(plan_state="approved", plan_approved_at=T(2017, 3, 9, 3, 0))
    assert one(deadlines(late, [], T(2017, 4, 1)), "plan_5_days").late


def test_a_year_without_holiday_data_gives_an_unknown_deadline_not_an_error():
    only_2017 = calendar_from_data({2017: {"status": "decided", "source": "test", "days_off": {}}})
    # received in the last days of 2017: the fifth working day falls in 2018, which is unknown here
    c = case(received_at=T(2017, 12, 27, 3, 0))
    plan = one(deadlines(c, [], T(2017, 12, 27, 4, 0), calendar=only_2017), "plan_5_days")
    assert (plan.unknown, plan.due, plan.overdue) == (True, None, False)
    # the other deadlines are still computed
    assert one(deadlines(c, [], T(2017, 12, 27, 4, 0), calendar=only_2017), "initial_12h").due == T(2017, 12, 27, 15)
    # the same with the holidays of holidays.yaml: a year it does not hold yet
    far = case(received_at=T(2099, 3, 2, 3, 0))
    assert one(deadlines(far, [], T(2099, 3, 2, 4, 0)), "plan_5_days").unknown
    # earlier in the year, the 2017-only calendar knows every day
    assert one(deadlines(case(), [], RECEIVED, calendar=only_2017), "plan_5_days").due == D(2017, 3, 8)


# --- services, reviews, order -------------------------------------------------------------------


def test_each_open_service_has_a_due_day_and_done_ones_none():
    c = case(initial_at=RECEIVED, plan_state="approved", plan_approved_at=RECEIVED)
    services = [service(1, due_on=D(2017, 3, 20)), service(2, "done", due_on=D(2017, 3, 10))]
    found = deadlines(c, services, T(2017, 3, 21, 3, 0))
    due = [d for d in found if d.kind == "service_due"]
    assert [(d.service_id, d.due, d.overdue) for d in due] == [(1, D(2017, 3, 20), True)]
    assert not one(deadlines(c, services, T(2017, 3, 20, 3, 0)), "service_due").overdue


def test_overdue_deadlines_come_first_then_by_due_time():
    c = case(next_review_on=D(2017, 3, 15))
    services = [service(7, due_on=D(2017, 3, 3)), service(8, due_on=D(2017, 3, 30))]
    found = deadlines(c, services, T(2017, 3, 6, 3, 0))  # Monday 6 March
    assert [(d.kind, d.overdue) for d in found] == [
        ("initial_12h", True),  # due 1 March 14:00 UTC
        ("service_due", True),  # due 3 March
        ("plan_5_days", False),  # due 8 March
        ("review_due", False),  # 15 March
        ("service_due", False),  # 30 March
    ]
    later = deadlines(c, services, T(2017, 3, 16, 3, 0))
    assert kinds(later) == ["initial_12h", "service_due", "plan_5_days", "review_due", "service_due"]
    assert [d.overdue for d in later] == [True, True, True, True, False]
    # a met deadline is not overdue: it sorts among the others by its due time
    c.initial_at = T(2017, 3, 1, 5, 0)
    assert [(d.kind, d.overdue) for d in deadlines(c, services, T(2017, 3, 6, 3, 0))][:2] == [
        ("service_due", True),
        ("initial_12h", False),
    ]


def test_a_closed_case_lists_only_what_it_met():
    c = case(
        initial_at=T(2017, 3, 1, 5, 0),
        closed_at=T(2017, 3, 2, 5, 0),
        next_review_on=D(2017, 3, 20),
    )
    found = deadlines(c, [], T(2017, 6, 1))
    assert kinds(found) == ["initial_12h"] and found[0].met_at == T(2017, 3, 1, 5, 0)


def test_now_may_be_given_with_a_time_zone():
    c = case()
    aware = dt.datetime(2017, 3, 1, 21, 1, tzinfo=dt.timezone(dt.timedelta(hours=7)))  # 14:01 UTC
    assert one(deadlines(c, [], aware), "initial_12h").overdue


# --- numbers and records ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("slug", "prefix"),
    [("tan-canh", "TC"), ("kon-dao", "KD"), ("dak-ro-nga", "DRN"), ("tt-dak-to", "TDT"), ("po-ko", "PK")],
)
def test_a_communes_prefix_is_its_slugs_initials(slug, prefix):
    assert slug_prefix(slug) == prefix


def test_a_case_number_has_a_four_digit_sequence():
    assert case_number("TC", 2017, 3) == "TC-2017-0003"
    assert case_number("KD", 2018, 12345) == "KD-2018-12345"


def test_records_and_errors_show_no_free_text():
    secret = "Nguyễn Thị Hoà bị đánh"
    fields = {f.name: None for f in dataclasses.fields(CaseRecord)}
    record = CaseRecord(
        **{**fields, "reporter": secret, "account": secret, "findings": secret, "number": "TC-2017-0001"}
    )
    assert secret not in repr(record) and "TC-2017-0001" in repr(record)
    review = ReviewRecord(
        id=1,
        case_id=1,
        reviewed_on=D(2017, 5, 1),
        harm="low",
        access="low",
        environment="low",
        decision="close",
        created_by=None,
        notes=secret,
    )
    assert secret not in repr(review)
    error = CaseError("account", "too_long", "message")
    assert str(error) == "account: too_long" and (error.field, error.code) == ("account", "too_long")
    assert repr(Case(number="TC-2017-0001")) == "<Case TC-2017-0001>"
