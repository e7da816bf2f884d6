"""Duties of Phòng Văn hóa và Thông tin (plan section V.6)."""

from intranet.plugin import DutySpec, Measure, SpaceKind, SpaceSeed, reporting_duty, sector_plan_duty

KIND = SpaceKind(
    key="vanhoa",
    category="agency",
    title="Phòng Văn hóa và Thông tin",
    title_en="Culture and Information Office",
    spaces=(
        SpaceSeed(
            slug="vanhoa-thongtin",
            title="Phòng Văn hóa và Thông tin",
            title_en="Culture and Information Office",
        ),
    ),
)

DUTIES = (
    DutySpec(
        key="vanhoa.dua-van-hoa-ve-co-so",
        title="Thực hiện chủ trương “đưa văn hóa về cơ sở”",
        title_en="Bring culture to the grassroots",
        text="Thực hiện chủ trương “đưa văn hóa về cơ sở”.",
        source="Mục V.6",
        measures=(
            Measure(
                "so_buoi_hoat_dong_van_hoa",
                "Số buổi hoạt động văn hóa tại cơ sở",
                "Cultural events held locally",
                element="vanhoa_so_buoi_van_hoa_co_so",
            ),
        ),
    ),
    DutySpec(
        key="vanhoa.vui-choi-giai-tri",
        title="Mở rộng các loại hình vui chơi giải trí, phát huy bản sắc văn hóa dân tộc",
        title_en="Provide suitable play and recreation; promote ethnic cultural identity",
        text=("Chú trọng tổ chức, mở rộng các loại hình vui chơi giải trí phù hợp, phát huy bản sắc văn hóa dân tộc."),
        source="Mục V.6",
        measures=(
            Measure(
                "so_hoat_dong_vui_choi",
                "Số hoạt động vui chơi, giải trí được tổ chức",
                "Play and recreation activities held",
                element="vanhoa_so_hoat_dong_vui_choi",
            ),
            Measure("so_luot_tre_em_tham_gia", "Số lượt trẻ em tham gia", "Child participations"),
        ),
    ),
    sector_plan_duty(KIND.key),
    reporting_duty(KIND.key),
)
