"""Duties of Đài Truyền thanh – Truyền hình huyện (plan section V.10)."""

from intranet.plugin import DutySpec, Measure, SpaceKind, SpaceSeed, reporting_duty, sector_plan_duty

KIND = SpaceKind(
    key="truyenhinh",
    category="agency",
    title="Đài Truyền thanh – Truyền hình huyện",
    title_en="District Radio and Television Station",
    spaces=(
        SpaceSeed(
            slug="truyenthanh-truyenhinh",
            title="Đài Truyền thanh – Truyền hình huyện",
            title_en="District Radio and Television Station",
        ),
    ),
)

DUTIES = (
    DutySpec(
        key="truyenhinh.chuyen-muc-tre-em",
        title="Xây dựng các chuyên mục phù hợp với trẻ em",
        title_en="Produce programmes suited to children",
        text=("Xây dựng các chuyên mục phù hợp với trẻ em, nhất là trẻ em ở vùng đồng bào dân tộc, vùng khó khăn."),
        source="Mục V.10",
        measures=(Measure("so_chuyen_muc", "Số chuyên mục được xây dựng", "Programmes produced"),),
    ),
    DutySpec(
        key="truyenhinh.thoi-luong-phat-song",
        title="Tăng thời lượng phát sóng các nội dung, chuyên mục về trẻ em",
        title_en="More airtime for child-related content",
        text=(
            "Tăng cường thời lượng phát sóng truyền thanh - truyền hình đối với các nội dung, "
            "chuyên mục có liên quan đến trẻ em."
        ),
        source="Mục V.10",
        measures=(
            Measure(
                "so_chuong_trinh_phat_song",
                "Số chương trình phát sóng",
                "Broadcasts",
                element="truyenhinh_so_chuyen_muc",
            ),
            Measure(
                "so_phut_phat_song",
                "Số phút phát sóng",
                "Minutes of airtime",
                element="truyenhinh_so_phut_phat_song",
            ),
        ),
    ),
    sector_plan_duty(KIND.key, body_en="station's"),
    reporting_duty(KIND.key),
)
