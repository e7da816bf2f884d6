"""Spaces and memberships: who may see which space, and the sharing page's changes."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from intranet.security.roles import SEE_ALL_ROLES
from intranet.spaces.models import LOCAL_ROLES, Membership, Space


def visible_spaces_query(identity):
    """The spaces a user may see: all for global roles, else those they are a member of."""
    q = select(Space).order_by(Space.category, Space.sort_order, Space.title)
    if identity is None:
        return q.where(False)
    if identity.global_role in SEE_ALL_ROLES:
        return q
    return q.where(Space.id.in_(identity.space_ids or [-1]))


def visible_spaces(dbsession, identity) -> list[Space]:
    return list(dbsession.scalars(visible_spaces_query(identity)))


def get_by_slug(dbsession, slug: str) -> Space | None:
    return dbsession.scalars(select(Space).where(Space.slug == slug)).one_or_none()


def members(dbsession, space: Space) -> list[Membership]:
    from intranet.accounts.models import User

    return list(
        dbsession.scalars(
            select(Membership)
            .join(User, User.id == Membership.user_id)
            .where(Membership.space_id == space.id)
            .options(selectinload(Membership.user))
            .order_by(Membership.role, User.full_name)
        )
    )


def set_role(dbsession, space: Space, user, role: str | None) -> tuple[str | None, str | None]:
    """Give ``user`` the local ``role`` in ``space`` (None removes them): (before, after)."""
    if role is not None and role not in LOCAL_ROLES:
        raise ValueError(role)
    membership = dbsession.scalars(
        select(Membership).where(Membership.space_id == space.id, Membership.user_id == user.id).with_for_update()
    ).one_or_none()
    before = membership.role if membership else None
    if role is None:
        if membership is not None:
            dbsession.delete(membership)
    elif membership is None:
        dbsession.add(Membership(space_id=space.id, user_id=user.id, role=role))
    else:
        membership.role = role
    return before, role


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
    from intranet.accounts.models import User

    if spaces is None:
        spaces = list(dbsession.scalars(select(Space).order_by(Space.category, Space.sort_order, Space.title)))
    counts: dict[tuple[int, str], int] = {}
    if spaces:
        rows = dbsession.execute(
            select(Membership.space_id, Membership.role, func.count())
            .join(User, User.id == Membership.user_id)
            .where(User.is_active.is_(True), Membership.space_id.in_([s.id for s in spaces]))
            .group_by(Membership.space_id, Membership.role)
        )
        counts = {(space_id, role): n for space_id, role, n in rows}
    return [
        Staffing(
            space=s,
            heads=counts.get((s.id, "head"), 0),
            officers=counts.get((s.id, "officer"), 0),
            members=sum(n for (sid, _r), n in counts.items() if sid == s.id),
        )
        for s in spaces
    ]


def staffing_problems(dbsession) -> list[Staffing]:
    return [s for s in staffing(dbsession) if s.problem]


def submit_hint(dbsession, space: Space):
    """Why a member who may edit a unit's report or plan sees no submit button."""
    from intranet.i18n import _

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


def spaces_page(dbsession, *, category: str | None, slug: str | None, page: int, size: int) -> tuple[list[Space], int]:
    """A page of the spaces (of one category, or the one named), in the district's order; the total."""
    q = select(Space)
    if category:
        q = q.where(Space.category == category)
    if slug:
        q = q.where(Space.slug == slug)
    total = dbsession.scalar(select(func.count()).select_from(q.subquery()))
    items = dbsession.scalars(
        q.order_by(Space.category, Space.sort_order, Space.title).limit(size).offset((page - 1) * size)
    ).all()
    return list(items), total


def space_titles(dbsession) -> list:
    """(slug, title, title_en) of every space in the district's order: a filter's choices."""
    return dbsession.execute(
        select(Space.slug, Space.title, Space.title_en).order_by(Space.category, Space.sort_order, Space.title)
    ).all()
