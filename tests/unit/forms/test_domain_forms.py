"""The core's forms on the layer, without a database: the duty log, signing in, the password
change and the API token."""

from __future__ import annotations

import datetime as dt

from webob.multidict import MultiDict

from intranet.accounts.forms import MSG_SHORT_PASSWORD, LoginForm, PasswordChangeForm, TokenForm
from intranet.duties.forms import log_form, log_form_of
from intranet.i18n import _
from intranet.numbers import MSG_AMBIGUOUS
from intranet.plugin.specs import DutySpec, Measure

TODAY = dt.date(2017, 6, 5)
SPEC = DutySpec(
    key="xa.thu",
    title="Nhiệm vụ thử",
    title_en="A test duty",
    text="Nội dung",
    measures=(Measure("so_buoi", "Số buổi", "Sessions"), Measure("so_luot", "Số lượt", "People")),
)


def body(**fields) -> MultiDict:
    return MultiDict(list(fields.items()))


def test_a_duty_log_is_read_with_its_measures():
    form = log_form(
        SPEC, body(log_date="20/5/2017", description=" Họp thôn ", progress="done", m_so_buoi="1.250"), today=TODAY
    )
    assert form.validate()
    assert form.entry() == {
        "duty_key": "xa.thu",
        "log_date": dt.date(2017, 5, 20),
        "description": "Họp thôn",
        "progress": "done",
        "values": {"so_buoi": 1250},  # a measure left empty is not recorded
    }


def test_a_refused_duty_log_says_why_beside_each_field_and_keeps_the_text():
    sent = body(log_date="06/06/2017", description="", progress="later", m_so_buoi="1.21", m_so_luot="12")
    form = log_form(SPEC, sent, today=TODAY)
    assert not form.validate()
    assert form.messages == {
        "log_date": _("The date cannot be in the future."),
        "description": _("Describe what was done."),
        "progress": _("Choose the progress of the duty."),
        "m_so_buoi": MSG_AMBIGUOUS,
    }
    assert form.m_so_buoi.value == "1.21" and form.m_so_luot.value == "12"


def test_a_log_before_the_programme_and_a_measure_beyond_the_cap():
    form = log_form(SPEC, body(log_date="31/12/1999", description="x", progress="done", m_so_buoi="1" + "0" * 13))
    assert not form.validate()
    assert form.messages["log_date"] == _("The date is too far in the past.")
    assert "m_so_buoi" in form.messages


def test_a_duty_that_is_not_the_units_is_asked_for():
    form = log_form(None, body(log_date="05/06/2017", description="x", progress="done"), today=TODAY)
    assert not form.validate()
    assert form.messages == {"duty": _("Choose a duty.")}


def test_a_stored_log_opens_with_its_numbers_written_out():
    values = [type("V", (), {"measure_key": "so_luot", "value": 1250})()]
    log = type(
        "Log", (), {"log_date": TODAY, "description": "Đã họp", "progress": "done", "version": 3, "values": values}
    )()
    form = log_form_of(log, SPEC)
    assert (form.log_date.value, form.m_so_luot.value, form.m_so_buoi.value) == ("05/06/2017", "1.250", "")
    assert form.version.value == "3" and form.progress.value == "done"


def test_sign_in_asks_for_both_fields_and_caps_the_login():
    form = LoginForm(body(login="", password=""))
    assert not form.validate()
    assert set(form.messages) == {"login", "password"}
    assert LoginForm(body(login="x" * 65, password="p")).validate() is False
    form = LoginForm(body(login=" tancanh ", password=" demo 2017 "))
    assert form.validate() and (form.login.data, form.password.data) == ("tancanh", " demo 2017 ")


def test_a_new_password_is_checked_by_the_accounts_rules():
    form = PasswordChangeForm(body(current="x", new="", confirm=""))
    assert not form.validate() and form.messages == {"new": MSG_SHORT_PASSWORD}
    form = PasswordChangeForm(body(current="x", new="mat-khau-moi", confirm="mat-khau-khac"))
    assert not form.validate() and form.messages == {"new": _("The two passwords do not match.")}
    assert PasswordChangeForm(body(current="x", new="mat-khau-moi", confirm="mat-khau-moi")).validate()


def test_a_token_needs_a_short_name():
    assert TokenForm(body(name=" ")).messages == {} and not TokenForm(body(name=" ")).validate()
    form = TokenForm(body(name="x" * 101))
    assert not form.validate() and form.messages == {"name": _("At most ${n} characters.", mapping={"n": 100})}
    assert TokenForm(body(name="Bảng tính")).validate()
