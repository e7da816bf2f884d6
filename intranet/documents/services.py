"""Uploaded files: checked by their content, stored once by SHA-256 in the database."""
from __future__ import annotations

import hashlib
import io
import zipfile

from sqlalchemy import select

from intranet.documents.models import Blob

#: kind -> (content type, extension)
KINDS = {
    "pdf": ("application/pdf", "pdf"),
    "jpeg": ("image/jpeg", "jpg"),
    "png": ("image/png", "png"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}


class UploadError(ValueError):
    """``code`` is "too_big", "bad_type" or "empty"."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def sniff(data: bytes) -> str | None:
    """The kind of file ``data`` really is (by its bytes, not its name), or None."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                names = set(zf.namelist())
        except (zipfile.BadZipFile, ValueError, OSError):
            return None
        if "[Content_Types].xml" not in names:
            return None
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
    return None


def read_upload(field, max_bytes: int) -> tuple[str, bytes, str]:
    """Read an uploaded form field: (filename, data, kind). Raises UploadError."""
    stream = field.file
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise UploadError("too_big")
    if not data:
        raise UploadError("empty")
    kind = sniff(data)
    if kind is None:
        raise UploadError("bad_type")
    filename = (field.filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip()[:200]
    ext = KINDS[kind][1]
    if not filename:
        filename = f"minh-chung.{ext}"
    return filename, data, kind


def store(dbsession, data: bytes, kind: str) -> Blob:
    """Store ``data`` once; a second upload of the same bytes reuses the row."""
    digest = hashlib.sha256(data).hexdigest()
    blob = dbsession.get(Blob, digest)
    if blob is None:
        blob = Blob(sha256=digest, size=len(data), content_type=KINDS[kind][0], data=data)
        dbsession.add(blob)
    return blob


def blob_data(dbsession, sha256: str) -> bytes | None:
    return dbsession.scalar(select(Blob.data).where(Blob.sha256 == sha256))
