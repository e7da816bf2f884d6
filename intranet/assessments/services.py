"""Criteria sets in the database, assessments, their scoring, pre-filled figures and transitions.

A stored set never changes: a different file under the same key and version is refused, a new
version is a new row. An assessment keeps the set it was created under; verifying it keeps a
snapshot of the computed result (``Assessment.result``), which nothing recomputes afterwards.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import Integer, bindparam, case, func, or_, select
from sqlalchemy.orm import defer, joinedload, selectinload
from webob.multidict import MultiDict

from intranet.assessments import forms as assessment_forms
from intranet.assessments.models import (
    Assessment,
    AssessmentEvent,
    AssessmentEvidence,
    AssessmentScore,
    CriteriaSet,
    CriteriaYear,
    CriterionRow,
)
from intranet.assessments.workflow import WORKFLOW
from intranet.documents.services import store
from intranet.forms import Form
from intranet.host import get_registry
from intranet.i18n import _, utc_start_of
from intranet.plans.models import Plan
from intranet.plugin import criteria as spec
from intranet.reports.services import form as form_of
from intranet.reports.services.accepted import accepted_reports_of_year
from intranet.spaces.models import Space
from intranet.workflow import TransitionCode, TransitionError  # noqa: F401 (the callers' names)

STATE_LABELS = {
    "none": _("Not assessed"),
    "draft": _("Draft"),
    "submitted": _("Submitted"),
    "returned": _("Returned"),
    "verified": _("Verified"),
    "recognised": _("Recognised"),
    "not_recognised": _("Not recognised"),
}
ACTION_LABELS = {
    "save": _("Saved"),
    "submit": _("Submitted"),
    "return": _("Returned"),
    "verify": _("Verified"),
    "recognise": _("Recognised"),
    "not_recognise": _("Not recognised"),
    "reopen": _("Reopened"),
}
RULE_LABELS = {
    "all_met": _("Every criterion is met"),
    "none_zero": _("No criterion scores 0"),
    "total_threshold": _("The total reaches the threshold of the commune's class"),
}
SCORING_LABELS = {"points": _("Points"), "pass_fail": _("Met / not met")}
#: Kon Tum is a mountain province: Đăk Tô's communes default to this class where a set has it.
DEFAULT_CLASS = "mountain_island_hard"
MAX_TEXT = 4000
MIN_YEAR, MAX_YEAR = 2000, 2100
#: The largest figure beside a criterion.
MAX_FIGURE = 10**12 - 1


# --- criteria sets -------------------------------------------------------------------------------


class SetConflict(ValueError):
    """The same key and version is stored already with different content."""


def fingerprint(data: dict) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def unknown_prefill(registry, cset: spec.CriteriaSet) -> list[tuple[str, str]]:
    """(criterion code, ref) of every pre-fill reference no report form carries."""
    elements = get_registry(registry).elements
    bad = []
    for c in cset.criteria:
        for ref in c.prefill:
            code, _sep, option = ref.partition("[")
            element = elements.get(code)
            if (
                element is None
                or not element.numeric
                or (
                    option
                    and (element.disaggregation is None or element.disaggregation.option(option.rstrip("]")) is None)
                )
            ):
                bad.append((c.code, ref))
    return bad


def store_set(dbsession, cset: spec.CriteriaSet, *, source: str, user_id: int | None = None):
    """Store a checked set: (row, created). The same content again is a no-op; other content under
    the same key and version raises :class:`SetConflict`."""
    data = cset.as_data()
    digest = fingerprint(data)
    found = dbsession.scalars(
        select(CriteriaSet).where(CriteriaSet.key == cset.key, CriteriaSet.version == cset.version)
    ).one_or_none()
    if found is not None:
        if found.fingerprint != digest:
            raise SetConflict(cset.key)
        return found, False
    lb = cset.legal_basis
    row = CriteriaSet(
        key=cset.key,
        version=cset.version,
        title=cset.title,
        title_en=cset.title_en,
        legal_number=lb.number,
        legal_date=lb.date,
        legal_issuer=lb.issuer,
        valid_from=cset.valid_from,
        scoring=cset.scoring,
        definition=data,
        fingerprint=digest,
        source=source[:255],
        imported_by=user_id,
        criteria=[],
    )
    for position, c in enumerate(cset.criteria):
        row.criteria.append(
            CriterionRow(
                code=c.code,
                position=position,
                title=c.title,
                title_en=c.title_en,
                max_points=c.max_points,
                prefill=list(c.prefill),
            )
        )
    dbsession.add(row)
    dbsession.flush()
    return row, True


#: Parsed criteria sets, by fingerprint. A stored set never changes (:func:`store_set` refuses
#: other content under a stored key and version; a new version is a new row) and its fingerprint
#: is the SHA-256 of its definition, so one fingerprint is one definition whatever the row or the
#: database: a set parsed once is right for the life of the process. Only a definition that
#: matches its fingerprint is kept. A district stores a few sets a decade; the bound is a guard.
_PARSED: dict[str, spec.CriteriaSet] = {}
_PARSED_MAX = 64


def definition_of(row: CriteriaSet) -> spec.CriteriaSet:
    """The set a stored row keeps, parsed once per process. The queries of this module defer the
    ``definition`` column: it is read from the database only the first time."""
    found = _PARSED.get(row.fingerprint)
    if found is None:
        found = _parse(row.definition, row.fingerprint)
    return found


def _parse(data: dict, digest: str) -> spec.CriteriaSet:
    parsed = spec.from_data(data)
    if fingerprint(data) == digest:
        if len(_PARSED) >= _PARSED_MAX:
            _PARSED.clear()
        _PARSED[digest] = parsed
    return parsed


def definitions_by_id(dbsession, fingerprints: dict[int, str]) -> dict[int, spec.CriteriaSet]:
    """{set id: parsed set} for ``{set id: fingerprint}``; the definitions not parsed yet are read
    in one statement."""
    found = {set_id: _PARSED.get(digest) for set_id, digest in fingerprints.items()}
    missing = [set_id for set_id, parsed in found.items() if parsed is None]
    if missing:
        for set_id, data, digest in dbsession.execute(
            select(CriteriaSet.id, CriteriaSet.definition, CriteriaSet.fingerprint).where(CriteriaSet.id.in_(missing))
        ):
            found[set_id] = _parse(data, digest)
    return found


@dataclass
class SetInfo:
    row: CriteriaSet
    definition: spec.CriteriaSet
    used: int
    years: list[int]


def all_sets(dbsession) -> list[SetInfo]:
    """Every stored set, newest first, with how many assessments use it and the years assigned."""
    rows = list(
        dbsession.scalars(
            select(CriteriaSet).order_by(CriteriaSet.valid_from.desc(), CriteriaSet.key, CriteriaSet.version.desc())
        )
    )
    used = dict(
        dbsession.execute(select(Assessment.criteria_set_id, func.count()).group_by(Assessment.criteria_set_id)).all()
    )
    years: dict[int, list[int]] = {}
    for year, set_id in dbsession.execute(
        select(CriteriaYear.year, CriteriaYear.criteria_set_id).order_by(CriteriaYear.year)
    ):
        years.setdefault(set_id, []).append(year)
    return [SetInfo(r, definition_of(r), used.get(r.id, 0), years.get(r.id, [])) for r in rows]


def year_assignments(dbsession) -> list[tuple[int, CriteriaSet]]:
    return list(
        dbsession.execute(
            select(CriteriaYear.year, CriteriaSet)
            .join(CriteriaSet, CriteriaSet.id == CriteriaYear.criteria_set_id)
            .order_by(CriteriaYear.year.desc())
        ).all()
    )


@functools.cache
def _set_for_year_query(with_criteria: bool):
    """The statement of :func:`set_for_year`, built once (the year is a bound parameter)."""
    year = bindparam("year", type_=Integer)
    q = (
        select(CriteriaSet)
        .outerjoin(CriteriaYear, (CriteriaYear.criteria_set_id == CriteriaSet.id) & (CriteriaYear.year == year))
        .where(or_(CriteriaYear.year.is_not(None), CriteriaSet.valid_from <= year))
        # The assigned set first (at most one: the year is the key of criteria_set_years).
        .order_by(
            CriteriaYear.year.is_(None),
            CriteriaSet.valid_from.desc(),
            CriteriaSet.version.desc(),
            CriteriaSet.id.desc(),
        )
        .limit(1)
        .options(defer(CriteriaSet.definition))
    )
    # The criteria come joined to the one set row.
    return q.options(joinedload(CriteriaSet.criteria)) if with_criteria else q


def set_for_year(dbsession, year: int, *, with_criteria: bool = False) -> CriteriaSet | None:
    """The set in force for ``year``: the coordinator's choice, else the greatest valid_from ≤ year;
    one statement, with the set's criteria when asked for."""
    return dbsession.scalars(_set_for_year_query(with_criteria), {"year": year}).unique().one_or_none()


def assign_year(dbsession, year: int, set_id: int | None, user_id: int) -> None:
    """Use set ``set_id`` for ``year`` (None: back to the rule of valid_from). Existing
    assessments keep their own set."""
    row = dbsession.get(CriteriaYear, year)
    if set_id is None:
        if row is not None:
            dbsession.delete(row)
        return
    if row is None:
        dbsession.add(CriteriaYear(year=year, criteria_set_id=set_id, assigned_by=user_id))
    else:
        row.criteria_set_id = set_id
        row.assigned_by = user_id


def seed_plugin_sets(dbsession, registry) -> int:
    """Store every set the plugins declare (idempotent). Returns the number added."""
    added = 0
    for (key, _version), cset in sorted(get_registry(registry).criteria_sets.items()):
        plugin = get_registry(registry).criteria_set_plugin.get((key, cset.version), "?")
        try:
            _row, created = store_set(dbsession, cset, source=f"plugin:{plugin}")
        except SetConflict:
            # A plugin changed a stored version in place: keep what assessments were made under.
            continue
        added += created
    return added


# --- assessments: loading and creating -----------------------------------------------------------


def load_assessment(dbsession, space_id: int, year: int, *, for_update: bool = False) -> Assessment | None:
    q = (
        select(Assessment)
        .where(Assessment.space_id == space_id, Assessment.year == year)
        .options(
            selectinload(Assessment.scores),
            selectinload(Assessment.evidence),
            selectinload(Assessment.criteria_set).options(
                defer(CriteriaSet.definition), selectinload(CriteriaSet.criteria)
            ),
            selectinload(Assessment.events).selectinload(AssessmentEvent.user),
        )
        .execution_options(populate_existing=True)
    )
    if for_update:
        q = q.with_for_update()
    return dbsession.scalars(q).one_or_none()


def load_set(dbsession, set_id: int) -> CriteriaSet | None:
    return dbsession.scalars(
        select(CriteriaSet)
        .where(CriteriaSet.id == set_id)
        .options(defer(CriteriaSet.definition), selectinload(CriteriaSet.criteria))
    ).one_or_none()


def default_class(dbsession, space_id: int, definition: spec.CriteriaSet) -> str:
    """The commune's class in its latest assessment when the set has it, else the mountain class,
    else the set's first class ("" for a set without classes)."""
    keys = [c.key for c in definition.classes]
    last = dbsession.scalar(
        select(Assessment.commune_class)
        .where(Assessment.space_id == space_id)
        .order_by(Assessment.year.desc())
        .limit(1)
    )
    if last in keys:
        return last
    if DEFAULT_CLASS in keys:
        return DEFAULT_CLASS
    return keys[0] if keys else ""


def create_assessment(dbsession, space_id: int, year: int, set_row: CriteriaSet, commune_class: str) -> Assessment:
    assessment = Assessment(
        space_id=space_id,
        year=year,
        criteria_set_id=set_row.id,
        commune_class=commune_class,
        state="draft",
        scores=[],
        evidence=[],
        events=[],
    )
    dbsession.add(assessment)
    return assessment


# --- figures from the commune's accepted reports -------------------------------------------------


def report_figures(dbsession, registry, space_id: int, year: int, refs) -> dict | None:
    """The figures ``refs`` from the commune's accepted report of ``year`` whose figures count
    first: the year report if accepted, else the latest accepted half-year
    (:func:`intranet.reports.services.accepted_reports_of_year`).
    {"source": {...}, "values": {ref: "number"}}."""
    refs = list(dict.fromkeys(refs))
    if not refs:
        return None
    reports = accepted_reports_of_year(dbsession, space_id, year, {r.partition("[")[0] for r in refs})
    if not reports:
        return None
    report = reports[0]
    values = {}
    for ref in refs:
        value = report.cell(ref)
        if value is not None:
            values[ref] = _num_text(value)
    form = form_of(registry, report.form_key)
    return {
        "source": {
            "submission_id": report.submission_id,
            "form_key": report.form_key,
            "form_title": form.title if form else report.form_key,
            "form_title_en": form.title_en if form else report.form_key,
            "period_code": report.period_code,
            "period_title": report.period_title,
            "period_title_en": report.period_title_en,
            "accepted_at": report.accepted_at.isoformat() if report.accepted_at else None,
        },
        "values": values,
    }


def _num_text(value: Decimal) -> str:
    value = value.normalize()
    return format(value.quantize(Decimal(1)) if value == value.to_integral() else value, "f")


def figure_labels(registry) -> dict[str, tuple[str, str]]:
    """ref -> (label, label_en) for every numeric element and cell the report forms carry."""
    labels = {}
    for code, element in get_registry(registry).elements.items():
        labels[code] = (element.label, element.label_en)
        if element.disaggregation is not None:
            for o in element.disaggregation.options:
                labels[f"{code}[{o.code}]"] = (f"{element.label} — {o.label}", f"{element.label_en} — {o.label_en}")
    return labels


# --- reading the forms ---------------------------------------------------------------------------


@dataclass
class Entry:
    """What was typed for each criterion (keyed by criterion id), and what is wrong with it."""

    raw: dict[str, str] = field(default_factory=dict)
    scores: dict[int, int | None] = field(default_factory=dict)
    met: dict[int, bool | None] = field(default_factory=dict)
    texts: dict[int, str] = field(default_factory=dict)
    figures: dict[int, dict[str, str]] = field(default_factory=dict)
    reasons: dict[int, str] = field(default_factory=dict)
    commune_class: str = ""
    errors: dict[str, object] = field(default_factory=dict)


def _read(field, raw: str):
    """(value, None) or (None, message): ``raw`` read by one field of the assessment forms."""
    bound = type("OneField", (Form,), {"value": field})(MultiDict({"value": raw or ""})).value
    if bound.process_errors:
        return None, bound.process_errors[0]
    return bound.data, None


def _parse_score(raw: str, max_points: int | None):
    return _read(assessment_forms.ScoreField(max_points=max_points), raw)


def _parse_met(raw: str):
    return _read(assessment_forms.MetField(), raw)[0]


def _parse_figure(raw: str):
    """A figure as typed in Vietnamese (1.210 or 12,5), kept as the text "1210" or "12.5"."""
    value, error = _read(assessment_forms.FigureField(), raw)
    return (None if value is None else _num_text(value)), error


def _figure_raw(text) -> str:
    """A kept figure ("12.5") as the form shows it, and reads it back: "12,5"."""
    return str(text).replace(".", ",")


def _error(field):
    return field.errors[0] if field.errors else None


def read_self_entry(post, criteria: list[CriterionRow], definition: spec.CriteriaSet) -> Entry:
    """Read the commune's form (intranet.assessments.forms): score, met flag, evidence text and
    figures per criterion."""
    entry = Entry()
    points = definition.scoring == "points"
    shape = tuple((c.id, c.max_points, len(c.prefill or [])) for c in criteria)
    form = assessment_forms.self_form_class(shape, points)(assessment_forms.as_formdata(post))
    form.validate()
    entry.commune_class = (form.commune_class.raw or "").strip()
    if definition.classes and definition.commune_class(entry.commune_class) is None:
        entry.errors["commune_class"] = _("Choose the commune's class.")
    for c in criteria:
        if points:
            score = form[f"s.{c.id}"]
            entry.raw[score.name] = score.raw
            if _error(score) is not None:
                entry.errors[score.name] = _error(score)
            entry.scores[c.id] = score.data
        met = form[f"m.{c.id}"]
        entry.raw[met.name] = met.raw
        entry.met[c.id] = met.data
        evidence = form[f"e.{c.id}"]
        text = (evidence.raw or "").strip()
        entry.raw[evidence.name] = text
        if _error(evidence) is not None:
            entry.errors[evidence.name] = _error(evidence)
        entry.texts[c.id] = text
        figures = {}
        for n, ref in enumerate(c.prefill or []):
            figure = form[f"f.{c.id}.{n}"]
            entry.raw[figure.name] = figure.raw
            if _error(figure) is not None:
                entry.errors[figure.name] = _error(figure)
            elif figure.data is not None:
                figures[ref] = _num_text(figure.data)
        entry.figures[c.id] = figures
    return entry


def entry_from_assessment(
    assessment: Assessment | None, criteria: list[CriterionRow], prefill: dict | None, commune_class: str
) -> Entry:
    """The saved values; for a criterion's figure not saved yet, the report figure."""
    entry = Entry(commune_class=assessment.commune_class if assessment else commune_class)
    saved = {s.criterion_id: s for s in assessment.scores} if assessment else {}
    offered = (prefill or {}).get("values", {})
    for c in criteria:
        s = saved.get(c.id)
        entry.scores[c.id] = s.self_score if s else None
        entry.met[c.id] = s.met if s else None
        entry.texts[c.id] = s.evidence_text if s else ""
        entry.raw[f"s.{c.id}"] = "" if entry.scores[c.id] is None else str(entry.scores[c.id])
        entry.raw[f"m.{c.id}"] = {True: "1", False: "0"}.get(entry.met[c.id], "")
        entry.raw[f"e.{c.id}"] = entry.texts[c.id]
        figures = dict(s.figures or {}) if s else {}
        for n, ref in enumerate(c.prefill or []):
            if ref not in figures and ref in offered:
                figures[ref] = offered[ref]
            entry.raw[f"f.{c.id}.{n}"] = _figure_raw(figures.get(ref, ""))
        entry.figures[c.id] = figures
        if s:
            entry.reasons[c.id] = s.adjustment_reason
            entry.raw[f"vs.{c.id}"] = "" if s.verified_score is None else str(s.verified_score)
            entry.raw[f"vm.{c.id}"] = {True: "1", False: "0"}.get(s.verified_met, "")
            entry.raw[f"r.{c.id}"] = s.adjustment_reason
    return entry


def check_for_submission(entry: Entry, criteria: list[CriterionRow], definition: spec.CriteriaSet) -> None:
    """Add the errors that block submitting: a score (points) and a met flag for every criterion."""
    for c in criteria:
        if definition.scoring == "points" and entry.scores.get(c.id) is None:
            entry.errors.setdefault(f"s.{c.id}", _("A score is required before the assessment can be submitted."))
        if entry.met.get(c.id) is None:
            entry.errors.setdefault(f"m.{c.id}", _("Say whether the criterion is met."))


def store_self(assessment: Assessment, criteria: list[CriterionRow], entry: Entry) -> None:
    existing = {s.criterion_id: s for s in assessment.scores}
    if entry.commune_class:
        assessment.commune_class = entry.commune_class
    for c in criteria:
        row = existing.get(c.id)
        if row is None:
            row = AssessmentScore(criterion_id=c.id, evidence_text="", figures={}, adjustment_reason="")
            assessment.scores.append(row)
        row.self_score = entry.scores.get(c.id)
        row.met = entry.met.get(c.id)
        row.evidence_text = entry.texts.get(c.id, "")
        row.figures = entry.figures.get(c.id, {})


def read_verify_entry(
    post, assessment: Assessment, criteria: list[CriterionRow], definition: spec.CriteriaSet
) -> Entry:
    """Read the coordinator's verification (intranet.assessments.forms): verified score and met
    flag, reason where they differ."""
    entry = Entry()
    saved = {s.criterion_id: s for s in assessment.scores}
    points = definition.scoring == "points"
    shape = tuple((c.id, c.max_points) for c in criteria)
    form = assessment_forms.verify_form_class(shape, points)(assessment_forms.as_formdata(post))
    form.validate()
    entry.commune_class = (form.commune_class.raw or "").strip()
    if definition.classes and definition.commune_class(entry.commune_class) is None:
        entry.errors["commune_class"] = _("Choose the commune's class.")
    for c in criteria:
        s = saved.get(c.id)
        own_score, own_met = (s.self_score, s.met) if s else (None, None)
        if points:
            score = form[f"vs.{c.id}"]
            entry.raw[score.name] = score.raw
            if _error(score) is not None:
                entry.errors[score.name] = _error(score)
            elif score.data is None:
                entry.errors[score.name] = _("Enter the verified score.")
            entry.scores[c.id] = score.data
        met = form[f"vm.{c.id}"]
        entry.raw[met.name] = met.raw
        entry.met[c.id] = met.data
        if met.data is None:
            entry.errors[met.name] = _("Say whether the criterion is met.")
        field = form[f"r.{c.id}"]
        reason = (field.raw or "").strip()
        entry.raw[field.name] = reason
        entry.reasons[c.id] = reason
        if _error(field) is not None:  # longer than MAX_TEXT: refused whole, never cut
            entry.errors[field.name] = _error(field)
        changed = (points and entry.scores[c.id] is not None and entry.scores[c.id] != own_score) or (
            entry.met[c.id] is not None and entry.met[c.id] != own_met
        )
        if changed and not reason:
            entry.errors[f"r.{c.id}"] = _("Give the reason for changing the commune's assessment.")
    return entry


def store_verification(assessment: Assessment, criteria: list[CriterionRow], entry: Entry) -> None:
    existing = {s.criterion_id: s for s in assessment.scores}
    if entry.commune_class:
        assessment.commune_class = entry.commune_class
    for c in criteria:
        row = existing.get(c.id)
        if row is None:
            row = AssessmentScore(criterion_id=c.id, evidence_text="", figures={}, adjustment_reason="")
            assessment.scores.append(row)
        row.verified_score = entry.scores.get(c.id)
        row.verified_met = entry.met.get(c.id)
        row.adjustment_reason = entry.reasons.get(c.id, "")


# --- scoring -------------------------------------------------------------------------------------


def compute_result(definition: spec.CriteriaSet, commune_class: str, scores: dict[str, tuple]) -> dict:
    """The result of an assessment: total, threshold of the class, each recognition rule.

    ``scores`` maps a criterion code to (score, met). A rule with missing data fails.
    """
    points = definition.scoring == "points"
    values = [scores.get(c.code, (None, None)) for c in definition.criteria]
    total = sum(s for s, _m in values if s is not None) if points else None
    cls = definition.commune_class(commune_class)
    threshold = cls.threshold if cls else None
    rules = {}
    for rule in definition.rules:
        if rule == "all_met":
            rules[rule] = all(m is True for _s, m in values)
        elif rule == "none_zero":
            rules[rule] = all(s is not None and s > 0 for s, _m in values)
        elif rule == "total_threshold":
            rules[rule] = threshold is not None and all(s is not None for s, _m in values) and total >= threshold
    met_count = sum(1 for _s, m in values if m is True)
    return {
        "set": {"key": definition.key, "version": definition.version},
        "class": commune_class,
        "threshold": threshold,
        "total": total,
        "met": met_count,
        "criteria": len(values),
        "rules": rules,
        "passed": bool(rules) and all(rules.values()),
    }


def self_scores(assessment: Assessment, criteria: list[CriterionRow]) -> dict[str, tuple]:
    by_id = {s.criterion_id: s for s in assessment.scores}
    return {c.code: ((by_id[c.id].self_score, by_id[c.id].met) if c.id in by_id else (None, None)) for c in criteria}


def verified_scores(assessment: Assessment, criteria: list[CriterionRow]) -> dict[str, tuple]:
    by_id = {s.criterion_id: s for s in assessment.scores}
    return {
        c.code: ((by_id[c.id].verified_score, by_id[c.id].verified_met) if c.id in by_id else (None, None))
        for c in criteria
    }


def current_result(assessment: Assessment, criteria: list[CriterionRow]) -> tuple[dict, bool]:
    """(result, final): the snapshot once verified, else the commune's own figures (provisional)."""
    if assessment.result is not None:
        return assessment.result, True
    definition = definition_of(assessment.criteria_set)
    return compute_result(definition, assessment.commune_class, self_scores(assessment, criteria)), False


# --- transitions ---------------------------------------------------------------------------------


def apply_transition(
    assessment: Assessment,
    action: str,
    user_id: int | None,
    comment: str = "",
    *,
    criteria: list[CriterionRow] | None = None,
) -> str:
    """Move the assessment; record the event. Verifying snapshots the computed result."""
    return WORKFLOW.apply(assessment, action, user_id=user_id, comment=comment, snapshot=snapshotter(criteria))


def snapshotter(criteria: list[CriterionRow] | None):
    """What "verify" keeps: the result computed from the verified scores, as it is at that moment."""

    def snapshot(a: Assessment) -> dict:
        definition = definition_of(a.criteria_set)
        return compute_result(definition, a.commune_class, verified_scores(a, criteria or []))

    return snapshot


def attach_evidence(dbsession, assessment: Assessment, criterion_id: int, uploads, user_id: int) -> None:
    for filename, data, kind in uploads:
        blob = store(dbsession, data, kind)
        assessment.evidence.append(
            AssessmentEvidence(
                criterion_id=criterion_id, blob_sha256=blob.sha256, filename=filename, uploaded_by=user_id
            )
        )


# --- the district's overview and the indicator ---------------------------------------------------


@dataclass
class OverviewRow:
    """A commune of the district overview: ``space`` and ``assessment`` are plain rows of the
    columns the overview shows, not ORM objects: the overview only reads them."""

    space: object
    assessment: object | None
    result: dict | None
    final: bool

    @property
    def state(self) -> str:
        return self.assessment.state if self.assessment else "none"


@dataclass(frozen=True)
class _AssessmentColumns:
    id: int
    criteria_set_id: int
    commune_class: str
    state: str


@functools.cache
def _overview_statement():
    """One page of the communes (``size`` from ``skip``) with their assessment of the year bound
    as ``year``, and, on every row, the number of communes and of those recognised that year
    (window functions run before the page is cut): built once."""
    return (
        select(
            Space.id,
            Space.slug,
            Space.title,
            Space.title_en,
            Assessment.id.label("assessment_id"),
            Assessment.criteria_set_id,
            Assessment.commune_class,
            Assessment.state,
            Assessment.result,
            CriteriaSet.fingerprint,
            func.count().over().label("communes"),
            func.sum(case((Assessment.state == "recognised", 1), else_=0)).over().label("recognised"),
        )
        .outerjoin(Assessment, (Assessment.space_id == Space.id) & (Assessment.year == bindparam("year")))
        .outerjoin(CriteriaSet, CriteriaSet.id == Assessment.criteria_set_id)
        .where(Space.category == "commune")
        .order_by(Space.sort_order, Space.title, Space.id)
        .limit(bindparam("size", type_=Integer))
        .offset(bindparam("skip", type_=Integer))
    )


@functools.cache
def _overview_counts_statement():
    """The number of communes and of those recognised in the year bound as ``year``, for a page
    past the last one (which has no row to carry them): built once."""
    return (
        select(func.count(), func.count(Assessment.id))
        .select_from(Space)
        .outerjoin(
            Assessment,
            (Assessment.space_id == Space.id)
            & (Assessment.year == bindparam("year"))
            & (Assessment.state == "recognised"),
        )
        .where(Space.category == "commune")
    )


@functools.cache
def _own_scores_statement():
    """The commune's own scores of the assessments bound as ``ids``, by criterion code: built once.
    (Not "the year's assessments whose result IS NULL": a result taken back is stored as JSON null,
    which SQL does not see as NULL.)"""
    return (
        select(AssessmentScore.assessment_id, CriterionRow.code, AssessmentScore.self_score, AssessmentScore.met)
        .join(Assessment, Assessment.id == AssessmentScore.assessment_id)
        .join(
            CriterionRow,
            (CriterionRow.id == AssessmentScore.criterion_id)
            & (CriterionRow.criteria_set_id == Assessment.criteria_set_id),
        )
        .where(AssessmentScore.assessment_id.in_(bindparam("ids", expanding=True)))
    )


@dataclass
class Overview:
    """One page of the district overview, and the counts of the whole year."""

    rows: list[OverviewRow]
    definitions: dict[int, spec.CriteriaSet]
    communes: int
    recognised: int


def overview(dbsession, year: int, *, page: int = 1, size: int = 30) -> Overview:
    """One page of the communes with their assessment of ``year`` and its (provisional or
    verified) result, the sets those assessments use ({set id: parsed set}), and how many
    communes there are and how many were recognised that year.

    One statement, and one more for the commune's own scores of the page's assessments not
    verified yet, whatever the number of communes (a page past the last: one for the counts).
    """
    found = dbsession.execute(_overview_statement(), {"year": year, "size": size, "skip": (page - 1) * size}).all()
    if found:
        communes, recognised = found[0].communes, found[0].recognised or 0
    elif page > 1:
        communes, recognised = dbsession.execute(_overview_counts_statement(), {"year": year}).one()
    else:
        communes = recognised = 0
    definitions = definitions_by_id(
        dbsession, {r.criteria_set_id: r.fingerprint for r in found if r.assessment_id is not None}
    )
    # Not verified yet: the result is worked out from the commune's own scores, by criterion code.
    provisional = [r.assessment_id for r in found if r.assessment_id is not None and r.result is None]
    scores: dict[int, dict[str, tuple]] = {}
    if provisional:
        for assessment_id, code, score, met in dbsession.execute(_own_scores_statement(), {"ids": provisional}):
            scores.setdefault(assessment_id, {})[code] = (score, met)
    rows = []
    for r in found:
        if r.assessment_id is None:
            rows.append(OverviewRow(r, None, None, False))
            continue
        a = _AssessmentColumns(r.assessment_id, r.criteria_set_id, r.commune_class, r.state)
        if r.result is not None:
            rows.append(OverviewRow(r, a, r.result, True))
            continue
        result = compute_result(definitions[r.criteria_set_id], r.commune_class, scores.get(r.assessment_id, {}))
        rows.append(OverviewRow(r, a, result, False))
    return Overview(rows, definitions, communes, int(recognised))


def recognised_count(dbsession, year: int, end_date) -> int | None:
    """Communes recognised for ``year`` on or before ``end_date``; None without any assessment."""
    total = dbsession.scalar(select(func.count()).select_from(Assessment).where(Assessment.year == year))
    if not total:
        return None
    return dbsession.scalar(
        select(func.count())
        .select_from(Assessment)
        .where(
            Assessment.year == year,
            Assessment.state == "recognised",
            Assessment.decided_at < utc_start_of(end_date + dt.timedelta(days=1)),
        )
    )


def assessments_by_year(dbsession, space_id: int) -> dict:
    """A commune's assessments, by year."""
    return {a.year: a for a in dbsession.scalars(select(Assessment).where(Assessment.space_id == space_id))}


def plan_years(dbsession) -> list[int]:
    """The years the district has a plan for."""
    return list(dbsession.scalars(select(Plan.year)))


def evidence_of(dbsession, assessment_id: int, evidence_id: int):
    """One evidence file of one assessment (another assessment's is not found)."""
    return dbsession.scalars(
        select(AssessmentEvidence).where(
            AssessmentEvidence.id == evidence_id, AssessmentEvidence.assessment_id == assessment_id
        )
    ).one_or_none()


def criteria_valid_from(dbsession) -> list:
    """The first year of every stored criteria set."""
    return list(dbsession.scalars(select(CriteriaSet.valid_from)))
