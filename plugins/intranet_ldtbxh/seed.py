"""The plan's 13 units (reference data, always seeded) and, for the demo, their 2017 activities.

Units are found again by ``code``: seeding twice adds nothing. The plan (section I, "tiếp tục duy
trì") names units that were already running before 2017 without saying when each started, so no
start date is stored for them. It does not say in which commune the two secondary schools of the
pilot children's participation clubs stand: THCS Lương Thế Vinh is put in Thị trấn Đăk Tô and
THCS Nguyễn Du in Tân Cảnh, the two communes that run the district's other community child-
protection units; the coordinator corrects it on the unit's page if that is wrong.
"""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import func, select

from intranet.plugin.models import Space, User
from intranet.plugin.web import local_today

from .models import Unit, UnitActivity

_NETWORK = "Mạng lưới bảo vệ trẻ em dựa vào cộng đồng"
_PREVENTION = "Mô hình phòng ngừa, trợ giúp trẻ em có nguy cơ lang thang, phải lao động sớm, nặng nhọc, nguy hiểm"
_KEPT = "Duy trì theo Kế hoạch bảo vệ trẻ em huyện Đăk Tô năm 2017 (mục I)."
_PILOT = "Thí điểm năm 2017 theo Kế hoạch bảo vệ trẻ em huyện Đăk Tô năm 2017 (mục III.2)."

#: code, commune slug, kind, name, notes
UNITS = [
    ("mang-luoi-tan-canh", "tan-canh", "mang_luoi", f"{_NETWORK} xã Tân Cảnh", _KEPT),
    ("mang-luoi-tt-dak-to", "tt-dak-to", "mang_luoi", f"{_NETWORK} thị trấn Đăk Tô", _KEPT),
    ("phong-ngua-dak-tram", "dak-tram", "mo_hinh_phong_ngua", f"{_PREVENTION} – xã Đăk Trăm", _KEPT),
    ("phong-ngua-ngoc-tu", "ngoc-tu", "mo_hinh_phong_ngua", f"{_PREVENTION} – xã Ngọc Tụ", _KEPT),
    ("ong-ba-chau-tan-canh", "tan-canh", "clb_ong_ba_chau", "Câu lạc bộ “Ông Bà Cháu” xã Tân Cảnh", _KEPT),
    ("ong-ba-chau-kon-dao", "kon-dao", "clb_ong_ba_chau", "Câu lạc bộ “Ông Bà Cháu” xã Kon Đào", _KEPT),
    ("clb-bvte-tan-canh", "tan-canh", "clb_bvte", "Câu lạc bộ “Bảo vệ trẻ em dựa vào cộng đồng” xã Tân Cảnh", _KEPT),
    (
        "clb-bvte-tt-dak-to",
        "tt-dak-to",
        "clb_bvte",
        "Câu lạc bộ “Bảo vệ trẻ em dựa vào cộng đồng” thị trấn Đăk Tô",
        _KEPT,
    ),
    (
        "quyen-tham-gia-luong-the-vinh",
        "tt-dak-to",
        "clb_quyen_tham_gia",
        "Câu lạc bộ “Quyền tham gia của trẻ em” Trường THCS Lương Thế Vinh",
        _PILOT + " Xã của trường chưa ghi trong kế hoạch: cần xác nhận.",
    ),
    (
        "quyen-tham-gia-nguyen-du",
        "tan-canh",
        "clb_quyen_tham_gia",
        "Câu lạc bộ “Quyền tham gia của trẻ em” Trường THCS Nguyễn Du",
        _PILOT + " Xã của trường chưa ghi trong kế hoạch: cần xác nhận.",
    ),
    ("tham-van-tan-canh", "tan-canh", "diem_tham_van", "Điểm tham vấn bảo vệ trẻ em tại cộng đồng xã Tân Cảnh", _KEPT),
    (
        "tham-van-tt-dak-to",
        "tt-dak-to",
        "diem_tham_van",
        "Điểm tham vấn bảo vệ trẻ em tại cộng đồng thị trấn Đăk Tô",
        _KEPT,
    ),
    ("tham-van-ngoc-tu", "ngoc-tu", "diem_tham_van", "Điểm tham vấn bảo vệ trẻ em tại cộng đồng xã Ngọc Tụ", _KEPT),
    ("tham-van-dak-tram", "dak-tram", "diem_tham_van", "Điểm tham vấn bảo vệ trẻ em tại cộng đồng xã Đăk Trăm", _KEPT),
]

#: Demo: the months of 2017 in which each unit logged activities. Three of the four counselling
#: points worked in the first half-year; Đăk Trăm's began again in August, so all four count for
#: the year (the indicator: 3 of the 4 to keep at the half-year, 4 at the year).
DEMO_MONTHS = {
    "tham-van-tan-canh": (2, 3, 4, 5, 6, 8, 9, 10, 11),
    "tham-van-tt-dak-to": (1, 3, 5, 6, 7, 9, 11),
    "tham-van-ngoc-tu": (3, 4, 6, 9, 10),
    "tham-van-dak-tram": (8, 10, 11),
    "mang-luoi-tan-canh": (1, 4, 7, 10),
    "mang-luoi-tt-dak-to": (1, 4, 7, 10),
    "phong-ngua-dak-tram": (3, 9),
    "phong-ngua-ngoc-tu": (3, 6, 9),
    "ong-ba-chau-tan-canh": (2, 5, 8, 11),
    "ong-ba-chau-kon-dao": (5, 11),
    "clb-bvte-tan-canh": (3, 6, 9, 12),
    "clb-bvte-tt-dak-to": (3, 6, 12),
    "quyen-tham-gia-luong-the-vinh": (10, 12),
    "quyen-tham-gia-nguyen-du": (11,),
}

#: Demo authors: the commune officers the demo accounts include.
DEMO_AUTHORS = {"tan-canh": "tancanh"}


def seed_units(dbsession) -> int:
    """Add the plan's units that are missing (their communes must exist); the number added."""
    have = set(dbsession.scalars(select(Unit.code).where(Unit.code.is_not(None))))
    spaces = {s.slug: s.id for s in dbsession.scalars(select(Space))}
    added = 0
    for code, slug, kind, name, notes in UNITS:
        if code in have or slug not in spaces:
            continue
        dbsession.add(
            Unit(code=code, space_id=spaces[slug], kind=kind, name=name, start_date=None, state="active", notes=notes)
        )
        added += 1
    dbsession.flush()
    return added


def _demo_activity(rng, unit: Unit, month: int, author_id):
    day = dt.date(2017, month, rng.randint(3, 26))
    topics = sorted(
        rng.sample(
            [
                "quyen_tre_em",
                "bao_luc_xam_hai",
                "tai_nan_thuong_tich",
                "lao_dong_som",
                "hoc_tap",
                "gia_dinh",
                "suc_khoe",
                "tam_ly",
            ],
            k=rng.randint(1, 3),
        )
    )
    if unit.kind == "diem_tham_van":
        boys = rng.randint(1, 6)
        girls = rng.randint(1, 6)
        return UnitActivity(
            unit_id=unit.id,
            activity_date=day,
            kind="counselling",
            sessions=rng.randint(2, 6),
            participants=boys + girls,
            participants_male=boys,
            participants_female=girls,
            topics=topics,
            notes="",
            author_id=author_id,
        )
    kind = {"mang_luoi": "briefing", "mo_hinh_phong_ngua": "meeting"}.get(unit.kind, "talk")
    men = rng.randint(8, 20)
    women = rng.randint(10, 25)
    notes = {
        "briefing": "Giao ban định kỳ mạng lưới, rà soát trẻ em có nguy cơ trên địa bàn.",
        "meeting": "Họp nhóm nòng cốt, thống nhất kế hoạch tuyên truyền tại các thôn.",
        "talk": "Nói chuyện chuyên đề về bảo vệ trẻ em.",
    }[kind]
    return UnitActivity(
        unit_id=unit.id,
        activity_date=day,
        kind=kind,
        participants=men + women,
        participants_male=men,
        participants_female=women,
        topics=topics,
        notes=notes,
        author_id=author_id,
    )


def seed_demo_activities(dbsession) -> int:
    """Demo activities in 2017 for every plan unit that has none yet; the number added."""
    units = {u.code: u for u in dbsession.scalars(select(Unit).where(Unit.code.in_(list(DEMO_MONTHS))))}
    logged = set(
        dbsession.scalars(select(UnitActivity.unit_id).group_by(UnitActivity.unit_id).having(func.count() > 0))
    )
    slugs = {s.id: s.slug for s in dbsession.scalars(select(Space))}
    authors = {
        u.login: u.id for u in dbsession.scalars(select(User).where(User.login.in_(list(DEMO_AUTHORS.values()))))
    }
    today = local_today()
    added = 0
    for code, months in DEMO_MONTHS.items():
        unit = units.get(code)
        if unit is None or unit.id in logged:
            continue
        rng = random.Random(f"ldtbxh:{code}")
        author_id = authors.get(DEMO_AUTHORS.get(slugs.get(unit.space_id, ""), ""))
        for month in months:
            activity = _demo_activity(rng, unit, month, author_id)
            # The demo plays its story up to the intranet's today (the demo day in development):
            # no activity is logged on a day that has not come yet.
            if activity.activity_date > today:
                continue
            dbsession.add(activity)
            added += 1
    dbsession.flush()
    return added


def seed(dbsession, *, demo: bool = False) -> int:
    """The plugin's seed hook (``intranet seed``): the units always, demo activities with ``demo``."""
    added = seed_units(dbsession)
    if demo:
        added += seed_demo_activities(dbsession)
    return added
