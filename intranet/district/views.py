from __future__ import annotations

import datetime as dt

from pyramid.httpexceptions import HTTPFound, HTTPNotFound
from pyramid.view import view_config

from intranet.audit.services import record
from intranet.district.forms import DutyFilterForm
from intranet.duties import services as duty_services
from intranet.duties.models import PROGRESS
from intranet.forms import ChoiceField, DateField, Form, PlainNumberField, ValidationError
from intranet.i18n import _, localized
from intranet.numbers import MAX_YEAR, MIN_YEAR
from intranet.plans.services import current_plan
from intranet.reports import outbound
from intranet.reports import services as rs
from intranet.reports.models import Period
from intranet.resources import slug_path
from intranet.security import Permission
from intranet.spaces import services as space_services
from intranet.spaces.labels import CATEGORY_LABELS
from intranet.web import Page, flash, page_number

SPACES_PER_PAGE = 20


@view_config(route_name="district.duties", renderer="district/duties.jinja2", permission=Permission.DISTRICT_VIEW)
def district_duties(request):
    """Every space's duties with their progress and last log date, filterable and printable."""
    plan = current_plan(request.dbsession)
    form = DutyFilterForm(request.GET, request=request)
    if not form.validate():
        # Such a filter is left out of the table: say so rather than show it as if it applied.
        request.response.status_int = 400
    category, slug, status = form.chosen(form.category), form.chosen(form.space), form.chosen(form.status)
    number = page_number(request)
    spaces, total = space_services.spaces_page(
        request.dbsession, category=category, slug=slug, page=number, size=SPACES_PER_PAGE
    )
    progress = duty_services.progress_matrix(request.dbsession, plan.id, [s.id for s in spaces]) if plan else {}
    # A kind's duty titles are worked out once, not once per unit and duty in the template.
    titles: dict[str, list] = {}
    rows = []
    totals = dict.fromkeys(PROGRESS, 0)
    for space in spaces:
        duties = titles.get(space.kind)
        if duties is None:
            duties = titles[space.kind] = [
                (d.key, localized(d, "title")) for d in duty_services.duties_for(request, space)
            ]
        duty_rows = []
        for key, title in duties:
            p = progress.get((space.id, key))
            state = p.progress if p else "not_started"
            totals[state] += 1
            if status and state != status:
                continue
            duty_rows.append((title, state, p.last_date if p else None, p.count if p else 0))
        if duty_rows:
            rows.append({"space": space, "duties": duty_rows})
    all_spaces = space_services.space_titles(request.dbsession)
    return {
        "plan": plan,
        "rows": rows,
        "totals": totals,
        "page": Page(rows, number, SPACES_PER_PAGE, total),
        "form": form,
        "all_spaces": all_spaces,
        "category_labels": CATEGORY_LABELS,
        "progress_labels": duty_services.PROGRESS_LABELS,
        "badges": {state: request.localizer.translate(label) for state, label in duty_services.PROGRESS_LABELS.items()},
        "home": slug_path(request.route_path("spaces.home", slug="")),
    }


# --- reports: completeness, consolidation, indicators ---------------------------------------------


def _period_or_404(request):
    period = rs.period_by_code(request.dbsession, request.matchdict["period"])
    if period is None:
        raise HTTPNotFound()
    return period


def _all_spaces(request):
    return rs.all_spaces(request.dbsession)


@view_config(route_name="district.reports", renderer="district/reports.jinja2", permission=Permission.DISTRICT_VIEW)
def district_reports(request):
    """Every period with its completeness in total."""
    period_list = rs.periods(request.dbsession)
    items = rs.expected_reports(request.dbsession, request.registry, _all_spaces(request), period_list)
    totals = {}
    for period in period_list:
        _per_space, total = rs.completeness([i for i in items if i.period.id == period.id])
        totals[period.id] = total
    return {"periods": period_list, "totals": totals}


@view_config(
    route_name="district.completeness", renderer="district/completeness.jinja2", permission=Permission.DISTRICT_VIEW
)
def district_completeness(request):
    """Expected = submitted (on time + late) + not submitted — in total — and who is overdue."""
    period = _period_or_404(request)
    spaces = _all_spaces(request)
    items = rs.expected_reports(request.dbsession, request.registry, spaces, [period])
    per_space, total = rs.completeness(items)
    return {
        "period": period,
        "items": items,
        "per_space": per_space,
        "total": total,
        "overdue": [i for i in items if i.overdue],
        "state_labels": rs.STATE_LABELS,
        "standing_labels": rs.STANDING_LABELS,
    }


def figure_rows(elements):
    """The rows of a table of figures: ("one", element, "", None) for an undivided element;
    ("head", element, None, None) then ("option", element, code, Option) for a divided one, so
    that a long label is written once above its options rather than on each of them."""
    rows = []
    for el in elements:
        if not el.numeric:
            continue
        if el.disaggregation is None:
            rows.append(("one", el, "", None))
            continue
        rows.append(("head", el, None, None))
        rows.extend(("option", el, o.code, o) for o in el.disaggregation.options)
    return rows


def _commune_tables(data):
    """[(form, communes without an accepted report, [(section, rows)])]: the consolidated
    report's commune tables, one per section of each commune form (rows: :func:`figure_rows`)."""
    tables = []
    for f in data.commune_forms:
        sections = [(section, rows) for section in f.sections if (rows := figure_rows(section.elements))]
        tables.append((f, data.unreported(f), sections))
    return tables


@view_config(
    route_name="district.consolidation", renderer="district/consolidation.jinja2", permission=Permission.DISTRICT_VIEW
)
def district_consolidation(request):
    """The consolidated figures of a period: accepted reports only, summed in SQL. The counts of
    children exact for the coordinator; for every other reader small ones show as "< 5"."""
    data = rs.consolidation(request.dbsession, request.registry, _period_or_404(request))
    exact = outbound.exact_for(request)
    if not exact:
        data = outbound.suppressed_consolidation(data)
    return {
        "suppression_note": None if exact else outbound.NOTE,
        "period": data.period,
        "communes": data.communes,
        "commune_tables": _commune_tables(data),
        "agency_forms": data.agency_forms,
        "figure_rows": figure_rows,
        "by_space": data.by_space,
        "by_category": data.by_category,
        "shared": data.shared,
        "pending": data.pending,
        "accepted": data.accepted,
        "accepted_keys": data.accepted_keys,
        "narratives": data.narratives,
        "narrative": data.narrative,
        "spaces_by_id": data.spaces_by_id,
    }


@view_config(
    route_name="district.indicators", renderer="district/indicators.jinja2", permission=Permission.DISTRICT_VIEW
)
def district_indicators(request):
    """Each indicator of the plan against its target, with a bar chart drawn on the server.

    A target is judged only on the year's period and once every unit that must report the
    indicator's figures has an accepted report; a half-year shows a mid-year reading."""
    period = _period_or_404(request)
    periods = rs.periods(request.dbsession)
    results = rs.compute_indicators(request.dbsession, request.registry, period.plan_id, period.id)
    exact = outbound.exact_for(request)
    if not exact:
        results = outbound.suppressed_indicators(request.dbsession, request.registry, period, results)
    year = next((p for p in periods if p.kind == "year" and p.year == period.year), None)
    return {
        "period": period,
        "results": results,
        "periods": periods,
        "year_period": year,
        "verdict_labels": {**rs.VERDICT_LABELS, "hidden": outbound.VERDICT_HIDDEN},
        "suppression_note": None if exact else outbound.NOTE,
    }


MSG_DATE = _("Enter the date (dd/mm/yyyy).")


class PeriodDatesForm(Form):
    """The due and lock dates of one reporting period (``periods``: the codes it may be)."""

    period = ChoiceField(message=_("Choose a reporting period."))
    due_date = DateField(_("Due date (dd/mm/yyyy)"), required=MSG_DATE)
    lock_date = DateField(_("Lock date (dd/mm/yyyy)"), required=MSG_DATE)

    def __init__(self, formdata=None, *, periods=(), **kwargs):
        super().__init__(formdata, **kwargs)
        self.period.choices = [p.code for p in periods]

    def validate_lock_date(self, field):
        if self.due_date.data is not None and field.data < self.due_date.data:
            raise ValidationError(_("The lock date cannot be before the due date."))


class PeriodYearForm(Form):
    """A year whose reporting periods are to be added; ``taken`` tells a year that has them."""

    year = PlainNumberField(_("Year"), minimum=MIN_YEAR, maximum=MAX_YEAR, required=_("Enter a year, e.g. 2018."))

    def __init__(self, formdata=None, *, taken=lambda year: False, **kwargs):
        self.taken = taken
        super().__init__(formdata, **kwargs)

    def validate_year(self, field):
        if self.taken(field.data):
            raise ValidationError(_("The periods of this year already exist."))


@view_config(
    route_name="district.periods",
    renderer="district/periods.jinja2",
    permission=Permission.PERIODS_MANAGE,
    request_method=("GET", "POST"),
)
def district_periods(request):
    """The reporting periods of each year: due and lock dates, and the periods of a new year."""
    periods = rs.periods(request.dbsession)
    dates = PeriodDatesForm(periods=periods, request=request)
    new_year = PeriodYearForm(request=request)
    if request.method == "POST" and request.POST.get("action") == "dates":
        dates = PeriodDatesForm(request.POST, periods=periods, request=request)
        if dates.validate():
            period = rs.period_by_code(request.dbsession, dates.period.data)
            due, lock = dates.due_date.data, dates.lock_date.data
            before = {"due": period.due_date.isoformat(), "lock": period.lock_date.isoformat()}
            period.due_date, period.lock_date = due, lock
            record(
                request,
                "period.update",
                "period",
                period.code,
                detail={"before": before, "after": {"due": due.isoformat(), "lock": lock.isoformat()}},
            )
            flash(request, _("The dates of the period have been saved."))
            return HTTPFound(location=request.route_path("district.periods"))
        request.response.status_int = 400
    elif request.method == "POST" and request.POST.get("action") == "year":
        new_year = PeriodYearForm(
            request.POST,
            taken=lambda year: rs.period_by_code(request.dbsession, str(year)) is not None,
            request=request,
        )
        if new_year.validate():
            plan = current_plan(request.dbsession)
            year = new_year.year.data
            request.dbsession.add_all(
                [
                    Period(
                        plan_id=plan.id,
                        code=f"{year}-6t",
                        kind="half_year",
                        year=year,
                        title=f"6 tháng đầu năm {year}",
                        title_en=f"First half of {year}",
                        start_date=dt.date(year, 1, 1),
                        end_date=dt.date(year, 6, 30),
                        due_date=dt.date(year, 6, 5),
                        lock_date=dt.date(year, 7, 5),
                    ),
                    Period(
                        plan_id=plan.id,
                        code=str(year),
                        kind="year",
                        year=year,
                        title=f"Năm {year}",
                        title_en=f"Year {year}",
                        start_date=dt.date(year, 1, 1),
                        end_date=dt.date(year, 12, 31),
                        due_date=dt.date(year, 12, 15),
                        lock_date=dt.date(year + 1, 1, 15),
                    ),
                ]
            )
            record(request, "period.create", "period", str(year))
            flash(request, _("The reporting periods of ${year} have been added.", mapping={"year": year}))
            return HTTPFound(location=request.route_path("district.periods"))
        request.response.status_int = 400
    return {"periods": periods, "dates": dates, "new_year": new_year}
