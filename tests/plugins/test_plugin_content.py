"""What the twelve bundled plugins declare: spaces, duties and measures (no database, no app).

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
    assert modules["mattran"].KIND.title == (
        "Ủy ban Mặt trận Tổ quốc Việt Nam và các đoàn thể huyện"
    )


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
        "ldtbxh": "Mục V.1", "taichinh": "Mục V.2", "noivu": "Mục V.3", "yte": "Mục V.4",
        "giaoduc": "Mục V.5", "vanhoa": "Mục V.6", "congan": "Mục V.7", "ttyte": "Mục V.8",
        "danso": "Mục V.9", "truyenhinh": "Mục V.10", "xa": "Mục V.11", "mattran": "Mục V.12",
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
    assert "giáo dục cảm hoá trẻ em hư" in texts
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
    assert "Kế hoạch hoá gia đình" in _texts(modules["danso"])
    assert "thời lượng phát sóng" in _texts(modules["truyenhinh"])
    assert "quỹ bảo trợ trẻ em" in _texts(modules["mattran"])
    for text in ("Số chương trình phát sóng", "Số phút phát sóng"):
        assert any(
            m.label == text for d in modules["truyenhinh"].DUTIES for m in d.measures
        ), text


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

    def add_space_kind(self, kind):
        self.kinds.append(kind)

    def add_duties(self, kind_key, duties):
        self.duties.append((kind_key, tuple(duties)))


def test_includeme_registers_kind_and_duties(packages, modules):
    for key, package in packages.items():
        config = _RecordingConfig()
        package.plugin.includeme(config)
        assert config.kinds == [modules[key].KIND], key
        assert config.duties == [(key, modules[key].DUTIES)], key


_IMPORT = re.compile(r"^\s*(?:from\s+(\.*[\w.]*)\s+import|import\s+([\w.]+))", re.MULTILINE)


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_plugins_import_only_the_contract(key):
    package_dir = PLUGINS_DIR / f"intranet_{key}"
    assert sorted(p.name for p in package_dir.glob("*.py")) == ["__init__.py", "duties.py"]
    for path in package_dir.glob("*.py"):
        source = path.read_text(encoding="utf-8")
        for match in _IMPORT.finditer(source):
            module = match.group(1) or match.group(2)
            if module.startswith("."):
                continue  # relative import inside the package
            root = module.split(".")[0]
            if root == "intranet":
                assert module == "intranet.plugin", (path.name, module)
            assert not root.startswith("intranet_"), (path.name, module)
