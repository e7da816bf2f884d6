"""Reading and checking what was typed into a report: one parser for the page and the API."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from intranet import numbers
from intranet.i18n import _
from intranet.plugin.forms import (
    DataElement,
    ReportForm,
)
from intranet.reports.models import (
    Submission,
)
from intranet.workflow import TransitionCode, TransitionError  # noqa: F401 (the callers' names)

MAX_TEXT = 4000
#: Lines of one narrative. Each line costs the PDF at least a line, whatever its length: 4,000
#: line breaks made the district's consolidated PDF 4,536 pages and several minutes of work.
MAX_LINES = 200
#: The largest figure a report cell takes (value_num is Numeric(18, 2)).
MAX_FIGURE = 10**15 - 1


def field_name(code: str, option: str = "") -> str:
    return f"v.{code}.{option}" if option else f"v.{code}"


def parse_value(element: DataElement, raw: str):
    """(value, error message) for one typed cell; (None, None) when empty."""
    raw = (raw or "").strip()
    if raw == "":
        return None, None
    vt = element.value_type
    if vt == "text":
        if len(raw) > MAX_TEXT:
            return None, _("At most ${n} characters.", mapping={"n": MAX_TEXT})
        return raw, None
    if vt == "yesno":
        if raw in ("1", "0"):
            return Decimal(raw), None
        return None, _("Choose yes or no.")
    if vt == "percentage":
        try:
            return numbers.parse_percentage(raw), None
        except numbers.NumberError as exc:
            return None, exc.message
    try:
        value = numbers.parse_integer(raw, allow_negative=vt == "integer", minimum=-MAX_FIGURE, maximum=MAX_FIGURE)
    except numbers.NumberError as exc:
        too_large = numbers.MSG_TOO_LARGE
        if vt == "money":
            money = _("Enter an amount in đồng, digits only, e.g. 1.500.000.")
            return None, exc.message_or(invalid=money, negative=money, too_small=too_large, too_large=too_large)
        return None, exc.message_or(too_small=too_large, too_large=too_large)
    return Decimal(value), None


@dataclass
class Entry:
    """What was typed into a report form, what it means, and what is wrong with it."""

    raw: dict[str, str] = field(default_factory=dict)
    values: dict[tuple[str, str], object] = field(default_factory=dict)
    narratives: dict[str, str] = field(default_factory=dict)
    errors: dict[str, object] = field(default_factory=dict)

    def total(self, code: str):
        cells = [v for (c, _o), v in self.values.items() if c == code and isinstance(v, Decimal)]
        return sum(cells, Decimal(0)) if cells else None

    def cell(self, ref: str):
        """The value named by a rule side: "code" (the total) or "code[option]"."""
        if "[" in ref:
            code, option = ref[:-1].split("[", 1)
            value = self.values.get((code, option))
            return value if isinstance(value, Decimal) else None
        return self.total(ref)


def read_entry(form: ReportForm, post) -> Entry:
    """Parse every field of the report page's form (a POST); see :func:`read_values`."""
    cells = {(e.code, o): post.get(field_name(e.code, o), "") for e in form.elements() for o in e.cells()}
    texts = {n.key: post.get(f"n.{n.key}", "") for n in form.narratives()}
    return read_values(form, cells, texts)


def read_values(form: ReportForm, cells: dict[tuple[str, str], str], texts: dict[str, str]) -> Entry:
    """Parse figures typed as text, by (element code, option), and narratives, by key.

    The page and the API both read through here. Format errors are collected beside their
    field (errors are keyed by the page's field name), nothing typed is lost.
    """
    entry = Entry()
    for element in form.elements():
        for option in element.cells():
            name = field_name(element.code, option)
            raw = cells.get((element.code, option), "")
            entry.raw[name] = raw
            value, error = parse_value(element, raw)
            if error is not None:
                entry.errors[name] = error
                continue
            if value is None:
                continue
            if isinstance(value, Decimal):
                if element.minimum is not None and value < Decimal(str(element.minimum)):
                    entry.errors[name] = _("The smallest allowed value is ${n}.", mapping={"n": element.minimum})
                    continue
                if element.maximum is not None and value > Decimal(str(element.maximum)):
                    entry.errors[name] = _("The largest allowed value is ${n}.", mapping={"n": element.maximum})
                    continue
            entry.values[(element.code, option)] = value
    for narrative in form.narratives():
        text = (texts.get(narrative.key, "") or "").strip()
        if len(text) > MAX_TEXT * 2:
            entry.errors[f"n.{narrative.key}"] = _("At most ${n} characters.", mapping={"n": MAX_TEXT * 2})
        elif text.count("\n") >= MAX_LINES:
            entry.errors[f"n.{narrative.key}"] = _("At most ${n} lines.", mapping={"n": MAX_LINES})
        entry.narratives[narrative.key] = text
    return entry


def entry_from_submission(form: ReportForm, submission: Submission | None) -> Entry:
    entry = Entry()
    if submission is None:
        return entry
    for v in submission.values:
        element = form.element(v.element_code)
        if element is None:
            continue
        value = v.value_text if element.value_type == "text" else v.value_num
        entry.values[(v.element_code, v.option)] = value
        entry.raw[field_name(v.element_code, v.option)] = display_raw(element, value)
    for n in submission.narratives:
        entry.narratives[n.key] = n.text
    return entry


def display_raw(element: DataElement, value) -> str:
    if value is None:
        return ""
    if element.value_type == "text":
        return str(value)
    if element.value_type == "percentage":
        return format(Decimal(value).normalize(), "f").replace(".", ",")
    return str(int(value))


OPS = {
    "<=": lambda a, b: a <= b,
    "<": lambda a, b: a < b,
    ">=": lambda a, b: a >= b,
    ">": lambda a, b: a > b,
    "==": lambda a, b: a == b,
}


def check_for_submission(form: ReportForm, entry: Entry, *, english: bool = False) -> None:
    """Add the errors that block submitting: missing compulsory values and broken rules."""
    for element in form.elements():
        if not element.compulsory:
            continue
        for option in element.cells():
            name = field_name(element.code, option)
            if (element.code, option) not in entry.values and name not in entry.errors:
                entry.errors[name] = _("This figure is required before the report can be submitted.")
    for narrative in form.narratives():
        if narrative.compulsory and not entry.narratives.get(narrative.key):
            entry.errors.setdefault(
                f"n.{narrative.key}", _("This part is required before the report can be submitted.")
            )
    for rule in form.rules:
        left, right = entry.cell(rule.left), entry.cell(rule.right)
        if left is None or right is None:
            continue
        if not OPS[rule.op](left, right):
            name = rule_field(form, rule.left)
            entry.errors.setdefault(name, rule.message_en if english else rule.message)


def rule_field(form: ReportForm, ref: str) -> str:
    """The field a rule's message is shown beside: the cell, or an element's first cell."""
    if "[" in ref:
        code, option = ref[:-1].split("[", 1)
        return field_name(code, option)
    element = form.element(ref)
    return field_name(ref, element.cells()[0])
