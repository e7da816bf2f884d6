"""Duties of Phòng Giáo dục và Đào tạo (plan section V.5)."""

from intranet.plugin import DutySpec, Measure, SpaceKind, SpaceSeed, reporting_duty, sector_plan_duty

KIND = SpaceKind(
    key="giaoduc",
    category="agency",
    title="Phòng Giáo dục và Đào tạo",
    title_en="Education and Training Office",
    spaces=(
        SpaceSeed(
            slug="giaoduc",
            title="Phòng Giáo dục và Đào tạo",
            title_en="Education and Training Office",
        ),
    ),
)

DUTIES = (
    DutySpec(
        key="giaoduc.hoc-bong",
        title="Chỉ đạo lập hồ sơ xét cấp học bổng cho trẻ em nghèo vượt khó học khá, giỏi",
        title_en="Scholarships for poor pupils who do well despite hardship",
        text=(
            "Chỉ đạo việc lập hồ sơ xét cấp học bổng cho trẻ em nghèo vượt khó học khá, giỏi hàng "
            "năm và chịu trách nhiệm về kết quả triển khai, thực hiện."
        ),
        source="Mục V.5",
        measures=(
            Measure("so_suat_hoc_bong", "Số suất học bổng", "Scholarships awarded"),
            Measure(
                "so_tien_hoc_bong",
                "Số tiền học bổng (đồng)",
                "Scholarship amount (VND)",
                element="giaoduc_hoc_bong_so_tien",
            ),
        ),
    ),
    DutySpec(
        key="giaoduc.y-te-dinh-duong-hoc-duong",
        title="Triển khai y tế học đường, dinh dưỡng học đường",
        title_en="School health and school nutrition",
        text=("Triển khai các loại hình y tế học đường, dinh dưỡng học đường ở hệ nhà trẻ, mầm non, tiểu học."),
        source="Mục V.5",
        measures=(
            Measure("so_truong_trien_khai", "Số trường triển khai", "Schools taking part"),
            Measure(
                "so_tre_em_duoc_huong",
                "Số trẻ em được hưởng",
                "Children benefiting",
            ),
        ),
    ),
    DutySpec(
        key="giaoduc.ngoai-khoa-thi-tim-hieu",
        title="Ngoại khóa, thi tìm hiểu về quyền trẻ em, phòng tránh tai nạn thương tích",
        title_en="Extracurricular activities and contests on child rights and injury prevention",
        text=(
            "Khuyến khích các đợt sinh hoạt ngoại khóa, thi tìm hiểu về Quyền trẻ em, Luật Bảo vệ, "
            "chăm sóc và giáo dục trẻ em, kiến thức phòng tránh tai nạn thương tích cho trẻ em "
            "trong nhà trường."
        ),
        source="Mục V.5",
        measures=(
            Measure(
                "so_dot_sinh_hoat",
                "Số đợt sinh hoạt ngoại khóa, thi tìm hiểu",
                "Extracurricular activities and contests held",
            ),
            Measure(
                "so_luot_hoc_sinh_tham_gia",
                "Số lượt học sinh tham gia",
                "Pupil participations",
            ),
        ),
    ),
    DutySpec(
        key="giaoduc.kiem-tra-chinh-sach",
        title="Kiểm tra, giám sát việc thực hiện chính sách, chế độ đối với trẻ em",
        title_en="Check policies and entitlements for children, especially the poor",
        text=(
            "Kiểm tra, giám sát, đánh giá việc thực hiện các chính sách, chế độ có liên quan đến "
            "trẻ em, đặc biệt là trẻ em thuộc hộ gia đình nghèo, khó khăn, trẻ em vùng đồng bào "
            "dân tộc thiểu số."
        ),
        source="Mục V.5",
        measures=(
            Measure(
                "so_truong_duoc_kiem_tra",
                "Số trường được kiểm tra",
                "Schools inspected",
                element="giaoduc_so_truong_duoc_kiem_tra",
            ),
        ),
    ),
    sector_plan_duty(KIND.key),
    reporting_duty(KIND.key),
)
