"""The plan's indicators: actual, threshold, coverage and the verdict."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from intranet.host import get_registry
from intranet.i18n import _
from intranet.plugin.forms import (
    Indicator,
)
from intranet.reports.models import (
    IndicatorTarget,
    Period,
    Submission,
    SubmissionNarrative,
)
from intranet.reports.services.entries import OPS
from intranet.reports.services.forms import forms_for
from intranet.reports.services.totals import _total, all_spaces, element_totals
from intranet.workflow import TransitionCode, TransitionError  # noqa: F401 (the callers' names)

#: What the indicator page says of an indicator (:attr:`IndicatorResult.verdict`).
VERDICT_LABELS = {
    "met": _("Met"),
    "not_met": _("Not met"),
    "incomplete": _("Not enough data"),
    "mid_year": _("Mid-year reading"),
    "no_target": _("No target set"),
    "no_data": _("No data yet"),
}


@dataclass(frozen=True)
class Coverage:
    """How many of the units that must report an indicator's figures have an accepted report.

    ``reported`` of ``expected`` units ("7/9"); ``communes`` when every one of them is a commune
    ("7/9 xã"); ``missing`` the units still without an accepted report, in the district's order.
    """

    reported: int
    expected: int
    communes: bool = False
    missing: tuple = ()

    @property
    def complete(self) -> bool:
        return self.expected > 0 and self.reported >= self.expected


@dataclass
class IndicatorResult:
    indicator: Indicator
    target: IndicatorTarget | None
    actual: Decimal | None
    threshold: Decimal | None
    comparison: str | None
    #: None for an indicator that is not a sum of report figures (counted from a registry).
    coverage: Coverage | None = None
    #: Whether the period is the year: the plan's targets are annual, judged on the year report.
    final: bool = True

    @property
    def compared(self) -> bool | None:
        """The actual against the target, whatever the coverage and the period: a reading only."""
        if self.actual is None or self.threshold is None:
            return None
        return OPS[self.comparison](self.actual, self.threshold)

    @property
    def verdict(self) -> str:
        """ "met" or "not_met" only on the year, with every unit's accepted report; otherwise
        "incomplete" (units still without one), "mid_year" (a half-year reading of an annual
        target), "no_target" or "no_data"."""
        if self.actual is None:
            return "no_data"
        if self.coverage is not None and not self.coverage.complete:
            return "incomplete"
        if self.threshold is None:
            return "no_target"
        if not self.final:
            return "mid_year"
        return "met" if self.compared else "not_met"

    @property
    def met(self) -> bool | None:
        """True or False when the target can be judged (:attr:`verdict`); None otherwise."""
        verdict = self.verdict
        return {"met": True, "not_met": False}.get(verdict)

    @property
    def achievement(self) -> Decimal | None:
        """Actual as a share of the target, in % (for "higher is better"); None otherwise."""
        if self.actual is None or not self.threshold or self.comparison != ">=":
            return None
        return (self.actual / self.threshold * 100).quantize(Decimal("0.1"))


def threshold(target: IndicatorTarget, better: str) -> tuple[Decimal, str]:
    """The value the actual is compared with, and how: e.g. injuries −10 % of 124 → (111, "<=").

    A relative target on a count is rounded towards the stricter whole number: to meet −10 %
    on 124 injuries there must be at most 111 (111.6 would allow a fraction of a child).
    """
    value = Decimal(target.target_value)
    if target.target_mode == "at_least":
        return value, ">="
    if target.target_mode == "at_most":
        return value, "<="
    limit = Decimal(target.baseline) * (1 + value / 100)
    if better == "lower":
        return Decimal(math.floor(limit)), "<="
    return Decimal(math.ceil(limit)), ">="


def indicator_coverage(registry, indicator: Indicator, period: Period, spaces, accepted) -> Coverage | None:
    """Units with an accepted report / units that must report the indicator's figures.

    A unit must report them when one of the forms its kind files for the period carries one of
    the indicator's elements (and its kind is one the indicator counts); it is covered when every
    such form is accepted. ``accepted`` holds the (space id, form key) of the accepted reports.
    None for an indicator computed otherwise than from report figures.
    """
    codes = set(indicator.numerator) | set(indicator.denominator)
    if indicator.compute is not None or not codes:
        return None
    owing, missing = [], []
    for space in spaces:
        if indicator.space_kinds and space.kind not in indicator.space_kinds:
            continue
        keys = [
            f.key
            for f in forms_for(registry, space.kind)
            if period.kind in f.period_types and codes & {e.code for e in f.elements()}
        ]
        if not keys:
            continue
        owing.append(space)
        if not all((space.id, key) in accepted for key in keys):
            missing.append(space)
    return Coverage(
        reported=len(owing) - len(missing),
        expected=len(owing),
        communes=bool(owing) and all(s.category == "commune" for s in owing),
        missing=tuple(missing),
    )


def accepted_reports(dbsession, period_id: int) -> set[tuple[int, str]]:
    """(space id, form key) of the period's accepted reports (one query)."""
    return set(
        dbsession.execute(
            select(Submission.space_id, Submission.form_key).where(
                Submission.period_id == period_id, Submission.state == "accepted"
            )
        ).all()
    )


def compute_indicators(dbsession, registry, plan_id: int, period_id: int, *, spaces=None) -> list[IndicatorResult]:
    """Each indicator of the plan for the period: actual, target, coverage and verdict.

    The actual is computed from the accepted reports; the target is judged (met / not met) only
    on the year period and once every unit that must report has an accepted report. ``spaces``
    (every unit) saves a query when the caller has them already.
    """
    reg = get_registry(registry)
    totals = element_totals(dbsession, period_id)
    period = dbsession.get(Period, period_id)
    targets = {
        t.indicator_key: t for t in dbsession.scalars(select(IndicatorTarget).where(IndicatorTarget.plan_id == plan_id))
    }
    spaces = all_spaces(dbsession) if spaces is None else spaces
    accepted = accepted_reports(dbsession, period_id)
    order = {key: t.sort_order for key, t in targets.items()}
    results = []
    for indicator in sorted(reg.indicators.values(), key=lambda i: (order.get(i.key, 999), i.key)):
        kinds = indicator.space_kinds
        if indicator.compute is not None:
            value = indicator.compute(dbsession, period)
            actual = None if value is None else Decimal(value)
        else:
            actual = indicator.value_of(lambda code, kinds=kinds: _total(totals, code, kinds))
        target = targets.get(indicator.key)
        limit, comparison = threshold(target, indicator.better) if target else (None, None)
        results.append(
            IndicatorResult(
                indicator,
                target,
                actual,
                limit,
                comparison,
                coverage=indicator_coverage(registry, indicator, period, spaces, accepted),
                final=period.kind == "year",
            )
        )
    return results


def accepted_narratives(dbsession, period_id: int) -> list[tuple[int, str, str, str]]:
    """(space id, form key, narrative key, text) of every accepted report of the period."""
    return list(
        dbsession.execute(
            select(Submission.space_id, Submission.form_key, SubmissionNarrative.key, SubmissionNarrative.text)
            .join(SubmissionNarrative, SubmissionNarrative.submission_id == Submission.id)
            .where(Submission.period_id == period_id, Submission.state == "accepted")
            .order_by(Submission.space_id, SubmissionNarrative.id)
        ).all()
    )
