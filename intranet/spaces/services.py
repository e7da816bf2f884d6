"""Spaces and memberships: who may see which space, and the sharing page's changes."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import bindparam, func, select

from intranet.accounts.models import User
from intranet.i18n import _
from intranet.security.roles import SEE_ALL_ROLES
from intranet.spaces.models import LOCAL_ROLES, Membership, Space

#: The district's order of units: agencies first, then communes, each by its sort order.
SPACE_ORDER = (Space.category, Space.sort_order, Space.title)

#: What a list of units shows of each (a row, not a Space object: lists only read them).
SPACE_COLUMNS = (Space.id, Space.slug, Space.kind, Space.category, Space.title, Space.title_en)


def only_visible(query, identity):
    """``query`` (over the spaces table) narrowed to the spaces ``identity`` may see: all for
    global roles, else those they are a member of; none for an anonymous caller."""
    if identity is None:
        return query.where(False)
    if identity.global_role in SEE_ALL_ROLES:
        return query
    return query.where(Space.id.in_(identity.space_ids or [-1]))


def visible_scope(identity) -> tuple[bool, dict]:
    """For a statement built once (:func:`only_visible_bound`): whether ``identity`` sees every
    space, and the parameters that narrow the statement to the spaces it may see otherwise."""
    if identity is not None and identity.global_role in SEE_ALL_ROLES:
        return True, {}
    return False, {"visible_ids": list(identity.space_ids if identity is not None else ()) or [-1]}


def only_visible_bound(query, sees_all: bool):
    """:func:`only_visible` for a statement built once and run with the parameters of
    :func:`visible_scope`: the spaces are bound at each run, not built into the statement."""
    return query if sees_all else query.where(Space.id.in_(bindparam("visible_ids", expanding=True)))


def visible_space_ids(identity):
    """A select of the ids of the spaces ``identity`` may see, to filter other tables by in SQL."""
    return only_visible(select(Space.id), identity)


def visible_spaces_query(identity):
    """The spaces a user may see: all for global roles, else those they are a member of."""
    return only_visible(select(Space).order_by(*SPACE_ORDER), identity)


def visible_spaces(dbsession, identity) -> list[Space]:
    return list(dbsession.scalars(visible_spaces_query(identity)))


@functools.cache
def _visible_rows_statement(sees_all: bool):
    return only_visible_bound(select(*SPACE_COLUMNS).order_by(*SPACE_ORDER), sees_all)


def visible_space_rows(dbsession, identity) -> list:
    """:func:`visible_spaces` as rows of :data:`SPACE_COLUMNS`, in the district's order."""
    sees_all, params = visible_scope(identity)
    return dbsession.execute(_visible_rows_statement(sees_all), params).all()


def member_space_rows(dbsession, identity) -> list:
    """The spaces ``identity`` is a member of, as rows of :data:`SPACE_COLUMNS`, in the district's
    order (a member may always see the space)."""
    if identity is None or not identity.space_ids:
        return []
    return dbsession.execute(
        select(*SPACE_COLUMNS).where(Space.id.in_(identity.space_ids)).order_by(*SPACE_ORDER)
    ).all()


def get_by_slug(dbsession, slug: str) -> Space | None:
    return dbsession.scalars(select(Space).where(Space.slug == slug)).one_or_none()


def members(dbsession, space: Space) -> list:
    """Who holds a role in ``space``: rows of (role, full_name, login, is_active, protects_children),
    by role and name."""
    return dbsession.execute(
        select(Membership.role, User.full_name, User.login, User.is_active, Membership.protects_children)
        .join(User, User.id == Membership.user_id)
        .where(Membership.space_id == space.id)
        .order_by(Membership.role, User.full_name)
    ).all()


#: Local roles that cannot be designated the unit's child-protection officer.
UNDESIGNABLE_ROLES = frozenset({"viewer"})


class Holding(NamedTuple):
    """What a person holds in a unit: the local role (None: not a member) and whether they are
    its child-protection officer."""

    role: str | None
    protects_children: bool


def set_role(dbsession, space: Space, user, role: str | None, *, protects_children: bool) -> tuple[Holding, Holding]:
    """Give ``user`` the local ``role`` in ``space`` and designate them its child-protection
    officer or not (role None removes them, and with them the designation): (before, after)."""
    if role is not None and role not in LOCAL_ROLES:
        raise ValueError(role)
    if protects_children and (role is None or role in UNDESIGNABLE_ROLES):
        raise ValueError(f"a {role or 'non-member'} cannot be a child-protection officer")
    membership = dbsession.scalars(
        select(Membership).where(Membership.space_id == space.id, Membership.user_id == user.id).with_for_update()
    ).one_or_none()
    before = Holding(membership.role, membership.protects_children) if membership else Holding(None, False)
    if role is None:
        if membership is not None:
            dbsession.delete(membership)
        return before, Holding(None, False)
    if membership is None:
        dbsession.add(Membership(space_id=space.id, user_id=user.id, role=role, protects_children=protects_children))
    else:
        membership.role = role
        membership.protects_children = protects_children
    return before, Holding(role, protects_children)


# --- who may submit: a unit with no head, no member, or no one who may submit -------------------------


@dataclass
class Staffing:
    space: Space
    heads: int
    officers: int
    members: int

    @property
    def submitters(self) -> int:
        """Active people who may submit: the heads, and the officers where the unit lets them."""
        return self.heads + (self.officers if self.space.officers_may_submit else 0)

    @property
    def problem(self) -> str | None:
        """ "no_member", "no_head" (and no officer may submit), "no_head_officers_submit", or None."""
        if self.members == 0:
            return "no_member"
        if self.submitters == 0:
            return "no_submitter"
        if self.heads == 0:
            return "no_head"
        return None


def staffing(dbsession, spaces=None) -> list[Staffing]:
    """Active heads, officers and members of each unit (one query)."""
    if spaces is None:
        spaces = list(dbsession.scalars(select(Space).order_by(*SPACE_ORDER)))
    counts: dict[tuple[int, str], int] = {}
    totals: dict[int, int] = {}
    if spaces:
        rows = dbsession.execute(
            select(Membership.space_id, Membership.role, func.count())
            .join(User, User.id == Membership.user_id)
            .where(User.is_active.is_(True), Membership.space_id.in_([s.id for s in spaces]))
            .group_by(Membership.space_id, Membership.role)
        )
        for space_id, role, n in rows:
            counts[(space_id, role)] = n
            totals[space_id] = totals.get(space_id, 0) + n
    return [
        Staffing(
            space=s,
            heads=counts.get((s.id, "head"), 0),
            officers=counts.get((s.id, "officer"), 0),
            members=totals.get(s.id, 0),
        )
        for s in spaces
    ]


@functools.cache
def _visible_staffing_statement(sees_all: bool):
    """The statement of :func:`visible_rows_and_staffing`, built once."""
    active = (User.id == Membership.user_id) & User.is_active.is_(True)
    counts = (
        select(
            Membership.space_id,
            func.count().filter(Membership.role == "head").label("heads"),
            func.count().filter(Membership.role == "officer").label("officers"),
            func.count().label("members"),
        )
        .join(User, active)
        .group_by(Membership.space_id)
        .subquery()
    )
    q = (
        select(
            *SPACE_COLUMNS,
            Space.officers_may_submit,
            func.coalesce(counts.c.heads, 0).label("heads"),
            func.coalesce(counts.c.officers, 0).label("officers"),
            func.coalesce(counts.c.members, 0).label("members"),
        )
        .outerjoin(counts, counts.c.space_id == Space.id)
        .order_by(*SPACE_ORDER)
    )
    return only_visible_bound(q, sees_all)


def visible_rows_and_staffing(dbsession, identity, *, limit: int | None = None):
    """:func:`visible_space_rows` with each unit's active heads, officers and members, in one
    statement; and of them the units that cannot send their reports (:attr:`Staffing.problem`:
    every problem means no active head), in the district's order: (the rows, the first ``limit``
    problems (all without one), how many in all)."""
    sees_all, params = visible_scope(identity)
    rows = dbsession.execute(_visible_staffing_statement(sees_all), params).all()
    problems = [r for r in rows if r.heads == 0]
    shown = [Staffing(space=r, heads=r.heads, officers=r.officers, members=r.members) for r in problems[:limit]]
    return rows, shown, len(problems)


def submit_hint(dbsession, space: Space):
    """Why a member who may edit a unit's report or plan sees no submit button."""
    staff = staffing(dbsession, [space])[0]
    if staff.submitters == 0:
        return _(
            "Only the head of the unit may submit; the unit has no head yet. Save your draft and ask the "
            "district coordinator or the administrator to name the head of the unit."
        )
    return _("Only the head of the unit may submit. Save your draft and ask the head of the unit to submit it.")


def space_id_by_slug(dbsession, slug: str, *, within=None) -> int | None:
    """The id of the space named ``slug``; with ``within`` (a selectable of space ids), only
    among those."""
    q = select(Space.id).where(Space.slug == slug)
    if within is not None:
        q = q.where(Space.id.in_(within))
    return dbsession.scalar(q)


def space_choices(dbsession) -> list[tuple[str, str]]:
    """(slug, title) of every space, by title: a filter's choices."""
    return [tuple(row) for row in dbsession.execute(select(Space.slug, Space.title).order_by(Space.title))]


def spaces_page(dbsession, *, category: str | None, slug: str | None, page: int, size: int) -> tuple[list, int]:
    """A page of the spaces (of one category, or the one named), in the district's order, as rows
    of SPACE_COLUMNS; the total."""
    where = []
    if category:
        where.append(Space.category == category)
    if slug:
        where.append(Space.slug == slug)
    total = dbsession.scalar(select(func.count()).select_from(Space).where(*where))
    items = dbsession.execute(
        select(*SPACE_COLUMNS).where(*where).order_by(*SPACE_ORDER).limit(size).offset((page - 1) * size)
    ).all()
    return items, total


def space_titles(dbsession) -> list:
    """(slug, title, title_en) of every space in the district's order: a filter's choices."""
    return dbsession.execute(select(Space.slug, Space.title, Space.title_en).order_by(*SPACE_ORDER)).all()
