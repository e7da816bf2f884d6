"""The report form of Phòng Lao động – Thương binh và Xã hội (plan sections II and V.1): its own
activities as lead agency. The figures of the communes and agencies reach the district through
their own forms; this one carries what the office itself did."""

from intranet.plugin import DataElement, ReportForm, Rule, Section
from intranet.plugin.elements import (
    DANH_GIA_CHUNG,
    KINH_PHI_VAN_DONG,
    SEX,
    SO_BUOI_TRUYEN_THONG,
    SO_LUOT_NGUOI_DUOC_TRUYEN_THONG,
    SO_TRE_EM_DUOC_TANG_QUA,
)

from .duties import KIND

LDTBXH_SO_HOAT_DONG_THANG_HANH_DONG = DataElement(
    "ldtbxh_so_hoat_dong_thang_hanh_dong",
    "Số hoạt động trong Tháng hành động vì trẻ em",
    "Events of the Action Month for Children",
    compulsory=True,
)
LDTBXH_SO_TRE_EM_THANG_HANH_DONG = DataElement(
    "ldtbxh_so_tre_em_thang_hanh_dong",
    "Số lượt trẻ em tham gia, được hỗ trợ trong Tháng hành động vì trẻ em",
    "Children reached during the Action Month for Children",
    disaggregation=SEX,
)
LDTBXH_SO_HOAT_DONG_TRUNG_THU = DataElement(
    "ldtbxh_so_hoat_dong_trung_thu",
    "Số hoạt động vui tết Trung thu",
    "Mid-Autumn Festival events",
)
LDTBXH_SO_TRE_EM_TRUNG_THU = DataElement(
    "ldtbxh_so_tre_em_trung_thu",
    "Số lượt trẻ em tham gia, được tặng quà dịp tết Trung thu",
    "Children reached at the Mid-Autumn Festival",
    disaggregation=SEX,
)
LDTBXH_SO_LOP_TAP_HUAN = DataElement(
    "ldtbxh_so_lop_tap_huan",
    "Số lớp tập huấn cho cán bộ làm công tác bảo vệ, chăm sóc trẻ em",
    "Training courses for child-protection staff",
    compulsory=True,
)
LDTBXH_SO_LUOT_CAN_BO_DUOC_TAP_HUAN = DataElement(
    "ldtbxh_so_luot_can_bo_duoc_tap_huan",
    "Số lượt cán bộ được tập huấn",
    "Staff trained",
    compulsory=True,
)
LDTBXH_SO_DOT_TRAO_DOI_KINH_NGHIEM = DataElement(
    "ldtbxh_so_dot_trao_doi_kinh_nghiem",
    "Số đợt trao đổi, học tập kinh nghiệm",
    "Experience exchanges held",
)
LDTBXH_SO_CUOC_HOP_LIEN_NGANH = DataElement(
    "ldtbxh_so_cuoc_hop_lien_nganh",
    "Số cuộc họp, hoạt động phối hợp liên ngành về bảo vệ trẻ em",
    "Inter-sector meetings on child protection",
)
LDTBXH_SO_TRUONG_HOP_CAN_THIEP = DataElement(
    "ldtbxh_so_truong_hop_can_thiep",
    "Số trường hợp trẻ em bị bạo lực, xâm hại được can thiệp, trợ giúp theo Thông tư 23/2010/TT-LĐTBXH",
    "Cases of violence or abuse handled under Circular 23/2010",
)


FORM = ReportForm(
    key=f"{KIND.key}.bao-cao",
    title="Báo cáo kết quả thực hiện công tác bảo vệ trẻ em — Phòng Lao động – Thương binh và Xã hội",
    title_en="Report on child-protection results — Labour, Invalids and Social Affairs Office",
    space_kind=KIND.key,
    period_types=("half_year", "year"),
    version=1,
    sections=(
        Section(
            "truyen_thong_su_kien",
            "Truyền thông, Tháng hành động vì trẻ em, tết Trung thu",
            "Communication, Action Month for Children, Mid-Autumn Festival",
            elements=(
                SO_BUOI_TRUYEN_THONG,
                SO_LUOT_NGUOI_DUOC_TRUYEN_THONG,
                LDTBXH_SO_HOAT_DONG_THANG_HANH_DONG,
                LDTBXH_SO_TRE_EM_THANG_HANH_DONG,
                LDTBXH_SO_HOAT_DONG_TRUNG_THU,
                LDTBXH_SO_TRE_EM_TRUNG_THU,
            ),
        ),
        Section(
            "nang_luc_lien_nganh",
            "Nâng cao năng lực cán bộ, phối hợp liên ngành",
            "Staff capacity and inter-sector work",
            elements=(
                LDTBXH_SO_LOP_TAP_HUAN,
                LDTBXH_SO_LUOT_CAN_BO_DUOC_TAP_HUAN,
                LDTBXH_SO_DOT_TRAO_DOI_KINH_NGHIEM,
                LDTBXH_SO_CUOC_HOP_LIEN_NGANH,
                LDTBXH_SO_TRUONG_HOP_CAN_THIEP,
            ),
        ),
        Section(
            "van_dong_nguon_luc",
            "Vận động nguồn lực, ủng hộ trẻ em",
            "Donations and support for children",
            elements=(KINH_PHI_VAN_DONG, SO_TRE_EM_DUOC_TANG_QUA),
        ),
        DANH_GIA_CHUNG,
    ),
    rules=(
        Rule(
            "ldtbxh_so_luot_can_bo_duoc_tap_huan",
            ">=",
            "ldtbxh_so_lop_tap_huan",
            "Mỗi lớp tập huấn có ít nhất một học viên: số lượt cán bộ được tập huấn không được nhỏ hơn số lớp.",
            "Every course has at least one trainee: staff trained cannot be fewer than courses.",
        ),
    ),
)
