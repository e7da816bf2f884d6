"""The plan's child indicators counted from the child register, and how they leave the district.

The indicators are data (``figures.yaml``): which groups each counts, how, against which baseline
and target. :func:`commune_figures` counts them for every commune in two statements at most (the
register's, grouped by commune and sex, and the cases' dates for the plans approved within 5
working days), never reading an encrypted column: groups, dates and supports are plain. What leaves the district goes through :func:`suppress`: a count from 1 to 4 shows as
"< 5", and so many others that no hidden count can be worked out from a total.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from importlib import resources

import yaml
from sqlalchemy import and_, exists, func, or_, select

from intranet.cases.calendar import PLAN_WORKING_DAYS, HolidaysUnknownError, default_calendar
from intranet.cases.groups import default_catalogue
from intranet.cases.models import Case, Child, ChildGroup, ChildSupport
from intranet.i18n import local_date, local_today, utc_start_of
from intranet.spaces.models import Space

KINDS = ("count", "share")
#: ``plan_on_time`` counts cases, not children of groups: the share of the cases received in the
#: period whose first plan was approved within 5 working days of the receipt (Decree 56/2017).
COUNTINGS = ("in_period", "entered", "plan_on_time")
#: The countings of cases rather than of the register's children (no groups, no report figure).
CASE_COUNTINGS = ("plan_on_time",)
#: The smallest count shown as it is outside the district; 1 to SMALL - 1 show as "< 5".
SMALL = 5


class FiguresDataError(ValueError):
    """``figures.yaml`` (or a version given to :func:`catalogue_from_data`) is not well formed."""


@dataclass(frozen=True)
class Indicator:
    key: str
    kind: str
    groups: tuple[str, ...]
    counting: str
    title: str
    title_en: str
    how: str
    how_en: str
    target: str = ""
    target_en: str = ""
    baseline: int | None = None
    #: The report figure (data element code) this indicator counts, by sex; for a share, the
    #: denominator's. ``element_helped``: the figure of the children of it supported in the period.
    element: str | None = None
    element_helped: str | None = None


@dataclass(frozen=True)
class IndicatorSet:
    valid_from: dt.date
    source: str
    indicators: tuple[Indicator, ...]


def catalogue_from_data(data) -> tuple[IndicatorSet, ...]:
    """The versions described by ``data`` (parsed YAML), oldest first; FiguresDataError if malformed."""
    groups = default_catalogue()
    versions = []
    for entry in (data or {}).get("versions") or ():
        indicators = []
        for item in entry.get("indicators") or ():
            if item.get("kind") not in KINDS or item.get("counting") not in COUNTINGS:
                raise FiguresDataError(f"indicator {item.get('key')!r}: kind or counting unknown")
            if item["counting"] in CASE_COUNTINGS:
                if item["kind"] != "share" or item.get("groups") or item.get("groups_kind") or item.get("element"):
                    raise FiguresDataError(f"indicator {item.get('key')!r}: a share of cases, of no group or figure")
                codes = ()
            else:
                codes = item.get("groups")
            if codes is None:
                wanted = item.get("groups_kind")
                version = groups.in_force_on(entry["valid_from"])
                codes = [g.code for g in version.groups if g.kind == wanted]
            if not codes and item["counting"] not in CASE_COUNTINGS:
                raise FiguresDataError(f"indicator {item.get('key')!r} counts no group")
            for code in codes:
                try:
                    groups.get(code)
                except LookupError:
                    raise FiguresDataError(f"indicator {item.get('key')!r}: no group {code!r}") from None
            indicators.append(
                Indicator(
                    key=str(item["key"]),
                    kind=item["kind"],
                    groups=tuple(codes),
                    counting=item["counting"],
                    title=item["title"],
                    title_en=item["title_en"],
                    how=item["how"],
                    how_en=item["how_en"],
                    target=str(item.get("target") or ""),
                    target_en=str(item.get("target_en") or item.get("target") or ""),
                    baseline=item.get("baseline"),
                    element=item.get("element"),
                    element_helped=item.get("element_helped"),
                )
            )
        if not isinstance(entry.get("valid_from"), dt.date):
            raise FiguresDataError("each version has a valid_from date")
        versions.append(IndicatorSet(entry["valid_from"], str(entry.get("source") or ""), tuple(indicators)))
    if not versions:
        raise FiguresDataError("no version of the indicators")
    return tuple(sorted(versions, key=lambda v: v.valid_from))


@functools.cache
def default_indicators() -> tuple[IndicatorSet, ...]:
    text = resources.files(__package__).joinpath("figures.yaml").read_text(encoding="utf-8")
    return catalogue_from_data(yaml.safe_load(text))


def indicators_on(day: dt.date, versions=None) -> IndicatorSet:
    """The indicators in force on ``day`` (the first version for a day before it)."""
    versions = versions or default_indicators()
    current = versions[0]
    for version in versions[1:]:
        if version.valid_from <= day:
            current = version
    return current


@dataclass
class Figure:
    """One indicator for one commune (or the district): the count, or for a share the children
    helped (``count``) of those in the groups (``of``)."""

    count: int = 0
    of: int | None = None
    #: Cases not counted: received in a year (or due in one) whose holidays are not known.
    unknown: int = 0


def _counted_rows(dbsession, space_ids, start: dt.date, end: dt.date, indicators: IndicatorSet):
    """One statement: per commune and sex, for each indicator the children it counts (``n<i>``)
    and of those the children with a support dated within the period (``h<i>``)."""
    helped = exists().where(
        ChildSupport.child_id == Child.id, ChildSupport.given_on >= start, ChildSupport.given_on <= end
    )
    columns = []
    for i, indicator in enumerate(indicators.indicators):
        if indicator.counting in CASE_COUNTINGS:
            continue
        if indicator.counting == "entered":
            when = and_(ChildGroup.from_date >= start, ChildGroup.from_date <= end)
        else:
            when = and_(
                ChildGroup.from_date <= end, or_(ChildGroup.until_date.is_(None), ChildGroup.until_date >= start)
            )
        counted = exists().where(ChildGroup.child_id == Child.id, ChildGroup.group_code.in_(indicator.groups), when)
        columns.append(func.count().filter(counted).label(f"n{i}"))
        columns.append(func.count().filter(and_(counted, helped)).label(f"h{i}"))
    # Whether the register was kept then: the children entered by the end of the period.
    entered = func.count().filter(Child.created_at < utc_start_of(end + dt.timedelta(days=1)))
    return dbsession.execute(
        select(Child.space_id, Child.sex, entered.label("entered"), *columns)
        .where(Child.space_id.in_(space_ids))
        .group_by(Child.space_id, Child.sex)
    ).all()


def plans_on_time(
    dbsession, space_ids, start: dt.date, end: dt.date, *, today: dt.date | None = None, calendar=None
) -> dict[int, Figure]:
    """Commune id -> the cases received from ``start`` to ``end`` (local days) whose first plan was
    approved within 5 working days of the receipt day (``count``), of those whose plan is approved
    or whose deadline has passed by ``today`` (``of``). A case received (or due) in a year whose
    holidays are not known is counted apart (``unknown``): its deadline is not known. A case whose
    deadline is still to come and whose plan waits is not counted yet. Communes without a case
    counted are absent.

    One statement, reading plain columns only (the commune, the receipt and approval times); the
    working days are counted here, as :func:`intranet.cases.procedure.deadlines` counts them."""
    calendar = calendar or default_calendar()
    today = today or local_today()
    rows = dbsession.execute(
        select(Case.space_id, Case.received_at, Case.first_plan_approved_at, Case.plan_approved_at).where(
            Case.space_id.in_(space_ids),
            Case.received_at >= utc_start_of(start),
            Case.received_at < utc_start_of(end + dt.timedelta(days=1)),
        )
    ).all()
    out: dict[int, Figure] = {}
    for space_id, received_at, first_approved_at, approved_at in rows:
        figure = out.setdefault(space_id, Figure(0, 0))
        approved = first_approved_at or approved_at
        try:
            due = calendar.add_working_days(local_date(received_at), PLAN_WORKING_DAYS)
        except HolidaysUnknownError:
            figure.unknown += 1
            continue
        if approved is not None:
            figure.of += 1
            figure.count += local_date(approved) <= due
        elif today > due:
            figure.of += 1
    return {space_id: f for space_id, f in out.items() if f.of or f.unknown}


def commune_figures(
    dbsession,
    space_ids,
    start: dt.date,
    end: dt.date,
    *,
    indicators: IndicatorSet | None = None,
    today: dt.date | None = None,
) -> dict[str, dict[int, Figure]]:
    """indicator key -> commune id -> Figure, for the period ``start``..``end`` (both included).
    Communes with nothing to count are absent. One statement for the register's indicators,
    whatever their number, and one for the cases' (:func:`plans_on_time`, as of ``today``)."""
    indicators = indicators or indicators_on(end)
    out: dict[str, dict[int, Figure]] = {i.key: {} for i in indicators.indicators}
    cases = [i for i in indicators.indicators if i.counting in CASE_COUNTINGS]
    if cases:
        on_time = plans_on_time(dbsession, space_ids, start, end, today=today)
        for indicator in cases:
            out[indicator.key] = on_time
    if len(cases) == len(indicators.indicators):
        return out
    for row in _counted_rows(dbsession, space_ids, start, end, indicators):
        for i, indicator in enumerate(indicators.indicators):
            if indicator.counting in CASE_COUNTINGS:
                continue
            n, h = getattr(row, f"n{i}"), getattr(row, f"h{i}")
            if not n:
                continue
            figure = out[indicator.key].setdefault(row.space_id, Figure(0, 0 if indicator.kind == "share" else None))
            if indicator.kind == "share":
                figure.count += h
                figure.of += n
            else:
                figure.count += n
    return out


@functools.cache
def register_elements() -> frozenset[str]:
    """The report figures (data element codes) that some version of the indicators pre-fills from
    the register: a commune that gives another figure says why beside it."""
    return frozenset(
        code
        for version in default_indicators()
        for indicator in version.indicators
        for code in (indicator.element, indicator.element_helped)
        if code
    )


#: The register's sexes -> the options of the report forms' sex disaggregation (intranet.plugin.elements.SEX).
SEX_OPTIONS = {"male": "nam", "female": "nu"}


def register_suggestions(dbsession, space_id: int, start: dt.date, end: dt.date) -> tuple[dict, dict]:
    """What the commune's register says for the report figures its indicators name (``element``:
    the children counted, ``element_helped``: those of them supported in the period), by sex:
    ({(element code, sex option): count}, {element code: the indicator, whose ``how`` says how}).
    Nothing when no child had been entered in the register by the end of the period. One statement."""
    indicators = indicators_on(end)
    values: dict = {}
    derived: dict = {}
    for indicator in indicators.indicators:
        for code in (indicator.element, indicator.element_helped):
            if code:
                derived[code] = indicator
                for option in SEX_OPTIONS.values():
                    values[(code, option)] = 0
    rows = _counted_rows(dbsession, [space_id], start, end, indicators) if derived else []
    if not any(row.entered for row in rows):
        # A register not kept by then says nothing of the period: no zeros offered for it.
        return {}, {}
    for row in rows:
        option = SEX_OPTIONS.get(row.sex)
        for i, indicator in enumerate(indicators.indicators):
            if indicator.element:
                values[(indicator.element, option)] += getattr(row, f"n{i}")
            if indicator.element_helped:
                values[(indicator.element_helped, option)] += getattr(row, f"h{i}")
    return values, derived


# --- what leaves the district -------------------------------------------------------------------

#: What a suppressed count shows.
HIDDEN = "< 5"


def is_small(n: int | None) -> bool:
    return n is not None and 0 < n < SMALL


@dataclass
class Suppressed:
    """Counts of a line (one per commune) and their total, as they may leave the district: each
    value an int or :data:`HIDDEN`; ``secondary`` names the cells hidden only to protect another."""

    cells: dict
    total: object
    secondary: set = field(default_factory=set)


def suppress_cells(values: dict, lines) -> Suppressed:
    """Small counts hidden in a table of any shape, and so many others that none can be worked out.

    ``values``: cell key -> count (a total is a cell too: it can itself be hidden, and be a part of
    another line, as a column of row totals adding up to the grand total); ``lines``: (the keys of
    the parts, the key of their total) of every line whose total the reader sees — a row, a column,
    an element's options and its total. A count from 1 to 4 is hidden (primary suppression); then
    while a line whose total is shown has exactly one hidden part, that part would be the total
    minus the others: the line's next smallest shown count (not a zero) is hidden with it, or the
    total when no other count is left (secondary suppression). Cells of no line are only checked
    for primary suppression. ``cells`` of the result: each value or :data:`HIDDEN`; ``total``: None.
    """
    lines = [(tuple(k for k in parts if k in values), total) for parts, total in lines if total in values]
    hidden = {key for key, n in values.items() if is_small(n)}
    secondary: set = set()
    changed = True
    while changed:
        changed = False
        for parts, total in lines:
            if total in hidden or sum(1 for key in parts if key in hidden) != 1:
                continue
            candidates = sorted((values[k], str(k), k) for k in parts if k not in hidden and values[k])
            key = candidates[0][2] if candidates else total
            hidden.add(key)
            secondary.add(key)
            changed = True
    return Suppressed(
        cells={key: (HIDDEN if key in hidden else n) for key, n in values.items()}, total=None, secondary=secondary
    )


#: The key of a line's total in :func:`suppress`.
_TOTAL = ("<total>",)


def suppress(cells: dict, total: int | None = None) -> Suppressed:
    """Primary suppression (1 to 4 hidden) and secondary suppression: a line whose total is shown
    never has exactly one hidden value, or that value would be the total minus the others. The
    next smallest shown count is hidden with it (the total, when no other count is left).
    One line of :func:`suppress_cells`."""
    total = sum(cells.values()) if total is None else total
    shown = suppress_cells({**cells, _TOTAL: total}, [(tuple(cells), _TOTAL)])
    return Suppressed(
        cells={key: shown.cells[key] for key in cells},
        total=shown.cells[_TOTAL],
        secondary=shown.secondary - {_TOTAL},
    )


#: Report figures that count children of the groups of Article 10 of the Child Law (or of the
#: situations the indicators count) besides those ``figures.yaml`` links to an indicator: a
#: count of 1 to 4 of them could point to a child. Not here: figures of all the children of an
#: area (``tre_em``), of cases, offenders, sessions or schools, and of children reached by an
#: event or a service open to every child.
OTHER_CHILD_ELEMENTS = (
    "xa_tre_em_hcdb_theo_nhom",  # children in special circumstances, by group of Article 10
    "xa_tai_nan_theo_nguyen_nhan",  # children injured in accidents, by cause
    "congan_so_nan_nhan",  # child victims of crimes against children (violence, abuse, trafficking)
    "congan_tre_vppl_giao_duc_tai_xa",  # children breaking the law (Article 10): education in the commune
    "congan_tre_vppl_truong_giao_duong",  # ... sent to a reform school
    "congan_tre_vppl_xu_ly_hinh_su",  # ... prosecuted
    "ldtbxh_so_truong_hop_can_thiep",  # children harmed by violence or abuse, given intervention
)


@functools.cache
def child_count_elements() -> frozenset[str]:
    """The codes of every report figure that counts children of the groups: what leaves the
    district only through :func:`suppress_cells` (the pages of readers outside it, the API, every
    export): the figures the indicators pre-fill (:func:`register_elements`), and
    :data:`OTHER_CHILD_ELEMENTS`."""
    return register_elements() | frozenset(OTHER_CHILD_ELEMENTS)


# --- the district's table -----------------------------------------------------------------------


def communes(dbsession) -> list:
    """(id, slug, title, title_en) of every commune, in the district's order."""
    return dbsession.execute(
        select(Space.id, Space.slug, Space.title, Space.title_en)
        .where(Space.category == "commune")
        .order_by(Space.sort_order, Space.title)
    ).all()


@dataclass
class Line:
    """One indicator across the communes, as the reader may see it: each value an int or
    :data:`HIDDEN`; for a share, ``of`` holds the denominators and ``percent`` the shares that
    can be shown (None where a part is hidden or nothing is counted)."""

    indicator: Indicator
    cells: dict
    total: object
    of: dict | None = None
    total_of: object = None
    percent: dict = field(default_factory=dict)
    total_percent: float | None = None
    secondary: set = field(default_factory=set)
    #: For the cases' indicators: the district's cases not counted since their deadline is not
    #: known (the holidays of their year are not in the data); :data:`HIDDEN` when small, outside.
    unknown: object = 0


def _percent(n, of):
    if isinstance(n, int) and isinstance(of, int) and of > 0:
        return 100.0 * n / of
    return None


def district_lines(dbsession, commune_ids, start: dt.date, end: dt.date, *, exact: bool) -> list[Line]:
    """Every indicator in force on ``end`` across ``commune_ids``: exact when ``exact`` (inside the
    district), else with small counts hidden (:func:`suppress`, numerators and denominators each)."""
    indicators = indicators_on(end)
    counted = commune_figures(dbsession, commune_ids, start, end, indicators=indicators)
    lines = []
    for indicator in indicators.indicators:
        figures = counted.get(indicator.key, {})
        counts = {cid: figures[cid].count if cid in figures else 0 for cid in commune_ids}
        if indicator.kind == "count":
            shown = suppress(counts) if not exact else Suppressed(counts, sum(counts.values()))
            lines.append(Line(indicator, shown.cells, shown.total, secondary=shown.secondary))
            continue
        of = {cid: figures[cid].of if cid in figures else 0 for cid in commune_ids}
        if exact:
            top, bottom = Suppressed(counts, sum(counts.values())), Suppressed(of, sum(of.values()))
        else:
            top, bottom = suppress(counts), suppress(of)
        line = Line(
            indicator,
            top.cells,
            top.total,
            of=bottom.cells,
            total_of=bottom.total,
            secondary=top.secondary | bottom.secondary,
        )
        line.percent = {cid: _percent(line.cells[cid], line.of[cid]) for cid in commune_ids}
        line.total_percent = _percent(line.total, line.total_of)
        unknown = sum(figures[cid].unknown for cid in commune_ids if cid in figures)
        line.unknown = HIDDEN if not exact and is_small(unknown) else unknown
        lines.append(line)
    return lines
