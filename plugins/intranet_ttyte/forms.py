"""The report form of Trung tâm Y tế huyện (plan section V.8): free health care for children
under 6, support for malnourished children, disease prevention.

The shared age groups start at 0–5 years, which is exactly "under 6"; the figures here are only
about under-6s, so they are broken down by sex instead.
"""

from intranet.plugin import DataElement, ReportForm, Rule, Section
from intranet.plugin.elements import DANH_GIA_CHUNG, SEX

from .duties import KIND

TTYTE_LUOT_KHAM_TRE_DUOI_6_TUOI = DataElement(
    "ttyte_luot_kham_tre_duoi_6_tuoi",
    "Số lượt trẻ em dưới 6 tuổi được khám chữa bệnh miễn phí",
    "Free consultations for children under 6",
    disaggregation=SEX,
    compulsory=True,
)
TTYTE_TRE_SUY_DINH_DUONG = DataElement(
    "ttyte_tre_suy_dinh_duong",
    "Số trẻ em suy dinh dưỡng được phát hiện, theo dõi",
    "Malnourished children identified and followed",
    disaggregation=SEX,
    compulsory=True,
)
TTYTE_TRE_SUY_DINH_DUONG_DUOC_HO_TRO = DataElement(
    "ttyte_tre_suy_dinh_duong_duoc_ho_tro",
    "Số trẻ em suy dinh dưỡng được hỗ trợ",
    "Malnourished children supported",
    disaggregation=SEX,
    compulsory=True,
)
TTYTE_SO_DOT_PHONG_BENH_PHONG_DICH = DataElement(
    "ttyte_so_dot_phong_benh_phong_dich",
    "Số đợt vệ sinh phòng bệnh, phòng dịch",
    "Disease-prevention campaigns",
)
TTYTE_SO_BUOI_TIEM_CHUNG = DataElement(
    "ttyte_so_buoi_tiem_chung",
    "Số buổi tiêm chủng cho trẻ em",
    "Vaccination sessions for children",
)
TTYTE_SO_LUOT_TRE_DUOC_TIEM_CHUNG = DataElement(
    "ttyte_so_luot_tre_duoc_tiem_chung",
    "Số lượt trẻ em được tiêm chủng",
    "Child vaccinations given",
)


FORM = ReportForm(
    key=f"{KIND.key}.bao-cao",
    title="Báo cáo kết quả thực hiện công tác bảo vệ trẻ em — Trung tâm Y tế huyện",
    title_en="Report on child-protection results — District Health Centre",
    space_kind=KIND.key,
    period_types=("half_year", "year"),
    version=1,
    sections=(
        Section(
            "kham_chua_benh",
            "Khám chữa bệnh miễn phí cho trẻ em dưới 6 tuổi",
            "Free health care for children under 6",
            elements=(TTYTE_LUOT_KHAM_TRE_DUOI_6_TUOI,),
        ),
        Section(
            "suy_dinh_duong",
            "Hỗ trợ trẻ em suy dinh dưỡng",
            "Support for malnourished children",
            elements=(TTYTE_TRE_SUY_DINH_DUONG, TTYTE_TRE_SUY_DINH_DUONG_DUOC_HO_TRO),
        ),
        Section(
            "phong_benh",
            "Vệ sinh phòng bệnh, phòng dịch, tiêm chủng",
            "Disease prevention and vaccination",
            elements=(
                TTYTE_SO_DOT_PHONG_BENH_PHONG_DICH,
                TTYTE_SO_BUOI_TIEM_CHUNG,
                TTYTE_SO_LUOT_TRE_DUOC_TIEM_CHUNG,
            ),
        ),
        DANH_GIA_CHUNG,
    ),
    rules=(
        Rule(
            "ttyte_tre_suy_dinh_duong_duoc_ho_tro",
            "<=",
            "ttyte_tre_suy_dinh_duong",
            "Số trẻ em suy dinh dưỡng được hỗ trợ không được lớn hơn số trẻ em suy dinh dưỡng.",
            "Malnourished children supported cannot outnumber the malnourished children.",
        ),
    ),
)
