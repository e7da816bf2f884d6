"""Duties of Phòng Tài chính – Kế hoạch (plan section V.2)."""

from intranet.plugin import DutySpec, Measure, SpaceKind, SpaceSeed, reporting_duty, sector_plan_duty

KIND = SpaceKind(
    key="taichinh",
    category="agency",
    title="Phòng Tài chính – Kế hoạch",
    title_en="Finance and Planning Office",
    spaces=(
        SpaceSeed(
            slug="taichinh-kehoach",
            title="Phòng Tài chính – Kế hoạch",
            title_en="Finance and Planning Office",
        ),
    ),
)

DUTIES = (
    DutySpec(
        key="taichinh.kinh-phi-hang-nam",
        title="Tham mưu hỗ trợ kinh phí hàng năm cho công tác bảo vệ chăm sóc trẻ em",
        title_en="Advise on annual funding for child protection and care",
        text=("Tham mưu UBND huyện hỗ trợ kinh phí hàng năm cho công tác bảo vệ chăm sóc trẻ em."),
        source="Mục V.2",
        measures=(
            Measure(
                "so_kinh_phi_bo_tri",
                "Số kinh phí được bố trí (đồng)",
                "Funds allocated (VND)",
                element="taichinh_kinh_phi_bo_tri[ngan_sach_huyen]",
            ),
        ),
    ),
    DutySpec(
        key="taichinh.huong-dan-ke-hoach-tai-chinh",
        title="Hướng dẫn các ngành, xã, thị trấn xây dựng kế hoạch tài chính hàng năm",
        title_en="Guide agencies and communes on their annual financial plans",
        text=(
            "Hướng dẫn các ngành liên quan và UBND các xã, thị trấn xây dựng kế hoạch tài chính "
            "hàng năm để thực hiện các mục tiêu, nhiệm vụ, giải pháp của công tác bảo vệ, chăm sóc "
            "trẻ em năm 2017."
        ),
        source="Mục V.2",
        measures=(
            Measure(
                "so_don_vi_duoc_huong_dan",
                "Số cơ quan, đơn vị, xã, thị trấn được hướng dẫn",
                "Agencies and communes guided",
                element="taichinh_so_don_vi_duoc_huong_dan",
            ),
        ),
    ),
    sector_plan_duty(KIND.key),
    reporting_duty(KIND.key),
)
