from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from intranet.models.meta import Base, TimestampMixin


class Plan(TimestampMixin, Base):
    """The programme plan of one year (Kế hoạch thực hiện Chương trình bảo vệ trẻ em)."""

    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, unique=True)
    title: Mapped[str] = mapped_column(String(300))
    issuer: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    #: Reporting deadlines of the year: half-year and year reports (05/6 and 15/12 in 2017).
    half_year_due: Mapped[dt.date] = mapped_column(Date)
    year_due: Mapped[dt.date] = mapped_column(Date)
