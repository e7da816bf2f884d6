"""Referrals of a case's service to another unit (issue 11, section 3): the consent rules (the
parent or guardian, and the child from age 7), the coordinator's override with a written reason,
what the receiving unit reads (the referral's summary and its service, never the rest of the
case), its answer and the outcome that becomes the service's, who finds what (404 to everyone
else), the audit of every reading, and the texts encrypted at rest, rotated and erased."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, text

from intranet.audit.models import AuditEntry
from intranet.cases import procedure, referrals
from intranet.cases.keys import get_keyring
from intranet.cases.models import REFERRAL_STATES, Case, CaseReferral, CaseService
from intranet.cases.services import ChildFields, register_child
from intranet.clock import utcnow
from intranet.i18n import local_today
from intranet.spaces.models import Membership
from tests.fixtures.factories import get_space, get_user

#: Short markers checked alone carry a Vietnamese letter (Đ): no random reference or base64
#: token can hold one, so a check cannot fail by chance.
ACCOUNT = "Lời kể bí mật XK7: em bị đánh ở nhà (hư cấu)"
FINDINGS = "Đánh giá bí mật QW3: cha nghiện rượu (hư cấu)"
PLAN = "Kế hoạch bí mật ZP9: chuyển em về ở với bà (hư cấu)"
SERVICE = "Khám sức khỏe và xác minh thương tích cho em (hư cấu)"
SUMMARY = "Tóm tắt chuyển gửi ĐRQ5: em cần được bảo vệ trên đường đến trường (hư cấu)"
CONSENT_BY = "Mẹ của em, chị Hư Cấu Một"
OVERRIDE = "Lý do điều phối ĐVB8: trẻ đang gặp nguy hiểm (hư cấu)"
DECLINE = "Lý do từ chối DL4: không thuộc thẩm quyền (hư cấu)"
OUTCOME = "Kết quả ĐOC2: đã khám và lập biên bản (hư cấu)"
CHILD_NAME = "Đinh Thị Chuyển Gửi"
SECRETS = (ACCOUNT, FINDINGS, PLAN, CHILD_NAME)


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


@pytest.fixture
def keyring(app):
    return get_keyring(app.registry)


def make_case(dbsession, keyring, *, born: dt.date | None = None, unit: str = "congan") -> tuple[Case, CaseService]:
    """A case of Tân Cảnh managed by tancanh, assessed, its plan approved, with one service given
    by ``unit``; its child (born on ``born``) from the register, or none linked."""
    worker = get_user(dbsession, "tancanh").id
    commune = get_space(dbsession, "tan-canh").id
    child_id = None
    if born is not None:
        fields = ChildFields(full_name=CHILD_NAME, date_of_birth=born, sex="female")
        child_id = register_child(dbsession, keyring, commune, fields, worker).id
    received = utcnow() - dt.timedelta(hours=3)
    case = procedure.open_case(
        dbsession,
        keyring,
        commune,
        received_at=received,
        reporter_kind="school",
        reporter="",
        account=ACCOUNT,
        child_id=child_id,
        case_worker_id=worker,
        user_id=worker,
    )
    procedure.record_initial_assessment(
        dbsession,
        keyring,
        case,
        initial_at=received + dt.timedelta(minutes=30),
        harm="medium",
        access="medium",
        environment="low",
        in_danger=False,
        user_id=worker,
    )
    procedure.record_detailed_assessment(
        dbsession, keyring, case, detailed_at=received + dt.timedelta(hours=1), findings=FINDINGS, user_id=worker
    )
    procedure.draft_plan(dbsession, keyring, case, plan_text=PLAN, user_id=worker)
    case.plan_state = "approved"
    case.plan_submitted_at = case.plan_approved_at = utcnow()
    service = procedure.add_service(
        dbsession,
        keyring,
        case,
        description=SERVICE,
        due_on=local_today() + dt.timedelta(days=7),
        assigned_space_id=get_space(dbsession, unit).id,
        user_id=worker,
    )
    dbsession.flush()
    return case, service


def refer(dbsession, keyring, case, service, *, guardian=True, child=True, unit="congan"):
    return referrals.refer(
        dbsession,
        keyring,
        case,
        service_id=service.id,
        unit_id=get_space(dbsession, unit).id,
        summary=SUMMARY,
        guardian_consent=guardian,
        consent_by=CONSENT_BY if guardian else "",
        child_consent=child,
        consent_on=local_today(),
        user_id=get_user(dbsession, "tancanh").id,
    )


def case_url(case) -> str:
    return f"/spaces/tan-canh/cases/{case.number}"


def inbox(slug="congan") -> str:
    return f"/spaces/{slug}/referrals"


def _form(page, action_end):
    return next(f for f in page.forms.values() if (f.action or "").endswith(action_end))


def _csrf(page):
    return page.html.select_one("input[name=csrf_token]")["value"]


def audit_actions(dbsession, number) -> list[str]:
    return list(
        dbsession.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.object_type == "case", AuditEntry.object_id == number)
            .order_by(AuditEntry.id)
        )
    )


def audit_details(dbsession, number) -> str:
    return str(list(dbsession.scalars(select(AuditEntry.detail).where(AuditEntry.object_id == number))))


# --- the consent rules --------------------------------------------------------------------------


def test_the_childs_consent_is_required_from_the_seventh_birthday(dbsession, keyring):
    today = local_today()
    seven_today, _ = make_case(dbsession, keyring, born=_years_before(today, 7))
    six_still, _ = make_case(dbsession, keyring, born=_years_before(today, 7) + dt.timedelta(days=1))
    unknown, _ = make_case(dbsession, keyring, born=None)
    assert referrals.child_consent_required(dbsession, keyring, seven_today, today) is True
    assert referrals.child_consent_required(dbsession, keyring, six_still, today) is False
    # no child linked: the age is not known, the stricter rule applies
    assert referrals.child_consent_required(dbsession, keyring, unknown, today) is True


@pytest.mark.parametrize(
    "years, guardian, child, state",
    [
        (6, True, False, "sent"),  # under 7: the guardian's consent is enough
        (6, False, True, "awaiting_override"),  # the guardian's consent is always required
        (8, True, False, "awaiting_override"),  # from 7: the child's consent too
        (8, True, True, "sent"),
        (None, True, False, "awaiting_override"),  # no child linked: the child's consent too
        (None, True, True, "sent"),
    ],
)
def test_a_referral_is_sent_only_with_the_consent_required(dbsession, keyring, years, guardian, child, state):
    born = None if years is None else _years_before(local_today(), years) - dt.timedelta(days=30)
    case, service = make_case(dbsession, keyring, born=born)
    version = case.version
    referral = refer(dbsession, keyring, case, service, guardian=guardian, child=child)
    assert referral.state == state
    assert (referral.sent_at is not None) == (state == "sent")
    assert case.version > version  # every write advances the case's version


def test_the_guardians_consent_names_who_gave_it_and_bad_referrals_are_refused(dbsession, keyring):
    case, service = make_case(dbsession, keyring, born=None)
    congan = get_space(dbsession, "congan").id
    base = dict(
        service_id=service.id,
        unit_id=congan,
        summary=SUMMARY,
        guardian_consent=True,
        consent_by=CONSENT_BY,
        child_consent=True,
        consent_on=local_today(),
        user_id=None,
    )
    for change, field in (
        ({"consent_by": "  "}, "consent_by"),
        ({"summary": ""}, "summary"),
        ({"unit_id": case.space_id}, "unit"),  # not the commune itself
        ({"service_id": 10**9}, "service"),
        ({"consent_on": local_today() + dt.timedelta(days=1)}, "consent_on"),
    ):
        with pytest.raises(procedure.CaseError) as refused:
            referrals.refer(dbsession, keyring, case, **{**base, **change})
        assert refused.value.field == field
    assert dbsession.scalar(select(CaseReferral.id).where(CaseReferral.case_id == case.id)) is None
    referrals.refer(dbsession, keyring, case, **base)
    with pytest.raises(procedure.CaseError) as twice:  # one referral in progress per service
        referrals.refer(dbsession, keyring, case, **base)
    assert twice.value.code == "busy"


def test_the_moves_follow_the_state_table(dbsession, keyring):
    case, service = make_case(dbsession, keyring)
    referral = refer(dbsession, keyring, case, service)
    with pytest.raises(procedure.CaseError):
        referrals.override(dbsession, keyring, referral, reason=OVERRIDE, user_id=None)  # sent already
    with pytest.raises(procedure.CaseError):
        referrals.record_outcome(
            dbsession, keyring, referral, outcome="done", outcome_on=local_today(), user_id=None
        )  # not accepted yet
    referrals.accept(dbsession, referral, user_id=None)
    with pytest.raises(procedure.CaseError):
        referrals.decline(dbsession, keyring, referral, reason=DECLINE, user_id=None)
    assert referral.state == "accepted"
    # every state the table names is a state of the model, and has its label
    for move, (sources, target) in referrals.TRANSITIONS.items():
        assert {*sources, target} <= set(REFERRAL_STATES) == set(referrals.STATE_LABELS), move


# --- the pages: the case team --------------------------------------------------------------------


def test_the_officer_refers_a_service_and_the_coordinator_sends_it_with_a_reason(as_user, dbsession, keyring):
    case, service = make_case(dbsession, keyring, born=_years_before(local_today(), 9))
    officer = as_user("tancanh")
    page = officer.get(case_url(case))
    assert page.html.select_one("#referrals") is not None
    form = _form(page, "/referrals")
    form["service"] = str(service.id)
    form["unit"] = str(get_space(dbsession, "congan").id)
    form["summary"] = SUMMARY
    form["guardian_consent"] = "yes"
    form["consent_by"] = ""
    form["child_consent"] = "no"
    refused = form.submit(status=400)  # who gave the guardian's consent is required
    assert refused.html.select_one("#err-consent_by") is not None
    assert SUMMARY in refused.text  # nothing typed is lost
    assert dbsession.scalar(select(CaseReferral.id).where(CaseReferral.case_id == case.id)) is None
    form = _form(refused, "/referrals")
    form["consent_by"] = CONSENT_BY
    page = form.submit(status=302).follow()
    referral = dbsession.scalars(select(CaseReferral).where(CaseReferral.case_id == case.id)).one()
    # a child of 9 who did not consent: the referral waits for the coordinator
    assert referral.state == "awaiting_override"
    assert referral.reference in page.text and page.html.select_one(f"#referral-{referral.reference}") is not None
    # the receiving unit knows nothing of it yet
    congan = as_user("congan")
    congan.get(f"{inbox()}/{referral.reference}", status=404)
    assert referral.reference not in congan.get(inbox()).text
    # the case worker and the chairman may not override; the coordinator may, with a reason only
    url = f"{case_url(case)}/referrals/{referral.reference}/override"
    officer.post(url, {"reason": OVERRIDE, "csrf_token": _csrf(page)}, status=403)
    head = as_user("chutich.tancanh")
    head.post(url, {"reason": OVERRIDE, "csrf_token": _csrf(head.get(case_url(case)))}, status=403)
    coordinator = as_user("dieuphoi")
    page = coordinator.get(case_url(case))
    override = _form(page, "/override")
    override["reason"] = "   "
    refused = override.submit(status=400)
    assert refused.html.select_one("#err-reason") is not None
    assert referral.state == "awaiting_override"
    override = _form(refused, "/override")
    override["reason"] = OVERRIDE
    override.submit(status=302)
    dbsession.refresh(referral)
    assert referral.state == "sent" and referral.overridden_by == get_user(dbsession, "dieuphoi").id
    # the reason is shown to the case team, and the audit line says only that it happened
    assert OVERRIDE in head.get(case_url(case)).text
    assert OVERRIDE in officer.get(case_url(case)).text
    assert {"case.referral", "case.referral_override"} <= set(audit_actions(dbsession, case.number))
    details = audit_details(dbsession, case.number)
    for typed in (OVERRIDE, SUMMARY, CONSENT_BY, "ĐVB8", "ĐRQ5"):
        assert typed not in details
    # now the receiving unit finds it
    assert referral.reference in congan.get(inbox()).text


# --- the pages: the receiving unit ---------------------------------------------------------------


def test_the_receiving_unit_reads_only_the_referral(as_user, dbsession, keyring):
    case, service = make_case(dbsession, keyring, born=_years_before(local_today(), 5))
    referral = refer(dbsession, keyring, case, service)
    congan = as_user("congan")
    listing = congan.get(inbox())
    assert listing.headers["Cache-Control"] == "no-store"
    assert referral.reference in listing.text and case.number in listing.text
    page = congan.get(f"{inbox()}/{referral.reference}")
    assert page.headers["Cache-Control"] == "no-store"
    assert SUMMARY in page.text and SERVICE in page.text
    assert case.number in page.text and "Tân Cảnh" in page.text
    for secret in (*SECRETS, CONSENT_BY):
        assert secret not in page.text and secret not in listing.text
    # the case's number as text, never a link to the case
    assert not [a for a in page.html.select("a[href]") if "/cases" in a["href"]]
    assert not [a for a in listing.html.select("a[href]") if "/cases" in a["href"]]
    assert referral.reference in page.html.title.text
    # the case's page and list remain closed to the receiving unit
    congan.get(case_url(case), status=404)
    # every reading is audited under the case's number, without free text
    assert "case.referral_read" in audit_actions(dbsession, case.number)
    details = audit_details(dbsession, case.number)
    assert SUMMARY not in details and SERVICE not in details
    # the case's access log shows who of the receiving unit read it
    log = as_user("chutich.tancanh").get(case_url(case) + "/access")
    assert "Trần Văn Hùng" in log.text


def test_a_decline_needs_a_reason_and_the_commune_reads_it(as_user, dbsession, keyring):
    case, service = make_case(dbsession, keyring, born=_years_before(local_today(), 5))
    referral = refer(dbsession, keyring, case, service)
    congan = as_user("congan")
    page = congan.get(f"{inbox()}/{referral.reference}")
    decline = next(f for f in page.forms.values() if f.fields.get("action") and f["action"].value == "decline")
    decline["reason"] = ""
    refused = decline.submit(status=400)
    assert refused.html.select_one("#err-reason") is not None
    assert referral.state == "sent"
    decline = next(f for f in refused.forms.values() if f.fields.get("action") and f["action"].value == "decline")
    decline["reason"] = DECLINE
    decline.submit(status=302)
    dbsession.refresh(referral)
    assert referral.state == "declined" and referral.answered_by == get_user(dbsession, "congan").id
    assert DECLINE in as_user("tancanh").get(case_url(case)).text
    assert "case.referral_decline" in audit_actions(dbsession, case.number)
    assert DECLINE not in audit_details(dbsession, case.number)
    # declined, the service may be referred again (to another unit)
    referrals.refer(
        dbsession,
        keyring,
        case,
        service_id=service.id,
        unit_id=get_space(dbsession, "yte").id,
        summary=SUMMARY,
        guardian_consent=True,
        consent_by=CONSENT_BY,
        child_consent=False,
        consent_on=local_today(),
        user_id=None,
    )


def test_the_outcome_is_the_services_outcome(as_user, dbsession, keyring):
    case, service = make_case(dbsession, keyring, born=_years_before(local_today(), 5))
    referral = refer(dbsession, keyring, case, service)
    congan = as_user("congan")
    page = congan.get(f"{inbox()}/{referral.reference}")
    assert not [f for f in page.forms.values() if (f.action or "").endswith("/outcome")]  # accept first
    accept = next(f for f in page.forms.values() if f.fields.get("action") and f["action"].value == "accept")
    page = accept.submit(status=302).follow()
    dbsession.refresh(referral)
    assert referral.state == "accepted"
    version = dbsession.get(Case, case.id).version
    form = _form(page, "/outcome")
    form["outcome"] = "not_done"
    form["outcome_note"] = ""
    refused = form.submit(status=400)  # not done: say why
    assert refused.html.select_one("#err-outcome_note") is not None
    assert service.outcome is None
    form = _form(refused, "/outcome")
    form["outcome"] = "done"
    form["outcome_note"] = OUTCOME
    form.submit(status=302)
    dbsession.refresh(referral)
    dbsession.refresh(service)
    assert referral.state == "completed" and referral.outcome == "done"
    assert (service.outcome, service.outcome_on, service.outcome_by) == (
        "done",
        local_today(),
        get_user(dbsession, "congan").id,
    )
    assert procedure.read_service(keyring, service).outcome_note == OUTCOME
    assert dbsession.get(Case, case.id).version > version
    assert OUTCOME in as_user("tancanh").get(case_url(case)).text
    assert "case.referral_outcome" in audit_actions(dbsession, case.number)
    assert OUTCOME not in audit_details(dbsession, case.number)


def test_a_closed_case_stops_the_referral(dbsession, keyring):
    case, service = make_case(dbsession, keyring)
    referral = refer(dbsession, keyring, case, service)
    case.closed_at = utcnow()
    with pytest.raises(procedure.CaseError) as refused:
        referrals.accept(dbsession, referral, user_id=None)
    assert refused.value.code == "case_closed" and referral.state == "sent"


def test_nobody_else_finds_a_referral(as_user, make_app, dbsession, keyring, factory):
    case, service = make_case(dbsession, keyring, born=_years_before(local_today(), 5))
    referral = refer(dbsession, keyring, case, service)
    waiting, _ = make_case(dbsession, keyring)
    one = f"{inbox()}/{referral.reference}"
    # a viewer of the receiving unit, and an officer of it that is not one (of another unit)
    viewer = factory.user("xem.congan", full_name="Người xem Công an")
    dbsession.add(Membership(user_id=viewer.id, space_id=get_space(dbsession, "congan").id, role="viewer"))
    dbsession.flush()
    for login in ("admin", "sotinh", "dieuphoi", "giaoduc", "yte", "tancanh", "chutich.tancanh", "xem.congan"):
        browser = as_user(login)
        for path in (inbox(), one, f"{inbox()}/NOPE0-NOPE0"):
            response = browser.get(path, status=404)
            assert response.headers["Cache-Control"] == "no-store"
            assert SUMMARY not in response.text
        token = _csrf(browser.get("/"))
        browser.post(one + "/answer", {"action": "accept", "csrf_token": token}, status=404)
        browser.post(one + "/outcome", {"outcome": "done", "csrf_token": token}, status=404)
    # the referral through another unit's address: not found either
    as_user("giaoduc").get(f"{inbox('giaoduc')}/{referral.reference}", status=404)
    # signed out: sign in first, whatever the address
    anonymous = make_app()
    response = anonymous.get(one, status=302)
    assert response.location.endswith("/login") or "/login" in response.location
    assert dbsession.get(CaseReferral, referral.id).state == "sent"
    # the override of a case not one's own: 404 (an unknown referral too)
    url = f"{case_url(waiting)}/referrals/NOPE0-NOPE0/override"
    coordinator = as_user("dieuphoi")
    coordinator.post(url, {"reason": OVERRIDE, "csrf_token": _csrf(coordinator.get("/"))}, status=404)
    congan = as_user("congan")
    congan.post(
        f"{case_url(case)}/referrals/{referral.reference}/override",
        {"reason": OVERRIDE, "csrf_token": _csrf(congan.get("/"))},
        status=404,
    )


# --- at rest ------------------------------------------------------------------------------------


def test_the_referrals_texts_are_encrypted_rotated_and_erased(dbsession, keyring):
    case, service = make_case(dbsession, keyring)
    referral = refer(dbsession, keyring, case, service, child=False)
    referrals.override(dbsession, keyring, referral, reason=OVERRIDE, user_id=None)
    referrals.accept(dbsession, referral, user_id=None)
    referrals.record_outcome(
        dbsession, keyring, referral, outcome="done", outcome_on=local_today(), outcome_note=OUTCOME, user_id=None
    )
    dbsession.flush()
    raw = dict(
        dbsession.execute(text("SELECT * FROM case_referrals WHERE id = :id"), {"id": referral.id}).mappings().one()
    )
    stored = " ".join(str(v) for v in raw.values())
    for typed in (SUMMARY, CONSENT_BY, OVERRIDE, OUTCOME, "ĐRQ5", "ĐVB8", "ĐOC2", "Hư Cấu"):
        assert typed not in stored
    assert all(raw[c].startswith("v1.") for c in ("summary", "consent_by", "override_reason", "outcome_note"))
    record = referrals.read_referral(keyring, referral)
    assert (record.summary, record.consent_by, record.override_reason) == (SUMMARY, CONSENT_BY, OVERRIDE)
    assert SUMMARY not in repr(record)
    # key rotation reaches the referrals (nothing to do under the current key)
    from intranet.cases.services import rotate_all

    assert rotate_all(dbsession, keyring) == 0
    # the end of the retention period erases the referral's texts with the case's
    procedure.add_review(
        dbsession,
        keyring,
        case,
        reviewed_on=local_today(),
        harm="low",
        access="low",
        environment="low",
        decision="close",
        user_id=None,
    )
    assert case.number in procedure.erase_expired(dbsession, keyring, closed_before=utcnow() + dt.timedelta(seconds=1))
    dbsession.refresh(referral)
    erased = referrals.read_referral(keyring, referral)
    assert (erased.summary, erased.consent_by, erased.override_reason, erased.outcome_note) == ("", "", "", "")
    assert erased.decline_reason is None and referral.state == "completed"
