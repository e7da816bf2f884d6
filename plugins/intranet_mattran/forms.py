"""The report form of the Mặt trận Tổ quốc and mass organisations (plan section V.12): campaigns
and joint communication, social criticism, fund-raising for poor children."""

from intranet.plugin import DataElement, ReportForm, Rule, Section
from intranet.plugin.elements import (
    DANH_GIA_CHUNG,
    KINH_PHI_VAN_DONG,
    SO_BUOI_TRUYEN_THONG,
    SO_LUOT_NGUOI_DUOC_TRUYEN_THONG,
    SO_TRE_EM_DUOC_TANG_QUA,
)

from .duties import KIND

MATTRAN_SO_CUOC_VAN_DONG = DataElement(
    "mattran_so_cuoc_van_dong",
    "Số cuộc vận động, phong trào vì trẻ em được phát động",
    "Campaigns and movements for children launched",
    compulsory=True,
)
MATTRAN_SO_CUOC_GIAM_SAT_PHAN_BIEN = DataElement(
    "mattran_so_cuoc_giam_sat_phan_bien",
    "Số cuộc giám sát, phản biện xã hội về việc thực hiện quyền trẻ em",
    "Oversight and social-criticism exercises on children's rights",
)
MATTRAN_QUY_BAO_TRO_TRE_EM = DataElement(
    "mattran_quy_bao_tro_tre_em",
    "Trong đó: số tiền ủng hộ Quỹ Bảo trợ trẻ em (đồng)",
    "Of which: given to the child-support fund (VND)",
    value_type="money",
    minimum=0,
)


FORM = ReportForm(
    key=f"{KIND.key}.bao-cao",
    title="Báo cáo kết quả thực hiện công tác bảo vệ trẻ em — Ủy ban Mặt trận Tổ quốc Việt Nam và các đoàn thể huyện",
    title_en="Report on child-protection results — Vietnam Fatherland Front Committee and District Mass Organisations",
    space_kind=KIND.key,
    period_types=("half_year", "year"),
    version=1,
    sections=(
        Section(
            "van_dong_truyen_thong",
            "Vận động xã hội, truyền thông lồng ghép, phản biện xã hội",
            "Social mobilisation, joint communication and social criticism",
            elements=(
                MATTRAN_SO_CUOC_VAN_DONG,
                SO_BUOI_TRUYEN_THONG,
                SO_LUOT_NGUOI_DUOC_TRUYEN_THONG,
                MATTRAN_SO_CUOC_GIAM_SAT_PHAN_BIEN,
            ),
        ),
        Section(
            "quyen_gop",
            "Vận động quyên góp vì bạn nghèo, Quỹ Bảo trợ trẻ em",
            "Fund-raising for poor children and the child-support fund",
            elements=(KINH_PHI_VAN_DONG, MATTRAN_QUY_BAO_TRO_TRE_EM, SO_TRE_EM_DUOC_TANG_QUA),
        ),
        DANH_GIA_CHUNG,
    ),
    rules=(
        Rule(
            "mattran_quy_bao_tro_tre_em",
            "<=",
            "kinh_phi_van_dong",
            "Số tiền ủng hộ Quỹ Bảo trợ trẻ em không được lớn hơn tổng số tiền vận động, quyên góp.",
            "Money given to the child-support fund cannot exceed the donations raised.",
        ),
    ),
)
