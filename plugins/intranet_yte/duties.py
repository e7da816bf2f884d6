"""Duties of Phòng Y tế (plan section V.4)."""

from intranet.plugin import DutySpec, Measure, SpaceKind, SpaceSeed, reporting_duty, sector_plan_duty

KIND = SpaceKind(
    key="yte",
    category="agency",
    title="Phòng Y tế",
    title_en="Health Office",
    spaces=(SpaceSeed(slug="yte", title="Phòng Y tế", title_en="Health Office"),),
)

DUTIES = (
    DutySpec(
        key="yte.tuyen-truyen-attp",
        title="Chủ trì tuyên truyền an toàn vệ sinh thực phẩm",
        title_en="Lead communication on food safety",
        text=(
            "Chủ trì, phối hợp với các ngành có liên quan tăng cường công tác tuyên truyền an toàn vệ sinh thực phẩm."
        ),
        source="Mục V.4",
        measures=(
            Measure(
                "so_buoi_tuyen_truyen",
                "Số buổi tuyên truyền",
                "Communication sessions",
                element="yte_so_buoi_tuyen_truyen_attp",
            ),
            Measure(
                "so_luot_tuyen_truyen",
                "Số lượt người được tuyên truyền",
                "People reached by communication",
                element="yte_so_luot_nguoi_tuyen_truyen_attp",
            ),
        ),
    ),
    DutySpec(
        key="yte.kiem-tra-attp-truong-hoc",
        title="Kiểm tra, giám sát an toàn vệ sinh thực phẩm trong các trường học",
        title_en="Inspect and monitor food safety in schools",
        text=("Chú trọng đến việc kiểm tra, giám sát an toàn vệ sinh thực phẩm trong các trường học."),
        source="Mục V.4",
        measures=(
            Measure(
                "so_dot_kiem_tra",
                "Số đợt kiểm tra, giám sát",
                "Inspection rounds",
                element="yte_so_dot_kiem_tra_attp",
            ),
            Measure(
                "so_truong_duoc_kiem_tra",
                "Số trường được kiểm tra",
                "Schools inspected",
                element="yte_so_truong_kiem_tra_attp",
            ),
        ),
    ),
    DutySpec(
        key="yte.chinh-sach-kham-chua-benh",
        title="Kiểm tra, giám sát việc thực hiện chính sách khám chữa bệnh cho trẻ em",
        title_en="Check the implementation of children's health-care policies",
        text=(
            "Phối hợp với cơ quan chủ trì và các đơn vị liên quan kiểm tra, giám sát, đánh giá "
            "việc thực hiện các chính sách khám chữa bệnh cho trẻ em."
        ),
        source="Mục V.4",
        measures=(
            Measure(
                "so_cuoc_kiem_tra",
                "Số cuộc kiểm tra, giám sát",
                "Inspections carried out",
                element="yte_so_cuoc_kiem_tra_chinh_sach",
            ),
        ),
    ),
    sector_plan_duty(KIND.key),
    reporting_duty(KIND.key),
)
