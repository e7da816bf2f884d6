"""The report form of Phòng Y tế (plan section V.4): food safety in schools and the checks of
the health-care policies for children."""

from intranet.plugin import DataElement, ReportForm, Rule, Section
from intranet.plugin.elements import DANH_GIA_CHUNG

from .duties import KIND

YTE_SO_BUOI_TUYEN_TRUYEN_ATTP = DataElement(
    "yte_so_buoi_tuyen_truyen_attp",
    "Số buổi tuyên truyền an toàn vệ sinh thực phẩm",
    "Food-safety communication sessions",
)
YTE_SO_LUOT_NGUOI_TUYEN_TRUYEN_ATTP = DataElement(
    "yte_so_luot_nguoi_tuyen_truyen_attp",
    "Số lượt người được tuyên truyền an toàn vệ sinh thực phẩm",
    "People reached by food-safety communication",
)
YTE_SO_DOT_KIEM_TRA_ATTP = DataElement(
    "yte_so_dot_kiem_tra_attp",
    "Số đợt kiểm tra, giám sát an toàn vệ sinh thực phẩm trong trường học",
    "Food-safety inspection rounds in schools",
)
YTE_SO_TRUONG_KIEM_TRA_ATTP = DataElement(
    "yte_so_truong_kiem_tra_attp",
    "Số lượt trường học được kiểm tra an toàn vệ sinh thực phẩm",
    "School food-safety inspections",
    compulsory=True,
)
YTE_SO_TRUONG_VI_PHAM_ATTP = DataElement(
    "yte_so_truong_vi_pham_attp",
    "Số lượt trường học vi phạm an toàn vệ sinh thực phẩm",
    "School food-safety violations found",
    compulsory=True,
)
YTE_SO_VU_NGO_DOC_THUC_PHAM = DataElement(
    "yte_so_vu_ngo_doc_thuc_pham",
    "Số vụ ngộ độc thực phẩm trong trường học",
    "Food-poisoning outbreaks in schools",
)
YTE_SO_CUOC_KIEM_TRA_CHINH_SACH = DataElement(
    "yte_so_cuoc_kiem_tra_chinh_sach",
    "Số cuộc kiểm tra, giám sát việc thực hiện chính sách khám chữa bệnh cho trẻ em",
    "Checks of the children's health-care policies",
    compulsory=True,
)
YTE_SO_CO_SO_KIEM_TRA_CHINH_SACH = DataElement(
    "yte_so_co_so_kiem_tra_chinh_sach",
    "Số cơ sở khám chữa bệnh được kiểm tra",
    "Health facilities checked",
)
YTE_SO_CO_SO_CHUA_THUC_HIEN_DUNG = DataElement(
    "yte_so_co_so_chua_thuc_hien_dung",
    "Số cơ sở chưa thực hiện đúng chính sách khám chữa bệnh cho trẻ em",
    "Health facilities found not applying the policies correctly",
)


FORM = ReportForm(
    key=f"{KIND.key}.bao-cao",
    title="Báo cáo kết quả thực hiện công tác bảo vệ trẻ em — Phòng Y tế",
    title_en="Report on child-protection results — Health Office",
    space_kind=KIND.key,
    period_types=("half_year", "year"),
    version=1,
    sections=(
        Section(
            "attp_truong_hoc",
            "An toàn vệ sinh thực phẩm trong trường học",
            "Food safety in schools",
            elements=(
                YTE_SO_BUOI_TUYEN_TRUYEN_ATTP,
                YTE_SO_LUOT_NGUOI_TUYEN_TRUYEN_ATTP,
                YTE_SO_DOT_KIEM_TRA_ATTP,
                YTE_SO_TRUONG_KIEM_TRA_ATTP,
                YTE_SO_TRUONG_VI_PHAM_ATTP,
                YTE_SO_VU_NGO_DOC_THUC_PHAM,
            ),
        ),
        Section(
            "chinh_sach_kham_chua_benh",
            "Kiểm tra, giám sát chính sách khám chữa bệnh cho trẻ em",
            "Checks of the children's health-care policies",
            elements=(
                YTE_SO_CUOC_KIEM_TRA_CHINH_SACH,
                YTE_SO_CO_SO_KIEM_TRA_CHINH_SACH,
                YTE_SO_CO_SO_CHUA_THUC_HIEN_DUNG,
            ),
        ),
        DANH_GIA_CHUNG,
    ),
    rules=(
        Rule(
            "yte_so_truong_vi_pham_attp",
            "<=",
            "yte_so_truong_kiem_tra_attp",
            "Số lượt trường học vi phạm không được lớn hơn số lượt trường học được kiểm tra.",
            "Violations found cannot outnumber the inspections.",
        ),
        Rule(
            "yte_so_co_so_chua_thuc_hien_dung",
            "<=",
            "yte_so_co_so_kiem_tra_chinh_sach",
            "Số cơ sở chưa thực hiện đúng chính sách không được lớn hơn số cơ sở được kiểm tra.",
            "Facilities found at fault cannot outnumber the facilities checked.",
        ),
    ),
)
