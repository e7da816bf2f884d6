"""A report form as a plugin declares it (intranet.plugin: DataElement, ReportForm, Rule …): what
its elements are (cells, numbers, sums), and the checks that stop start-up on a form whose data
does not hold together, naming the form and the element."""

from __future__ import annotations

import pytest
from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationExecutionError

from intranet.host import PluginError, get_registry
from intranet.plugin import DataElement, Disaggregation, Option, ReportForm, Rule, Section, SpaceKind

SEX = Disaggregation("sex", "Giới tính", "Sex", (Option("nam", "Nam", "Male"), Option("nu", "Nữ", "Female")))
KIND = SpaceKind(key="thu", category="agency", title="Đơn vị thử", title_en="Test unit")
CHILDREN = DataElement("thu_tre_em", "Số trẻ em", "Children", disaggregation=SEX)
SESSIONS = DataElement("thu_so_buoi", "Số buổi", "Sessions")


def form(*elements, rules=(), key="thu.bao-cao", kind="thu") -> ReportForm:
    return ReportForm(
        key=key,
        title="Báo cáo thử",
        title_en="Test report",
        space_kind=kind,
        sections=(Section("chung", "Chung", "General", elements=elements),),
        rules=rules,
    )


def rule(left, right, op="<=") -> Rule:
    return Rule(left, op, right, "Sai.", "Wrong.")


def declare(*forms):
    config = Configurator(settings={})
    config.include("intranet.host")
    config.add_space_kind(KIND)
    config.add_space_kind(SpaceKind(key="khac", category="agency", title="Đơn vị khác", title_en="Other unit"))
    for f in forms:
        config.add_report_form(f)
    config.commit()
    return get_registry(config.registry)


def refusal(*forms) -> str:
    with pytest.raises(ConfigurationExecutionError) as caught:
        declare(*forms)
    assert isinstance(caught.value.evalue, PluginError)
    return str(caught.value.evalue)


# --- elements ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "element, numeric, summable",
    [
        (DataElement("a", "A", "A"), True, True),
        (DataElement("a", "A", "A", value_type="integer"), True, True),
        (DataElement("a", "A", "A", value_type="money"), True, True),
        (DataElement("a", "A", "A", value_type="yesno"), True, True),  # a yes counts 1 unit
        (DataElement("a", "A", "A", value_type="percentage"), True, False),  # rates are never added
        (DataElement("a", "A", "A", value_type="percentage", additive=True), True, False),
        (DataElement("a", "A", "A", additive=False), True, False),  # a score out of 15
        (DataElement("a", "A", "A", value_type="text"), False, False),
    ],
)
def test_what_an_element_adds_up_to(element, numeric, summable):
    assert (element.numeric, element.summable) == (numeric, summable)


def test_the_cells_of_an_element():
    assert SESSIONS.cells() == ("",)
    assert CHILDREN.cells() == ("nam", "nu")
    assert SEX.option("nu").label == "Nữ" and SEX.option("khac") is None


def test_a_form_lists_its_elements_in_order():
    f = ReportForm(
        key="thu.bao-cao",
        title="Báo cáo",
        title_en="Report",
        space_kind="thu",
        sections=(Section("a", "A", "A", elements=(SESSIONS,)), Section("b", "B", "B", elements=(CHILDREN,))),
    )
    assert [e.code for e in f.elements()] == ["thu_so_buoi", "thu_tre_em"]
    assert f.element("thu_tre_em") is CHILDREN and f.element("khong_co") is None
    assert f.period_types == ("half_year", "year") and f.version == 1


# --- the checks at start-up ----------------------------------------------------------------------


def test_a_consistent_form_is_registered_with_its_elements():
    good = form(SESSIONS, CHILDREN, rules=(rule("thu_so_buoi", "thu_tre_em"), rule("thu_tre_em[nu]", "thu_tre_em")))
    reg = declare(good)
    assert reg.forms["thu.bao-cao"] is good
    assert reg.elements["thu_tre_em"] is CHILDREN and reg.elements["thu_so_buoi"] is SESSIONS


@pytest.mark.parametrize(
    "bad_rule, code",
    [
        (rule("thu_so_buoii", "thu_tre_em"), "thu_so_buoii"),
        (rule("thu_so_buoi", "thu_tre_emm"), "thu_tre_emm"),
        (rule("khac_tre_em[nu]", "thu_tre_em"), "khac_tre_em"),
    ],
)
def test_a_rule_naming_a_figure_the_form_does_not_have(bad_rule, code):
    message = refusal(form(SESSIONS, CHILDREN, rules=(bad_rule,)))
    assert message == (
        f"Form 'thu.bao-cao': rule {bad_rule.left} {bad_rule.op} {bad_rule.right} names {code!r}, "
        "which is not in the form."
    )


def test_an_element_listed_twice():
    assert refusal(form(SESSIONS, CHILDREN, SESSIONS)) == "Form 'thu.bao-cao' lists element 'thu_so_buoi' twice."


def test_an_unknown_value_type():
    bad = DataElement("thu_so_buoi", "Số buổi", "Sessions", value_type="float")
    assert refusal(form(bad)) == "Form 'thu.bao-cao': element 'thu_so_buoi' has an unknown value type."


def test_a_shared_code_means_one_figure_everywhere():
    other = form(SESSIONS, key="khac.bao-cao", kind="khac")
    assert declare(form(SESSIONS), other).forms.keys() == {"thu.bao-cao", "khac.bao-cao"}
    differently = form(DataElement("thu_so_buoi", "Số buổi họp", "Meetings"), key="khac.bao-cao", kind="khac")
    message = refusal(form(SESSIONS), differently)
    assert "declares element 'thu_so_buoi' differently from another form" in message


def test_a_form_due_from_an_unknown_kind():
    assert refusal(form(SESSIONS, kind="khong-co")) == "Form 'thu.bao-cao' is due from unknown space kind 'khong-co'."
