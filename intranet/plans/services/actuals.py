"""A commune's actuals of a year, and the copy of a plan to the next year."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from intranet.host import get_registry
from intranet.plans.models import (
    CommunePlan,
    CommunePlanEvent,
)
from intranet.plans.services.commune_plans import has_plan, plan_title
from intranet.plans.services.transitions import _copy_parts
from intranet.reports.services.accepted import accepted_reports_of_year
from intranet.spaces.models import Space
from intranet.workflow import TransitionCode, TransitionError


@dataclass
class Actual:
    value: Decimal | None
    #: The reporting period the value was taken from (its Vietnamese title), or "" without data.
    period_title: str = ""
    period_code: str = ""


def commune_actuals(dbsession, registry, space_id: int, year: int, indicator_keys) -> dict[str, Actual]:
    """Each indicator's actual in one commune for ``year``, from its accepted reports: the year
    report where it has the figures, else the latest accepted half-year that has them
    (:func:`intranet.reports.services.accepted_reports_of_year`)."""
    indicators = get_registry(registry).indicators
    wanted = [indicators[k] for k in indicator_keys if k in indicators and indicators[k].numerator]
    codes = {c for i in wanted for c in i.numerator + i.denominator}
    if not codes:
        return {}
    reports = accepted_reports_of_year(dbsession, space_id, year, codes)
    result = {}
    for indicator in wanted:
        for report in reports:
            if all(report.total(c) is None for c in indicator.numerator):
                continue
            result[indicator.key] = Actual(indicator.value_of(report.total), report.period_title, report.period_code)
            break
    return result


def copy_to_next_year(dbsession, registry, plan: CommunePlan, user_id: int | None) -> CommunePlan:
    """The plan of ``year + 1`` from an approved plan: the same structure, months kept, and each
    target's baseline the commune's actual of ``year`` from its accepted reports."""
    if plan.state != "approved" or not plan.is_current:
        raise TransitionError(TransitionCode.NOT_ALLOWED, "copy")
    year = plan.year + 1
    if has_plan(dbsession, plan.space_id, year):
        raise TransitionError(TransitionCode.EXISTS, "copy")
    space = plan.space if "space" in plan.__dict__ else None
    if space is None:
        space = dbsession.get(Space, plan.space_id)
    new = CommunePlan(
        space_id=plan.space_id,
        year=year,
        revision=1,
        is_current=True,
        state="draft",
        title=plan_title(space, year),
        number="",
        reason="",
        source_id=plan.id,
        events=[],
    )
    _copy_parts(plan, new)
    actuals = commune_actuals(dbsession, registry, plan.space_id, plan.year, [t.indicator_key for t in new.targets])
    for t in new.targets:
        actual = actuals.get(t.indicator_key)
        t.baseline = actual.value if actual else None
        t.baseline_source = actual.period_title if actual and actual.value is not None else ""
    new.events.append(
        CommunePlanEvent(
            user_id=user_id, action="copy", from_state=None, to_state="draft", comment=str(plan.year), part=""
        )
    )
    dbsession.add(new)
    return new
