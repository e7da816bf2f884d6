"""Reading and checking what was typed into a commune plan; storing it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import ClassVar

from intranet import numbers
from intranet.i18n import _
from intranet.plans.models import (
    SECTION_KEYS,
    CommunePlan,
    CommunePlanActivity,
    CommunePlanSection,
)
from intranet.plans.services.commune_plans import (
    BLANK_ROWS,
    MAX_ACTIVITIES,
    MAX_BUDGET,
    MAX_LINES,
    MAX_SHORT,
    MAX_TEXT,
    MAX_TITLE,
)

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
