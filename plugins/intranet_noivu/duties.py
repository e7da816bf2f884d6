"""Duties of Phòng Nội vụ (plan section V.3)."""

from intranet.plugin import DutySpec, Measure, SpaceKind, SpaceSeed, reporting_duty, sector_plan_duty

KIND = SpaceKind(
    key="noivu",
    category="agency",
    title="Phòng Nội vụ",
    title_en="Home Affairs Office",
    spaces=(SpaceSeed(slug="noivu", title="Phòng Nội vụ", title_en="Home Affairs Office"),),
)

DUTIES = (
    DutySpec(
        key="noivu.kien-toan-bo-may",
        title="Hướng dẫn xã, thị trấn củng cố, kiện toàn cán bộ bảo vệ, chăm sóc trẻ em",
        title_en="Guide communes to staff their child-protection posts",
        text=(
            "Hướng dẫn UBND các xã, thị trấn củng cố, kiện toàn bộ máy cán bộ làm công tác bảo vệ, "
            "chăm sóc trẻ em ở các xã, thị trấn (kể cả về số lượng, chất lượng) để đảm bảo nguồn "
            "lực tổ chức, triển khai, thực hiện có hiệu quả Kế hoạch này."
        ),
        source="Mục V.3",
        measures=(
            Measure(
                "so_xa_duoc_huong_dan",
                "Số xã, thị trấn được hướng dẫn",
                "Communes guided",
                element="noivu_so_xa_duoc_huong_dan",
            ),
            Measure(
                "so_can_bo_duoc_kien_toan",
                "Số cán bộ làm công tác bảo vệ, chăm sóc trẻ em được bố trí, kiện toàn",
                "Child-protection officers appointed or confirmed",
                element="noivu_so_can_bo_duoc_kien_toan",
            ),
        ),
    ),
    DutySpec(
        key="noivu.lay-y-kien-danh-gia-can-bo",
        title="Lấy ý kiến Phòng LĐTBXH khi đánh giá cán bộ TBXH xã, thị trấn hàng năm",
        title_en="Have communes consult the Labour office in the yearly appraisal of officers",
        text=(
            "Hàng năm, yêu cầu UBND các xã, thị trấn lấy ý kiến của Phòng Lao động - TBXH đối với "
            "cán bộ TBXH các xã, thị trấn trong lĩnh vực liên quan làm cơ sở đánh giá, nhận xét "
            "cán bộ, công chức hàng năm nhằm nâng cao chất lượng cán bộ, đáp ứng yêu cầu công tác."
        ),
        source="Mục V.3",
        measures=(
            Measure(
                "so_can_bo_duoc_lay_y_kien",
                "Số cán bộ TBXH xã, thị trấn được lấy ý kiến đánh giá",
                "Commune social-affairs officers appraised with the Labour office's opinion",
                element="noivu_so_can_bo_duoc_lay_y_kien",
            ),
        ),
    ),
    sector_plan_duty(KIND.key),
    reporting_duty(KIND.key),
)
