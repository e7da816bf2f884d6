"""Referrals of a case's service to another unit (issue 11, section 3; DESIGN.md section 11).

A member of the case team refers one service of the case to another unit of the district (Công
an huyện, Trung tâm Y tế, Phòng Giáo dục...): :func:`refer`. The referral needs the recorded
consent of the parent or guardian, and of the child when the child is 7 or older on the day
(:func:`child_consent_required`: the age comes from the register's date of birth; a case without a
linked child, or a child whose age cannot be read, needs the child's consent too). With that
consent it is sent at once; without it, it waits until the coordinator sends it with a written
reason (:func:`override`). The receiving unit then accepts it (:func:`accept`) or declines it with a
reason (:func:`decline`), and records the outcome (:func:`record_outcome`), which is also the
service's outcome (:func:`intranet.cases.procedure.record_outcome`).

The states and their moves are the small table :data:`TRANSITIONS`: who may perform a move is the
views' and the resources' concern (the case team, the coordinator, the receiving unit's head and
officers), not the workflow engine's, whose actors are one space's roles.

As in :mod:`intranet.cases.procedure`, every free text goes through the keyring here and nowhere
else, bound to the referral's random reference and column; every write advances the case's version
(a case being closed and a referral being answered cannot both succeed) and is refused on a closed
case; no message holds a value a person typed.

The receiving unit reads what :func:`read_for_recipient` returns and nothing more: the referral's
summary, the service's description and due day, the commune and the case's number as text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import case as sql_case
from sqlalchemy import func, select

from intranet import clock
from intranet.cases import procedure
from intranet.cases.crypto import Keyring
from intranet.cases.models import OUTCOMES, Case, CaseReferral, CaseService, Child
from intranet.cases.procedure import CaseError
from intranet.cases.services import new_reference, token_context
from intranet.i18n import _, local_date
from intranet.spaces.models import Space

#: From this age (in whole years, on the day of the referral) the child's own consent is required.
CHILD_CONSENT_AGE = 7
#: The longest text each field takes, in characters.
MAX_LENGTHS = {
    "summary": 4000,
    "consent_by": 500,
    "override_reason": 2000,
    "decline_reason": 2000,
    "outcome_note": 2000,
}
#: The states a referral leaves by each move (``None``: the move corrects, the state stays).
TRANSITIONS = {
    "override": (("awaiting_override",), "sent"),
    "accept": (("sent",), "accepted"),
    "decline": (("sent",), "declined"),
    # Recording the outcome again corrects it, as for the service itself.
    "outcome": (("accepted", "completed"), "completed"),
}
#: The states in which the referral is still the receiving unit's to answer or to carry out.
OPEN_STATES = ("awaiting_override", "sent", "accepted")
#: What the receiving unit sees: a referral waiting for the coordinator has not been sent yet.
RECEIVED_STATES = ("sent", "accepted", "declined", "completed")

STATE_LABELS = {
    "awaiting_override": _("Waiting: consent missing, the coordinator may send it"),
    "sent": _("Sent, waiting for the unit's answer"),
    "accepted": _("Accepted by the unit"),
    "declined": _("Declined by the unit"),
    "completed": _("Outcome recorded"),
}

MSG_SERVICE = _("Choose a service of this case.")
MSG_SERVICE_DONE = _("This service already has its outcome: it can no longer be referred.")
MSG_SERVICE_BUSY = _("This service has already been referred and waits for an answer or an outcome.")
MSG_UNIT = _("Choose the receiving unit from the list (not the commune itself).")
MSG_SUMMARY = _("Write the summary the receiving unit will read.")
MSG_CONSENT_BY = _("Say who gave consent for the parent or guardian side.")
MSG_CONSENT_ON = _("Enter the date consent was recorded (dd/mm/yyyy), not later than today.")
MSG_OVERRIDE_REASON = _("Write why the referral is sent without the consent required.")
MSG_DECLINE_REASON = _("Say why the referral is declined.")
MSG_STATE = _("This step is not possible in the referral's present state.")
MSG_CASE_CLOSED = _("The commune has closed this case: the referral can no longer change.")
MSG_OUTCOME_DAY = _("The outcome's date cannot be later than today nor earlier than the referral.")


@dataclass(frozen=True)
class ReferralRecord:
    """A referral decrypted, as the case team reads it; the free texts stay out of the ``repr``."""

    id: int
    reference: str
    case_id: int
    service_id: int
    space_id: int
    state: str
    guardian_consent: bool
    child_consent: bool
    consent_on: dt.date | None
    overridden_at: dt.datetime | None
    overridden_by: int | None
    sent_at: dt.datetime | None
    answered_at: dt.datetime | None
    outcome: str | None
    outcome_on: dt.date | None
    created_by: int | None
    created_at: dt.datetime
    summary: str = field(repr=False)
    consent_by: str = field(repr=False)
    override_reason: str | None = field(repr=False)
    decline_reason: str | None = field(repr=False)
    outcome_note: str | None = field(repr=False)


@dataclass(frozen=True)
class RecipientView:
    """What the receiving unit reads of a referral, and nothing else of the case."""

    reference: str
    state: str
    commune: object  # a row with the commune's ``title`` and ``title_en``
    case_number: str
    sent_at: dt.datetime | None
    answered_at: dt.datetime | None
    due_on: dt.date
    outcome: str | None
    outcome_on: dt.date | None
    summary: str = field(repr=False)
    service: str = field(repr=False)
    decline_reason: str | None = field(repr=False)
    outcome_note: str | None = field(repr=False)


@dataclass(frozen=True)
class ReceivedRow:
    """One line of a unit's list of received referrals: nothing to decrypt."""

    reference: str
    state: str
    commune: object
    case_number: str
    sent_at: dt.datetime | None
    due_on: dt.date


# --- consent --------------------------------------------------------------------------------------


def child_age(keyring: Keyring, child: Child | None, on: dt.date) -> int | None:
    """The child's age in whole years on ``on``, from the register's date of birth; None when no
    child is linked or the date cannot be read (erased, or a token that does not decrypt)."""
    if child is None:
        return None
    try:
        text = keyring.decrypt(
            child.date_of_birth, token_context(Child.__tablename__, "date_of_birth", child.reference)
        )
        born = dt.date.fromisoformat(text)
    except Exception:  # noqa: BLE001 — an unreadable date is an unknown age: the stricter rule applies
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def child_consent_required(dbsession, keyring: Keyring, case: Case, on: dt.date | None = None) -> bool:
    """Whether the child's own consent is required for a referral of ``case`` on ``on`` (today in
    Đăk Tô when None): from age 7, and whenever the age is not known."""
    on = on or _today()
    child = dbsession.get(Child, case.child_id) if case.child_id is not None else None
    age = child_age(keyring, child, on)
    return age is None or age >= CHILD_CONSENT_AGE


def consent_complete(guardian_consent: bool, child_consent: bool, child_required: bool) -> bool:
    """Whether the consent recorded lets the referral be sent without the coordinator."""
    return bool(guardian_consent) and (bool(child_consent) or not child_required)


# --- writes ---------------------------------------------------------------------------------------


def refer(
    dbsession,
    keyring: Keyring,
    case: Case,
    *,
    service_id: int,
    unit_id: int,
    summary: str,
    guardian_consent: bool,
    consent_by: str = "",
    child_consent: bool = False,
    consent_on: dt.date | None = None,
    user_id: int | None,
    expected_version: int | None = None,
) -> CaseReferral:
    """Refer the service ``service_id`` of ``case`` to the unit ``unit_id`` with ``summary`` (what
    the unit will read). Sent at once when the consent required is recorded; otherwise it waits
    (``awaiting_override``) for the coordinator."""
    procedure._writable(case, expected_version)
    service = dbsession.get(CaseService, service_id) if isinstance(service_id, int) else None
    if service is None or service.case_id != case.id:
        raise CaseError("service", "unknown", MSG_SERVICE)
    if service.outcome is not None:
        raise CaseError("service", "done", MSG_SERVICE_DONE)
    busy = dbsession.scalar(
        select(func.count())
        .select_from(CaseReferral)
        .where(CaseReferral.service_id == service.id, CaseReferral.state.in_(OPEN_STATES))
    )
    if busy:
        raise CaseError("service", "busy", MSG_SERVICE_BUSY)
    unit = dbsession.get(Space, unit_id) if isinstance(unit_id, int) else None
    if unit is None or unit.id == case.space_id:
        raise CaseError("unit", "invalid", MSG_UNIT)
    texts = {
        "summary": _text("summary", summary, required=MSG_SUMMARY),
        "consent_by": _text("consent_by", consent_by, required=MSG_CONSENT_BY if guardian_consent else None),
        "override_reason": None,
        "decline_reason": None,
        "outcome_note": None,
    }
    if not isinstance(guardian_consent, bool) or not isinstance(child_consent, bool):
        raise TypeError("Consent is given or not.")
    today = _today()
    if guardian_consent or child_consent:
        if (
            isinstance(consent_on, dt.datetime)
            or not isinstance(consent_on, dt.date)
            or consent_on > today
            or consent_on.year < 1900
        ):
            raise CaseError("consent_on", "invalid", MSG_CONSENT_ON)
    else:
        consent_on = None
    required = child_consent_required(dbsession, keyring, case, today)
    complete = consent_complete(guardian_consent, child_consent, required)
    now = clock.utcnow()
    reference = new_reference()
    referral = CaseReferral(
        reference=reference,
        case_id=case.id,
        service_id=service.id,
        space_id=unit.id,
        state="sent" if complete else "awaiting_override",
        guardian_consent=guardian_consent,
        child_consent=child_consent,
        consent_on=consent_on,
        sent_at=now if complete else None,
        created_by=user_id,
        created_at=now,
        **procedure._encrypted(keyring, CaseReferral, reference, texts),
    )
    dbsession.add(referral)
    procedure._save(dbsession, case, user_id)
    return referral


def override(dbsession, keyring: Keyring, referral: CaseReferral, *, reason: str, user_id: int | None) -> None:
    """The coordinator sends a referral that lacks the consent required, with a written reason
    (kept encrypted on the referral; the audit line says that it happened, never the reason)."""
    case = _case_of(dbsession, referral)
    procedure._writable(case, None)
    target = _check_move(referral, "override")
    text = _text("override_reason", reason, required=MSG_OVERRIDE_REASON)
    now = clock.utcnow()
    referral.state = target
    referral.sent_at = referral.overridden_at = now
    referral.overridden_by = user_id
    procedure._set_encrypted(keyring, referral, {"override_reason": text})
    procedure._save(dbsession, case, user_id)


def accept(dbsession, referral: CaseReferral, *, user_id: int | None) -> None:
    """The receiving unit takes the referral on."""
    case = _open_case_of(dbsession, referral)
    referral.state = _check_move(referral, "accept")
    referral.answered_at = clock.utcnow()
    referral.answered_by = user_id
    procedure._save(dbsession, case, user_id)


def decline(dbsession, keyring: Keyring, referral: CaseReferral, *, reason: str, user_id: int | None) -> None:
    """The receiving unit declines the referral, saying why."""
    case = _open_case_of(dbsession, referral)
    target = _check_move(referral, "decline")
    text = _text("decline_reason", reason, required=MSG_DECLINE_REASON)
    referral.state = target
    referral.answered_at = clock.utcnow()
    referral.answered_by = user_id
    procedure._set_encrypted(keyring, referral, {"decline_reason": text})
    procedure._save(dbsession, case, user_id)


def record_outcome(
    dbsession,
    keyring: Keyring,
    referral: CaseReferral,
    *,
    outcome: str,
    outcome_on: dt.date,
    outcome_note: str = "",
    user_id: int | None,
) -> None:
    """The receiving unit did the service, or did not (then says why), on ``outcome_on``: recorded
    on the referral and as the service's outcome. Recording it again corrects both."""
    case = _open_case_of(dbsession, referral)
    target = _check_move(referral, "outcome")
    if outcome not in OUTCOMES:
        raise CaseError("outcome", "invalid", procedure.MSG_OUTCOME)
    note = _text("outcome_note", outcome_note, required=procedure.MSG_OUTCOME_WHY if outcome == "not_done" else None)
    sent_on = local_date(referral.sent_at) if referral.sent_at else local_date(case.received_at)
    if (
        isinstance(outcome_on, dt.datetime)
        or not isinstance(outcome_on, dt.date)
        or outcome_on > _today()
        or outcome_on < sent_on
    ):
        raise CaseError("outcome_on", "invalid", MSG_OUTCOME_DAY)
    service = dbsession.get(CaseService, referral.service_id)
    # The service's outcome first: it checks the case again and changes nothing when it refuses.
    procedure.record_outcome(
        dbsession, keyring, service, outcome=outcome, outcome_on=outcome_on, outcome_note=note, user_id=user_id
    )
    referral.state = target
    referral.outcome = outcome
    referral.outcome_on = outcome_on
    referral.outcome_by = user_id
    procedure._set_encrypted(keyring, referral, {"outcome_note": note})
    procedure._save(dbsession, case, user_id)


# --- reading --------------------------------------------------------------------------------------


def read_referral(keyring: Keyring, referral: CaseReferral) -> ReferralRecord:
    """The referral decrypted, for the case team."""
    return ReferralRecord(
        id=referral.id,
        reference=referral.reference,
        case_id=referral.case_id,
        service_id=referral.service_id,
        space_id=referral.space_id,
        state=referral.state,
        guardian_consent=referral.guardian_consent,
        child_consent=referral.child_consent,
        consent_on=referral.consent_on,
        overridden_at=referral.overridden_at,
        overridden_by=referral.overridden_by,
        sent_at=referral.sent_at,
        answered_at=referral.answered_at,
        outcome=referral.outcome,
        outcome_on=referral.outcome_on,
        created_by=referral.created_by,
        created_at=referral.created_at,
        **procedure._decrypted(keyring, referral),
    )


def case_referrals(dbsession, case: Case) -> list[CaseReferral]:
    """The case's referrals, the latest first."""
    return list(
        dbsession.scalars(select(CaseReferral).where(CaseReferral.case_id == case.id).order_by(CaseReferral.id.desc()))
    )


def find_received(dbsession, space_id: int, reference: str) -> CaseReferral | None:
    """The referral ``reference`` as the unit ``space_id`` received it: None for another unit's, for
    one not sent yet, or for an unknown reference (all alike to the reader)."""
    if not isinstance(reference, str) or not reference or len(reference) > 16:
        return None
    return dbsession.scalars(
        select(CaseReferral).where(
            CaseReferral.reference == reference.strip().upper(),
            CaseReferral.space_id == space_id,
            CaseReferral.state.in_(RECEIVED_STATES),
        )
    ).one_or_none()


def read_for_recipient(dbsession, keyring: Keyring, referral: CaseReferral) -> RecipientView:
    """What the receiving unit reads: the summary, the service's description and due day, the
    commune and the case's number. Nothing else of the case is decrypted."""
    row = dbsession.execute(
        select(Case.number, Case.space_id, CaseService.due_on, CaseService.description, CaseService.reference)
        .join(CaseService, CaseService.case_id == Case.id)
        .where(Case.id == referral.case_id, CaseService.id == referral.service_id)
    ).one()
    commune = dbsession.execute(select(Space.id, Space.title, Space.title_en).where(Space.id == row.space_id)).one()
    texts = procedure._decrypted(keyring, referral)
    service = keyring.decrypt(row.description, token_context(CaseService.__tablename__, "description", row.reference))
    return RecipientView(
        reference=referral.reference,
        state=referral.state,
        commune=commune,
        case_number=row.number,
        sent_at=referral.sent_at,
        answered_at=referral.answered_at,
        due_on=row.due_on,
        outcome=referral.outcome,
        outcome_on=referral.outcome_on,
        summary=texts["summary"],
        service=service,
        decline_reason=texts["decline_reason"],
        outcome_note=texts["outcome_note"],
    )


def received_page(dbsession, space_id: int, *, page: int, size: int) -> tuple[list[ReceivedRow], int]:
    """A page of the referrals the unit ``space_id`` received, those waiting for its answer first,
    then the latest sent; and how many in all. Two statements whatever the page's size."""
    waiting_first = sql_case((CaseReferral.state == "sent", 0), else_=1)
    where = (CaseReferral.space_id == space_id, CaseReferral.state.in_(RECEIVED_STATES))
    rows = dbsession.execute(
        select(
            CaseReferral.reference,
            CaseReferral.state,
            CaseReferral.sent_at,
            Case.number,
            Case.space_id,
            CaseService.due_on,
            func.count().over().label("total"),
        )
        .join(Case, Case.id == CaseReferral.case_id)
        .join(CaseService, CaseService.id == CaseReferral.service_id)
        .where(*where)
        .order_by(waiting_first, CaseReferral.sent_at.desc(), CaseReferral.id.desc())
        .limit(size)
        .offset((page - 1) * size)
    ).all()
    if not rows:
        total = dbsession.scalar(select(func.count()).select_from(CaseReferral).where(*where)) if page > 1 else 0
        return [], total or 0
    communes = {
        r.id: r
        for r in dbsession.execute(
            select(Space.id, Space.title, Space.title_en).where(Space.id.in_({r.space_id for r in rows}))
        )
    }
    out = [
        ReceivedRow(
            reference=r.reference,
            state=r.state,
            commune=communes[r.space_id],
            case_number=r.number,
            sent_at=r.sent_at,
            due_on=r.due_on,
        )
        for r in rows
    ]
    return out, rows[0].total


def awaiting_answer(dbsession, space_id: int) -> int:
    """How many referrals the unit ``space_id`` received and has not answered yet."""
    return (
        dbsession.scalar(
            select(func.count())
            .select_from(CaseReferral)
            .where(CaseReferral.space_id == space_id, CaseReferral.state == "sent")
        )
        or 0
    )


def unit_choices(dbsession, case: Case) -> list[tuple[str, str]]:
    """(id, title) of the units a service of ``case`` may be referred to: every unit but the commune."""
    rows = dbsession.execute(
        select(Space.id, Space.title).where(Space.id != case.space_id).order_by(Space.sort_order, Space.title)
    ).all()
    return [(str(r.id), r.title) for r in rows]


# --- checks ---------------------------------------------------------------------------------------


def _check_move(referral: CaseReferral, move: str) -> str:
    sources, target = TRANSITIONS[move]
    if referral.state not in sources:
        raise CaseError("state", "not_allowed", MSG_STATE)
    return target


def _case_of(dbsession, referral: CaseReferral) -> Case:
    return dbsession.get(Case, referral.case_id)


def _open_case_of(dbsession, referral: CaseReferral) -> Case:
    """The case of a referral the receiving unit acts on: refused, with a message that says only
    that, when the commune has closed it."""
    case = _case_of(dbsession, referral)
    if procedure.is_closed(case):
        raise CaseError("state", "case_closed", MSG_CASE_CLOSED)
    return case


def _text(name: str, value, *, required=None) -> str:
    """As the procedure's texts, within the referrals' lengths."""
    return procedure._text(name, value, required=required, limits=MAX_LENGTHS)


_today = procedure._today
