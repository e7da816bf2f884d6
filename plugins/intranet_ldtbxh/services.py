"""The registry's queries and labels: what the views, the forms, the indicator and the seed share.

SQL lives here. The list of units is one grouped query whatever the number of units; the
indicator "communes with an effective child-protection service system" is one query too.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import Date, and_, bindparam, case, func, select

from intranet.plugin.models import COMMUNE, Space, User

from .i18n import _
from .models import (
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


# --- queries -------------------------------------------------------------------------------------


class UnitRow(NamedTuple):
    """What the registry's list shows of a unit."""

    id: int
    kind: str
    name: str
    state: str


class CommuneRow(NamedTuple):
    """What the registry's list shows of a unit's commune, and what its resource reads (the id
    and the slug)."""

    id: int
    slug: str
    title: str
    title_en: str


@dataclass
class RegistryRow:
    unit: UnitRow
    commune: CommuneRow
    #: activities dated within the period asked for
    activities: int
    #: the unit's latest activity, whatever the period (None: nothing logged yet)
    last_activity: dt.date | None


@functools.cache
def _registry_statement(one_space: bool, one_kind: bool):
    """The statement of :func:`registry_rows`, built once: the dates, the commune and the kind are
    bound at each run."""
    in_period = and_(
        UnitActivity.activity_date >= bindparam("start", type_=Date),
        UnitActivity.activity_date <= bindparam("end", type_=Date),
    )
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
        select(
            Unit.id,
            Unit.kind,
            Unit.name,
            Unit.state,
            Space.id.label("space_id"),
            Space.slug,
            Space.title,
            Space.title_en,
            stats.c.n,
            stats.c.last,
        )
        .join(Space, Space.id == Unit.space_id)
        .outerjoin(stats, stats.c.unit_id == Unit.id)
    )
    if one_space:
        q = q.where(Unit.space_id == bindparam("space_id"))
    if one_kind:
        q = q.where(Unit.kind == bindparam("kind"))
    order = case({k: i for i, k in enumerate(UNIT_KINDS)}, value=Unit.kind, else_=len(UNIT_KINDS))
    return q.order_by(order, Space.sort_order, Unit.name, Unit.id)


def registry_rows(
    dbsession, start: dt.date, end: dt.date, *, space_id: int | None = None, kind: str | None = None
) -> list[RegistryRow]:
    """Every unit (optionally of one commune or one kind) with its activity count between
    ``start`` and ``end`` and its last activity date: one query, of the columns the list shows
    (rows, not ORM objects)."""
    params = {"start": start, "end": end, "space_id": space_id, "kind": kind}
    statement = _registry_statement(space_id is not None, kind is not None)
    return [
        RegistryRow(
            UnitRow(r.id, r.kind, r.name, r.state),
            CommuneRow(r.space_id, r.slug, r.title, r.title_en),
            int(r.n or 0),
            r.last,
        )
        for r in dbsession.execute(statement, {k: v for k, v in params.items() if v is not None})
    ]


def communes(dbsession) -> list:
    """The commune spaces (UBND xã, thị trấn), in the district's order: rows of the columns the
    filter and the unit form show (id, slug, title, title_en), not Space objects."""
    return dbsession.execute(_COMMUNES).all()


_COMMUNES = (
    select(Space.id, Space.slug, Space.title, Space.title_en)
    .where(Space.category == COMMUNE)
    .order_by(Space.sort_order, Space.title)
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
