"""The administrator's forms: a user's account, and the filters of the audit trail."""

from __future__ import annotations

import re

from intranet.accounts import services as accounts
from intranet.accounts.forms import MSG_SHORT_PASSWORD
from intranet.forms import ChoiceField, DateField, Form, PasswordField, TextField, ValidationError
from intranet.i18n import _
from intranet.notifications.services import valid_address

GLOBAL_ROLE_LABELS = {
    "": _("No global role"),
    "admin": _("Administrator"),
    "coordinator": _("Coordinator"),
    "province": _("Provincial viewer"),
}
LOGIN_RE = re.compile(r"[a-z0-9][a-z0-9._-]{1,62}")
MSG_LOGIN = _("Use 2–63 lowercase letters, digits, dots, dashes or underscores.")
MAX_FULL_NAME = 200


class UserForm(Form):
    """A new account (``new``: its login and a password are required) or a change to one (the
    login stays; a password typed replaces the old one)."""

    login = TextField(_("Login name"), required=MSG_LOGIN, lower=True)
    full_name = TextField(_("Full name"), required=_("Enter the full name."), max_length=MAX_FULL_NAME)
    email = TextField(_("E-mail"))
    global_role = ChoiceField(_("Global role"), choices=GLOBAL_ROLE_LABELS, message=_("Choose a role."))
    password = PasswordField(_("Password"))

    def __init__(self, formdata=None, *, new: bool, dbsession=None, **kwargs):
        self.new = new
        self.dbsession = dbsession
        super().__init__(formdata, **kwargs)
        if new:
            self.password.required = MSG_SHORT_PASSWORD
            self.password.flags.required = True
        else:
            del self.login
            self.password.label.text = _("New password")

    def validate_login(self, field):
        if not LOGIN_RE.fullmatch(field.data):
            raise ValidationError(MSG_LOGIN)
        if accounts.login_taken(self.dbsession, field.data):
            raise ValidationError(_("This login name is already taken."))

    def validate_email(self, field):
        # The same rule as the mailer's: a line break in an address would forge mail headers.
        if not valid_address(field.data):
            raise ValidationError(_("This e-mail address is not valid."))

    def validate_password(self, field):
        problem = accounts.password_problem(field.data)
        if problem:
            raise ValidationError(problem)


class AuditFilterForm(Form):
    """The filters of the audit trail, sent in the query string. A date that is not one is left
    out of the search, and its field says why."""

    user = TextField(_("Login name"), lower=True)
    space = TextField(_("Unit"))
    date_from = DateField(_("From (dd/mm/yyyy)"), name="from")
    date_to = DateField(_("To (dd/mm/yyyy)"), name="to")
