"""Reading and checking what was typed into a report, for callers that hold a spec and plain
values rather than a form: each function reads through the report's form
(:mod:`intranet.reports.forms`), so the page, the API, the demo data and the exports read alike."""

from __future__ import annotations

from webob.multidict import MultiDict

from intranet.plugin.forms import DataElement, ReportForm
from intranet.reports.forms import (  # noqa: F401 (the callers' names)
    MAX_FIGURE,
    MAX_LINES,
    MAX_TEXT,
    OPS,
    Entry,
    field_name,
    formdata,
    read_cell,
    report_form,
    report_form_of,
    rule_field,
    write_cell,
)
from intranet.reports.models import Submission
from intranet.workflow import TransitionCode, TransitionError  # noqa: F401 (the callers' names)


def parse_value(element: DataElement, raw: str):
    """(value, error message) for one typed cell, by its value type; (None, None) when empty."""
    return read_cell(element, raw)


def display_raw(element: DataElement, value) -> str:
    """A saved value written as its field shows it."""
    return write_cell(element, value)


def read_entry(form: ReportForm, post) -> Entry:
    """Read the report page's form (a POST, or a plain mapping); see :func:`read_values`."""
    if not hasattr(post, "getall") and not hasattr(post, "getlist"):
        post = MultiDict(post)
    entry_form = report_form(form, post)
    entry_form.validate()
    return entry_form.entry()


def read_values(form: ReportForm, cells: dict[tuple[str, str], str], texts: dict[str, str]) -> Entry:
    """Read figures typed as text, by (element code, option), and narratives, by key.

    Format errors are kept beside their field (errors are keyed by the page's field name), and
    nothing typed is lost.
    """
    return read_entry(form, formdata(cells, texts))


def entry_from_submission(form: ReportForm, submission: Submission | None) -> Entry:
    """What a stored report holds."""
    if submission is None:
        return Entry()
    return report_form_of(form, submission).entry()


def check_for_submission(form: ReportForm, entry: Entry, *, english: bool = False) -> None:
    """Add the errors that block submitting: missing compulsory values and broken rules.

    An error the entry already has (a figure that could not be read) stays the one shown.
    """
    data = {field_name(code, option): value for (code, option), value in entry.values.items()}
    data.update({f"n.{key}": text for key, text in entry.narratives.items()})
    checked = report_form(form, data=data)
    checked.validate(submit=True, english=english)
    for name, message in checked.messages.items():
        entry.errors.setdefault(name, message)
