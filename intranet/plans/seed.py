"""The 2017 Đăk Tô plan, and (in development) the demo communes' plans of 2017.

Run by ``intranet seed`` (intranet/seed.py); idempotent.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from sqlalchemy import select

from intranet.accounts.models import User
from intranet.host import get_registry
from intranet.models.meta import utcnow
from intranet.plans import services
from intranet.plans.models import CommunePlan, CommunePlanActivity, Plan
from intranet.spaces.models import Space

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


def seed_plan(dbsession) -> tuple[object, bool]:
    plan = dbsession.scalars(select(Plan).where(Plan.year == PLAN_2017["year"])).one_or_none()
    if plan is not None:
        return plan, False
    plan = Plan(**PLAN_2017)
    dbsession.add(plan)
    return plan, True


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
