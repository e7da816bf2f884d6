"""A duty's measure may name the report figure it adds to (``Measure.element``); a name that is
not a figure its logs can add up to stops start-up, naming the plugin, the duty and the measure."""

from __future__ import annotations

import pytest
from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationExecutionError

from intranet.host import PluginError, PluginInfo, check_measure_elements, get_registry
from intranet.plugin import (
    DataElement,
    Disaggregation,
    DutySpec,
    Measure,
    Option,
    Plugin,
    ReportForm,
    Section,
    SpaceKind,
)

SEX = Disaggregation("sex", "Giới tính", "Sex", (Option("nam", "Nam", "Male"), Option("nu", "Nữ", "Female")))
KIND = SpaceKind(key="thu", category="agency", title="Đơn vị thử", title_en="Test unit")
OTHER = SpaceKind(key="khac", category="agency", title="Đơn vị khác", title_en="Other unit")
FORM = ReportForm(
    key="thu.bao-cao",
    title="Báo cáo thử",
    title_en="Test report",
    space_kind="thu",
    sections=(
        Section(
            "chung",
            "Chung",
            "General",
            elements=(
                DataElement("thu_so_buoi", "Số buổi", "Sessions"),
                DataElement("thu_tre_em", "Số trẻ em", "Children", disaggregation=SEX),
                DataElement("thu_kinh_phi", "Kinh phí", "Funds", value_type="money"),
                DataElement("thu_ty_le", "Tỷ lệ", "Rate", value_type="percentage"),
                DataElement("thu_dat", "Đạt", "Met", value_type="yesno"),
                DataElement("thu_ghi_chu", "Ghi chú", "Notes", value_type="text"),
                DataElement("thu_diem", "Điểm", "Score", additive=False),
            ),
        ),
    ),
)
OTHER_FORM = ReportForm(
    key="khac.bao-cao",
    title="Báo cáo khác",
    title_en="Other report",
    space_kind="khac",
    sections=(Section("chung", "Chung", "General", elements=(DataElement("khac_so_buoi", "Số buổi", "Sessions"),)),),
)


def duty(*measures):
    return DutySpec(
        key="thu.tuyen-truyen", title="Tuyên truyền", title_en="Communication", text="Tuyên truyền.", measures=measures
    )


def configure(*measures, plugin="thuthu"):
    """A configurator with the two kinds and forms, and a plugin declaring one duty."""
    config = Configurator(settings={})
    config.include("intranet.host")
    config.add_space_kind(KIND)
    config.add_space_kind(OTHER)
    config.add_report_form(OTHER_FORM)
    config.registry["intranet.loading_plugin"] = PluginInfo(
        plugin=Plugin(key=plugin, title="Thử", includeme=lambda c: None), version="1", distribution="thu"
    )
    config.add_duties("thu", [duty(*measures)])
    config.registry["intranet.loading_plugin"] = None
    # the form comes after the duties: the check waits for every form, whatever the order
    config.add_report_form(FORM)
    return config


def registry():
    config = configure()
    config.commit()
    return get_registry(config.registry)


def test_measures_naming_figures_of_their_kind_are_accepted():
    config = configure(
        Measure("so_buoi", "Số buổi", "Sessions", element="thu_so_buoi"),
        Measure("so_nam", "Số em nam", "Boys", element="thu_tre_em[nam]"),
        Measure("so_nu", "Số em nữ", "Girls", element="thu_tre_em[nu]"),
        Measure("so_tien", "Số tiền", "Amount", element="thu_kinh_phi"),
        Measure("so_khac", "Số khác", "Other"),
    )
    config.commit()
    assert get_registry(config.registry).measure_cells("thu") == {
        ("thu.tuyen-truyen", "so_buoi"): ("thu_so_buoi", ""),
        ("thu.tuyen-truyen", "so_nam"): ("thu_tre_em", "nam"),
        ("thu.tuyen-truyen", "so_nu"): ("thu_tre_em", "nu"),
        ("thu.tuyen-truyen", "so_tien"): ("thu_kinh_phi", ""),
    }


def test_a_wrong_element_stops_start_up_naming_plugin_duty_and_measure():
    config = configure(Measure("so_buoi", "Số buổi", "Sessions", element="thu_so_buoii"))
    with pytest.raises(ConfigurationExecutionError) as excinfo:
        config.commit()
    message = str(excinfo.value)
    assert "'thuthu'" in message and "'thu.tuyen-truyen'" in message and "'so_buoi'" in message
    assert "'thu_so_buoii'" in message and "thu.bao-cao" in message
    assert isinstance(excinfo.value.evalue, PluginError)


@pytest.mark.parametrize(
    "element, why",
    [
        ("khong_co", "not in a report form of space kind 'thu'"),
        ("khac_so_buoi", "not in a report form of space kind 'thu'"),  # another kind's figure
        ("thu_ghi_chu", "of type 'text'"),
        ("thu_ty_le", "of type 'percentage'"),
        ("thu_dat", "of type 'yesno'"),
        ("thu_diem", "does not add up"),
        ("thu_tre_em", "name one of its options as code[option]: nam, nu"),
        ("thu_tre_em[khac]", "name one of its options"),
        ("thu_so_buoi[nam]", "is not broken down"),
    ],
)
def test_what_a_measure_cannot_add_to(element, why):
    bad = duty(Measure("so_buoi", "Số buổi", "Sessions", element=element))
    with pytest.raises(PluginError) as excinfo:
        check_measure_elements(registry(), "thu", [bad], plugin="thuthu")
    message = str(excinfo.value)
    assert why in message
    assert message.startswith(f"Plugin 'thuthu', duty 'thu.tuyen-truyen', measure 'so_buoi': element {element!r}")


def test_two_measures_of_one_duty_cannot_add_to_one_figure():
    bad = duty(
        Measure("so_buoi", "Số buổi", "Sessions", element="thu_so_buoi"),
        Measure("so_buoi_2", "Số buổi (2)", "Sessions (2)", element="thu_so_buoi"),
    )
    with pytest.raises(PluginError, match="measure 'so_buoi_2'.*already the figure of measure 'so_buoi'"):
        check_measure_elements(registry(), "thu", [bad], plugin="thuthu")
