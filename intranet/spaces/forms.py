"""The sharing page: who holds which role in a unit."""

from __future__ import annotations

from intranet.accounts import services as accounts
from intranet.forms import ChoiceField, Form, TextField, ValidationError
from intranet.i18n import _
from intranet.spaces.labels import ROLE_LABELS
from intranet.spaces.models import LOCAL_ROLES

#: The choice that takes a person's role in the unit away.
NO_ROLE = "none"
MSG_NO_USER = _("There is no user with this login name.")


class SharingForm(Form):
    login = TextField(_("User"), required=MSG_NO_USER, lower=True)
    role = ChoiceField(
        _("Role"),
        choices=[*((r, ROLE_LABELS[r]) for r in LOCAL_ROLES), (NO_ROLE, _("No role (remove from the unit)"))],
        message=_("Choose a role."),
    )

    def __init__(self, formdata=None, *, dbsession=None, **kwargs):
        self.dbsession = dbsession
        #: The person named by the login, once the form is checked.
        self.user = None
        super().__init__(formdata, **kwargs)

    def validate_login(self, field):
        self.user = accounts.user_by_login(self.dbsession, field.data)
        if self.user is None:
            raise ValidationError(MSG_NO_USER)

    def new_role(self) -> str | None:
        """The role to give, or None to take the person out of the unit."""
        return None if self.role.data == NO_ROLE else self.role.data
