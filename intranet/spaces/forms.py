"""The sharing page: who holds which role in a unit."""

from __future__ import annotations

from intranet.accounts import services as accounts
from intranet.forms import ChoiceField, Form, InputField, TextField, ValidationError
from intranet.i18n import _
from intranet.spaces.labels import ROLE_LABELS
from intranet.spaces.models import LOCAL_ROLES
from intranet.spaces.services import UNDESIGNABLE_ROLES

#: The choice that takes a person's role in the unit away.
NO_ROLE = "none"
MSG_NO_USER = _("There is no user with this login name.")
MSG_NOT_DESIGNABLE = _(
    "Only the head or an officer of the unit can be its child-protection officer: choose one of these roles, "
    "or untick this box."
)


class CheckboxField(InputField):
    """A checkbox: ticked (any value sent under its name) is True, left unticked is False."""

    empty = False

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, default=False, **kwargs)

    def parse(self, text: str):
        return True


class SharingForm(Form):
    login = TextField(_("User"), required=MSG_NO_USER, lower=True)
    role = ChoiceField(
        _("Role"),
        choices=[*((r, ROLE_LABELS[r]) for r in LOCAL_ROLES), (NO_ROLE, _("No role (remove from the unit)"))],
        message=_("Choose a role."),
    )
    #: The unit's child-protection officer (Membership.protects_children) opens its child register.
    protects_children = CheckboxField(_("Child-protection officer of the unit (opens the child register)"))

    def __init__(self, formdata=None, *, dbsession=None, **kwargs):
        self.dbsession = dbsession
        #: The person named by the login, once the form is checked.
        self.user = None
        super().__init__(formdata, **kwargs)

    def validate_login(self, field):
        self.user = accounts.user_by_login(self.dbsession, field.data)
        if self.user is None:
            raise ValidationError(MSG_NO_USER)

    def validate_protects_children(self, field):
        if field.data and (self.role.data == NO_ROLE or self.role.data in UNDESIGNABLE_ROLES):
            raise ValidationError(MSG_NOT_DESIGNABLE)

    def new_role(self) -> str | None:
        """The role to give, or None to take the person out of the unit."""
        return None if self.role.data == NO_ROLE else self.role.data
