"""Duty lists (from plugins), duty logs, and progress.

A duty's progress in a space is the progress of its latest log (by date, then by entry order);
the district table is computed in one query with a window function, whatever the number of
spaces and logs.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import BigInteger, String, bindparam, cast, func, literal, null, select, union_all
from sqlalchemy.orm import selectinload

from intranet.accounts.models import User
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


@functools.cache
def _progress_statement(some_spaces: bool):
    """The statement of :func:`progress_matrix`, built once: the plan and the spaces are bound."""
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
    ).where(DutyLog.plan_id == bindparam("plan_id"))
    if some_spaces:
        ranked = ranked.where(DutyLog.space_id.in_(bindparam("space_ids", expanding=True)))
    ranked = ranked.subquery()
    return select(ranked.c.space_id, ranked.c.duty_key, ranked.c.progress, ranked.c.log_date, ranked.c.n).where(
        ranked.c.rn == 1
    )


def progress_matrix(dbsession, plan_id: int, space_ids=None) -> dict[tuple[int, str], Progress]:
    """(space id, duty key) -> latest progress, last log date and number of logs."""
    params = {"plan_id": plan_id}
    if space_ids is not None:
        params["space_ids"] = list(space_ids) or [-1]
    rows = dbsession.execute(_progress_statement(space_ids is not None), params)
    return {(r.space_id, r.duty_key): Progress(r.progress, r.log_date, r.n) for r in rows}


class LogValue(NamedTuple):
    measure_key: str
    value: int


class LogEvidence(NamedTuple):
    id: int
    filename: str


@dataclass(frozen=True)
class LogRow:
    """A duty log as its list shows it: its own columns, the author's name, values and evidence."""

    id: int
    duty_key: str
    log_date: dt.date
    description: str
    progress: str
    author_id: int
    author_name: str
    version: int
    values: tuple[LogValue, ...]  # in entry order
    evidence: tuple[LogEvidence, ...]  # in upload order


@functools.cache
def _logs_statements(one_duty: bool):
    """The statements of :func:`logs_page`, built once: (the page of logs, the count past the
    last page, the values and evidence of the logs shown), the space, duty, page and ids bound."""
    where = [DutyLog.space_id == bindparam("space_id")]
    if one_duty:
        where.append(DutyLog.duty_key == bindparam("duty_key"))
    page = (
        select(
            DutyLog.id,
            DutyLog.duty_key,
            DutyLog.log_date,
            DutyLog.description,
            DutyLog.progress,
            DutyLog.author_id,
            User.full_name,
            DutyLog.version,
            func.count().over().label("total"),
        )
        .join(User, User.id == DutyLog.author_id)
        .where(*where)
        .order_by(DutyLog.log_date.desc(), DutyLog.id.desc())
        .limit(bindparam("size"))
        .offset(bindparam("skip"))
    )
    count = select(func.count()).select_from(DutyLog).where(*where)
    ids = bindparam("ids", expanding=True)
    attached = union_all(
        select(
            DutyLogValue.log_id,
            literal("value", String).label("kind"),
            DutyLogValue.id,
            DutyLogValue.measure_key.label("text"),
            DutyLogValue.value.label("number"),
        ).where(DutyLogValue.log_id.in_(ids)),
        select(
            Evidence.log_id,
            literal("evidence", String),
            Evidence.id,
            Evidence.filename,
            cast(null(), BigInteger),
        ).where(Evidence.log_id.in_(ids)),
    ).subquery()
    return page, count, select(attached).order_by(attached.c.kind, attached.c.id)


def logs_page(dbsession, space_id: int, *, page: int, size: int, duty_key: str | None = None):
    """A page of a space's logs, newest first, with author, values and evidence: (rows, total).

    Two statements of columns, whatever the page size: the logs with their author's name and the
    total (a window count), then the values and the evidence files of the logs shown.
    """
    page_statement, count_statement, attached_statement = _logs_statements(bool(duty_key))
    params = {"space_id": space_id}
    if duty_key:
        params["duty_key"] = duty_key
    rows = dbsession.execute(page_statement, {**params, "size": size, "skip": (page - 1) * size}).all()
    if not rows:
        # Past the last page the window has no row to count on: count apart (page 1 is empty).
        total = 0 if page == 1 else dbsession.scalar(count_statement, params)
        return [], total
    ids = [r.id for r in rows]
    values: dict[int, list] = {i: [] for i in ids}
    evidence: dict[int, list] = {i: [] for i in ids}
    # The values and the evidence files of the logs shown, in one statement.
    for r in dbsession.execute(attached_statement, {"ids": ids}):
        if r.kind == "value":
            values[r.log_id].append(LogValue(r.text, r.number))
        else:
            evidence[r.log_id].append(LogEvidence(r.id, r.text))
    logs = [LogRow(*r[:8], tuple(values[r.id]), tuple(evidence[r.id])) for r in rows]
    return logs, rows[0].total


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
