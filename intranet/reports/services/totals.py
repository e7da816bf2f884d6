"""The district's sums: one GROUP BY over the narrow submission_values table per question."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select

from intranet.reports.models import (
    Submission,
    SubmissionValue,
)
from intranet.spaces.models import Space
from intranet.workflow import TransitionCode, TransitionError  # noqa: F401 (the callers' names)


def _values_of(period_id: int, states):
    return (
        select(SubmissionValue.element_code, SubmissionValue.option)
        .join(Submission, Submission.id == SubmissionValue.submission_id)
        .join(Space, Space.id == Submission.space_id)
        .where(Submission.period_id == period_id, Submission.state.in_(states), SubmissionValue.value_num.is_not(None))
    )


def category_totals(dbsession, period_id: int, states=("accepted",)):
    """(element, option, category, sum): the district's totals, communes and agencies apart."""
    return dbsession.execute(
        _values_of(period_id, states)
        .add_columns(Space.category, func.sum(SubmissionValue.value_num))
        .group_by(SubmissionValue.element_code, SubmissionValue.option, Space.category)
    ).all()


def space_totals(dbsession, period_id: int, states=("accepted",)):
    """(element, option, space id, sum): the breakdown by unit."""
    return dbsession.execute(
        _values_of(period_id, states)
        .add_columns(Submission.space_id, func.sum(SubmissionValue.value_num))
        .group_by(SubmissionValue.element_code, SubmissionValue.option, Submission.space_id)
    ).all()


def consolidated_values(dbsession, period_id: int, states=("accepted",)):
    """Sums by (element, option, space) and by (element, option, category), in two GROUP BYs."""
    return space_totals(dbsession, period_id, states), category_totals(dbsession, period_id, states)


def element_totals(dbsession, period_id: int) -> dict[tuple[str, str], Decimal]:
    """Each element's total per space kind over the accepted reports of the period (one GROUP BY)."""
    rows = dbsession.execute(
        select(SubmissionValue.element_code, Space.kind, func.sum(SubmissionValue.value_num))
        .join(Submission, Submission.id == SubmissionValue.submission_id)
        .join(Space, Space.id == Submission.space_id)
        .where(
            Submission.period_id == period_id, Submission.state == "accepted", SubmissionValue.value_num.is_not(None)
        )
        .group_by(SubmissionValue.element_code, Space.kind)
    ).all()
    return {(code, kind): Decimal(total) for code, kind, total in rows}


def _total(totals, code: str, kinds: tuple[str, ...]) -> Decimal | None:
    values = [v for (c, k), v in totals.items() if c == code and (not kinds or k in kinds)]
    return sum(values, Decimal(0)) if values else None


def state_counts(dbsession, period_id: int) -> dict[str, int]:
    rows = dbsession.execute(
        select(Submission.state, func.count()).where(Submission.period_id == period_id).group_by(Submission.state)
    ).all()
    return dict(rows)


def all_spaces(dbsession) -> list:
    return list(dbsession.scalars(select(Space).order_by(Space.category, Space.sort_order, Space.title)))
