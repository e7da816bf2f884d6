"""The registry's queries and forms: what the views, the indicator and the seed share.

SQL lives here. The list of units is one grouped query whatever the number of units; the
indicator "communes with an effective child-protection service system" is one query too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import and_, case, func, select

from intranet.plugin.models import COMMUNE, Space, User
from intranet.plugin.numbers import NumberError, parse_id, parse_integer
from intranet.plugin.web import read_date

from .i18n import _
from .models import (
    ACTIVITY_COUNSELLING,
    ACTIVITY_KINDS,
    KIND_COUNSELLING,
    STATE_ACTIVE,
    UNIT_KINDS,
    UNIT_STATES,
    Unit,
    UnitActivity,
)

KIND_LABELS = {
    "mang_luoi": _("Community-based child-protection network"),
    "mo_hinh_phong_ngua": _(
        "Model for preventing and helping children at risk of living on the streets, early, heavy or dangerous labour"
    ),
    "clb_ong_ba_chau": _("“Ông Bà Cháu” (grandparents and grandchildren) club"),
    "clb_bvte": _("Community-based child-protection club"),
    "clb_quyen_tham_gia": _("Children's participation club"),
    "diem_tham_van": _("Counselling point"),
}
STATE_LABELS = {"active": _("Active"), "paused": _("Paused"), "closed": _("Closed")}
ACTIVITY_LABELS = {
    "meeting": _("Meeting"),
    "briefing": _("Briefing"),
    "counselling": _("Counselling session"),
    "talk": _("Talk"),
}
#: The fixed list of topics: a counselling log names topics from here only (no free text).
TOPIC_LABELS = {
    "quyen_tre_em": _("Children's rights and the Child Law"),
    "bao_luc_xam_hai": _("Preventing violence and abuse"),
    "tai_nan_thuong_tich": _("Preventing accidents, injuries and drowning"),
    "lao_dong_som": _("Preventing early labour and living on the streets"),
    "hoc_tap": _("Schooling and dropping out"),
    "gia_dinh": _("Family relations and parenting"),
    "suc_khoe": _("Health, nutrition and reproductive health"),
    "tam_ly": _("Feelings and psychological difficulties"),
    "khac": _("Other topics"),
}
assert set(KIND_LABELS) == set(UNIT_KINDS) and set(STATE_LABELS) == set(UNIT_STATES)
assert set(ACTIVITY_LABELS) == set(ACTIVITY_KINDS)

MAX_COUNT = 100_000
MAX_NOTES = 2000
MAX_NAME = 200


# --- queries -------------------------------------------------------------------------------------


@dataclass
class RegistryRow:
    unit: Unit
    commune: Space
    #: activities dated within the period asked for
    activities: int
    #: the unit's latest activity, whatever the period (None: nothing logged yet)
    last_activity: dt.date | None


def registry_rows(
    dbsession, start: dt.date, end: dt.date, *, space_id: int | None = None, kind: str | None = None
) -> list[RegistryRow]:
    """Every unit (optionally of one commune or one kind) with its activity count between
    ``start`` and ``end`` and its last activity date: one query."""
    in_period = and_(UnitActivity.activity_date >= start, UnitActivity.activity_date <= end)
    stats = (
        select(
            UnitActivity.unit_id.label("unit_id"),
            func.sum(case((in_period, 1), else_=0)).label("n"),
            func.max(UnitActivity.activity_date).label("last"),
        )
        .group_by(UnitActivity.unit_id)
        .subquery()
    )
    q = (
        select(Unit, Space, stats.c.n, stats.c.last)
        .join(Space, Space.id == Unit.space_id)
        .outerjoin(stats, stats.c.unit_id == Unit.id)
    )
    if space_id is not None:
        q = q.where(Unit.space_id == space_id)
    if kind is not None:
        q = q.where(Unit.kind == kind)
    order = case({k: i for i, k in enumerate(UNIT_KINDS)}, value=Unit.kind, else_=len(UNIT_KINDS))
    q = q.order_by(order, Space.sort_order, Unit.name, Unit.id)
    return [RegistryRow(unit, space, int(n or 0), last) for unit, space, n, last in dbsession.execute(q)]


def communes(dbsession) -> list[Space]:
    """The commune spaces (UBND xã, thị trấn), in the district's order."""
    return list(
        dbsession.scalars(select(Space).where(Space.category == COMMUNE).order_by(Space.sort_order, Space.title))
    )


def load_unit(dbsession, unit_id: int, *, for_update: bool = False) -> tuple[Unit, Space] | None:
    """The unit and its commune, or None; ``for_update`` locks the unit's row (PostgreSQL) for
    a change of state or a new log, so that a concurrent change waits instead of being lost."""
    q = select(Unit, Space).join(Space, Space.id == Unit.space_id).where(Unit.id == unit_id)
    if for_update:
        q = q.with_for_update(of=Unit)
    found = dbsession.execute(q).one_or_none()
    return None if found is None else (found[0], found[1])


def activities_page(dbsession, unit_id: int, *, page: int, size: int) -> tuple[list, int]:
    """One page of a unit's activities, newest first: ([(activity, author name or None)], total)."""
    total = dbsession.scalar(select(func.count()).select_from(UnitActivity).where(UnitActivity.unit_id == unit_id))
    rows = dbsession.execute(
        select(UnitActivity, User.full_name)
        .outerjoin(User, User.id == UnitActivity.author_id)
        .where(UnitActivity.unit_id == unit_id)
        .order_by(UnitActivity.activity_date.desc(), UnitActivity.id.desc())
        .limit(size)
        .offset((page - 1) * size)
    ).all()
    return [(a, name) for a, name in rows], int(total or 0)


def unit_totals(dbsession, unit_id: int) -> dict:
    """A unit's totals over all its activities: count, participants, counselling sessions."""
    n, people, sessions = dbsession.execute(
        select(
            func.count(UnitActivity.id),
            func.coalesce(func.sum(UnitActivity.participants), 0),
            func.coalesce(func.sum(UnitActivity.sessions), 0),
        ).where(UnitActivity.unit_id == unit_id)
    ).one()
    return {"activities": int(n), "participants": int(people), "sessions": int(sessions)}


def communes_with_active_counselling(dbsession, start: dt.date, end: dt.date) -> int:
    """Distinct communes having an active counselling point that logged at least one activity
    dated within [start, end]."""
    return int(
        dbsession.scalar(
            select(func.count(func.distinct(Unit.space_id)))
            .select_from(Unit)
            .join(UnitActivity, UnitActivity.unit_id == Unit.id)
            .where(
                Unit.kind == KIND_COUNSELLING,
                Unit.state == STATE_ACTIVE,
                UnitActivity.activity_date >= start,
                UnitActivity.activity_date <= end,
            )
        )
        or 0
    )


def snapshot_unit(unit: Unit) -> dict:
    """The unit's fields for the audit trail."""
    return {
        "space_id": unit.space_id,
        "kind": unit.kind,
        "name": unit.name,
        "start_date": unit.start_date.isoformat() if unit.start_date else None,
        "state": unit.state,
        "notes": unit.notes,
    }


def snapshot_activity(activity: UnitActivity) -> dict:
    """The activity's fields for the audit trail: counts and topic keys, no names of children."""
    return {
        "unit_id": activity.unit_id,
        "date": activity.activity_date.isoformat(),
        "kind": activity.kind,
        "participants": activity.participants,
        "male": activity.participants_male,
        "female": activity.participants_female,
        "sessions": activity.sessions,
        "topics": list(activity.topics or []),
        "has_notes": bool(activity.notes),
    }


# --- forms ---------------------------------------------------------------------------------------


def _count(raw: str, errors: dict, name: str, *, required: bool) -> int | None:
    text = (raw or "").strip()
    if text == "":
        if required:
            errors[name] = _("Enter a whole number (0 or more).")
        return None
    try:
        return parse_integer(text, maximum=MAX_COUNT)
    except NumberError as exc:
        errors[name] = exc.message
        return None


@dataclass
class ActivityForm:
    """What was typed into the activity log form, and what is wrong with it.

    For a counselling session the form has no free text: counts and topics from the fixed list.
    """

    kind: str = ""
    activity_date: str = ""
    participants: str = ""
    male: str = ""
    female: str = ""
    sessions: str = ""
    topics: list[str] = field(default_factory=list)
    notes: str = ""
    errors: dict = field(default_factory=dict)
    parsed: dict = field(default_factory=dict)

    @property
    def counselling(self) -> bool:
        return self.kind == ACTIVITY_COUNSELLING

    @classmethod
    def from_post(cls, post, kind: str, unit: Unit, today: dt.date) -> ActivityForm:
        form = cls(
            kind=kind,
            activity_date=post.get("activity_date", "").strip(),
            participants=post.get("participants", "").strip(),
            male=post.get("male", "").strip(),
            female=post.get("female", "").strip(),
            sessions=post.get("sessions", "").strip() if kind == ACTIVITY_COUNSELLING else "",
            topics=[t for t in post.getall("topics") if t in TOPIC_LABELS],
            # A counselling log keeps no free text, even if a crafted request sends some.
            notes="" if kind == ACTIVITY_COUNSELLING else post.get("notes", "").strip(),
        )
        form.validate(unit, today)
        return form

    def validate(self, unit: Unit, today: dt.date) -> None:
        errors = self.errors
        if self.kind not in ACTIVITY_KINDS:
            errors["kind"] = _("Choose the kind of activity.")
        date, problem = read_date(self.activity_date)
        if not self.activity_date:
            errors["activity_date"] = _("Enter the date (dd/mm/yyyy).")
        elif date is None:
            errors["activity_date"] = problem
        elif date > today:
            errors["activity_date"] = _("The date cannot be in the future.")
        elif unit.start_date is not None and date < unit.start_date:
            errors["activity_date"] = _(
                "The date is before it started (${date}).", mapping={"date": unit.start_date.strftime("%d/%m/%Y")}
            )
        elif date.year < 2000:
            errors["activity_date"] = _("The date is too far in the past.")
        total = _count(self.participants, errors, "participants", required=True)
        male = _count(self.male, errors, "male", required=False)
        female = _count(self.female, errors, "female", required=False)
        sessions = None
        if self.counselling:
            sessions = _count(self.sessions, errors, "sessions", required=True)
            if sessions == 0:
                errors["sessions"] = _("A counselling log records at least one session.")
        if total is not None and male is not None and female is not None and male + female != total:
            # Both parts given: they are the whole, or one of the three figures is wrong.
            errors["female"] = _(
                "Men and women (or boys and girls) add up to ${sum}, not to the total of ${total}.",
                mapping={"sum": male + female, "total": total},
            )
        elif total is not None and ((male or 0) > total or (female or 0) > total):
            errors["female"] = _("Boys and girls (or men and women) add up to more than the total.")
        if self.counselling and not self.topics:
            errors["topics"] = _("Choose at least one topic.")
        if len(self.notes) > MAX_NOTES:
            errors["notes"] = _("At most ${n} characters.", mapping={"n": MAX_NOTES})
        self.parsed = {
            "activity_date": date,
            "participants": total,
            "participants_male": male,
            "participants_female": female,
            "sessions": sessions,
        }

    def apply(self, activity: UnitActivity) -> None:
        activity.kind = self.kind
        activity.activity_date = self.parsed["activity_date"]
        activity.participants = self.parsed["participants"]
        activity.participants_male = self.parsed["participants_male"]
        activity.participants_female = self.parsed["participants_female"]
        activity.sessions = self.parsed["sessions"]
        activity.topics = [t for t in TOPIC_LABELS if t in self.topics]
        activity.notes = self.notes


@dataclass
class UnitForm:
    """What a manager typed into the unit form (add or edit), and what is wrong with it."""

    space_id: str = ""
    kind: str = ""
    name: str = ""
    start_date: str = ""
    state: str = STATE_ACTIVE
    notes: str = ""
    errors: dict = field(default_factory=dict)
    parsed: dict = field(default_factory=dict)

    @classmethod
    def from_unit(cls, unit: Unit) -> UnitForm:
        return cls(
            space_id=str(unit.space_id),
            kind=unit.kind,
            name=unit.name,
            start_date=unit.start_date.strftime("%d/%m/%Y") if unit.start_date else "",
            state=unit.state,
            notes=unit.notes,
        )

    @classmethod
    def from_post(cls, post, commune_ids: set[int], today: dt.date) -> UnitForm:
        form = cls(
            space_id=post.get("space_id", "").strip(),
            kind=post.get("kind", ""),
            name=" ".join(post.get("name", "").split()),
            start_date=post.get("start_date", "").strip(),
            state=post.get("state", ""),
            notes=post.get("notes", "").strip(),
        )
        form.validate(commune_ids, today)
        return form

    def validate(self, commune_ids: set[int], today: dt.date) -> None:
        errors = self.errors
        space_id = parse_id(self.space_id)
        if space_id not in commune_ids:
            errors["space_id"] = _("Choose the commune.")
        if self.kind not in UNIT_KINDS:
            errors["kind"] = _("Choose the kind.")
        if not self.name:
            errors["name"] = _("Enter the name.")
        elif len(self.name) > MAX_NAME:
            errors["name"] = _("At most ${n} characters.", mapping={"n": MAX_NAME})
        start = None
        if self.start_date:
            start, problem = read_date(self.start_date)
            if start is None:
                errors["start_date"] = problem
            elif start > today:
                errors["start_date"] = _("The date cannot be in the future.")
            elif start.year < 1990:
                errors["start_date"] = _("The date is too far in the past.")
        if self.state not in UNIT_STATES:
            errors["state"] = _("Choose the state.")
        if len(self.notes) > MAX_NOTES:
            errors["notes"] = _("At most ${n} characters.", mapping={"n": MAX_NOTES})
        self.parsed = {"space_id": space_id, "start_date": start}

    def apply(self, unit: Unit) -> None:
        unit.space_id = self.parsed["space_id"]
        unit.kind = self.kind
        unit.name = self.name
        unit.start_date = self.parsed["start_date"]
        unit.state = self.state
        unit.notes = self.notes
