"""Uploaded files: checked by their content, stored once by SHA-256 in the database."""

from __future__ import annotations

import hashlib
import io
import zipfile

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from intranet.documents.models import Blob

#: kind -> (content type, extension)
KINDS = {
    "pdf": ("application/pdf", "pdf"),
    "jpeg": ("image/jpeg", "jpg"),
    "png": ("image/png", "png"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}

#: A DOCX or XLSX past these bounds is refused before anything inflates it: its entries'
#: declared sizes bound what ``zipfile`` will ever inflate, so checking them is enough.
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024
MAX_ZIP_ENTRIES = 5000
#: Deflate cannot pass about 1,030:1; real Office parts stay well under 100:1. Checked on
#: entries past a megabyte: a small one cannot hurt, whatever its ratio.
MAX_ZIP_RATIO = 500
RATIO_FROM_BYTES = 1024 * 1024
#: Name endings kept as they are for a kind; any other ending becomes the kind's own extension.
EXTENSIONS = {"jpeg": ("jpg", "jpeg"), "pdf": ("pdf",), "png": ("png",), "docx": ("docx",), "xlsx": ("xlsx",)}


class UploadError(ValueError):
    """``code`` is "too_big", "bad_type", "empty" or "zip_bomb" (a DOCX/XLSX that would inflate
    past :data:`MAX_UNZIPPED_BYTES`)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def zip_too_big(zf: zipfile.ZipFile) -> bool:
    """Whether the archive declares too many entries, too many bytes, or an absurd ratio."""
    entries = zf.infolist()
    if len(entries) > MAX_ZIP_ENTRIES:
        return True
    if sum(info.file_size for info in entries) > MAX_UNZIPPED_BYTES:
        return True
    return any(
        info.file_size > RATIO_FROM_BYTES and info.file_size > MAX_ZIP_RATIO * info.compress_size for info in entries
    )


def sniff(data: bytes) -> str | None:
    """The kind of file ``data`` really is (by its bytes, not its name), or None.

    Raises UploadError("zip_bomb") for an Office file that would inflate past the bounds."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                bomb = zip_too_big(zf)
                names = set(zf.namelist())
        except (zipfile.BadZipFile, ValueError, OSError):
            return None
        if bomb:
            raise UploadError("zip_bomb")
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
    return stored_name(field.filename or "", kind), data, kind


def stored_name(filename: str, kind: str) -> str:
    """The name a file is kept under: its own stem, the extension of what it really is, so that a
    JPEG sent as "trang.html" is served and saved as "trang.jpg", never as a page."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1].strip()
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    if ext.lower() in EXTENSIONS[kind]:
        return name if len(name) <= 200 else f"{stem[:195]}.{ext}"
    stem = stem.strip().rstrip(".") or "minh-chung"
    return f"{stem[:195]}.{KINDS[kind][1]}"


def store(dbsession, data: bytes, kind: str) -> Blob:
    """Store ``data`` once; a second upload of the same bytes reuses the row.

    Also when both are sent at the same moment: INSERT ... ON CONFLICT DO NOTHING waits for the
    other transaction's row (PostgreSQL) and then inserts nothing, where a plain INSERT failed on
    the key and the upload with it."""
    digest = hashlib.sha256(data).hexdigest()
    blob = dbsession.get(Blob, digest)
    if blob is None:
        dialect = {"postgresql": postgresql, "sqlite": sqlite}[dbsession.get_bind().dialect.name]
        dbsession.execute(
            dialect.insert(Blob)
            .values(sha256=digest, size=len(data), content_type=KINDS[kind][0], data=data)
            .on_conflict_do_nothing(index_elements=[Blob.sha256])
        )
        blob = dbsession.get(Blob, digest)
    return blob


def blob_data(dbsession, sha256: str) -> bytes | None:
    return dbsession.scalar(select(Blob.data).where(Blob.sha256 == sha256))
