"""Duties of the nine commune and township People's Committees: plan sections V.11 and II."""

from intranet.plugin import DutySpec, Measure, SpaceKind, SpaceSeed, reporting_duty

KIND = SpaceKind(
    key="xa",
    category="commune",
    title="UBND các xã, thị trấn",
    title_en="Commune and Township People's Committees",
    spaces=(
        SpaceSeed(
            slug="tt-dak-to",
            title="UBND thị trấn Đăk Tô",
            title_en="Dak To Township People's Committee",
        ),
        SpaceSeed(
            slug="tan-canh",
            title="UBND xã Tân Cảnh",
            title_en="Tan Canh Commune People's Committee",
        ),
        SpaceSeed(
            slug="kon-dao",
            title="UBND xã Kon Đào",
            title_en="Kon Dao Commune People's Committee",
        ),
        SpaceSeed(
            slug="dak-tram",
            title="UBND xã Đăk Trăm",
            title_en="Dak Tram Commune People's Committee",
        ),
        SpaceSeed(
            slug="ngoc-tu",
            title="UBND xã Ngọc Tụ",
            title_en="Ngoc Tu Commune People's Committee",
        ),
        SpaceSeed(
            slug="dak-ro-nga",
            title="UBND xã Đăk Rơ Nga",
            title_en="Dak Ro Nga Commune People's Committee",
        ),
        SpaceSeed(
            slug="dien-binh",
            title="UBND xã Diên Bình",
            title_en="Dien Binh Commune People's Committee",
        ),
        SpaceSeed(
            slug="po-ko",
            title="UBND xã Pô Kô",
            title_en="Po Ko Commune People's Committee",
        ),
        SpaceSeed(
            slug="van-lem",
            title="UBND xã Văn Lem",
            title_en="Van Lem Commune People's Committee",
        ),
    ),
)

DUTIES = (
    # --- Section V.11 ---------------------------------------------------------------------------
    DutySpec(
        key="xa.ke-hoach-2017",
        title="Xây dựng kế hoạch công tác bảo vệ, chăm sóc trẻ em năm 2017 của xã, thị trấn",
        title_en="Draw up the commune's own 2017 child-protection and care plan",
        text=(
            "Căn cứ vào chức năng, nhiệm vụ và điều kiện thực tế của địa phương mình, đề nghị UBND "
            "các xã, thị trấn xây dựng kế hoạch công tác bảo vệ, chăm sóc trẻ em năm 2017 của đơn "
            "vị mình."
        ),
        source="Mục V.11",
    ),
    DutySpec(
        key="xa.to-chuc-thuc-hien",
        title="Phối hợp các ban, ngành, đoàn thể tổ chức thực hiện Kế hoạch",
        title_en="Carry out the plan with local bodies and mass organisations",
        text=(
            "Phối hợp cùng các ban, ngành, đoàn thể có liên quan tổ chức và triển khai thực hiện có "
            "hiệu quả các mục tiêu, nhiệm vụ và giải pháp của Kế hoạch đã đề ra."
        ),
        source="Mục V.11",
    ),
    # --- Section II: tasks carried out at commune level -----------------------------------------
    DutySpec(
        key="xa.truyen-thong-cau-lac-bo",
        title="Truyền thông về bảo vệ trẻ em tại câu lạc bộ, khu dân cư và trường học",
        title_en="Communication at clubs, residential areas and schools",
        text=(
            "Tiếp tục duy trì tổ chức hoạt động truyền thông về Bảo vệ trẻ em tại 04 Câu lạc bộ "
            "“Ông Bà Cháu”, “Bảo vệ trẻ em dựa vào cộng đồng”; tổ chức nói chuyện chuyên đề về Bảo "
            "vệ trẻ em tại cộng đồng khu dân cư và trường học trên địa bàn huyện."
        ),
        source="Mục II.1",
        measures=(
            Measure(
                "so_buoi_tuyen_truyen",
                "Số buổi tuyên truyền, nói chuyện chuyên đề",
                "Communication sessions and talks",
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
        key="xa.diem-tham-van-mang-luoi",
        title="Duy trì mạng lưới, điểm tham vấn: giao ban, tham vấn, quản lý trường hợp",
        title_en="Run the networks and counselling points: briefings, counselling, case management",
        text=(
            "Tiếp tục duy trì mạng lưới “Bảo vệ trẻ em dựa vào cộng đồng” tại xã Tân Cảnh và Thị "
            "trấn Đăk Tô, mô hình “Phòng ngừa, trợ giúp trẻ em có nguy cơ lang thang, phải lao động "
            "sớm, nặng nhọc, nguy hiểm” tại xã Ngọc Tụ và xã Đăk Trăm gồm các hoạt động như: tổ "
            "chức họp giao ban định kỳ, tham vấn, tư vấn, quản lý ca, tuyên truyền về Bảo vệ trẻ "
            "em, tăng cường chỉ đạo hoạt động các điểm tham vấn cộng đồng tại các địa phương nêu "
            "trên."
        ),
        source="Mục II.4",
        measures=(
            Measure("so_buoi_giao_ban", "Số buổi họp giao ban", "Briefing meetings"),
            Measure("so_luot_tham_van", "Số lượt tham vấn, tư vấn", "Counselling sessions"),
            Measure(
                "so_truong_hop_duoc_quan_ly",
                "Số trường hợp được quản lý",
                "Cases under case management",
            ),
        ),
    ),
    DutySpec(
        key="xa.quan-ly-tre-em-hcdb",
        title="Quản lý số trẻ em có hoàn cảnh đặc biệt",
        title_en="Keep track of children in special circumstances",
        text="Quản lý số trẻ em có hoàn cảnh đặc biệt.",
        source="Mục II.4",
        measures=(
            Measure(
                "so_tre_em_hcdb",
                "Số trẻ em có hoàn cảnh đặc biệt được quản lý",
                "Children in special circumstances under management",
            ),
            Measure(
                "so_tre_em_nguy_co",
                "Số trẻ em có nguy cơ rơi vào hoàn cảnh đặc biệt",
                "Children at risk",
            ),
        ),
    ),
    DutySpec(
        key="xa.phat-hien-can-thiep",
        title="Phát hiện, can thiệp kịp thời trẻ em có nguy cơ bị xâm hại, lạm dụng, ngược đãi",
        title_en="Detect and intervene early where a child is at risk of abuse",
        text=(
            "Phát hiện, can thiệp kịp thời các trường hợp trẻ em có nguy cơ bị xâm hại, lạm dụng "
            "hoặc ngược đãi nghiêm trọng, tổ chức các hoạt động cung cấp dịch vụ bảo vệ trẻ em có "
            "hoàn cảnh đặc biệt."
        ),
        source="Mục II.4",
        measures=(
            Measure(
                "so_truong_hop_phat_hien",
                "Số trường hợp được phát hiện",
                "Cases detected",
            ),
            Measure(
                "so_truong_hop_can_thiep",
                "Số trường hợp được can thiệp, trợ giúp",
                "Cases given intervention or support",
            ),
        ),
    ),
    DutySpec(
        key="xa.xa-phu-hop-voi-tre-em",
        title="Đăng ký xây dựng và được đánh giá xã, thị trấn phù hợp với trẻ em",
        title_en="Register for and be assessed as a child-friendly commune",
        text=(
            "Xây dựng xã, thị trấn phù hợp với trẻ em: Chỉ đạo, hướng dẫn các xã, thị trấn đăng ký "
            "xây dựng xã, thị trấn phù hợp với trẻ em năm 2017, các ngành chức năng đánh giá xã, "
            "thị trấn phù hợp với trẻ em trên cơ sở bằng bộ công cụ đánh giá 15 chỉ tiêu xã, thị "
            "trấn phù hợp với trẻ em."
        ),
        source="Mục II.4",
        measures=(
            Measure(
                "so_chi_tieu_dat",
                "Số chỉ tiêu đạt (trên 15 chỉ tiêu)",
                "Criteria met (out of 15)",
            ),
        ),
    ),
    reporting_duty(KIND.key),
)
