"""Reading and checking what was typed into a commune plan; storing it."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import ClassVar

from webob.multidict import MultiDict

from intranet.forms import Form
from intranet.i18n import _
from intranet.plans import forms as plan_forms
from intranet.plans.models import (
    SECTION_KEYS,
    CommunePlan,
    CommunePlanActivity,
    CommunePlanSection,
)
from intranet.plans.services.commune_plans import (
    BLANK_ROWS,
    MAX_ACTIVITIES,
)

_MONTH_TOKEN = plan_forms._MONTH_TOKEN


def _read(field, raw: str):
    """(value, None) or (None, message): ``raw`` read by one field of the plan form."""
    bound = type("OneField", (Form,), {"value": field})(MultiDict({"value": raw or ""})).value
    if bound.process_errors:
        return None, bound.process_errors[0]
    return bound.data, None


def parse_months(raw: str) -> tuple[list[int] | None, object | None]:
    """ "3-5, 9" -> [3, 4, 5, 9]; also "3,4,5", "tháng 3 - 5"."""
    months, error = _read(plan_forms.MonthsField(), raw)
    return (months or [], None) if error is None else (None, error)


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
    budget, error = _read(plan_forms.BudgetField(), raw)
    return (budget or 0, None) if error is None else (None, error)


def parse_target_number(raw: str, unit: str) -> tuple[Decimal | None, object | None]:
    """A baseline or target: a percentage ("12,5") or a count with Vietnamese grouping ("1.210")."""
    return _read(plan_forms.target_field(unit, "value"), raw)


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
    """Read the whole form (intranet.plans.forms); format errors are collected beside their
    field, nothing is lost."""
    form = plan_forms.plan_form(post, plan, duty_keys, SECTION_KEYS)
    return entry_from_form(form, plan)


def entry_from_form(form, plan: CommunePlan) -> PlanEntry:
    """What a read plan form says, as the page and storage take it."""
    entry = PlanEntry(number=(form.number.raw or "").strip())
    for t in plan.targets:
        baseline, target = (form[name] for name in plan_forms.target_names(t.indicator_key))
        entry.targets[t.indicator_key] = {"baseline": baseline.value, "target": target.value}
        entry.parsed_targets[t.indicator_key] = (baseline.data, target.data)
    for n in range(1, form._rows + 1):
        fields = form.row(n)
        row = {f: (field.raw or "").strip() for f, field in fields.items()}
        entry.activities.append(row)
        entry.parsed_activities.append(
            {
                "title": row["title"],
                "months": fields["months"].data or [],
                "responsible": row["responsible"],
                "budget": fields["budget"].data or 0,
                "source": row["source"],
                "duty": row["duty"],
            }
        )
    for key in SECTION_KEYS:
        entry.sections[key] = (form[plan_forms.section_name(key)].raw or "").strip()
    entry.errors = dict(form.messages)
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
