"""The report form of Phòng Nội vụ (plan section V.3): child-protection posts in the nine
communes, officers trained and appraised."""

from intranet.plugin import DataElement, ReportForm, Section
from intranet.plugin.elements import DANH_GIA_CHUNG

from .duties import KIND

#: The district has nine communes and township.
SO_XA = 9

NOIVU_SO_XA_DUOC_HUONG_DAN = DataElement(
    "noivu_so_xa_duoc_huong_dan",
    "Số xã, thị trấn được hướng dẫn củng cố, kiện toàn cán bộ bảo vệ, chăm sóc trẻ em",
    "Communes guided on staffing their child-protection posts",
    maximum=SO_XA,
)
NOIVU_XA_CO_CAN_BO_CHUYEN_TRACH = DataElement(
    "noivu_xa_co_can_bo_chuyen_trach",
    "Số xã, thị trấn có cán bộ chuyên trách công tác bảo vệ, chăm sóc trẻ em",
    "Communes with a dedicated child-protection officer in post",
    compulsory=True,
    maximum=SO_XA,
)
NOIVU_SO_CAN_BO_DUOC_KIEN_TOAN = DataElement(
    "noivu_so_can_bo_duoc_kien_toan",
    "Số cán bộ làm công tác bảo vệ, chăm sóc trẻ em được bố trí, kiện toàn",
    "Child-protection officers appointed or confirmed",
)
NOIVU_SO_LUOT_CAN_BO_DUOC_TAP_HUAN = DataElement(
    "noivu_so_luot_can_bo_duoc_tap_huan",
    "Số lượt cán bộ làm công tác bảo vệ, chăm sóc trẻ em được bồi dưỡng, tập huấn",
    "Child-protection officers trained",
    compulsory=True,
)
NOIVU_SO_CAN_BO_DUOC_LAY_Y_KIEN = DataElement(
    "noivu_so_can_bo_duoc_lay_y_kien",
    "Số cán bộ TBXH xã, thị trấn được lấy ý kiến Phòng LĐTBXH khi đánh giá",
    "Commune social-affairs officers appraised with the Labour office's opinion",
)


FORM = ReportForm(
    key=f"{KIND.key}.bao-cao",
    title="Báo cáo kết quả thực hiện công tác bảo vệ trẻ em — Phòng Nội vụ",
    title_en="Report on child-protection results — Home Affairs Office",
    space_kind=KIND.key,
    period_types=("half_year", "year"),
    version=1,
    sections=(
        Section(
            "kien_toan_can_bo",
            "Củng cố, kiện toàn cán bộ bảo vệ, chăm sóc trẻ em ở xã, thị trấn",
            "Child-protection posts in the communes",
            elements=(
                NOIVU_SO_XA_DUOC_HUONG_DAN,
                NOIVU_XA_CO_CAN_BO_CHUYEN_TRACH,
                NOIVU_SO_CAN_BO_DUOC_KIEN_TOAN,
                NOIVU_SO_LUOT_CAN_BO_DUOC_TAP_HUAN,
            ),
        ),
        Section(
            "danh_gia_can_bo",
            "Đánh giá cán bộ TBXH xã, thị trấn",
            "Appraisal of commune social-affairs officers",
            elements=(NOIVU_SO_CAN_BO_DUOC_LAY_Y_KIEN,),
        ),
        DANH_GIA_CHUNG,
    ),
)
