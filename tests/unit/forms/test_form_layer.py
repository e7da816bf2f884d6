"""The Form base of the one form layer: WebOb's form bodies, errors beside fields and for the
whole form, the messages in Vietnamese, and no CSRF of its own (Pyramid's is the one)."""

from __future__ import annotations

from pathlib import Path

from pyramid.i18n import make_localizer
from webob.multidict import MultiDict

import intranet
from intranet.forms import DateField, Form, IntegerField, TextField, ValidationError
from intranet.i18n import DATE_NOT_REAL, _

VI = make_localizer("vi", [str(Path(intranet.__file__).parent / "locale")])


class Visit(Form):
    visit_date = DateField(_("Date (dd/mm/yyyy)"), required=_("Enter the date (dd/mm/yyyy)."))
    note = TextField(_("What was done"), required=_("Describe what was done."), max_length=50)
    people = IntegerField(name="m_people")
    boys = IntegerField()

    def validate_boys(self, field):
        if self.people.data is not None and field.data > self.people.data:
            raise ValidationError(_("Too many boys."))

    def full_validate(self):
        if self.note.data == "x":
            raise ValidationError(_("Say more."))


def body(**fields) -> MultiDict:
    return MultiDict(list(fields.items()))


def test_a_webob_body_is_read_and_the_html_names_are_kept():
    form = Visit(body(visit_date="05/06/2017", note="Họp thôn", m_people="1.210", boys="10"))
    assert form.validate()
    assert form.people.name == "m_people" and form.people.id == "m_people"
    assert form.people.data == 1210 and form.messages == {}


def test_the_first_text_of_a_repeated_name_and_no_file_as_text():
    upload = type("Upload", (), {"filename": "a.pdf", "file": None})()
    form = Visit(MultiDict([("note", "một"), ("note", "hai"), ("visit_date", upload)]))
    assert form.note.data == "một"
    assert form.visit_date.raw == "" and form.visit_date.data is None


def test_errors_stay_beside_their_fields_in_the_forms_order():
    form = Visit(body(visit_date="31/02/2017", note="", m_people="mười", boys="3"))
    assert not form.validate()
    assert list(form.messages) == ["visit_date", "note", "m_people"]
    assert form.messages["visit_date"] == DATE_NOT_REAL
    assert form.messages["note"] == _("Describe what was done.")
    # nothing typed is lost
    assert (form.visit_date.value, form.people.value, form.boys.value) == ("31/02/2017", "mười", "3")


def test_a_check_across_fields_and_one_for_the_whole_form():
    form = Visit(body(visit_date="05/06/2017", note="x", m_people="2", boys="3"))
    assert not form.validate()
    assert form.messages == {"boys": _("Too many boys."), "": _("Say more.")}


def test_a_check_is_not_run_on_a_field_left_empty_or_unread():
    form = Visit(body(visit_date="05/06/2017", note="Họp", m_people="", boys="abc"))
    assert not form.validate()
    assert form.messages == {"boys": _("Enter a whole number (0 or more).")}


def test_a_view_adds_what_only_it_knows():
    form = Visit(body(visit_date="05/06/2017", note="Họp"))
    assert form.validate()
    form.add_error("note", _("No plan has been loaded yet."))
    form.add_error("evidence", _("Choose fewer files."))
    assert form.has_errors
    assert form.messages == {"note": _("No plan has been loaded yet."), "evidence": _("Choose fewer files.")}
    assert form.label_of("note") == _("What was done") and form.label_of("evidence") is None


def test_messages_in_vietnamese():
    form = Visit(body(visit_date="31/02/2017", note=""))
    form.validate()
    words = form.translated(VI)
    assert words["visit_date"].startswith("Ngày không có thật")
    assert words["note"] == VI.translate(_("Describe what was done."))
    long = Visit(body(visit_date="05/06/2017", note="x" * 51))
    long.validate()
    assert long.translated(VI)["note"] == "Tối đa 50 ký tự."


def test_no_csrf_field_of_its_own():
    form = Visit(body(visit_date="05/06/2017", note="Họp"))
    assert "csrf_token" not in form and form.validate()  # no token sent, none asked for


def test_a_form_opened_without_a_body_shows_stored_values_and_no_errors():
    form = Visit(data={"note": "Đã họp", "people": 1250})
    assert (form.note.value, form.people.value, form.visit_date.value) == ("Đã họp", "1.250", "")
    assert form.messages == {}
