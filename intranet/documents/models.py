from __future__ import annotations

from sqlalchemy import BigInteger, LargeBinary, String
from sqlalchemy.orm import Mapped, deferred, mapped_column

from intranet.models.meta import Base, TimestampMixin


class Blob(TimestampMixin, Base):
    """File content stored once by its SHA-256, in the database so one backup holds everything."""

    __tablename__ = "blobs"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    content_type: Mapped[str] = mapped_column(String(120))
    data: Mapped[bytes] = deferred(mapped_column(LargeBinary))
