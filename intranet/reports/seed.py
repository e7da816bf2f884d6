"""Reporting periods and indicator targets of the 2017 plan; a believable demo half-year.

The demo (development only) tells the half-year 2017 as dated steps, and the seed plays the steps
dated up to now. On the demo day of development.ini (29/05/2017, a week before the due date) some
units have been accepted, some wait for review and others are drafting; tan-canh has not begun,
so its officer can file, submit and see the report through. On a clock past the lock date (the
real one) the whole story has happened: most units submitted and many were accepted, one was
returned, one came late, and two never reported, so every page has something real to show.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from sqlalchemy import select

from intranet.accounts.models import User
from intranet.models.meta import utcnow
from intranet.plugin.forms import DataElement
from intranet.reports import services
from intranet.reports.models import IndicatorTarget, Period, Submission
from intranet.reports.services import OPS, Entry, check_for_submission, field_name
from intranet.spaces.models import Space

PERIODS_2017 = [
    dict(
        code="2017-6t",
        kind="half_year",
        year=2017,
        title="6 tháng đầu năm 2017",
        title_en="First half of 2017",
        start_date=dt.date(2017, 1, 1),
        end_date=dt.date(2017, 6, 30),
        due_date=dt.date(2017, 6, 5),
        lock_date=dt.date(2017, 7, 5),
    ),
    dict(
        code="2017",
        kind="year",
        year=2017,
        title="Năm 2017",
        title_en="Year 2017",
        start_date=dt.date(2017, 1, 1),
        end_date=dt.date(2017, 12, 31),
        due_date=dt.date(2017, 12, 15),
        lock_date=dt.date(2018, 1, 15),
    ),
]

#: Section I of the plan, with the footnote's 2016 baselines.
TARGETS_2017 = [
    ("ho_tro_tre_em_khuyet_tat_xam_hai_hiv", None, "at_least", 100, "100 % được can thiệp, trợ giúp"),
    ("can_thiep_tre_em_nguy_co", None, "at_least", 75, "75 % được can thiệp"),
    ("tre_em_hcdb", 1210, "change_pct", -5, "Giảm 5 % so với năm 2016"),
    ("tre_em_tai_nan_thuong_tich", 124, "change_pct", -10, "Giảm 10 % so với năm 2016"),
    ("tre_em_vi_pham_phap_luat", 1, "change_pct", -10, "Giảm 10 % so với năm 2016"),
    ("tre_em_lao_dong_som", 435, "change_pct", -10, "Giảm 10 % so với năm 2016"),
    ("tre_em_lang_thang", None, "at_most", 0, "Không để xảy ra"),
    ("xa_phu_hop_voi_tre_em", None, "at_least", 9, "9/9 xã, thị trấn"),
    ("xa_co_he_thong_dich_vu", 4, "at_least", 4, "Duy trì 4/9 xã, thị trấn"),
    ("nang_cao_nhan_thuc", None, "at_least", 65, "65 % gia đình, nhà trường, cộng đồng và trẻ em"),
]


def seed_periods(dbsession, plan) -> int:
    existing = set(dbsession.scalars(select(Period.code)))
    added = 0
    for data in PERIODS_2017:
        if data["code"] not in existing:
            dbsession.add(Period(plan_id=plan.id, **data))
            added += 1
    return added


def seed_targets(dbsession, plan) -> int:
    existing = set(dbsession.scalars(select(IndicatorTarget.indicator_key).where(IndicatorTarget.plan_id == plan.id)))
    added = 0
    for order, (key, baseline, mode, value, text) in enumerate(TARGETS_2017):
        if key not in existing:
            dbsession.add(
                IndicatorTarget(
                    plan_id=plan.id,
                    indicator_key=key,
                    baseline=baseline,
                    target_mode=mode,
                    target_value=value,
                    target_text=text,
                    sort_order=order,
                )
            )
            added += 1
    return added


# --- demo half-year -------------------------------------------------------------------------------


def _utc(month: int, day: int, hour: int = 2, minute: int = 0) -> dt.datetime:
    """A stored time of 2017 (UTC; Đăk Tô is 7 hours ahead: 02:00 is 9 in the morning there)."""
    return dt.datetime(2017, month, day, hour, minute)


#: The steps of most units: a draft, submitted on time, accepted the next morning.
DEMO_STEPS = (("save", _utc(5, 22)), ("submit", _utc(6, 1, 8)), ("accept", _utc(6, 2)))
#: slug -> its steps (action, when); units not listed here follow DEMO_STEPS, van-lem never reports.
DEMO_SCENARIO = {
    # Early: accepted before the demo day (29/05), or waiting for the coordinator on that day.
    "tt-dak-to": (("save", _utc(5, 16)), ("submit", _utc(5, 24, 3)), ("accept", _utc(5, 25))),
    "giaoduc": (("save", _utc(5, 18)), ("submit", _utc(5, 25, 4)), ("accept", _utc(5, 26))),
    "dak-tram": (("save", _utc(5, 19)), ("submit", _utc(5, 26, 3)), ("accept", _utc(6, 1, 3))),
    "noivu": (("save", _utc(5, 22)), ("submit", _utc(5, 26, 7)), ("accept", _utc(6, 1, 4))),
    "kon-dao": (("save", _utc(5, 25)), ("submit", _utc(6, 2, 9, 30)), ("return", _utc(6, 3))),
    "yte": (("save", _utc(5, 26)), ("submit", _utc(6, 4, 10))),
    "danso-khhgd": (("save", _utc(6, 1)), ("submit", _utc(6, 5, 16))),
    "dien-binh": (("save", _utc(6, 6)), ("submit", _utc(6, 9, 15)), ("accept", _utc(6, 12))),  # late
    # Nothing filed by the lock date: the coordinator allowed it afterwards.
    "tan-canh": (("reopen", _utc(7, 6, 8)),),
    "van-lem": (),  # missing
}
RETURN_COMMENT = "Đề nghị bổ sung số liệu trẻ em bị tai nạn thương tích theo nguyên nhân."
LATE_PERMISSION = "Cho phép đơn vị nộp báo cáo sau ngày khóa sổ."
COUNSELLING_POINTS = {"tan-canh", "tt-dak-to", "ngoc-tu", "dak-tram"}

#: Typical figures per commune for the shared elements (per cell), so the indicators are believable.
RANGES = {
    "tre_em": (250, 900),
    "tre_em_hcdb": (55, 72),
    "tre_em_hcdb_duoc_ho_tro": (45, 60),
    "tre_em_nguy_co": (15, 30),
    "tre_em_nguy_co_duoc_can_thiep": (11, 25),
    "tre_em_khuyet_tat_xam_hai_hiv": (6, 12),
    "tre_em_khuyet_tat_xam_hai_hiv_duoc_ho_tro": (6, 12),
    "tre_em_tai_nan_thuong_tich": (2, 5),
    "tre_em_vi_pham_phap_luat": (0, 0),
    "tre_em_lao_dong_som": (9, 13),
    "tre_em_lang_thang": (0, 0),
    "so_buoi_truyen_thong": (4, 12),
    "so_luot_nguoi_duoc_truyen_thong": (150, 600),
    "so_ho_duoc_khao_sat": (80, 120),
    "so_ho_nang_cao_nhan_thuc": (52, 90),
    "xa_tre_em_hcdb_theo_nhom": (0, 14),
}


def _value(element: DataElement, option, rng, slug):
    if element.value_type == "yesno":
        if element.code == "diem_tham_van_hoat_dong_hieu_qua":
            return Decimal(1 if slug in COUNSELLING_POINTS else 0)
        return Decimal(1 if rng.random() < 0.7 else 0)
    if element.value_type == "money":
        return Decimal(rng.randint(5, 120) * 500_000)
    if element.value_type == "percentage":
        return Decimal(rng.randint(55, 100))
    if element.value_type == "text":
        return "—"
    low, high = RANGES.get(element.code, (1, 40))
    if element.maximum is not None:
        high = min(high, int(element.maximum))
        low = min(low, high)
    if element.minimum is not None:
        low = max(low, int(element.minimum))
        high = max(low, high)
    return Decimal(rng.randint(low, high))


def demo_entry(form, slug: str):
    """Figures for one unit that satisfy every rule of the form."""
    rng = random.Random(f"{form.key}:{slug}")
    entry = Entry()
    for element in form.elements():
        for option in element.cells():
            entry.values[(element.code, option)] = _value(element, option, rng, slug)
    for narrative in form.narratives():
        entry.narratives[narrative.key] = {
            "ket_qua": "Đã triển khai các hoạt động theo kế hoạch; tổ chức truyền thông tại thôn, làng.",
            "kho_khan": "Địa bàn rộng, giao thông khó khăn; cán bộ kiêm nhiệm nhiều việc.",
            "de_xuat": "Đề nghị huyện hỗ trợ kinh phí tập huấn cho cộng tác viên thôn.",
        }.get(narrative.key, "Không có.")
    # Make the cross-field rules hold: shrink the left side until it fits.
    for _round in range(3):
        for rule in form.rules:
            left, right = entry.cell(rule.left), entry.cell(rule.right)
            if left is None or right is None or _holds(rule.op, left, right):
                continue
            _fit(entry, form, rule, right)
    check = Entry(values=dict(entry.values), narratives=dict(entry.narratives))
    check_for_submission(form, check)
    for name in list(check.errors):  # a figure the rules could not satisfy: leave it out
        for key in list(entry.values):
            if field_name(*key) == name:
                del entry.values[key]
    return entry


def _holds(op, a, b):
    return OPS[op](a, b)


def _fit(entry, form, rule, right):
    code = rule.left.split("[", 1)[0]
    element = form.element(code)
    if "[" in rule.left:
        option = rule.left[:-1].split("[", 1)[1]
        entry.values[(code, option)] = right if rule.op in ("<=", "==", ">=") else max(right - 1, Decimal(0))
        return
    cells = element.cells()
    target = right if rule.op in ("<=", "==", ">=") else max(right - 1, Decimal(0))
    share, rest = divmod(int(target), len(cells))
    for i, option in enumerate(cells):
        entry.values[(code, option)] = Decimal(share + (1 if i < rest else 0))


def seed_demo_reports(dbsession, registry, period_code: str = "2017-6t") -> int:
    """Fill the demo half-year once, as far as the clock has come; returns the number of reports.

    A unit's steps dated after now are not played (a report none of whose steps has come is not
    created), so nothing seeded is dated in the future of the demo day.
    """
    period = dbsession.scalars(select(Period).where(Period.code == period_code)).one()
    if dbsession.scalar(select(Submission.id).where(Submission.period_id == period.id).limit(1)):
        return 0
    coordinator = dbsession.scalars(select(User).where(User.login == "dieuphoi")).one_or_none()
    if coordinator is None:
        return 0
    now = utcnow()
    created = 0
    # In Tân Cảnh the commune chairman lets the officer send the reports himself.
    tan_canh = dbsession.scalars(select(Space).where(Space.slug == "tan-canh")).one_or_none()
    if tan_canh is not None:
        tan_canh.officers_may_submit = True
    for space in dbsession.scalars(select(Space).order_by(Space.sort_order)):
        steps = [(action, at) for action, at in DEMO_SCENARIO.get(space.slug, DEMO_STEPS) if at <= now]
        if not steps:
            continue
        for form in services.forms_for(registry, space.kind):
            if period.kind not in form.period_types:
                continue
            submission = services.create_submission(dbsession, form, space.id, period.id)
            if any(action == "save" for action, _at in steps):
                services.store_entry(submission, form, demo_entry(form, space.slug))
            for action, at in steps:
                comment = {"return": RETURN_COMMENT, "reopen": LATE_PERMISSION}.get(action, "")
                services.apply_transition(submission, action, coordinator.id, comment)
                _date_last_step(submission, action, at)
            submission.created_at = steps[0][1]
            created += 1
    dbsession.flush()
    return created


def _date_last_step(submission, action: str, at: dt.datetime) -> None:
    """Date the step just played (its event and what it set) on the story's day, not the seed's."""
    submission.events[-1].at = submission.updated_at = at
    if action == "submit":
        submission.submitted_at = at
        if len([e for e in submission.events if e.action == "submit"]) == 1:
            submission.first_submitted_at = at
    elif action == "accept":
        submission.accepted_at = at
