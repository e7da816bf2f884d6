"""The child register's forms: an entry, a group, a support, the search.

The forms read and check what was typed; :mod:`intranet.cases.services` checks the rules of the
register again (a child is under 16, a group is of the list in force, ...) and its refusals are put
beside their fields by the views. Nothing typed here ever reaches a log or the audit trail.
"""

from __future__ import annotations

from intranet.cases.ethnicities import ethnicities
from intranet.cases.services import MAX_LENGTHS, MAX_SUPPORT_LENGTH, MSG_NAME, MSG_SEX, MSG_SUPPORT
from intranet.forms import ChoiceField, DateField, Form, PlainNumberField, TextField
from intranet.i18n import _

SEX_LABELS = {"male": _("Male"), "female": _("Female")}
MSG_BIRTH_DATE_REQUIRED = _("Enter the date of birth (dd/mm/yyyy).")
MSG_FROM_REQUIRED = _("Enter the date from which the child is in the group (dd/mm/yyyy).")
MSG_GIVEN_ON_REQUIRED = _("Enter the date of the support (dd/mm/yyyy).")


def _ethnicity_choices():
    return [("", _("— not known —")), *((code, f"{code} {name}") for code, name in ethnicities().items())]


class ChildForm(Form):
    full_name = TextField(_("Full name"), required=MSG_NAME, max_length=MAX_LENGTHS["full_name"])
    date_of_birth = DateField(_("Date of birth"), required=MSG_BIRTH_DATE_REQUIRED)
    sex = ChoiceField(_("Sex"), choices=SEX_LABELS, required=MSG_SEX, message=MSG_SEX)
    ethnicity = ChoiceField(_("Ethnic group"), choices=_ethnicity_choices)
    village = TextField(_("Village (thôn, làng)"), max_length=MAX_LENGTHS["village"])
    carers = TextField(
        _("Carers (parents, grandparents, guardian) and how they are related"), max_length=MAX_LENGTHS["carers"]
    )
    contact = TextField(_("How to reach the carers (telephone, address)"), max_length=MAX_LENGTHS["contact"])
    notes = TextField(_("Notes"), max_length=MAX_LENGTHS["notes"])
    #: The version the form was opened at (a correction only).
    version = PlainNumberField(minimum=1, maximum=2**31 - 1)


class GroupForm(Form):
    group_code = ChoiceField(_("Group"), message=_("Choose a group from the list."))
    from_date = DateField(_("From"), required=MSG_FROM_REQUIRED)
    until_date = DateField(_("Until (leave empty while the child is still in the group)"))

    def __init__(self, formdata=None, *, groups=(), **kwargs):
        super().__init__(formdata, **kwargs)
        self.group_code.choices = [(g.code, g.title) for g in groups]


class SupportForm(Form):
    description = TextField(_("What support"), required=MSG_SUPPORT, max_length=MAX_SUPPORT_LENGTH)
    given_on = DateField(_("Date"), required=MSG_GIVEN_ON_REQUIRED)
    provider = ChoiceField(_("Given by"), message=_("Choose a unit from the list."))

    def __init__(self, formdata=None, *, units=(), **kwargs):
        super().__init__(formdata, **kwargs)
        self.provider.choices = [("", _("Someone outside the district's units (say who above)")), *units]


class SearchForm(Form):
    name = TextField(_("Full name"), required=MSG_NAME, max_length=MAX_LENGTHS["full_name"])
    born = DateField(_("Date of birth"), required=MSG_BIRTH_DATE_REQUIRED)
