"""Lists of reports: the API's paged listing."""

from __future__ import annotations

from sqlalchemy import func, select

from intranet.reports.models import Period, Submission
from intranet.spaces.models import Space


def reports_page(dbsession, *, within=None, period_id=None, space_id=None, state=None, page: int, size: int):
    """(submission, space slug, period code) rows of one page, the latest period first, then the
    district's order; and the total. ``within``: a selectable of the space ids the caller may list."""
    q = (
        select(Submission, Space.slug, Period.code)
        .join(Space, Space.id == Submission.space_id)
        .join(Period, Period.id == Submission.period_id)
    )
    if within is not None:
        q = q.where(Submission.space_id.in_(within))
    if period_id is not None:
        q = q.where(Submission.period_id == period_id)
    if space_id is not None:
        q = q.where(Submission.space_id == space_id)
    if state is not None:
        q = q.where(Submission.state == state)
    total = dbsession.scalar(select(func.count()).select_from(q.order_by(None).subquery()))
    rows = dbsession.execute(
        q.order_by(
            Period.due_date.desc(), Space.category, Space.sort_order, Space.title, Submission.form_key, Submission.id
        )
        .limit(size)
        .offset((page - 1) * size)
    ).all()
    return rows, total
