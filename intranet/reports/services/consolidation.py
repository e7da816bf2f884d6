"""The consolidated report of a period: what the page and its exports show."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from intranet.host import get_registry
from intranet.plugin.forms import (
    DataElement,
    ReportForm,
)
from intranet.reports.models import (
    Period,
)
from intranet.reports.services.completeness import Expected, expected_reports
from intranet.reports.services.indicators import IndicatorResult, accepted_narratives, compute_indicators
from intranet.reports.services.totals import all_spaces, consolidated_values
from intranet.workflow import TransitionCode, TransitionError  # noqa: F401 (the callers' names)


@dataclass(frozen=True)
class SharedTotal:
    """One cell of a data element that several forms carry, added up over the whole district.

    ``communes`` and ``agencies`` are the sums of each party's accepted reports; ``total`` is
    their sum, or None when they may not be added (``added`` False): the element is not additive,
    or the parties count the same people (``DataElement.overlapping``).
    """

    element: DataElement
    option: str
    communes: Decimal | None
    agencies: Decimal | None
    total: Decimal | None
    added: bool


@dataclass
class Consolidation:
    """What the district's consolidated report of a period shows, on the page and in exports."""

    period: Period
    spaces: list
    communes: list
    agencies: list
    forms: dict[str, ReportForm]
    commune_forms: list[ReportForm]
    agency_forms: list[tuple[ReportForm, list]]
    #: (element, option, space id) -> sum over the space's accepted reports
    by_space: dict[tuple[str, str, int], Decimal]
    #: (element, option, space category) -> sum over the accepted reports; only the elements whose
    #: figures may be added up (``DataElement.summable``): a total of scores is not shown.
    by_category: dict[tuple[str, str, str], Decimal]
    pending: list[Expected]
    accepted: list[Expected]
    narratives: list[tuple[int, str, str, str]]
    indicators: list[IndicatorResult] | None = None
    #: The district-wide rows of the elements that several forms carry (communes + agencies).
    shared: list[SharedTotal] = field(default_factory=list)

    @property
    def spaces_by_id(self) -> dict:
        return {s.id: s for s in self.spaces}

    @property
    def accepted_keys(self) -> set[tuple[int, str]]:
        """(space id, form key) of the accepted reports."""
        return {(i.space.id, i.form.key) for i in self.accepted}

    def unreported(self, form: ReportForm) -> list:
        """The communes (or agencies) that owe ``form`` and have no accepted report of it."""
        keys = self.accepted_keys
        return [s for s in self.spaces if s.kind == form.space_kind and (s.id, form.key) not in keys]

    def narrative(self, form_key: str, key: str):
        """The Narrative of a form by key (its label), or None for a key the form dropped."""
        form = self.forms.get(form_key)
        for narrative in form.narratives() if form else ():
            if narrative.key == key:
                return narrative
        return None


def elements_by_code(forms) -> dict[str, list[DataElement]]:
    """Every numeric data element of the forms by code, once per form that carries it."""
    found: dict[str, list[DataElement]] = defaultdict(list)
    for f in forms:
        for element in f.elements():
            if element.numeric:
                found[element.code].append(element)
    return found


def non_summable_codes(forms) -> set[str]:
    """Codes of elements whose figures may not be added across units (any form says so)."""
    return {code for code, elements in elements_by_code(forms).items() if not all(e.summable for e in elements)}


def shared_totals(forms, by_category) -> list[SharedTotal]:
    """District-wide rows of the elements that more than one form carries, in the forms' order."""
    rows = []
    for code, elements in elements_by_code(forms).items():
        if len(elements) < 2:
            continue
        element = elements[0]
        added = all(e.summable and not e.overlapping for e in elements)
        for option in element.cells():
            communes = by_category.get((code, option, "commune"))
            agencies = by_category.get((code, option, "agency"))
            parts = [v for v in (communes, agencies) if v is not None]
            total = sum(parts, Decimal(0)) if added and parts else None
            rows.append(SharedTotal(element, option, communes, agencies, total, added))
    return rows


def consolidation(dbsession, registry, period: Period, *, indicators: bool = False) -> Consolidation:
    """The consolidated figures of a period: accepted reports only, summed in SQL.

    The number of statements does not grow with the number of reports. ``indicators`` adds the
    plan's indicators computed for the period (the exports show them; the page links to them).
    Figures that may not be added up (scores, rates: ``DataElement.summable``) get no total.
    """
    reg = get_registry(registry)
    spaces = all_spaces(dbsession)
    communes = [s for s in spaces if s.category == "commune"]
    agencies = [s for s in spaces if s.category == "agency"]
    by_space_rows, by_category_rows = consolidated_values(dbsession, period.id)
    items = expected_reports(dbsession, registry, spaces, [period])
    commune_kinds = {s.kind for s in communes}
    agency_kinds = {s.kind for s in agencies}
    forms = list(reg.forms.values())
    not_summed = non_summable_codes(forms)
    by_category = {
        (code, option, cat): total for code, option, cat, total in by_category_rows if code not in not_summed
    }
    return Consolidation(
        period=period,
        spaces=spaces,
        communes=communes,
        agencies=agencies,
        forms=dict(reg.forms),
        commune_forms=[f for f in forms if f.space_kind in commune_kinds],
        agency_forms=[
            (f, [s for s in agencies if s.kind == f.space_kind]) for f in forms if f.space_kind in agency_kinds
        ],
        by_space={(code, option, space_id): total for code, option, space_id, total in by_space_rows},
        by_category=by_category,
        pending=[i for i in items if i.state == "submitted"],
        accepted=[i for i in items if i.state == "accepted"],
        narratives=accepted_narratives(dbsession, period.id),
        indicators=(
            compute_indicators(dbsession, registry, period.plan_id, period.id, spaces=spaces) if indicators else None
        ),
        shared=shared_totals(forms, by_category),
    )
