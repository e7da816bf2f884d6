"""The report form of the communes and township (plan sections I, II and V.11).

Each of the nine UBND xã, thị trấn reports the situation of the children of the commune, the
communication and awareness work, the counselling point, the clubs and the child-friendly
commune assessment. The shared codes (``intranet.plugin.elements``) are the ones the district's
indicators are computed from, so this form reports every one of them.
"""

from intranet.plugin import DataElement, Disaggregation, Option, ReportForm, Rule, Section
from intranet.plugin.elements import (
    DANH_GIA_CHUNG,
    DIEM_THAM_VAN_HOAT_DONG_HIEU_QUA,
    SEX,
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
    "xa_nguyen_nhan_tai_nan",
    "Nguyên nhân tai nạn thương tích",
    "Cause of injury",
    (
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
    # A score of each commune: nine scores out of 15 do not add up to anything.
    additive=False,
)

#: Luật Trẻ em 2016, Điều 10: the groups of children in special circumstances.
NHOM_HCDB = Disaggregation(
    "xa_nhom_hcdb",
    "Nhóm trẻ em có hoàn cảnh đặc biệt (Điều 10 Luật Trẻ em)",
    "Group of children in special circumstances (Child Law, art. 10)",
    (
        Option("mo_coi", "Mồ côi cả cha và mẹ", "Orphaned of both parents"),
        Option("bi_bo_roi", "Bị bỏ rơi", "Abandoned"),
        Option("khong_noi_nuong_tua", "Không nơi nương tựa", "Without anyone to rely on"),
        Option("khuyet_tat", "Khuyết tật", "Disabled"),
        Option("hiv", "Nhiễm HIV/AIDS", "Living with HIV/AIDS"),
        Option("vi_pham_phap_luat", "Vi phạm pháp luật", "Breaking the law"),
        Option("nghien_ma_tuy", "Nghiện ma túy", "Drug-addicted"),
        Option("bo_hoc_kiem_song", "Phải bỏ học kiếm sống", "Left school to earn a living"),
        Option("bi_bao_luc", "Bị tổn hại nghiêm trọng do bị bạo lực", "Seriously harmed by violence"),
        Option("bi_boc_lot", "Bị bóc lột", "Exploited"),
        Option("bi_xam_hai_tinh_duc", "Bị xâm hại tình dục", "Sexually abused"),
        Option("bi_mua_ban", "Bị mua bán", "Trafficked"),
        Option(
            "benh_hiem_ngheo",
            "Mắc bệnh hiểm nghèo, điều trị dài ngày (hộ nghèo, cận nghèo)",
            "Seriously or chronically ill (poor or near-poor household)",
        ),
        Option("di_cu_lanh_nan", "Di cư, lánh nạn, tị nạn", "Migrant, displaced or refugee"),
    ),
)
XA_TRE_EM_HCDB_THEO_NHOM = DataElement(
    "xa_tre_em_hcdb_theo_nhom",
    "Trẻ em có hoàn cảnh đặc biệt, chia theo nhóm (một em có thể thuộc nhiều nhóm)",
    "Children in special circumstances by group (a child may be in several groups)",
    disaggregation=NHOM_HCDB,
)
XA_TRE_EM_THEO_GIOI_TINH = DataElement(
    "xa_tre_em_theo_gioi_tinh",
    "Tổng số trẻ em trên địa bàn, chia theo giới tính",
    "Children living in the area, by sex",
    disaggregation=SEX,
    compulsory=True,
)


FORM = ReportForm(
    key=f"{KIND.key}.bao-cao",
    title="Báo cáo kết quả thực hiện công tác bảo vệ trẻ em — UBND xã, thị trấn",
    title_en="Report on child-protection results — Commune People's Committee",
    space_kind=KIND.key,
    period_types=("half_year", "year"),
    # 2: children by sex, and children in special circumstances by the Child Law's groups
    version=2,
    sections=(
        Section(
            "tre_em_hcdb",
            "Trẻ em và trẻ em có hoàn cảnh đặc biệt",
            "Children and children in special circumstances",
            elements=(
                TRE_EM,
                XA_TRE_EM_THEO_GIOI_TINH,
                TRE_EM_HCDB,
                XA_TRE_EM_HCDB_THEO_NHOM,
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
        DANH_GIA_CHUNG,
    ),
    rules=(
        Rule(
            "xa_tre_em_theo_gioi_tinh",
            "==",
            "tre_em",
            "Tổng số trẻ em chia theo giới tính phải bằng tổng số trẻ em chia theo nhóm tuổi.",
            "Children counted by sex must add up to the children counted by age group.",
        ),
        Rule(
            "tre_em_hcdb",
            "<=",
            "tre_em",
            "Số trẻ em có hoàn cảnh đặc biệt không được lớn hơn tổng số trẻ em trên địa bàn.",
            "Children in special circumstances cannot outnumber the children living in the area.",
        ),
        Rule(
            "tre_em_hcdb_duoc_ho_tro",
            "<=",
            "tre_em_hcdb",
            "Số trẻ em có hoàn cảnh đặc biệt được trợ giúp không được lớn hơn số trẻ em có hoàn cảnh đặc biệt.",
            "Children in special circumstances supported cannot outnumber the children in special circumstances.",
        ),
        Rule(
            "tre_em_hcdb_duoc_ho_tro[nu]",
            "<=",
            "tre_em_hcdb[nu]",
            "Số trẻ em gái được trợ giúp không được lớn hơn số trẻ em gái có hoàn cảnh đặc biệt.",
            "Girls supported cannot outnumber the girls in special circumstances.",
        ),
        Rule(
            "tre_em_nguy_co_duoc_can_thiep",
            "<=",
            "tre_em_nguy_co",
            "Số trẻ em có nguy cơ được can thiệp không được lớn hơn số trẻ em có nguy cơ rơi vào hoàn cảnh đặc biệt.",
            "Children at risk given intervention cannot outnumber the children at risk.",
        ),
        Rule(
            "tre_em_khuyet_tat_xam_hai_hiv_duoc_ho_tro",
            "<=",
            "tre_em_khuyet_tat_xam_hai_hiv",
            "Số trẻ em khuyết tật, bị bạo lực, xâm hại, nhiễm HIV/AIDS được can thiệp, trợ giúp "
            "không được lớn hơn số trẻ em khuyết tật, bị bạo lực, xâm hại, nhiễm HIV/AIDS.",
            "Disabled, abused and HIV-affected children supported cannot outnumber the disabled, "
            "abused and HIV-affected children.",
        ),
        Rule(
            "so_ho_nang_cao_nhan_thuc",
            "<=",
            "so_ho_duoc_khao_sat",
            "Số gia đình được nâng cao nhận thức không được lớn hơn số gia đình được khảo sát.",
            "Families with raised awareness cannot outnumber the families surveyed.",
        ),
        Rule(
            "xa_tai_nan_theo_nguyen_nhan",
            "==",
            "tre_em_tai_nan_thuong_tich",
            "Tổng số trẻ em bị tai nạn thương tích chia theo nguyên nhân phải bằng tổng số trẻ em "
            "bị tai nạn thương tích.",
            "Children injured, added up by cause, must equal the total of children injured.",
        ),
    ),
)
