"""The procedure of a child-protection case (Decree 56/2017/NĐ-CP, Articles 25-30; issue 11,
section 2): what the case pages, the dashboards and the commands will share.

1. Receipt of the report (Mẫu 01): :func:`open_case` gives the case its number, such as
   ``TC-2017-0003`` (the commune's letters, the year of the receipt in Đăk Tô, the case's rank in
   that commune and year), never a name.
2. Initial assessment (Mẫu 02): :func:`record_initial_assessment`, with the emergency measures of
   a child in danger; both are due within 12 hours of the receipt.
3. Detailed assessment and the case meeting (Mẫu 03): :func:`record_detailed_assessment`.
4. The support and intervention plan (Mẫu 04): :func:`draft_plan`; its approval (draft ->
   submitted -> approved / returned) runs on the workflow engine over ``Case.plan_state``; once
   approved, :func:`record_decision` keeps the approving decision's number and date (Mẫu 05).
5. Carrying out the plan: :func:`add_service` and :func:`record_outcome`.
6. Review (Mẫu 06): :func:`add_review` closes the case or asks for a new plan; a closed case is
   read-only until :func:`reopen_case`.

The stage (:func:`stage`) and the deadlines (:func:`deadlines`) are computed from what has been
filled, never stored. As in :mod:`intranet.cases.services`, every free text that may identify a
child goes through the keyring here and nowhere else, bound to its row's random reference and
column; the records that :func:`read_case`, :func:`read_service` and :func:`read_review` return
leave the decrypted texts out of their ``repr``; and no message of this module holds a value a
person typed: a :class:`CaseError` names the field and what is wrong with it.

Every write checks that the case is not closed and, when the form says at which version it was
opened (``expected_version``), that nobody saved the case since; and every write, to the case's
services, reviews and helpers too, advances the case's version, so that two people saving one
case at once cannot both succeed (the second gets ``code`` "stale", never a silent overwrite) and
a service cannot slip into a case that is being closed.

Times are stored in UTC without a zone (``intranet.clock.utcnow``); an aware time given is turned
into UTC first. Days (due dates, decisions, reviews) are calendar days in Đăk Tô.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from dataclasses import dataclass, field

from sqlalchemy import Date, DateTime, Integer, bindparam, cast, func, literal_column, null, select, union_all
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from intranet import clock
from intranet.accounts.models import User
from intranet.cases.calendar import (
    EMERGENCY_HOURS,
    PLAN_WORKING_DAYS,
    HolidayCalendar,
    HolidaysUnknownError,
    deadline_5_working_days,
    deadline_12_hours,
)
from intranet.cases.crypto import Keyring
from intranet.cases.models import (
    OUTCOMES,
    REPORTER_KINDS,
    REVIEW_DECISIONS,
    RISK_LEVELS,
    Case,
    CaseHelper,
    CaseReferral,
    CaseReview,
    CaseService,
    Child,
)
from intranet.cases.services import new_reference, token_context
from intranet.cases.workflow import WORKFLOW, PlanDocument
from intranet.i18n import MIN_DATE_YEAR, _, local_date, to_local, utc_start_of
from intranet.spaces.models import Membership, Space

#: The longest text each field takes, in characters.
MAX_LENGTHS = {
    "comment": 4000,
    "reporter": 1000,
    "account": 8000,
    "emergency_measures": 4000,
    "findings": 8000,
    "plan_text": 8000,
    "decision_number": 50,
    "description": 2000,
    "assignee": 500,
    "outcome_note": 2000,
    "notes": 4000,
}
#: How many times a case number is tried when another case took it meanwhile.
NUMBER_ATTEMPTS = 5
#: The longest commune prefix taken from a slug's initials.
PREFIX_LETTERS = 8

#: The stages of a case, in the order the procedure goes through them.
STAGES = (
    "received",
    "initial_assessment_done",
    "detailed_assessment_done",
    "plan_drafted",
    "plan_submitted",
    "plan_approved",
    "in_progress",
    "under_review",
    "closed",
)
STAGE_LABELS = {
    "received": _("Report received"),
    "initial_assessment_done": _("Initial assessment done"),
    "detailed_assessment_done": _("Detailed assessment done"),
    "plan_drafted": _("Support and intervention plan being drafted"),
    "plan_submitted": _("Support and intervention plan submitted for approval"),
    "plan_approved": _("Support and intervention plan approved"),
    "in_progress": _("Carrying out the plan"),
    "under_review": _("Awaiting the review of the case"),
    "closed": _("Case closed"),
}
REPORTER_KIND_LABELS = {
    "hotline_111": _("National child protection hotline 111"),
    "police": _("Police"),
    "school": _("School"),
    "health": _("Health facility"),
    "family": _("Family"),
    "child": _("The child"),
    "neighbour": _("Neighbour, community"),
    "other": _("Someone else"),
}
RISK_LABELS = {"high": _("High risk"), "medium": _("Medium risk"), "low": _("Low risk")}
OUTCOME_LABELS = {"done": _("Done"), "not_done": _("Not done")}
REVIEW_DECISION_LABELS = {"close": _("Close the case"), "new_plan": _("Draw up a new plan")}
DEADLINE_LABELS = {
    "initial_12h": _("Initial assessment within 12 hours of the receipt"),
    "plan_5_days": _("Plan approved within 5 working days of the receipt"),
    "service_due": _("Service due"),
    "review_due": _("Review due"),
}
#: The order of deadlines that fall due together.
DEADLINE_KINDS = tuple(DEADLINE_LABELS)

MSG_CLOSED = _("This case is closed: reopen it to change it.")
MSG_NOT_CLOSED = _("Only a closed case can be reopened.")
MSG_STALE = _("Someone else saved this case while you were editing it.")
MSG_NUMBER_BUSY = _("Several cases were opened at the same moment: please save again.")
MSG_TIME = _("Enter a date and time (dd/mm/yyyy hh:mm).")
MSG_DAY = _("Enter a date (dd/mm/yyyy).")
MSG_FUTURE_TIME = _("This time cannot be later than now.")
MSG_FUTURE_DAY = _("This date cannot be later than today.")
MSG_PAST_DAY = _("This date cannot be earlier than today.")
MSG_BEFORE_RECEIPT = _("This cannot be earlier than the receipt of the report.")
MSG_BEFORE_INITIAL = _("The detailed assessment cannot be earlier than the initial assessment.")
MSG_REPORTER_KIND = _("Choose who reported from the list.")
MSG_ACCOUNT = _("Say what happened, as it was reported.")
MSG_CHILD = _("Choose a child from the commune's register.")
MSG_USER = _("Choose a user from the list.")
MSG_UNIT = _("Choose a unit from the list.")
MSG_RISK = _("Choose high, medium or low.")
MSG_IN_DANGER = _("Say whether the child is in danger.")
MSG_EMERGENCY = _("Record the emergency measures taken for a child in danger.")
MSG_FINDINGS = _("Record what the detailed assessment found.")
MSG_PLAN_TEXT = _("Write the plan's objectives and measures.")
MSG_NEEDS_INITIAL = _("Record the initial assessment first.")
MSG_NEEDS_DETAILED = _("Record the detailed assessment first.")
MSG_NEEDS_PLAN = _("Draw up the support and intervention plan first.")
MSG_PLAN_LOCKED = _("The plan cannot be changed while it is submitted or approved.")
MSG_NOT_APPROVED = _("The decision is recorded once the plan is approved.")
MSG_DECISION_NUMBER = _("Enter the decision's number and symbol, such as 15/QĐ-UBND.")
MSG_SERVICE = _("Say what service or intervention is to be given.")
MSG_ASSIGNEE = _("Name the unit or the person who carries it out.")
MSG_OUTCOME = _("Choose done or not done.")
MSG_OUTCOME_WHY = _("Say why the service was not done.")
MSG_DECISION = _("Choose to close the case or to draw up a new plan.")
MSG_OPEN_SERVICES = _("Record the outcome of every service before closing the case.")
MSG_RETURN_REASON = _("Say why the plan is returned: what the case team should change.")
MSG_NEW_PLAN = _("A new plan follows an approved plan.")
MSG_HELPER_IS_WORKER = _("The case worker is on the case team already.")
MSG_NOT_HELPER = _("This officer is not a helper on the case.")
MSG_NO_SERVICE = _("This service is not one of the case's services.")


class CaseError(ValueError):
    """A value or a step the procedure refuses: ``field`` and ``code`` say which and why to the
    program, ``message`` (a translation string) to the person. Neither holds the value itself."""

    def __init__(self, field: str, code: str, message):
        super().__init__(f"{field}: {code}")
        self.field = field
        self.code = code
        self.message = message


@dataclass(frozen=True)
class CaseRecord:
    """A case decrypted. The free texts stay out of the ``repr``."""

    id: int
    reference: str
    number: str
    space_id: int
    child_id: int | None
    case_worker_id: int | None
    version: int
    received_at: dt.datetime
    reporter_kind: str
    initial_at: dt.datetime | None
    harm: str | None
    access: str | None
    environment: str | None
    in_danger: bool | None
    separated_at: dt.datetime | None
    detailed_at: dt.datetime | None
    meeting_at: dt.datetime | None
    plan_drafted_at: dt.datetime | None
    plan_state: str | None
    plan_submitted_at: dt.datetime | None
    plan_approved_at: dt.datetime | None
    first_plan_approved_at: dt.datetime | None
    decision_number: str | None
    decision_date: dt.date | None
    plan_round: int
    closed_at: dt.datetime | None
    reopened_at: dt.datetime | None
    next_review_on: dt.date | None
    created_by: int | None
    updated_by: int | None
    reporter: str = field(repr=False)
    account: str = field(repr=False)
    emergency_measures: str | None = field(repr=False)
    findings: str | None = field(repr=False)
    plan_text: str | None = field(repr=False)
    #: Why the chairman returned the plan, the last time it was returned.
    plan_return_reason: str | None = field(repr=False, default=None)


@dataclass(frozen=True)
class ServiceRecord:
    """A service of the plan decrypted; what it is, who gives it and the outcome's note stay out
    of the ``repr``."""

    id: int
    case_id: int
    plan_round: int
    assigned_space_id: int | None
    due_on: dt.date
    outcome: str | None
    outcome_on: dt.date | None
    created_by: int | None
    outcome_by: int | None
    description: str = field(repr=False)
    assignee: str = field(repr=False)
    outcome_note: str | None = field(repr=False)


@dataclass(frozen=True)
class ReviewRecord:
    """A review decrypted; its notes stay out of the ``repr``."""

    id: int
    case_id: int
    reviewed_on: dt.date
    harm: str
    access: str
    environment: str
    decision: str
    created_by: int | None
    notes: str = field(repr=False)


@dataclass(frozen=True)
class Deadline:
    """One deadline of a case.

    ``due`` is a UTC time (``initial_12h``), a day in Đăk Tô (the others), or None when the
    holidays of its year are not known yet (``unknown``). ``met_at`` is when it was met (None while
    open); ``overdue`` says an open deadline has passed, ``late`` that a met one was met after it.
    ``service_id`` names the service of a ``service_due``.
    """

    kind: str
    due: dt.datetime | dt.date | None
    met_at: dt.datetime | None = None
    overdue: bool = False
    late: bool = False
    unknown: bool = False
    service_id: int | None = None


# --- numbers ------------------------------------------------------------------------------------


def slug_prefix(slug: str) -> str:
    """The initials of a unit's slug, upper-cased: ``tan-canh`` -> ``TC``, ``dak-ro-nga`` -> ``DRN``."""
    initials = "".join(part[0] for part in re.split(r"[^a-z0-9]+", slug.lower()) if part)
    return (initials[:PREFIX_LETTERS] or "X").upper()


def case_number(prefix: str, year: int, seq: int) -> str:
    """``TC-2017-0003``: the prefix, the year, the sequence on at least four digits."""
    return f"{prefix}-{year}-{seq:04d}"


def _commune_prefix(dbsession, space: Space) -> str:
    """The prefix of the commune's cases: the one its cases have (a commune keeps its letters),
    else the initials of its slug, with 2, 3, ... added when another commune has those letters."""
    kept = dbsession.scalar(select(Case.prefix).where(Case.space_id == space.id).order_by(Case.id.desc()).limit(1))
    if kept:
        return kept
    base = slug_prefix(space.slug)
    taken = set(
        dbsession.scalars(select(Case.prefix).where(Case.space_id != space.id, Case.prefix.startswith(base)).distinct())
    )
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}{n}", n + 1
    return candidate


# --- Mẫu 01: receipt ----------------------------------------------------------------------------


def open_case(
    dbsession,
    keyring: Keyring,
    space_id: int,
    *,
    received_at: dt.datetime,
    reporter_kind: str,
    reporter: str,
    account: str,
    child_id: int | None = None,
    case_worker_id: int | None,
    user_id: int | None,
) -> Case:
    """A new case of the commune ``space_id`` from a report received at ``received_at`` (Mẫu 01).

    The number's sequence is taken under a lock on the commune's row (``FOR NO KEY UPDATE`` on
    PostgreSQL; SQLite's write lock), so that two cases opened at once in one commune queue for
    it; the unique (commune, year, sequence) and number stay the last word, and a number taken
    meanwhile (two new communes with the same initials) is tried again.
    """
    space = dbsession.get(Space, space_id)
    if space is None or space.category != "commune":
        raise ValueError("A case is opened in a commune.")
    now = clock.utcnow()
    received_at = _moment("received_at", received_at, now=now)
    if reporter_kind not in REPORTER_KINDS:
        raise CaseError("reporter_kind", "invalid", MSG_REPORTER_KIND)
    texts = {
        "reporter": _text("reporter", reporter),
        "account": _text("account", account, required=MSG_ACCOUNT),
    }
    if child_id is not None:
        _check_child(dbsession, space_id, child_id)
    if case_worker_id is not None:
        _check_user(dbsession, "case_worker_id", case_worker_id)
    year = local_date(received_at).year
    for _attempt in range(NUMBER_ATTEMPTS):
        # Locks the commune's row until the transaction ends, without blocking what refers to it.
        dbsession.execute(select(Space.id).where(Space.id == space_id).with_for_update(key_share=True))
        prefix = _commune_prefix(dbsession, space)
        seq = (
            dbsession.scalar(select(func.max(Case.seq)).where(Case.space_id == space_id, Case.year == year)) or 0
        ) + 1
        reference = new_reference()
        case = Case(
            reference=reference,
            number=case_number(prefix, year, seq),
            prefix=prefix,
            year=year,
            seq=seq,
            space_id=space_id,
            child_id=child_id,
            case_worker_id=case_worker_id,
            received_at=received_at,
            reporter_kind=reporter_kind,
            plan_round=1,
            created_by=user_id,
            updated_by=user_id,
            **_encrypted(keyring, Case, reference, texts),
        )
        try:
            with dbsession.begin_nested():
                dbsession.add(case)
        except IntegrityError:
            continue  # the number (or the random reference) was taken meanwhile: take the next one
        return case
    raise CaseError("number", "busy", MSG_NUMBER_BUSY)


def link_child(dbsession, case: Case, *, child_id: int, user_id: int | None, expected_version=None) -> None:
    """The case is about the child ``child_id`` of the commune's register."""
    _writable(case, expected_version)
    _check_child(dbsession, case.space_id, child_id)
    case.child_id = child_id
    _save(dbsession, case, user_id)


def assign_case_worker(
    dbsession, case: Case, *, case_worker_id: int | None, user_id: int | None, expected_version=None
) -> None:
    """The user ``case_worker_id`` manages the case (None: nobody yet)."""
    _writable(case, expected_version)
    if case_worker_id is not None:
        _check_user(dbsession, "case_worker_id", case_worker_id)
    case.case_worker_id = case_worker_id
    _save(dbsession, case, user_id)


# --- Mẫu 02 and 03: assessments -----------------------------------------------------------------


def record_initial_assessment(
    dbsession,
    keyring: Keyring,
    case: Case,
    *,
    initial_at: dt.datetime,
    harm: str,
    access: str,
    environment: str,
    in_danger: bool,
    emergency_measures: str = "",
    separated_at: dt.datetime | None = None,
    user_id: int | None,
    expected_version: int | None = None,
) -> None:
    """The initial assessment (Mẫu 02): harm, the abuser's access and the environment, each high /
    medium / low; for a child in danger, the emergency measures taken (required) and when the child
    was separated from the abuser, where that was needed. Recording it again corrects it."""
    _writable(case, expected_version)
    now = clock.utcnow()
    initial_at = _moment("initial_at", initial_at, now=now, not_before=case.received_at)
    levels = _levels(harm=harm, access=access, environment=environment)
    if not isinstance(in_danger, bool):
        raise CaseError("in_danger", "invalid", MSG_IN_DANGER)
    measures = _text("emergency_measures", emergency_measures, required=MSG_EMERGENCY if in_danger else None)
    if separated_at is not None:
        separated_at = _moment("separated_at", separated_at, now=now, not_before=case.received_at)
    case.initial_at = initial_at
    for name, level in levels.items():
        setattr(case, name, level)
    case.in_danger = in_danger
    case.separated_at = separated_at
    _set_encrypted(keyring, case, {"emergency_measures": measures})
    _save(dbsession, case, user_id)


def record_detailed_assessment(
    dbsession,
    keyring: Keyring,
    case: Case,
    *,
    detailed_at: dt.datetime,
    findings: str,
    meeting_at: dt.datetime | None = None,
    user_id: int | None,
    expected_version: int | None = None,
) -> None:
    """The detailed assessment and the case meeting (Mẫu 03). Recording it again corrects it."""
    _writable(case, expected_version)
    if case.initial_at is None:
        raise CaseError("initial_at", "missing", MSG_NEEDS_INITIAL)
    now = clock.utcnow()
    detailed_at = _moment("detailed_at", detailed_at, now=now)
    if detailed_at < case.initial_at:
        raise CaseError("detailed_at", "before_initial", MSG_BEFORE_INITIAL)
    text = _text("findings", findings, required=MSG_FINDINGS)
    if meeting_at is not None:
        meeting_at = _moment("meeting_at", meeting_at, now=now, not_before=case.received_at)
    case.detailed_at = detailed_at
    case.meeting_at = meeting_at
    _set_encrypted(keyring, case, {"findings": text})
    _save(dbsession, case, user_id)


# --- Mẫu 04 and 05: the plan --------------------------------------------------------------------


def draft_plan(
    dbsession, keyring: Keyring, case: Case, *, plan_text: str, user_id: int | None, expected_version=None
) -> None:
    """Write the support and intervention plan's objectives and measures (Mẫu 04).

    The first draft puts the plan in the state "draft"; a draft or a returned plan may be written
    again; a submitted or approved one may not. The state's other moves are the workflow's."""
    _writable(case, expected_version)
    if case.detailed_at is None:
        raise CaseError("detailed_at", "missing", MSG_NEEDS_DETAILED)
    if case.plan_state in ("submitted", "approved"):
        raise CaseError("plan_state", "locked", MSG_PLAN_LOCKED)
    text = _text("plan_text", plan_text, required=MSG_PLAN_TEXT)
    if case.plan_state is None:
        case.plan_state = "draft"
    if case.plan_drafted_at is None:
        case.plan_drafted_at = clock.utcnow()
    _set_encrypted(keyring, case, {"plan_text": text})
    _save(dbsession, case, user_id)


def record_decision(
    dbsession,
    case: Case,
    *,
    decision_number: str,
    decision_date: dt.date,
    user_id: int | None,
    expected_version: int | None = None,
) -> None:
    """The number and date of the decision approving the plan (Mẫu 05), once it is approved."""
    _writable(case, expected_version)
    if case.plan_state != "approved":
        raise CaseError("plan_state", "not_approved", MSG_NOT_APPROVED)
    number = _text("decision_number", decision_number, required=MSG_DECISION_NUMBER)
    decision_date = _day("decision_date", decision_date, not_after=_today(), not_before=local_date(case.received_at))
    case.decision_number = number
    case.decision_date = decision_date
    _save(dbsession, case, user_id)


# --- carrying out the plan ----------------------------------------------------------------------


def add_service(
    dbsession,
    keyring: Keyring,
    case: Case,
    *,
    description: str,
    due_on: dt.date,
    assigned_space_id: int | None = None,
    assignee: str = "",
    user_id: int | None,
    expected_version: int | None = None,
) -> CaseService:
    """A service or intervention of the plan, given by the unit ``assigned_space_id`` or the
    person ``assignee`` (one of the two at least), due on ``due_on``."""
    _writable(case, expected_version)
    if case.plan_state is None:
        raise CaseError("plan_state", "missing", MSG_NEEDS_PLAN)
    texts = {
        "description": _text("description", description, required=MSG_SERVICE),
        "assignee": _text("assignee", assignee),
        "outcome_note": None,
    }
    due_on = _day("due_on", due_on, not_before=local_date(case.received_at))
    if assigned_space_id is not None and dbsession.get(Space, assigned_space_id) is None:
        raise CaseError("assigned_space_id", "unknown", MSG_UNIT)
    if assigned_space_id is None and not texts["assignee"]:
        raise CaseError("assignee", "required", MSG_ASSIGNEE)
    reference = new_reference()
    service = CaseService(
        reference=reference,
        case_id=case.id,
        plan_round=case.plan_round,
        assigned_space_id=assigned_space_id,
        due_on=due_on,
        created_by=user_id,
        **_encrypted(keyring, CaseService, reference, texts),
    )
    dbsession.add(service)
    _save(dbsession, case, user_id)
    return service


def record_outcome(
    dbsession,
    keyring: Keyring,
    service: CaseService,
    *,
    outcome: str,
    outcome_on: dt.date,
    outcome_note: str = "",
    user_id: int | None,
    expected_version: int | None = None,
) -> None:
    """The service was done, or not done (then say why), on ``outcome_on``. Recording it again
    corrects it. ``expected_version`` is the case's."""
    case = dbsession.get(Case, service.case_id)
    _writable(case, expected_version)
    if outcome not in OUTCOMES:
        raise CaseError("outcome", "invalid", MSG_OUTCOME)
    note = _text("outcome_note", outcome_note, required=MSG_OUTCOME_WHY if outcome == "not_done" else None)
    outcome_on = _day("outcome_on", outcome_on, not_after=_today(), not_before=local_date(case.received_at))
    service.outcome = outcome
    service.outcome_on = outcome_on
    service.outcome_by = user_id
    service.outcome_note = keyring.encrypt(
        note, token_context(CaseService.__tablename__, "outcome_note", service.reference)
    )
    _save(dbsession, case, user_id)


# --- Mẫu 06: review, closing, reopening ---------------------------------------------------------


def add_review(
    dbsession,
    keyring: Keyring,
    case: Case,
    *,
    reviewed_on: dt.date,
    harm: str,
    access: str,
    environment: str,
    decision: str,
    notes: str = "",
    next_review_on: dt.date | None = None,
    user_id: int | None,
    expected_version: int | None = None,
) -> CaseReview:
    """A review of the case (Mẫu 06) and its decision.

    "close" closes the case (after the initial assessment, and once every service has its
    outcome); the case is then read-only. "new_plan" follows an approved plan: it starts the next
    plan as a draft (from the current plan's text), with its own services and decision, and may
    set the next review's date. The first plan's approval time is kept: the 5 working days are its.
    """
    _writable(case, expected_version)
    if decision not in REVIEW_DECISIONS:
        raise CaseError("decision", "invalid", MSG_DECISION)
    if case.initial_at is None:
        raise CaseError("initial_at", "missing", MSG_NEEDS_INITIAL)
    today = _today()
    reviewed_on = _day("reviewed_on", reviewed_on, not_after=today, not_before=local_date(case.received_at))
    levels = _levels(harm=harm, access=access, environment=environment)
    text = _text("notes", notes)
    if decision == "close":
        open_services = dbsession.scalar(
            select(func.count())
            .select_from(CaseService)
            .where(CaseService.case_id == case.id, CaseService.outcome.is_(None))
        )
        if open_services:
            raise CaseError("decision", "open_services", MSG_OPEN_SERVICES)
        next_review_on = None
    elif case.plan_state != "approved":
        raise CaseError("decision", "no_approved_plan", MSG_NEW_PLAN)
    elif next_review_on is not None:
        next_review_on = _day("next_review_on", next_review_on, not_before=today, before_code="past")
    reference = new_reference()
    review = CaseReview(
        reference=reference,
        case_id=case.id,
        reviewed_on=reviewed_on,
        decision=decision,
        created_by=user_id,
        **levels,
        **_encrypted(keyring, CaseReview, reference, {"notes": text}),
    )
    dbsession.add(review)
    now = clock.utcnow()
    if decision == "close":
        case.closed_at = now
    else:
        if case.first_plan_approved_at is None:
            case.first_plan_approved_at = case.plan_approved_at
        case.plan_round += 1
        case.plan_state = "draft"
        case.plan_drafted_at = now
        case.plan_submitted_at = case.plan_approved_at = None
        case.decision_number = case.decision_date = None
    case.next_review_on = next_review_on
    _save(dbsession, case, user_id)
    return review


def schedule_review(
    dbsession, case: Case, *, next_review_on: dt.date | None, user_id: int | None, expected_version=None
) -> None:
    """The day of the case's next review (None: none planned); not a day already past."""
    _writable(case, expected_version)
    if next_review_on is not None:
        next_review_on = _day("next_review_on", next_review_on, not_before=_today(), before_code="past")
    case.next_review_on = next_review_on
    _save(dbsession, case, user_id)


def reopen_case(
    dbsession,
    case: Case,
    *,
    user_id: int | None,
    next_review_on: dt.date | None = None,
    expected_version: int | None = None,
) -> None:
    """Open a closed case again (Mở lại hồ sơ). Its data stay as they were: its stage is what
    they say (the review that closed it stays in its history)."""
    if expected_version is not None and case.version != expected_version:
        raise CaseError("version", "stale", MSG_STALE)
    if case.closed_at is None:
        raise CaseError("closed_at", "not_closed", MSG_NOT_CLOSED)
    if next_review_on is not None:
        next_review_on = _day("next_review_on", next_review_on, not_before=_today(), before_code="past")
    case.closed_at = None
    case.reopened_at = clock.utcnow()
    case.next_review_on = next_review_on
    _save(dbsession, case, user_id)


# --- the case team ------------------------------------------------------------------------------


def assign_helper(
    dbsession, case: Case, *, helper_id: int, user_id: int | None, expected_version: int | None = None
) -> CaseHelper:
    """The user ``helper_id`` helps on the case; the same row again when already assigned."""
    _writable(case, expected_version)
    _check_user(dbsession, "helper_id", helper_id)
    if helper_id == case.case_worker_id:
        raise CaseError("helper_id", "case_worker", MSG_HELPER_IS_WORKER)
    existing = dbsession.scalar(
        select(CaseHelper).where(CaseHelper.case_id == case.id, CaseHelper.user_id == helper_id)
    )
    if existing is not None:
        return existing
    helper = CaseHelper(case_id=case.id, user_id=helper_id, assigned_by=user_id)
    dbsession.add(helper)
    _save(dbsession, case, user_id)
    return helper


def remove_helper(
    dbsession, case: Case, *, helper_id: int, user_id: int | None, expected_version: int | None = None
) -> bool:
    """The user ``helper_id`` no longer helps on the case; whether they did."""
    _writable(case, expected_version)
    helper = dbsession.scalar(select(CaseHelper).where(CaseHelper.case_id == case.id, CaseHelper.user_id == helper_id))
    if helper is None:
        return False
    dbsession.delete(helper)
    _save(dbsession, case, user_id)
    return True


@dataclass(frozen=True)
class TeamMember:
    """One of the users named on a case: its worker or a helper."""

    user_id: int
    full_name: str
    is_worker: bool


def team_of(dbsession, case: Case) -> list[TeamMember]:
    """The case worker first, then the helpers by name (one statement)."""
    helpers = select(CaseHelper.user_id).where(CaseHelper.case_id == case.id)
    rows = dbsession.execute(
        select(User.id, User.full_name).where((User.id == case.case_worker_id) | User.id.in_(helpers))
    ).all()
    members = [TeamMember(r.id, r.full_name, r.id == case.case_worker_id) for r in rows]
    return sorted(members, key=lambda m: (not m.is_worker, m.full_name))


def case_team_ids(dbsession, case: Case) -> set[int]:
    """The ids of the case worker and the helpers (the commune's chairman and the coordinator are
    the access rules' to add)."""
    team = set(dbsession.scalars(select(CaseHelper.user_id).where(CaseHelper.case_id == case.id)))
    if case.case_worker_id is not None:
        team.add(case.case_worker_id)
    return team


# --- reading ------------------------------------------------------------------------------------


def read_case(keyring: Keyring, case: Case) -> CaseRecord:
    """The case ``case`` decrypted (a token that was changed or moved raises, never misreads)."""
    plain = _decrypted(keyring, case)
    return CaseRecord(
        id=case.id,
        reference=case.reference,
        number=case.number,
        space_id=case.space_id,
        child_id=case.child_id,
        case_worker_id=case.case_worker_id,
        version=case.version,
        received_at=case.received_at,
        reporter_kind=case.reporter_kind,
        initial_at=case.initial_at,
        harm=case.harm,
        access=case.access,
        environment=case.environment,
        in_danger=case.in_danger,
        separated_at=case.separated_at,
        detailed_at=case.detailed_at,
        meeting_at=case.meeting_at,
        plan_drafted_at=case.plan_drafted_at,
        plan_state=case.plan_state,
        plan_submitted_at=case.plan_submitted_at,
        plan_approved_at=case.plan_approved_at,
        first_plan_approved_at=case.first_plan_approved_at,
        decision_number=case.decision_number,
        decision_date=case.decision_date,
        plan_round=case.plan_round,
        closed_at=case.closed_at,
        reopened_at=case.reopened_at,
        next_review_on=case.next_review_on,
        created_by=case.created_by,
        updated_by=case.updated_by,
        **plain,
    )


def read_service(keyring: Keyring, service: CaseService) -> ServiceRecord:
    """The service ``service`` decrypted."""
    return ServiceRecord(
        id=service.id,
        case_id=service.case_id,
        plan_round=service.plan_round,
        assigned_space_id=service.assigned_space_id,
        due_on=service.due_on,
        outcome=service.outcome,
        outcome_on=service.outcome_on,
        created_by=service.created_by,
        outcome_by=service.outcome_by,
        **_decrypted(keyring, service),
    )


def read_review(keyring: Keyring, review: CaseReview) -> ReviewRecord:
    """The review ``review`` decrypted."""
    return ReviewRecord(
        id=review.id,
        case_id=review.case_id,
        reviewed_on=review.reviewed_on,
        harm=review.harm,
        access=review.access,
        environment=review.environment,
        decision=review.decision,
        created_by=review.created_by,
        **_decrypted(keyring, review),
    )


def case_services(dbsession, case: Case) -> list[CaseService]:
    """The case's services, in the order they were added (all plans)."""
    return list(dbsession.scalars(select(CaseService).where(CaseService.case_id == case.id).order_by(CaseService.id)))


def case_service(dbsession, case: Case, service_id) -> CaseService | None:
    """The service ``service_id`` if it is one of the case's, else None."""
    if not isinstance(service_id, int):
        return None
    return dbsession.scalar(select(CaseService).where(CaseService.id == service_id, CaseService.case_id == case.id))


def case_reviews(dbsession, case: Case) -> list[CaseReview]:
    """The case's reviews, in the order they were recorded."""
    return list(dbsession.scalars(select(CaseReview).where(CaseReview.case_id == case.id).order_by(CaseReview.id)))


# --- stage and deadlines ------------------------------------------------------------------------


def is_closed(case) -> bool:
    """Whether the case is closed (and so read-only)."""
    return case.closed_at is not None


def stage(case, services=(), reviews=()) -> str:
    """Where the case stands (one of :data:`STAGES`), from what has been filled.

    ``services`` are the case's services (models or records); only those of the current plan count.
    ``reviews`` are accepted for the pages' convenience: whether the case is closed is read from
    ``closed_at``, since a reopened case keeps the review that closed it. A returned plan is being
    drafted again.
    """
    if is_closed(case):
        return "closed"
    if case.initial_at is None:
        return "received"
    if case.detailed_at is None:
        return "initial_assessment_done"
    if case.plan_state is None:
        return "detailed_assessment_done"
    if case.plan_state in ("draft", "returned"):
        return "plan_drafted"
    if case.plan_state == "submitted":
        return "plan_submitted"
    current = [s for s in services if s.plan_round == case.plan_round]
    if not current:
        return "plan_approved"
    if any(s.outcome is None for s in current):
        return "in_progress"
    return "under_review"


def deadlines(case, services=(), now: dt.datetime | None = None, *, calendar: HolidayCalendar | None = None):
    """The case's deadlines as of ``now`` (UTC; the intranet's clock when None): overdue ones
    first, then by due time.

    - ``initial_12h``: the initial assessment (with the emergency measures of a child in danger)
      within 12 hours of the receipt; met when the initial assessment is recorded.
    - ``plan_5_days``: the first plan approved within 5 working days of the receipt day.
    - ``service_due``: each service without an outcome, due on its day.
    - ``review_due``: the next review, on ``next_review_on``.

    A day-deadline is overdue from the day after it. Working days come from ``calendar`` (the
    holidays of ``holidays.yaml`` when None); a year whose holidays are not known gives the
    deadline with ``unknown=True`` and no due day instead of an error. A closed case has nothing
    open: only the deadlines it met are listed.
    """
    now = _utc(clock.utcnow() if now is None else now)
    today = local_date(now)
    found: list[Deadline] = []

    due_12h = deadline_12_hours(case.received_at)
    met = case.initial_at
    found.append(
        Deadline(
            "initial_12h",
            due_12h,
            met_at=met,
            overdue=met is None and now > due_12h,
            late=met is not None and met > due_12h,
        )
    )

    received_on = local_date(case.received_at)
    met = case.first_plan_approved_at or case.plan_approved_at
    try:
        if calendar is None:
            due_5 = deadline_5_working_days(received_on)
        else:
            due_5 = calendar.add_working_days(received_on, PLAN_WORKING_DAYS)
    except HolidaysUnknownError:
        found.append(Deadline("plan_5_days", None, met_at=met, unknown=True))
    else:
        found.append(
            Deadline(
                "plan_5_days",
                due_5,
                met_at=met,
                overdue=met is None and today > due_5,
                late=met is not None and local_date(met) > due_5,
            )
        )

    for service in services:
        if service.outcome is None:
            found.append(Deadline("service_due", service.due_on, overdue=today > service.due_on, service_id=service.id))
    if case.next_review_on is not None:
        found.append(Deadline("review_due", case.next_review_on, overdue=today > case.next_review_on))

    if is_closed(case):
        found = [d for d in found if d.met_at is not None]
    return sorted(found, key=_deadline_order)


def _deadline_order(deadline: Deadline):
    due = deadline.due
    if due is None:
        moment = dt.datetime.max
    elif isinstance(due, dt.datetime):
        moment = to_local(due)
    else:  # a day: due by its end
        moment = dt.datetime.combine(due, dt.time.max)
    return (not deadline.overdue, moment, DEADLINE_KINDS.index(deadline.kind), deadline.service_id or 0)


# --- checks and storage -------------------------------------------------------------------------


def _writable(case: Case, expected_version: int | None) -> None:
    if is_closed(case):
        raise CaseError("case", "closed", MSG_CLOSED)
    if expected_version is not None and case.version != expected_version:
        raise CaseError("version", "stale", MSG_STALE)


def _save(dbsession, case: Case, user_id: int | None) -> None:
    """Write the case (and what was added with it), advancing its version even when only its
    services, reviews or helpers changed; a save overtaken by another one is refused."""
    case.updated_by = user_id
    flag_modified(case, "updated_by")
    try:
        dbsession.flush()
    except StaleDataError:
        raise CaseError("version", "stale", MSG_STALE) from None


def _encrypted(keyring: Keyring, model, reference: str, texts: dict[str, str | None]) -> dict[str, str | None]:
    """The tokens of ``texts`` for a new row of ``model`` (None stays None: not filled yet)."""
    return {
        column: None if text is None else keyring.encrypt(text, token_context(model.__tablename__, column, reference))
        for column, text in texts.items()
    }


def _set_encrypted(keyring: Keyring, row, texts: dict[str, str]) -> None:
    for column, token in _encrypted(keyring, type(row), row.reference, texts).items():
        setattr(row, column, token)


def _decrypted(keyring: Keyring, row) -> dict[str, str | None]:
    table = row.__tablename__
    return {
        column: None
        if getattr(row, column) is None
        else keyring.decrypt(getattr(row, column), token_context(table, column, row.reference))
        for column in type(row).ENCRYPTED
    }


def _check_child(dbsession, space_id: int, child_id: int) -> None:
    # A child of another commune is refused as one that does not exist: the register of another
    # commune is not the case team's to probe.
    child = dbsession.get(Child, child_id) if isinstance(child_id, int) else None
    if child is None or child.space_id != space_id:
        raise CaseError("child_id", "not_in_register", MSG_CHILD)


def _check_user(dbsession, name: str, user_id: int) -> None:
    if not isinstance(user_id, int) or dbsession.get(User, user_id) is None:
        raise CaseError(name, "unknown", MSG_USER)


def _levels(**levels: str) -> dict[str, str]:
    for name, level in levels.items():
        if level not in RISK_LEVELS:
            raise CaseError(name, "invalid", MSG_RISK)
    return levels


def _text(name: str, value, *, required=None, limits=MAX_LENGTHS) -> str:
    """``value`` trimmed and composed (NFC), at most its field's length in ``limits``; ``required``
    is the message of an empty value that is refused."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise TypeError(f"{name} is a text.")
    text = unicodedata.normalize("NFC", value.strip())
    limit = limits[name]
    if len(text) > limit:
        raise CaseError(name, "too_long", _("At most ${n} characters.", mapping={"n": limit}))
    if required is not None and not text:
        raise CaseError(name, "required", required)
    return text


def _utc(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is not None:
        return value.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return value


def _moment(name: str, value, *, now: dt.datetime, not_before: dt.datetime | None = None) -> dt.datetime:
    """A time that has happened: a datetime, not later than ``now``, nor earlier than ``not_before``."""
    if not isinstance(value, dt.datetime) or value.year < MIN_DATE_YEAR:
        raise CaseError(name, "invalid", MSG_TIME)
    value = _utc(value)
    if value > now:
        raise CaseError(name, "future", MSG_FUTURE_TIME)
    if not_before is not None and value < not_before:
        raise CaseError(name, "before_receipt", MSG_BEFORE_RECEIPT)
    return value


def _day(
    name: str,
    value,
    *,
    not_after: dt.date | None = None,
    not_before: dt.date | None = None,
    before_code: str = "before_receipt",
) -> dt.date:
    """A day (not a datetime) within the bounds given."""
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date) or value.year < MIN_DATE_YEAR:
        raise CaseError(name, "invalid", MSG_DAY)
    if not_after is not None and value > not_after:
        raise CaseError(name, "future", MSG_FUTURE_DAY)
    if not_before is not None and value < not_before:
        raise CaseError(name, before_code, MSG_PAST_DAY if before_code == "past" else MSG_BEFORE_RECEIPT)
    return value


def _today() -> dt.date:
    return local_date(clock.utcnow())


# --- what the pages list ------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseRow:
    """One line of a commune's list of cases: no free text, nothing to decrypt."""

    number: str
    received_at: dt.datetime
    stage: str
    case_worker: str | None
    child_reference: str | None
    next_deadline: Deadline | None


#: What a line of the case list reads of a case: what :func:`stage` and :func:`deadlines` need and
#: what the line shows, never the encrypted texts.
_LISTED_CASE = (
    Case.id,
    Case.number,
    Case.received_at,
    Case.initial_at,
    Case.detailed_at,
    Case.plan_state,
    Case.plan_round,
    Case.plan_approved_at,
    Case.first_plan_approved_at,
    Case.next_review_on,
    Case.closed_at,
)
#: What :func:`stage` and :func:`deadlines` read of a service.
_LISTED_SERVICE = (CaseService.id, CaseService.case_id, CaseService.plan_round, CaseService.outcome, CaseService.due_on)


def cases_page(
    dbsession, space_id: int, *, member_id: int | None, page: int, size: int, now: dt.datetime | None = None
) -> tuple[list[CaseRow], int]:
    """A page of the commune's cases, the latest received first, and how many in all. With
    ``member_id``, only the cases whose team that user is on (case worker or helper). Two
    statements whatever the page's size and the number of cases: the page's cases (the columns
    the list shows, with the case worker's name, the child's reference and the total), then their
    services."""
    where = [Case.space_id == space_id]
    if member_id is not None:
        helper = select(CaseHelper.case_id).where(CaseHelper.user_id == member_id)
        where.append((Case.case_worker_id == member_id) | Case.id.in_(helper))
    cases = dbsession.execute(
        select(
            *_LISTED_CASE,
            User.full_name.label("case_worker"),
            Child.reference.label("child_reference"),
            func.count().over().label("total"),
        )
        .outerjoin(User, User.id == Case.case_worker_id)
        .outerjoin(Child, Child.id == Case.child_id)
        .where(*where)
        .order_by(Case.received_at.desc(), Case.id.desc())
        .limit(size)
        .offset((page - 1) * size)
    ).all()
    if not cases:
        total = dbsession.scalar(select(func.count()).select_from(Case).where(*where)) if page > 1 else 0
        return [], total or 0
    services: dict[int, list] = {c.id: [] for c in cases}
    for service in dbsession.execute(select(*_LISTED_SERVICE).where(CaseService.case_id.in_(list(services)))):
        services[service.case_id].append(service)
    now = now or clock.utcnow()
    out = []
    for case in cases:
        open_deadlines = [d for d in deadlines(case, services[case.id], now) if d.met_at is None]
        out.append(
            CaseRow(
                number=case.number,
                received_at=case.received_at,
                stage=stage(case, services[case.id]),
                case_worker=case.case_worker,
                child_reference=case.child_reference,
                next_deadline=open_deadlines[0] if open_deadlines else None,
            )
        )
    return out, cases[0].total


def team_candidates(dbsession, space_id: int) -> list[tuple[str, str]]:
    """(user id, name) of who may manage a case of the commune: its head and its designated
    child-protection officers, active, by name."""
    rows = dbsession.execute(
        select(User.id, User.full_name)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.space_id == space_id,
            User.is_active.is_(True),
            (Membership.role == "head") | Membership.protects_children.is_(True),
        )
        .order_by(User.full_name)
    ).all()
    return [(str(r.id), r.full_name) for r in rows]


def register_child_id(dbsession, space_id: int, reference: str) -> int | None:
    """The id of the child ``reference`` of the commune's register, or None."""
    if not reference or len(reference) > 16:
        return None
    return dbsession.scalar(
        select(Child.id).where(Child.reference == reference.strip().upper(), Child.space_id == space_id)
    )


def child_reference(dbsession, case: Case) -> str | None:
    """The register reference of the case's child, when one is linked."""
    return dbsession.scalar(select(Child.reference).where(Child.id == case.child_id)) if case.child_id else None


# --- the dashboards' deadlines ------------------------------------------------------------------


@dataclass(frozen=True)
class BoardItem:
    """One open deadline of a case, as a dashboard lists it: no free text, nothing to decrypt."""

    number: str
    slug: str
    deadline: Deadline


def _latest_overdue_receipt(today: dt.date) -> dt.date | None:
    """The latest day of receipt whose 5-working-day plan deadline is before ``today`` (a plan still
    unapproved for a report received that day, or earlier, is overdue); None if the holidays of
    the days around are not known."""
    day = today - dt.timedelta(days=1)
    try:
        for _ in range(60):
            if deadline_5_working_days(day) < today:
                return day
            day -= dt.timedelta(days=1)
    except HolidaysUnknownError:
        return None
    return None


def _board_part(kind: str, query, cases, order, overdue_when, **columns):
    """One kind of deadline of :func:`deadline_board` as a select of the same columns for every
    kind: the first ``:limit`` by ``order``, each with how many of that kind are open and how many
    overdue (counted before the cut), and its commune's slug (read for those only). ``cases`` is
    the open cases' common table; ``columns`` give the case's time (``at``), the day (``day``) and
    the service (``service_id``) the kind has; the others are typed NULLs."""
    typed = {"at": DateTime, "day": Date, "service_id": Integer}
    part = (
        query.with_only_columns(
            literal_column(str(DEADLINE_KINDS.index(kind)), Integer).label("kind"),
            cases.c.number,
            cases.c.space_id,
            *(columns.get(name, cast(null(), type_)).label(name) for name, type_ in typed.items()),
            func.count().over().label("n"),
            func.count().filter(overdue_when).over().label("late"),
        )
        .order_by(*order)
        .limit(bindparam("limit", type_=Integer))
        .subquery()
    )
    return select(
        part.c.kind, part.c.number, Space.slug, *(part.c[name] for name in typed), part.c.n, part.c.late
    ).join(Space, Space.id == part.c.space_id)


@functools.cache
def _board_statement(by_space: bool, by_member: bool):
    """The statement of :func:`deadline_board`, built once for each scope: the open cases read once
    (the columns the deadlines need), then the four kinds of deadline side by side (UNION ALL).
    Its parameters: ``space_ids`` and ``member_id`` (as the scope says), ``limit``, ``today``, and
    the moments before which a receipt's 12 hours are past (``late_receipt``) and its plan is
    overdue (``plan_since``, NULL when the holidays are not known)."""
    scope = [Case.closed_at.is_(None)]
    if by_space:
        scope.append(Case.space_id.in_(bindparam("space_ids", expanding=True)))
    if by_member:
        helper = select(CaseHelper.case_id).where(CaseHelper.user_id == bindparam("member_id"))
        scope.append((Case.case_worker_id == bindparam("member_id")) | Case.id.in_(helper))
    cases = (
        select(
            Case.id,
            Case.number,
            Case.space_id,
            Case.received_at,
            Case.initial_at,
            Case.first_plan_approved_at,
            Case.plan_approved_at,
            Case.next_review_on,
        )
        .where(*scope)
        .cte("open_cases")
        .prefix_with("MATERIALIZED")  # read once for the four kinds (PostgreSQL would inline it)
    )
    c = cases.c
    today = bindparam("today", type_=Date)
    return union_all(
        # 12 hours: the initial assessment not recorded yet, the oldest receipt first.
        _board_part(
            "initial_12h",
            select(c.id).where(c.initial_at.is_(None)),
            cases,
            (c.received_at,),
            c.received_at < bindparam("late_receipt", type_=DateTime),
            at=c.received_at,
        ),
        # 5 working days: the first plan not approved yet.
        _board_part(
            "plan_5_days",
            select(c.id).where(c.first_plan_approved_at.is_(None), c.plan_approved_at.is_(None)),
            cases,
            (c.received_at,),
            c.received_at < bindparam("plan_since", type_=DateTime),
            at=c.received_at,
        ),
        # Services without an outcome, by due day.
        _board_part(
            "service_due",
            select(c.id).join(CaseService, CaseService.case_id == c.id).where(CaseService.outcome.is_(None)),
            cases,
            (CaseService.due_on, CaseService.id),
            CaseService.due_on < today,
            day=CaseService.due_on,
            service_id=CaseService.id,
        ),
        # Reviews, by their day.
        _board_part(
            "review_due",
            select(c.id).where(c.next_review_on.is_not(None)),
            cases,
            (c.next_review_on,),
            c.next_review_on < today,
            day=c.next_review_on,
        ),
    )


def deadline_board(
    dbsession, *, space_ids=None, member_id: int | None = None, limit: int = 10, now: dt.datetime | None = None
) -> tuple[list[BoardItem], int, int]:
    """The open deadlines of the open cases in ``space_ids`` (all communes when None), or of those
    whose team ``member_id`` is on: the ``limit`` soonest due (overdue first), how many are open
    and how many overdue. One statement whatever the number of cases (:func:`_board_statement`):
    each kind of deadline cut at ``limit`` and counted in the database."""
    now = _utc(clock.utcnow() if now is None else now)
    today = local_date(now)
    latest_overdue = _latest_overdue_receipt(today)
    params = {
        "limit": limit,
        "late_receipt": now - dt.timedelta(hours=EMERGENCY_HOURS),
        "plan_since": utc_start_of(latest_overdue + dt.timedelta(days=1)) if latest_overdue else None,
        "today": today,
    }
    if space_ids is not None:
        params["space_ids"] = list(space_ids)
    if member_id is not None:
        params["member_id"] = member_id
    statement = _board_statement(space_ids is not None, member_id is not None)
    # Each kind in the order its part cut it (the union keeps no order), so that deadlines due at
    # one moment stay in that order after the sort below.
    rows = sorted(dbsession.execute(statement, params).all(), key=lambda r: (r.kind, r.at, r.day, r.service_id))
    items: list[BoardItem] = []
    counted: dict[int, tuple[int, int]] = {}
    for r in rows:
        counted[r.kind] = (r.n, r.late)
        kind = DEADLINE_KINDS[r.kind]
        if kind == "initial_12h":
            due = deadline_12_hours(r.at)
            deadline = Deadline(kind, due, overdue=now > due)
        elif kind == "plan_5_days":
            try:
                due = deadline_5_working_days(local_date(r.at))
            except HolidaysUnknownError:
                deadline = Deadline(kind, None, unknown=True)
            else:
                deadline = Deadline(kind, due, overdue=today > due)
        else:
            deadline = Deadline(kind, r.day, overdue=today > r.day, service_id=r.service_id)
        items.append(BoardItem(r.number, r.slug, deadline))
    items.sort(key=lambda item: _deadline_order(item.deadline))
    total = sum(n for n, _late in counted.values())
    overdue = sum(late for _n, late in counted.values())
    return items[:limit], total, overdue


# --- the end of the retention period ------------------------------------------------------------


def erase_expired(
    dbsession, keyring: Keyring, *, closed_before: dt.datetime, batch: int = 200, progress=None
) -> list[str]:
    """Erase the free texts of every case closed before ``closed_before`` and not erased yet: the
    case's report, assessments and plan, its services' descriptions, assignees and outcomes, its
    reviews' notes, its referrals' texts. What counting needs stays (the dates, the risks, the
    stage, the numbers, the link to the register). The numbers of the cases erased, oldest closed first; ``progress``, when
    given, is called after each batch with the number erased so far.

    A case reopened since stays (its ``closed_at`` is None). Each erased text becomes the empty
    text under the current key, so that nothing of it remains in any key's ciphertext.
    """
    erased: list[str] = []
    now = clock.utcnow()
    while True:
        cases = list(
            dbsession.scalars(
                select(Case)
                .where(Case.closed_at.is_not(None), Case.closed_at < closed_before, Case.erased_at.is_(None))
                .order_by(Case.closed_at, Case.id)
                .limit(batch)
                .with_for_update()
            )
        )
        if not cases:
            break
        ids = [c.id for c in cases]
        children = [
            *dbsession.scalars(select(CaseService).where(CaseService.case_id.in_(ids))),
            *dbsession.scalars(select(CaseReview).where(CaseReview.case_id.in_(ids))),
            *dbsession.scalars(select(CaseReferral).where(CaseReferral.case_id.in_(ids))),
        ]
        for row in [*cases, *children]:
            texts = {column: ("" if getattr(row, column) is not None else None) for column in type(row).ENCRYPTED}
            _set_encrypted(keyring, row, texts)
        for case in cases:
            case.erased_at = now
            erased.append(case.number)
        dbsession.flush()
        if progress is not None:
            progress(len(erased))
    return erased


# --- the plan's approval (on the workflow engine: intranet.cases.workflow) ----------------------


def move_plan(
    dbsession,
    keyring: Keyring,
    case: Case,
    action: str,
    *,
    user_id: int | None,
    comment: str = "",
    decision_number: str = "",
    decision_date: dt.date | None = None,
) -> str:
    """Submit, approve (with the decision of Mẫu 05: its number and date) or return (with a
    reason, kept encrypted on the case) the case's plan; the new state. A refused step is a
    :class:`intranet.workflow.TransitionError` or a :class:`CaseError`, and changes nothing."""
    _writable(case, None)
    if case.plan_state is None:
        raise CaseError("plan_state", "missing", MSG_NEEDS_PLAN)
    reason = None
    if action == "approve":
        number = _text("decision_number", decision_number, required=MSG_DECISION_NUMBER)
        day = _day("decision_date", decision_date, not_after=_today(), not_before=local_date(case.received_at))
    if action == "return":
        reason = _text("comment", comment, required=MSG_RETURN_REASON)
    new_state = WORKFLOW.apply(PlanDocument(case), action, user_id=user_id, comment=reason or "")
    if action == "approve":
        case.decision_number, case.decision_date = number, day
    if reason is not None:
        _set_encrypted(keyring, case, {"plan_return_reason": reason})
    _save(dbsession, case, user_id)
    return new_state
