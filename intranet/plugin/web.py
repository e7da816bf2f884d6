"""The request side of the plugin contract: what a plugin's views need from the core.

Resources (so that a plugin's pages get the root's global rules and a space's local roles through
``__parent__``), the audit trail, flash messages, pagination, dates in the Vietnamese format and
the reporting periods. A plugin imports these from here, never from the core's own modules.

The forms a plugin's pages take are written on the core's one form layer (``intranet.forms``,
re-exported here): a ``Form`` subclass with fields declared on the class, ``validate_<field>``
methods for checks that need another field or what the view knows, and ``form.validate()`` in the
view. Its fields read numbers with the core's parser (1.210, 12,5) and dates dd/mm/yyyy, keep the
text as typed so that a refused form is drawn again with it, and its messages are translation
strings (a plugin's own, of its own domain, are translated from its own catalogue). Its templates
draw the fields with the core's macros (``{% import "macros/forms.jinja2" as f with context %}``,
after ``{% set gettext = plugin_gettext("intranet_mykey") %}``)::

    from intranet.plugin.web import DateField, Form, IntegerField, ValidationError

    class VisitForm(Form):
        visit_date = DateField(_("Date (dd/mm/yyyy)"), required=_("Enter the date (dd/mm/yyyy)."))
        people = IntegerField(_("People"), maximum=100_000)

        def validate_visit_date(self, field):
            if field.data > local_today():
                raise ValidationError(_("The date cannot be in the future."))
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from intranet.audit.services import record as _record
from intranet.forms import (
    ChoiceField,
    DateField,
    DecimalField,
    Form,
    InputField,
    IntegerField,
    MaxLines,
    MoneyField,
    PasswordField,
    PercentageField,
    PlainNumberField,
    StopValidation,
    TextField,
    ValidationError,
)
from intranet.i18n import format_date as _format_date
from intranet.i18n import local_today as _local_today
from intranet.i18n import parse_date as _parse_date
from intranet.i18n import read_date as _read_date
from intranet.reports.models import Period as _Period
from intranet.resources import Root as _Root
from intranet.resources import SpaceResource as _SpaceResource
from intranet.resources import spaces_factory as _spaces_factory
from intranet.web import Page
from intranet.web import flash as _flash
from intranet.web import page_number as _page_number

__all__ = [
    "Page",
    "flash",
    "page_number",
    "page_size",
    "record",
    "root_resource",
    "space_resource",
    "local_today",
    "parse_date",
    "read_date",
    "format_date",
    "reporting_periods",
    "period_by_code",
    # the form layer (intranet.forms)
    "Form",
    "InputField",
    "TextField",
    "PasswordField",
    "IntegerField",
    "MoneyField",
    "DecimalField",
    "PercentageField",
    "PlainNumberField",
    "DateField",
    "ChoiceField",
    "MaxLines",
    "ValidationError",
    "StopValidation",
]


def flash(request, message, queue: str = "info", **mapping) -> None:
    """Show ``message`` (a translation string) on the next page; ``queue`` is "info" or "error"."""
    _flash(request, message, queue, **mapping)


def page_number(request) -> int:
    """The page asked for in the query string (``?page=``), 1 when missing or invalid."""
    return _page_number(request)


def page_size(request) -> int:
    """The site's page size (setting ``intranet.page_size``) for paged lists."""
    return int(request.registry.settings.get("intranet.page_size", 20))


def record(request, action: str, obj_type: str, obj_id=None, *, space_id=None, detail=None):
    """Add one line to the audit trail in the current transaction.

    ``action`` is dotted and names the plugin first (``"ldtbxh.unit.create"``); ``detail`` holds
    field changes and never a child's personal data. Every write a plugin makes is recorded.
    """
    return _record(request, action, obj_type, obj_id, space_id=space_id, detail=detail)


def root_resource(request):
    """The root of the resource tree: its ACL holds the global roles' permissions."""
    return _Root(request)


def space_resource(request, space):
    """The resource of ``space`` with its full lineage (root -> spaces -> space).

    Use it as the ``__parent__`` of a plugin's own resource so that the space's local roles
    (head, officer, viewer: intranet/security/roles.py) apply to it as well as the global roles.
    """
    return _SpaceResource(space, _spaces_factory(request))


def local_today() -> dt.date:
    """Today in Đăk Tô (Asia/Ho_Chi_Minh), whatever the server's own time zone."""
    return _local_today()


def parse_date(text: str) -> dt.date | None:
    """Read a date typed dd/mm/yyyy (also d/m/yyyy and ISO); None when it is not a date."""
    return _parse_date(text)


def read_date(text: str) -> tuple[dt.date | None, object]:
    """``(date, None)`` for a date typed dd/mm/yyyy; ``(None, message)`` when it is not one, the
    message telling a badly written date from one that does not exist (31/02/2017); ``(None, None)``
    when nothing was typed. Show the message beside the field as it is."""
    return _read_date(text)


def format_date(value) -> str:
    """A date as dd/mm/yyyy (a datetime in local time with hours and minutes); "" for None."""
    return _format_date(value)


def reporting_periods(dbsession) -> list:
    """The reporting periods (kỳ báo cáo), earliest first: rows with ``code``, ``title``,
    ``title_en``, ``kind`` ("half_year"/"year"), ``start_date`` and ``end_date``."""
    return list(dbsession.scalars(select(_Period).order_by(_Period.start_date, _Period.end_date)))


def period_by_code(dbsession, code: str):
    """The reporting period with this URL code ("2017-6t", "2017"), or None."""
    return dbsession.scalars(select(_Period).where(_Period.code == code)).one_or_none()
