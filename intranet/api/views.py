"""The JSON API under /api/v1: the pages' services and permissions, JSON in and out.

Counts of children (``intranet.reports.outbound``) leave the district through it: a count from 1
to 4 is the text "< 5", with the counts hidden to protect it, for every caller but a unit reading
its own report. No route reads a case or the child register.

Errors are JSON too: ``{"error": "<code>", "message": "<text in the caller's language>"}``
(Vietnamese unless ``?_LOCALE_=en``), with the HTTP status that fits. A refused request raises,
so that nothing it did is committed.
"""

from __future__ import annotations

import math
from collections import defaultdict
from decimal import Decimal

from pyramid.exceptions import BadCSRFToken
from pyramid.httpexceptions import (
    HTTPBadRequest,
    HTTPConflict,
    HTTPForbidden,
    HTTPNotFound,
    HTTPUnauthorized,
)
from pyramid.security import NO_PERMISSION_REQUIRED
from pyramid.view import exception_view_config, forbidden_view_config, notfound_view_config, view_config

from intranet.accounts import services as accounts
from intranet.api.openapi import openapi_document
from intranet.cases.figures import HIDDEN
from intranet.host import get_registry
from intranet.i18n import _
from intranet.numbers import MAX_PAGE, as_text, parse_plain
from intranet.reports import outbound
from intranet.reports import services as report_services
from intranet.reports.forms import formdata, report_form
from intranet.reports.models import STATES, Period, Submission
from intranet.reports.resources import ReportResource
from intranet.reports.workflow import WORKFLOW as report_workflow
from intranet.resources import Root, slug_path
from intranet.security import Permission
from intranet.security.policy import bearer_token
from intranet.security.roles import LOCAL_ROLE_PERMISSIONS
from intranet.spaces import services as space_services
from intranet.spaces.models import Space
from intranet.workflow.documents import VersionConflict, check_version, save_versioned

#: Reports per page of GET /api/v1/reports.
PAGE_SIZE = 50
API_PATH = r"^/api/"

_STATUS = {400: HTTPBadRequest, 401: HTTPUnauthorized, 403: HTTPForbidden, 404: HTTPNotFound, 409: HTTPConflict}


def api_error(request, status: int, error: str, message, *, headers=None, **extra):
    """An HTTP error whose body is ``{"error", "message", **extra}``; raise it."""
    body = {"error": error, "message": request.localizer.translate(message), **extra}
    return _STATUS[status](json_body=body, content_type="application/json", charset="utf-8", headers=headers)


# --- errors under /api/ are JSON, never a page or a redirect -------------------------------------


@forbidden_view_config(path_info=API_PATH)
def api_forbidden(request):
    if request.identity is None:
        challenge = 'Bearer realm="intranet"'
        if bearer_token(request) is not None:
            challenge += ', error="invalid_token"'
            message = _("The API token is wrong, revoked or belongs to a disabled account.")
        else:
            message = _("Please sign in, or send a valid API token (Authorization: Bearer …).")
        return api_error(request, 401, "unauthorized", message, headers={"WWW-Authenticate": challenge})
    if isinstance(request.context, ReportResource) and not request.has_permission(
        Permission.REPORT_VIEW, request.context
    ):
        # A report the caller may not even read answers as one that does not exist, so that
        # report ids cannot be probed; 403 stays for what they may read but not do.
        return api_error(request, 404, "not_found", _("Not found."))
    return api_error(request, 403, "forbidden", _("You do not have permission to do this."))


@notfound_view_config(path_info=API_PATH)
def api_not_found(exc, request):
    if exc.content_type == "application/json":
        return exc  # an API view's own 404, already explained
    return api_error(request, 404, "not_found", _("Not found."))


@exception_view_config(BadCSRFToken, path_info=API_PATH)
def api_bad_csrf(request):
    message = _("Missing or wrong X-CSRF-Token header (needed with the browser session, not with an API token).")
    return api_error(request, 400, "csrf", message)


# --- the description ---------------------------------------------------------------------------


@view_config(route_name="api.openapi", renderer="json", permission=NO_PERMISSION_REQUIRED, request_method="GET")
def api_openapi(request):
    """The OpenAPI 3.0.3 description of this API."""
    return openapi_document()


# --- reference data ------------------------------------------------------------------------------


@view_config(route_name="api.spaces", renderer="json", permission=Permission.API_READ, request_method="GET")
def api_spaces(request):
    """The spaces the caller may see: slug, kind, category and titles."""
    spaces = space_services.visible_space_rows(request.dbsession, request.identity)
    url = slug_path(request.route_url("spaces.home", slug=""))
    return {
        "spaces": [
            {
                "slug": s.slug,
                "kind": s.kind,
                "category": s.category,
                "title": s.title,
                "title_en": s.title_en,
                "url": url(s.slug),
            }
            for s in spaces
        ]
    }


def period_json(p: Period) -> dict:
    return {
        "code": p.code,
        "kind": p.kind,
        "year": p.year,
        "title": p.title,
        "title_en": p.title_en,
        "start_date": p.start_date,
        "end_date": p.end_date,
        "due_date": p.due_date,
        "lock_date": p.lock_date,
    }


@view_config(route_name="api.periods", renderer="json", permission=Permission.API_READ, request_method="GET")
def api_periods(request):
    """The reporting periods, newest first."""
    return {"periods": [period_json(p) for p in report_services.periods(request.dbsession)]}


@view_config(route_name="api.forms", renderer="json", permission=Permission.API_READ, request_method="GET")
def api_forms(request):
    """Every report form the enabled plugins declare, as the data that defines it."""
    forms = sorted(get_registry(request.registry).forms.values(), key=lambda f: f.key)
    return {"forms": [report_services.definition(f) for f in forms]}


# --- reports -------------------------------------------------------------------------------------


def report_summary(request, submission: Submission, space_slug: str, period_code: str) -> dict:
    return {
        "id": submission.id,
        "url": request.route_url("api.report", report_id=submission.id),
        "form_key": submission.form_key,
        "form_version": submission.form_version,
        "version": submission.version,
        "space": space_slug,
        "period": period_code,
        "state": submission.state,
        "first_submitted_at": submission.first_submitted_at,
        "submitted_at": submission.submitted_at,
        "accepted_at": submission.accepted_at,
        "updated_at": submission.updated_at,
    }


def _list_filter_spaces(request):
    """None when the caller lists reports district-wide, else a subquery of the space ids allowed."""
    if request.has_permission(Permission.REPORTS_LIST, Root(request)):
        return None
    identity = request.identity
    listing = [
        m.space_id for m in identity.memberships if Permission.REPORTS_LIST in LOCAL_ROLE_PERMISSIONS.get(m.role, ())
    ]
    visible = space_services.visible_spaces_query(identity).where(Space.id.in_(listing or [-1]))
    return visible.with_only_columns(Space.id).order_by(None)


@view_config(route_name="api.reports", renderer="json", permission=Permission.API_READ, request_method="GET")
def api_reports(request):
    """The reports the caller may list, filtered by ?period=, ?space=, ?state=, 50 a page."""
    db = request.dbsession
    params = request.GET
    allowed = _list_filter_spaces(request)
    period_id = space_id = None
    period_code = params.get("period", "").strip()
    if period_code:
        period = report_services.period_by_code(db, period_code[:20])
        if period is None:
            raise api_error(
                request, 400, "unknown_period", _("There is no reporting period with this code."), parameter="period"
            )
        period_id = period.id
    slug = params.get("space", "").strip()
    if slug:
        space_id = space_services.space_id_by_slug(db, slug[:64], within=allowed)
        if space_id is None:
            # A unit the caller may not list is answered like one that does not exist.
            raise api_error(
                request, 400, "unknown_space", _("There is no unit with this name that you may see."), parameter="space"
            )
    state = params.get("state", "").strip()
    if state and state not in STATES:
        raise api_error(
            request, 400, "unknown_state", _("Unknown report state."), parameter="state", allowed=list(STATES)
        )
    page = parse_plain(params.get("page", "1").strip(), minimum=1, maximum=MAX_PAGE - 1)
    if page is None:
        raise api_error(request, 400, "invalid_page", _("The page must be a whole number from 1."), parameter="page")
    rows, total = report_services.reports_page(
        db, within=allowed, period_id=period_id, space_id=space_id, state=state or None, page=page, size=PAGE_SIZE
    )
    return {
        "reports": [report_summary(request, sub, slug_, code) for sub, slug_, code in rows],
        "total": total,
        "page": page,
        "page_size": PAGE_SIZE,
        "pages": max(1, math.ceil(total / PAGE_SIZE)),
    }


def _user_names(db, submission) -> dict[int, str]:
    return accounts.full_names(db, {ev.user_id for ev in submission.events if ev.user_id is not None})


def report_detail(request, form) -> dict:
    ctx = request.context
    submission = ctx.submission
    stored = {(v.element_code, v.option): v for v in submission.values}
    cells = {}
    for element in form.elements() if form else ():
        for option in element.cells():
            row = stored.get((element.code, option))
            if row is not None:
                cells[(element.code, option)] = row.value_text if element.value_type == "text" else row.value_num
    hidden = (
        {} if outbound.exact_for(request, ctx.space.id, api=True) or not form else outbound.report_hidden(form, cells)
    )
    values = [
        {"element": code, "option": option, "value": hidden.get((code, option), value)}
        for (code, option), value in cells.items()
    ]
    names = _user_names(request.dbsession, submission)
    return {
        **report_summary(request, submission, ctx.space.slug, ctx.period.code),
        "locked": ctx.locked,
        "timeliness": report_services.timeliness(submission, ctx.period),
        "can_edit": bool(request.has_permission(Permission.REPORT_EDIT)),
        "values": values,
        # Whether some counts of children show as "< 5" (or were hidden to protect one).
        "suppressed": bool(hidden),
        "narratives": {n.key: n.text for n in submission.narratives},
        "history": [
            {
                "at": ev.at,
                "action": ev.action,
                "from_state": ev.from_state,
                "to_state": ev.to_state,
                "user": names.get(ev.user_id),
                "comment": ev.comment,
            }
            for ev in submission.events
        ],
    }


def _form(request):
    ctx = request.context
    return report_services.form_of(request.dbsession, request.registry, ctx.submission, ctx.form_key)


@view_config(route_name="api.report", renderer="json", permission=Permission.REPORT_VIEW, request_method="GET")
def api_report(request):
    """One report: its figures, narratives and history."""
    return report_detail(request, _form(request))


# --- saving a report's values --------------------------------------------------------------------


def _ref(code: str, option: str) -> str:
    """How the API names a cell, as rules do: "code" or "code[option]"."""
    return f"{code}[{option}]" if option else code


def _raw(element, value):
    """The JSON value as the text the page's parser reads: (text, error)."""
    if value is None:
        return "", None
    if element.value_type == "text":
        if isinstance(value, str):
            return value, None
        return "", _("Send this field as text (a JSON string).")
    if isinstance(value, bool):
        if element.value_type == "yesno":
            return ("1" if value else "0"), None
        return "", _("A figure must be sent as a JSON number.")
    if isinstance(value, int):
        return str(value), None
    if isinstance(value, float):
        if not math.isfinite(value):
            return "", _("A figure must be sent as a JSON number.")
        if element.value_type == "percentage":
            return as_text(Decimal(repr(value))), None  # 12.5 -> "12,5", the way the page's parser reads it
        if value.is_integer():
            return str(int(value)), None
        # Not a whole number: the parser's own message for this type (it reads "." as grouping).
        return "", report_services.parse_value(element, "?")[1]
    return "", _("A figure must be sent as a JSON number.")


def _entry_from_body(request, form, submission):
    """Read the PUT body through the report's form, as the page's figures are read: (the version
    sent, the form read). Raises the 400 that explains what is wrong with the body itself."""
    try:
        body = request.json_body
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise api_error(request, 400, "bad_request", _("The body must be a JSON object."))
    version = body.get("version")
    values = body.get("values")
    narratives = body.get("narratives")
    if not isinstance(version, int) or isinstance(version, bool):
        raise api_error(request, 400, "bad_request", _('"version" must be the report\'s version (a whole number).'))
    if not isinstance(values, list):
        raise api_error(request, 400, "bad_request", _('"values" must be a list.'))
    if narratives is not None and not isinstance(narratives, dict):
        raise api_error(request, 400, "bad_request", _('"narratives" must be an object.'))

    cells: dict[tuple[str, str], str] = {}
    type_errors: dict[str, object] = {}
    for item in values:
        if (
            not isinstance(item, dict)
            or not isinstance(item.get("element"), str)
            or not isinstance(item.get("option", ""), str)
            or "value" not in item
        ):
            raise api_error(
                request, 400, "bad_request", _('Each value must be an object with "element", "option" and "value".')
            )
        code, option = item["element"], item.get("option", "")
        element = form.element(code)
        if element is None:
            raise api_error(
                request, 400, "unknown_element", _("This report form has no such data element."), element=code
            )
        if option not in element.cells():
            raise api_error(
                request,
                400,
                "unknown_option",
                _("This data element has no such disaggregation option."),
                element=code,
                option=option,
                allowed=[o for o in element.cells()],
            )
        if (code, option) in cells:
            raise api_error(
                request, 400, "duplicate_value", _("The same figure is sent twice."), element=code, option=option
            )
        cells[(code, option)], problem = _raw(element, item["value"])
        if problem is not None:
            type_errors[report_services.field_name(code, option)] = problem
    known = {n.key for n in form.narratives()}
    if narratives is None:
        # Not sent: the narratives stay as they are.
        texts = {n.key: n.text for n in submission.narratives}
    else:
        texts = {}
        for key, text in narratives.items():
            if key not in known:
                raise api_error(
                    request, 400, "unknown_narrative", _("This report form has no such narrative part."), narrative=key
                )
            if text is not None and not isinstance(text, str):
                raise api_error(request, 400, "bad_request", _("A narrative must be text or null."), narrative=key)
            texts[key] = text or ""
    # The cells as the page would send them: the same form reads both.
    entry_form = report_form(form, formdata(cells, texts), request=request)
    entry_form.validate()
    for name, problem in type_errors.items():
        entry_form.add_error(name, problem)
    return version, entry_form


def _error_fields(form) -> dict[str, str]:
    names = {report_services.field_name(e.code, o): _ref(e.code, o) for e in form.elements() for o in e.cells()}
    names.update({f"n.{n.key}": f"narratives.{n.key}" for n in form.narratives()})
    return names


@view_config(route_name="api.report_values", renderer="json", permission=Permission.REPORT_EDIT, request_method="PUT")
def api_report_values(request):
    """Replace a draft's figures (and narratives, when sent); the same checks as the report page."""
    ctx = request.context
    submission = ctx.submission
    if submission is None:
        raise api_error(request, 404, "not_found", _("Not found."))
    form = _form(request)
    version, entry_form = _entry_from_body(request, form, submission)
    try:
        check_version(version, submission)
    except VersionConflict as exc:
        raise api_error(
            request,
            409,
            "conflict",
            _("Someone saved this report after you read it. Read it again and re-apply your changes."),
            version=exc.current,
        ) from None
    if entry_form.has_errors:
        fields = _error_fields(form)
        raise api_error(
            request,
            400,
            "invalid",
            _("Some figures need correcting."),
            errors={fields.get(k, k): request.localizer.translate(v) for k, v in entry_form.messages.items()},
        )

    def store():
        report_services.store_entry(submission, form, entry_form.entry())
        return submission

    save_versioned(
        request,
        report_workflow,
        document=submission,
        sent_version=version,
        store=store,
        submit=False,
        subject=lambda _doc: report_services.report_subject(ctx.space, form, ctx.period),
        locked=ctx.locked,
        audit_detail={"via": "api"},
    )
    return report_detail(request, form)


# --- the district's figures ----------------------------------------------------------------------


@view_config(route_name="api.consolidation", renderer="json", permission=Permission.DISTRICT_VIEW, request_method="GET")
def api_consolidation(request):
    """A period's accepted figures summed for the communes and the agencies, and the indicators."""
    period = report_services.period_by_code(request.dbsession, request.matchdict["period"][:20])
    if period is None:
        raise api_error(request, 404, "unknown_period", _("There is no reporting period with this code."))
    _by_space, by_category = report_services.consolidated_values(request.dbsession, period.id)
    data = report_services.consolidation(request.dbsession, request.registry, period, indicators=True)
    # Outside the district, whoever calls: the counts of children as they may leave it.
    shown = outbound.consolidation_shown(data)
    sums: dict[tuple[str, str], dict] = defaultdict(dict)
    for code, option, category, total in by_category:
        sums[(code, option)][category] = total
    # A score or a rate means nothing added across units: the page says "not added", so does this.
    forms = list(get_registry(request.registry).forms.values())
    not_summed = report_services.non_summable_codes(forms)
    # Figures that the communes and an agency report about the same children are not added together.
    overlapping = {
        code for code, els in report_services.elements_by_code(forms).items() if any(e.overlapping for e in els)
    }
    elements = []
    for (code, option), per in sorted(sums.items()):
        if code in not_summed:
            elements.append({"element": code, "option": option, "communes": None, "agencies": None, "total": None})
            continue
        present = [v for v in per.values() if v is not None]
        total = sum(present) if present and (code not in overlapping or len(present) == 1) else None
        # One side alone: its total is the district's.
        whole = (
            (code, option, "all") if len(present) > 1 else (code, option, "commune" if "commune" in per else "agency")
        )
        elements.append(
            {
                "element": code,
                "option": option,
                "communes": shown.get((code, option, "commune"), per.get("commune")),
                "agencies": shown.get((code, option, "agency"), per.get("agency")),
                "total": HIDDEN if total is not None and shown.get(whole) == HIDDEN else total,
            }
        )
    results = [outbound.hide_indicator(r, shown) for r in data.indicators]
    indicators = [
        {
            "key": r.indicator.key,
            "title": r.indicator.title,
            "title_en": r.indicator.title_en,
            "unit": r.indicator.unit,
            "better": r.indicator.better,
            "baseline": r.target.baseline if r.target else None,
            "target_text": r.target.target_text if r.target else None,
            "threshold": r.threshold,
            "comparison": r.comparison,
            "actual": r.actual,
            "met": r.met,
            "achievement": r.achievement,
            "suppressed": getattr(r, "suppressed", False),
        }
        for r in results
    ]
    return {"period": period_json(period), "basis": "accepted", "elements": elements, "indicators": indicators}
