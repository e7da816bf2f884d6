"""Write and read the audit trail. Details hold field changes, never a child's personal data."""

from __future__ import annotations

import datetime as dt
import functools
import re

from sqlalchemy import bindparam, func, select

from intranet.accounts.models import User
from intranet.audit.models import AuditEntry
from intranet.i18n import utc_start_of
from intranet.security.network import client_ip
from intranet.spaces.models import Space

#: Text the trail may keep as it is: codes, keys, slugs, dates, formats, logins. Anything else a
#: person typed (a description, a comment, a name) is kept as its length only: a child's name
#: typed by mistake and then corrected must not live on in the audit trail.
_CODE = re.compile(r"[A-Za-z0-9_.:/@+-]{0,64}")


def redact(value):
    """``value`` with free text replaced by ``{"chars": length}``, recursively."""
    if isinstance(value, str):
        return value if _CODE.fullmatch(value) else {"chars": len(value)}
    if isinstance(value, dict):
        return {str(k): redact(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [redact(v) for v in value]
    return value


def changes_only(detail: dict) -> dict:
    """For a before/after pair, keep only the fields that changed, and name them."""
    before, after = detail.get("before"), detail.get("after")
    if not (isinstance(before, dict) and isinstance(after, dict)):
        return detail
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    return {
        **detail,
        "changed": changed,
        "before": {k: before[k] for k in changed if k in before},
        "after": {k: after[k] for k in changed if k in after},
    }


def record(
    request_or_session, action: str, obj_type: str, obj_id=None, *, space_id=None, detail=None, user_id=None, ip=None
) -> AuditEntry:
    """Add one audit line in the current transaction (it commits or aborts with the change).

    ``detail`` keeps codes and numbers as they are and free text as its length (``redact``).
    """
    if hasattr(request_or_session, "dbsession"):
        request = request_or_session
        dbsession = request.dbsession
        if user_id is None and request.identity is not None:
            user_id = request.identity.id
        ip = ip or client_ip(request)
    else:
        dbsession = request_or_session
    entry = AuditEntry(
        user_id=user_id,
        action=action,
        object_type=obj_type,
        object_id=None if obj_id is None else str(obj_id),
        space_id=space_id,
        detail=redact(changes_only(detail or {})),
        ip=(ip or "")[:64] or None,
    )
    dbsession.add(entry)
    return entry


@functools.cache
def _search_statements(user: bool, space: bool, since: bool, until: bool, target: bool):
    """The statements of :func:`search` for one set of filters, built once: (the page, the count
    past the last page), the filters' values and the page bound."""
    where = []
    if user:
        where.append(AuditEntry.user_id == bindparam("user_id"))
    if space:
        where.append(AuditEntry.space_id == bindparam("space_id"))
    if since:
        where.append(AuditEntry.at >= bindparam("since"))
    if until:
        where.append(AuditEntry.at < bindparam("until"))
    if target:
        where.append(AuditEntry.object_type == bindparam("object_type"))
        where.append(AuditEntry.object_id == bindparam("object_id"))
    page = (
        select(
            AuditEntry.id,
            AuditEntry.at,
            AuditEntry.action,
            AuditEntry.object_type,
            AuditEntry.object_id,
            AuditEntry.detail,
            User.full_name.label("user_name"),
            User.login.label("user_login"),
            Space.title.label("space_title"),
            Space.title_en.label("space_title_en"),
            func.count().over().label("total"),
        )
        .outerjoin(User, User.id == AuditEntry.user_id)
        .outerjoin(Space, Space.id == AuditEntry.space_id)
        .where(*where)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(bindparam("size"))
        .offset(bindparam("skip"))
    )
    return page, select(func.count()).select_from(AuditEntry).where(*where)


def search(
    dbsession,
    *,
    user_id=None,
    space_id=None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
    page: int = 1,
    page_size: int = 50,
):
    """Audit lines matching the filters, newest first: (rows, total).

    Each row has the entry's columns and the names the page shows (``user_name``, ``user_login``,
    ``space_title``, ``space_title_en``): one statement of columns with the total as a window count,
    and a count apart only past the last page."""
    params: dict = {}
    if user_id:
        params["user_id"] = user_id
    if space_id:
        params["space_id"] = space_id
    if date_from:
        params["since"] = utc_start_of(date_from)
    if date_to:
        params["until"] = utc_start_of(date_to + dt.timedelta(days=1))
    if object_type:
        params["object_type"], params["object_id"] = object_type, object_id
    page_statement, count_statement = _search_statements(
        bool(user_id), bool(space_id), bool(date_from), bool(date_to), bool(object_type)
    )
    rows = dbsession.execute(page_statement, {**params, "size": page_size, "skip": (page - 1) * page_size}).all()
    if rows:
        return rows, rows[0].total
    total = 0 if page == 1 else dbsession.scalar(count_statement, params)
    return rows, total
