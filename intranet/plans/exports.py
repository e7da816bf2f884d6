"""The commune plan as a document in the Vietnamese administrative format (Nghị định
30/2020/NĐ-CP): the commune People's Committee as issuing body with the number on the left,
Quốc hiệu and tiêu ngữ on the right, place and date, title, body, recipients and signature.
The print page and the PDF show the same document (the PDF machinery is the reports')."""

from __future__ import annotations

import re

from pyramid.renderers import render

from intranet.i18n import local_date, local_today
from intranet.plans import services
from intranet.reports.exports import Lang, filename, html_to_pdf, place_date, place_of

__all__ = ["breakable", "document", "filename", "plan_pdf"]

#: A run of 20 characters without a space gets a place to wrap (not before a combining mark).
_UNBROKEN = re.compile(r"(\S{20})(?=\S)(?![\u0300-\u036f])")
ZERO_WIDTH_SPACE = "\u200b"


def breakable(text: str) -> str:
    """``text`` with a zero-width space after every 20 characters of a run without a space.

    WeasyPrint wraps a long word by trying one character more at a time, which made a PDF of long
    unbroken texts (pasted links, "-----") twice as slow as the same length in words.
    """
    return _UNBROKEN.sub(lambda m: m.group(1) + ZERO_WIDTH_SPACE, text or "")


def _as_is(text: str) -> str:
    return text or ""


def document(request, plan, space) -> dict:
    """What the document shows: dated the day it was approved (today for a plan not approved yet)."""
    lang = Lang.of(request)
    day = local_date(plan.approved_at) if plan.approved_at else local_today()
    return {
        "plan": plan,
        "space": space,
        "issuer": space.title.upper(),
        "place_date": place_date(place_of(space), day, lang),
        "activities": list(plan.activities),
        "budget_total": sum(a.budget for a in plan.activities),
        "months_text": services.months_text,
        "section_labels": services.SECTION_LABELS,
        "state_labels": services.STATE_LABELS,
        # The browser wraps long words itself; only the PDF needs the help.
        "wrap": _as_is,
    }


def plan_pdf(request, plan, space) -> bytes:
    html = render("plans/pdf.jinja2", {**document(request, plan, space), "wrap": breakable}, request=request)
    return html_to_pdf(html)
