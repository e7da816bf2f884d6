"""The report form of Đài Truyền thanh – Truyền hình huyện (plan section V.10): programmes and
news items on children, airtime, and items in ethnic-minority languages."""

from intranet.plugin import DataElement, ReportForm, Rule, Section
from intranet.plugin.elements import DANH_GIA_CHUNG

from .duties import KIND

TRUYENHINH_SO_CHUYEN_MUC = DataElement(
    "truyenhinh_so_chuyen_muc",
    "Số chuyên mục, chương trình về trẻ em được phát sóng",
    "Programmes on children broadcast",
    compulsory=True,
)
TRUYENHINH_SO_TIN_BAI = DataElement(
    "truyenhinh_so_tin_bai",
    "Số tin, bài, phóng sự về trẻ em được phát sóng",
    "News items and reports on children broadcast",
    compulsory=True,
)
TRUYENHINH_SO_TIN_BAI_TIENG_DAN_TOC = DataElement(
    "truyenhinh_so_tin_bai_tieng_dan_toc",
    "Trong đó: số tin, bài phát sóng bằng tiếng dân tộc thiểu số",
    "Of which: items broadcast in ethnic-minority languages",
)
TRUYENHINH_SO_PHUT_PHAT_SONG = DataElement(
    "truyenhinh_so_phut_phat_song",
    "Số phút phát sóng các nội dung, chuyên mục về trẻ em",
    "Minutes of airtime on children",
    compulsory=True,
    unit="phút",
)


FORM = ReportForm(
    key=f"{KIND.key}.bao-cao",
    title="Báo cáo kết quả thực hiện công tác bảo vệ trẻ em — Đài Truyền thanh – Truyền hình huyện",
    title_en="Report on child-protection results — District Radio and Television Station",
    space_kind=KIND.key,
    period_types=("half_year", "year"),
    version=1,
    sections=(
        Section(
            "phat_song",
            "Chuyên mục, tin bài và thời lượng phát sóng về trẻ em",
            "Programmes, news items and airtime on children",
            elements=(
                TRUYENHINH_SO_CHUYEN_MUC,
                TRUYENHINH_SO_TIN_BAI,
                TRUYENHINH_SO_TIN_BAI_TIENG_DAN_TOC,
                TRUYENHINH_SO_PHUT_PHAT_SONG,
            ),
        ),
        DANH_GIA_CHUNG,
    ),
    rules=(
        Rule(
            "truyenhinh_so_tin_bai_tieng_dan_toc",
            "<=",
            "truyenhinh_so_tin_bai",
            "Số tin, bài bằng tiếng dân tộc thiểu số không được lớn hơn tổng số tin, bài.",
            "Items in ethnic-minority languages cannot outnumber all items.",
        ),
    ),
)
