"""Load the 2017 Đăk Tô plan, the spaces the plugins declare, and (in development) demo accounts.

Idempotent: a second run finds everything in place and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import os
import sys

import transaction
from sqlalchemy import select

from intranet import clock
from intranet.config import ConfigurationError, is_production
from intranet.models.meta import utcnow

PLAN_2017 = {
    "year": 2017,
    "title": "Kế hoạch thực hiện Chương trình bảo vệ trẻ em huyện Đăk Tô năm 2017",
    "issuer": "Ủy ban nhân dân huyện Đăk Tô",
    "summary": (
        "Thực hiện Kế hoạch số 844/KH-UBND ngày 27/4/2016 của UBND tỉnh Kon Tum và Quyết định số "
        "624/QĐ-UBND ngày 09/6/2016 của UBND tỉnh Kon Tum về bộ chỉ số bảo vệ trẻ em tỉnh Kon Tum "
        "giai đoạn 2016-2020."
    ),
    "half_year_due": dt.date(2017, 6, 5),
    "year_due": dt.date(2017, 12, 15),
}

#: The order of section V of the plan, then the communes as the district lists them.
SPACE_ORDER = [
    "ldtbxh",
    "taichinh-kehoach",
    "noivu",
    "yte",
    "giaoduc",
    "vanhoa-thongtin",
    "congan",
    "trungtam-yte",
    "danso-khhgd",
    "truyenthanh-truyenhinh",
    "mattran-doanthe",
    "tt-dak-to",
    "tan-canh",
    "kon-dao",
    "dak-tram",
    "ngoc-tu",
    "dak-ro-nga",
    "dien-binh",
    "po-ko",
    "van-lem",
]

DEMO_PASSWORD = "demo2017"

#: login, full name, global role, (space slug, local role) or None, who (for the printed table)
DEMO_ACCOUNTS = [
    ("admin", "Quản trị hệ thống", "admin", None, "site administrator"),
    ("dieuphoi", "Nguyễn Thị Lan", "coordinator", ("ldtbxh", "head"), "district coordinator, head of ldtbxh"),
    ("congan", "Trần Văn Hùng", None, ("congan", "officer"), "officer of congan"),
    ("giaoduc", "Lê Thị Mai", None, ("giaoduc", "officer"), "officer of giaoduc"),
    ("yte", "Phạm Văn Đức", None, ("yte", "officer"), "officer of yte"),
    ("truyenhinh", "Võ Thị Hạnh", None, ("truyenthanh-truyenhinh", "officer"), "officer of truyenthanh-truyenhinh"),
    ("tancanh", "A Thịnh", None, ("tan-canh", "officer"), "officer of tan-canh"),
    ("chutich.tancanh", "Y Bình", None, ("tan-canh", "head"), "head (chairman) of tan-canh"),
    ("sotinh", "Đỗ Quang Minh", "province", None, "provincial viewer (Sở LĐTBXH)"),
]


def seed_plan(dbsession) -> tuple[object, bool]:
    from intranet.plans.models import Plan

    plan = dbsession.scalars(select(Plan).where(Plan.year == PLAN_2017["year"])).one_or_none()
    if plan is not None:
        return plan, False
    plan = Plan(**PLAN_2017)
    dbsession.add(plan)
    return plan, True


def seed_spaces(dbsession, registry) -> list[str]:
    """Create the spaces the enabled plugins declare; return the slugs created."""
    from intranet.plugin.registry import get_registry
    from intranet.spaces.models import Space

    reg = get_registry(registry)
    existing = set(dbsession.scalars(select(Space.slug)))
    created = []
    for kind in reg.kinds.values():
        for seed in kind.spaces:
            if seed.slug in existing:
                continue
            order = SPACE_ORDER.index(seed.slug) if seed.slug in SPACE_ORDER else len(SPACE_ORDER)
            dbsession.add(
                Space(
                    slug=seed.slug,
                    kind=kind.key,
                    category=kind.category,
                    title=seed.title,
                    title_en=seed.title_en,
                    sort_order=order,
                )
            )
            created.append(seed.slug)
    dbsession.flush()
    return created


def ensure_user(dbsession, login, full_name, password, global_role=None) -> tuple[object, bool]:
    from intranet.accounts.models import User
    from intranet.accounts.services import hash_password

    user = dbsession.scalars(select(User).where(User.login == login)).one_or_none()
    if user is not None:
        return user, False
    user = User(login=login, full_name=full_name, password_hash=hash_password(password), global_role=global_role)
    dbsession.add(user)
    dbsession.flush()
    return user, True


def ensure_membership(dbsession, user, slug, role) -> bool:
    from intranet.spaces.models import Membership, Space

    space = dbsession.scalars(select(Space).where(Space.slug == slug)).one_or_none()
    if space is None:
        return False
    found = dbsession.scalars(
        select(Membership).where(Membership.user_id == user.id, Membership.space_id == space.id)
    ).one_or_none()
    if found is not None:
        return False
    dbsession.add(Membership(user_id=user.id, space_id=space.id, role=role))
    return True


def seed_demo(dbsession) -> int:
    changed = 0
    for login, name, global_role, membership, _who in DEMO_ACCOUNTS:
        user, created = ensure_user(dbsession, login, name, DEMO_PASSWORD, global_role)
        changed += created
        if membership:
            changed += ensure_membership(dbsession, user, *membership)
    return changed


def seed_admin_from_env(dbsession) -> bool:
    login = os.environ.get("INTRANET_ADMIN_LOGIN", "").strip().lower()
    password = os.environ.get("INTRANET_ADMIN_PASSWORD", "")
    if not login and not password:
        return False
    if not login or not password:
        raise ConfigurationError("Set both INTRANET_ADMIN_LOGIN and INTRANET_ADMIN_PASSWORD.")
    from intranet.accounts.services import password_problem

    if password_problem(password) is not None:
        raise ConfigurationError("INTRANET_ADMIN_PASSWORD must have 8 to 256 characters.")
    _user, created = ensure_user(dbsession, login, "Quản trị hệ thống", password, "admin")
    return created


def run_seed(settings: dict, *, demo: bool = False, out=sys.stdout) -> None:
    from intranet import main
    from intranet.models import get_tm_session

    if demo and is_production(settings):
        raise ConfigurationError("Refusing to create demo accounts against a production configuration.")
    app = main({}, **settings)
    registry = app.registry
    day = clock.demo_today()
    if day is not None:
        print(
            f"Demo clock (intranet.demo_today): today is {day:%d/%m/%Y}; the demo is seeded as of that day.",
            file=out,
            flush=True,
        )
    session_factory = registry["dbsession_factory"]
    with transaction.manager:
        dbsession = get_tm_session(session_factory, transaction.manager)
        plan, plan_created = seed_plan(dbsession)
        print(f"Plan 2017: {'loaded' if plan_created else 'already present'}.", file=out, flush=True)
        dbsession.flush()
        from intranet.reports.seed import seed_demo_reports, seed_periods, seed_targets

        print(
            f"Reporting periods: {seed_periods(dbsession, plan)} added; "
            f"indicator targets: {seed_targets(dbsession, plan)} added.",
            file=out,
            flush=True,
        )
        created = seed_spaces(dbsession, registry)
        print(
            f"Spaces: {len(created)} created" + (f" ({', '.join(created)})." if created else "."), file=out, flush=True
        )
        from intranet.assessments.seed import seed_criteria_sets

        print(
            f"Criteria sets (child-friendly communes): {seed_criteria_sets(dbsession, registry)} added.",
            file=out,
            flush=True,
        )
        if demo:
            changed = seed_demo(dbsession)
            print(f"Demo accounts: {changed} rows added (password {DEMO_PASSWORD!r}).", file=out, flush=True)
            dbsession.flush()
            print(
                f"Demo reports (half-year 2017): {seed_demo_reports(dbsession, registry)} added.", file=out, flush=True
            )
            print(
                f"Demo commune plans (2017): {seed_demo_commune_plans(dbsession, registry)} added.",
                file=out,
                flush=True,
            )
        else:
            if seed_admin_from_env(dbsession):
                print("Administrator created from INTRANET_ADMIN_LOGIN.", file=out, flush=True)
        dbsession.flush()
        seed_plugins(dbsession, registry, demo=demo, out=out)
        if demo:
            print_demo_accounts(out)
    registry["dbengine"].dispose()


def seed_plugins(dbsession, registry, *, demo: bool, out=sys.stdout) -> None:
    """Let each enabled plugin load its own reference (and demonstration) rows."""
    from intranet.plugin.registry import get_registry

    for key, info in get_registry(registry).plugins.items():
        if info.plugin.seed is None:
            continue
        added = info.plugin.seed(dbsession, demo=demo)
        dbsession.flush()
        print(f"Plugin {key}: {added} rows added.", file=out, flush=True)


def print_demo_accounts(out=sys.stdout) -> None:
    print("", file=out)
    print(f"  {'login':<17} who (password: {DEMO_PASSWORD})", file=out)
    for login, _name, _g, _m, who in DEMO_ACCOUNTS:
        print(f"  {login:<17} {who}", file=out)
    print("", file=out, flush=True)


# --- commune annual plans (demo) -------------------------------------------------------------------

#: slug -> (state, number, submitted on, approved on); Tân Cảnh and Văn Lem have no plan yet
#: (Tân Cảnh's officer drafts it in the browser test).
DEMO_COMMUNE_PLANS = {
    "tt-dak-to": ("approved", "15/KH-UBND", dt.datetime(2017, 2, 10, 2, 0), dt.datetime(2017, 2, 20, 3, 0)),
    "kon-dao": ("approved", "09/KH-UBND", dt.datetime(2017, 2, 14, 2, 0), dt.datetime(2017, 2, 24, 3, 0)),
    "dak-tram": ("approved", "11/KH-UBND", dt.datetime(2017, 2, 15, 2, 0), dt.datetime(2017, 3, 1, 3, 0)),
    "dien-binh": ("approved", "07/KH-UBND", dt.datetime(2017, 2, 9, 2, 0), dt.datetime(2017, 2, 17, 3, 0)),
    "ngoc-tu": ("submitted", "", dt.datetime(2017, 3, 6, 2, 0), None),
    "dak-ro-nga": ("returned", "", dt.datetime(2017, 3, 2, 2, 0), None),
    "po-ko": ("draft", "", None, None),
}
DEMO_RETURN_COMMENT = (
    "Đề nghị xã xác định lại chỉ tiêu số trẻ em lao động sớm cho phù hợp với chỉ tiêu "
    "của huyện (giảm 10 % so với năm 2016)."
)
DEMO_REVISION_REASON = "Điều chỉnh kinh phí sau khi HĐND xã phê duyệt dự toán bổ sung."

#: (what, months, responsible, budget in đồng, source, duty)
DEMO_ACTIVITIES = [
    (
        "Tổ chức truyền thông về quyền trẻ em, phòng chống tai nạn thương tích, đuối nước tại các thôn và trường học",
        [3, 4, 5, 9],
        "Công chức Văn hóa – Xã hội; Đoàn Thanh niên xã",
        3_000_000,
        "Ngân sách xã",
        "xa.truyen-thong-cau-lac-bo",
    ),
    (
        "Hưởng ứng Tháng hành động vì trẻ em; tổ chức Tết Trung thu cho trẻ em",
        [6, 9, 10],
        "UBND xã; Hội Liên hiệp Phụ nữ xã",
        5_000_000,
        "Ngân sách xã và vận động xã hội hóa",
        "xa.to-chuc-thuc-hien",
    ),
    (
        "Rà soát, cập nhật danh sách trẻ em có hoàn cảnh đặc biệt và trẻ em có nguy cơ",
        [1, 7],
        "Công chức Lao động – Thương binh và Xã hội xã",
        0,
        "",
        "xa.quan-ly-tre-em-hcdb",
    ),
    (
        "Họp giao ban cộng tác viên thôn; phát hiện, can thiệp kịp thời các trường hợp trẻ em có nguy cơ",
        [3, 6, 9, 12],
        "Ban Bảo vệ trẻ em xã",
        2_400_000,
        "Kinh phí Chương trình bảo vệ trẻ em",
        "xa.phat-hien-can-thiep",
    ),
    (
        "Báo cáo kết quả 6 tháng và năm về UBND huyện (qua Phòng LĐTBXH)",
        [6, 12],
        "Công chức Lao động – Thương binh và Xã hội xã",
        0,
        "",
        "xa.bao-cao-dinh-ky",
    ),
]
DEMO_SECTIONS = {
    "situation": (
        "Toàn xã có {children} trẻ em dưới 16 tuổi, trong đó {hcdb} trẻ em có hoàn cảnh đặc biệt. "
        "Năm 2016 còn xảy ra tai nạn thương tích, đuối nước ở trẻ em; một số trẻ em phải lao động sớm "
        "giúp gia đình trong mùa vụ."
    ),
    "solutions": (
        "Tăng cường truyền thông tại thôn, làng; phối hợp với nhà trường, Đoàn Thanh niên, Hội Phụ nữ; "
        "duy trì đội ngũ cộng tác viên thôn; huy động nguồn lực xã hội hóa cho trẻ em nghèo."
    ),
    "organisation": (
        "Công chức Lao động – Thương binh và Xã hội xã là đầu mối, tham mưu UBND xã triển khai kế "
        "hoạch; các ban, ngành, đoàn thể theo chức năng phối hợp thực hiện; báo cáo định kỳ về "
        "UBND huyện (qua Phòng LĐTBXH) trước ngày 05/6 và 15/12."
    ),
}


def _demo_targets(plan, registry, rng) -> None:
    from decimal import Decimal

    from intranet.plugin.registry import get_registry

    indicators = get_registry(registry).indicators
    for t in plan.targets:
        indicator = indicators.get(t.indicator_key)
        if t.unit == "%":
            t.target = Decimal({"can_thiep_tre_em_nguy_co": 75, "nang_cao_nhan_thuc": 65}.get(t.indicator_key, 100))
        elif t.unit == "xã":
            t.target = Decimal(1)
        else:
            baseline = (
                rng.randint(0, 3)
                if t.indicator_key in ("tre_em_vi_pham_phap_luat", "tre_em_lang_thang")
                else rng.randint(10, 140)
            )
            t.baseline = Decimal(baseline)
            lower = indicator is not None and indicator.better == "lower"
            t.target = Decimal(int(baseline * 0.9) if lower else baseline)


def seed_demo_commune_plans(dbsession, registry, year: int = 2017) -> int:
    """A realistic mix of the communes' plans of ``year`` (once); returns the number of plans added.

    Only what has happened by now is played: a step dated after now (on the demo clock of
    development.ini, or the real one) is left for the people of the demo to take.
    """
    import random

    from intranet.accounts.models import User
    from intranet.plans import services
    from intranet.plans.models import CommunePlan, CommunePlanActivity
    from intranet.spaces.models import Space

    if dbsession.scalar(select(CommunePlan.id).limit(1)) is not None:
        return 0
    now = utcnow()
    start = dt.datetime(year, 1, 20, 2, 0)
    if start > now:
        return 0
    coordinator = dbsession.scalars(select(User).where(User.login == "dieuphoi")).one_or_none()
    reviewer_id = coordinator.id if coordinator else None
    spaces = {s.slug: s for s in dbsession.scalars(select(Space).where(Space.slug.in_(list(DEMO_COMMUNE_PLANS))))}
    added = 0
    for slug, (state, number, submitted_at, approved_at) in DEMO_COMMUNE_PLANS.items():
        space = spaces.get(slug)
        if space is None:
            continue
        returned_at = submitted_at + dt.timedelta(days=5) if state == "returned" else None
        submitted_at = submitted_at if submitted_at and submitted_at <= now else None
        approved_at = approved_at if submitted_at and approved_at and approved_at <= now else None
        returned_at = returned_at if submitted_at and returned_at and returned_at <= now else None
        rng = random.Random(f"plan:{slug}:{year}")
        plan = services.new_plan(dbsession, registry, space, year, None)
        plan.number = number if approved_at else ""
        _demo_targets(plan, registry, rng)
        for order, (title, months, responsible, budget, source, duty) in enumerate(DEMO_ACTIVITIES, start=1):
            activity = CommunePlanActivity(
                sort_order=order,
                title=title,
                responsible=responsible,
                budget=budget,
                budget_source=source,
                duty_key=duty,
            )
            activity.months = months
            plan.activities.append(activity)
        for section in plan.sections:
            section.text = DEMO_SECTIONS[section.key].format(children=rng.randint(600, 1800), hcdb=rng.randint(55, 140))
        services.apply_transition(plan, "save", None)
        if submitted_at:
            services.apply_transition(plan, "submit", None)
        if approved_at:
            services.apply_transition(plan, "approve", reviewer_id)
        elif returned_at:
            services.apply_transition(plan, "return", reviewer_id, "", {"targets": DEMO_RETURN_COMMENT})
        plan.submitted_at, plan.approved_at = submitted_at, approved_at
        for event in plan.events:
            event.at = {
                "submit": submitted_at,
                "approve": approved_at,
                "return": returned_at,
                "comment": returned_at,
            }.get(event.action) or start
        plan.created_at, plan.updated_at = start, max(e.at for e in plan.events)
        dbsession.flush()
        added += 1
        revised_at = dt.datetime(year, 5, 2, 2, 0)
        if slug == "dien-binh" and approved_at and revised_at <= now:
            # A revised plan: the first approved revision stays readable.
            new = services.open_revision(dbsession, plan, None, DEMO_REVISION_REASON)
            new.activities[1].budget = 7_000_000
            new_submitted_at = dt.datetime(year, 5, 8, 2, 0)
            new_approved_at = dt.datetime(year, 5, 15, 3, 0)
            if new_submitted_at <= now:
                services.apply_transition(new, "submit", None)
            if new_submitted_at <= now and new_approved_at <= now:
                new.number = "21/KH-UBND"
                services.apply_transition(new, "approve", reviewer_id)
            new.submitted_at = new_submitted_at if new.state != "draft" else None
            new.approved_at = new_approved_at if new.state == "approved" else None
            for event in plan.events[-1:] + list(new.events):
                event.at = {"submit": new.submitted_at, "approve": new.approved_at}.get(event.action) or revised_at
            plan.updated_at = revised_at
            new.created_at, new.updated_at = revised_at, max(e.at for e in new.events)
            dbsession.flush()
            added += 1
    return added
