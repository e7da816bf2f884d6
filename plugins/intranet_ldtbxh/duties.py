"""Duties of Phòng Lao động – Thương binh và Xã hội: plan section V.1 and the tasks of II."""

from intranet.plugin import DutySpec, Measure, SpaceKind, SpaceSeed, reporting_duty, sector_plan_duty

KIND = SpaceKind(
    key="ldtbxh",
    category="agency",
    title="Phòng Lao động – Thương binh và Xã hội",
    title_en="Labour, Invalids and Social Affairs Office",
    spaces=(
        SpaceSeed(
            slug="ldtbxh",
            title="Phòng Lao động – Thương binh và Xã hội",
            title_en="Labour, Invalids and Social Affairs Office",
        ),
    ),
)

DUTIES = (
    # --- Section V.1: the lead agency's own duties -------------------------------------------
    DutySpec(
        key="ldtbxh.chu-tri-trien-khai",
        title="Chủ trì triển khai, thực hiện Kế hoạch bảo vệ trẻ em năm 2017",
        title_en="Lead the implementation of the 2017 child-protection plan",
        text=(
            "Chủ trì, phối hợp với Công an huyện, Trung tâm Y tế, Phòng Y tế, Phòng Văn hóa và "
            "Thông tin, Phòng Giáo dục - Đào tạo, Phòng Tài chính - Kế hoạch, Đài Truyền thanh - "
            "Truyền hình huyện, các ngành liên quan và UBND các xã, thị trấn triển khai, thực hiện "
            "kế hoạch thực hiện Chương trình bảo vệ trẻ em huyện Đăk Tô năm 2017."
        ),
        source="Mục V.1",
    ),
    DutySpec(
        key="ldtbxh.phoi-hop-hoat-dong",
        title="Phối hợp xây dựng, tổ chức các hoạt động bảo vệ, chăm sóc trẻ em",
        title_en="Plan and run child-protection and care activities with partners",
        text=(
            "Phối hợp với các cơ quan, đơn vị có liên quan và UBND các xã, thị trấn xây dựng và "
            "tổ chức thực hiện các hoạt động về công tác bảo vệ, chăm sóc trẻ em."
        ),
        source="Mục V.1",
        measures=(Measure("so_hoat_dong", "Số hoạt động được tổ chức", "Activities held"),),
    ),
    DutySpec(
        key="ldtbxh.van-dong-dong-gop",
        title="Kêu gọi nhân dân, tổ chức từ thiện, nhà hảo tâm ủng hộ trẻ em",
        title_en="Raise donations from the public, charities and benefactors for children",
        text=(
            "Tích cực, chủ động kêu gọi nhân dân đóng góp cho mục tiêu vì trẻ em của huyện, tranh "
            "thủ sự hỗ trợ vật chất từ các tổ chức từ thiện, nhà hảo tâm... ủng hộ giúp đỡ cho trẻ "
            "em, đặc biệt là trẻ em vùng khó khăn, trẻ em nghèo, trẻ em vùng đồng bào dân tộc "
            "thiểu số."
        ),
        source="Mục V.1",
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
    DutySpec(
        key="ldtbxh.huy-dong-nguon-luc",
        title="Tranh thủ kinh phí của UBND huyện, huy động nguồn lực",
        title_en="Secure district funding and mobilise resources",
        text=(
            "Tranh thủ sự hỗ trợ về kinh phí và sự điều hành của UBND huyện để huy động nguồn lực "
            "cho công tác bảo vệ, chăm sóc trẻ em của địa phương."
        ),
        source="Mục V.1",
        measures=(
            Measure(
                "so_kinh_phi_huy_dong",
                "Số kinh phí huy động được (đồng)",
                "Funds mobilised (VND)",
            ),
        ),
    ),
    DutySpec(
        key="ldtbxh.thang-hanh-dong",
        title="Tham mưu tổ chức Tháng hành động vì trẻ em, các ngày Lễ, Tết của thiếu nhi",
        title_en="Advise on the Action Month for Children and children's holidays",
        text=(
            "Tham mưu UBND huyện chỉ đạo tổ chức thực hiện các hoạt động trong Tháng hành động vì "
            "trẻ em, các ngày Lễ, Tết của thiếu nhi."
        ),
        source="Mục V.1",
        measures=(
            Measure(
                "so_hoat_dong",
                "Số hoạt động được tổ chức",
                "Activities held",
                element="ldtbxh_so_hoat_dong_thang_hanh_dong",
            ),
            Measure("so_luot_tre_em_tham_gia", "Số lượt trẻ em tham gia", "Child participations"),
        ),
    ),
    # --- Section II: the programme's tasks, led by the office -----------------------------------
    DutySpec(
        key="ldtbxh.truyen-thong",
        title="Truyền thông, vận động về bảo vệ trẻ em; Tháng hành động, tết Trung thu",
        title_en="Communication on child protection; Action Month and Mid-Autumn Festival",
        text=(
            "Tăng cường công tác truyền thông, vận động bằng nhiều hình thức phù hợp: chuyên mục, "
            "phóng sự ngắn, tin bài về các hoạt động bảo vệ trẻ em, các chủ trương, chính sách của "
            "nhà nước trên phương tiện thông tin đại chúng. Tập trung tuyên truyền những vùng đã và "
            "có nguy cơ sẽ xảy ra những vụ việc có liên quan có ảnh hưởng đến quyền của trẻ em. Tập "
            "trung các hoạt động tuyên truyền trong Tháng Hành động vì trẻ em, tết Trung thu trên "
            "địa bàn huyện. Đảm bảo 65 % gia đình, nhà trường, cộng đồng xã hội và trẻ em được nâng "
            "cao nhận thức và thay đổi hành vi về bảo vệ trẻ em, về quyền được bảo vệ và sự an toàn "
            "của trẻ em."
        ),
        source="Mục II.1",
        measures=(
            Measure("so_tin_bai", "Số tin, bài, phóng sự", "News items and reports"),
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
        key="ldtbxh.danh-gia-truyen-thong",
        title="Theo dõi, đánh giá hiệu quả hoạt động truyền thông",
        title_en="Monitor and evaluate the effect of communication",
        text=(
            "Thực hiện theo dõi, đánh giá kết quả các hoạt động truyền thông trong gia đình, nhà "
            "trường, cộng đồng; định kỳ đánh giá hiệu quả tác động của hoạt động truyền thông đối "
            "với trẻ em, cha mẹ, cán bộ và người dân tại địa phương."
        ),
        source="Mục II.1",
        measures=(Measure("so_dot_danh_gia", "Số đợt đánh giá", "Evaluations carried out"),),
    ),
    DutySpec(
        key="ldtbxh.nang-cao-nang-luc",
        title="Nâng cao năng lực cán bộ làm công tác bảo vệ, chăm sóc trẻ em",
        title_en="Build the capacity of child-protection staff",
        text=(
            "Nâng cao năng lực về quản lý và tổ chức thực hiện các chương trình, kế hoạch về bảo vệ "
            "chăm sóc trẻ em ở nơi có triển khai thí điểm mô hình mạng lưới “Bảo vệ trẻ em dựa vào "
            "cộng đồng” và mô hình “Phòng ngừa, trợ giúp trẻ em có nguy cơ lang thang, phải lao "
            "động sớm, nặng nhọc, nguy hiểm”."
        ),
        source="Mục II.2",
        measures=(
            Measure(
                "so_lop_tap_huan",
                "Số lớp tập huấn",
                "Training courses",
                element="ldtbxh_so_lop_tap_huan",
            ),
            Measure(
                "so_luot_can_bo",
                "Số lượt cán bộ được tập huấn",
                "Staff trained",
                element="ldtbxh_so_luot_can_bo_duoc_tap_huan",
            ),
        ),
    ),
    DutySpec(
        key="ldtbxh.trao-doi-kinh-nghiem",
        title="Trao đổi, chia sẻ, học tập kinh nghiệm xây dựng hệ thống bảo vệ trẻ em",
        title_en="Exchange experience on child-protection systems and services",
        text=(
            "Tổ chức trao đổi, chia sẻ, học tập kinh nghiệm về xây dựng hệ thống bảo vệ trẻ em, về "
            "mô hình tổ chức cung cấp dịch vụ bảo vệ trẻ em."
        ),
        source="Mục II.2",
        measures=(
            Measure(
                "so_dot_trao_doi",
                "Số đợt trao đổi, học tập kinh nghiệm",
                "Experience exchanges held",
                element="ldtbxh_so_dot_trao_doi_kinh_nghiem",
            ),
        ),
    ),
    DutySpec(
        key="ldtbxh.diem-tham-van-lien-nganh",
        title="Duy trì điểm tham vấn bảo vệ trẻ em; tăng cường công tác liên ngành",
        title_en="Keep the counselling points running; strengthen inter-sector work",
        text=(
            "Duy trì điểm tham vấn bảo vệ trẻ em tại cộng đồng; tăng cường hoạt động công tác liên "
            "ngành (LĐTBXH, Công an, Giáo dục, Y tế, Tư pháp, Đoàn thanh niên, Hội Liên hiệp phụ "
            "nữ,...)."
        ),
        source="Mục II.3",
        measures=(
            Measure(
                "so_diem_tham_van",
                "Số điểm tham vấn bảo vệ trẻ em duy trì hoạt động",
                "Counselling points in operation",
            ),
            Measure("so_luot_tham_van", "Số lượt tham vấn, tư vấn", "Counselling sessions"),
        ),
    ),
    DutySpec(
        key="ldtbxh.quan-ly-tre-em-hcdb",
        title="Quản lý, bảo vệ trẻ em có hoàn cảnh đặc biệt theo Thông tư 23/2010/TT-LĐTBXH",
        title_en="Manage and protect children in special circumstances (Circular 23/2010)",
        text=(
            "Thực hiện quản lý, bảo vệ trẻ em có hoàn cảnh đặc biệt theo Thông tư số "
            "23/2010/TT-LĐTBXH, ngày 16/8/2010 của Bộ Lao động - Thương binh và Xã hội về quy "
            "trình can thiệp, trợ giúp trẻ em bị bạo lực, trẻ em bị xâm hại tình dục."
        ),
        source="Mục II.3",
        measures=(
            Measure(
                "so_tre_em_hcdb_duoc_quan_ly",
                "Số trẻ em có hoàn cảnh đặc biệt được quản lý",
                "Children in special circumstances under management",
            ),
            Measure(
                "so_truong_hop_duoc_can_thiep",
                "Số trường hợp được can thiệp, trợ giúp",
                "Cases given intervention or support",
                element="ldtbxh_so_truong_hop_can_thiep",
            ),
        ),
    ),
    DutySpec(
        key="ldtbxh.xa-phu-hop-voi-tre-em",
        title="Chỉ đạo, hướng dẫn xây dựng xã, thị trấn phù hợp với trẻ em",
        title_en="Guide communes in becoming child-friendly communes",
        text=(
            "Xây dựng xã, thị trấn phù hợp với trẻ em: Chỉ đạo, hướng dẫn các xã, thị trấn đăng ký "
            "xây dựng xã, thị trấn phù hợp với trẻ em năm 2017, các ngành chức năng đánh giá xã, "
            "thị trấn phù hợp với trẻ em trên cơ sở bằng bộ công cụ đánh giá 15 chỉ tiêu xã, thị "
            "trấn phù hợp với trẻ em. Chọn xã Ngọc Tụ và xã Đăk Rơ Nga xây dựng điểm mô hình xã, "
            "thị trấn phù hợp với trẻ em năm 2017."
        ),
        source="Mục II.4",
        measures=(
            Measure("so_xa_dang_ky", "Số xã, thị trấn đăng ký", "Communes registered"),
            Measure(
                "so_xa_dat_chuan",
                "Số xã, thị trấn đạt xã, thị trấn phù hợp với trẻ em",
                "Communes meeting the child-friendly standard",
            ),
        ),
    ),
    DutySpec(
        key="ldtbxh.phan-mem-theo-doi",
        title="Triển khai phần mềm theo dõi thông tin về bảo vệ trẻ em",
        title_en="Deploy the child-protection monitoring software",
        text=(
            "Triển khai hệ thống phần mềm theo dõi thông tin về bảo vệ trẻ em được tích hợp với hệ "
            "thống thống kê dữ liệu về bảo vệ, chăm sóc trẻ em đảm bảo phù hợp với tình hình thực "
            "tế địa phương."
        ),
        source="Mục II.5",
    ),
    DutySpec(
        key="ldtbxh.danh-gia-ket-qua-2017",
        title="Đánh giá kết quả thực hiện các mục tiêu của Kế hoạch năm 2017",
        title_en="Evaluate the 2017 results against the plan's objectives",
        text="Tổ chức đánh giá về kết quả thực hiện các mục tiêu của kế hoạch trong năm 2017.",
        source="Mục II.5",
    ),
    # --- Section V (closing paragraph): shared by every agency ---------------------------------
    sector_plan_duty(KIND.key),
    reporting_duty(KIND.key),
)
