"""The model side of the plugin contract: the declarative base and the core rows a plugin may use.

A plugin's tables use ``Base`` (so one metadata and one naming convention hold for every table,
and the plugin's own Alembic branch can name its constraints) and are prefixed with the plugin's
key::

    from intranet.plugin.models import Base, TimestampMixin

    class Note(TimestampMixin, Base):
        __tablename__ = "mykey_notes"
        space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id"))
        space = relationship("Space", lazy="raise_on_sql")

``Space`` (a party's area: an agency or a commune) and ``User`` are exported for reading and
joining only: a plugin never writes the core's rows, it references them by foreign key.
"""

from __future__ import annotations

from intranet.accounts.models import User
from intranet.models.meta import Base, TimestampMixin, utcnow
from intranet.spaces.models import Space

__all__ = ["Base", "TimestampMixin", "utcnow", "Space", "User", "COMMUNE"]

#: ``Space.category`` of the communes and the township (UBND xã, thị trấn).
COMMUNE = "commune"
