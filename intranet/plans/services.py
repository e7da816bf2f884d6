from __future__ import annotations

from sqlalchemy import select

from intranet.plans.models import Plan


def current_plan(dbsession) -> Plan | None:
    """The plan in force: the most recent year loaded."""
    return dbsession.scalars(select(Plan).order_by(Plan.year.desc()).limit(1)).one_or_none()
