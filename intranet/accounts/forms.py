"""Signing in, changing one's password, naming an API token."""

from __future__ import annotations

from intranet.accounts.services import MIN_PASSWORD_LENGTH, password_problem
from intranet.forms import Form, PasswordField, TextField, ValidationError
from intranet.i18n import _

#: The longest login name that may be typed (a login has at most 63 characters, admin/forms.py).
MAX_LOGIN_LENGTH = 64
#: The longest name of an API token.
MAX_TOKEN_NAME = 100

MSG_SHORT_PASSWORD = _("The password must have at least ${n} characters.", mapping={"n": MIN_PASSWORD_LENGTH})


class LoginForm(Form):
    """Nothing here reads the database: the login view checks the password in its own short
    transaction (see intranet.models.short_transaction), after this form is read."""

    login = TextField(_("Login name"), required=_("Enter your login name."), max_length=MAX_LOGIN_LENGTH)
    password = PasswordField(_("Password"), required=_("Enter your password."))


class PasswordChangeForm(Form):
    """The new password's rules; whether the current one is right is the view's to say, since it
    counts the attempt against the throttle."""

    current = PasswordField(_("Current password"))
    new = PasswordField(_("New password"), required=MSG_SHORT_PASSWORD)
    confirm = PasswordField(_("Repeat the new password"))

    def validate_new(self, field):
        problem = password_problem(field.data, self.confirm.data)
        if problem:
            raise ValidationError(problem)


class TokenForm(Form):
    name = TextField(
        _("Name (what the token is for)"), required=_("Please give the token a name."), max_length=MAX_TOKEN_NAME
    )
