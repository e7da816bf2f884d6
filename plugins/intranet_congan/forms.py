"""The report form of Công an huyện (plan section V.7): crimes against children, children who
break the law and how they were dealt with, prevention work among families."""

from intranet.plugin import DataElement, Disaggregation, Option, ReportForm, Rule, Section
from intranet.plugin.elements import (
    DANH_GIA_CHUNG,
    SEX,
    SO_BUOI_TRUYEN_THONG,
    SO_LUOT_NGUOI_DUOC_TRUYEN_THONG,
    TRE_EM_VI_PHAM_PHAP_LUAT,
)

from .duties import KIND

LOAI_TOI_PHAM = Disaggregation(
    "congan_loai_toi_pham",
    "Loại tội phạm",
    "Type of crime",
    (
        Option("xam_hai_tinh_duc", "Xâm hại tình dục", "Sexual abuse"),
        Option("bao_luc", "Bạo lực, hành hạ", "Violence and maltreatment"),
        Option("mua_ban", "Mua bán, bắt cóc trẻ em", "Trafficking and abduction"),
        Option("khac", "Khác", "Other"),
    ),
)

CONGAN_SO_VU_XAM_HAI = DataElement(
    "congan_so_vu_xam_hai",
    "Số vụ xâm hại trẻ em được phát hiện",
    "Cases of crimes against children detected",
    disaggregation=LOAI_TOI_PHAM,
    compulsory=True,
)
CONGAN_SO_VU_DA_XU_LY = DataElement(
    "congan_so_vu_da_xu_ly",
    "Số vụ xâm hại trẻ em đã được điều tra, xử lý",
    "Cases of crimes against children investigated and dealt with",
    compulsory=True,
)
CONGAN_SO_VU_DUA_RA_XET_XU = DataElement(
    "congan_so_vu_dua_ra_xet_xu",
    "Số vụ xâm hại trẻ em đã được đưa ra xét xử",
    "Cases of crimes against children brought to trial",
)
CONGAN_SO_NAN_NHAN = DataElement(
    "congan_so_nan_nhan",
    "Số trẻ em là nạn nhân của các vụ xâm hại",
    "Child victims of the cases",
    disaggregation=SEX,
    compulsory=True,
    minimum=0,
)
CONGAN_SO_DOI_TUONG_BI_XU_LY = DataElement(
    "congan_so_doi_tuong_bi_xu_ly",
    "Số đối tượng xâm hại trẻ em bị xử lý",
    "Offenders against children dealt with",
)
CONGAN_TRE_VPPL_GIAO_DUC_TAI_XA = DataElement(
    "congan_tre_vppl_giao_duc_tai_xa",
    "Số trẻ em vi phạm pháp luật được áp dụng biện pháp giáo dục tại xã, thị trấn",
    "Children who broke the law placed under education in their commune",
)
CONGAN_TRE_VPPL_TRUONG_GIAO_DUONG = DataElement(
    "congan_tre_vppl_truong_giao_duong",
    "Số trẻ em vi phạm pháp luật được đưa vào trường giáo dưỡng",
    "Children who broke the law sent to a reform school",
)
CONGAN_TRE_VPPL_XU_LY_HINH_SU = DataElement(
    "congan_tre_vppl_xu_ly_hinh_su",
    "Số trẻ em vi phạm pháp luật bị xử lý hình sự",
    "Children who broke the law prosecuted under criminal law",
)


FORM = ReportForm(
    key=f"{KIND.key}.bao-cao",
    title="Báo cáo kết quả thực hiện công tác bảo vệ trẻ em — Công an huyện",
    title_en="Report on child-protection results — District Police",
    space_kind=KIND.key,
    period_types=("half_year", "year"),
    version=1,
    sections=(
        Section(
            "toi_pham_xam_hai",
            "Đấu tranh phòng, chống tội phạm xâm hại trẻ em",
            "Fighting crimes against children",
            elements=(
                CONGAN_SO_VU_XAM_HAI,
                CONGAN_SO_VU_DA_XU_LY,
                CONGAN_SO_VU_DUA_RA_XET_XU,
                CONGAN_SO_NAN_NHAN,
                CONGAN_SO_DOI_TUONG_BI_XU_LY,
            ),
        ),
        Section(
            "tre_em_vi_pham_phap_luat",
            "Trẻ em vi phạm pháp luật và giáo dục, cảm hóa",
            "Children breaking the law and their re-education",
            elements=(
                TRE_EM_VI_PHAM_PHAP_LUAT,
                CONGAN_TRE_VPPL_GIAO_DUC_TAI_XA,
                CONGAN_TRE_VPPL_TRUONG_GIAO_DUONG,
                CONGAN_TRE_VPPL_XU_LY_HINH_SU,
            ),
        ),
        Section(
            "tuyen_truyen",
            "Tuyên truyền, vận động phòng ngừa",
            "Prevention communication",
            elements=(SO_BUOI_TRUYEN_THONG, SO_LUOT_NGUOI_DUOC_TRUYEN_THONG),
        ),
        DANH_GIA_CHUNG,
    ),
    rules=(
        Rule(
            "congan_so_vu_da_xu_ly",
            "<=",
            "congan_so_vu_xam_hai",
            "Số vụ đã được điều tra, xử lý không được lớn hơn số vụ được phát hiện.",
            "Cases dealt with cannot outnumber the cases detected.",
        ),
        Rule(
            "congan_so_vu_dua_ra_xet_xu",
            "<=",
            "congan_so_vu_da_xu_ly",
            "Số vụ đưa ra xét xử không được lớn hơn số vụ đã được điều tra, xử lý.",
            "Cases brought to trial cannot outnumber the cases dealt with.",
        ),
        Rule(
            "congan_so_nan_nhan",
            ">=",
            "congan_so_vu_xam_hai",
            "Mỗi vụ xâm hại có ít nhất một trẻ em là nạn nhân: số nạn nhân không được nhỏ hơn số vụ.",
            "Every case has at least one child victim: victims cannot be fewer than cases.",
        ),
        Rule(
            "congan_tre_vppl_giao_duc_tai_xa",
            "<=",
            "tre_em_vi_pham_phap_luat",
            "Số trẻ em được giáo dục tại xã, thị trấn không được lớn hơn số trẻ em vi phạm pháp luật.",
            "Children placed under education in their commune cannot outnumber the children who broke the law.",
        ),
        Rule(
            "congan_tre_vppl_truong_giao_duong",
            "<=",
            "tre_em_vi_pham_phap_luat",
            "Số trẻ em đưa vào trường giáo dưỡng không được lớn hơn số trẻ em vi phạm pháp luật.",
            "Children sent to a reform school cannot outnumber the children who broke the law.",
        ),
        Rule(
            "congan_tre_vppl_xu_ly_hinh_su",
            "<=",
            "tre_em_vi_pham_phap_luat",
            "Số trẻ em bị xử lý hình sự không được lớn hơn số trẻ em vi phạm pháp luật.",
            "Children prosecuted cannot outnumber the children who broke the law.",
        ),
    ),
)
