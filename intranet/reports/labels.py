"""What the pages call a report's timeliness."""

from __future__ import annotations

from intranet.i18n import _

TIMELINESS_LABELS = {"on_time": _("On time"), "late": _("Late"), "missing": _("Missing")}
