"""Exports of the consolidated report of a period and of one unit's report: Excel, CSV and PDF.

Functions from the data the pages show to bytes; the views (``exports_views``) add the headers
and the audit line. What the reader sees goes through the translation catalogue (:class:`Lang`,
Vietnamese unless the request says otherwise). The PDFs follow the Vietnamese administrative
format (Nghị định 30/2020/NĐ-CP): issuing body and number on the left, Quốc hiệu and tiêu ngữ on
the right, place and date, title, body, recipients and signature block.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import math
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from pyramid.i18n import make_localizer
from pyramid.renderers import render

from intranet.cases.figures import HIDDEN
from intranet.i18n import _, local_today, to_local
from intranet.inputs import clean_text
from intranet.reports.outbound import NOTE as SUPPRESSION_NOTE
from intranet.reports.outbound import VERDICT_HIDDEN
from intranet.reports.services import ACTION_LABELS, STATE_LABELS, VERDICT_LABELS

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTENT_TYPES = {"xlsx": XLSX_TYPE, "csv": "text/csv", "pdf": "application/pdf"}

SHEET_INDICATORS = _("Indicators")
SHEET_COMMUNES = _("Commune totals")
SHEET_AGENCIES = _("Agencies")
SHEET_NARRATIVES = _("Narrative texts")
SHEET_REPORT = _("Report")
SHEET_HISTORY = _("History")

COL_INDICATOR = _("Indicator")
COL_BASELINE = _("Baseline")
COL_TARGET = _("Target")
COL_THRESHOLD = _("Threshold")
COL_ACTUAL = _("Actual")
COL_RESULT = _("Result")
COL_ELEMENT = _("Data element")
COL_TOTAL = _("Total")
COL_UNIT = _("Unit")
COL_PART = _("Part")
COL_TEXT = _("Text")
COL_VALUE = _("Value")
COL_UNIT_CODE = _("Unit code")
COL_ELEMENT_CODE = _("Element code")
COL_OPTION_CODE = _("Option code")
COL_OPTION = _("Option")
COL_PERIOD = _("Reporting period")
COL_STATE = _("State")
COL_FORM_VERSION = _("Form version")
COL_DATE = _("Date")
COL_USER = _("User")
COL_ACTION = _("Action")
COL_COMMENT = _("Comment")
CONSOLIDATED = _("Consolidated report")
CONSOLIDATED_SUBJECT = _("Results of the child protection programme of Đăk Tô district in ${year}")
DIVISION = _("Division of Labour, Invalids and Social Affairs of Đăk Tô district")
MET = _("Met")
NOT_MET = _("Not met")
NO_DATA = _("No data yet")
YES = _("Yes")
NO = _("No")

#: The district's seat: the place line of its documents.
DISTRICT_PLACE = "Đăk Tô"

#: How a threshold reads: "≤ 111" (at most 111 injuries), "≥ 75" (at least 75 %).
COMPARISON_SIGNS = {"<=": "≤", ">=": "≥", "<": "<", ">": ">", "==": "="}


# --- language --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Lang:
    """Translate messages and pick the ``_en`` field of data for the reader's language."""

    localizer: object
    name: str = "vi"

    @classmethod
    def of(cls, request) -> Lang:
        return cls(request.localizer, request.locale_name)

    def t(self, message, **mapping) -> str:
        return self.localizer.translate(message, mapping=mapping or None)

    def field(self, obj, attr: str) -> str:
        if self.name == "en":
            value = getattr(obj, f"{attr}_en", "") or ""
            if value:
                return value
        return getattr(obj, attr)


@functools.cache
def vietnamese() -> Lang:
    """The default language of an export made outside a request (a script, a test)."""
    return Lang(make_localizer("vi", [str(Path(__file__).resolve().parent.parent / "locale")]), "vi")


# --- small helpers -----------------------------------------------------------------------------------


def number(value):
    """A stored figure as an int or a float, so spreadsheets see numbers; None stays None, and a
    hidden count (:data:`intranet.cases.figures.HIDDEN`) stays the text "< 5"."""
    if value is None or isinstance(value, str):
        return value
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


def plain(value) -> str:
    """A figure for CSV: 12, 12.5 — no grouping, a dot for decimals, as machines read it."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    value = Decimal(value)
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


def safe_text(text: str) -> str:
    """Keep a spreadsheet from reading a label as a formula (CSV injection).

    Control characters go first: "=" behind a removed one would otherwise start a formula."""
    text = clean_text(text)
    if text and text[0] in "=+-@\t\r":
        return "'" + text
    return text


def cell_text(value):
    """A text as a cell may hold it: rows stored before input was cleaned can carry Word's vertical
    tab or other control characters, which the XLSX format forbids (openpyxl refuses the whole
    workbook); they become line breaks or go. Other values pass unchanged."""
    return clean_text(value) if isinstance(value, str) else value


def short_title(space, lang: Lang) -> str:
    """A commune's name for a narrow column: "Tân Cảnh", "TT Đăk Tô"."""
    return lang.field(space, "title").replace("UBND xã ", "").replace("UBND thị trấn ", "TT ")


def place_of(space) -> str:
    """Where a commune's documents are dated: "Tân Cảnh", "Đăk Tô" (the township)."""
    for prefix in ("UBND xã ", "UBND thị trấn "):
        if space.title.startswith(prefix):
            return space.title[len(prefix) :]
    return DISTRICT_PLACE


def agency_figures(data, lang: Lang):
    """[(agency, [(label, value)])] of the agencies with accepted figures, and the others."""
    with_figures, without = [], []
    for form, spaces in data.agency_forms:
        for space in spaces:
            rows = [
                (cell_label(e, o, lang), data.by_space[(e.code, o, space.id)])
                for e in form.elements()
                if e.numeric
                for o in e.cells()
                if (e.code, o, space.id) in data.by_space
            ]
            if rows:
                with_figures.append((space, rows))
            else:
                without.append(space)
    return with_figures, without


def option_label(element, option: str, lang: Lang) -> str:
    o = element.disaggregation.option(option) if element.disaggregation and option else None
    return lang.field(o, "label") if o else option


def cell_label(element, option: str, lang: Lang) -> str:
    """ "Trẻ em bị tai nạn thương tích — Nữ"."""
    label = lang.field(element, "label")
    return f"{label} — {option_label(element, option, lang)}" if option else label


def narrative_label(data, form_key: str, key: str, lang: Lang) -> str:
    """A narrative's label in the reader's language (its key for a field the form dropped)."""
    narrative = data.narrative(form_key, key)
    return lang.field(narrative, "label") if narrative else key


def filename(*parts: str, ext: str) -> str:
    """An ASCII file name: "bao-cao-tong-hop-2017-6t.xlsx"."""
    cleaned = (re.sub(r"\.{2,}", ".", re.sub(r"[^A-Za-z0-9_.-]+", "-", p)).strip("-.") for p in parts)
    stem = "-".join(p for p in cleaned if p)
    return f"{stem}.{ext}"


def place_date(place: str, day: dt.date, lang: Lang) -> str:
    """ "Đăk Tô, ngày 05 tháng 6 năm 2017": a day below 10 and the months 1 and 2 take a 0
    (Nghị định 30/2020/NĐ-CP), so that nobody can add a digit in front."""
    return lang.t(
        _("${place}, ${day}/${month}/${year}"),
        place=place,
        day=f"{day.day:02d}",
        month=f"{day.month:02d}" if day.month < 3 else str(day.month),
        year=str(day.year),
    )


# --- Excel -------------------------------------------------------------------------------------------


def _sheet_title(text: str) -> str:
    for ch in "[]:*?/\\":
        text = text.replace(ch, " ")
    return text[:31]


#: Above this many characters of column widths a sheet is printed landscape (A4 portrait holds
#: about 95 at Excel's default font and margins); either way it is shrunk to the page's width.
PORTRAIT_WIDTH = 100


@dataclass(frozen=True)
class Heading:
    """The rows above a sheet's table: the document's title, the unit and the period, so that a
    printed page says what it is."""

    title: str
    unit: str
    period: str

    def lines(self, lang: Lang) -> list[str]:
        return [self.title, f"{lang.t(COL_UNIT)}: {self.unit}", f"{lang.t(COL_PERIOD)}: {self.period}"]


class _Book:
    """An openpyxl workbook with our conventions: title rows, bold frozen header repeated on every
    printed page, widths, A4 fitted to the width, no formulas."""

    def __init__(self, lang: Lang, heading: Heading | None = None):
        from openpyxl import Workbook  # noqa: PLC0415 — openpyxl (0.1 s) only for XLSX exports

        self.lang = lang
        self.heading = heading
        self.wb = Workbook()
        self.wb.remove(self.wb.active)

    def sheet(self, title: str, header: list[str] | None = None, widths: list[float] = ()):
        from openpyxl.utils import get_column_letter  # noqa: PLC0415 — openpyxl (0.1 s) only for XLSX exports

        ws = self.wb.create_sheet(_sheet_title(cell_text(title)))
        for i, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
        self._print_setup(ws, widths)
        if self.heading:
            self._heading(ws, max(len(widths), len(header or ()), 1), sum(widths) or 60)
        if header:
            self.header(ws, header)
        return ws

    def _heading(self, ws, columns: int, width: float):
        """The title, unit and period, each across the table's width, then an empty row."""
        from openpyxl.styles import Alignment, Font  # noqa: PLC0415 — openpyxl (0.1 s) only for XLSX exports

        for i, line in enumerate(self.heading.lines(self.lang)):
            ws.append([cell_text(line)])
            row = ws.max_row
            cell = ws.cell(row=row, column=1)
            cell.data_type = "s"
            cell.font = Font(bold=True, size=13) if i == 0 else Font(bold=True)
            cell.alignment = Alignment(horizontal="center" if i == 0 else "left", vertical="top", wrap_text=True)
            if columns > 1:
                ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=columns)
            # A merged cell does not grow with its text: give the row the lines it needs.
            lines = max(1, math.ceil(len(line) * (1.25 if i == 0 else 1.1) / width))
            ws.row_dimensions[row].height = (18 if i == 0 else 15) * lines
        ws.append([])

    @staticmethod
    def header(ws, values):
        """The table's header: bold, frozen, and repeated at the top of every printed page."""
        from openpyxl.styles import Alignment, Font  # noqa: PLC0415 — openpyxl (0.1 s) only for XLSX exports

        ws.append([cell_text(v) for v in values])
        row = ws.max_row
        for cell in ws[row]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.freeze_panes = f"A{row + 1}"  # a string: ws.cell() would create an empty row
        ws.print_title_rows = f"{row}:{row}"

    @staticmethod
    def _print_setup(ws, widths):
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = (
            ws.ORIENTATION_LANDSCAPE if sum(widths) > PORTRAIT_WIDTH else ws.ORIENTATION_PORTRAIT
        )
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0  # as many pages down as the rows need
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_options.horizontalCentered = True
        ws.oddFooter.center.text = "&P / &N"

    @staticmethod
    def row(ws, values, *, formats=None, bold=False, wrap=False):
        """Append a row; texts stay texts even when they start with "=" (no formula injection)."""
        from openpyxl.styles import Alignment, Font  # noqa: PLC0415 — openpyxl (0.1 s) only for XLSX exports

        ws.append([cell_text(v) for v in values])
        cells = ws[ws.max_row]
        for i, cell in enumerate(cells):
            if isinstance(cell.value, str):
                cell.data_type = "s"
                if wrap:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
            elif isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
                fmt = (formats or {}).get(i)
                cell.number_format = fmt or ("#,##0" if isinstance(cell.value, int) else "#,##0.0")
            elif isinstance(cell.value, dt.datetime):
                cell.number_format = "DD/MM/YYYY HH:MM"
            if bold:
                cell.font = Font(bold=True)
        return cells

    def bytes(self) -> bytes:
        out = io.BytesIO()
        self.wb.save(out)
        return out.getvalue()


def _threshold_format(result) -> str:
    sign = COMPARISON_SIGNS.get(result.comparison, "")
    decimals = "0.0" if result.threshold is not None and result.threshold % 1 else "0"
    percent = ' "%"' if result.indicator.unit == "%" else ""
    return f'"{sign} "#,##{decimals}{percent}'


def _met(result, lang: Lang) -> str:
    """The same verdict as the indicator page: met or not only on the year, with every unit's report."""
    if result.verdict == "hidden":
        return lang.t(VERDICT_HIDDEN)
    return lang.t(VERDICT_LABELS[result.verdict])


def _note(book, ws):
    """The line that says how small counts of children are shown, below a sheet's table."""
    ws.append([])
    book.row(ws, [book.lang.t(SUPPRESSION_NOTE)], wrap=True)


def consolidated_xlsx(data, lang: Lang | None = None) -> bytes:
    """The consolidated report as a workbook: indicators, commune totals, agencies, narratives."""
    lang = lang or vietnamese()
    t = lang.t
    book = _Book(
        lang,
        Heading(
            title=f"{t(CONSOLIDATED)} — {t(CONSOLIDATED_SUBJECT, year=str(data.period.year))}",
            unit=t(DIVISION),
            period=lang.field(data.period, "title"),
        ),
    )

    ws = book.sheet(
        t(SHEET_INDICATORS),
        [t(COL_INDICATOR), t(COL_BASELINE), t(COL_TARGET), t(COL_THRESHOLD), t(COL_ACTUAL), t(COL_RESULT)],
        widths=[60, 14, 36, 14, 14, 16],
    )
    for r in data.indicators or ():
        pct = ' "%"' if r.indicator.unit == "%" else ""
        book.row(
            ws,
            [
                lang.field(r.indicator, "title"),
                number(r.target.baseline) if r.target else None,
                r.target.target_text if r.target else "",
                number(r.threshold),
                number(r.actual),
                _met(r, lang),
            ],
            formats={
                3: _threshold_format(r) if r.threshold is not None else None,
                4: ("#,##0.0" if isinstance(r.actual, Decimal) and r.actual % 1 else "#,##0") + pct,
            },
            wrap=True,
        )
    _note(book, ws)

    ws = book.sheet(
        t(SHEET_COMMUNES),
        [t(COL_ELEMENT), t(COL_TOTAL)] + [short_title(s, lang) for s in data.communes],
        widths=[60, 12] + [12] * len(data.communes),
    )
    for form in data.commune_forms:
        if len(data.commune_forms) > 1:
            book.row(ws, [lang.field(form, "title")], bold=True)
        for element in form.elements():
            if not element.numeric:
                continue
            for option in element.cells():
                book.row(
                    ws,
                    [cell_label(element, option, lang), number(data.by_category.get((element.code, option, "commune")))]
                    + [number(data.by_space.get((element.code, option, s.id))) for s in data.communes],
                    wrap=True,
                )
    _note(book, ws)

    ws = book.sheet(t(SHEET_AGENCIES), [t(COL_UNIT), t(COL_ELEMENT), t(COL_VALUE)], widths=[36, 70, 14])
    for form, spaces in data.agency_forms:
        for space in spaces:
            for element in form.elements():
                if not element.numeric:
                    continue
                for option in element.cells():
                    book.row(
                        ws,
                        [
                            lang.field(space, "title"),
                            cell_label(element, option, lang),
                            number(data.by_space.get((element.code, option, space.id))),
                        ],
                        wrap=True,
                    )
    _note(book, ws)

    ws = book.sheet(t(SHEET_NARRATIVES), [t(COL_UNIT), t(COL_PART), t(COL_TEXT)], widths=[30, 30, 100])
    spaces = data.spaces_by_id
    for space_id, form_key, key, text in data.narratives:
        book.row(
            ws, [lang.field(spaces[space_id], "title"), narrative_label(data, form_key, key, lang), text], wrap=True
        )
    return book.bytes()


# --- CSV ---------------------------------------------------------------------------------------------


def _csv(header: list[str], rows, note: str = "") -> bytes:
    """UTF-8 with a byte order mark: Excel then reads the Vietnamese letters right. ``note``: a
    last line, in the first column (how small counts are shown)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([cell_text(v) for v in header])
    writer.writerows([cell_text(v) for v in row] for row in rows)
    if note:
        writer.writerow([note] + [""] * (len(header) - 1))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _csv_header(lang: Lang) -> list[str]:
    return [
        lang.t(m)
        for m in (COL_UNIT_CODE, COL_UNIT, COL_ELEMENT_CODE, COL_ELEMENT, COL_OPTION_CODE, COL_OPTION, COL_VALUE)
    ]


def consolidated_csv(data, lang: Lang | None = None) -> bytes:
    """One row per unit × element × option of the period's accepted reports."""
    lang = lang or vietnamese()
    by_space: dict[int, dict[tuple[str, str], object]] = {}
    for (code, option, space_id), value in data.by_space.items():
        by_space.setdefault(space_id, {})[(code, option)] = value
    rows = []
    for space in data.spaces:
        values = by_space.get(space.id)
        if not values:
            continue
        seen = set()
        for form in (f for f in data.forms.values() if f.space_kind == space.kind):
            for element in form.elements():
                for option in element.cells():
                    key = (element.code, option)
                    if key in values and key not in seen:
                        seen.add(key)
                        rows.append(
                            [
                                space.slug,
                                safe_text(lang.field(space, "title")),
                                element.code,
                                safe_text(lang.field(element, "label")),
                                option,
                                safe_text(option_label(element, option, lang)),
                                plain(values[key]),
                            ]
                        )
        # Figures of an element the current forms no longer carry (an older form version).
        for code, option in sorted(set(values) - seen):
            rows.append(
                [
                    space.slug,
                    safe_text(lang.field(space, "title")),
                    code,
                    code,
                    option,
                    option,
                    plain(values[(code, option)]),
                ]
            )
    return _csv(_csv_header(lang), rows, lang.t(SUPPRESSION_NOTE))


# --- one unit's report -------------------------------------------------------------------------------


@dataclass
class ReportData:
    """One unit's report as its page shows it: the form it was filed under and what it holds."""

    form: object
    space: object
    period: object
    submission: object
    entry: object
    #: The cells shown as "< 5" (:func:`intranet.reports.outbound.report_hidden`): (code, option),
    #: and (code, None) for an element's total.
    hidden: dict = field(default_factory=dict)

    def value(self, code: str, option: str):
        return self.hidden.get((code, option), self.entry.values.get((code, option)))

    def total(self, code: str):
        return self.hidden.get((code, None), self.entry.total(code))

    @property
    def state(self) -> str:
        return self.submission.state if self.submission else "missing"


def _state_label(state: str, lang: Lang) -> str:
    return lang.t(STATE_LABELS[state])


def _value(element, value, lang: Lang):
    if value is None or (isinstance(value, str) and element.numeric):
        return value
    if element.value_type == "yesno":
        return lang.t(YES if value == 1 else NO)
    if element.value_type == "text":
        return value
    return number(value)


def submission_rows(data: ReportData, lang: Lang):
    """(section, element, option, label, value, is_total) of every cell of the form, in order."""
    for section in data.form.sections:
        for element in section.elements:
            for option in element.cells():
                value = data.value(element.code, option)
                yield section, element, option, cell_label(element, option, lang), _value(element, value, lang), False
            total = data.total(element.code)
            if element.disaggregation and total is not None:
                yield (
                    section,
                    element,
                    "",
                    f"{lang.field(element, 'label')} — {lang.t(COL_TOTAL)}",
                    number(total),
                    True,
                )


def submission_xlsx(data: ReportData, lang: Lang | None = None) -> bytes:
    """One report as a workbook: what it is, its figures; its narratives; its history."""
    from openpyxl.styles import Font  # noqa: PLC0415 — openpyxl (0.1 s) only for XLSX exports

    lang = lang or vietnamese()
    t = lang.t
    book = _Book(
        lang,
        Heading(
            title=lang.field(data.form, "title"),
            unit=lang.field(data.space, "title"),
            period=lang.field(data.period, "title"),
        ),
    )
    ws = book.sheet(t(SHEET_REPORT), widths=[70, 18])
    for label, value in (
        (COL_STATE, _state_label(data.state, lang)),
        (COL_FORM_VERSION, data.submission.form_version if data.submission else None),
    ):
        cells = book.row(ws, [t(label), value])
        cells[0].font = Font(bold=True)
    ws.append([])
    book.header(ws, [t(COL_ELEMENT), t(COL_VALUE)])
    current = None
    for section, _element, _option, label, value, is_total in submission_rows(data, lang):
        if section is not current:
            current = section
            book.row(ws, [lang.field(section, "title")], bold=True)
        book.row(ws, [label, value], bold=is_total, wrap=True)
    _note(book, ws)

    ws = book.sheet(t(SHEET_NARRATIVES), [t(COL_PART), t(COL_TEXT)], widths=[36, 100])
    for narrative in data.form.narratives():
        book.row(ws, [lang.field(narrative, "label"), data.entry.narratives.get(narrative.key, "")], wrap=True)

    ws = book.sheet(
        t(SHEET_HISTORY),
        [t(COL_DATE), t(COL_USER), t(COL_ACTION), t(COL_STATE), t(COL_COMMENT)],
        widths=[18, 28, 16, 16, 80],
    )
    for event in history(data):
        # Stored in UTC; the page shows, and the reader expects, the district's time.
        book.row(
            ws,
            [
                to_local(event.at),
                event.user.full_name if event.user else "",
                _action_label(event.action, lang),
                _state_label(event.to_state, lang),
                event.comment or "",
            ],
            wrap=True,
        )
    return book.bytes()


def history(data: ReportData) -> list:
    return list(data.submission.events) if data.submission else []


def _action_label(action: str, lang: Lang) -> str:
    return lang.t(ACTION_LABELS[action]) if action in ACTION_LABELS else action


def submission_csv(data: ReportData, lang: Lang | None = None) -> bytes:
    """The report's figures, one row per element × option, in the consolidated CSV's columns."""
    lang = lang or vietnamese()
    title = safe_text(lang.field(data.space, "title"))
    rows = []
    for element in data.form.elements():
        for option in element.cells():
            value = data.value(element.code, option)
            if value is None:
                continue
            rows.append(
                [
                    data.space.slug,
                    title,
                    element.code,
                    safe_text(lang.field(element, "label")),
                    option,
                    safe_text(option_label(element, option, lang)),
                    value if value == HIDDEN else safe_text(value) if isinstance(value, str) else plain(value),
                ]
            )
    return _csv(_csv_header(lang), rows, lang.t(SUPPRESSION_NOTE))


# --- PDF ---------------------------------------------------------------------------------------------


def refuse_fetch(url: str, *args, **kwargs):
    """WeasyPrint's URL fetcher: an export fetches nothing, from the network or the disk."""
    raise ValueError(f"exports fetch no resources ({url[:40]})")


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML  # noqa: PLC0415 — WeasyPrint (0.8 s) only for PDF exports

    # Stored texts may carry control characters (see cell_text); none has a place in a document.
    return HTML(string=clean_text(html), url_fetcher=refuse_fetch).write_pdf()


def consolidated_pdf(request, data, today: dt.date | None = None) -> bytes:
    """The consolidated report in the administrative format, signed by the head of the division."""
    lang = Lang.of(request)
    figures, without = agency_figures(data, lang)
    html = render(
        "reports/pdf_consolidated.jinja2",
        {
            "data": data,
            "period": data.period,
            "place_date": place_date(DISTRICT_PLACE, today or local_today(), lang),
            "short_title": lambda s: short_title(s, lang),
            "cell_label": lambda e, o: cell_label(e, o, lang),
            "narrative_label": lambda form_key, key: narrative_label(data, form_key, key, lang),
            "met": lambda r: _met(r, lang),
            "agency_figures": figures,
            "agencies_without": without,
            "spaces_by_id": data.spaces_by_id,
            "comparison_signs": COMPARISON_SIGNS,
            "verdict_hidden": lang.t(VERDICT_HIDDEN),
            "suppression_note": lang.t(SUPPRESSION_NOTE),
        },
        request=request,
    )
    return html_to_pdf(html)


def document_title(form_title: str) -> str:
    """The form's title without its leading "Báo cáo", which the document's heading already says."""
    for prefix in ("Báo cáo ", "báo cáo ", "Report on ", "Report "):
        if form_title.startswith(prefix):
            rest = form_title[len(prefix) :]
            return rest[:1].upper() + rest[1:]
    return form_title


def submission_pdf(request, data: ReportData, today: dt.date | None = None) -> bytes:
    """One unit's report in the administrative format, the unit as issuing body."""
    lang = Lang.of(request)
    rows = list(submission_rows(data, lang))
    commune = data.space.category == "commune"
    place = place_of(data.space) if commune else DISTRICT_PLACE
    html = render(
        "reports/pdf_submission.jinja2",
        {
            "data": data,
            "form": data.form,
            "space": data.space,
            "period": data.period,
            "commune": commune,
            "issuer": lang.field(data.space, "title").upper(),
            "title": document_title(lang.field(data.form, "title")),
            "state_label": _state_label(data.state, lang),
            "sections": [
                (section, [(label, value, is_total) for s, _e, _o, label, value, is_total in rows if s is section])
                for section in data.form.sections
            ],
            "events": history(data),
            "action_label": lambda a: _action_label(a, lang),
            "place_date": place_date(place, today or local_today(), lang),
            "suppression_note": lang.t(SUPPRESSION_NOTE),
        },
        request=request,
    )
    return html_to_pdf(html)
