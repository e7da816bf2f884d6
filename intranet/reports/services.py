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
from intranet.duties.models import DutyLog, DutyLogValue
from intranet.i18n import _, local_date, local_today
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
from intranet.reports.workflow import WORKFLOW
from intranet.workflow import TransitionCode, TransitionError  # noqa: F401 (the callers' names)
from intranet.workflow.documents import Subject

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
        Section(
            s["key"],
            s["title"],
            s["title_en"],
            tuple(element(e) for e in s["elements"]),
            tuple(Narrative(**n) for n in s["narratives"]),
        )
        for s in data["sections"]
    )
    return ReportForm(
        key=data["key"],
        title=data["title"],
        title_en=data["title_en"],
        space_kind=data["space_kind"],
        period_types=tuple(data["period_types"]),
        version=data["version"],
        sections=sections,
        rules=tuple(Rule(**r) for r in data["rules"]),
    )


def ensure_form_version(dbsession, form: ReportForm) -> None:
    found = dbsession.scalar(
        select(FormVersion.id).where(FormVersion.form_key == form.key, FormVersion.version == form.version)
    )
    if found is None:
        dbsession.add(FormVersion(form_key=form.key, version=form.version, definition=definition(form)))


def form_of(dbsession, registry, submission: Submission | None, form_key: str) -> ReportForm | None:
    """The form a submission was filed under: the plugin's current one, or the kept definition."""
    current = form(registry, form_key)
    if submission is None or (current is not None and current.version == submission.form_version):
        return current
    data = dbsession.scalar(
        select(FormVersion.definition).where(
            FormVersion.form_key == form_key, FormVersion.version == submission.form_version
        )
    )
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
    """ "on_time", "late", or "missing" for a report that has not been submitted yet."""
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
    """Parse every field of the report page's form (a POST); see :func:`read_values`."""
    cells = {(e.code, o): post.get(field_name(e.code, o), "") for e in form.elements() for o in e.cells()}
    texts = {n.key: post.get(f"n.{n.key}", "") for n in form.narratives()}
    return read_values(form, cells, texts)


def read_values(form: ReportForm, cells: dict[tuple[str, str], str], texts: dict[str, str]) -> Entry:
    """Parse figures typed as text, by (element code, option), and narratives, by key.

    The page and the API both read through here. Format errors are collected beside their
    field (errors are keyed by the page's field name), nothing typed is lost.
    """
    entry = Entry()
    for element in form.elements():
        for option in element.cells():
            name = field_name(element.code, option)
            raw = cells.get((element.code, option), "")
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
        text = (texts.get(narrative.key, "") or "").strip()
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
            entry.errors.setdefault(
                f"n.{narrative.key}", _("This part is required before the report can be submitted.")
            )
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
    q = (
        select(Submission)
        .where(Submission.form_key == form_key, Submission.space_id == space_id, Submission.period_id == period_id)
        .options(
            selectinload(Submission.values),
            selectinload(Submission.narratives),
            selectinload(Submission.events).selectinload(SubmissionEvent.user),
        )
        .execution_options(populate_existing=True)
    )
    if for_update:
        q = q.with_for_update()
    return dbsession.scalars(q).one_or_none()


def create_submission(dbsession, form: ReportForm, space_id: int, period_id: int) -> Submission:
    ensure_form_version(dbsession, form)
    submission = Submission(
        form_key=form.key,
        form_version=form.version,
        space_id=space_id,
        period_id=period_id,
        state="draft",
        values=[],
        narratives=[],
        events=[],
    )
    dbsession.add(submission)
    return submission


def store_entry(submission: Submission, form: ReportForm, entry: Entry, *, keep=frozenset()) -> None:
    """Replace the submission's figures and narratives with the entry's.

    ``keep``: field names whose typed text could not be read; their saved value stays as it was
    (a draft saved with a typo loses nothing that was saved before).
    """
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
        if field_name(row.element_code, row.option) not in keep:
            submission.values.remove(row)
    narratives = {n.key: n for n in submission.narratives}
    for key, text in entry.narratives.items():
        if f"n.{key}" in keep:
            narratives.pop(key, None)
            continue
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


def apply_transition(
    submission: Submission, action: str, user_id: int | None, comment: str = "", *, locked: bool = False
) -> str:
    """Move the submission by ``action`` on the report workflow and record the event; the new state.

    ``locked``: the period is past its lock date for this report (the unit's own acts are refused).
    """
    return WORKFLOW.apply(submission, action, user_id=user_id, comment=comment, locked=locked)


def return_reasons(dbsession, submission_ids) -> dict[int, SubmissionEvent]:
    """The latest return (who, when, why) of each of these submissions, in one query."""
    if not submission_ids:
        return {}
    found: dict[int, SubmissionEvent] = {}
    for event in dbsession.scalars(
        select(SubmissionEvent)
        .where(SubmissionEvent.submission_id.in_(list(submission_ids)), SubmissionEvent.action == "return")
        .order_by(SubmissionEvent.at, SubmissionEvent.id)
        .options(selectinload(SubmissionEvent.user))
    ):
        found[event.submission_id] = event
    return found


def report_subject(space, form: ReportForm, period: Period) -> Subject:
    """What the audit trail and the notices say of one unit's report for one period."""
    return Subject(
        audit_prefix="report",
        obj_type="submission",
        space=space,
        path=f"/spaces/{space.slug}/reports/{form.key}/{period.code}",
        title=f"Báo cáo «{form.title}» {period.title}",
        detail={"form": form.key, "period": period.code},
    )


# --- what a space owes; completeness -------------------------------------------------------------


#: The states of a report that is with the district: waiting for review, or accepted. A returned
#: report is back with its unit, and a reopened one is a draft again: neither is submitted.
SENT_STATES = ("submitted", "accepted")

#: How the completeness line counts one expected report (:attr:`Expected.standing`).
STANDING_LABELS = {
    "on_time": _("On time"),
    "late": _("Late"),
    "returned": _("Not submitted (returned)"),
    "overdue": _("Overdue"),
    "not_submitted": _("Not submitted"),
}


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

    @property
    def sent(self) -> bool:
        """Whether the report is with the district now (submitted or accepted)."""
        return self.state in SENT_STATES

    @property
    def standing(self) -> str:
        """The one bucket of the completeness line this report falls in: "on_time" or "late"
        once sent (its first sending decides), else "returned", "overdue" or "not_submitted"."""
        if self.sent:
            return "late" if self.timeliness == "late" else "on_time"
        if self.state == "returned":
            return "returned"
        return "overdue" if self.overdue else "not_submitted"


def expected_reports(dbsession, registry, spaces, period_list) -> list[Expected]:
    """Forms × spaces of the kinds that must submit them × periods, with what exists (one query)."""
    space_ids = [s.id for s in spaces]
    period_ids = [p.id for p in period_list]
    found = {}
    if space_ids and period_ids:
        for sub in dbsession.scalars(
            select(Submission).where(Submission.space_id.in_(space_ids), Submission.period_id.in_(period_ids))
        ):
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
    """What the expected reports have come to. Each count is defined once, and they add up:

    * ``expected == submitted + not_submitted``: every expected report is either with the district
      (submitted, waiting or accepted) or not;
    * ``submitted == on_time + late``: the first sending decides, so a report sent back and sent
      again keeps its first date;
    * ``accepted`` is part of ``submitted``;
    * ``returned`` and ``overdue`` are parts of ``not_submitted``: a returned report is back with
      the unit to be corrected, so it is not submitted until the unit sends it again.
    """

    expected: int = 0
    submitted: int = 0
    accepted: int = 0
    on_time: int = 0
    late: int = 0
    not_submitted: int = 0
    returned: int = 0
    overdue: int = 0

    def add(self, item: Expected) -> None:
        self.expected += 1
        standing = item.standing
        if item.sent:
            self.submitted += 1
            if standing == "late":
                self.late += 1
            else:
                self.on_time += 1
            if item.state == "accepted":
                self.accepted += 1
        else:
            self.not_submitted += 1
            if standing == "returned":
                self.returned += 1
            elif standing == "overdue":
                self.overdue += 1

    @property
    def waiting(self) -> int:
        """Submitted and not yet accepted: what waits for the district's review."""
        return self.submitted - self.accepted


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

    return (
        select(SubmissionValue.element_code, SubmissionValue.option)
        .join(Submission, Submission.id == SubmissionValue.submission_id)
        .join(Space, Space.id == Submission.space_id)
        .where(Submission.period_id == period_id, Submission.state.in_(states), SubmissionValue.value_num.is_not(None))
    )


def category_totals(dbsession, period_id: int, states=("accepted",)):
    """(element, option, category, sum): the district's totals, communes and agencies apart."""
    from intranet.spaces.models import Space

    return dbsession.execute(
        _values_of(period_id, states)
        .add_columns(Space.category, func.sum(SubmissionValue.value_num))
        .group_by(SubmissionValue.element_code, SubmissionValue.option, Space.category)
    ).all()


def space_totals(dbsession, period_id: int, states=("accepted",)):
    """(element, option, space id, sum): the breakdown by unit."""
    return dbsession.execute(
        _values_of(period_id, states)
        .add_columns(Submission.space_id, func.sum(SubmissionValue.value_num))
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
        .where(
            Submission.period_id == period_id, Submission.state == "accepted", SubmissionValue.value_num.is_not(None)
        )
        .group_by(SubmissionValue.element_code, Space.kind)
    ).all()
    return {(code, kind): Decimal(total) for code, kind, total in rows}


def _total(totals, code: str, kinds: tuple[str, ...]) -> Decimal | None:
    values = [v for (c, k), v in totals.items() if c == code and (not kinds or k in kinds)]
    return sum(values, Decimal(0)) if values else None


def state_counts(dbsession, period_id: int) -> dict[str, int]:
    rows = dbsession.execute(
        select(Submission.state, func.count()).where(Submission.period_id == period_id).group_by(Submission.state)
    ).all()
    return dict(rows)


# --- indicators ----------------------------------------------------------------------------------


#: What the indicator page says of an indicator (:attr:`IndicatorResult.verdict`).
VERDICT_LABELS = {
    "met": _("Met"),
    "not_met": _("Not met"),
    "incomplete": _("Not enough data"),
    "mid_year": _("Mid-year reading"),
    "no_target": _("No target set"),
    "no_data": _("No data yet"),
}


@dataclass(frozen=True)
class Coverage:
    """How many of the units that must report an indicator's figures have an accepted report.

    ``reported`` of ``expected`` units ("7/9"); ``communes`` when every one of them is a commune
    ("7/9 xã"); ``missing`` the units still without an accepted report, in the district's order.
    """

    reported: int
    expected: int
    communes: bool = False
    missing: tuple = ()

    @property
    def complete(self) -> bool:
        return self.expected > 0 and self.reported >= self.expected


@dataclass
class IndicatorResult:
    indicator: Indicator
    target: IndicatorTarget | None
    actual: Decimal | None
    threshold: Decimal | None
    comparison: str | None
    #: None for an indicator that is not a sum of report figures (counted from a registry).
    coverage: Coverage | None = None
    #: Whether the period is the year: the plan's targets are annual, judged on the year report.
    final: bool = True

    @property
    def compared(self) -> bool | None:
        """The actual against the target, whatever the coverage and the period: a reading only."""
        if self.actual is None or self.threshold is None:
            return None
        return OPS[self.comparison](self.actual, self.threshold)

    @property
    def verdict(self) -> str:
        """ "met" or "not_met" only on the year, with every unit's accepted report; otherwise
        "incomplete" (units still without one), "mid_year" (a half-year reading of an annual
        target), "no_target" or "no_data"."""
        if self.actual is None:
            return "no_data"
        if self.coverage is not None and not self.coverage.complete:
            return "incomplete"
        if self.threshold is None:
            return "no_target"
        if not self.final:
            return "mid_year"
        return "met" if self.compared else "not_met"

    @property
    def met(self) -> bool | None:
        """True or False when the target can be judged (:attr:`verdict`); None otherwise."""
        verdict = self.verdict
        return {"met": True, "not_met": False}.get(verdict)

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


def indicator_coverage(registry, indicator: Indicator, period: Period, spaces, accepted) -> Coverage | None:
    """Units with an accepted report / units that must report the indicator's figures.

    A unit must report them when one of the forms its kind files for the period carries one of
    the indicator's elements (and its kind is one the indicator counts); it is covered when every
    such form is accepted. ``accepted`` holds the (space id, form key) of the accepted reports.
    None for an indicator computed otherwise than from report figures.
    """
    codes = set(indicator.numerator) | set(indicator.denominator)
    if indicator.compute is not None or not codes:
        return None
    owing, missing = [], []
    for space in spaces:
        if indicator.space_kinds and space.kind not in indicator.space_kinds:
            continue
        keys = [
            f.key
            for f in forms_for(registry, space.kind)
            if period.kind in f.period_types and codes & {e.code for e in f.elements()}
        ]
        if not keys:
            continue
        owing.append(space)
        if not all((space.id, key) in accepted for key in keys):
            missing.append(space)
    return Coverage(
        reported=len(owing) - len(missing),
        expected=len(owing),
        communes=bool(owing) and all(s.category == "commune" for s in owing),
        missing=tuple(missing),
    )


def accepted_reports(dbsession, period_id: int) -> set[tuple[int, str]]:
    """(space id, form key) of the period's accepted reports (one query)."""
    return set(
        dbsession.execute(
            select(Submission.space_id, Submission.form_key).where(
                Submission.period_id == period_id, Submission.state == "accepted"
            )
        ).all()
    )


def compute_indicators(dbsession, registry, plan_id: int, period_id: int, *, spaces=None) -> list[IndicatorResult]:
    """Each indicator of the plan for the period: actual, target, coverage and verdict.

    The actual is computed from the accepted reports; the target is judged (met / not met) only
    on the year period and once every unit that must report has an accepted report. ``spaces``
    (every unit) saves a query when the caller has them already.
    """
    reg = get_registry(registry)
    totals = element_totals(dbsession, period_id)
    period = dbsession.get(Period, period_id)
    targets = {
        t.indicator_key: t for t in dbsession.scalars(select(IndicatorTarget).where(IndicatorTarget.plan_id == plan_id))
    }
    spaces = all_spaces(dbsession) if spaces is None else spaces
    accepted = accepted_reports(dbsession, period_id)
    order = {key: t.sort_order for key, t in targets.items()}
    results = []
    for indicator in sorted(reg.indicators.values(), key=lambda i: (order.get(i.key, 999), i.key)):
        kinds = indicator.space_kinds
        if indicator.compute is not None:
            value = indicator.compute(dbsession, period)
            actual = None if value is None else Decimal(value)
        else:
            actual = indicator.value_of(lambda code, kinds=kinds: _total(totals, code, kinds))
        target = targets.get(indicator.key)
        limit, comparison = threshold(target, indicator.better) if target else (None, None)
        results.append(
            IndicatorResult(
                indicator,
                target,
                actual,
                limit,
                comparison,
                coverage=indicator_coverage(registry, indicator, period, spaces, accepted),
                final=period.kind == "year",
            )
        )
    return results


def accepted_narratives(dbsession, period_id: int) -> list[tuple[int, str, str, str]]:
    """(space id, form key, narrative key, text) of every accepted report of the period."""
    return list(
        dbsession.execute(
            select(Submission.space_id, Submission.form_key, SubmissionNarrative.key, SubmissionNarrative.text)
            .join(SubmissionNarrative, SubmissionNarrative.submission_id == Submission.id)
            .where(Submission.period_id == period_id, Submission.state == "accepted")
            .order_by(Submission.space_id, SubmissionNarrative.id)
        ).all()
    )


# --- the consolidated report of a period: the page and its exports -------------------------------


@dataclass(frozen=True)
class SharedTotal:
    """One cell of a data element that several forms carry, added up over the whole district.

    ``communes`` and ``agencies`` are the sums of each party's accepted reports; ``total`` is
    their sum, or None when they may not be added (``added`` False): the element is not additive,
    or the parties count the same people (``DataElement.overlapping``).
    """

    element: DataElement
    option: str
    communes: Decimal | None
    agencies: Decimal | None
    total: Decimal | None
    added: bool


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
    #: (element, option, space category) -> sum over the accepted reports; only the elements whose
    #: figures may be added up (``DataElement.summable``): a total of scores is not shown.
    by_category: dict[tuple[str, str, str], Decimal]
    pending: list[Expected]
    accepted: list[Expected]
    narratives: list[tuple[int, str, str, str]]
    indicators: list[IndicatorResult] | None = None
    #: The district-wide rows of the elements that several forms carry (communes + agencies).
    shared: list[SharedTotal] = field(default_factory=list)

    @property
    def spaces_by_id(self) -> dict:
        return {s.id: s for s in self.spaces}

    @property
    def accepted_keys(self) -> set[tuple[int, str]]:
        """(space id, form key) of the accepted reports."""
        return {(i.space.id, i.form.key) for i in self.accepted}

    def unreported(self, form: ReportForm) -> list:
        """The communes (or agencies) that owe ``form`` and have no accepted report of it."""
        keys = self.accepted_keys
        return [s for s in self.spaces if s.kind == form.space_kind and (s.id, form.key) not in keys]

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


def elements_by_code(forms) -> dict[str, list[DataElement]]:
    """Every numeric data element of the forms by code, once per form that carries it."""
    found: dict[str, list[DataElement]] = defaultdict(list)
    for f in forms:
        for element in f.elements():
            if element.numeric:
                found[element.code].append(element)
    return found


def non_summable_codes(forms) -> set[str]:
    """Codes of elements whose figures may not be added across units (any form says so)."""
    return {code for code, elements in elements_by_code(forms).items() if not all(e.summable for e in elements)}


def shared_totals(forms, by_category) -> list[SharedTotal]:
    """District-wide rows of the elements that more than one form carries, in the forms' order."""
    rows = []
    for code, elements in elements_by_code(forms).items():
        if len(elements) < 2:
            continue
        element = elements[0]
        added = all(e.summable and not e.overlapping for e in elements)
        for option in element.cells():
            communes = by_category.get((code, option, "commune"))
            agencies = by_category.get((code, option, "agency"))
            parts = [v for v in (communes, agencies) if v is not None]
            total = sum(parts, Decimal(0)) if added and parts else None
            rows.append(SharedTotal(element, option, communes, agencies, total, added))
    return rows


def consolidation(dbsession, registry, period: Period, *, indicators: bool = False) -> Consolidation:
    """The consolidated figures of a period: accepted reports only, summed in SQL.

    The number of statements does not grow with the number of reports. ``indicators`` adds the
    plan's indicators computed for the period (the exports show them; the page links to them).
    Figures that may not be added up (scores, rates: ``DataElement.summable``) get no total.
    """
    reg = get_registry(registry)
    spaces = all_spaces(dbsession)
    communes = [s for s in spaces if s.category == "commune"]
    agencies = [s for s in spaces if s.category == "agency"]
    by_space_rows, by_category_rows = consolidated_values(dbsession, period.id)
    items = expected_reports(dbsession, registry, spaces, [period])
    commune_kinds = {s.kind for s in communes}
    agency_kinds = {s.kind for s in agencies}
    forms = list(reg.forms.values())
    not_summed = non_summable_codes(forms)
    by_category = {
        (code, option, cat): total for code, option, cat, total in by_category_rows if code not in not_summed
    }
    return Consolidation(
        period=period,
        spaces=spaces,
        communes=communes,
        agencies=agencies,
        forms=dict(reg.forms),
        commune_forms=[f for f in forms if f.space_kind in commune_kinds],
        agency_forms=[
            (f, [s for s in agencies if s.kind == f.space_kind]) for f in forms if f.space_kind in agency_kinds
        ],
        by_space={(code, option, space_id): total for code, option, space_id, total in by_space_rows},
        by_category=by_category,
        pending=[i for i in items if i.state == "submitted"],
        accepted=[i for i in items if i.state == "accepted"],
        narratives=accepted_narratives(dbsession, period.id),
        indicators=(
            compute_indicators(dbsession, registry, period.plan_id, period.id, spaces=spaces) if indicators else None
        ),
        shared=shared_totals(forms, by_category),
    )


# --- suggestions to pre-fill a report ------------------------------------------------------------


class Suggestions(dict):
    """(element code, option) -> a suggested value; ``period`` is the period it comes from.

    ``from_logs`` holds, apart, what the unit's duty logs of the period add up to: (element
    code, option) -> the sum of the measures that name that figure (``Measure.element``), and
    ``log_counts`` the number of log entries each sum is made of. The page tells the two
    sources apart; the logs are of this period, the dict itself of the previous one.
    """

    def __init__(self, values=(), period: Period | None = None, *, from_logs=None, log_counts=None):
        super().__init__(values)
        self.period = period
        self.from_logs: dict[tuple[str, str], Decimal] = dict(from_logs or {})
        self.log_counts: dict[tuple[str, str], int] = dict(log_counts or {})


def previous_period(dbsession, period: Period) -> Period | None:
    """The period of the same kind that ended last before ``period`` began, or None."""
    return dbsession.scalars(
        select(Period)
        .where(Period.kind == period.kind, Period.end_date < period.start_date)
        .order_by(Period.end_date.desc())
        .limit(1)
    ).first()


def log_sums(dbsession, registry, form: ReportForm, space, period: Period):
    """What the space's duty logs dated within ``period`` add up to, for each cell of ``form``
    that a measure of the space kind's duties names: ({(code, option): sum}, {(code, option):
    number of log entries}). One GROUP BY statement, none when no measure names a figure of
    the form."""
    targets = {
        pair: cell
        for pair, cell in get_registry(registry).measure_cells(space.kind).items()
        if (element := form.element(cell[0])) is not None and cell[1] in element.cells()
    }
    if not targets:
        return {}, {}
    rows = dbsession.execute(
        select(DutyLog.duty_key, DutyLogValue.measure_key, func.sum(DutyLogValue.value), func.count(DutyLogValue.id))
        .join(DutyLogValue, DutyLogValue.log_id == DutyLog.id)
        .where(
            DutyLog.space_id == space.id,
            DutyLog.log_date >= period.start_date,
            DutyLog.log_date <= period.end_date,
            DutyLog.duty_key.in_(sorted({duty for duty, _m in targets})),
            DutyLogValue.measure_key.in_(sorted({measure for _d, measure in targets})),
        )
        .group_by(DutyLog.duty_key, DutyLogValue.measure_key)
    ).all()
    sums: dict[tuple[str, str], Decimal] = {}
    counts: dict[tuple[str, str], int] = {}
    for duty_key, measure_key, total, count in rows:
        cell = targets.get((duty_key, measure_key))
        if cell is None or total is None:
            continue  # a measure of the same name in another duty, which names no figure
        sums[cell] = sums.get(cell, Decimal(0)) + Decimal(total)
        counts[cell] = counts.get(cell, 0) + count
    return sums, counts


def suggestions(dbsession, registry, form: ReportForm, space, period: Period) -> Suggestions:
    """Values to offer when a unit fills ``form`` for ``period``.

    The dict itself: what the unit gave on the same form for the previous period of the same
    kind (the half-year before a half-year, the year before a year), from its report in
    whatever state it is — a draft, submitted, returned or accepted. Only the cells the form
    still carries, with a value of the cell's type.

    ``from_logs``: for each figure of the form that a measure of the unit's duties names
    (``Measure.element``), the sum of that measure over the unit's duty logs dated within
    ``period`` (see :func:`log_sums`); ``log_counts``: how many log entries each sum adds.

    At most three statements, whatever the size of the form.
    """
    from_logs, log_counts = log_sums(dbsession, registry, form, space, period)
    before = previous_period(dbsession, period)
    if before is None:
        return Suggestions(from_logs=from_logs, log_counts=log_counts)
    rows = dbsession.execute(
        select(
            SubmissionValue.element_code, SubmissionValue.option, SubmissionValue.value_num, SubmissionValue.value_text
        )
        .join(Submission, Submission.id == SubmissionValue.submission_id)
        .where(Submission.form_key == form.key, Submission.space_id == space.id, Submission.period_id == before.id)
    ).all()
    values = {}
    for code, option, number, text in rows:
        element = form.element(code)
        if element is None or option not in element.cells():
            continue
        value = text if element.value_type == "text" else number
        if value is not None:
            values[(code, option)] = value if element.value_type == "text" else Decimal(value)
    return Suggestions(values, before, from_logs=from_logs, log_counts=log_counts)
