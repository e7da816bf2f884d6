"""The ten programme indicators of the plan (section I), computed from the consolidated values.

Each indicator names shared element codes (``intranet.plugin.elements``); every one of them is
reported by the communes' form. The 2016 baseline and the 2017 targets are data of the plan, not
of this module. The keys are fixed: the plan's seed refers to them.
Every indicator counts the communes' reports only (``space_kinds=("xa",)``): a child the police
also report is then not counted twice.
"""

from intranet.plugin import Indicator
from intranet.plugin.web import local_today

from . import services


def communes_with_active_counselling(dbsession, period):
    """Communes with an effective child-protection service system in ``period``: distinct
    communes with an active counselling point that logged an activity dated within the period
    (the registry, ``services.py``). None while the period has not begun: nothing to count yet."""
    if period is None or period.start_date > local_today():
        return None
    return services.communes_with_active_counselling(dbsession, period.start_date, period.end_date)


INDICATORS = (
    Indicator(
        key="ho_tro_tre_em_khuyet_tat_xam_hai_hiv",
        title="Tỷ lệ trẻ em khuyết tật, bị bạo lực, xâm hại, nhiễm HIV/AIDS được can thiệp, trợ giúp",
        title_en="Disabled, abused and HIV-affected children given intervention or support (%)",
        numerator=("tre_em_khuyet_tat_xam_hai_hiv_duoc_ho_tro",),
        denominator=("tre_em_khuyet_tat_xam_hai_hiv",),
        factor=100,
        unit="%",
        better="higher",
        space_kinds=("xa",),
        description=(
            "Trẻ em khuyết tật, trẻ em bị bạo hành, ngược đãi, xâm hại, lạm dụng, trẻ em bị nhiễm "
            "HIV/AIDS được can thiệp, trợ giúp bằng nhiều hình thức, trên tổng số các em."
        ),
    ),
    Indicator(
        key="can_thiep_tre_em_nguy_co",
        title="Tỷ lệ trẻ em có nguy cơ rơi vào hoàn cảnh đặc biệt được can thiệp",
        title_en="Children at risk of special circumstances given intervention (%)",
        numerator=("tre_em_nguy_co_duoc_can_thiep",),
        denominator=("tre_em_nguy_co",),
        factor=100,
        unit="%",
        better="higher",
        space_kinds=("xa",),
        description=(
            "Trẻ em có nguy cơ rơi vào hoàn cảnh đặc biệt được can thiệp để giảm nguy cơ, trên "
            "tổng số trẻ em có nguy cơ."
        ),
    ),
    Indicator(
        key="tre_em_hcdb",
        title="Số trẻ em có hoàn cảnh đặc biệt",
        title_en="Children in special circumstances",
        numerator=("tre_em_hcdb",),
        unit="trẻ",
        better="lower",
        space_kinds=("xa",),
    ),
    Indicator(
        key="tre_em_tai_nan_thuong_tich",
        title="Số trẻ em bị tai nạn thương tích",
        title_en="Children injured in accidents",
        numerator=("tre_em_tai_nan_thuong_tich",),
        unit="trẻ",
        better="lower",
        space_kinds=("xa",),
    ),
    Indicator(
        key="tre_em_vi_pham_phap_luat",
        title="Số trẻ em vi phạm pháp luật",
        title_en="Children breaking the law",
        numerator=("tre_em_vi_pham_phap_luat",),
        unit="trẻ",
        better="lower",
        space_kinds=("xa",),
    ),
    Indicator(
        key="tre_em_lao_dong_som",
        title="Số trẻ em lao động sớm",
        title_en="Children in early labour",
        numerator=("tre_em_lao_dong_som",),
        unit="trẻ",
        better="lower",
        space_kinds=("xa",),
    ),
    Indicator(
        key="tre_em_lang_thang",
        title="Số trẻ em lang thang kiếm sống",
        title_en="Children living on the streets",
        numerator=("tre_em_lang_thang",),
        unit="trẻ",
        better="lower",
        space_kinds=("xa",),
    ),
    Indicator(
        key="xa_phu_hop_voi_tre_em",
        title="Số xã, thị trấn đạt xã, thị trấn phù hợp với trẻ em",
        title_en="Communes meeting the child-friendly standard",
        compute="assessments.recognised_communes",
        rule="Số xã, thị trấn được Phòng LĐTBXH công nhận đạt chuẩn phù hợp với trẻ em theo bộ tiêu "
        "chí áp dụng cho năm của kỳ báo cáo, tính đến ngày cuối kỳ.",
        rule_en="Communes the district recognised as child-friendly, under the criteria set in force for "
        "the period's year, by the last day of the period.",
        unit="xã",
        better="higher",
    ),
    Indicator(
        key="xa_co_he_thong_dich_vu",
        title="Số xã, thị trấn hoạt động có hiệu quả hệ thống cung cấp dịch vụ bảo vệ trẻ em",
        title_en="Communes with an effective child-protection service system",
        compute=communes_with_active_counselling,
        rule=(
            "Số xã, thị trấn (đếm mỗi xã một lần) có điểm tham vấn bảo vệ trẻ em tại cộng đồng đang "
            "hoạt động đã ghi ít nhất một hoạt động trong sổ theo dõi mô hình, câu lạc bộ, điểm tham "
            "vấn, có ngày hoạt động từ ngày đầu đến ngày cuối của kỳ báo cáo."
        ),
        rule_en=(
            "The number of distinct communes having an active community counselling point that "
            "logged at least one activity in the registry of models, clubs and counselling points, "
            "dated from the first to the last day of the reporting period."
        ),
        unit="xã",
        better="higher",
        description="Xã, thị trấn có điểm tham vấn bảo vệ trẻ em tại cộng đồng hoạt động hiệu quả.",
    ),
    Indicator(
        key="nang_cao_nhan_thuc",
        title="Tỷ lệ gia đình, nhà trường, cộng đồng xã hội và trẻ em được nâng cao nhận thức về bảo vệ trẻ em",
        title_en="Families, schools, community and children with raised awareness of child protection (%)",
        numerator=("so_ho_nang_cao_nhan_thuc",),
        denominator=("so_ho_duoc_khao_sat",),
        factor=100,
        unit="%",
        better="higher",
        space_kinds=("xa",),
        description=(
            "Đo bằng khảo sát nhận thức các gia đình: số gia đình được nâng cao nhận thức và thay "
            "đổi hành vi về bảo vệ trẻ em, trên số gia đình được khảo sát."
        ),
    ),
)
