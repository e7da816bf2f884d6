"""Duties of the Mặt trận Tổ quốc and mass organisations of the district (plan section V.12)."""

from intranet.plugin import DutySpec, Measure, SpaceKind, SpaceSeed, reporting_duty, sector_plan_duty

KIND = SpaceKind(
    key="mattran",
    category="agency",
    title="Ủy ban Mặt trận Tổ quốc Việt Nam và các đoàn thể huyện",
    title_en="Vietnam Fatherland Front Committee and District Mass Organisations",
    spaces=(
        SpaceSeed(
            slug="mattran-doanthe",
            title="Ủy ban Mặt trận Tổ quốc Việt Nam và các đoàn thể huyện",
            title_en="Vietnam Fatherland Front Committee and District Mass Organisations",
        ),
    ),
)

DUTIES = (
    DutySpec(
        key="mattran.truyen-thong-long-ghep",
        title="Phối hợp truyền thông lồng ghép, vận động xã hội",
        title_en="Joint communication and social mobilisation",
        text="Tăng cường phối hợp truyền thông lồng ghép, vận động xã hội.",
        source="Mục V.12",
        measures=(
            Measure(
                "so_buoi_tuyen_truyen",
                "Số buổi tuyên truyền",
                "Communication sessions",
                element="so_buoi_truyen_thong",
            ),
            Measure(
                "so_luot_tuyen_truyen",
                "Số lượt người được tuyên truyền",
                "People reached by communication",
                element="so_luot_nguoi_duoc_truyen_thong",
            ),
        ),
    ),
    DutySpec(
        key="mattran.phan-bien-xa-hoi",
        title="Tham gia phản biện xã hội",
        title_en="Take part in social criticism and oversight",
        text="Tham gia phản biện xã hội.",
        source="Mục V.12",
    ),
    DutySpec(
        key="mattran.quyen-gop",
        title="Vận động quyên góp vì bạn nghèo, quỹ bảo trợ trẻ em",
        title_en="Fund-raising for poor children and the child-support fund",
        text="Vận động quyên góp vì bạn nghèo, quỹ bảo trợ trẻ em.",
        source="Mục V.12",
        measures=(
            Measure(
                "so_tien_van_dong",
                "Số tiền vận động (đồng)",
                "Money raised (VND)",
                element="kinh_phi_van_dong",
            ),
            Measure(
                "so_tre_duoc_ho_tro",
                "Số trẻ em được hỗ trợ",
                "Children supported",
                element="so_tre_em_duoc_tang_qua",
            ),
        ),
    ),
    sector_plan_duty(KIND.key, body="đoàn thể", body_en="organisations'"),
    reporting_duty(KIND.key),
)
