"""Pages of the child-friendly commune assessment: the commune's self-assessment and the district's
verification, the district overview, and the criteria sets with their import."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple
from urllib.parse import quote

from pyramid.httpexceptions import HTTPForbidden, HTTPFound, HTTPNotFound
from pyramid.response import Response
from pyramid.traversal import PATH_SAFE, quote_path_segment
from pyramid.view import view_config

from intranet.assessments import importer, services
from intranet.assessments.forms import CriteriaYearForm
from intranet.assessments.models import CriteriaSet
from intranet.assessments.workflow import WORKFLOW
from intranet.audit.services import record
from intranet.documents.labels import UPLOAD_MESSAGES
from intranet.documents.models import Blob
from intranet.documents.services import UploadError, blob_data, read_upload
from intranet.i18n import _, format_number, local_today, localized
from intranet.numbers import parse_id, parse_plain
from intranet.plans.services import current_plan
from intranet.plugin import criteria as spec
from intranet.security import Permission
from intranet.web import Page, flash, page_number
from intranet.workflow import TransitionCode, TransitionError
from intranet.workflow.documents import Subject, VersionConflict, check_version, perform
from intranet.workflow.forms import CommentForm


def _labels():
    return {
        "state_labels": services.STATE_LABELS,
        "action_labels": services.ACTION_LABELS,
        "rule_labels": services.RULE_LABELS,
        "scoring_labels": services.SCORING_LABELS,
    }


def _edit_url(request, space, year):
    return request.route_path("assessments.edit", slug=space.slug, year=year)


# --- the commune's years -------------------------------------------------------------------------


@view_config(
    route_name="assessments.space", renderer="assessments/space.jinja2", permission=Permission.ASSESSMENTS_LIST
)
def space_assessments(request):
    space = request.context.space
    assessments = services.assessments_by_year(request.dbsession, space.id)
    years = set(assessments) | set(services.plan_years(request.dbsession)) | {local_today().year}
    return {"space": space, "years": sorted(years, reverse=True), "assessments": assessments, **_labels()}


# --- one assessment ------------------------------------------------------------------------------


def _set_and_criteria(request):
    """(set row, definition, criteria) the assessment uses or would use; (None, None, []) if none."""
    ctx = request.context
    if ctx.assessment is not None:
        row = ctx.assessment.criteria_set
        return row, services.definition_of(row), list(row.criteria)
    row = services.set_for_year(request.dbsession, ctx.year, with_criteria=True)
    if row is None:
        return None, None, []
    return row, services.definition_of(row), list(row.criteria)


def _offered_figures(request, criteria):
    """Report figures offered to the commune: live while it edits, as saved afterwards."""
    ctx = request.context
    a = ctx.assessment
    if a is not None and a.state not in ("draft", "returned"):
        return a.prefill
    refs = [ref for c in criteria for ref in (c.prefill or [])]
    return services.report_figures(request.dbsession, request.registry, ctx.space.id, ctx.year, refs)


def _accepted_on(offered):
    raw = ((offered or {}).get("source") or {}).get("accepted_at")
    return dt.datetime.fromisoformat(raw) if raw else None


def _page(request, entry=None, *, conflict=None, verify_entry=None, set_info=None, offered=None, files_dropped=False):
    ctx = request.context
    a = ctx.assessment
    row, definition, criteria = set_info or _set_and_criteria(request)
    if offered is None and row is not None:
        offered = _offered_figures(request, criteria)
    if row is not None and entry is None:
        # The class to propose matters only before the assessment exists (it keeps its own).
        proposed = services.default_class(request.dbsession, ctx.space.id, definition) if a is None else ""
        entry = services.entry_from_assessment(a, criteria, offered, proposed)
    result, final = services.current_result(a, criteria) if a is not None else (None, False)
    evidence: dict[int, list] = {}
    for ev in a.evidence if a else []:
        evidence.setdefault(ev.criterion_id, []).append(ev)
    return {
        "space": ctx.space,
        "year": ctx.year,
        "assessment": a,
        "state": ctx.state,
        "set_row": row,
        "definition": definition,
        "criteria": criteria,
        "entry": entry,
        "verify_entry": verify_entry or (entry if a is not None else None),
        "offered": offered,
        "offered_accepted": _accepted_on(offered),
        "figure_labels": services.figure_labels(request.registry),
        "evidence": evidence,
        "result": result,
        "final": final,
        "conflict": conflict,
        "files_dropped": files_dropped,
        "version": a.version if a else 0,
        "can_edit": bool(request.has_permission(Permission.ASSESSMENT_EDIT)),
        "can_submit": bool(request.has_permission(Permission.ASSESSMENT_SUBMIT)),
        "can_verify": bool(request.has_permission(Permission.ASSESSMENT_VERIFY)),
        "can_manage_criteria": bool(request.has_permission(Permission.CRITERIA_MANAGE, request.root)),
        **_labels(),
    }


@view_config(
    route_name="assessments.edit",
    renderer="assessments/edit.jinja2",
    permission=Permission.ASSESSMENT_VIEW,
    request_method="GET",
)
def assessment_view(request):
    return _page(request)


def _read_uploads(request, criteria):
    max_bytes = int(request.registry.settings["intranet.max_upload_bytes"])
    uploads, errors = {}, {}
    for c in criteria:
        for f in request.POST.getall(f"file.{c.id}"):
            if not hasattr(f, "file") or not getattr(f, "filename", None):
                continue
            try:
                uploads.setdefault(c.id, []).append(read_upload(f, max_bytes))
            except UploadError as exc:
                errors[f"file.{c.id}"] = _(UPLOAD_MESSAGES[exc.code], mapping={"name": f.filename[:100]})
    return uploads, errors


def _sent_version(request) -> int | None:
    """The version the form was opened at; None (a conflict) when the field is junk."""
    return parse_plain(request.POST.get("version", "0"))


def _conflict(request, set_info, entry):
    """Someone saved or moved this assessment since the form was opened: show both, keep both."""
    ctx = request.context
    request.response.status_int = 409
    row, definition, criteria = set_info
    saved = services.entry_from_assessment(ctx.assessment, criteria, None, "")
    return _page(request, entry, conflict=saved, set_info=set_info)


@view_config(
    route_name="assessments.edit",
    renderer="assessments/edit.jinja2",
    permission=Permission.ASSESSMENT_EDIT,
    request_method="POST",
)
def assessment_save(request):
    """Save the self-assessment as a draft, or save and submit it to the district."""
    ctx = request.context
    submit = request.POST.get("action") == "submit"
    if submit and not request.has_permission(Permission.ASSESSMENT_SUBMIT):
        raise HTTPForbidden()
    set_info = _set_and_criteria(request)
    row, definition, criteria = set_info
    if row is None:
        flash(request, _("No criteria set is in force for this year yet."), "error")
        return HTTPFound(location=_edit_url(request, ctx.space, ctx.year))
    entry = services.read_self_entry(request.POST, criteria, definition)
    try:
        check_version(_sent_version(request), ctx.assessment)
    except VersionConflict:
        return _conflict(request, set_info, entry)
    uploads, upload_errors = _read_uploads(request, criteria)
    entry.errors.update(upload_errors)
    if submit:
        services.check_for_submission(entry, criteria, definition)
    if entry.errors:
        request.response.status_int = 400
        # The browser does not send chosen files back: say so, as the duty log does.
        return _page(request, entry, set_info=set_info, files_dropped=any(uploads.values()) or bool(upload_errors))

    assessment = ctx.assessment
    if assessment is None:
        assessment = services.create_assessment(request.dbsession, ctx.space.id, ctx.year, row, entry.commune_class)
        assessment.criteria_set = row
    before = assessment.state
    services.store_self(assessment, criteria, entry)
    remove = {parse_id(x) for x in request.POST.getall("remove_evidence")} - {None}
    for ev in list(assessment.evidence):
        if ev.id in remove:
            assessment.evidence.remove(ev)
    for criterion_id, files in uploads.items():
        services.attach_evidence(request.dbsession, assessment, criterion_id, files, request.identity.id)
    assessment.prefill = _offered_figures(request, criteria) if before in ("draft", "returned") else assessment.prefill
    request.dbsession.flush()
    perform(
        request,
        WORKFLOW,
        assessment,
        "submit" if submit else "save",
        assessment_subject(ctx.space, ctx.year),
        audit_detail={
            "set": f"{row.key} v{row.version}",
            "files": sum(len(f) for f in uploads.values()),
            "removed_files": len(remove),
        },
    )
    flash(
        request,
        _("The assessment has been submitted to the district.")
        if submit
        else _("The assessment has been saved as a draft."),
    )
    return HTTPFound(location=_edit_url(request, ctx.space, ctx.year))


def assessment_subject(space, year: int) -> Subject:
    return Subject(
        audit_prefix="assessment",
        obj_type="assessment",
        space=space,
        path=f"/spaces/{space.slug}/assessments/{year}",
        title=f"Đánh giá xã, thị trấn phù hợp với trẻ em năm {year}",
        detail={"year": year},
    )


def _transition(request, action: str):
    ctx = request.context
    a = ctx.assessment
    url = _edit_url(request, ctx.space, ctx.year)
    if a is None:
        flash(request, _("This assessment does not exist yet."), "error")
        return HTTPFound(location=url)
    set_info = _set_and_criteria(request)
    _row, definition, criteria = set_info
    try:
        check_version(_sent_version(request), a)
    except VersionConflict:
        return _conflict(request, set_info, None)
    comments = CommentForm(request.POST, request=request)
    if not comments.validate():
        flash(request, comments.refusal(), "error")
        return HTTPFound(location=url)
    comment = comments.text
    before = a.state
    if action == "verify":
        entry = services.read_verify_entry(request.POST, a, criteria, definition)
        if WORKFLOW.find(before, action) is None:
            flash(request, _("This action is not possible in the assessment's current state."), "error")
            return HTTPFound(location=url)
        if entry.errors:
            request.response.status_int = 400
            return _page(request, None, verify_entry=entry, set_info=set_info)
        services.store_verification(a, criteria, entry)

    def detail(doc):
        if action != "verify":
            return {}
        return {
            "result": doc.result,
            "adjusted": [
                c.code for c in criteria if any(s.criterion_id == c.id and s.adjustment_reason for s in doc.scores)
            ],
        }

    try:
        perform(
            request,
            WORKFLOW,
            a,
            action,
            assessment_subject(ctx.space, ctx.year),
            comment=comment,
            audit_detail=detail,
            snapshot=services.snapshotter(criteria),
        )
    except TransitionError as exc:
        flash(
            request,
            {
                TransitionCode.COMMENT_REQUIRED: _(
                    "Please write a comment: it is required to return, not recognise or reopen an assessment."
                ),
                TransitionCode.NOT_PASSED: _(
                    "The verified result does not meet the recognition rules: the commune cannot be recognised."
                ),
            }.get(exc.code, _("This action is not possible in the assessment's current state.")),
            "error",
        )
        return HTTPFound(location=url)
    flash(
        request,
        {
            "return": _("The assessment has been returned to the commune with your comment."),
            "verify": _("The assessment has been verified; its result is kept as verified."),
            "recognise": _("The commune has been recognised as child-friendly."),
            "not_recognise": _("The commune has not been recognised; your comment is kept with the assessment."),
            "reopen": _("The assessment has been reopened for verification."),
        }[action],
    )
    return HTTPFound(location=url)


@view_config(
    route_name="assessments.transition",
    renderer="assessments/edit.jinja2",
    permission=Permission.ASSESSMENT_VERIFY,
    request_method="POST",
    request_param="action=verify",
)
def assessment_verify(request):
    """Save the verified scores and keep the computed result (the snapshot)."""
    return _transition(request, "verify")


@view_config(
    route_name="assessments.transition",
    renderer="assessments/edit.jinja2",
    permission=Permission.ASSESSMENT_VERIFY,
    request_method="POST",
    request_param="action=return",
)
def assessment_return(request):
    """Return the assessment to the commune with a comment."""
    return _transition(request, "return")


@view_config(
    route_name="assessments.transition",
    renderer="assessments/edit.jinja2",
    permission=Permission.ASSESSMENT_VERIFY,
    request_method="POST",
    request_param="action=recognise",
)
def assessment_recognise(request):
    """Recognise the commune (only when the verified result meets the rules)."""
    return _transition(request, "recognise")


@view_config(
    route_name="assessments.transition",
    renderer="assessments/edit.jinja2",
    permission=Permission.ASSESSMENT_VERIFY,
    request_method="POST",
    request_param="action=not_recognise",
)
def assessment_not_recognise(request):
    """Decide not to recognise the commune, with a comment."""
    return _transition(request, "not_recognise")


@view_config(
    route_name="assessments.transition",
    renderer="assessments/edit.jinja2",
    permission=Permission.ASSESSMENT_VERIFY,
    request_method="POST",
    request_param="action=reopen",
)
def assessment_reopen(request):
    """Reopen a decided assessment for verification, with a comment."""
    return _transition(request, "reopen")


@view_config(route_name="assessments.evidence", permission=Permission.ASSESSMENT_VIEW, request_method="GET")
def evidence_file(request):
    """Serve an evidence file of the assessment to someone who may read it."""
    a = request.context.assessment
    evidence_id = parse_id(request.matchdict["evidence_id"])
    if a is None or evidence_id is None:
        raise HTTPNotFound()
    ev = services.evidence_of(request.dbsession, a.id, evidence_id)
    if ev is None:
        raise HTTPNotFound()

    blob = request.dbsession.get(Blob, ev.blob_sha256)
    record(request, "assessment.evidence_download", "assessment_evidence", ev.id, space_id=a.space_id)
    response = Response(body=blob_data(request.dbsession, ev.blob_sha256), content_type=blob.content_type)
    response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(ev.filename)}"
    response.headers["Cache-Control"] = "private, no-store"
    return response


# --- the district --------------------------------------------------------------------------------


def _year_param(request, default: int) -> int:
    year = parse_plain(request.params.get("year", ""), minimum=services.MIN_YEAR, maximum=services.MAX_YEAR)
    return default if year is None else year


def _default_year(request) -> int:
    plan = current_plan(request.dbsession)
    return plan.year if plan else local_today().year


def _overview_year(request, in_force) -> int:
    """The year the district overview opens on: this year when a criteria set is in force for it;
    else the latest earlier year that has one (a set assigned to it), else the first year of the
    next set. The plan's year (2017) has none: the 2019 criteria would never show by default."""
    this_year = local_today().year
    if in_force(this_year) is not None:
        return this_year
    anchors = set(services.criteria_valid_from(request.dbsession)) | {
        year for year, _set in services.year_assignments(request.dbsession)
    }
    past = [y for y in anchors if y is not None and y <= this_year]
    future = [y for y in anchors if y is not None and y > this_year]
    if past:
        return max(past)
    return min(future) if future else _default_year(request)


#: A slug no commune has (slugs are lower-case letters, digits and hyphens).
_SLUG_MARK = "{slug}"


def _assessment_paths(request, year: int):
    """slug -> the path of that commune's assessment of ``year``: one route built per page, not one
    per row, the slug quoted exactly as the route quotes it."""
    marker = quote_path_segment(_SLUG_MARK, safe=PATH_SAFE)
    head, _marker, tail = request.route_path("assessments.edit", slug=_SLUG_MARK, year=year).partition(marker)
    return lambda slug: head + quote_path_segment(slug, safe=PATH_SAFE) + tail


#: Communes per page of the district overview, as on the district's list of commune plans.
COMMUNES_PER_PAGE = 30


@view_config(
    route_name="assessments.district", renderer="assessments/district.jinja2", permission=Permission.ASSESSMENTS_LIST
)
def district_overview(request):
    """The nine communes of a year: state, total, class, threshold, result."""
    sets = {}

    def in_force(year):
        # The page asks for the set of this year and of the year shown, often the same one.
        if year not in sets:
            sets[year] = services.set_for_year(request.dbsession, year)
        return sets[year]

    year = _year_param(request, None) or _overview_year(request, in_force)
    number = page_number(request)
    found = services.overview(request.dbsession, year, page=number, size=COMMUNES_PER_PAGE)
    translate = request.localizer.translate
    return {
        "year": year,
        "lines": _overview_lines(request, year, found.rows, found.definitions),
        "page": Page(found.rows, number, COMMUNES_PER_PAGE, found.communes),
        "in_force": in_force(year),
        "recognised": found.recognised,
        "can_manage_criteria": bool(request.has_permission(Permission.CRITERIA_MANAGE)),
        "verdicts": {key: translate(label) for key, label in OVERVIEW_VERDICTS.items()},
        "provisional": translate(_("provisional: the commune's own scores")),
        **_labels(),
    }


#: What the overview's last column says of an assessment with a result.
OVERVIEW_VERDICTS = {
    "recognised": _("Recognised"),
    "not_recognised": _("Not recognised"),
    "passed": _("Meets the rules"),
    "failed": _("Does not meet the rules"),
}


class OverviewLine(NamedTuple):
    """One commune of the district overview, as the page prints it."""

    path: str
    title: str
    badge: str  # the state, or "missing" when not begun
    state_name: str
    total: str
    class_title: str
    threshold: str
    verdict: str | None  # a key of OVERVIEW_VERDICTS, None without a result
    provisional: bool


def _overview_lines(request, year: int, rows, definitions) -> list[OverviewLine]:
    """The overview's rows worked out in one loop: a page of two hundred communes costs a template
    expression per cell, not a dozen (the names, the classes and the numbers are read here)."""
    translate = request.localizer.translate
    path = _assessment_paths(request, year)
    names = {state: translate(label) for state, label in services.STATE_LABELS.items()}

    def number(value) -> str:
        return "—" if value is None else format_number(value)

    lines = []
    for r in rows:
        space, a, result = r.space, r.assessment, r.result
        title = localized(space, "title")
        if a is None:
            lines.append(OverviewLine(path(space.slug), title, "missing", names["none"], "—", "—", "—", None, False))
            continue
        definition = definitions.get(a.criteria_set_id)
        cls = definition.commune_class(a.commune_class) if definition else None
        if not result:
            verdict = None
        elif a.state in ("recognised", "not_recognised"):
            verdict = a.state
        else:
            verdict = "passed" if result.get("passed") else "failed"
        lines.append(
            OverviewLine(
                path(space.slug),
                title,
                a.state,
                names[a.state],
                number(result.get("total")) if result else "—",
                localized(cls, "title") if cls else "—",
                number(result.get("threshold")) if result else "—",
                verdict,
                bool(result) and not r.final,
            )
        )
    return lines


def _criteria_page(request, *, problems=(), message=None):
    return {
        "sets": services.all_sets(request.dbsession),
        "assignments": services.year_assignments(request.dbsession),
        "problems": list(problems),
        "message": message,
        "can_manage": bool(request.has_permission(Permission.CRITERIA_MANAGE)),
        "default_year": _default_year(request),
        **_labels(),
    }


@view_config(
    route_name="assessments.criteria", renderer="assessments/criteria.jinja2", permission=Permission.ASSESSMENTS_LIST
)
def criteria_sets(request):
    """The stored criteria sets, which set each year uses, and the import form."""
    return _criteria_page(request)


@view_config(
    route_name="assessments.criteria_import",
    renderer="assessments/criteria.jinja2",
    permission=Permission.CRITERIA_MANAGE,
    request_method="POST",
)
def criteria_import(request):
    """Import a criteria set from a YAML or XLSX file; a malformed file stores nothing."""
    upload = request.POST.get("file")
    if not hasattr(upload, "file") or not getattr(upload, "filename", None):
        request.response.status_int = 400
        return _criteria_page(request, message=_("Choose a YAML or Excel (XLSX) file to import."))
    filename = upload.filename.replace("\\", "/").rsplit("/", 1)[-1][:200]
    data = upload.file.read(1024 * 1024 + 1)
    try:
        cset = importer.parse_criteria(data, filename)
    except spec.CriteriaSetError as exc:
        request.response.status_int = 400
        return _criteria_page(request, problems=exc.problems)
    unknown = services.unknown_prefill(request.registry, cset)
    if unknown:
        request.response.status_int = 400
        return _criteria_page(
            request,
            problems=[
                spec.Problem(
                    file=filename,
                    field="criteria.prefill",
                    message=_(
                        "Criterion ${code}: “${ref}” is not a figure of any report form.",
                        mapping={"code": code, "ref": ref},
                    ),
                )
                for code, ref in unknown
            ],
        )
    try:
        row, created = services.store_set(
            request.dbsession, cset, source=f"import:{filename}", user_id=request.identity.id
        )
    except services.SetConflict:
        request.response.status_int = 400
        return _criteria_page(
            request,
            message=_(
                "A different criteria set “${key}” version ${version} is already stored. A stored set never "
                "changes: give the changed file a new version number and import it again.",
                mapping={"key": cset.key, "version": cset.version},
            ),
        )
    if not created:
        flash(
            request,
            _(
                "This criteria set (“${key}” version ${version}) is already stored; nothing changed.",
                mapping={"key": cset.key, "version": cset.version},
            ),
        )
        return HTTPFound(location=request.route_path("assessments.criteria"))
    record(
        request,
        "criteria_set.import",
        "criteria_set",
        row.id,
        detail={"key": row.key, "version": row.version, "file": filename, "criteria": len(cset.criteria)},
    )
    flash(
        request,
        _(
            "The criteria set “${title}” (version ${version}, ${n} criteria) has been imported.",
            mapping={"title": row.title, "version": row.version, "n": len(cset.criteria)},
        ),
    )
    return HTTPFound(location=request.route_path("assessments.criteria"))


@view_config(
    route_name="assessments.criteria_year",
    renderer="assessments/criteria.jinja2",
    permission=Permission.CRITERIA_MANAGE,
    request_method="POST",
)
def criteria_year(request):
    """Choose the set a year's new assessments use (blank: the one with the latest valid_from)."""
    form = CriteriaYearForm(request.POST, request=request)
    form.validate()
    if form.year.errors:
        request.response.status_int = 400
        return _criteria_page(request, message=form.year.errors[0])
    year = form.year.data
    set_id = None
    if form.set_chosen:
        set_id = form.set_id.data
        row = request.dbsession.get(CriteriaSet, set_id) if set_id is not None else None
        if row is None:
            request.response.status_int = 400
            return _criteria_page(request, message=_("Choose one of the stored criteria sets."))
        set_id = row.id
    services.assign_year(request.dbsession, year, set_id, request.identity.id)
    record(request, "criteria_set.assign_year", "criteria_set", set_id, detail={"year": year})
    flash(
        request,
        _(
            "The criteria set for ${year} has been saved. Assessments already started keep their own set.",
            mapping={"year": year},
        ),
    )
    return HTTPFound(location=request.route_path("assessments.criteria"))
