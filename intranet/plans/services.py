"""The programme plan of a year, and the commune annual plans: drafting from the district plan's
template, checking what was typed, the workflow, revisions, the copy to the next year (with the
year's actuals as the new baseline), progress against the duty logs, and the district list.

Every list here is a fixed number of statements, whatever the number of communes, activities
or logs.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import ClassVar

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from intranet import numbers
from intranet.i18n import _
from intranet.models.meta import utcnow
from intranet.plans.models import (
    SECTION_KEYS,
    CommunePlan,
    CommunePlanActivity,
    CommunePlanEvent,
    CommunePlanSection,
    CommunePlanTarget,
    Plan,
)
from intranet.plans.workflow import WORKFLOW
from intranet.workflow import TransitionCode, TransitionError


def current_plan(dbsession) -> Plan | None:
    """The plan in force: the most recent year loaded."""
    return dbsession.scalars(select(Plan).order_by(Plan.year.desc()).limit(1)).one_or_none()


# --- commune annual plans ----------------------------------------------------------------------------

STATE_LABELS = {
    "draft": _("Draft"),
    "submitted": _("Submitted"),
    "returned": _("Returned"),
    "approved": _("Approved"),
    "none": _("No plan yet"),
}
ACTION_LABELS = {
    "create": _("Drafted"),
    "save": _("Saved"),
    "submit": _("Submitted"),
    "return": _("Returned"),
    "comment": _("Comment"),
    "approve": _("Approved"),
    "revise": _("New revision opened"),
    "copy": _("Copied from the previous year's plan"),
    "attach": _("Signed scan attached"),
}
SECTION_LABELS = {
    "situation": _("Situation of children in the commune"),
    "solutions": _("Solutions"),
    "organisation": _("Organisation of implementation"),
}
ACTIVITY_STATUS_LABELS = {
    "not_started": _("Not started"),
    "in_progress": _("In progress"),
    "done": _("Done"),
    "overdue": _("Overdue"),
}

# What a plan may hold is bounded by what its PDF can render in a few seconds: WeasyPrint costs
# 1 to 2 ms per line of text, and 200 activities of 2,000 characters took 40 s (bench/plan_pdf.py).
# At these limits the largest plan renders in about 3 s; real plans have 5 to 20 activities.
MAX_ACTIVITIES = 60
MAX_TEXT = 8000
#: Lines of one part: each is at least a line of the PDF, whatever its length.
MAX_LINES = 200
MAX_TITLE = 500
MAX_SHORT = 200
MAX_BUDGET = 10**13
#: Blank activity rows the form offers below the existing ones.
BLANK_ROWS = 3
#: Kinds of file a signed scan may be.
SCAN_KINDS = ("pdf", "jpeg", "png")


def plan_title(space, year: int) -> str:
    """ "Kế hoạch công tác bảo vệ, chăm sóc trẻ em năm 2017 của UBND xã Tân Cảnh" (Vietnamese data)."""
    return f"Kế hoạch công tác bảo vệ, chăm sóc trẻ em năm {year} của {space.title}"


def _plan_query():
    return select(CommunePlan).options(
        selectinload(CommunePlan.targets),
        selectinload(CommunePlan.activities),
        selectinload(CommunePlan.sections),
        selectinload(CommunePlan.events).selectinload(CommunePlanEvent.user),
    )


def load_plan(
    dbsession, space_id: int, year: int, revision: int | None = None, *, for_update: bool = False
) -> CommunePlan | None:
    """The current revision of a commune's plan of ``year``, or the revision named, with its parts."""
    q = _plan_query().where(CommunePlan.space_id == space_id, CommunePlan.year == year)
    q = q.where(CommunePlan.is_current.is_(True)) if revision is None else q.where(CommunePlan.revision == revision)
    q = q.execution_options(populate_existing=True)
    if for_update:
        q = q.with_for_update()
    return dbsession.scalars(q).one_or_none()


def space_plans(dbsession, space_id: int) -> list[CommunePlan]:
    """Every revision of every year of a commune, newest first."""
    return list(
        dbsession.scalars(
            select(CommunePlan)
            .where(CommunePlan.space_id == space_id)
            .order_by(CommunePlan.year.desc(), CommunePlan.revision.desc())
        )
    )


def revisions(dbsession, space_id: int, year: int) -> list[CommunePlan]:
    return list(
        dbsession.scalars(
            select(CommunePlan)
            .where(CommunePlan.space_id == space_id, CommunePlan.year == year)
            .order_by(CommunePlan.revision.desc())
        )
    )


def district_years(dbsession) -> list[int]:
    """The years a district plan has been loaded for (a commune plan is drafted from one)."""
    return list(dbsession.scalars(select(Plan.year).order_by(Plan.year.desc())))


def plan_years(dbsession) -> list[int]:
    """Every year with a district plan or a commune plan (a plan copied to next year)."""
    years = set(district_years(dbsession)) | set(dbsession.scalars(select(CommunePlan.year).distinct()))
    return sorted(years, reverse=True)


def commune_duties(registry, space):
    from intranet.plugin.registry import get_registry

    return get_registry(registry).duties_for(space.kind)


def template_targets(dbsession, registry, year: int) -> list[CommunePlanTarget]:
    """The district plan's indicators of ``year`` with empty commune numbers, in the plan's order."""
    from intranet.plugin.registry import get_registry
    from intranet.reports.models import IndicatorTarget

    indicators = get_registry(registry).indicators
    rows = dbsession.scalars(
        select(IndicatorTarget)
        .join(Plan, Plan.id == IndicatorTarget.plan_id)
        .where(Plan.year == year)
        .order_by(IndicatorTarget.sort_order, IndicatorTarget.id)
    ).all()
    targets = []
    for order, row in enumerate(rows):
        indicator = indicators.get(row.indicator_key)
        if indicator is None:
            continue
        targets.append(
            CommunePlanTarget(
                indicator_key=row.indicator_key, label=indicator.title, unit=indicator.unit, sort_order=order
            )
        )
    return targets


def new_plan(dbsession, registry, space, year: int, user_id: int | None) -> CommunePlan:
    """A draft of ``year`` from the district plan's template: its indicators, no activity yet."""
    plan = CommunePlan(
        space_id=space.id,
        year=year,
        revision=1,
        is_current=True,
        state="draft",
        title=plan_title(space, year),
        number="",
        reason="",
        targets=template_targets(dbsession, registry, year),
        activities=[],
        sections=[CommunePlanSection(key=k, text="") for k in SECTION_KEYS],
        events=[],
    )
    plan.events.append(
        CommunePlanEvent(user_id=user_id, action="create", from_state=None, to_state="draft", comment="", part="")
    )
    dbsession.add(plan)
    return plan


def has_plan(dbsession, space_id: int, year: int) -> bool:
    return (
        dbsession.scalar(
            select(CommunePlan.id).where(CommunePlan.space_id == space_id, CommunePlan.year == year).limit(1)
        )
        is not None
    )


# --- reading what was typed ---------------------------------------------------------------------------

_MONTH_TOKEN = re.compile(r"^(\d{1,2})(?:-(\d{1,2}))?$", re.ASCII)  # \d alone matches "٣", read as 3


def parse_months(raw: str) -> tuple[list[int] | None, object | None]:
    """ "3-5, 9" -> [3, 4, 5, 9]; also "3,4,5", "tháng 3 - 5"."""
    text = re.sub(r"(?i)th[aá]ng|t(?=\d)", " ", raw or "").strip()
    if not text:
        return [], None
    text = re.sub(r"\s*[-–]\s*", "-", text)
    months: set[int] = set()
    for token in re.split(r"[,;\s]+", text):
        token = token.strip()
        if not token:
            continue
        m = _MONTH_TOKEN.match(token)
        if not m:
            return None, _("Months are numbers from 1 to 12, e.g. 3-5, 9.")
        first, last = int(m.group(1)), int(m.group(2) or m.group(1))
        if not (1 <= first <= 12 and 1 <= last <= 12) or last < first:
            return None, _("Months are numbers from 1 to 12, e.g. 3-5, 9.")
        months.update(range(first, last + 1))
    return sorted(months), None


def months_text(months) -> str:
    """[3, 4, 5, 9] -> "3–5, 9"."""
    months = sorted(months)
    parts, i = [], 0
    while i < len(months):
        j = i
        while j + 1 < len(months) and months[j + 1] == months[j] + 1:
            j += 1
        parts.append(str(months[i]) if i == j else f"{months[i]}–{months[j]}")
        i = j + 1
    return ", ".join(parts)


def parse_budget(raw: str) -> tuple[int | None, object | None]:
    """ "1.500.000" (Vietnamese grouping), "1 500 000 đ" -> 1500000; empty -> 0."""
    text = re.sub(r"(?i)\s*(đồng|đ|vnd)\s*$", "", (raw or "").strip())
    if text == "":
        return 0, None
    try:
        return numbers.parse_integer(text, maximum=MAX_BUDGET), None
    except numbers.NumberError as exc:
        money = _("Enter an amount in đồng, digits only, e.g. 1.500.000.")
        return None, exc.message_or(invalid=money, negative=money)


def parse_target_number(raw: str, unit: str) -> tuple[Decimal | None, object | None]:
    """A baseline or target: a percentage ("12,5") or a count with Vietnamese grouping ("1.210")."""
    text = (raw or "").strip()
    if text == "":
        return None, None
    if unit == "%":
        try:
            return numbers.parse_percentage(text), None
        except numbers.NumberError as exc:
            return None, exc.message
    try:
        return Decimal(numbers.parse_integer(text, maximum=MAX_BUDGET)), None
    except numbers.NumberError as exc:
        return None, exc.message


def number_raw(value) -> str:
    """A stored figure as the form shows it: 1210, 12,5."""
    if value is None:
        return ""
    value = Decimal(value)
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f").replace(".", ",")


def budget_raw(value: int) -> str:
    """1500000 -> "1.500.000" (the way the commune writes it)."""
    return f"{int(value):,}".replace(",", ".") if value else ""


@dataclass
class PlanEntry:
    """What was typed into the plan form, what it means, and what is wrong with it."""

    number: str = ""
    #: indicator key -> {"baseline": raw, "target": raw}
    targets: dict[str, dict[str, str]] = field(default_factory=dict)
    parsed_targets: dict[str, tuple[Decimal | None, Decimal | None]] = field(default_factory=dict)
    #: raw rows in form order: title, months, responsible, budget, source, duty
    activities: list[dict[str, str]] = field(default_factory=list)
    parsed_activities: list[dict] = field(default_factory=list)
    sections: dict[str, str] = field(default_factory=dict)
    errors: dict[str, object] = field(default_factory=dict)
    max_activities: ClassVar[int] = MAX_ACTIVITIES

    def rows(self, blank: int = BLANK_ROWS) -> list[dict[str, str]]:
        """The activity rows the form shows: what was typed, then ``blank`` empty rows."""
        filled = [r for r in self.activities if any(v.strip() for v in r.values())]
        blank = min(blank, max(MAX_ACTIVITIES - len(filled), 0))
        return filled + [dict.fromkeys(ACTIVITY_FIELDS, "") for _ in range(blank)]

    @property
    def full(self) -> bool:
        """No activity can be added: the form offers no empty row."""
        return len(self.activities) >= self.max_activities


ACTIVITY_FIELDS = ("title", "months", "responsible", "budget", "source", "duty")


def entry_from_plan(plan: CommunePlan) -> PlanEntry:
    entry = PlanEntry(number=plan.number or "")
    for t in plan.targets:
        entry.targets[t.indicator_key] = {"baseline": number_raw(t.baseline), "target": number_raw(t.target)}
        entry.parsed_targets[t.indicator_key] = (t.baseline, t.target)
    for a in plan.activities:
        entry.activities.append(
            {
                "title": a.title,
                "months": months_text(a.months),
                "responsible": a.responsible,
                "budget": budget_raw(a.budget),
                "source": a.budget_source,
                "duty": a.duty_key,
            }
        )
    for key in SECTION_KEYS:
        entry.sections[key] = plan.section_text(key)
    return entry


def read_entry(post, plan: CommunePlan, duty_keys) -> PlanEntry:
    """Parse the whole form; format errors are collected beside their field, nothing is lost."""
    entry = PlanEntry(number=(post.get("number", "") or "").strip())
    if len(entry.number) > 60:
        entry.errors["number"] = _("At most ${n} characters.", mapping={"n": 60})
    for t in plan.targets:
        raw = {
            "baseline": post.get(f"t.{t.indicator_key}.baseline", ""),
            "target": post.get(f"t.{t.indicator_key}.target", ""),
        }
        entry.targets[t.indicator_key] = raw
        parsed = []
        for part in ("baseline", "target"):
            value, error = parse_target_number(raw[part], t.unit)
            if error is not None:
                entry.errors[f"t.{t.indicator_key}.{part}"] = error
            parsed.append(value)
        entry.parsed_targets[t.indicator_key] = tuple(parsed)
    count = min(numbers.parse_plain(post.get("a.count", "0")) or 0, 200)
    duty_keys = set(duty_keys)
    for i in range(1, count + 1):
        row = {f: (post.get(f"a.{i}.{f}", "") or "").strip() for f in ACTIVITY_FIELDS}
        if not any(row.values()):
            continue
        entry.activities.append(row)
        n = len(entry.activities)
        prefix = f"a.{n}."
        # Only what cannot be read is an error here; what is missing blocks submitting only
        # (check_for_submission), so a draft saves a partial activity row.
        months, error = parse_months(row["months"])
        if error is not None:
            entry.errors[prefix + "months"] = error
        budget, error = parse_budget(row["budget"])
        if error is not None:
            entry.errors[prefix + "budget"] = error
        if len(row["title"]) > MAX_TITLE:
            entry.errors[prefix + "title"] = _("At most ${n} characters.", mapping={"n": MAX_TITLE})
        for f in ("responsible", "source"):
            if len(row[f]) > MAX_SHORT:
                entry.errors[prefix + f] = _("At most ${n} characters.", mapping={"n": MAX_SHORT})
        if row["duty"] and row["duty"] not in duty_keys:
            entry.errors[prefix + "duty"] = _("Choose the duty this activity serves.")
        entry.parsed_activities.append(
            {
                "title": row["title"],
                "months": months or [],
                "responsible": row["responsible"],
                "budget": budget or 0,
                "source": row["source"],
                "duty": row["duty"],
            }
        )
    for key in SECTION_KEYS:
        text = (post.get(f"s.{key}", "") or "").strip()
        entry.sections[key] = text
        if len(text) > MAX_TEXT:
            entry.errors[f"s.{key}"] = _("At most ${n} characters.", mapping={"n": MAX_TEXT})
        elif text.count("\n") >= MAX_LINES:
            entry.errors[f"s.{key}"] = _("At most ${n} lines.", mapping={"n": MAX_LINES})
    if len(entry.activities) > MAX_ACTIVITIES:
        entry.errors["activities"] = _(
            "A plan has at most ${n} activities; this one has ${count}. Merge or remove some of them.",
            mapping={"n": MAX_ACTIVITIES, "count": len(entry.activities)},
        )
    return entry


def check_for_submission(plan: CommunePlan, entry: PlanEntry) -> None:
    """Add the errors that block submitting: every target, at least one activity, every part."""
    for t in plan.targets:
        name = f"t.{t.indicator_key}.target"
        if entry.parsed_targets.get(t.indicator_key, (None, None))[1] is None and name not in entry.errors:
            entry.errors[name] = _("Enter the commune's target before submitting.")
    if not entry.activities:
        entry.errors["activities"] = _("Add at least one activity before submitting.")
    for n, (row, parsed) in enumerate(zip(entry.activities, entry.parsed_activities, strict=True), start=1):
        if not row["title"]:
            entry.errors.setdefault(f"a.{n}.title", _("Describe the activity."))
        if not parsed["months"]:
            entry.errors.setdefault(f"a.{n}.months", _("Enter the month(s), e.g. 3-5, 9."))
        if not row["duty"]:
            entry.errors.setdefault(f"a.{n}.duty", _("Choose the duty this activity serves."))
        if not row["responsible"]:
            entry.errors.setdefault(f"a.{n}.responsible", _("Say who is responsible."))
    for key in SECTION_KEYS:
        if not entry.sections.get(key):
            entry.errors.setdefault(f"s.{key}", _("This part is required before the plan can be submitted."))


_ACTIVITY_FIELDS = {
    "title": "title",
    "months": "months",
    "responsible": "responsible",
    "budget": "budget",
    "budget_source": "source",
    "duty_key": "duty",
}
_EMPTY_ACTIVITY = {"title": "", "months": [], "responsible": "", "budget": 0, "budget_source": "", "duty_key": ""}


def _store_activities(plan: CommunePlan, entry: PlanEntry, keep) -> None:
    existing = list(plan.activities)
    position = 0
    for i, data in enumerate(entry.parsed_activities):
        storable = {attr: data[key] for attr, key in _ACTIVITY_FIELDS.items() if f"a.{i + 1}.{key}" not in keep}
        row = existing[position] if position < len(existing) else None
        if row is None:
            if not any(storable.values()):
                continue  # a new row of which nothing could be read: nothing to save yet
            row = CommunePlanActivity(**_EMPTY_ACTIVITY)
            plan.activities.append(row)
        position += 1
        row.sort_order = position
        for attr, value in storable.items():
            setattr(row, attr, value)
    for row in existing[position:]:
        plan.activities.remove(row)


def store_entry(plan: CommunePlan, entry: PlanEntry, *, keep=frozenset()) -> None:
    """Replace the plan's numbers, activities and texts with the entry's.

    ``keep``: field names whose typed text could not be read; what was saved there stays (a new
    activity row takes the empty value), so a draft saved with a typo loses nothing saved before.
    """
    if "number" not in keep:
        plan.number = entry.number
    for t in plan.targets:
        baseline, target = entry.parsed_targets.get(t.indicator_key, (None, None))
        if f"t.{t.indicator_key}.baseline" not in keep:
            t.baseline = baseline
        if f"t.{t.indicator_key}.target" not in keep:
            t.target = target
    if "activities" not in keep:  # more rows than a plan may hold: the saved activities stay
        _store_activities(plan, entry, keep)
    sections = {s.key: s for s in plan.sections}
    for key in SECTION_KEYS:
        if f"s.{key}" in keep:
            continue
        text = entry.sections.get(key, "")
        if key in sections:
            sections[key].text = text
        else:
            plan.sections.append(CommunePlanSection(key=key, text=text))


# --- the workflow ---------------------------------------------------------------------------------------


def valid_parts(plan: CommunePlan) -> list[str]:
    """The parts of a plan a comment may concern."""
    return (
        ["targets"]
        + [f"activity:{n}" for n in range(1, len(plan.activities) + 1)]
        + [f"section:{key}" for key in SECTION_KEYS]
    )


def part_label(part: str):
    """What a comment's part is called on the page: "Activity 2", "Solutions"."""
    if part == "targets":
        return _("Objectives and targets")
    if part.startswith("activity:"):
        return _("Activity ${n}", mapping={"n": part.split(":", 1)[1]})
    if part.startswith("section:") and part[8:] in SECTION_LABELS:
        return SECTION_LABELS[part[8:]]
    return part


def apply_transition(
    plan: CommunePlan, action: str, user_id: int | None, comment: str = "", part_comments: dict[str, str] | None = None
) -> str:
    """Move the plan and record the event (and, for a return, one event per part commented)."""
    given = part_comments or {}
    parts = [(p, given[p].strip()) for p in valid_parts(plan) if (given.get(p) or "").strip()]
    return WORKFLOW.apply(
        plan, action, user_id=user_id, comment=comment, has_other_comment=bool(parts), part_comments=parts
    )


def returned_plans(dbsession, space_ids) -> list[tuple[CommunePlan, CommunePlanEvent | None]]:
    """The current plans of these communes that the district returned, each with its latest return."""
    if not space_ids:
        return []
    plans = list(
        dbsession.scalars(
            select(CommunePlan)
            .where(
                CommunePlan.space_id.in_(list(space_ids)),
                CommunePlan.is_current.is_(True),
                CommunePlan.state == "returned",
            )
            .order_by(CommunePlan.year)
        )
    )
    events: dict[int, CommunePlanEvent] = {}
    if plans:
        for e in dbsession.scalars(
            select(CommunePlanEvent)
            .where(CommunePlanEvent.plan_id.in_([p.id for p in plans]), CommunePlanEvent.action == "return")
            .order_by(CommunePlanEvent.at, CommunePlanEvent.id)
            .options(selectinload(CommunePlanEvent.user))
        ):
            events[e.plan_id] = e
    return [(p, events.get(p.id)) for p in plans]


def open_comments(plan: CommunePlan) -> dict[str, list[CommunePlanEvent]]:
    """The comments of the latest return, by part ("" for the plan as a whole), while returned."""
    if plan.state != "returned":
        return {}
    events = list(plan.events)
    last = max((i for i, e in enumerate(events) if e.action == "return"), default=None)
    if last is None:
        return {}
    found: dict[str, list[CommunePlanEvent]] = {}
    if events[last].comment:
        found.setdefault("", []).append(events[last])
    for e in events[last + 1 :]:
        if e.action != "comment":
            break
        found.setdefault(e.part, []).append(e)
    return found


def _copy_parts(source: CommunePlan, plan: CommunePlan) -> None:
    plan.targets = [
        CommunePlanTarget(
            indicator_key=t.indicator_key,
            label=t.label,
            unit=t.unit,
            baseline=t.baseline,
            baseline_source=t.baseline_source,
            target=t.target,
            sort_order=t.sort_order,
        )
        for t in source.targets
    ]
    plan.activities = [
        CommunePlanActivity(
            sort_order=a.sort_order,
            title=a.title,
            months_mask=a.months_mask,
            responsible=a.responsible,
            budget=a.budget,
            budget_source=a.budget_source,
            duty_key=a.duty_key,
        )
        for a in source.activities
    ]
    plan.sections = [CommunePlanSection(key=s.key, text=s.text) for s in source.sections]


def open_revision(dbsession, plan: CommunePlan, user_id: int | None, reason: str) -> CommunePlan:
    """Revision n+1 of an approved plan, as a draft copy; the approved one stays, read-only."""
    reason = (reason or "").strip()
    if plan.state != "approved" or not plan.is_current:
        raise TransitionError(TransitionCode.NOT_ALLOWED, "revise")
    if not reason:
        raise TransitionError(TransitionCode.COMMENT_REQUIRED, "revise")
    plan.is_current = False
    plan.updated_at = utcnow()
    plan.events.append(
        CommunePlanEvent(
            user_id=user_id, action="revise", from_state=plan.state, to_state=plan.state, comment=reason, part=""
        )
    )
    new = CommunePlan(
        space_id=plan.space_id,
        year=plan.year,
        revision=plan.revision + 1,
        is_current=True,
        state="draft",
        title=plan.title,
        number="",
        reason=reason,
        source_id=plan.id,
        events=[],
    )
    _copy_parts(plan, new)
    new.events.append(
        CommunePlanEvent(user_id=user_id, action="revise", from_state=None, to_state="draft", comment=reason, part="")
    )
    # The old revision must stop being current before the new one exists.
    dbsession.flush()
    dbsession.add(new)
    return new


# --- actuals of a year and the copy to the next year -----------------------------------------------------


@dataclass
class Actual:
    value: Decimal | None
    #: The reporting period the value was taken from (its Vietnamese title), or "" without data.
    period_title: str = ""
    period_code: str = ""


def commune_actuals(dbsession, registry, space_id: int, year: int, indicator_keys) -> dict[str, Actual]:
    """Each indicator's actual in one commune for ``year``, from its accepted reports: the year
    report where it has the figures, else the latest accepted half-year. One GROUP BY."""
    from intranet.plugin.registry import get_registry
    from intranet.reports.models import Period, Submission, SubmissionValue

    indicators = get_registry(registry).indicators
    wanted = [indicators[k] for k in indicator_keys if k in indicators and indicators[k].numerator]
    codes = sorted({c for i in wanted for c in i.numerator + i.denominator})
    if not codes:
        return {}
    rows = dbsession.execute(
        select(
            Period.code,
            Period.kind,
            Period.end_date,
            Period.title,
            SubmissionValue.element_code,
            func.sum(SubmissionValue.value_num),
        )
        .join(Submission, Submission.id == SubmissionValue.submission_id)
        .join(Period, Period.id == Submission.period_id)
        .where(
            Submission.space_id == space_id,
            Submission.state == "accepted",
            Period.year == year,
            SubmissionValue.element_code.in_(codes),
            SubmissionValue.value_num.is_not(None),
        )
        .group_by(Period.code, Period.kind, Period.end_date, Period.title, SubmissionValue.element_code)
    ).all()
    periods: dict[str, tuple] = {}
    totals: dict[str, dict[str, Decimal]] = {}
    for code, kind, end_date, title, element, total in rows:
        periods[code] = (kind, end_date, title)
        totals.setdefault(code, {})[element] = Decimal(total)
    # The year report first, then the half-years from the latest.
    order = sorted(periods, key=lambda c: (periods[c][0] == "year", periods[c][1]), reverse=True)
    result = {}
    for indicator in wanted:
        for code in order:
            values = totals[code]
            if not any(c in values for c in indicator.numerator):
                continue
            result[indicator.key] = Actual(indicator.value_of(values.get), periods[code][2], code)
            break
    return result


def copy_to_next_year(dbsession, registry, plan: CommunePlan, user_id: int | None) -> CommunePlan:
    """The plan of ``year + 1`` from an approved plan: the same structure, months kept, and each
    target's baseline the commune's actual of ``year`` from its accepted reports."""
    if plan.state != "approved" or not plan.is_current:
        raise TransitionError(TransitionCode.NOT_ALLOWED, "copy")
    year = plan.year + 1
    if has_plan(dbsession, plan.space_id, year):
        raise TransitionError(TransitionCode.EXISTS, "copy")
    space = plan.space if "space" in plan.__dict__ else None
    if space is None:
        from intranet.spaces.models import Space

        space = dbsession.get(Space, plan.space_id)
    new = CommunePlan(
        space_id=plan.space_id,
        year=year,
        revision=1,
        is_current=True,
        state="draft",
        title=plan_title(space, year),
        number="",
        reason="",
        source_id=plan.id,
        events=[],
    )
    _copy_parts(plan, new)
    actuals = commune_actuals(dbsession, registry, plan.space_id, plan.year, [t.indicator_key for t in new.targets])
    for t in new.targets:
        actual = actuals.get(t.indicator_key)
        t.baseline = actual.value if actual else None
        t.baseline_source = actual.period_title if actual and actual.value is not None else ""
    new.events.append(
        CommunePlanEvent(
            user_id=user_id, action="copy", from_state=None, to_state="draft", comment=str(plan.year), part=""
        )
    )
    dbsession.add(new)
    return new


# --- the signed scan ---------------------------------------------------------------------------------------


def attach_scan(dbsession, plan: CommunePlan, filename: str, data: bytes, kind: str, user_id: int | None) -> None:
    from intranet.documents.services import store

    if plan.state != "approved" or not plan.is_current:
        raise TransitionError(TransitionCode.NOT_ALLOWED, "attach")
    blob = store(dbsession, data, kind)
    dbsession.flush()
    plan.scan_sha256 = blob.sha256
    plan.scan_filename = filename
    plan.scan_uploaded_at = utcnow()
    plan.events.append(
        CommunePlanEvent(
            user_id=user_id, action="attach", from_state=plan.state, to_state=plan.state, comment=filename, part=""
        )
    )


def scan(dbsession, plan: CommunePlan):
    """(content type, bytes) of the plan's signed scan, or None."""
    from intranet.documents.models import Blob

    if not plan.scan_sha256:
        return None
    row = dbsession.execute(select(Blob.content_type, Blob.data).where(Blob.sha256 == plan.scan_sha256)).one_or_none()
    return tuple(row) if row else None


# --- progress: planned vs done ------------------------------------------------------------------------------


def _year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)


def activity_status(activity: CommunePlanActivity, year: int, latest: str | None, today: dt.date) -> str:
    """done / in progress (its duty has logs in the year) / overdue (its last month has passed
    with no log) / not started."""
    if latest == "done":
        return "done"
    if latest is not None:
        return "in_progress"
    months = activity.months
    if months and today > _month_end(year, months[-1]):
        return "overdue"
    return "not_started"


@dataclass
class ActivityProgress:
    number: int
    activity: CommunePlanActivity
    status: str
    logs: list


def plan_progress(dbsession, plan: CommunePlan, today: dt.date) -> list[ActivityProgress]:
    """Each activity with the commune's duty logs of its duty in the plan's year (one query)."""
    from intranet.duties.models import DutyLog

    keys = sorted({a.duty_key for a in plan.activities if a.duty_key})
    start, end = _year_bounds(plan.year)
    logs_by_key: dict[str, list] = {}
    if keys:
        for log in dbsession.scalars(
            select(DutyLog)
            .where(
                DutyLog.space_id == plan.space_id,
                DutyLog.duty_key.in_(keys),
                DutyLog.log_date >= start,
                DutyLog.log_date <= end,
            )
            .order_by(DutyLog.log_date.desc(), DutyLog.id.desc())
        ):
            logs_by_key.setdefault(log.duty_key, []).append(log)
    result = []
    for n, activity in enumerate(plan.activities, start=1):
        logs = logs_by_key.get(activity.duty_key, [])
        latest = logs[0].progress if logs else None
        result.append(ActivityProgress(n, activity, activity_status(activity, plan.year, latest, today), logs))
    return result


@dataclass
class DistrictRow:
    space: object
    plan: CommunePlan | None
    done: int = 0
    total: int = 0

    @property
    def state(self) -> str:
        return self.plan.state if self.plan else "none"

    @property
    def percent(self) -> int | None:
        if self.plan is None or self.plan.state != "approved" or not self.total:
            return None
        return round(self.done * 100 / self.total)


def district_plans(dbsession, year: int, today: dt.date, *, page: int = 1, size: int = 30):
    """The communes with their current plan of ``year``, its state and progress: (rows, total).

    Four statements whatever the number of communes, plans, activities and logs.
    """
    from intranet.duties.models import DutyLog
    from intranet.spaces.models import Space

    q = select(Space).where(Space.category == "commune")
    total = dbsession.scalar(select(func.count()).select_from(q.subquery()))
    spaces = dbsession.scalars(q.order_by(Space.sort_order, Space.title).limit(size).offset((page - 1) * size)).all()
    ids = [s.id for s in spaces] or [-1]
    plans = {
        p.space_id: p
        for p in dbsession.scalars(
            select(CommunePlan)
            .where(CommunePlan.space_id.in_(ids), CommunePlan.year == year, CommunePlan.is_current.is_(True))
            .options(selectinload(CommunePlan.activities))
        )
    }
    start, end = _year_bounds(year)
    partition = (DutyLog.space_id, DutyLog.duty_key)
    ranked = (
        select(
            DutyLog.space_id,
            DutyLog.duty_key,
            DutyLog.progress,
            func.row_number()
            .over(partition_by=partition, order_by=(DutyLog.log_date.desc(), DutyLog.id.desc()))
            .label("rn"),
        )
        .where(DutyLog.space_id.in_(ids), DutyLog.log_date >= start, DutyLog.log_date <= end)
        .subquery()
    )
    latest = {
        (r.space_id, r.duty_key): r.progress
        for r in dbsession.execute(
            select(ranked.c.space_id, ranked.c.duty_key, ranked.c.progress).where(ranked.c.rn == 1)
        )
    }
    rows = []
    for space in spaces:
        plan = plans.get(space.id)
        row = DistrictRow(space, plan)
        if plan is not None:
            row.total = len(plan.activities)
            row.done = sum(
                activity_status(a, year, latest.get((space.id, a.duty_key)), today) == "done" for a in plan.activities
            )
        rows.append(row)
    return rows, total
