"""The demo's children: a few clearly fictional entries in Tân Cảnh's register (never in production).

Their names say what they are ("Mẫu", "Thử Nghiệm", "Minh Họa", "Ví Dụ": sample, test,
illustration, example). Ages and dates are counted back from the day the demo is seeded (the demo
clock of development.ini, or the real day), so that each is a child, and each group and support is
in the past, whatever that day is.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from intranet.accounts.models import User
from intranet.cases import procedure, referrals, services
from intranet.cases.keys import get_keyring
from intranet.cases.models import Case, Child
from intranet.clock import utcnow
from intranet.i18n import local_today
from intranet.spaces.models import Space

#: The commune whose register the demo fills.
DEMO_COMMUNE = "tan-canh"

#: (name, years and days old, sex, ethnic group, village, carers, contact, groups as (code, days
#: ago from, days ago until or None), supports as (what, days ago, giving unit's slug or None)).
DEMO_CHILDREN = [
    (
        "Nguyễn Văn Mẫu",
        (8, 47),
        "male",
        "14",
        "Thôn Minh Họa 1",
        "Bà nội (nhân vật hư cấu của bản demo)",
        "",
        [("no_carer", 400, None)],
        [("Hỗ trợ gạo và sách vở đầu năm học", 240, "ldtbxh")],
    ),
    (
        "Y Thử Nghiệm",
        (5, 210),
        "female",
        "13",
        "Thôn Minh Họa 2",
        "Cha mẹ (nhân vật hư cấu)",
        "",
        [("disabled", 900, None)],
        [("Khám và cấp xe lăn", 75, "yte")],
    ),
    (
        "A Minh Họa",
        (13, 120),
        "male",
        "14",
        "Thôn Minh Họa 1",
        "Mẹ (nhân vật hư cấu), cha đi làm ăn xa",
        "",
        [("risk_labour", 130, None)],
        [],
    ),
    (
        "Trần Thị Ví Dụ",
        (10, 5),
        "female",
        "01",
        "Thôn Minh Họa 3",
        "Ông bà ngoại (nhân vật hư cấu)",
        "",
        [("violence", 27, None)],
        [("Tư vấn tâm lý cho trẻ và gia đình", 20, None)],
    ),
]


def seed_demo_children(dbsession, registry) -> int:
    """The demo's children in Tân Cảnh's register (once); the number added."""
    space = dbsession.scalars(select(Space).where(Space.slug == DEMO_COMMUNE)).one_or_none()
    if space is None or dbsession.scalar(select(Child.id).where(Child.space_id == space.id).limit(1)):
        return 0
    keyring = get_keyring(registry)
    officer = dbsession.scalar(select(User.id).where(User.login == "tancanh"))
    units = dict(dbsession.execute(select(Space.slug, Space.id)).all())
    today = local_today()
    added = 0
    for name, (years, days), sex, ethnicity, village, carers, contact, groups, supports in DEMO_CHILDREN:
        born = _years_before(today, years) - dt.timedelta(days=days)
        fields = services.ChildFields(
            full_name=name,
            date_of_birth=born,
            sex=sex,
            ethnicity=ethnicity,
            village=village,
            carers=carers,
            contact=contact,
        )
        child = services.register_child(dbsession, keyring, space.id, fields, officer)
        for code, since, until in groups:
            start = max(born, today - dt.timedelta(days=since))
            end = None if until is None else today - dt.timedelta(days=until)
            services.add_group(dbsession, child, code, start, end, officer)
        for what, ago, unit in supports:
            services.add_support(
                dbsession, keyring, child, what, today - dt.timedelta(days=ago), units.get(unit), officer
            )
        added += 1
    return added


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


#: The demo's cases in Tân Cảnh, each (hours before the seeding moment the report was received,
#: who reported, what happened, the demo child's name or None, how far it went: "received",
#: "initial", "detailed", "plan" or "referred": its plan approved by the chairman and one of its
#: services referred to the district police, who have yet to answer). The first is overdue: its
#: initial assessment is 30 hours late.
DEMO_CASES = [
    (42, "hotline_111", "Tổng đài 111 chuyển tin: trẻ bị bỏ mặc nhiều ngày (trường hợp hư cấu).", None, "received"),
    (
        60,
        "school",
        "Nhà trường báo tin em nghỉ học để đi làm thuê (trường hợp hư cấu).",
        "A Minh Họa",
        "plan",
    ),
    (6, "family", "Bà ngoại báo tin em bị đánh ở nhà (trường hợp hư cấu).", "Trần Thị Ví Dụ", "initial"),
    (
        120,
        "police",
        "Công an xã báo tin em bị người lạ dụ dỗ đi làm xa (trường hợp hư cấu).",
        "Y Thử Nghiệm",
        "referred",
    ),
]


def seed_demo_cases(dbsession, registry) -> int:
    """The demo's cases in Tân Cảnh (once), managed by its child-protection officer; the number added."""
    space = dbsession.scalars(select(Space).where(Space.slug == DEMO_COMMUNE)).one_or_none()
    if space is None or dbsession.scalar(select(Case.id).where(Case.space_id == space.id).limit(1)):
        return 0
    keyring = get_keyring(registry)
    officer = dbsession.scalar(select(User.id).where(User.login == "tancanh"))
    now = utcnow()
    added = 0
    for hours, kind, account, child_name, reached in DEMO_CASES:
        received = now - dt.timedelta(hours=hours)
        child_id = None
        if child_name:
            for child in dbsession.scalars(select(Child).where(Child.space_id == space.id)):
                if services.read_child(keyring, child).full_name == child_name:
                    child_id = child.id
        case = procedure.open_case(
            dbsession,
            keyring,
            space.id,
            received_at=received,
            reporter_kind=kind,
            reporter="",
            account=account,
            child_id=child_id,
            case_worker_id=officer,
            user_id=officer,
        )
        if reached in ("initial", "detailed", "plan", "referred"):
            procedure.record_initial_assessment(
                dbsession,
                keyring,
                case,
                initial_at=received + dt.timedelta(hours=3),
                harm="medium",
                access="high" if kind == "family" else "low",
                environment="medium",
                in_danger=kind == "family",
                emergency_measures="Đưa trẻ về ở với bà ngoại (hư cấu)." if kind == "family" else "",
                user_id=officer,
            )
        if reached in ("detailed", "plan", "referred"):
            procedure.record_detailed_assessment(
                dbsession,
                keyring,
                case,
                detailed_at=received + dt.timedelta(hours=20),
                findings="Gia đình khó khăn, cha mẹ đi làm xa (hư cấu).",
                meeting_at=received + dt.timedelta(hours=26),
                user_id=officer,
            )
        if reached in ("plan", "referred"):
            procedure.draft_plan(
                dbsession,
                keyring,
                case,
                plan_text="Vận động em trở lại trường; hỗ trợ sách vở; thăm gia đình hằng tuần (hư cấu).",
                user_id=officer,
            )
        if reached == "referred":
            _approve_and_refer(dbsession, keyring, case, officer)
        added += 1
    return added


def _approve_and_refer(dbsession, keyring, case: Case, officer: int | None) -> None:
    """The plan submitted and approved by the commune's chairman; a service for the district
    police, referred to them with the consent of the child's mother and of the child."""
    chairman = dbsession.scalar(select(User.id).where(User.login == "chutich.tancanh"))
    police = dbsession.scalar(select(Space.id).where(Space.slug == "congan"))
    procedure.move_plan(dbsession, keyring, case, "submit", user_id=officer)
    procedure.move_plan(
        dbsession,
        keyring,
        case,
        "approve",
        user_id=chairman,
        decision_number="07/QĐ-UBND",
        decision_date=local_today(),
    )
    if police is None:
        return
    service = procedure.add_service(
        dbsession,
        keyring,
        case,
        description="Xác minh người dụ dỗ em đi làm xa (hư cấu).",
        due_on=local_today() + dt.timedelta(days=7),
        assigned_space_id=police,
        user_id=officer,
    )
    dbsession.flush()
    referrals.refer(
        dbsession,
        keyring,
        case,
        service_id=service.id,
        unit_id=police,
        summary="Đề nghị Công an huyện xác minh người lạ dụ dỗ em (hư cấu).",
        guardian_consent=True,
        consent_by="Mẹ của em (hư cấu)",
        child_consent=True,
        consent_on=local_today(),
        user_id=officer,
    )
