"""templates/macros/forms.jinja2 draws a field of the form layer: the text typed back (escaped),
the field's own rules as attributes, the error beside it, and a summary that links to it."""

from __future__ import annotations

import re
from pathlib import Path

import jinja2
import pytest
from pyramid.i18n import make_localizer
from webob.multidict import MultiDict

import intranet
from intranet.forms import ChoiceField, DateField, Form, PasswordField, TextField
from intranet.i18n import _

ROOT = Path(intranet.__file__).parent
VI = make_localizer("vi", [str(ROOT / "locale")])


@pytest.fixture(scope="module")
def macros():
    # The settings of the app's renderer that change the output (intranet/config.py).
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(ROOT / "templates")),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["_"] = lambda message, **kw: VI.translate(message)
    return env.get_template("macros/forms.jinja2").module


class Note(Form):
    day = DateField(_("Date (dd/mm/yyyy)"), required=_("Enter the date (dd/mm/yyyy)."))
    text = TextField(_("What was done"), max_length=50)
    secret = PasswordField(_("Password"))
    progress = ChoiceField(_("Progress of the duty"), choices={"a": _("Not started"), "b": _("Done")})


def sent(**fields) -> Note:
    form = Note(MultiDict(list(fields.items())))
    form.validate()
    return form


def test_an_input_shows_what_was_typed_escaped_with_its_rules(macros):
    form = sent(day='31/02/2017"><script>', text="x", secret="s", progress="a")
    html = str(macros.input(form.day, placeholder="dd/mm/yyyy"))
    assert html.startswith('<input id="day" name="day" value="31/02/2017&#34;&gt;&lt;script&gt;"')
    assert " required" in html and 'inputmode="numeric"' in html and 'placeholder="dd/mm/yyyy"' in html
    assert 'aria-invalid="true" aria-describedby="err-day"' in html


def test_the_error_stands_beside_the_field_in_vietnamese(macros):
    form = sent(day="31/02/2017", progress="a")
    assert str(macros.error(form.day)).startswith('<p class="error" id="err-day">Ngày không có thật')
    assert str(macros.error(form.text)) == ""


def test_a_password_is_never_written_back(macros):
    form = sent(day="05/06/2017", secret="mat-khau-2017", progress="a")
    html = str(macros.input(form.secret, type="password"))
    assert "mat-khau" not in html and "value=" not in html


def test_a_textarea_keeps_a_leading_line_break(macros):
    form = sent(day="05/06/2017", text="\nHai dòng", progress="a")
    html = str(macros.textarea(form.text, rows=5))
    assert html.endswith('maxlength="50" rows="5">\n\nHai dòng</textarea>')


def test_choices_keep_the_choice_made(macros):
    form = sent(day="05/06/2017", progress="b")
    html = str(macros.radios(form.progress))
    assert re.search(r'value="b" checked', html) and 'value="a" checked' not in html
    assert 'id="progress"' in html  # the first radio: the summary's link leads there
    select = str(macros.select(form.progress))
    assert '<option value="b" selected>Hoàn thành</option>' in select


def test_the_summary_links_every_message_to_its_field(macros):
    form = sent(day="", text="x" * 51, progress="z")
    form.add_error("evidence", _("Choose fewer files."))
    html = str(macros.error_summary(form))
    assert 'id="error-summary"' in html and 'role="alert"' in html
    assert html.count("<li>") == 4
    assert '<a href="#day">Ngày (dd/mm/yyyy): ' in html
    assert '<a href="#text">' in html and '<a href="#progress">' in html and '<a href="#evidence">' in html
    assert str(macros.error_summary(sent(day="05/06/2017", progress="a"))).strip() == ""
