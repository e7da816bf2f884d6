"""A unit's accepted reports of a year, with their figures: the one answer to "which report's
figures count for this commune this year", shared by the commune plan's actuals (baselines of the
next year's plan) and the assessment's pre-filled figures."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import and_, select

from intranet.reports.models import Period, Submission, SubmissionValue


@dataclass
class AcceptedReport:
    submission_id: int
    form_key: str
    accepted_at: dt.datetime | None
    period_code: str
    period_title: str
    period_title_en: str
    period_kind: str
    #: (element code, option) -> value, for the element codes asked for
    cells: dict[tuple[str, str], Decimal] = field(default_factory=dict)

    def total(self, code: str) -> Decimal | None:
        """The figure ``code`` (every option added up), or None when the report does not give it."""
        found = [v for (c, _o), v in self.cells.items() if c == code]
        return sum(found, Decimal(0)) if found else None

    def cell(self, ref: str) -> Decimal | None:
        """The figure of ``ref``: ``code`` (all options) or ``code[option]`` (one option)."""
        code, _sep, option = ref.partition("[")
        option = option.rstrip("]")
        if not option:
            return self.total(code)
        return self.cells.get((code, option))


def accepted_reports_of_year(dbsession, space_id: int, year: int, codes) -> list[AcceptedReport]:
    """The unit's accepted reports of ``year``, the one whose figures count first: the year report,
    then the half-years from the latest. Each carries its numeric figures of ``codes``. One query."""
    codes = sorted(set(codes))
    rows = dbsession.execute(
        select(
            Submission.id,
            Submission.form_key,
            Submission.accepted_at,
            Period.code,
            Period.title,
            Period.title_en,
            Period.kind,
            SubmissionValue.element_code,
            SubmissionValue.option,
            SubmissionValue.value_num,
        )
        .join(Period, Period.id == Submission.period_id)
        .outerjoin(
            SubmissionValue,
            and_(
                SubmissionValue.submission_id == Submission.id,
                SubmissionValue.element_code.in_(codes),
                SubmissionValue.value_num.is_not(None),
            ),
        )
        .where(Submission.space_id == space_id, Submission.state == "accepted", Period.year == year)
        .order_by((Period.kind == "year").desc(), Period.end_date.desc(), Submission.id.desc())
    ).all()
    reports: dict[int, AcceptedReport] = {}
    for sub_id, form_key, accepted_at, code, title, title_en, kind, element, option, value in rows:
        report = reports.get(sub_id)
        if report is None:
            report = reports[sub_id] = AcceptedReport(sub_id, form_key, accepted_at, code, title, title_en, kind)
        if element is not None:
            report.cells[(element, option)] = Decimal(value)
    return list(reports.values())
