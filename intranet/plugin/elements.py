"""Disaggregations and data elements shared by several parties.

Use these objects in forms instead of declaring the same figure twice: a shared code is what
lets the district add up what nine communes (or a commune and the police) report. The
indicators of the plan (section I) are computed from these codes.
"""

from __future__ import annotations

import dataclasses

from intranet.plugin.forms import DataElement, Disaggregation, Narrative, Option, Section

SEX = Disaggregation(
    "sex",
    "Giới tính",
    "Sex",
    (
        Option("nam", "Nam", "Male"),
        Option("nu", "Nữ", "Female"),
    ),
)

AGE = Disaggregation(
    "age",
    "Nhóm tuổi",
    "Age group",
    (
        Option("0-5", "0–5 tuổi", "0–5 years"),
        Option("6-10", "6–10 tuổi", "6–10 years"),
        Option("11-15", "11–15 tuổi", "11–15 years"),
        Option("16-17", "16–17 tuổi", "16–17 years"),
    ),
)

ETHNIC = Disaggregation(
    "ethnic",
    "Dân tộc",
    "Ethnicity",
    (
        Option("dtts", "Dân tộc thiểu số", "Ethnic minority"),
        Option("kinh", "Dân tộc Kinh", "Kinh"),
    ),
)


def _count(code, label, label_en, disaggregation=None, compulsory=False):
    return DataElement(
        code=code,
        label=label,
        label_en=label_en,
        value_type="nonneg_integer",
        disaggregation=disaggregation,
        compulsory=compulsory,
    )


# --- children, by situation (Luật Trẻ em and the plan's targets) ---------------------------------
TRE_EM = _count("tre_em", "Tổng số trẻ em trên địa bàn", "Children living in the area", AGE, True)
TRE_EM_HCDB = _count("tre_em_hcdb", "Trẻ em có hoàn cảnh đặc biệt", "Children in special circumstances", SEX, True)
TRE_EM_HCDB_DUOC_HO_TRO = _count(
    "tre_em_hcdb_duoc_ho_tro",
    "Trẻ em có hoàn cảnh đặc biệt được trợ giúp",
    "Children in special circumstances supported",
    SEX,
)
TRE_EM_NGUY_CO = _count("tre_em_nguy_co", "Trẻ em có nguy cơ rơi vào hoàn cảnh đặc biệt", "Children at risk", SEX, True)
TRE_EM_NGUY_CO_DUOC_CAN_THIEP = _count(
    "tre_em_nguy_co_duoc_can_thiep", "Trẻ em có nguy cơ được can thiệp", "Children at risk given intervention", SEX
)
TRE_EM_KHUYET_TAT_XAM_HAI_HIV = _count(
    "tre_em_khuyet_tat_xam_hai_hiv",
    "Trẻ em khuyết tật, bị bạo lực, xâm hại, bị nhiễm HIV/AIDS",
    "Disabled, abused and HIV-affected children",
    SEX,
)
TRE_EM_KHUYET_TAT_XAM_HAI_HIV_DUOC_HO_TRO = _count(
    "tre_em_khuyet_tat_xam_hai_hiv_duoc_ho_tro",
    "Trẻ em khuyết tật, bị bạo lực, xâm hại, nhiễm HIV/AIDS được can thiệp, trợ giúp",
    "Disabled, abused and HIV-affected children supported",
    SEX,
)
TRE_EM_TAI_NAN_THUONG_TICH = _count(
    "tre_em_tai_nan_thuong_tich", "Trẻ em bị tai nạn thương tích", "Children injured in accidents", SEX, True
)
# The police and the communes report the same children: their figures are not added together.
TRE_EM_VI_PHAM_PHAP_LUAT = dataclasses.replace(
    _count("tre_em_vi_pham_phap_luat", "Trẻ em vi phạm pháp luật", "Children breaking the law", SEX, True),
    overlapping=True,
)
TRE_EM_LAO_DONG_SOM = _count("tre_em_lao_dong_som", "Trẻ em lao động sớm", "Children in early labour", SEX, True)
TRE_EM_LANG_THANG = _count(
    "tre_em_lang_thang", "Trẻ em lang thang kiếm sống", "Children living on the streets", SEX, True
)

# --- communication and awareness ----------------------------------------------------------------
SO_BUOI_TRUYEN_THONG = _count(
    "so_buoi_truyen_thong", "Số buổi truyền thông, nói chuyện chuyên đề", "Communication sessions held"
)
SO_LUOT_NGUOI_DUOC_TRUYEN_THONG = _count(
    "so_luot_nguoi_duoc_truyen_thong", "Số lượt người được truyền thông", "People reached by communication"
)
SO_HO_DUOC_KHAO_SAT = _count(
    "so_ho_duoc_khao_sat", "Số gia đình được khảo sát nhận thức", "Families surveyed on awareness"
)
SO_HO_NANG_CAO_NHAN_THUC = _count(
    "so_ho_nang_cao_nhan_thuc", "Số gia đình được nâng cao nhận thức về bảo vệ trẻ em", "Families with raised awareness"
)

# --- the service system and the models ----------------------------------------------------------
XA_PHU_HOP_VOI_TRE_EM = DataElement(
    "xa_phu_hop_voi_tre_em",
    "Xã, thị trấn được công nhận phù hợp với trẻ em",
    "Recognised as a child-friendly commune",
    value_type="yesno",
)
DIEM_THAM_VAN_HOAT_DONG_HIEU_QUA = DataElement(
    "diem_tham_van_hoat_dong_hieu_qua",
    "Có hệ thống cung cấp dịch vụ bảo vệ trẻ em hoạt động hiệu quả (điểm tham vấn)",
    "Effective child-protection service system (counselling point)",
    value_type="yesno",
)

# --- money --------------------------------------------------------------------------------------
KINH_PHI_VAN_DONG = DataElement(
    "kinh_phi_van_dong",
    "Số tiền vận động, quyên góp cho trẻ em (đồng)",
    "Donations raised for children (VND)",
    value_type="money",
)
SO_TRE_EM_DUOC_TANG_QUA = _count(
    "so_tre_em_duoc_tang_qua", "Số trẻ em được tặng quà, hỗ trợ", "Children given gifts or support"
)

#: The shared elements, by code.
SHARED = {
    e.code: e
    for e in (
        TRE_EM,
        TRE_EM_HCDB,
        TRE_EM_HCDB_DUOC_HO_TRO,
        TRE_EM_NGUY_CO,
        TRE_EM_NGUY_CO_DUOC_CAN_THIEP,
        TRE_EM_KHUYET_TAT_XAM_HAI_HIV,
        TRE_EM_KHUYET_TAT_XAM_HAI_HIV_DUOC_HO_TRO,
        TRE_EM_TAI_NAN_THUONG_TICH,
        TRE_EM_VI_PHAM_PHAP_LUAT,
        TRE_EM_LAO_DONG_SOM,
        TRE_EM_LANG_THANG,
        SO_BUOI_TRUYEN_THONG,
        SO_LUOT_NGUOI_DUOC_TRUYEN_THONG,
        SO_HO_DUOC_KHAO_SAT,
        SO_HO_NANG_CAO_NHAN_THUC,
        XA_PHU_HOP_VOI_TRE_EM,
        DIEM_THAM_VAN_HOAT_DONG_HIEU_QUA,
        KINH_PHI_VAN_DONG,
        SO_TRE_EM_DUOC_TANG_QUA,
    )
}


# --- the narrative every report ends with -------------------------------------------------------
KET_QUA = Narrative("ket_qua", "Kết quả đạt được", "Results achieved", compulsory=True)
KHO_KHAN = Narrative("kho_khan", "Khó khăn, vướng mắc", "Difficulties and obstacles")
DE_XUAT = Narrative("de_xuat", "Đề xuất, kiến nghị", "Proposals and recommendations")

#: The closing section of every report form: results, difficulties, proposals.
DANH_GIA_CHUNG = Section("danh_gia", "Đánh giá chung", "Overall assessment", narratives=(KET_QUA, KHO_KHAN, DE_XUAT))
