"""The report form of the communes and township (plan sections I, II and V.11).

Each of the nine UBND xã, thị trấn reports the situation of the children of the commune, the
communication and awareness work, the counselling point, the clubs and the child-friendly
commune assessment. The shared codes (``intranet.plugin.elements``) are the ones the district's
indicators are computed from, so this form reports every one of them.
"""
from intranet.plugin import DataElement, Disaggregation, Narrative, Option, ReportForm, Rule, Section
from intranet.plugin.elements import (
    DIEM_THAM_VAN_HOAT_DONG_HIEU_QUA,
    SO_BUOI_TRUYEN_THONG,
    SO_HO_DUOC_KHAO_SAT,
    SO_HO_NANG_CAO_NHAN_THUC,
    SO_LUOT_NGUOI_DUOC_TRUYEN_THONG,
    TRE_EM,
    TRE_EM_HCDB,
    TRE_EM_HCDB_DUOC_HO_TRO,
    TRE_EM_KHUYET_TAT_XAM_HAI_HIV,
    TRE_EM_KHUYET_TAT_XAM_HAI_HIV_DUOC_HO_TRO,
    TRE_EM_LANG_THANG,
    TRE_EM_LAO_DONG_SOM,
    TRE_EM_NGUY_CO,
    TRE_EM_NGUY_CO_DUOC_CAN_THIEP,
    TRE_EM_TAI_NAN_THUONG_TICH,
    TRE_EM_VI_PHAM_PHAP_LUAT,
    XA_PHU_HOP_VOI_TRE_EM,
)

from .duties import KIND

NGUYEN_NHAN_TAI_NAN = Disaggregation(
    "xa_nguyen_nhan_tai_nan", "Nguyên nhân tai nạn thương tích", "Cause of injury", (
        Option("duoi_nuoc", "Đuối nước", "Drowning"),
        Option("giao_thong", "Tai nạn giao thông", "Road traffic"),
        Option("nga", "Ngã", "Falls"),
        Option("bong", "Bỏng", "Burns"),
        Option("ngo_doc", "Ngộ độc", "Poisoning"),
        Option("khac", "Nguyên nhân khác", "Other causes"),
    ),
)

XA_TAI_NAN_THEO_NGUYEN_NHAN = DataElement(
    "xa_tai_nan_theo_nguyen_nhan",
    "Trẻ em bị tai nạn thương tích, chia theo nguyên nhân",
    "Children injured in accidents, by cause",
    disaggregation=NGUYEN_NHAN_TAI_NAN,
    compulsory=True,
)
XA_SO_BUOI_THAM_VAN = DataElement(
    "xa_so_buoi_tham_van",
    "Số buổi tham vấn, tư vấn tại điểm tham vấn bảo vệ trẻ em",
    "Counselling sessions at the counselling point",
)
XA_SO_BUOI_SINH_HOAT_CAU_LAC_BO = DataElement(
    "xa_so_buoi_sinh_hoat_cau_lac_bo",
    "Số buổi sinh hoạt câu lạc bộ (“Ông Bà Cháu”, “Bảo vệ trẻ em dựa vào cộng đồng”)",
    "Club meetings (grandparents–grandchildren, community-based child protection)",
)
XA_SO_CHI_TIEU_PHU_HOP_DAT = DataElement(
    "xa_so_chi_tieu_phu_hop_dat",
    "Số chỉ tiêu xã, thị trấn phù hợp với trẻ em đạt được (trên 15 chỉ tiêu)",
    "Child-friendly commune criteria met (out of 15)",
    maximum=15,
)

KET_QUA = Narrative("ket_qua", "Kết quả đạt được", "Results achieved", compulsory=True)
KHO_KHAN = Narrative("kho_khan", "Khó khăn, vướng mắc", "Difficulties and obstacles")
DE_XUAT = Narrative("de_xuat", "Đề xuất, kiến nghị", "Proposals and recommendations")

FORM = ReportForm(
    key=f"{KIND.key}.bao-cao",
    title="Báo cáo kết quả thực hiện công tác bảo vệ trẻ em — UBND xã, thị trấn",
    title_en="Report on child-protection results — Commune People's Committee",
    space_kind=KIND.key,
    period_types=("half_year", "year"),
    version=1,
    sections=(
        Section(
            "tre_em_hcdb",
            "Trẻ em và trẻ em có hoàn cảnh đặc biệt",
            "Children and children in special circumstances",
            elements=(
                TRE_EM,
                TRE_EM_HCDB,
                TRE_EM_HCDB_DUOC_HO_TRO,
                TRE_EM_NGUY_CO,
                TRE_EM_NGUY_CO_DUOC_CAN_THIEP,
                TRE_EM_KHUYET_TAT_XAM_HAI_HIV,
                TRE_EM_KHUYET_TAT_XAM_HAI_HIV_DUOC_HO_TRO,
            ),
        ),
        Section(
            "tai_nan_lao_dong_vi_pham",
            "Tai nạn thương tích, lao động sớm, vi phạm pháp luật, lang thang",
            "Injuries, early labour, breaking the law, street children",
            elements=(
                TRE_EM_TAI_NAN_THUONG_TICH,
                XA_TAI_NAN_THEO_NGUYEN_NHAN,
                TRE_EM_LAO_DONG_SOM,
                TRE_EM_VI_PHAM_PHAP_LUAT,
                TRE_EM_LANG_THANG,
            ),
        ),
        Section(
            "truyen_thong",
            "Truyền thông và nâng cao nhận thức",
            "Communication and awareness",
            elements=(
                SO_BUOI_TRUYEN_THONG,
                SO_LUOT_NGUOI_DUOC_TRUYEN_THONG,
                SO_HO_DUOC_KHAO_SAT,
                SO_HO_NANG_CAO_NHAN_THUC,
            ),
        ),
        Section(
            "dich_vu_mo_hinh",
            "Điểm tham vấn, câu lạc bộ và xã, thị trấn phù hợp với trẻ em",
            "Counselling point, clubs and child-friendly commune",
            elements=(
                XA_SO_BUOI_THAM_VAN,
                XA_SO_BUOI_SINH_HOAT_CAU_LAC_BO,
                DIEM_THAM_VAN_HOAT_DONG_HIEU_QUA,
                XA_SO_CHI_TIEU_PHU_HOP_DAT,
                XA_PHU_HOP_VOI_TRE_EM,
            ),
        ),
        Section(
            "danh_gia",
            "Đánh giá chung",
            "Overall assessment",
            narratives=(KET_QUA, KHO_KHAN, DE_XUAT),
        ),
    ),
    rules=(
        Rule(
            "tre_em_hcdb", "<=", "tre_em",
            "Số trẻ em có hoàn cảnh đặc biệt không được lớn hơn tổng số trẻ em trên địa bàn.",
            "Children in special circumstances cannot outnumber the children living in the area.",
        ),
        Rule(
            "tre_em_hcdb_duoc_ho_tro", "<=", "tre_em_hcdb",
            "Số trẻ em có hoàn cảnh đặc biệt được trợ giúp không được lớn hơn số trẻ em có hoàn "
            "cảnh đặc biệt.",
            "Children in special circumstances supported cannot outnumber the children in special "
            "circumstances.",
        ),
        Rule(
            "tre_em_hcdb_duoc_ho_tro[nu]", "<=", "tre_em_hcdb[nu]",
            "Số trẻ em gái được trợ giúp không được lớn hơn số trẻ em gái có hoàn cảnh đặc biệt.",
            "Girls supported cannot outnumber the girls in special circumstances.",
        ),
        Rule(
            "tre_em_nguy_co_duoc_can_thiep", "<=", "tre_em_nguy_co",
            "Số trẻ em có nguy cơ được can thiệp không được lớn hơn số trẻ em có nguy cơ rơi vào "
            "hoàn cảnh đặc biệt.",
            "Children at risk given intervention cannot outnumber the children at risk.",
        ),
        Rule(
            "tre_em_khuyet_tat_xam_hai_hiv_duoc_ho_tro", "<=", "tre_em_khuyet_tat_xam_hai_hiv",
            "Số trẻ em khuyết tật, bị bạo lực, xâm hại, nhiễm HIV/AIDS được can thiệp, trợ giúp "
            "không được lớn hơn số trẻ em khuyết tật, bị bạo lực, xâm hại, nhiễm HIV/AIDS.",
            "Disabled, abused and HIV-affected children supported cannot outnumber the disabled, "
            "abused and HIV-affected children.",
        ),
        Rule(
            "so_ho_nang_cao_nhan_thuc", "<=", "so_ho_duoc_khao_sat",
            "Số gia đình được nâng cao nhận thức không được lớn hơn số gia đình được khảo sát.",
            "Families with raised awareness cannot outnumber the families surveyed.",
        ),
        Rule(
            "xa_tai_nan_theo_nguyen_nhan", "==", "tre_em_tai_nan_thuong_tich",
            "Tổng số trẻ em bị tai nạn thương tích chia theo nguyên nhân phải bằng tổng số trẻ em "
            "bị tai nạn thương tích.",
            "Children injured, added up by cause, must equal the total of children injured.",
        ),
    ),
)
