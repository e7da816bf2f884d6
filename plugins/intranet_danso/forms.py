"""The report form of Trung tâm Dân số – Kế hoạch hóa gia đình (plan section V.9):
family-planning communication for child nutrition and mother-and-child health."""

from intranet.plugin import DataElement, ReportForm, Section
from intranet.plugin.elements import DANH_GIA_CHUNG, SO_BUOI_TRUYEN_THONG, SO_LUOT_NGUOI_DUOC_TRUYEN_THONG

from .duties import KIND

DANSO_SO_LUOT_TU_VAN_HO_GIA_DINH = DataElement(
    "danso_so_luot_tu_van_ho_gia_dinh",
    "Số lượt tư vấn, vận động trực tiếp tại hộ gia đình",
    "Direct counselling visits to households",
)


FORM = ReportForm(
    key=f"{KIND.key}.bao-cao",
    title="Báo cáo kết quả thực hiện công tác bảo vệ trẻ em — Trung tâm Dân số – Kế hoạch hóa gia đình",
    title_en="Report on child-protection results — Population and Family Planning Centre",
    space_kind=KIND.key,
    period_types=("half_year", "year"),
    version=1,
    sections=(
        Section(
            "truyen_thong",
            "Tuyên truyền Dân số – Kế hoạch hóa gia đình, dinh dưỡng và sức khỏe bà mẹ, trẻ em",
            "Family-planning communication, child nutrition and mother-and-child health",
            elements=(
                SO_BUOI_TRUYEN_THONG,
                SO_LUOT_NGUOI_DUOC_TRUYEN_THONG,
                DANSO_SO_LUOT_TU_VAN_HO_GIA_DINH,
            ),
        ),
        DANH_GIA_CHUNG,
    ),
)
