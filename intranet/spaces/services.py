"""Spaces and memberships: who may see which space, and the sharing page's changes."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from intranet.spaces.models import LOCAL_ROLES, Membership, Space

#: Global roles that see every space.
SEE_ALL_ROLES = frozenset({"admin", "coordinator", "province"})


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
        select(Membership)
        .where(Membership.space_id == space.id, Membership.user_id == user.id)
        .with_for_update()
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
