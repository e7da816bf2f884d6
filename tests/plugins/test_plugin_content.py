"""What the twelve bundled plugins declare: spaces, duties, measures, report forms and the plan's
indicators (no database, no app).

The duties are the plan's own words (Kế hoạch thực hiện chương trình bảo vệ trẻ em huyện Đăk Tô
năm 2017, sections II and V); these tests check their shape and a few key passages.
"""

from __future__ import annotations

import importlib
import re
import sys
import unicodedata
from pathlib import Path

import pytest

PLUGINS_DIR = Path(__file__).resolve().parents[2] / "plugins"

#: kind key -> (category, slugs of its spaces)
EXPECTED = {
    "ldtbxh": ("agency", ("ldtbxh",)),
    "taichinh": ("agency", ("taichinh-kehoach",)),
    "noivu": ("agency", ("noivu",)),
    "yte": ("agency", ("yte",)),
    "giaoduc": ("agency", ("giaoduc",)),
    "vanhoa": ("agency", ("vanhoa-thongtin",)),
    "congan": ("agency", ("congan",)),
    "ttyte": ("agency", ("trungtam-yte",)),
    "danso": ("agency", ("danso-khhgd",)),
    "truyenhinh": ("agency", ("truyenthanh-truyenhinh",)),
    "mattran": ("agency", ("mattran-doanthe",)),
    "xa": (
        "commune",
        (
            "tt-dak-to",
            "tan-canh",
            "kon-dao",
            "dak-tram",
            "ngoc-tu",
            "dak-ro-nga",
            "dien-binh",
            "po-ko",
            "van-lem",
        ),
    ),
}

COMMUNE_TITLES = {
    "tt-dak-to": "UBND thị trấn Đăk Tô",
    "tan-canh": "UBND xã Tân Cảnh",
    "kon-dao": "UBND xã Kon Đào",
    "dak-tram": "UBND xã Đăk Trăm",
    "ngoc-tu": "UBND xã Ngọc Tụ",
    "dak-ro-nga": "UBND xã Đăk Rơ Nga",
    "dien-binh": "UBND xã Diên Bình",
    "po-ko": "UBND xã Pô Kô",
    "van-lem": "UBND xã Văn Lem",
}

# Letters that only Vietnamese text has (not plain ASCII): any one of them proves diacritics.
VIETNAMESE_LETTERS = set(
    "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"
    "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬĐÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ"
)

MEASURE_KEY = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
DUTY_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def _import(name: str):
    try:
        return importlib.import_module(name)
    except ImportError:
        if str(PLUGINS_DIR) not in sys.path:
            sys.path.insert(0, str(PLUGINS_DIR))
        return importlib.import_module(name)


@pytest.fixture(scope="module")
def modules():
    """kind key -> its ``duties`` module."""
    return {key: _import(f"intranet_{key}.duties") for key in EXPECTED}


@pytest.fixture(scope="module")
def packages(modules):
    """kind key -> its package (``intranet_<key>``), imported after the duties modules."""
    return {key: _import(f"intranet_{key}") for key in EXPECTED}


@pytest.fixture(scope="module")
def forms(packages):
    """kind key -> the ``FORM`` of its ``forms`` module."""
    return {key: _import(f"intranet_{key}.forms").FORM for key in EXPECTED}


@pytest.fixture(scope="module")
def indicators(packages):
    return _import("intranet_ldtbxh.indicators").INDICATORS


def _all_duties(modules):
    return [d for m in modules.values() for d in m.DUTIES]


def _texts(module) -> str:
    return "\n".join(d.text for d in module.DUTIES)


# --- kinds and spaces ------------------------------------------------------------------------


def test_twelve_kinds_with_their_keys(modules):
    from intranet.plugin import SpaceKind

    assert len(modules) == 12
    for key, module in modules.items():
        assert isinstance(module.KIND, SpaceKind)
        assert module.KIND.key == key
        assert module.KIND.title and module.KIND.title_en


def test_categories(modules):
    for key, (category, _slugs) in EXPECTED.items():
        assert modules[key].KIND.category == category, key
    agencies = [k for k, m in modules.items() if m.KIND.category == "agency"]
    assert len(agencies) == 11


def test_twenty_spaces_with_the_expected_slugs(modules):
    from intranet.plugin import SpaceSeed

    all_slugs = []
    for key, (_category, slugs) in EXPECTED.items():
        spaces = modules[key].KIND.spaces
        assert isinstance(spaces, tuple), key
        assert all(isinstance(s, SpaceSeed) for s in spaces), key
        assert tuple(s.slug for s in spaces) == slugs, key
        for s in spaces:
            assert s.title.strip() and s.title_en.strip(), s.slug
        all_slugs.extend(s.slug for s in spaces)
    assert len(all_slugs) == 20
    assert len(set(all_slugs)) == 20


def test_each_agency_has_exactly_one_space(modules):
    for key, module in modules.items():
        if module.KIND.category == "agency":
            assert len(module.KIND.spaces) == 1, key
            assert module.KIND.spaces[0].title == module.KIND.title, key


def test_commune_space_titles(modules):
    spaces = {s.slug: s for s in modules["xa"].KIND.spaces}
    assert {slug: s.title for slug, s in spaces.items()} == COMMUNE_TITLES
    assert spaces["tan-canh"].title_en == "Tan Canh Commune People's Committee"


def test_titles_are_nfc(modules):
    for module in modules.values():
        kind = module.KIND
        for text in [kind.title] + [s.title for s in kind.spaces]:
            assert unicodedata.is_normalized("NFC", text), text


def test_agency_titles(modules):
    assert modules["congan"].KIND.spaces[0].title_en == "District Police"
    assert modules["ldtbxh"].KIND.title == "Phòng Lao động – Thương binh và Xã hội"
    assert modules["mattran"].KIND.title == ("Ủy ban Mặt trận Tổ quốc Việt Nam và các đoàn thể huyện")


# --- duties ----------------------------------------------------------------------------------


def test_duties_are_tuples_of_dutyspecs(modules):
    from intranet.plugin import DutySpec, Measure

    for key, module in modules.items():
        assert isinstance(module.DUTIES, tuple), key
        assert len(module.DUTIES) >= 2, key
        for duty in module.DUTIES:
            assert isinstance(duty, DutySpec), duty
            assert isinstance(duty.measures, tuple), duty.key
            assert all(isinstance(m, Measure) for m in duty.measures), duty.key


def test_duty_keys_unique_and_prefixed(modules):
    keys = [d.key for d in _all_duties(modules)]
    assert len(keys) == len(set(keys))
    for kind, module in modules.items():
        for duty in module.DUTIES:
            prefix, _, slug = duty.key.partition(".")
            assert prefix == kind, duty.key
            assert DUTY_SLUG.match(slug), duty.key


def test_every_plugin_ends_with_its_reporting_duty(modules):
    from intranet.plugin import reporting_duty

    for kind, module in modules.items():
        assert module.DUTIES[-1] == reporting_duty(kind), kind
        assert sum(d.key.endswith(".bao-cao-dinh-ky") for d in module.DUTIES) == 1, kind


def test_texts_titles_and_sources(modules):
    for duty in _all_duties(modules):
        assert duty.text.strip(), duty.key
        assert VIETNAMESE_LETTERS & set(duty.text), duty.key
        assert VIETNAMESE_LETTERS & set(duty.title), duty.key
        assert unicodedata.is_normalized("NFC", duty.text), duty.key
        assert unicodedata.is_normalized("NFC", duty.title), duty.key
        assert 0 < len(duty.title) <= 80, duty.key
        assert duty.title_en.strip(), duty.key
        assert duty.text == duty.text.strip() and "  " not in duty.text, duty.key
        assert re.fullmatch(r"Mục [IV]+(\.\d+)?", duty.source), duty.key


def test_measures(modules):
    for duty in _all_duties(modules):
        keys = [m.key for m in duty.measures]
        assert len(keys) == len(set(keys)), duty.key
        for m in duty.measures:
            assert MEASURE_KEY.match(m.key), (duty.key, m.key)
            assert m.label.startswith("Số "), (duty.key, m.label)
            assert VIETNAMESE_LETTERS & set(m.label), (duty.key, m.label)
            assert unicodedata.is_normalized("NFC", m.label), (duty.key, m.label)
            assert m.label_en.strip(), (duty.key, m.key)
            assert duty.measure(m.key) is m


def test_reporting_duties_have_no_measures(modules):
    for duty in _all_duties(modules):
        if duty.key.endswith(".bao-cao-dinh-ky"):
            assert duty.measures == ()


def test_sources_match_the_plan_sections(modules):
    # Section V duties are numbered by party; section II tasks belong only to LĐTBXH and communes.
    section_v = {
        "ldtbxh": "Mục V.1",
        "taichinh": "Mục V.2",
        "noivu": "Mục V.3",
        "yte": "Mục V.4",
        "giaoduc": "Mục V.5",
        "vanhoa": "Mục V.6",
        "congan": "Mục V.7",
        "ttyte": "Mục V.8",
        "danso": "Mục V.9",
        "truyenhinh": "Mục V.10",
        "xa": "Mục V.11",
        "mattran": "Mục V.12",
    }
    for kind, module in modules.items():
        sources = {d.source for d in module.DUTIES}
        assert section_v[kind] in sources, kind
        assert sources <= {section_v[kind], "Mục V"} | (
            {f"Mục II.{i}" for i in range(1, 6)} if kind in ("ldtbxh", "xa") else set()
        ), kind


# --- specific content ------------------------------------------------------------------------


def test_congan_content(modules):
    texts = _texts(modules["congan"])
    assert "tội phạm xâm hại trẻ em" in texts
    assert "vị thành niên" in texts
    assert "giáo dục cảm hóa trẻ em hư" in texts
    assert modules["congan"].DUTIES[0].key == "congan.toi-pham-xam-hai"


def test_giaoduc_content(modules):
    texts = _texts(modules["giaoduc"])
    assert "học bổng" in texts
    assert "y tế học đường" in texts
    assert "tai nạn thương tích" in texts
    hoc_bong = next(d for d in modules["giaoduc"].DUTIES if "học bổng" in d.text)
    assert hoc_bong.measure("so_suat_hoc_bong") is not None


def test_ttyte_content(modules):
    texts = _texts(modules["ttyte"])
    assert "dưới 6 tuổi" in texts
    assert "suy dinh dưỡng" in texts


def test_ldtbxh_content(modules):
    module = modules["ldtbxh"]
    texts = _texts(module)
    assert "Tháng hành động vì trẻ em" in texts
    assert "tết Trung thu" in texts
    assert "Thông tư số 23/2010/TT-LĐTBXH" in texts
    assert "phần mềm theo dõi thông tin về bảo vệ trẻ em" in texts
    assert "15 chỉ tiêu" in texts
    sources = {d.source for d in module.DUTIES}
    assert {"Mục V.1", "Mục II.1", "Mục II.2", "Mục II.3", "Mục II.4", "Mục II.5"} <= sources


def test_xa_content(modules):
    module = modules["xa"]
    texts = _texts(module)
    assert "kế hoạch công tác bảo vệ, chăm sóc trẻ em năm 2017" in texts
    assert "Câu lạc bộ" in texts
    assert "họp giao ban định kỳ" in texts
    assert "trẻ em có hoàn cảnh đặc biệt" in texts
    assert "can thiệp kịp thời" in texts
    assert "xã, thị trấn phù hợp với trẻ em" in texts
    assert module.DUTIES[0].source == "Mục V.11"


def test_other_agencies_content(modules):
    assert "Tham mưu UBND huyện hỗ trợ kinh phí hàng năm" in _texts(modules["taichinh"])
    assert "kiện toàn bộ máy cán bộ" in _texts(modules["noivu"])
    assert "an toàn vệ sinh thực phẩm" in _texts(modules["yte"])
    assert "đưa văn hóa về cơ sở" in _texts(modules["vanhoa"])
    assert "Kế hoạch hóa gia đình" in _texts(modules["danso"])
    assert "thời lượng phát sóng" in _texts(modules["truyenhinh"])
    assert "quỹ bảo trợ trẻ em" in _texts(modules["mattran"])
    for text in ("Số chương trình phát sóng", "Số phút phát sóng"):
        assert any(m.label == text for d in modules["truyenhinh"].DUTIES for m in d.measures), text


# --- report forms ----------------------------------------------------------------------------

ELEMENT_CODE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
RULE_OPS = {"<=", "<", ">=", ">", "=="}
NARRATIVE_KEYS = ("ket_qua", "kho_khan", "de_xuat")

#: indicator key -> (numerator, denominator, factor, unit, better), as the plan's seed expects.
EXPECTED_INDICATORS = {
    "ho_tro_tre_em_khuyet_tat_xam_hai_hiv": (
        ("tre_em_khuyet_tat_xam_hai_hiv_duoc_ho_tro",),
        ("tre_em_khuyet_tat_xam_hai_hiv",),
        100,
        "%",
        "higher",
    ),
    "can_thiep_tre_em_nguy_co": (
        ("tre_em_nguy_co_duoc_can_thiep",),
        ("tre_em_nguy_co",),
        100,
        "%",
        "higher",
    ),
    "tre_em_hcdb": (("tre_em_hcdb",), (), 1, "trẻ", "lower"),
    "tre_em_tai_nan_thuong_tich": (("tre_em_tai_nan_thuong_tich",), (), 1, "trẻ", "lower"),
    "tre_em_vi_pham_phap_luat": (("tre_em_vi_pham_phap_luat",), (), 1, "trẻ", "lower"),
    "tre_em_lao_dong_som": (("tre_em_lao_dong_som",), (), 1, "trẻ", "lower"),
    "tre_em_lang_thang": (("tre_em_lang_thang",), (), 1, "trẻ", "lower"),
    # computed from the district's verified assessments (intranet/assessments), not summed
    "xa_phu_hop_voi_tre_em": ((), (), 1, "xã", "higher"),
    # computed from the registry of counselling points (intranet_ldtbxh/services.py), not summed
    "xa_co_he_thong_dich_vu": ((), (), 1, "xã", "higher"),
    "nang_cao_nhan_thuc": (
        ("so_ho_nang_cao_nhan_thuc",),
        ("so_ho_duoc_khao_sat",),
        100,
        "%",
        "higher",
    ),
}


def _vietnamese(text: str) -> bool:
    return bool(VIETNAMESE_LETTERS & set(text)) and unicodedata.is_normalized("NFC", text)


def _rule_side(form, side: str):
    """The element a rule side names, checking the ``[option]`` of a single cell."""
    code, bracket, rest = side.partition("[")
    element = form.element(code)
    assert element is not None, (form.key, side)
    if bracket:
        assert rest.endswith("]") and "[" not in rest, (form.key, side)
        assert element.disaggregation is not None, (form.key, side)
        assert element.disaggregation.option(rest[:-1]) is not None, (form.key, side)
    return element


def test_one_form_per_plugin_for_its_own_kind(forms):
    from intranet.plugin import ReportForm

    assert len({f.key for f in forms.values()}) == 12
    for kind, form in forms.items():
        assert isinstance(form, ReportForm), kind
        assert form.key == f"{kind}.bao-cao"
        assert form.space_kind == kind
        assert sorted(form.period_types) == ["half_year", "year"], kind
        assert form.version >= 1, kind  # bumped whenever a plugin changes its form
        assert 2 <= len(form.sections) <= 5, kind
        assert form.title.startswith("Báo cáo kết quả thực hiện công tác bảo vệ trẻ em — "), kind
        assert _vietnamese(form.title) and form.title_en.strip(), kind


def test_sections(forms):
    for kind, form in forms.items():
        keys = [s.key for s in form.sections]
        assert len(keys) == len(set(keys)), kind
        for section in form.sections:
            assert section.elements or section.narratives, (kind, section.key)
            assert _vietnamese(section.title) and section.title_en.strip(), (kind, section.key)
        assert form.elements(), kind


def test_element_codes_unique_within_a_form(forms):
    for kind, form in forms.items():
        codes = [e.code for e in form.elements()]
        assert len(codes) == len(set(codes)), kind


def test_own_codes_prefixed_and_shared_codes_are_the_shared_objects(forms):
    from intranet.plugin import DataElement
    from intranet.plugin.elements import SHARED

    for kind, form in forms.items():
        for element in form.elements():
            assert isinstance(element, DataElement), (kind, element)
            assert ELEMENT_CODE.match(element.code), (kind, element.code)
            if element.code in SHARED:
                assert element is SHARED[element.code], (kind, element.code)
            else:
                assert element.code.startswith(f"{kind}_"), (kind, element.code)


def test_element_labels_and_types(forms):
    from intranet.plugin import VALUE_TYPES

    for kind, form in forms.items():
        for element in form.elements():
            where = (kind, element.code)
            assert _vietnamese(element.label) and element.label_en.strip(), where
            assert element.value_type in VALUE_TYPES, where
            if element.value_type == "money":
                assert element.label.endswith("(đồng)") and element.label_en.endswith("(VND)"), where
            if "so_tien" in element.code or "kinh_phi" in element.code:
                assert element.value_type == "money", where
            if element.disaggregation is not None:
                options = [o.code for o in element.disaggregation.options]
                assert len(options) >= 2 and len(options) == len(set(options)), where
                for option in element.disaggregation.options:
                    assert option.label.strip() and option.label_en.strip(), where


def test_rules_name_elements_of_their_form(forms):
    for kind, form in forms.items():
        for rule in form.rules:
            where = (kind, rule.left, rule.op, rule.right)
            assert rule.op in RULE_OPS, where
            left, right = _rule_side(form, rule.left), _rule_side(form, rule.right)
            assert left.numeric and right.numeric, where
            assert rule.left != rule.right, where
            assert _vietnamese(rule.message) and rule.message_en.strip(), where


def test_forms_pass_the_start_up_check(forms):
    from intranet.host import _check_form

    known = {}
    for form in forms.values():
        _check_form(form, known)
        known.update({e.code: e for e in form.elements()})


def test_each_form_has_the_narratives(forms):
    for kind, form in forms.items():
        narratives = {n.key: n for n in form.narratives()}
        assert len(narratives) == len(form.narratives()), kind
        assert set(NARRATIVE_KEYS) <= set(narratives), kind
        assert narratives["ket_qua"].compulsory, kind
        assert narratives["ket_qua"].label == "Kết quả đạt được", kind
        for narrative in narratives.values():
            assert _vietnamese(narrative.label) and narrative.label_en.strip(), (kind, narrative.key)


def test_key_figures_are_compulsory(forms):
    compulsory = {
        "xa": ("tre_em", "tre_em_hcdb", "tre_em_tai_nan_thuong_tich", "xa_tai_nan_theo_nguyen_nhan"),
        "congan": ("congan_so_vu_xam_hai", "congan_so_nan_nhan", "tre_em_vi_pham_phap_luat"),
        "giaoduc": ("giaoduc_hoc_bong_so_suat", "giaoduc_hoc_bong_so_tien"),
        "yte": ("yte_so_truong_kiem_tra_attp", "yte_so_truong_vi_pham_attp"),
        "ttyte": ("ttyte_luot_kham_tre_duoi_6_tuoi", "ttyte_tre_suy_dinh_duong_duoc_ho_tro"),
        "truyenhinh": ("truyenhinh_so_chuyen_muc", "truyenhinh_so_phut_phat_song"),
        "vanhoa": ("vanhoa_so_hoat_dong_vui_choi",),
        "taichinh": ("taichinh_kinh_phi_bo_tri",),
        "noivu": ("noivu_xa_co_can_bo_chuyen_trach",),
        "mattran": ("mattran_so_cuoc_van_dong",),
        "ldtbxh": ("ldtbxh_so_hoat_dong_thang_hanh_dong", "ldtbxh_so_lop_tap_huan"),
    }
    for kind, codes in compulsory.items():
        for code in codes:
            element = forms[kind].element(code)
            assert element is not None and element.compulsory, (kind, code)


def test_xa_form_content(forms):
    form = forms["xa"]
    rules = {(r.left, r.op, r.right) for r in form.rules}
    assert ("xa_tai_nan_theo_nguyen_nhan", "==", "tre_em_tai_nan_thuong_tich") in rules
    assert ("tre_em_hcdb_duoc_ho_tro[nu]", "<=", "tre_em_hcdb[nu]") in rules
    assert ("tre_em_hcdb_duoc_ho_tro", "<=", "tre_em_hcdb") in rules
    assert ("tre_em_nguy_co_duoc_can_thiep", "<=", "tre_em_nguy_co") in rules
    assert ("tre_em_khuyet_tat_xam_hai_hiv_duoc_ho_tro", "<=", "tre_em_khuyet_tat_xam_hai_hiv") in rules
    assert ("so_ho_nang_cao_nhan_thuc", "<=", "so_ho_duoc_khao_sat") in rules
    by_cause = form.element("xa_tai_nan_theo_nguyen_nhan")
    assert by_cause.cells() == ("duoi_nuoc", "giao_thong", "nga", "bong", "ngo_doc", "khac")
    assert form.element("tre_em").disaggregation.key == "age"
    for code in ("xa_phu_hop_voi_tre_em", "diem_tham_van_hoat_dong_hieu_qua"):
        assert form.element(code).value_type == "yesno", code
    for code in ("xa_so_buoi_tham_van", "xa_so_buoi_sinh_hoat_cau_lac_bo"):
        assert form.element(code) is not None, code


def test_agency_form_content(forms):
    congan = forms["congan"]
    assert congan.element("congan_so_vu_xam_hai").cells() == ("xam_hai_tinh_duc", "bao_luc", "mua_ban", "khac")
    assert congan.element("congan_so_nan_nhan").disaggregation.key == "sex"
    assert ("congan_so_vu_da_xu_ly", "<=", "congan_so_vu_xam_hai") in {(r.left, r.op, r.right) for r in congan.rules}
    for code in (
        "congan_tre_vppl_giao_duc_tai_xa",
        "congan_tre_vppl_truong_giao_duong",
        "congan_tre_vppl_xu_ly_hinh_su",
    ):
        assert congan.element(code) is not None, code

    assert forms["giaoduc"].element("giaoduc_hoc_bong_so_tien").value_type == "money"
    funds = forms["taichinh"].element("taichinh_kinh_phi_bo_tri")
    assert funds.value_type == "money"
    assert funds.cells() == ("ngan_sach_huyen", "ngan_sach_xa", "xa_hoi_hoa", "khac")
    assert forms["noivu"].element("noivu_xa_co_can_bo_chuyen_trach").maximum == 9
    assert forms["ttyte"].element("ttyte_luot_kham_tre_duoi_6_tuoi").disaggregation.key == "sex"
    assert ("yte_so_truong_vi_pham_attp", "<=", "yte_so_truong_kiem_tra_attp") in {
        (r.left, r.op, r.right) for r in forms["yte"].rules
    }
    assert ("truyenhinh_so_tin_bai_tieng_dan_toc", "<=", "truyenhinh_so_tin_bai") in {
        (r.left, r.op, r.right) for r in forms["truyenhinh"].rules
    }
    for kind in ("danso", "mattran", "ldtbxh"):
        for code in ("so_buoi_truyen_thong", "so_luot_nguoi_duoc_truyen_thong"):
            assert forms[kind].element(code) is not None, (kind, code)
    for kind in ("mattran", "ldtbxh"):
        for code in ("kinh_phi_van_dong", "so_tre_em_duoc_tang_qua"):
            assert forms[kind].element(code) is not None, (kind, code)


# --- indicators ------------------------------------------------------------------------------


def test_the_ten_indicators(indicators):
    from intranet.plugin import Indicator

    assert isinstance(indicators, tuple)
    assert [i.key for i in indicators] == list(EXPECTED_INDICATORS)
    for indicator in indicators:
        assert isinstance(indicator, Indicator)
        numerator, denominator, factor, unit, better = EXPECTED_INDICATORS[indicator.key]
        assert indicator.numerator == numerator, indicator.key
        assert indicator.denominator == denominator, indicator.key
        assert indicator.factor == factor, indicator.key
        assert indicator.unit == unit, indicator.key
        assert indicator.better == better, indicator.key
        assert _vietnamese(indicator.title) and indicator.title_en.strip(), indicator.key
        # a computed indicator says how it counts, in both languages; a summed one sums figures
        assert bool(indicator.compute) == (not numerator), indicator.key
        if indicator.compute:
            assert _vietnamese(indicator.rule) and indicator.rule_en.strip(), indicator.key
    titles = {i.key: i.title for i in indicators}
    assert titles["ho_tro_tre_em_khuyet_tat_xam_hai_hiv"] == (
        "Tỷ lệ trẻ em khuyết tật, bị bạo lực, xâm hại, nhiễm HIV/AIDS được can thiệp, trợ giúp"
    )


def test_indicator_codes_are_reported(indicators, forms):
    from intranet.plugin.elements import SHARED

    reported = {e.code for form in forms.values() for e in form.elements()}
    by_xa = {e.code for e in forms["xa"].elements()}
    for indicator in indicators:
        for code in indicator.numerator + indicator.denominator:
            assert code in SHARED, (indicator.key, code)
            assert code in reported, (indicator.key, code)
            assert code in by_xa, (indicator.key, code)


# --- the package and its imports --------------------------------------------------------------


def test_package_exposes_plugin(packages, modules):
    from intranet.plugin import Plugin

    for key, package in packages.items():
        plugin = package.plugin
        assert isinstance(plugin, Plugin), key
        assert plugin.key == key
        assert plugin.title == modules[key].KIND.title
        assert plugin.title_en == modules[key].KIND.title_en
        assert plugin.description.strip() and VIETNAMESE_LETTERS & set(plugin.description)
        assert package.__doc__ and package.__doc__.strip(), key
        assert package.KIND is modules[key].KIND
        assert package.DUTIES is modules[key].DUTIES


class _RecordingConfig:
    def __init__(self):
        self.kinds = []
        self.duties = []
        self.forms = []
        self.indicators = []
        self.includes = []
        self.criteria_sets = []
        self.links = []
        self.audit_labels = []
        self.permissions = {}
        self.translations = []

    def add_permissions(self, grants):
        self.permissions.update(grants)

    def add_plugin_translations(self, spec, domain=None):
        self.translations.append(spec)

    def add_link(self, link):
        self.links.append(link)

    def add_audit_labels(self, *, actions=None, objects=None):
        self.audit_labels.append((actions or {}, objects or {}))

    def add_criteria_set(self, criteria_set):
        self.criteria_sets.append(criteria_set)

    def include(self, name):
        self.includes.append(name)

    def add_space_kind(self, kind):
        self.kinds.append(kind)

    def add_duties(self, kind_key, duties):
        self.duties.append((kind_key, tuple(duties)))

    def add_report_form(self, form):
        self.forms.append(form)

    def add_indicators(self, indicators):
        self.indicators.append(tuple(indicators))


def test_includeme_registers_kind_duties_form_and_indicators(packages, modules, forms):
    for key, package in packages.items():
        config = _RecordingConfig()
        package.plugin.includeme(config)
        assert config.kinds == [modules[key].KIND], key
        assert config.duties == [(key, modules[key].DUTIES)], key
        assert len(config.forms) == 1 and config.forms[0] is forms[key], key
        if key == "ldtbxh":
            assert config.indicators == [_import("intranet_ldtbxh.indicators").INDICATORS]
            assert ".views" in config.includes  # the registry's pages
            # the 13 criteria of Quyết định 06/QĐ-TTg (2019), shipped as a data file
            assert config.criteria_sets == ["intranet_ldtbxh:criteria/qd-06-2019.yaml"]
            # the registry on the menu and on each commune's page
            assert [(x.route, x.place) for x in config.links] == [
                ("ldtbxh.registry", "menu"),
                ("ldtbxh.registry", "space"),
            ]
            # its own permissions, given to roles, and its own catalogue
            assert config.permissions == {
                "ldtbxh.registry:view": ("authenticated",),
                "ldtbxh.registry:log": ("head", "officer"),
                "ldtbxh.registry:manage": ("admin", "coordinator"),
            }
            assert config.translations == ["intranet_ldtbxh:locale"]
        else:
            assert config.indicators == [], key
            assert config.criteria_sets == [], key
            assert config.links == [], key
            assert config.audit_labels == [], key


_IMPORT = re.compile(r"^\s*(?:from\s+(\.*[\w.]*)\s+import|import\s+([\w.]+))", re.MULTILINE)


#: The modules of the contract a plugin may import.
CONTRACT_MODULES = {
    "intranet.plugin",
    "intranet.plugin.elements",
    "intranet.plugin.criteria",
    "intranet.plugin.models",
    "intranet.plugin.numbers",
    "intranet.plugin.web",
}


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_plugins_import_only_the_contract(key):
    package_dir = PLUGINS_DIR / f"intranet_{key}"
    expected_files = ["__init__.py", "duties.py", "forms.py"]
    if key == "ldtbxh":
        # the indicators, and the registry of models, clubs and counselling points (its permissions,
        # its own translation domain and its pages' forms)
        expected_files += [
            "i18n.py",
            "indicators.py",
            "models.py",
            "permissions.py",
            "seed.py",
            "services.py",
            "views.py",
            "webforms.py",
        ]
        expected_files.sort()
    assert sorted(p.name for p in package_dir.glob("*.py")) == expected_files
    for path in package_dir.glob("*.py"):
        source = path.read_text(encoding="utf-8")
        for match in _IMPORT.finditer(source):
            module = match.group(1) or match.group(2)
            if module.startswith("."):
                continue  # relative import inside the package
            root = module.split(".")[0]
            if root == "intranet":
                assert module in CONTRACT_MODULES, (path.name, module)
            assert not root.startswith("intranet_"), (path.name, module)
