"""The commune plan as a document in the Vietnamese administrative format (Nghị định
30/2020/NĐ-CP): the commune People's Committee as issuing body with the number on the left,
Quốc hiệu and tiêu ngữ on the right, place and date, title, body, recipients and signature.
The print page and the PDF show the same document (the PDF machinery is the reports')."""
from __future__ import annotations

from intranet.i18n import local_date, local_today
from intranet.plans import services
from intranet.reports.exports import Lang, filename, html_to_pdf, place_date, place_of

__all__ = ["document", "filename", "plan_pdf"]


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
    }


def plan_pdf(request, plan, space) -> bytes:
    from pyramid.renderers import render

    html = render("plans/pdf.jinja2", document(request, plan, space), request=request)
    return html_to_pdf(html)
