"""The district's forms: the filters of the duty table, sent in the query string."""

from __future__ import annotations

from intranet.duties.services import PROGRESS_LABELS
from intranet.forms import ChoiceField, Form, TextField
from intranet.i18n import _
from intranet.spaces.labels import CATEGORY_LABELS


class DutyFilterForm(Form):
    """A kind of unit, a unit (its slug) and a progress, each optional. A value that is none of the
    choices is left out of the table's filter, and its field says why (as the audit trail's
    filters do), instead of being dropped without a word."""

    category = ChoiceField(_("Kind of unit"), choices={"": _("All"), **CATEGORY_LABELS})
    space = TextField(_("Unit"))
    status = ChoiceField(_("Progress"), choices={"": _("All"), **PROGRESS_LABELS})

    def chosen(self, field) -> str | None:
        """The value of ``field`` to filter on: None when it is empty or was refused."""
        return field.data or None if not field.errors else None
