"""Suggestions to pre-fill a report: last period's figures, this period's duty logs and, for a
commune, what its child register counts."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select

from intranet.cases.figures import register_suggestions
from intranet.duties.models import DutyLog, DutyLogValue
from intranet.host import get_registry
from intranet.plugin.forms import (
    ReportForm,
)
from intranet.reports.models import (
    Period,
    Submission,
    SubmissionValue,
)
from intranet.workflow import TransitionCode, TransitionError  # noqa: F401 (the callers' names)


class Suggestions(dict):
    """(element code, option) -> a suggested value; ``period`` is the period it comes from.

    ``from_logs`` holds, apart, what the unit's duty logs of the period add up to: (element
    code, option) -> the sum of the measures that name that figure (``Measure.element``), and
    ``log_counts`` the number of log entries each sum is made of. The page tells the two
    sources apart; the logs are of this period, the dict itself of the previous one.
    """

    def __init__(
        self, values=(), period: Period | None = None, *, from_logs=None, log_counts=None, from_register=None, how=None
    ):
        super().__init__(values)
        self.period = period
        self.from_logs: dict[tuple[str, str], Decimal] = dict(from_logs or {})
        self.log_counts: dict[tuple[str, str], int] = dict(log_counts or {})
        #: A commune's figures counted from its child register in the period: (element code,
        #: option) -> count; ``how``: element code -> the indicator that counts it (its ``how``).
        self.from_register: dict[tuple[str, str], Decimal] = dict(from_register or {})
        self.how: dict = dict(how or {})


def previous_period(dbsession, period: Period) -> Period | None:
    """The period of the same kind that ended last before ``period`` began, or None."""
    return dbsession.scalars(
        select(Period)
        .where(Period.kind == period.kind, Period.end_date < period.start_date)
        .order_by(Period.end_date.desc())
        .limit(1)
    ).first()


def log_sums(dbsession, registry, form: ReportForm, space, period: Period):
    """What the space's duty logs dated within ``period`` add up to, for each cell of ``form``
    that a measure of the space kind's duties names: ({(code, option): sum}, {(code, option):
    number of log entries}). One GROUP BY statement, none when no measure names a figure of
    the form."""
    targets = {
        pair: cell
        for pair, cell in get_registry(registry).measure_cells(space.kind).items()
        if (element := form.element(cell[0])) is not None and cell[1] in element.cells()
    }
    if not targets:
        return {}, {}
    rows = dbsession.execute(
        select(DutyLog.duty_key, DutyLogValue.measure_key, func.sum(DutyLogValue.value), func.count(DutyLogValue.id))
        .join(DutyLogValue, DutyLogValue.log_id == DutyLog.id)
        .where(
            DutyLog.space_id == space.id,
            DutyLog.log_date >= period.start_date,
            DutyLog.log_date <= period.end_date,
            DutyLog.duty_key.in_(sorted({duty for duty, _m in targets})),
            DutyLogValue.measure_key.in_(sorted({measure for _d, measure in targets})),
        )
        .group_by(DutyLog.duty_key, DutyLogValue.measure_key)
    ).all()
    sums: dict[tuple[str, str], Decimal] = {}
    counts: dict[tuple[str, str], int] = {}
    for duty_key, measure_key, total, count in rows:
        cell = targets.get((duty_key, measure_key))
        if cell is None or total is None:
            continue  # a measure of the same name in another duty, which names no figure
        sums[cell] = sums.get(cell, Decimal(0)) + Decimal(total)
        counts[cell] = counts.get(cell, 0) + count
    return sums, counts


def register_figures(dbsession, form: ReportForm, space, period: Period) -> tuple[dict, dict]:
    """For a commune, the figures of ``form`` its child register counts in ``period``
    (:func:`intranet.cases.figures.register_suggestions`): ({(code, option): count}, {code: the
    indicator that counts it}). Nothing for another unit, or a register not kept by then. At
    most one statement."""
    from_register: dict[tuple[str, str], Decimal] = {}
    how: dict = {}
    if space.category != "commune":
        return from_register, how
    counted, derived = register_suggestions(dbsession, space.id, period.start_date, period.end_date)
    for (code, option), n in counted.items():
        element = form.element(code)
        if element is not None and option in element.cells():
            from_register[(code, option)] = Decimal(n)
            how[code] = derived[code]
    return from_register, how


def register_differences(values, from_register) -> set[str]:
    """The elements of which a figure given (``values``: (code, option) -> value) is not the one
    the child register counts: the commune says why in a comment. A cell left empty gives no
    figure, and differs from nothing."""
    return {
        code
        for (code, option), counted in from_register.items()
        if (given := values.get((code, option))) is not None and Decimal(given) != counted
    }


def suggestions(dbsession, registry, form: ReportForm, space, period: Period) -> Suggestions:
    """Values to offer when a unit fills ``form`` for ``period``.

    The dict itself: what the unit gave on the same form for the previous period of the same
    kind (the half-year before a half-year, the year before a year), from its report in
    whatever state it is — a draft, submitted, returned or accepted. Only the cells the form
    still carries, with a value of the cell's type.

    ``from_logs``: for each figure of the form that a measure of the unit's duties names
    (``Measure.element``), the sum of that measure over the unit's duty logs dated within
    ``period`` (see :func:`log_sums`); ``log_counts``: how many log entries each sum adds.

    ``from_register``, for a commune: the figures its child register counts in ``period``
    (:func:`intranet.cases.figures.register_suggestions`), with ``how`` each is counted.

    At most four statements, whatever the size of the form.
    """
    from_logs, log_counts = log_sums(dbsession, registry, form, space, period)
    from_register, how = register_figures(dbsession, form, space, period)
    extra = {"from_logs": from_logs, "log_counts": log_counts, "from_register": from_register, "how": how}
    before = previous_period(dbsession, period)
    if before is None:
        return Suggestions(**extra)
    rows = dbsession.execute(
        select(
            SubmissionValue.element_code, SubmissionValue.option, SubmissionValue.value_num, SubmissionValue.value_text
        )
        .join(Submission, Submission.id == SubmissionValue.submission_id)
        .where(Submission.form_key == form.key, Submission.space_id == space.id, Submission.period_id == before.id)
    ).all()
    values = {}
    for code, option, number, text in rows:
        element = form.element(code)
        if element is None or option not in element.cells():
            continue
        value = text if element.value_type == "text" else number
        if value is not None:
            values[(code, option)] = value if element.value_type == "text" else Decimal(value)
    return Suggestions(values, before, **extra)
