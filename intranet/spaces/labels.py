"""What the pages call local roles and kinds of unit."""

from __future__ import annotations

from intranet.i18n import _

ROLE_LABELS = {"head": _("Head"), "officer": _("Officer"), "viewer": _("Viewer")}

CATEGORY_LABELS = {"agency": _("District agency"), "commune": _("Commune committee")}
