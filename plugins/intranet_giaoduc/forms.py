"""The report form of Phòng Giáo dục và Đào tạo (plan section V.5): scholarships, school health
and nutrition, extracurricular contests and lessons, checks of the policies for children."""

from intranet.plugin import DataElement, ReportForm, Rule, Section
from intranet.plugin.elements import DANH_GIA_CHUNG, ETHNIC, SEX

from .duties import KIND

GIAODUC_HOC_BONG_SO_SUAT = DataElement(
    "giaoduc_hoc_bong_so_suat",
    "Số suất học bổng cấp cho trẻ em nghèo vượt khó học khá, giỏi",
    "Scholarships for poor pupils who do well despite hardship",
    disaggregation=ETHNIC,
    compulsory=True,
)
GIAODUC_HOC_BONG_SO_TIEN = DataElement(
    "giaoduc_hoc_bong_so_tien",
    "Số tiền học bổng (đồng)",
    "Scholarship amount (VND)",
    value_type="money",
    compulsory=True,
    minimum=0,
)
GIAODUC_SO_TRUONG_Y_TE_HOC_DUONG = DataElement(
    "giaoduc_so_truong_y_te_hoc_duong",
    "Số trường (nhà trẻ, mầm non, tiểu học) triển khai y tế học đường",
    "Schools (nursery, kindergarten, primary) running school health",
)
GIAODUC_SO_TRUONG_DINH_DUONG = DataElement(
    "giaoduc_so_truong_dinh_duong",
    "Số trường (nhà trẻ, mầm non, tiểu học) triển khai dinh dưỡng học đường",
    "Schools (nursery, kindergarten, primary) running school nutrition",
)
GIAODUC_SO_TRE_EM_DUOC_HUONG_DINH_DUONG = DataElement(
    "giaoduc_so_tre_em_duoc_huong_dinh_duong",
    "Số trẻ em được hưởng dinh dưỡng học đường",
    "Children benefiting from school nutrition",
    disaggregation=SEX,
)
GIAODUC_SO_CUOC_THI_TIM_HIEU = DataElement(
    "giaoduc_so_cuoc_thi_tim_hieu",
    "Số đợt sinh hoạt ngoại khóa, thi tìm hiểu về Quyền trẻ em, Luật Bảo vệ, chăm sóc và giáo dục trẻ em",
    "Extracurricular activities and contests on child rights and the Child Law",
    compulsory=True,
)
GIAODUC_SO_BUOI_PHONG_TRANH_TNTT = DataElement(
    "giaoduc_so_buoi_phong_tranh_tntt",
    "Số buổi học, sinh hoạt về kiến thức phòng tránh tai nạn thương tích",
    "Lessons on injury prevention",
)
GIAODUC_SO_LUOT_HOC_SINH_THAM_GIA = DataElement(
    "giaoduc_so_luot_hoc_sinh_tham_gia",
    "Số lượt học sinh tham gia",
    "Pupil participations",
    disaggregation=SEX,
    compulsory=True,
)
GIAODUC_SO_TRUONG_DUOC_KIEM_TRA = DataElement(
    "giaoduc_so_truong_duoc_kiem_tra",
    "Số trường được kiểm tra việc thực hiện chính sách, chế độ đối với trẻ em",
    "Schools inspected on policies and entitlements for children",
)
GIAODUC_SO_TRUONG_CHUA_THUC_HIEN_DUNG = DataElement(
    "giaoduc_so_truong_chua_thuc_hien_dung",
    "Số trường chưa thực hiện đúng chính sách, chế độ đối với trẻ em",
    "Schools found not applying the policies correctly",
)


FORM = ReportForm(
    key=f"{KIND.key}.bao-cao",
    title="Báo cáo kết quả thực hiện công tác bảo vệ trẻ em — Phòng Giáo dục và Đào tạo",
    title_en="Report on child-protection results — Education and Training Office",
    space_kind=KIND.key,
    period_types=("half_year", "year"),
    version=1,
    sections=(
        Section(
            "hoc_bong",
            "Học bổng cho trẻ em nghèo vượt khó học khá, giỏi",
            "Scholarships for poor high-achieving pupils",
            elements=(GIAODUC_HOC_BONG_SO_SUAT, GIAODUC_HOC_BONG_SO_TIEN),
        ),
        Section(
            "y_te_dinh_duong_hoc_duong",
            "Y tế học đường, dinh dưỡng học đường",
            "School health and school nutrition",
            elements=(
                GIAODUC_SO_TRUONG_Y_TE_HOC_DUONG,
                GIAODUC_SO_TRUONG_DINH_DUONG,
                GIAODUC_SO_TRE_EM_DUOC_HUONG_DINH_DUONG,
            ),
        ),
        Section(
            "ngoai_khoa",
            "Sinh hoạt ngoại khóa, thi tìm hiểu, phòng tránh tai nạn thương tích",
            "Extracurricular activities, contests and injury prevention",
            elements=(
                GIAODUC_SO_CUOC_THI_TIM_HIEU,
                GIAODUC_SO_BUOI_PHONG_TRANH_TNTT,
                GIAODUC_SO_LUOT_HOC_SINH_THAM_GIA,
            ),
        ),
        Section(
            "kiem_tra_chinh_sach",
            "Kiểm tra, giám sát chính sách, chế độ đối với trẻ em",
            "Checks of policies and entitlements for children",
            elements=(GIAODUC_SO_TRUONG_DUOC_KIEM_TRA, GIAODUC_SO_TRUONG_CHUA_THUC_HIEN_DUNG),
        ),
        DANH_GIA_CHUNG,
    ),
    rules=(
        Rule(
            "giaoduc_so_truong_chua_thuc_hien_dung",
            "<=",
            "giaoduc_so_truong_duoc_kiem_tra",
            "Số trường chưa thực hiện đúng chính sách không được lớn hơn số trường được kiểm tra.",
            "Schools found at fault cannot outnumber the schools inspected.",
        ),
    ),
)
