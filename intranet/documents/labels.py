"""What a person is told when an uploaded file is refused (documents.services.UploadError codes)."""

from __future__ import annotations

from intranet.i18n import _

UPLOAD_MESSAGES = {
    "too_big": _("The file “${name}” is larger than 10 MB. Please send a smaller file."),
    "bad_type": _(
        "The file “${name}” is not a PDF, JPEG, PNG, Word (DOCX) or Excel (XLSX) file. Only these kinds are accepted."
    ),
    "empty": _("The file “${name}” is empty."),
    "zip_bomb": _(
        "The file “${name}” would take more than 100 MB, or hold too many parts, once unpacked. It cannot be accepted."
    ),
}
