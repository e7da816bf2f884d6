"""Report forms as data: data elements, disaggregations, sections, validation rules, indicators.

A data element is identified by its ``code`` across every plugin, so that the same figure
reported by nine communes sums up. Elements shared by several parties live in
``intranet.plugin.elements``; a plugin's own elements are named ``<key>_…``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Callable, Literal

ValueType = Literal["integer", "nonneg_integer", "money", "percentage", "yesno", "text"]
VALUE_TYPES = ("integer", "nonneg_integer", "money", "percentage", "yesno", "text")
NUMERIC_TYPES = ("integer", "nonneg_integer", "money", "percentage", "yesno")
PeriodType = Literal["half_year", "year"]


@dataclass(frozen=True)
class Option:
    """One category of a disaggregation, e.g. ``Option("nu", "Nữ", "Female")``."""

    code: str
    label: str
    label_en: str


@dataclass(frozen=True)
class Disaggregation:
    """The categories a figure is broken down by (sex, age group, ethnic minority …).

    A disaggregated element is entered per option; its total is the sum of the options.
    """

    key: str
    label: str
    label_en: str
    options: tuple[Option, ...]

    def option(self, code: str) -> Option | None:
        """Return the option called ``code``, or None."""
        for o in self.options:
            if o.code == code:
                return o
        return None


@dataclass(frozen=True)
class DataElement:
    """A figure a report carries (chỉ tiêu thống kê).

    ``value_type`` is one of integer, nonneg_integer, money (VND, whole đồng), percentage
    (0–100, decimals allowed), yesno (1/0) or text. ``minimum``/``maximum`` bound each entered
    value. ``compulsory`` elements must be filled before a report can be submitted.

    ``additive`` is False for a figure that means nothing once added across units: a score
    ("criteria met, out of 15"), a rate, an average. The consolidated report then shows each
    unit's figure and no total. Percentages are never added, whatever this says.

    ``overlapping`` is True for a figure that several parties report about the same people
    (children breaking the law: the communes count theirs, the police count the same children
    again). Each party's total is shown, but they are not added into one district-wide figure.
    """

    code: str
    label: str
    label_en: str
    value_type: ValueType = "nonneg_integer"
    disaggregation: Disaggregation | None = None
    compulsory: bool = False
    minimum: float | None = None
    maximum: float | None = None
    unit: str = ""
    additive: bool = True
    overlapping: bool = False

    @property
    def numeric(self) -> bool:
        """Whether values of this element are numbers (a yes/no counts as 1 or 0)."""
        return self.value_type in NUMERIC_TYPES

    @property
    def summable(self) -> bool:
        """Whether the figures of several units may be added up into a total."""
        return self.numeric and self.additive and self.value_type != "percentage"

    def cells(self) -> tuple[str, ...]:
        """The option codes a value is entered for: ``("",)`` for an undivided figure."""
        if self.disaggregation is None:
            return ("",)
        return tuple(o.code for o in self.disaggregation.options)


@dataclass(frozen=True)
class Narrative:
    """A free-text part of a report (results, difficulties, proposals …)."""

    key: str
    label: str
    label_en: str
    compulsory: bool = False


@dataclass(frozen=True)
class Section:
    """A titled group of data elements and narrative fields in a form."""

    key: str
    title: str
    title_en: str
    elements: tuple[DataElement, ...] = ()
    narratives: tuple[Narrative, ...] = ()


@dataclass(frozen=True)
class Rule:
    """A cross-field rule as data: ``left op right`` over element totals or single cells.

    ``left`` and ``right`` name an element (its total) or one cell as ``"code[option]"``;
    ``op`` is one of ``<=``, ``<``, ``>=``, ``>``, ``==``. The rule is checked only when both
    sides are filled. ``message`` is shown beside the ``left`` field.
    """

    left: str
    op: Literal["<=", "<", ">=", ">", "=="]
    right: str
    message: str
    message_en: str


@dataclass(frozen=True)
class ReportForm:
    """A report form (mẫu báo cáo) a space kind submits for periods of the given types.

    Change ``version`` whenever the form changes: each submission records the version it was
    filed under and keeps showing the form as it was.
    """

    key: str
    title: str
    title_en: str
    space_kind: str
    period_types: tuple[PeriodType, ...] = ("half_year", "year")
    version: int = 1
    sections: tuple[Section, ...] = ()
    rules: tuple[Rule, ...] = ()

    def elements(self) -> tuple[DataElement, ...]:
        """Every data element of the form, in order."""
        return tuple(e for s in self.sections for e in s.elements)

    def narratives(self) -> tuple[Narrative, ...]:
        """Every narrative field of the form, in order."""
        return tuple(n for s in self.sections for n in s.narratives)

    def element(self, code: str) -> DataElement | None:
        """Return the element called ``code``, or None."""
        for e in self.elements():
            if e.code == code:
                return e
        return None


@dataclass(frozen=True)
class Indicator:
    """A programme indicator (chỉ số), computed from the consolidated values of a period.

    ``numerator`` and ``denominator`` are tuples of element codes whose totals are added;
    the actual value is ``numerator / denominator * factor`` (or the numerator alone). The
    baseline and the target of each year are data of the plan, not of the plugin.
    ``better`` says which way is good: "lower" (injuries) or "higher" (children supported).

    An indicator that is not a sum of report figures (communes recognised as child-friendly,
    counselling points that worked in the period) gives ``compute`` instead of a numerator:
    ``compute(dbsession, period)`` returns the actual value (a number, or None when there is
    nothing to count yet), and ``rule`` says in words how it is counted; the indicator page
    shows that rule beside the value. ``compute`` may also be the name of a figure the core
    computes from its own records (``"assessments.recognised_communes"``: communes recognised as
    child-friendly); an unknown name stops start-up.
    """

    key: str
    title: str
    title_en: str
    numerator: tuple[str, ...] = ()
    denominator: tuple[str, ...] = ()
    factor: float = 1
    unit: str = ""
    better: Literal["lower", "higher"] = "higher"
    description: str = ""
    #: Count only reports of these space kinds (e.g. ("xa",): the communes' figures, so that a
    #: child the police also report is not counted twice); empty: every report.
    space_kinds: tuple[str, ...] = ()
    compute: Callable | str | None = None
    rule: str = ""
    rule_en: str = ""
    extra: dict = field(default_factory=dict)

    def value_of(self, total) -> Decimal | None:
        """The indicator's value from element totals: ``total(code)`` gives a code's total (None
        when nobody reported it). ``numerator / denominator * factor`` to one decimal, or the
        numerator times the factor; None when no numerator figure was reported or the
        denominator is 0. The one formula the district's indicators and a commune's use."""
        found = [total(c) for c in self.numerator]
        if not any(v is not None for v in found):
            return None
        numerator = sum((v or Decimal(0) for v in found), Decimal(0))
        factor = Decimal(str(self.factor))
        if not self.denominator:
            return numerator * factor
        denominator = sum((total(c) or Decimal(0) for c in self.denominator), Decimal(0))
        return (numerator / denominator * factor).quantize(Decimal("0.1")) if denominator else None
