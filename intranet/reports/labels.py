"""What the pages call a report's timeliness."""

from __future__ import annotations

from intranet.i18n import _

TIMELINESS_LABELS = {"on_time": _("On time"), "late": _("Late"), "missing": _("Missing")}
STATE_LABELS = {
    "draft": _("Draft"),
    "submitted": _("Submitted"),
    "returned": _("Returned"),
    "accepted": _("Accepted"),
    "missing": _("Missing"),
}
ACTION_LABELS = {
    "save": _("Saved"),
    "submit": _("Submitted"),
    "return": _("Returned"),
    "accept": _("Accepted"),
    "reopen": _("Reopened"),
}
