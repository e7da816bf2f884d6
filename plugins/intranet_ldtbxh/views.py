"""Pages of the registry of models, clubs and counselling points, under /p/ldtbxh/registry.

Who may do what comes from the resource tree: a unit's resource hangs under its commune's space,
so the commune's head and officers log its activities (REGISTRY_LOG, a local-role permission)
and nobody else's; every signed-in user reads the registry (REGISTRY_VIEW); the coordinator and
the administrator add units and change them (REGISTRY_MANAGE). A closed unit takes no new log.
"""

from __future__ import annotations

from pyramid.authorization import Deny, Everyone
from pyramid.httpexceptions import HTTPFound, HTTPNotFound
from pyramid.view import view_config

from intranet.plugin import Permission as CorePermission
from intranet.plugin.numbers import parse_id
from intranet.plugin.web import (
    Page,
    flash,
    local_today,
    page_number,
    page_size,
    period_by_code,
    record,
    reporting_periods,
    root_resource,
    space_resource,
)

from . import services
from .i18n import _
from .models import ACTIVITY_COUNSELLING, ACTIVITY_KINDS, KIND_COUNSELLING, UNIT_KINDS, Unit, UnitActivity
from .permissions import Permission
from .webforms import ActivityForm, UnitForm

TEMPLATES = "intranet_ldtbxh:templates/"


class UnitResource:
    """One unit of the registry, under its commune's space (whose local roles apply)."""

    def __init__(self, unit: Unit, commune, parent):
        self.unit = unit
        self.commune = commune
        self.__name__ = str(unit.id)
        self.__parent__ = parent

    @property
    def __acl__(self):
        if self.unit.state == "closed":
            return [(Deny, Everyone, (Permission.REGISTRY_LOG,))]
        return []


def unit_resource(request, unit, commune) -> UnitResource:
    return UnitResource(unit, commune, space_resource(request, commune))


def registry_factory(request):
    return root_resource(request)


def unit_factory(request):
    unit_id = parse_id(request.matchdict["unit_id"])
    if unit_id is None:
        raise HTTPNotFound()
    found = services.load_unit(request.dbsession, unit_id, for_update=request.method == "POST")
    if found is None:
        raise HTTPNotFound()
    return unit_resource(request, *found)


def includeme(config):
    config.add_route("ldtbxh.registry", "/registry", factory=registry_factory)
    config.add_route("ldtbxh.unit_add", "/registry/new", factory=registry_factory)
    config.add_route("ldtbxh.unit", r"/registry/{unit_id:\d+}", factory=unit_factory)
    config.add_route("ldtbxh.unit_edit", r"/registry/{unit_id:\d+}/edit", factory=unit_factory)
    config.add_route("ldtbxh.activity_add", r"/registry/{unit_id:\d+}/activities/new", factory=unit_factory)
    config.scan(".views")


# --- the list ------------------------------------------------------------------------------------


def _selected_period(request):
    """The period whose activities are counted: ?period=<code>, else the latest one begun."""
    periods = reporting_periods(request.dbsession)
    code = request.params.get("period")
    if code:
        chosen = period_by_code(request.dbsession, code)
        if chosen is not None:
            return periods, chosen
    today = local_today()
    running = [p for p in periods if p.start_date <= today <= p.end_date]
    ended = [p for p in periods if p.end_date < today]
    if running:  # the shortest period under way: the half-year in May, the year in October
        chosen = min(running, key=lambda p: p.end_date)
    elif ended:  # the longest of the latest periods: the year once it is over
        chosen = max(ended, key=lambda p: (p.end_date, p.end_date - p.start_date))
    else:
        chosen = periods[0] if periods else None
    return periods, chosen


@view_config(
    route_name="ldtbxh.registry",
    renderer=TEMPLATES + "registry.jinja2",
    permission=Permission.REGISTRY_VIEW,
    request_method="GET",
)
def registry(request):
    periods, period = _selected_period(request)
    if period is not None:
        start, end = period.start_date, period.end_date
    else:
        today = local_today()
        start, end = today.replace(month=1, day=1), today.replace(month=12, day=31)
    communes = services.communes(request.dbsession)
    params = request.params
    chosen = params.get("commune")
    commune = next((c for c in communes if c.slug == chosen), None) if chosen else None
    kind = params.get("kind") if params.get("kind") in UNIT_KINDS else None
    rows = services.registry_rows(request.dbsession, start, end, space_id=commune.id if commune else None, kind=kind)
    groups: list[tuple[str, list]] = []
    for row in rows:
        if not groups or groups[-1][0] != row.unit.kind:
            groups.append((row.unit.kind, []))
        groups[-1][1].append(row)
    # A unit's rules depend only on its commune (the local roles) and its state (a closed unit takes
    # no log): ask once per commune and state, not once per unit.
    may_log: dict[tuple[int, str], bool] = {}
    for row in rows:
        key = (row.commune.id, row.unit.state)
        if key not in may_log:
            resource = unit_resource(request, row.unit, row.commune)
            may_log[key] = bool(request.has_permission(Permission.REGISTRY_LOG, resource))
    can_log = {row.unit.id for row in rows if may_log[(row.commune.id, row.unit.state)]}
    english = request.locale_name == "en"
    return {
        "groups": groups,
        "total": len(rows),
        "periods": periods,
        "period": period,
        "start": start,
        "end": end,
        # The filter's two hundred options are built in one pass (the core's options() helper).
        "commune_choices": [(c.slug, (english and c.title_en) or c.title) for c in communes],
        "commune": commune,
        "kind": kind,
        "can_log": can_log,
        "can_manage": request.can(Permission.REGISTRY_MANAGE),
        "kind_labels": services.KIND_LABELS,
        "state_labels": services.STATE_LABELS,
    }


# --- one unit --------------------------------------------------------------------------------------


@view_config(
    route_name="ldtbxh.unit",
    renderer=TEMPLATES + "unit.jinja2",
    permission=Permission.REGISTRY_VIEW,
    request_method="GET",
)
def unit_page(request):
    unit = request.context.unit
    size = page_size(request)
    number = page_number(request)
    items, total = services.activities_page(request.dbsession, unit.id, page=number, size=size)
    return {
        "unit": unit,
        "commune": request.context.commune,
        "page": Page(items, number, size, total),
        "totals": services.unit_totals(request.dbsession, unit.id),
        "can_log": request.has_permission(Permission.REGISTRY_LOG, request.context),
        "can_manage": request.has_permission(Permission.REGISTRY_MANAGE, request.context),
        # Every reader sees the registry, not every reader may open the commune's page.
        "can_open_commune": request.has_permission(CorePermission.SPACE_VIEW, request.context.__parent__),
        "kind_labels": services.KIND_LABELS,
        "state_labels": services.STATE_LABELS,
        "activity_labels": services.ACTIVITY_LABELS,
        "topic_labels": services.TOPIC_LABELS,
    }


# --- logging an activity ---------------------------------------------------------------------------


def _activity_page(request, form):
    unit = request.context.unit
    kinds = list(ACTIVITY_KINDS)
    if unit.kind == KIND_COUNSELLING:  # what a counselling point mostly logs comes first
        kinds.remove(ACTIVITY_COUNSELLING)
        kinds.insert(0, ACTIVITY_COUNSELLING)
    return {
        "unit": unit,
        "commune": request.context.commune,
        "form": form,
        "kinds": kinds,
        "activity_labels": services.ACTIVITY_LABELS,
        "kind_labels": services.KIND_LABELS,
    }


@view_config(
    route_name="ldtbxh.activity_add",
    renderer=TEMPLATES + "activity_form.jinja2",
    permission=Permission.REGISTRY_LOG,
    request_method=("GET", "POST"),
)
def activity_add(request):
    unit = request.context.unit
    kind = request.params.get("kind", "")
    if kind not in ACTIVITY_KINDS:
        kind = ""  # the page asks for the kind first; a form sent without one is refused
    if request.method == "GET":
        form = ActivityForm(kind=kind, data={"activity_date": local_today()}, request=request)
        return _activity_page(request, form)

    form = ActivityForm(request.POST, kind=kind, unit=unit, today=local_today(), request=request)
    if not form.validate():
        request.response.status_int = 400
        return _activity_page(request, form)
    activity = UnitActivity(unit_id=unit.id, author_id=request.identity.id)
    form.apply(activity)
    request.dbsession.add(activity)
    request.dbsession.flush()
    record(
        request,
        "ldtbxh.activity.create",
        "ldtbxh_unit_activity",
        activity.id,
        space_id=unit.space_id,
        detail={"after": services.snapshot_activity(activity)},
    )
    flash(request, _("The activity has been logged."))
    return HTTPFound(location=request.route_path("ldtbxh.unit", unit_id=unit.id))


# --- managing units --------------------------------------------------------------------------------


def _unit_form_page(request, form, unit=None):
    return {"form": form, "unit": unit}


def _unit_form(request, **kwargs) -> UnitForm:
    """The unit form, its commune one of the district's communes."""
    return UnitForm(communes=services.communes(request.dbsession), today=local_today(), request=request, **kwargs)


@view_config(
    route_name="ldtbxh.unit_add",
    renderer=TEMPLATES + "unit_form.jinja2",
    permission=Permission.REGISTRY_MANAGE,
    request_method=("GET", "POST"),
)
def unit_add(request):
    if request.method == "GET":
        return _unit_form_page(request, _unit_form(request))
    form = _unit_form(request, formdata=request.POST)
    if not form.validate():
        request.response.status_int = 400
        return _unit_form_page(request, form)
    unit = Unit()
    form.apply(unit)
    request.dbsession.add(unit)
    request.dbsession.flush()
    record(
        request,
        "ldtbxh.unit.create",
        "ldtbxh_unit",
        unit.id,
        space_id=unit.space_id,
        detail={"after": services.snapshot_unit(unit)},
    )
    flash(request, _("It has been added to the registry."))
    return HTTPFound(location=request.route_path("ldtbxh.unit", unit_id=unit.id))


@view_config(
    route_name="ldtbxh.unit_edit",
    renderer=TEMPLATES + "unit_form.jinja2",
    permission=Permission.REGISTRY_MANAGE,
    request_method=("GET", "POST"),
)
def unit_edit(request):
    unit = request.context.unit
    if request.method == "GET":
        return _unit_form_page(request, _unit_form(request, obj=unit), unit)
    form = _unit_form(request, formdata=request.POST)
    if not form.validate():
        request.response.status_int = 400
        return _unit_form_page(request, form, unit)
    before = services.snapshot_unit(unit)
    form.apply(unit)
    request.dbsession.flush()
    record(
        request,
        "ldtbxh.unit.update",
        "ldtbxh_unit",
        unit.id,
        space_id=unit.space_id,
        detail={"before": before, "after": services.snapshot_unit(unit)},
    )
    flash(request, _("The changes have been saved."))
    return HTTPFound(location=request.route_path("ldtbxh.unit", unit_id=unit.id))
