"""Duties of Trung tâm Y tế huyện (plan section V.8)."""

from intranet.plugin import DutySpec, Measure, SpaceKind, SpaceSeed, reporting_duty, sector_plan_duty

KIND = SpaceKind(
    key="ttyte",
    category="agency",
    title="Trung tâm Y tế huyện",
    title_en="District Health Centre",
    spaces=(
        SpaceSeed(
            slug="trungtam-yte",
            title="Trung tâm Y tế huyện",
            title_en="District Health Centre",
        ),
    ),
)

DUTIES = (
    DutySpec(
        key="ttyte.kham-chua-benh-mien-phi",
        title="Khám chữa bệnh miễn phí cho trẻ em dưới 6 tuổi",
        title_en="Free health care for children under 6",
        text=("Thực hiện công tác khám chữa bệnh miễn phí cho trẻ em dưới 6 tuổi theo quy định của nhà nước."),
        source="Mục V.8",
        measures=(
            Measure(
                "so_luot_kham_chua_benh",
                "Số lượt trẻ em dưới 6 tuổi được khám chữa bệnh miễn phí",
                "Free consultations for children under 6",
            ),
        ),
    ),
    DutySpec(
        key="ttyte.ho-tro-suy-dinh-duong",
        title="Thực hiện các chế độ hỗ trợ trẻ em suy dinh dưỡng",
        title_en="Support for malnourished children",
        text="Thực hiện các chế độ hỗ trợ trẻ em suy dinh dưỡng.",
        source="Mục V.8",
        measures=(
            Measure(
                "so_tre_em_suy_dinh_duong_duoc_ho_tro",
                "Số trẻ em suy dinh dưỡng được hỗ trợ",
                "Malnourished children supported",
            ),
        ),
    ),
    DutySpec(
        key="ttyte.phong-benh-phong-dich",
        title="Vệ sinh phòng bệnh, phòng dịch; chăm sóc sức khỏe cho mọi trẻ em",
        title_en="Disease prevention and health care for every child",
        text=(
            "Chỉ đạo tăng cường công tác vệ sinh phòng bệnh, phòng dịch, phát huy tối đa trang "
            "thiết bị hiện có để đáp ứng nhu cầu chăm sóc sức khỏe cho mọi trẻ em, nhất là trẻ em "
            "vùng khó khăn, vùng đồng bào dân tộc thiểu số."
        ),
        source="Mục V.8",
        measures=(
            Measure(
                "so_dot_phong_benh_phong_dich",
                "Số đợt vệ sinh phòng bệnh, phòng dịch",
                "Disease-prevention campaigns",
                element="ttyte_so_dot_phong_benh_phong_dich",
            ),
        ),
    ),
    sector_plan_duty(KIND.key, body_en="centre's"),
    reporting_duty(KIND.key),
)
