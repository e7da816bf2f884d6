"""A unit's report as the form it fills in, built on the one form layer from the plugin's spec.

A plugin declares a report form as data (:mod:`intranet.plugin.forms`): sections of data
elements, each a figure of one value type, divided or not by a disaggregation, and narrative
parts, with rules across figures. :func:`report_form_class` turns that spec into a class of
:class:`intranet.forms.Form` with one field per cell ("v.<code>" or "v.<code>.<option>") and one
per narrative ("n.<key>"), and for a figure the child register pre-fills one for the commune's
comment on it ("c.<code>", see :func:`note_name`), their HTML ids "f-<name>", so that the page, the API and every check
read a report alike. The class is built once per form version and process, never per request.

Two levels of checks:

* reading (every save): each cell read by its value type through :mod:`intranet.numbers`, the
  element's bounds, the length of texts and the lines of a narrative. What cannot be read is
  :attr:`ReportEntryForm.unreadable`: a draft is saved all the same, those cells keeping their
  saved value.
* sending (``validate(submit=True)``): the compulsory figures and parts, and the form's rules,
  each message beside the field it is about.

What the form says is an :class:`Entry`, the plain record storage keeps and the exports read.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from decimal import Decimal

from webob.multidict import MultiDict

from intranet import numbers
from intranet.cases.figures import register_elements
from intranet.forms import (
    MSG_MONEY,
    Form,
    InputField,
    IntegerField,
    MaxLines,
    MoneyField,
    PercentageField,
    PlainNumberField,
    TextField,
    ValidationError,
)
from intranet.i18n import _
from intranet.plugin.forms import DataElement, ReportForm
from intranet.reports.models import Submission

MAX_TEXT = 4000
#: Lines of one narrative. Each line costs the PDF at least a line, whatever its length: 4,000
#: line breaks made the district's consolidated PDF 4,536 pages and several minutes of work.
MAX_LINES = 200
#: The largest figure a report cell takes (value_num is Numeric(18, 2)).
MAX_FIGURE = 10**15 - 1
#: A comment on a figure that differs from the child register: a short reason, not an account.
MAX_NOTE = 1000
MAX_NOTE_LINES = 10

MSG_YES_NO = _("Choose yes or no.")
MSG_FIGURE_REQUIRED = _("This figure is required before the report can be submitted.")
MSG_PART_REQUIRED = _("This part is required before the report can be submitted.")
MSG_NOTE_REQUIRED = _(
    "This figure differs from the child register: say why in a short comment before the report can be submitted."
)
#: Beyond what a cell keeps, below zero as above it: the number is too large either way.
_TOO_LARGE = {"too_small": numbers.MSG_TOO_LARGE, "too_large": numbers.MSG_TOO_LARGE}

OPS = {
    "<=": lambda a, b: a <= b,
    "<": lambda a, b: a < b,
    ">=": lambda a, b: a >= b,
    ">": lambda a, b: a > b,
    "==": lambda a, b: a == b,
}


def field_name(code: str, option: str = "") -> str:
    """The form field of one cell: "v.<code>", or "v.<code>.<option>" for a divided figure."""
    return f"v.{code}.{option}" if option else f"v.{code}"


def narrative_name(key: str) -> str:
    """The form field of a narrative part."""
    return f"n.{key}"


def note_name(code: str) -> str:
    """The form field of the comment on an element's figures where they differ from the child register."""
    return f"c.{code}"


def rule_field(form: ReportForm, ref: str) -> str:
    """The field a rule's message is shown beside: the cell, or an element's first cell."""
    if "[" in ref:
        code, option = ref[:-1].split("[", 1)
        return field_name(code, option)
    element = form.element(ref)
    return field_name(ref, element.cells()[0])


@dataclass
class Entry:
    """What was typed into a report form, what it means, and what is wrong with it.

    ``raw``: field name -> the text of each cell; ``values``: (element code, option) -> the value
    of each cell that holds one; ``narratives``: key -> text; ``errors``: field name -> message.
    ``notes``: element code -> the comment on a figure that differs from the child register, for
    the comments the page sent (or the report holds); a comment not sent is kept as it was saved.
    """

    raw: dict[str, str] = field(default_factory=dict)
    values: dict[tuple[str, str], object] = field(default_factory=dict)
    narratives: dict[str, str] = field(default_factory=dict)
    errors: dict[str, object] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)

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


# --- fields of the value types -------------------------------------------------------------------


class FigureField(IntegerField):
    """A whole number of a report cell, kept as a Decimal as the cell's column keeps it."""

    def read(self, text: str):
        return Decimal(super().read(text))


class MoneyFigureField(MoneyField):
    """An amount in whole đồng of a report cell, as a Decimal."""

    def read(self, text: str):
        return Decimal(super().read(text))


class YesNoField(InputField):
    """Yes (1) or no (0), chosen in a list; left unchosen, it is empty."""

    def parse(self, text: str):
        text = text.strip()
        if text not in ("1", "0"):
            raise ValueError(MSG_YES_NO)
        return Decimal(text)

    def format(self, data) -> str:
        return "" if data is None else str(int(data))

    def options(self) -> list[tuple[str, object]]:
        return [("1", _("Yes")), ("0", _("No"))]

    def selected(self, value) -> bool:
        return str(value) == self.value


class Bounds:
    """The bounds a data element sets on each of its cells (``DataElement.minimum``/``maximum``)."""

    def __init__(self, minimum=None, maximum=None):
        self.minimum = None if minimum is None else Decimal(str(minimum))
        self.maximum = None if maximum is None else Decimal(str(maximum))

    def __call__(self, form, field):
        if self.minimum is not None and field.data < self.minimum:
            raise ValidationError(
                _("The smallest allowed value is ${n}.", mapping={"n": numbers.as_text(self.minimum)})
            )
        if self.maximum is not None and field.data > self.maximum:
            raise ValidationError(_("The largest allowed value is ${n}.", mapping={"n": numbers.as_text(self.maximum)}))


class _VersionField(PlainNumberField):
    """The version of the report the page was opened on. A page opened on no report yet sends 0;
    a request that sends none at all is read the same way (junk is None: a conflict)."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist or ["0"])


def _cell_field(element: DataElement, name: str):
    """The unbound field of one cell of ``element``, by its value type."""
    options = {"label": element.label, "id": f"f-{name}"}
    bounded = element.numeric and (element.minimum is not None or element.maximum is not None)
    checks = [Bounds(element.minimum, element.maximum)] if bounded else []
    vt = element.value_type
    if vt == "text":
        return TextField(max_length=MAX_TEXT, **options)
    if vt == "yesno":
        return YesNoField(validators=checks, **options)
    if vt == "percentage":
        return PercentageField(validators=checks, **options)
    if vt == "money":
        messages = {**_TOO_LARGE, "invalid": MSG_MONEY, "negative": MSG_MONEY}
        return MoneyFigureField(validators=checks, maximum=MAX_FIGURE, messages=messages, **options)
    if vt == "integer":
        limits = {"minimum": -MAX_FIGURE, "maximum": MAX_FIGURE, "allow_negative": True}
    else:
        limits = {"maximum": MAX_FIGURE}
    return FigureField(validators=checks, messages=_TOO_LARGE, **limits, **options)


# --- the form ------------------------------------------------------------------------------------


class ReportEntryForm(Form):
    """The base of every report's form; :func:`report_form_class` adds the spec's fields.

    ``validate()`` reads; ``validate(submit=True)`` reads and checks what sending needs. Rule
    messages come in English when ``english`` is true (by default: when the request's locale is
    English), since a plugin writes them in both languages itself.
    """

    #: The plugin's form this class was built from.
    spec: ReportForm = None
    #: field name -> (element code, option) of every cell, in the form's order.
    _cells: dict[str, tuple[str, str]] = {}
    #: field name -> narrative key.
    _narratives: dict[str, str] = {}
    #: field name -> element code of each comment on a figure the child register pre-fills.
    _notes: dict[str, str] = {}
    #: field name -> the message shown when it is left empty on sending.
    _compulsory: dict[str, object] = {}
    #: (op, left cells, right cells, field the message goes beside, message, English message);
    #: a side is one cell, or every cell of an element (its total).
    _rules: tuple = ()

    version = _VersionField()

    def __init__(self, formdata=None, **kwargs):
        #: The fields whose text could not be read: their saved value is kept on saving.
        self.unreadable: frozenset[str] = frozenset()
        self.submitting = False
        self.english = False
        super().__init__(formdata, **kwargs)

    def validate(self, extra_validators=None, *, submit: bool = False, english: bool | None = None) -> bool:
        self.submitting = submit
        if english is None:
            english = getattr(self.request, "locale_name", None) == "en"
        self.english = english
        super().validate(extra_validators)
        return not self.has_errors

    def full_validate(self):
        # Only what was read so far is unreadable: a figure missing or breaking a rule on sending
        # is saved as it stands (left empty, or as typed).
        self.unreadable = frozenset(f.name for f in self if f.errors)
        if not self.submitting:
            return
        for name, message in self._compulsory.items():
            field = self._fields[name]
            if not field.errors and field.is_empty():
                field.errors.append(message)
        for op, left, right, target, message, message_en in self._rules:
            a, b = self._side(left), self._side(right)
            if a is None or b is None or target is None or OPS[op](a, b):
                continue
            field = self._fields[target]
            if not field.errors:
                field.errors.append(message_en if self.english else message)

    def _readable(self, field) -> bool:
        """Whether the field holds a value that was read and may be stored."""
        return not field.is_empty() and not field.process_errors and field.name not in self.unreadable

    def _side(self, names):
        found = [self._fields[n].data for n in names if self._readable(self._fields[n])]
        found = [v for v in found if isinstance(v, Decimal)]
        return sum(found, Decimal(0)) if found else None

    def total(self, code: str):
        """The sum of an element's cells that hold a figure; None when none does."""
        return self._side([n for n, (c, _o) in self._cells.items() if c == code])

    def fill_empty(self, values) -> set[str]:
        """Put ``values`` ((element code, option) -> value) into the cells left empty, written as
        a user writes them; the names of the fields filled."""
        filled = set()
        for name, key in self._cells.items():
            field = self._fields[name]
            value = values.get(key)
            if value is None or field.value != "":
                continue
            field.data, field.raw = value, None
            filled.add(name)
        return filled

    def note(self, code: str):
        """The comment field of element ``code``, or None when the form has none for it."""
        return self._fields.get(note_name(code))

    def require_notes(self, codes) -> None:
        """Put :data:`MSG_NOTE_REQUIRED` beside the comment of each of these elements (those whose
        figures differ from the child register) that is left empty."""
        for code in codes:
            field = self.note(code)
            if field is not None and not field.errors and field.is_empty():
                field.errors.append(MSG_NOTE_REQUIRED)

    def entry(self) -> Entry:
        """What the form says, as storage keeps it."""
        entry = Entry()
        for name, key in self._cells.items():
            field = self._fields[name]
            entry.raw[name] = field.value
            if self._readable(field):
                entry.values[key] = field.data
        for name, code in self._notes.items():
            field = self._fields[name]
            if getattr(field, "raw_data", None) == []:
                continue  # not sent (the API sends figures only): the saved comment stays
            entry.notes[code] = (field.data or "") if not field.process_errors else (field.raw or "").strip()
        for name, key in self._narratives.items():
            field = self._fields[name]
            entry.narratives[key] = (field.data or "") if not field.process_errors else (field.raw or "").strip()
        entry.errors = dict(self.messages)
        return entry


def _side_cells(form: ReportForm, ref: str) -> tuple[str, ...]:
    if "[" in ref:
        code, option = ref[:-1].split("[", 1)
        element = form.element(code)
        return (field_name(code, option),) if element is not None and option in element.cells() else ()
    element = form.element(ref)
    return tuple(field_name(ref, o) for o in element.cells()) if element is not None else ()


def _build(spec: ReportForm) -> type[ReportEntryForm]:
    fields: dict[str, object] = {}
    cells, narratives, compulsory, notes = {}, {}, {}, {}
    noted = register_elements()
    for section in spec.sections:
        for element in section.elements:
            for option in element.cells():
                name = field_name(element.code, option)
                fields[name] = _cell_field(element, name)
                cells[name] = (element.code, option)
                if element.compulsory:
                    compulsory[name] = MSG_FIGURE_REQUIRED
            if element.code in noted and element.numeric:
                name = note_name(element.code)
                fields[name] = TextField(
                    label=_("Why the figure differs from the child register"),
                    id=f"f-{name}",
                    max_length=MAX_NOTE,
                    validators=[MaxLines(MAX_NOTE_LINES)],
                )
                notes[name] = element.code
        for narrative in section.narratives:
            name = narrative_name(narrative.key)
            fields[name] = TextField(
                label=narrative.label, id=f"f-{name}", max_length=MAX_TEXT * 2, validators=[MaxLines(MAX_LINES)]
            )
            narratives[name] = narrative.key
            if narrative.compulsory:
                compulsory[name] = MSG_PART_REQUIRED
    rules = []
    for rule in spec.rules:
        left, right = _side_cells(spec, rule.left), _side_cells(spec, rule.right)
        target = rule_field(spec, rule.left) if left else None
        rules.append((rule.op, left, right, target if target in cells else None, rule.message, rule.message_en))
    attributes = {
        **fields,
        "spec": spec,
        "_cells": cells,
        "_narratives": narratives,
        "_notes": notes,
        "_compulsory": compulsory,
        "_rules": tuple(rules),
    }
    return type(f"ReportEntryForm[{spec.key}@{spec.version}]", (ReportEntryForm,), attributes)


#: (form key, version) -> (the spec, its class). A form's spec is the same object on every request
#: (the plugin's, or one rebuilt from the stored definition of an older version).
_CLASSES: dict[tuple[str, int], tuple[ReportForm, type[ReportEntryForm]]] = {}


def report_form_class(spec: ReportForm) -> type[ReportEntryForm]:
    """The form class of ``spec``, built on its first use in the process.

    Kept per (form key, version); a spec of the same key and version that differs (a plugin
    changed without a new version, during development) is built anew.
    """
    key = (spec.key, spec.version)
    found = _CLASSES.get(key)
    if found is not None and (found[0] is spec or found[0] == spec):
        return found[1]
    cls = _build(spec)
    _CLASSES[key] = (spec, cls)
    return cls


def report_form(spec: ReportForm, formdata=None, **kwargs) -> ReportEntryForm:
    """The form of ``spec``, reading ``formdata`` (a POST, or :func:`formdata`)."""
    return report_form_class(spec)(formdata, **kwargs)


def stored_data(spec: ReportForm, submission: Submission | None) -> dict[str, object]:
    """Field name -> value of what ``submission`` holds, for a form opened on it."""
    if submission is None:
        return {}
    data: dict[str, object] = {"version": submission.version}
    for v in submission.values:
        element = spec.element(v.element_code)
        if element is None or v.option not in element.cells():
            continue
        data[field_name(v.element_code, v.option)] = v.value_text if element.value_type == "text" else v.value_num
        if v.note:
            data[note_name(v.element_code)] = v.note
    for n in submission.narratives:
        data[narrative_name(n.key)] = n.text
    return data


def report_form_of(spec: ReportForm, submission: Submission | None, **kwargs) -> ReportEntryForm:
    """The form opened on a stored report, its figures written as a Vietnamese user writes them."""
    return report_form(spec, data=stored_data(spec, submission), **kwargs)


def formdata(cells, texts) -> MultiDict:
    """What a page would send for these figures typed as text, by (element code, option), and
    these narratives, by key: how the API reads a report through the same form."""
    sent = MultiDict()
    for (code, option), raw in cells.items():
        sent.add(field_name(code, option), raw)
    for key, text in texts.items():
        sent.add(narrative_name(key), text)
    return sent


# --- one cell, for callers that read or write a single value -------------------------------------


@functools.lru_cache(maxsize=256)
def _cell_form(element: DataElement) -> type[Form]:
    return type("CellForm", (Form,), {"cell": _cell_field(element, "cell")})


def read_cell(element: DataElement, text: str):
    """(value, message) for ``text`` typed into a cell of ``element``, by its value type alone
    (not its bounds); (None, None) when empty."""
    cell = _cell_form(element)(MultiDict([("cell", text or "")])).cell
    if cell.process_errors:
        return None, cell.process_errors[0]
    return (None if cell.is_empty() else cell.data), None


def write_cell(element: DataElement, value) -> str:
    """A stored value of ``element`` written as its field shows it."""
    return _cell_form(element)(data={"cell": value}).cell.value
