"""A report's form built from its plugin's spec, without a database: one field per cell and per
narrative under the page's names, each cell read by its value type, a draft that is only read,
a sending that also needs the compulsory figures and the rules, and the class built once."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import jinja2
import pytest
from pyramid.i18n import make_localizer
from webob.multidict import MultiDict

import intranet
from intranet import numbers
from intranet.forms import MSG_MONEY
from intranet.plugin import DataElement, Disaggregation, Narrative, Option, ReportForm, Rule, Section
from intranet.reports.forms import (
    MAX_LINES,
    MAX_TEXT,
    MSG_FIGURE_REQUIRED,
    MSG_PART_REQUIRED,
    MSG_YES_NO,
    formdata,
    read_cell,
    report_form,
    report_form_class,
    report_form_of,
    write_cell,
)

ROOT = Path(intranet.__file__).parent
VI = make_localizer("vi", [str(ROOT / "locale")])

SEX = Disaggregation("sex", "Giới tính", "Sex", (Option("nam", "Nam", "Male"), Option("nu", "Nữ", "Female")))
CHILDREN = DataElement("tre_em", "Số trẻ em", "Children", disaggregation=SEX, compulsory=True)
SUPPORTED = DataElement("duoc_ho_tro", "Được hỗ trợ", "Supported", disaggregation=SEX)
SESSIONS = DataElement("so_buoi", "Số buổi", "Sessions", minimum=1, maximum=1500)
FUNDS = DataElement("kinh_phi", "Kinh phí", "Funds", value_type="money")
RATE = DataElement("ty_le", "Tỷ lệ", "Rate", value_type="percentage")
CHANGE = DataElement("thay_doi", "Thay đổi", "Change", value_type="integer")
WORKS = DataElement("hoat_dong", "Hoạt động", "Works", value_type="yesno")
NOTE = DataElement("ghi_chu", "Ghi chú", "Note", value_type="text")
RESULTS = Narrative("ket_qua", "Kết quả", "Results", compulsory=True)
PROPOSALS = Narrative("de_xuat", "Đề xuất", "Proposals")

SPEC = ReportForm(
    key="thu.bao-cao",
    title="Báo cáo thử",
    title_en="Test report",
    space_kind="thu",
    version=3,
    sections=(
        Section("so-lieu", "Số liệu", "Figures", elements=(CHILDREN, SUPPORTED, SESSIONS, FUNDS, RATE, CHANGE)),
        Section("khac", "Khác", "Other", elements=(WORKS, NOTE), narratives=(RESULTS, PROPOSALS)),
    ),
    rules=(
        Rule("duoc_ho_tro", "<=", "tre_em", "Không vượt quá số trẻ em.", "At most the number of children."),
        Rule("duoc_ho_tro[nu]", "<=", "tre_em[nu]", "Không vượt quá số trẻ em nữ.", "At most the number of girls."),
    ),
)
FILLED = {"v.tre_em.nam": "3", "v.tre_em.nu": "4", "n.ket_qua": "Đã triển khai."}


def sent(**fields) -> MultiDict:
    """A form body: sent(**{"v.so_buoi": "7"})."""
    return MultiDict(list(fields.items()))


def read(submit=False, english=False, **fields):
    form = report_form(SPEC, sent(**fields))
    form.validate(submit=submit, english=english)
    return form


def vi(message) -> str:
    return VI.translate(message)


# --- the fields --------------------------------------------------------------------------------


def test_one_field_per_cell_and_narrative_under_the_pages_names_and_ids():
    form = report_form(SPEC)
    names = [f.name for f in form if f.name != "version"]
    assert names == [
        "v.tre_em.nam",
        "v.tre_em.nu",
        "v.duoc_ho_tro.nam",
        "v.duoc_ho_tro.nu",
        "v.so_buoi",
        "v.kinh_phi",
        "v.ty_le",
        "v.thay_doi",
        "v.hoat_dong",
        "v.ghi_chu",
        "n.ket_qua",
        "n.de_xuat",
    ]
    assert form["v.tre_em.nu"].id == "f-v.tre_em.nu" and form["n.de_xuat"].id == "f-n.de_xuat"
    # a draft may be saved incomplete: no field is marked required for the browser
    assert not any(f.flags.required for f in form)


def test_the_class_is_built_once_per_form_version():
    cls = report_form_class(SPEC)
    assert report_form_class(SPEC) is cls
    assert report_form_class(dataclasses.replace(SPEC)) is cls  # the same form rebuilt from its definition
    changed = dataclasses.replace(SPEC, sections=SPEC.sections[:1])
    assert report_form_class(changed) is not cls and "n.ket_qua" not in report_form(changed)._fields
    newer = dataclasses.replace(SPEC, version=4)
    assert report_form_class(newer) is not report_form_class(changed)


@pytest.mark.parametrize(
    "element, typed, value",
    [
        (SESSIONS, " 1.210 ", Decimal(1210)),
        (SESSIONS, "1 005", Decimal(1005)),
        (FUNDS, "1.500.000", Decimal(1_500_000)),
        (FUNDS, "1.500.000 đ", Decimal(1_500_000)),
        (RATE, "12,5 %", Decimal("12.5")),
        (CHANGE, "-3", Decimal(-3)),
        (WORKS, "0", Decimal(0)),
        (NOTE, "  Không có  ", "Không có"),
        (NOTE, "", None),
    ],
)
def test_a_cell_is_read_by_its_value_type(element, typed, value):
    assert read_cell(element, typed) == (value, None)


@pytest.mark.parametrize(
    "element, typed, message",
    [
        (SESSIONS, "1,5", numbers.MSG_WHOLE),
        (SESSIONS, "1.21", numbers.MSG_AMBIGUOUS),
        (SESSIONS, "-1", numbers._("Enter a whole number (0 or more).")),
        (SESSIONS, "1" + "0" * 15, numbers.MSG_TOO_LARGE),
        (CHANGE, "-" + "9" * 15, None),  # the smallest figure a cell keeps
        (CHANGE, "-1" + "0" * 15, numbers.MSG_TOO_LARGE),
        (FUNDS, "-500.000", MSG_MONEY),
        (FUNDS, "mười triệu", MSG_MONEY),
        (RATE, "100,5", numbers.MSG_PERCENT_RANGE),
        (WORKS, "có", MSG_YES_NO),
        (NOTE, "x" * (MAX_TEXT + 1), f"At most {MAX_TEXT} characters."),
    ],
)
def test_a_cell_that_is_not_its_type_says_why(element, typed, message):
    value, error = read_cell(element, typed)
    if message is None:
        assert error is None and value == -(10**15 - 1)
    else:
        assert value is None and str(error.interpolate() if hasattr(error, "interpolate") else error) == message


def test_a_stored_value_is_written_as_a_vietnamese_user_writes_it():
    assert write_cell(SESSIONS, Decimal("1210.00")) == "1.210"
    assert write_cell(RATE, Decimal("12.50")) == "12,5"
    assert write_cell(WORKS, Decimal("1.00")) == "1"
    assert write_cell(NOTE, "Không có") == "Không có"
    assert write_cell(SESSIONS, None) == ""
    for element, value in ((SESSIONS, Decimal(1210)), (RATE, Decimal("12.5")), (FUNDS, Decimal(1_500_000))):
        assert read_cell(element, write_cell(element, value)) == (value, None)


# --- a draft: read, never required ------------------------------------------------------------


def test_a_draft_is_read_and_what_cannot_be_read_keeps_its_text():
    form = read(**{"v.tre_em.nam": "1.210", "v.so_buoi": "mười hai", "v.hoat_dong": "1", "n.de_xuat": " Thêm "})
    assert not form.validate()  # the draft is refused only for the figure that cannot be read
    assert list(form.messages) == ["v.so_buoi"]
    assert form.unreadable == {"v.so_buoi"}
    assert form["v.so_buoi"].value == "mười hai"  # nothing typed is lost
    entry = form.entry()
    assert entry.values == {("tre_em", "nam"): Decimal(1210), ("hoat_dong", ""): Decimal(1)}
    assert entry.raw["v.so_buoi"] == "mười hai" and entry.raw["v.tre_em.nam"] == "1.210"
    assert entry.narratives == {"ket_qua": "", "de_xuat": "Thêm"}
    assert entry.errors == {"v.so_buoi": form["v.so_buoi"].errors[0]}


def test_the_elements_bounds_in_vietnamese_numbers():
    assert vi(read(**{"v.so_buoi": "0"}).messages["v.so_buoi"]) == "Giá trị nhỏ nhất được phép là 1."
    too_many = read(**{"v.so_buoi": "1.501"})
    assert too_many.messages["v.so_buoi"].interpolate() == "The largest allowed value is 1.500."
    assert too_many.unreadable == {"v.so_buoi"} and ("so_buoi", "") not in too_many.entry().values


def test_a_narrative_is_bounded_in_characters_and_lines():
    long = read(**{"n.de_xuat": "x" * (MAX_TEXT * 2 + 1)})
    assert long.messages["n.de_xuat"].interpolate() == f"At most {MAX_TEXT * 2} characters."
    assert long["n.de_xuat"].value == "x" * (MAX_TEXT * 2 + 1)
    lines = read(**{"n.de_xuat": "dòng\n" * MAX_LINES + "cuối"})
    assert lines.messages["n.de_xuat"].interpolate() == f"At most {MAX_LINES} lines."
    assert "n.de_xuat" in lines.unreadable
    assert read(**{"n.de_xuat": "dòng\n" * (MAX_LINES - 1) + "cuối"}).validate()


# --- sending: compulsory figures and parts, and the rules ---------------------------------------


def test_sending_needs_the_compulsory_figures_and_parts_cell_by_cell():
    form = read(submit=True, **{"v.tre_em.nam": "3"})
    assert form.messages == {"v.tre_em.nu": MSG_FIGURE_REQUIRED, "n.ket_qua": MSG_PART_REQUIRED}
    # what is missing is not unreadable: emptied on purpose, it is saved empty
    assert form.unreadable == frozenset()
    assert read(submit=True, **FILLED).validate(submit=True)


def test_a_typing_error_is_not_hidden_by_the_required_message():
    form = read(submit=True, **{**FILLED, "v.tre_em.nu": "bốn"})
    assert form.messages == {"v.tre_em.nu": numbers._("Enter a whole number (0 or more).")}
    assert form.unreadable == {"v.tre_em.nu"}


RULE_ALL = "Không vượt quá số trẻ em."
RULE_GIRLS = "Không vượt quá số trẻ em nữ."
NOT_A_COUNT = numbers._("Enter a whole number (0 or more).")


@pytest.mark.parametrize(
    "typed, messages, unreadable",
    [
        ({"v.duoc_ho_tro.nam": "3", "v.duoc_ho_tro.nu": "4"}, {}, set()),  # 7 of 7: "<=" allows equal
        ({"v.duoc_ho_tro.nam": "5", "v.duoc_ho_tro.nu": "3"}, {"v.duoc_ho_tro.nam": RULE_ALL}, set()),
        (
            {"v.duoc_ho_tro.nam": "3", "v.duoc_ho_tro.nu": "5"},
            {"v.duoc_ho_tro.nam": RULE_ALL, "v.duoc_ho_tro.nu": RULE_GIRLS},
            set(),
        ),
        ({"v.duoc_ho_tro.nu": "5"}, {"v.duoc_ho_tro.nu": RULE_GIRLS}, set()),
        ({"v.duoc_ho_tro.nu": "lăm"}, {"v.duoc_ho_tro.nu": NOT_A_COUNT}, {"v.duoc_ho_tro.nu"}),
    ],
)
def test_the_rules_are_checked_on_sending_beside_their_left_side(typed, messages, unreadable):
    form = read(submit=True, **FILLED, **typed)
    assert form.messages == messages
    # a figure that breaks a rule was read all the same: it is saved as typed
    assert form.unreadable == unreadable
    draft = read(**FILLED, **typed)
    assert draft.messages == {n: m for n, m in messages.items() if n in unreadable}


def test_a_rule_with_an_empty_side_is_not_checked_and_messages_come_in_english():
    assert read(submit=True, **{"n.ket_qua": "x", "v.duoc_ho_tro.nam": "9"}).messages == {
        "v.tre_em.nam": MSG_FIGURE_REQUIRED,
        "v.tre_em.nu": MSG_FIGURE_REQUIRED,
    }
    form = read(submit=True, english=True, **FILLED, **{"v.duoc_ho_tro.nu": "5"})
    assert form.messages == {"v.duoc_ho_tro.nu": "At most the number of girls."}


def test_english_follows_the_requests_locale():
    form = report_form(SPEC, sent(**FILLED, **{"v.duoc_ho_tro.nu": "5"}), request=SimpleNamespace(locale_name="en"))
    form.validate(submit=True)
    assert form.messages == {"v.duoc_ho_tro.nu": "At most the number of girls."}


# --- opened on a stored report, the suggestions, the API's cells ---------------------------------


def stored():
    values = [
        SimpleNamespace(element_code="tre_em", option="nam", value_num=Decimal("1210.00"), value_text=None, note=None),
        SimpleNamespace(element_code="ghi_chu", option="", value_num=None, value_text="Không có", note=None),
        SimpleNamespace(
            element_code="da_bo", option="", value_num=Decimal(5), value_text=None, note=None
        ),  # an old element
    ]
    return SimpleNamespace(version=7, values=values, narratives=[SimpleNamespace(key="ket_qua", text="Tốt")])


def test_a_form_opened_on_a_stored_report():
    form = report_form_of(SPEC, stored())
    assert form.version.data == 7
    assert form["v.tre_em.nam"].value == "1.210" and form["v.ghi_chu"].value == "Không có"
    assert form.total("tre_em") == Decimal(1210) and form.total("duoc_ho_tro") is None
    entry = form.entry()
    assert entry.values == {("tre_em", "nam"): Decimal(1210), ("ghi_chu", ""): "Không có"}
    assert entry.narratives == {"ket_qua": "Tốt", "de_xuat": ""}
    assert report_form_of(SPEC, None).entry().values == {}


def test_suggestions_fill_only_the_empty_cells():
    form = report_form_of(SPEC, stored())
    filled = form.fill_empty({("tre_em", "nam"): Decimal(9), ("tre_em", "nu"): Decimal(1005), ("ty_le", ""): None})
    assert filled == {"v.tre_em.nu"}
    assert form["v.tre_em.nam"].value == "1.210" and form["v.tre_em.nu"].value == "1.005"


@pytest.mark.parametrize("sent_version, read_as", [(None, 0), ("4", 4), ("", None), ("4a", None), ("-1", None)])
def test_the_version_the_page_was_opened_on(sent_version, read_as):
    body = sent() if sent_version is None else sent(version=sent_version)
    assert report_form(SPEC, body).version.data == read_as


def test_the_api_and_the_page_read_alike():
    cells = {("tre_em", "nam"): "1.210", ("so_buoi", ""): "12", ("kinh_phi", ""): "mười"}
    by_api = report_form(SPEC, formdata(cells, {"ket_qua": "Tốt"}))
    by_page = report_form(
        SPEC, sent(**{"v.tre_em.nam": "1.210", "v.so_buoi": "12", "v.kinh_phi": "mười", "n.ket_qua": "Tốt"})
    )
    assert not by_api.validate() and not by_page.validate()
    assert by_api.entry() == by_page.entry()
    assert by_api.messages == {"v.kinh_phi": MSG_MONEY}


# --- the controls as the page draws them ---------------------------------------------------------


@pytest.fixture(scope="module")
def macros():
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(ROOT / "templates")), autoescape=True, trim_blocks=True, lstrip_blocks=True
    )
    env.globals["_"] = lambda message, **kw: VI.translate(message)
    return env.get_template("macros/forms.jinja2").module


def test_the_controls_keep_the_pages_names_ids_and_keyboards(macros):
    form = read(**{"v.tre_em.nu": "1.21", "v.ty_le": "12,5", "v.hoat_dong": "0", "v.ghi_chu": "<b>"})
    number = str(macros.input(form["v.tre_em.nu"], size=10))
    assert number.startswith('<input id="f-v.tre_em.nu" name="v.tre_em.nu" value="1.21"')
    assert 'inputmode="numeric"' in number and 'size="10"' in number
    assert 'aria-invalid="true" aria-describedby="err-v.tre_em.nu"' in number
    assert 'id="err-v.tre_em.nu"' in str(macros.error(form["v.tre_em.nu"]))
    assert 'inputmode="decimal"' in str(macros.input(form["v.ty_le"], size=10))
    choice = str(macros.select(form["v.hoat_dong"], placeholder="— chọn —"))
    assert choice.startswith('<select id="f-v.hoat_dong" name="v.hoat_dong"')
    assert '<option value="0" selected>Không</option>' in choice and '<option value="">— chọn —</option>' in choice
    text = str(macros.textarea(form["v.ghi_chu"], rows=2, maxlength=False))
    assert "maxlength" not in text and "&lt;b&gt;</textarea>" in text
