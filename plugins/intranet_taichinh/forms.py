"""The report form of Phòng Tài chính – Kế hoạch (plan sections IV and V.2): funds for child
protection by source, and the guidance given on annual financial plans."""

from intranet.plugin import DataElement, Disaggregation, Option, ReportForm, Rule, Section
from intranet.plugin.elements import DANH_GIA_CHUNG

from .duties import KIND

NGUON_KINH_PHI = Disaggregation(
    "taichinh_nguon_kinh_phi",
    "Nguồn kinh phí",
    "Source of funds",
    (
        Option("ngan_sach_huyen", "Ngân sách huyện", "District budget"),
        Option("ngan_sach_xa", "Ngân sách xã", "Commune budget"),
        Option("xa_hoi_hoa", "Xã hội hóa", "Private and community contributions"),
        Option("khac", "Nguồn khác", "Other sources"),
    ),
)

TAICHINH_KINH_PHI_BO_TRI = DataElement(
    "taichinh_kinh_phi_bo_tri",
    "Kinh phí bố trí cho công tác bảo vệ, chăm sóc trẻ em (đồng)",
    "Funds allocated to child protection and care (VND)",
    value_type="money",
    disaggregation=NGUON_KINH_PHI,
    compulsory=True,
    minimum=0,
)
TAICHINH_KINH_PHI_DA_SU_DUNG = DataElement(
    "taichinh_kinh_phi_da_su_dung",
    "Kinh phí đã sử dụng cho công tác bảo vệ, chăm sóc trẻ em (đồng)",
    "Funds spent on child protection and care (VND)",
    value_type="money",
    minimum=0,
)
TAICHINH_SO_DON_VI_DUOC_HUONG_DAN = DataElement(
    "taichinh_so_don_vi_duoc_huong_dan",
    "Số cơ quan, đơn vị, xã, thị trấn được hướng dẫn xây dựng kế hoạch tài chính",
    "Agencies and communes guided on their financial plans",
)


FORM = ReportForm(
    key=f"{KIND.key}.bao-cao",
    title="Báo cáo kết quả thực hiện công tác bảo vệ trẻ em — Phòng Tài chính – Kế hoạch",
    title_en="Report on child-protection results — Finance and Planning Office",
    space_kind=KIND.key,
    period_types=("half_year", "year"),
    version=1,
    sections=(
        Section(
            "kinh_phi",
            "Kinh phí cho công tác bảo vệ, chăm sóc trẻ em",
            "Funds for child protection and care",
            elements=(TAICHINH_KINH_PHI_BO_TRI, TAICHINH_KINH_PHI_DA_SU_DUNG),
        ),
        Section(
            "huong_dan",
            "Hướng dẫn xây dựng kế hoạch tài chính",
            "Guidance on financial plans",
            elements=(TAICHINH_SO_DON_VI_DUOC_HUONG_DAN,),
        ),
        DANH_GIA_CHUNG,
    ),
    rules=(
        Rule(
            "taichinh_kinh_phi_da_su_dung",
            "<=",
            "taichinh_kinh_phi_bo_tri",
            "Kinh phí đã sử dụng không được lớn hơn kinh phí được bố trí.",
            "Funds spent cannot exceed the funds allocated.",
        ),
    ),
)
