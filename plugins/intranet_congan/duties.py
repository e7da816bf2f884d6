"""Duties of Công an huyện (plan section V.7)."""

from intranet.plugin import DutySpec, Measure, SpaceKind, SpaceSeed, reporting_duty, sector_plan_duty

KIND = SpaceKind(
    key="congan",
    category="agency",
    title="Công an huyện",
    title_en="District Police",
    spaces=(SpaceSeed(slug="congan", title="Công an huyện", title_en="District Police"),),
)

DUTIES = (
    DutySpec(
        key="congan.toi-pham-xam-hai",
        title="Đấu tranh ngăn chặn, điều tra, xét xử tội phạm xâm hại trẻ em",
        title_en="Prevent, investigate and prosecute crimes against children",
        text=("Đẩy mạnh đấu tranh ngăn chặn, điều tra, xét xử kịp thời, đúng pháp luật tội phạm xâm hại trẻ em."),
        source="Mục V.7",
        measures=(
            Measure(
                "so_vu_phat_hien",
                "Số vụ xâm hại trẻ em được phát hiện",
                "Cases of child abuse detected",
            ),
            Measure(
                "so_vu_dieu_tra",
                "Số vụ xâm hại trẻ em được điều tra",
                "Cases of child abuse investigated",
            ),
            Measure(
                "so_vu_xet_xu",
                "Số vụ xâm hại trẻ em được đưa ra xét xử",
                "Cases of child abuse brought to trial",
                element="congan_so_vu_dua_ra_xet_xu",
            ),
        ),
    ),
    DutySpec(
        key="congan.van-dong-gia-dinh",
        title="Vận động nhân dân, gia đình để con em vị thành niên không vi phạm pháp luật",
        title_en="Mobilise families so that adolescents do not break the law",
        text=("Tích cực vận động nhân dân và gia đình có con, em trong độ tuổi vị thành niên không vi phạm pháp luật."),
        source="Mục V.7",
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
        key="congan.giao-duc-cam-hoa",
        title="Giáo dục, cảm hóa trẻ em hư, vi phạm pháp luật và có nguy cơ vi phạm",
        title_en="Re-educate children who break, or are at risk of breaking, the law",
        text=(
            "Gắn đấu tranh phòng, chống với giáo dục cảm hóa trẻ em hư, trẻ em vi phạm pháp luật "
            "và có nguy cơ vi phạm pháp luật trên địa bàn huyện."
        ),
        source="Mục V.7",
        measures=(
            Measure(
                "so_tre_em_vi_pham_phap_luat",
                "Số trẻ em vi phạm pháp luật",
                "Children who broke the law",
            ),
            Measure(
                "so_tre_em_duoc_giao_duc",
                "Số trẻ em được giáo dục, cảm hóa",
                "Children re-educated",
            ),
        ),
    ),
    sector_plan_duty(KIND.key, body_en="police's"),
    reporting_duty(KIND.key),
)
