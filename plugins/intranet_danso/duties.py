"""Duties of Trung tâm Dân số – Kế hoạch hóa gia đình (plan section V.9)."""

from intranet.plugin import DutySpec, Measure, SpaceKind, SpaceSeed, reporting_duty, sector_plan_duty

KIND = SpaceKind(
    key="danso",
    category="agency",
    title="Trung tâm Dân số – Kế hoạch hóa gia đình",
    title_en="Population and Family Planning Centre",
    spaces=(
        SpaceSeed(
            slug="danso-khhgd",
            title="Trung tâm Dân số – Kế hoạch hóa gia đình",
            title_en="Population and Family Planning Centre",
        ),
    ),
)

DUTIES = (
    DutySpec(
        key="danso.tuyen-truyen-dan-so-khhgd",
        title="Tuyên truyền, vận động thực hiện chính sách Dân số – Kế hoạch hóa gia đình",
        title_en="Family-planning communication for child nutrition and mother-and-child health",
        text=(
            "Tuyên truyền vận động nhân dân thực hiện chính sách Dân số - Kế hoạch hóa gia đình, "
            "hạn chế sinh đẻ để đảm bảo thực hiện dinh dưỡng cho trẻ em, chăm sóc sức khỏe cho bà "
            "mẹ và trẻ em."
        ),
        source="Mục V.9",
        measures=(
            Measure(
                "so_buoi_tuyen_truyen",
                "Số buổi tuyên truyền",
                "Communication sessions",
                element="so_buoi_truyen_thong",
            ),
            Measure(
                "so_luot_tuyen_truyen",
                "Số lượt người được tuyên truyền",
                "People reached by communication",
                element="so_luot_nguoi_duoc_truyen_thong",
            ),
        ),
    ),
    sector_plan_duty(KIND.key, body_en="centre's"),
    reporting_duty(KIND.key),
)
