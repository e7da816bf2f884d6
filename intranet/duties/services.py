"""Duty lists (from plugins), duty logs, and progress.

A duty's progress in a space is the progress of its latest log (by date, then by entry order);
the district table is computed in one query with a window function, whatever the number of
spaces and logs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from intranet.documents.services import store
from intranet.duties.models import PROGRESS, DutyLog, DutyLogValue, Evidence
from intranet.host import get_registry
from intranet.i18n import _

PROGRESS_LABELS = {
    "not_started": _("Not started"),
    "in_progress": _("In progress"),
    "done": _("Done"),
}

#: Evidence files one log may hold: each costs up to 10 MB in the database and in every backup.
MAX_EVIDENCE_FILES = 10


def duties_for(request, space):
    return get_registry(request.registry).duties_for(space.kind)


def duty(request, key: str):
    return get_registry(request.registry).duty(key)


@dataclass
class Progress:
    progress: str
    last_date: dt.date
    count: int


def progress_matrix(dbsession, plan_id: int, space_ids=None) -> dict[tuple[int, str], Progress]:
    """(space id, duty key) -> latest progress, last log date and number of logs."""
    partition = (DutyLog.space_id, DutyLog.duty_key)
    ranked = select(
        DutyLog.space_id,
        DutyLog.duty_key,
        DutyLog.progress,
        DutyLog.log_date,
        func.row_number()
        .over(partition_by=partition, order_by=(DutyLog.log_date.desc(), DutyLog.id.desc()))
        .label("rn"),
        func.count().over(partition_by=partition).label("n"),
    ).where(DutyLog.plan_id == plan_id)
    if space_ids is not None:
        ranked = ranked.where(DutyLog.space_id.in_(list(space_ids) or [-1]))
    ranked = ranked.subquery()
    rows = dbsession.execute(
        select(ranked.c.space_id, ranked.c.duty_key, ranked.c.progress, ranked.c.log_date, ranked.c.n).where(
            ranked.c.rn == 1
        )
    )
    return {(r.space_id, r.duty_key): Progress(r.progress, r.log_date, r.n) for r in rows}


def logs_page(dbsession, space_id: int, *, page: int, size: int, duty_key: str | None = None):
    """A page of a space's logs, newest first, with author, values and evidence: (logs, total)."""
    q = select(DutyLog).where(DutyLog.space_id == space_id)
    if duty_key:
        q = q.where(DutyLog.duty_key == duty_key)
    total = dbsession.scalar(select(func.count()).select_from(q.subquery()))
    logs = dbsession.scalars(
        q.options(
            selectinload(DutyLog.author),
            selectinload(DutyLog.values),
            selectinload(DutyLog.evidence),
        )
        .order_by(DutyLog.log_date.desc(), DutyLog.id.desc())
        .limit(size)
        .offset((page - 1) * size)
    ).all()
    return logs, total


def apply_entry(log: DutyLog, *, duty_key: str, log_date, description: str, progress: str, values: dict) -> None:
    """Give ``log`` what a checked form (or any other caller) says; ``values`` maps a measure key
    to its whole number, and a measure left out loses its stored value."""
    log.duty_key = duty_key
    log.log_date = log_date
    log.description = description
    log.progress = progress
    existing = {v.measure_key: v for v in log.values}
    for key, value in values.items():
        if key in existing:
            existing[key].value = value
        else:
            log.values.append(DutyLogValue(measure_key=key, value=value))
    for key, row in existing.items():
        if key not in values:
            log.values.remove(row)


def snapshot(log: DutyLog) -> dict:
    """The fields of a log as the audit trail keeps them."""
    return {
        "duty": log.duty_key,
        "date": log.log_date.isoformat() if log.log_date else None,
        "description": log.description,
        "progress": log.progress,
        "values": {v.measure_key: v.value for v in log.values},
        "evidence": [e.filename for e in log.evidence],
    }


def load_log(dbsession, log_id: int, *, for_update: bool = False) -> DutyLog | None:
    """A log with its values and evidence; ``for_update`` takes a row lock (PostgreSQL) before a
    read-then-write, so two corrections cannot both pass the version check."""
    q = (
        select(DutyLog)
        .where(DutyLog.id == log_id)
        .execution_options(populate_existing=True)
        .options(selectinload(DutyLog.values), selectinload(DutyLog.evidence), selectinload(DutyLog.author))
    )
    if for_update:
        q = q.with_for_update()
    return dbsession.scalars(q).one_or_none()


def attach_evidence(dbsession, log: DutyLog, uploads, user_id: int) -> None:
    for filename, data, kind in uploads:
        blob = store(dbsession, data, kind)
        log.evidence.append(Evidence(blob_sha256=blob.sha256, filename=filename, uploaded_by=user_id))


__all__ = ["PROGRESS", "PROGRESS_LABELS", "DutyLog", "Evidence"]


def evidence_of(dbsession, log_id: int, evidence_id: int):
    """One evidence file of one duty log (another log's is not found)."""
    return dbsession.scalars(
        select(Evidence).where(Evidence.id == evidence_id, Evidence.log_id == log_id)
    ).one_or_none()
