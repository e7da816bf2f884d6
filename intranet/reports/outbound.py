"""The report figures that count children, as they leave the district (issue 11, section 5).

The communes' reports carry counts of children of the groups of Article 10 of the Child Law
(:func:`intranet.cases.figures.child_count_elements`). Whatever shows them to a reader outside
the district — the provincial viewer's and the administrator's pages, the API, every export —
shows a count from 1 to 4 as "< 5" and hides so many others that no shown total gives one away,
through the one suppression rule of :func:`intranet.cases.figures.suppress_cells`, one table at a
time: one report's figures (each element: its options and their total), the consolidated figures
of a period (each element: the units by its options, with every total the reader can see or work
out), and the plan's indicators computed from them.

Who reads the exact figures: the coordinator on the intranet's pages (``CHILD_FIGURES_EXACT``),
and the members of a unit reading their own report, which they typed. Every export is a file that
can be sent anywhere (the coordinator's is the one sent to the province): every export hides them,
whoever makes it. So does the API, for every caller but the unit reading its own report (which it
reads back to correct and save through the same API).
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from intranet.cases.figures import HIDDEN, child_count_elements, is_small, suppress_cells
from intranet.i18n import _
from intranet.reports import services
from intranet.resources import Root
from intranet.security import Permission

#: The line every export carries (and the pages of readers outside the district).
NOTE = _(
    "Counts of children from 1 to 4 are shown as “< 5”; some other counts are hidden with them so "
    "that no total gives them away."
)
#: The verdict of an indicator whose figures are hidden: met or not would give them away.
VERDICT_HIDDEN = _("Not shown (counts under 5)")


def exact_for(request, space_id: int | None = None, *, api: bool = False) -> bool:
    """Whether ``request``'s reader sees the children's counts exactly: the members of the unit
    ``space_id`` (their own report), and on the pages (``api`` False) the coordinator."""
    identity = request.identity
    if identity is None:
        return False
    if space_id is not None and any(m.space_id == space_id for m in identity.memberships):
        return True
    if api:
        return False
    return bool(request.has_permission(Permission.CHILD_FIGURES_EXACT, Root(request)))


def _count(value):
    return value if isinstance(value, (int, Decimal)) and not isinstance(value, bool) else None


# --- one report ---------------------------------------------------------------------------------


def report_hidden(form, values: dict) -> dict:
    """The cells of one report to show as "< 5": {(code, option): HIDDEN}, and {(code, None):
    HIDDEN} for a divided element whose total is hidden. ``values``: (code, option) -> value."""
    protected = child_count_elements()
    cells: dict = {}
    lines = []
    for element in form.elements():
        if element.code not in protected or not element.numeric:
            continue
        parts = []
        for option in element.cells():
            value = _count(values.get((element.code, option)))
            if value is not None:
                cells[(element.code, option)] = value
                parts.append((element.code, option))
        if element.disaggregation is not None and parts:
            cells[(element.code, None)] = sum((cells[p] for p in parts), Decimal(0))
            lines.append((parts, (element.code, None)))
    shown = suppress_cells(cells, lines)
    return {key: value for key, value in shown.cells.items() if value == HIDDEN}


# --- the consolidated figures of a period ------------------------------------------------------------


def _element_tables(data) -> tuple[dict, list]:
    """Every cell of the consolidated children's figures and the lines that add up, in keys of
    ``(code, option, space id | category | "all")``; option None: the element's total."""
    protected = child_count_elements()
    elements: dict = {}
    #: Whether the communes' and the agencies' figures of an element are added up (shared_totals).
    added: dict = {}
    for form in data.forms.values():
        for element in form.elements():
            if element.code in protected and element.numeric:
                elements.setdefault(element.code, element)
                added[element.code] = added.get(element.code, True) and element.summable and not element.overlapping
    kinds = {s.id: s.category for s in data.spaces}
    cells: dict = {}
    lines: list = []
    for (code, option, space_id), value in data.by_space.items():
        if code in elements and _count(value) is not None:
            cells[(code, option, space_id)] = value
    for code, element in elements.items():
        options = element.cells()
        divided = element.disaggregation is not None
        by_unit: dict = {}
        for option in options:
            for category in ("commune", "agency"):
                parts = [
                    (code, option, sid)
                    for sid, cat in kinds.items()
                    if cat == category and (code, option, sid) in cells
                ]
                if parts:
                    cells[(code, option, category)] = sum((cells[p] for p in parts), Decimal(0))
                    lines.append((parts, (code, option, category)))
            sides = [(code, option, c) for c in ("commune", "agency") if (code, option, c) in cells]
            if sides and added[code]:
                cells[(code, option, "all")] = sum((cells[p] for p in sides), Decimal(0))
                lines.append((sides, (code, option, "all")))
            for sid in kinds:
                if (code, option, sid) in cells:
                    by_unit.setdefault(sid, []).append((code, option, sid))
        if not divided:
            continue
        # An element's total, of each unit (its report page shows it), each side and the district.
        for unit in [*kinds, "commune", "agency", "all"] if added[code] else [*kinds, "commune", "agency"]:
            parts = [(code, option, unit) for option in options if (code, option, unit) in cells]
            if parts:
                cells[(code, None, unit)] = sum((cells[p] for p in parts), Decimal(0))
                lines.append((parts, (code, None, unit)))
        for category in ("commune", "agency"):
            parts = [(code, None, sid) for sid, cat in kinds.items() if cat == category and (code, None, sid) in cells]
            if parts:
                lines.append((parts, (code, None, category)))
        sides = [(code, None, c) for c in ("commune", "agency") if (code, None, c) in cells]
        if sides and added[code]:
            lines.append((sides, (code, None, "all")))
    return cells, lines


class HiddenIndicator:
    """An indicator's result whose figures are hidden: reads as the result, but for the actual
    (:data:`HIDDEN` for a count, None for a share), the achievement and the verdict."""

    suppressed = True
    achievement = None
    compared = None
    met = None

    def __init__(self, result):
        self._result = result
        share = bool(result.indicator.denominator)
        self.actual = None if share else HIDDEN
        # A count under 5 met or missed its target says no more than "< 5"; a share does.
        self.verdict = "hidden" if share else result.verdict
        if not share:
            self.met = result.met

    def __getattr__(self, name):
        return getattr(self._result, name)


def _indicator_hidden(result, shown: dict) -> bool:
    codes = set(result.indicator.numerator) | set(result.indicator.denominator)
    if not codes & child_count_elements():
        return False
    if not result.indicator.denominator and is_small(result.actual):
        return True
    category = "commune" if tuple(result.indicator.space_kinds or ()) == ("xa",) else "all"
    for code in codes:
        for (c, option, unit), value in shown.items():
            if c == code and unit == category and value == HIDDEN and (option is None or option == ""):
                return True
    return False


def consolidation_shown(data) -> dict:
    """The consolidated children's figures as they may be shown: ``(code, option, unit)`` ->
    value or :data:`HIDDEN`, where unit is a space id, "commune", "agency" or "all" (the two
    added up) and option None stands for the element's total."""
    cells, lines = _element_tables(data)
    return suppress_cells(cells, lines).cells


def suppressed_consolidation(data):
    """A copy of a :class:`~intranet.reports.services.consolidation.Consolidation` whose children's
    figures are as they leave the district: each value, total or indicator :data:`HIDDEN` (or
    :class:`HiddenIndicator`) where it must be."""
    shown = consolidation_shown(data)
    hidden = {key for key, value in shown.items() if value == HIDDEN}
    by_space = {key: (HIDDEN if key in hidden else value) for key, value in data.by_space.items()}
    by_category = {
        (code, option, cat): (HIDDEN if (code, option, cat) in hidden else value)
        for (code, option, cat), value in data.by_category.items()
    }
    shared = [
        dataclasses.replace(
            row,
            communes=HIDDEN if (row.element.code, row.option, "commune") in hidden else row.communes,
            agencies=HIDDEN if (row.element.code, row.option, "agency") in hidden else row.agencies,
            total=HIDDEN if row.total is not None and (row.element.code, row.option, "all") in hidden else row.total,
        )
        for row in data.shared
    ]
    indicators = data.indicators
    if indicators is not None:
        indicators = [hide_indicator(r, shown) for r in indicators]
    return dataclasses.replace(data, by_space=by_space, by_category=by_category, shared=shared, indicators=indicators)


def hide_indicator(result, shown: dict):
    return HiddenIndicator(result) if _indicator_hidden(result, shown) else result


def suppressed_indicators(dbsession, registry, period, results) -> list:
    """The plan's indicators of ``period`` as they leave the district (see :func:`suppressed_consolidation`)."""
    shown = consolidation_shown(services.consolidation(dbsession, registry, period))
    return [hide_indicator(r, shown) for r in results]
