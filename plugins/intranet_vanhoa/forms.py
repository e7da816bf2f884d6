"""The report form of Phòng Văn hóa và Thông tin (plan section V.6): culture at the grassroots,
play and recreation for children."""

from intranet.plugin import DataElement, ReportForm, Section
from intranet.plugin.elements import DANH_GIA_CHUNG, SEX

from .duties import KIND

VANHOA_SO_BUOI_VAN_HOA_CO_SO = DataElement(
    "vanhoa_so_buoi_van_hoa_co_so",
    "Số buổi hoạt động văn hóa tại cơ sở",
    "Cultural events held locally",
)
VANHOA_SO_HOAT_DONG_VUI_CHOI = DataElement(
    "vanhoa_so_hoat_dong_vui_choi",
    "Số hoạt động vui chơi, giải trí cho trẻ em được tổ chức",
    "Play and recreation events for children",
    compulsory=True,
)
VANHOA_SO_LUOT_TRE_EM_THAM_GIA = DataElement(
    "vanhoa_so_luot_tre_em_tham_gia",
    "Số lượt trẻ em tham gia",
    "Child attendances",
    disaggregation=SEX,
    compulsory=True,
)


FORM = ReportForm(
    key=f"{KIND.key}.bao-cao",
    title="Báo cáo kết quả thực hiện công tác bảo vệ trẻ em — Phòng Văn hóa và Thông tin",
    title_en="Report on child-protection results — Culture and Information Office",
    space_kind=KIND.key,
    period_types=("half_year", "year"),
    version=1,
    sections=(
        Section(
            "vui_choi_giai_tri",
            "Văn hóa cơ sở, vui chơi, giải trí cho trẻ em",
            "Grassroots culture, play and recreation for children",
            elements=(
                VANHOA_SO_BUOI_VAN_HOA_CO_SO,
                VANHOA_SO_HOAT_DONG_VUI_CHOI,
                VANHOA_SO_LUOT_TRE_EM_THAM_GIA,
            ),
        ),
        DANH_GIA_CHUNG,
    ),
)
