"""The child register's pages: ``/spaces/<commune>/children`` and one page per child.

Only what :mod:`intranet.cases.resources` lets through reaches these views: whoever else asks gets
404. Every page that shows a child's identifying fields, and every change, writes one line in the
audit trail, naming the child by its reference only; what was typed never goes there.
"""

from __future__ import annotations

from pyramid.httpexceptions import HTTPFound, HTTPNotFound
from pyramid.view import view_config

from intranet.audit.services import record
from intranet.cases import figures, services
from intranet.cases.ethnicities import ethnicities
from intranet.cases.forms import SEX_LABELS, ChildForm, GroupForm, SearchForm, SupportForm
from intranet.cases.groups import default_catalogue
from intranet.cases.keys import get_keyring
from intranet.cases.resources import no_store
from intranet.i18n import _, local_today
from intranet.reports import services as report_services
from intranet.security import Permission
from intranet.spaces import services as space_services
from intranet.web import Page, flash, page_number

#: Entries per page of the register.
PAGE_SIZE = 50


def _age(born, today) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _common(request) -> dict:
    return {
        "space": request.context.space,
        "sex_labels": SEX_LABELS,
        "ethnicities": ethnicities(),
        "groups": default_catalogue(),
        "can_edit": request.has_permission(Permission.CHILDREN_EDIT, request.context),
    }


@view_config(
    route_name="children.list",
    renderer="cases/register.jinja2",
    permission=Permission.CHILDREN_VIEW,
    request_method="GET",
)
def register(request):
    space = request.context.space
    keyring = get_keyring(request.registry)
    search = SearchForm(request.GET, request=request) if request.GET.get("name") or request.GET.get("born") else None
    references = None
    if search is not None:
        if search.validate():
            references = services.find_in_register(
                request.dbsession, keyring, space.id, search.name.data, search.born.data
            )
        else:
            request.response.status_int = 400
            references = []
    number = page_number(request)
    rows, total = services.register_page(
        request.dbsession, keyring, space.id, page=number, size=PAGE_SIZE, references=references
    )
    if rows or search is not None:
        record(
            request,
            "children.search" if search is not None else "children.list",
            "child_register",
            space.slug,
            space_id=space.id,
            detail={"page": number, "shown": [row.reference for row in rows]},
        )
    today = local_today()
    return {
        **_common(request),
        "page": Page(rows, number, PAGE_SIZE, total),
        "ages": {row.reference: _age(row.date_of_birth, today) for row in rows},
        "search": search or SearchForm(request=request),
        "searched": search is not None,
    }


def _duplicates(request, space, form) -> list[dict]:
    """The entries of the district that are likely this child, as the warning shows them."""
    rows = services.duplicate_entries(
        request.dbsession, get_keyring(request.registry), form.full_name.data, form.date_of_birth.data
    )
    return [{"reference": r.reference, "slug": r.slug, "unit": r, "here": r.slug == space.slug} for r in rows]


def _fields(form) -> services.ChildFields:
    return services.ChildFields(
        full_name=form.full_name.data,
        date_of_birth=form.date_of_birth.data,
        sex=form.sex.data,
        ethnicity=form.ethnicity.data or None,
        village=form.village.data,
        carers=form.carers.data,
        contact=form.contact.data,
        notes=form.notes.data,
    )


@view_config(
    route_name="children.new",
    renderer="cases/child_form.jinja2",
    permission=Permission.CHILDREN_EDIT,
    request_method=("GET", "POST"),
)
def child_new(request):
    space = request.context.space
    if request.method != "POST":
        return {**_common(request), "form": ChildForm(request=request), "entry": None, "duplicates": []}
    form = ChildForm(request.POST, request=request)
    duplicates = []
    if form.validate():
        duplicates = _duplicates(request, space, form)
        if duplicates and request.POST.get("not_a_duplicate") != "1":
            # Shown before saving, never saved without the officer's word that it is another child.
            record(
                request,
                "child.duplicates_shown",
                "child_register",
                space.slug,
                space_id=space.id,
                detail={"references": [d["reference"] for d in duplicates]},
            )
            return {**_common(request), "form": form, "entry": None, "duplicates": duplicates}
        try:
            child = services.register_child(
                request.dbsession, get_keyring(request.registry), space.id, _fields(form), request.identity.id
            )
        except services.ChildRegisterError as exc:
            form.add_error(exc.field, exc.message)
        else:
            record(
                request,
                "child.create",
                "child",
                child.reference,
                space_id=space.id,
                detail={"duplicates_seen": [d["reference"] for d in duplicates]},
            )
            flash(request, _("The child has been entered in the register as ${reference}."), reference=child.reference)
            return HTTPFound(location=request.route_path("children.view", slug=space.slug, reference=child.reference))
    request.response.status_int = 400
    return {**_common(request), "form": form, "entry": None, "duplicates": duplicates}


def _entry_page(request, *, group_form=None, support_form=None) -> dict:
    child = request.context.child
    db = request.dbsession
    entry, groups, supports = services.entry_details(db, get_keyring(request.registry), child)
    today = local_today()
    titles = services.unit_titles(db, [s.provider_space_id for s in supports])
    catalogue = default_catalogue()
    return {
        **_common(request),
        "entry": entry,
        "age": _age(entry.date_of_birth, today),
        "memberships": groups,
        "supports": supports,
        "providers": titles,
        "today": today,
        "group_form": group_form or GroupForm(request=request, groups=catalogue.in_force_on(today).groups),
        "support_form": support_form
        or SupportForm(request=request, units=space_services.space_choices(db), data={"given_on": today}),
    }


@view_config(
    route_name="children.view", renderer="cases/child.jinja2", permission=Permission.CHILDREN_VIEW, request_method="GET"
)
def child_view(request):
    child = request.context.child
    record(request, "child.view", "child", child.reference, space_id=child.space_id)
    return _entry_page(request)


@view_config(
    route_name="children.edit",
    renderer="cases/child_form.jinja2",
    permission=Permission.CHILDREN_EDIT,
    request_method=("GET", "POST"),
)
def child_edit(request):
    child = request.context.child
    keyring = get_keyring(request.registry)
    entry = services.read_child(keyring, child)
    if request.method != "POST":
        record(request, "child.view", "child", child.reference, space_id=child.space_id, detail={"form": "edit"})
        values = entry.fields()
        form = ChildForm(
            request=request,
            data={
                "full_name": values.full_name,
                "date_of_birth": values.date_of_birth,
                "sex": values.sex,
                "ethnicity": values.ethnicity or "",
                "village": values.village,
                "carers": values.carers,
                "contact": values.contact,
                "notes": values.notes,
                "version": entry.version,
            },
        )
        return {**_common(request), "form": form, "entry": entry, "duplicates": [], "conflict": None}
    form = ChildForm(request.POST, request=request)
    form.validate()
    if form.version.data != child.version:
        # Saved by someone else since the form was opened: show what is saved, overwrite nothing.
        record(request, "child.view", "child", child.reference, space_id=child.space_id, detail={"form": "conflict"})
        request.response.status_int = 409
        return {**_common(request), "form": form, "entry": entry, "duplicates": [], "conflict": entry}
    if not form.has_errors:
        try:
            changed = services.update_child(
                request.dbsession,
                keyring,
                child,
                _fields(form),
                request.identity.id,
                expected_version=form.version.data,
            )
        except services.ChildRegisterError as exc:
            if exc.code == "stale":
                request.response.status_int = 409
                return {**_common(request), "form": form, "entry": entry, "duplicates": [], "conflict": entry}
            form.add_error(exc.field, exc.message)
        else:
            if changed:
                record(request, "child.update", "child", child.reference, space_id=child.space_id)
                flash(request, _("The register entry has been corrected."))
            return HTTPFound(
                location=request.route_path("children.view", slug=child_slug(request), reference=child.reference)
            )
    request.response.status_int = 400
    return {**_common(request), "form": form, "entry": entry, "duplicates": [], "conflict": None}


def child_slug(request) -> str:
    return request.context.space.slug


@view_config(
    route_name="children.groups",
    renderer="cases/child.jinja2",
    permission=Permission.CHILDREN_EDIT,
    request_method="POST",
)
def child_group_add(request):
    child = request.context.child
    catalogue = default_catalogue()
    form = GroupForm(request.POST, request=request, groups=catalogue.in_force_on(local_today()).groups)
    if form.validate():
        try:
            services.add_group(
                request.dbsession,
                child,
                form.group_code.data,
                form.from_date.data,
                form.until_date.data,
                request.identity.id,
                catalogue=catalogue,
            )
        except services.ChildRegisterError as exc:
            form.add_error(exc.field, exc.message)
        else:
            record(
                request,
                "child.group_add",
                "child",
                child.reference,
                space_id=child.space_id,
                detail={"group": form.group_code.data},
            )
            flash(request, _("The group has been recorded."))
            return HTTPFound(
                location=request.route_path("children.view", slug=child_slug(request), reference=child.reference)
            )
    request.response.status_int = 400
    record(request, "child.view", "child", child.reference, space_id=child.space_id)
    return _entry_page(request, group_form=form)


@view_config(
    route_name="children.supports",
    renderer="cases/child.jinja2",
    permission=Permission.CHILDREN_EDIT,
    request_method="POST",
)
def child_support_add(request):
    child = request.context.child
    db = request.dbsession
    form = SupportForm(request.POST, request=request, units=space_services.space_choices(db))
    if form.validate():
        provider = form.provider.data
        provider_id = space_services.space_id_by_slug(db, provider) if provider else None
        try:
            services.add_support(
                db,
                get_keyring(request.registry),
                child,
                form.description.data,
                form.given_on.data,
                provider_id,
                request.identity.id,
            )
        except services.ChildRegisterError as exc:
            form.add_error(exc.field, exc.message)
        else:
            record(
                request,
                "child.support_add",
                "child",
                child.reference,
                space_id=child.space_id,
                detail={"provider": provider or None},
            )
            flash(request, _("The support has been recorded."))
            return HTTPFound(
                location=request.route_path("children.view", slug=child_slug(request), reference=child.reference)
            )
    request.response.status_int = 400
    record(request, "child.view", "child", child.reference, space_id=child.space_id)
    return _entry_page(request, support_form=form)


# --- the plan's child indicators, counted from the registers ---------------------------------------


@view_config(
    route_name="children.figures",
    renderer="cases/figures.jinja2",
    permission=Permission.CHILD_FIGURES,
    request_method="GET",
)
def child_figures(request):
    """The plan's child indicators per commune for a reporting period, counted from the registers:
    exact for the coordinator, with small counts hidden for everyone else (the provincial viewer)."""
    request.add_response_callback(no_store)
    db = request.dbsession
    period = report_services.period_by_code(db, request.matchdict["period"])
    if period is None:
        raise HTTPNotFound()
    exact = bool(request.has_permission(Permission.CHILD_FIGURES_EXACT, request.context))
    rows = figures.communes(db)
    lines = figures.district_lines(db, [r.id for r in rows], period.start_date, period.end_date, exact=exact)
    return {
        "period": period,
        "periods": report_services.periods(db),
        "communes": rows,
        "lines": lines,
        "exact": exact,
        "hidden": figures.HIDDEN,
    }
