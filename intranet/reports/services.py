"""Report forms, submissions, workflow transitions, completeness and consolidation.

The district's figures are SQL aggregations over the narrow ``submission_values`` table: one
GROUP BY per question, whatever the number of units.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from intranet import numbers
from intranet.i18n import _, local_date, local_today
from intranet.models.meta import utcnow
from intranet.plugin.forms import (
    DataElement,
    Disaggregation,
    Indicator,
    Narrative,
    Option,
    ReportForm,
    Rule,
    Section,
)
from intranet.plugin.registry import get_registry
from intranet.reports.models import (
    FormVersion,
    IndicatorTarget,
    Period,
    Submission,
    SubmissionEvent,
    SubmissionNarrative,
    SubmissionValue,
)
from intranet.reports.workflow import COMMENT_REQUIRED, TRANSITIONS

STATE_LABELS = {
    "draft": _("Draft"),
    "submitted": _("Submitted"),
    "returned": _("Returned"),
    "accepted": _("Accepted"),
    "missing": _("Missing"),
}
ACTION_LABELS = {
    "save": _("Saved"),
    "submit": _("Submitted"),
    "return": _("Returned"),
    "accept": _("Accepted"),
    "reopen": _("Reopened"),
}
MAX_TEXT = 4000
#: Lines of one narrative. Each line costs the PDF at least a line, whatever its length: 4,000
#: line breaks made the district's consolidated PDF 4,536 pages and several minutes of work.
MAX_LINES = 200
#: The largest figure a report cell takes (value_num is Numeric(18, 2)).
MAX_FIGURE = 10**15 - 1


# --- forms and their versions --------------------------------------------------------------------


def forms_for(registry, kind: str) -> list[ReportForm]:
    return get_registry(registry).forms_for(kind)


def form(registry, key: str) -> ReportForm | None:
    return get_registry(registry).forms.get(key)


def definition(form: ReportForm) -> dict:
    """The form as plain data, to keep with submissions filed under its version."""
    return dataclasses.asdict(form)


def from_definition(data: dict) -> ReportForm:
    """Rebuild a form from :func:`definition`."""

    def disaggregation(d):
        if d is None:
            return None
        return Disaggregation(d["key"], d["label"], d["label_en"], tuple(Option(**o) for o in d["options"]))

    def element(e):
        return DataElement(**{**e, "disaggregation": disaggregation(e["disaggregation"])})

    sections = tuple(
        Section(s["key"], s["title"], s["title_en"], tuple(element(e) for e in s["elements"]),
                tuple(Narrative(**n) for n in s["narratives"]))
        for s in data["sections"]
    )
    return ReportForm(key=data["key"], title=data["title"], title_en=data["title_en"],
                      space_kind=data["space_kind"], period_types=tuple(data["period_types"]),
                      version=data["version"], sections=sections,
                      rules=tuple(Rule(**r) for r in data["rules"]))


def ensure_form_version(dbsession, form: ReportForm) -> None:
    found = dbsession.scalar(select(FormVersion.id).where(
        FormVersion.form_key == form.key, FormVersion.version == form.version))
    if found is None:
        dbsession.add(FormVersion(form_key=form.key, version=form.version, definition=definition(form)))


def form_of(dbsession, registry, submission: Submission | None, form_key: str) -> ReportForm | None:
    """The form a submission was filed under: the plugin's current one, or the kept definition."""
    current = form(registry, form_key)
    if submission is None or (current is not None and current.version == submission.form_version):
        return current
    data = dbsession.scalar(select(FormVersion.definition).where(
        FormVersion.form_key == form_key, FormVersion.version == submission.form_version))
    return from_definition(data) if data else current


# --- periods -------------------------------------------------------------------------------------


def periods(dbsession) -> list[Period]:
    return list(dbsession.scalars(select(Period).order_by(Period.year.desc(), Period.due_date.desc())))


def period_by_code(dbsession, code: str) -> Period | None:
    return dbsession.scalars(select(Period).where(Period.code == code)).one_or_none()


def is_locked(period: Period, submission: Submission | None, today: dt.date | None = None) -> bool:
    today = today or local_today()
    return today > period.lock_date and not (submission is not None and submission.unlocked)


def timeliness(submission: Submission | None, period: Period) -> str:
    """"on_time", "late", or "missing" for a report that has not been submitted yet."""
    if submission is None or submission.first_submitted_at is None:
        return "missing"
    # The deadline is a day in Đăk Tô, not in UTC.
    return "on_time" if local_date(submission.first_submitted_at) <= period.due_date else "late"


# --- reading and checking what was typed ---------------------------------------------------------

def field_name(code: str, option: str = "") -> str:
    return f"v.{code}.{option}" if option else f"v.{code}"


def parse_value(element: DataElement, raw: str):
    """(value, error message) for one typed cell; (None, None) when empty."""
    raw = (raw or "").strip()
    if raw == "":
        return None, None
    vt = element.value_type
    if vt == "text":
        if len(raw) > MAX_TEXT:
            return None, _("At most ${n} characters.", mapping={"n": MAX_TEXT})
        return raw, None
    if vt == "yesno":
        if raw in ("1", "0"):
            return Decimal(raw), None
        return None, _("Choose yes or no.")
    if vt == "percentage":
        try:
            return numbers.parse_percentage(raw), None
        except numbers.NumberError as exc:
            return None, exc.message
    try:
        value = numbers.parse_integer(raw, allow_negative=vt == "integer", minimum=-MAX_FIGURE, maximum=MAX_FIGURE)
    except numbers.NumberError as exc:
        too_large = numbers.MSG_TOO_LARGE
        if vt == "money":
            money = _("Enter an amount in đồng, digits only, e.g. 1.500.000.")
            return None, exc.message_or(invalid=money, negative=money, too_small=too_large, too_large=too_large)
        return None, exc.message_or(too_small=too_large, too_large=too_large)
    return Decimal(value), None


@dataclass
class Entry:
    """What was typed into a report form, what it means, and what is wrong with it."""

    raw: dict[str, str] = field(default_factory=dict)
    values: dict[tuple[str, str], object] = field(default_factory=dict)
    narratives: dict[str, str] = field(default_factory=dict)
    errors: dict[str, object] = field(default_factory=dict)

    def total(self, code: str):
        cells = [v for (c, _o), v in self.values.items() if c == code and isinstance(v, Decimal)]
        return sum(cells, Decimal(0)) if cells else None

    def cell(self, ref: str):
        """The value named by a rule side: "code" (the total) or "code[option]"."""
        if "[" in ref:
            code, option = ref[:-1].split("[", 1)
            value = self.values.get((code, option))
            return value if isinstance(value, Decimal) else None
        return self.total(ref)


def read_entry(form: ReportForm, post) -> Entry:
    """Parse every field of the form from a POST; format errors are collected, nothing is lost."""
    entry = Entry()
    for element in form.elements():
        for option in element.cells():
            name = field_name(element.code, option)
            raw = post.get(name, "")
            entry.raw[name] = raw
            value, error = parse_value(element, raw)
            if error is not None:
                entry.errors[name] = error
                continue
            if value is None:
                continue
            if isinstance(value, Decimal):
                if element.minimum is not None and value < Decimal(str(element.minimum)):
                    entry.errors[name] = _("The smallest allowed value is ${n}.", mapping={"n": element.minimum})
                    continue
                if element.maximum is not None and value > Decimal(str(element.maximum)):
                    entry.errors[name] = _("The largest allowed value is ${n}.", mapping={"n": element.maximum})
                    continue
            entry.values[(element.code, option)] = value
    for narrative in form.narratives():
        text = (post.get(f"n.{narrative.key}", "") or "").strip()
        if len(text) > MAX_TEXT * 2:
            entry.errors[f"n.{narrative.key}"] = _("At most ${n} characters.", mapping={"n": MAX_TEXT * 2})
        elif text.count("\n") >= MAX_LINES:
            entry.errors[f"n.{narrative.key}"] = _("At most ${n} lines.", mapping={"n": MAX_LINES})
        entry.narratives[narrative.key] = text
    return entry


def entry_from_submission(form: ReportForm, submission: Submission | None) -> Entry:
    entry = Entry()
    if submission is None:
        return entry
    for v in submission.values:
        element = form.element(v.element_code)
        if element is None:
            continue
        value = v.value_text if element.value_type == "text" else v.value_num
        entry.values[(v.element_code, v.option)] = value
        entry.raw[field_name(v.element_code, v.option)] = display_raw(element, value)
    for n in submission.narratives:
        entry.narratives[n.key] = n.text
    return entry


def display_raw(element: DataElement, value) -> str:
    if value is None:
        return ""
    if element.value_type == "text":
        return str(value)
    if element.value_type == "percentage":
        return format(Decimal(value).normalize(), "f").replace(".", ",")
    return str(int(value))


OPS = {
    "<=": lambda a, b: a <= b,
    "<": lambda a, b: a < b,
    ">=": lambda a, b: a >= b,
    ">": lambda a, b: a > b,
    "==": lambda a, b: a == b,
}


def check_for_submission(form: ReportForm, entry: Entry, *, english: bool = False) -> None:
    """Add the errors that block submitting: missing compulsory values and broken rules."""
    for element in form.elements():
        if not element.compulsory:
            continue
        for option in element.cells():
            name = field_name(element.code, option)
            if (element.code, option) not in entry.values and name not in entry.errors:
                entry.errors[name] = _("This figure is required before the report can be submitted.")
    for narrative in form.narratives():
        if narrative.compulsory and not entry.narratives.get(narrative.key):
            entry.errors.setdefault(f"n.{narrative.key}", _("This part is required before the report can be submitted."))
    for rule in form.rules:
        left, right = entry.cell(rule.left), entry.cell(rule.right)
        if left is None or right is None:
            continue
        if not OPS[rule.op](left, right):
            name = rule_field(form, rule.left)
            entry.errors.setdefault(name, rule.message_en if english else rule.message)


def rule_field(form: ReportForm, ref: str) -> str:
    """The field a rule's message is shown beside: the cell, or an element's first cell."""
    if "[" in ref:
        code, option = ref[:-1].split("[", 1)
        return field_name(code, option)
    element = form.element(ref)
    return field_name(ref, element.cells()[0])


# --- saving and transitions ----------------------------------------------------------------------


def load_submission(dbsession, form_key: str, space_id: int, period_id: int, *, for_update=False):
    q = (select(Submission)
         .where(Submission.form_key == form_key, Submission.space_id == space_id,
                Submission.period_id == period_id)
         .options(selectinload(Submission.values), selectinload(Submission.narratives),
                  selectinload(Submission.events).selectinload(SubmissionEvent.user))
         .execution_options(populate_existing=True))
    if for_update:
        q = q.with_for_update()
    return dbsession.scalars(q).one_or_none()


def create_submission(dbsession, form: ReportForm, space_id: int, period_id: int) -> Submission:
    ensure_form_version(dbsession, form)
    submission = Submission(form_key=form.key, form_version=form.version, space_id=space_id,
                            period_id=period_id, state="draft", values=[], narratives=[], events=[])
    dbsession.add(submission)
    return submission


def store_entry(submission: Submission, form: ReportForm, entry: Entry) -> None:
    """Replace the submission's figures and narratives with the entry's."""
    existing = {(v.element_code, v.option): v for v in submission.values}
    for key, value in entry.values.items():
        element = form.element(key[0])
        row = existing.pop(key, None)
        if row is None:
            row = SubmissionValue(element_code=key[0], option=key[1])
            submission.values.append(row)
        if element.value_type == "text":
            row.value_text, row.value_num = value, None
        else:
            row.value_num, row.value_text = value, None
    for row in existing.values():
        submission.values.remove(row)
    narratives = {n.key: n for n in submission.narratives}
    for key, text in entry.narratives.items():
        row = narratives.pop(key, None)
        if text:
            if row is None:
                submission.narratives.append(SubmissionNarrative(key=key, text=text))
            else:
                row.text = text
        elif row is not None:
            submission.narratives.remove(row)
    for row in narratives.values():
        submission.narratives.remove(row)


class TransitionError(ValueError):
    pass


def apply_transition(submission: Submission, action: str, user_id: int, comment: str = "") -> str:
    """Move the submission; record the event. Returns the new state."""
    new_state = TRANSITIONS.get((submission.state, action))
    if new_state is None:
        raise TransitionError(action)
    if action in COMMENT_REQUIRED and not comment.strip():
        raise TransitionError("comment")
    now = utcnow()
    old_state = submission.state
    submission.state = new_state
    # Every save and transition updates the row, so its version moves and a stale form conflicts.
    submission.updated_at = now
    if action == "submit":
        submission.submitted_at = now
        if submission.first_submitted_at is None:
            submission.first_submitted_at = now
    elif action == "accept":
        submission.accepted_at = now
    elif action == "return":
        # A returned report must be fixable, even after the period's lock date.
        submission.unlocked = True
    elif action == "reopen":
        submission.accepted_at = None
        submission.unlocked = True
    submission.events.append(SubmissionEvent(user_id=user_id, action=action, from_state=old_state,
                                             to_state=new_state, comment=comment.strip()))
    return new_state


# --- what a space owes; completeness -------------------------------------------------------------


@dataclass
class Expected:
    space: object
    form: ReportForm
    period: Period
    submission: Submission | None

    @property
    def state(self) -> str:
        return self.submission.state if self.submission else "missing"

    @property
    def timeliness(self) -> str:
        return timeliness(self.submission, self.period)

    @property
    def overdue(self) -> bool:
        return self.timeliness == "missing" and local_today() > self.period.due_date


def expected_reports(dbsession, registry, spaces, period_list) -> list[Expected]:
    """Forms × spaces of the kinds that must submit them × periods, with what exists (one query)."""
    space_ids = [s.id for s in spaces]
    period_ids = [p.id for p in period_list]
    found = {}
    if space_ids and period_ids:
        for sub in dbsession.scalars(select(Submission).where(
                Submission.space_id.in_(space_ids), Submission.period_id.in_(period_ids))):
            found[(sub.form_key, sub.space_id, sub.period_id)] = sub
    result = []
    for period in period_list:
        for space in spaces:
            for f in forms_for(registry, space.kind):
                if period.kind in f.period_types:
                    result.append(Expected(space, f, period, found.get((f.key, space.id, period.id))))
    return result


@dataclass
class Completeness:
    expected: int = 0
    submitted: int = 0
    accepted: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0

    def add(self, item: Expected) -> None:
        self.expected += 1
        if item.state in ("submitted", "accepted"):
            self.submitted += 1
        if item.state == "accepted":
            self.accepted += 1
        t = item.timeliness
        if t == "on_time":
            self.on_time += 1
        elif t == "late":
            self.late += 1
        else:
            self.missing += 1


def completeness(items: list[Expected]):
    """Totals per space and for the whole district."""
    per_space: dict[int, Completeness] = defaultdict(Completeness)
    total = Completeness()
    for item in items:
        per_space[item.space.id].add(item)
        total.add(item)
    return per_space, total


# --- consolidation -------------------------------------------------------------------------------


def _values_of(period_id: int, states):
    from intranet.spaces.models import Space

    return (select(SubmissionValue.element_code, SubmissionValue.option)
            .join(Submission, Submission.id == SubmissionValue.submission_id)
            .join(Space, Space.id == Submission.space_id)
            .where(Submission.period_id == period_id, Submission.state.in_(states),
                   SubmissionValue.value_num.is_not(None)))


def category_totals(dbsession, period_id: int, states=("accepted",)):
    """(element, option, category, sum): the district's totals, communes and agencies apart."""
    from intranet.spaces.models import Space

    return dbsession.execute(
        _values_of(period_id, states).add_columns(Space.category, func.sum(SubmissionValue.value_num))
        .group_by(SubmissionValue.element_code, SubmissionValue.option, Space.category)
    ).all()


def space_totals(dbsession, period_id: int, states=("accepted",)):
    """(element, option, space id, sum): the breakdown by unit."""
    return dbsession.execute(
        _values_of(period_id, states).add_columns(Submission.space_id, func.sum(SubmissionValue.value_num))
        .group_by(SubmissionValue.element_code, SubmissionValue.option, Submission.space_id)
    ).all()


def consolidated_values(dbsession, period_id: int, states=("accepted",)):
    """Sums by (element, option, space) and by (element, option, category), in two GROUP BYs."""
    return space_totals(dbsession, period_id, states), category_totals(dbsession, period_id, states)


def element_totals(dbsession, period_id: int) -> dict[tuple[str, str], Decimal]:
    """Each element's total per space kind over the accepted reports of the period (one GROUP BY)."""
    from intranet.spaces.models import Space

    rows = dbsession.execute(
        select(SubmissionValue.element_code, Space.kind, func.sum(SubmissionValue.value_num))
        .join(Submission, Submission.id == SubmissionValue.submission_id)
        .join(Space, Space.id == Submission.space_id)
        .where(Submission.period_id == period_id, Submission.state == "accepted",
               SubmissionValue.value_num.is_not(None))
        .group_by(SubmissionValue.element_code, Space.kind)
    ).all()
    return {(code, kind): Decimal(total) for code, kind, total in rows}


def _total(totals, code: str, kinds: tuple[str, ...]) -> Decimal | None:
    values = [v for (c, k), v in totals.items() if c == code and (not kinds or k in kinds)]
    return sum(values, Decimal(0)) if values else None


def state_counts(dbsession, period_id: int) -> dict[str, int]:
    rows = dbsession.execute(
        select(Submission.state, func.count()).where(Submission.period_id == period_id)
        .group_by(Submission.state)).all()
    return dict(rows)


# --- indicators ----------------------------------------------------------------------------------


@dataclass
class IndicatorResult:
    indicator: Indicator
    target: IndicatorTarget | None
    actual: Decimal | None
    threshold: Decimal | None
    comparison: str | None

    @property
    def met(self) -> bool | None:
        if self.actual is None or self.threshold is None:
            return None
        return OPS[self.comparison](self.actual, self.threshold)

    @property
    def achievement(self) -> Decimal | None:
        """Actual as a share of the target, in % (for "higher is better"); None otherwise."""
        if self.actual is None or not self.threshold or self.comparison != ">=":
            return None
        return (self.actual / self.threshold * 100).quantize(Decimal("0.1"))


def threshold(target: IndicatorTarget, better: str) -> tuple[Decimal, str]:
    """The value the actual is compared with, and how: e.g. injuries −10 % of 124 → (111, "<=").

    A relative target on a count is rounded towards the stricter whole number: to meet −10 %
    on 124 injuries there must be at most 111 (111.6 would allow a fraction of a child).
    """
    value = Decimal(target.target_value)
    if target.target_mode == "at_least":
        return value, ">="
    if target.target_mode == "at_most":
        return value, "<="
    limit = Decimal(target.baseline) * (1 + value / 100)
    if better == "lower":
        return Decimal(math.floor(limit)), "<="
    return Decimal(math.ceil(limit)), ">="


def compute_indicators(dbsession, registry, plan_id: int, period_id: int) -> list[IndicatorResult]:
    reg = get_registry(registry)
    totals = element_totals(dbsession, period_id)
    period = dbsession.get(Period, period_id)
    targets = {t.indicator_key: t for t in dbsession.scalars(
        select(IndicatorTarget).where(IndicatorTarget.plan_id == plan_id))}
    order = {key: t.sort_order for key, t in targets.items()}
    results = []
    for indicator in sorted(reg.indicators.values(), key=lambda i: (order.get(i.key, 999), i.key)):
        kinds = indicator.space_kinds
        num = [_total(totals, c, kinds) for c in indicator.numerator]
        actual = None
        if indicator.compute is not None:
            value = indicator.compute(dbsession, period)
            actual = None if value is None else Decimal(value)
        elif any(v is not None for v in num):
            numerator = sum((v or Decimal(0) for v in num), Decimal(0))
            if indicator.denominator:
                den = sum((_total(totals, c, kinds) or Decimal(0) for c in indicator.denominator), Decimal(0))
                actual = (numerator / den * Decimal(str(indicator.factor))).quantize(Decimal("0.1")) if den else None
            else:
                actual = numerator * Decimal(str(indicator.factor))
        target = targets.get(indicator.key)
        limit, comparison = threshold(target, indicator.better) if target else (None, None)
        results.append(IndicatorResult(indicator, target, actual, limit, comparison))
    return results





def accepted_narratives(dbsession, period_id: int) -> list[tuple[int, str, str, str]]:
    """(space id, form key, narrative key, text) of every accepted report of the period."""
    return list(dbsession.execute(
        select(Submission.space_id, Submission.form_key, SubmissionNarrative.key, SubmissionNarrative.text)
        .join(SubmissionNarrative, SubmissionNarrative.submission_id == Submission.id)
        .where(Submission.period_id == period_id, Submission.state == "accepted")
        .order_by(Submission.space_id, SubmissionNarrative.id)
    ).all())


# --- the consolidated report of a period: the page and its exports -------------------------------


@dataclass
class Consolidation:
    """What the district's consolidated report of a period shows, on the page and in exports."""

    period: Period
    spaces: list
    communes: list
    agencies: list
    forms: dict[str, ReportForm]
    commune_forms: list[ReportForm]
    agency_forms: list[tuple[ReportForm, list]]
    #: (element, option, space id) -> sum over the space's accepted reports
    by_space: dict[tuple[str, str, int], Decimal]
    #: (element, option, space category) -> sum over the accepted reports
    by_category: dict[tuple[str, str, str], Decimal]
    pending: list[Expected]
    accepted: list[Expected]
    narratives: list[tuple[int, str, str, str]]
    indicators: list[IndicatorResult] | None = None

    @property
    def spaces_by_id(self) -> dict:
        return {s.id: s for s in self.spaces}

    def narrative(self, form_key: str, key: str):
        """The Narrative of a form by key (its label), or None for a key the form dropped."""
        form = self.forms.get(form_key)
        for narrative in form.narratives() if form else ():
            if narrative.key == key:
                return narrative
        return None


def all_spaces(dbsession) -> list:
    from intranet.spaces.models import Space

    return list(dbsession.scalars(select(Space).order_by(Space.category, Space.sort_order, Space.title)))


def consolidation(dbsession, registry, period: Period, *, indicators: bool = False) -> Consolidation:
    """The consolidated figures of a period: accepted reports only, summed in SQL.

    The number of statements does not grow with the number of reports. ``indicators`` adds the
    plan's indicators computed for the period (the exports show them; the page links to them).
    """
    reg = get_registry(registry)
    spaces = all_spaces(dbsession)
    communes = [s for s in spaces if s.category == "commune"]
    agencies = [s for s in spaces if s.category == "agency"]
    by_space_rows, by_category_rows = consolidated_values(dbsession, period.id)
    items = expected_reports(dbsession, registry, spaces, [period])
    commune_kinds = {s.kind for s in communes}
    agency_kinds = {s.kind for s in agencies}
    return Consolidation(
        period=period,
        spaces=spaces,
        communes=communes,
        agencies=agencies,
        forms=dict(reg.forms),
        commune_forms=[f for f in reg.forms.values() if f.space_kind in commune_kinds],
        agency_forms=[(f, [s for s in agencies if s.kind == f.space_kind])
                      for f in reg.forms.values() if f.space_kind in agency_kinds],
        by_space={(code, option, space_id): total for code, option, space_id, total in by_space_rows},
        by_category={(code, option, cat): total for code, option, cat, total in by_category_rows},
        pending=[i for i in items if i.state == "submitted"],
        accepted=[i for i in items if i.state == "accepted"],
        narratives=accepted_narratives(dbsession, period.id),
        indicators=(compute_indicators(dbsession, registry, period.plan_id, period.id)
                    if indicators else None),
    )
