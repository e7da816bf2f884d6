"""What each unit owes, and the completeness line that adds up."""

from __future__ import annotations

import functools
from collections import Counter, defaultdict
from dataclasses import dataclass

from sqlalchemy import bindparam, select

from intranet.i18n import _, local_today
from intranet.plugin.forms import (
    ReportForm,
)
from intranet.reports.models import (
    Period,
    Submission,
)
from intranet.reports.services.forms import forms_for
from intranet.reports.services.periods import timeliness
from intranet.workflow import TransitionCode, TransitionError  # noqa: F401 (the callers' names)

#: The states of a report that is with the district: waiting for review, or accepted. A returned
#: report is back with its unit, and a reopened one is a draft again: neither is submitted.
SENT_STATES = ("submitted", "accepted")

#: How the completeness line counts one expected report (:attr:`Expected.standing`).
STANDING_LABELS = {
    "on_time": _("On time"),
    "late": _("Late"),
    "returned": _("Not submitted (returned)"),
    "overdue": _("Overdue"),
    "not_submitted": _("Not submitted"),
}


@dataclass
class Expected:
    space: object
    form: ReportForm
    period: Period
    submission: Submission | None

    @property
    def state(self) -> str:
        return self.submission.state if self.submission else "missing"

    @property
    def timeliness(self) -> str:
        return timeliness(self.submission, self.period)

    @property
    def overdue(self) -> bool:
        return self.timeliness == "missing" and local_today() > self.period.due_date

    @property
    def sent(self) -> bool:
        """Whether the report is with the district now (submitted or accepted)."""
        return self.state in SENT_STATES

    @property
    def standing(self) -> str:
        """The one bucket of the completeness line this report falls in: "on_time" or "late"
        once sent (its first sending decides), else "returned", "overdue" or "not_submitted"."""
        return standing(self.submission, self.period, local_today())


def standing(submission, period: Period, today) -> str:
    """:attr:`Expected.standing` of the report ``submission`` (None when there is none yet) of
    ``period``, on the day ``today``."""
    state = submission.state if submission is not None else "missing"
    if state in SENT_STATES:
        return "late" if timeliness(submission, period) == "late" else "on_time"
    if state == "returned":
        return "returned"
    if timeliness(submission, period) == "missing" and today > period.due_date:
        return "overdue"
    return "not_submitted"


#: What a list of expected reports reads of a submission (:func:`expected_report_rows`).
LISTED_COLUMNS = (
    Submission.id,
    Submission.form_key,
    Submission.space_id,
    Submission.period_id,
    Submission.state,
    Submission.first_submitted_at,
    Submission.unlocked,
)


@functools.cache
def _found_statement(entity: bool, narrowed: bool):
    """The statement of :func:`_found`, built once: the periods (and the spaces) are bound."""
    query = select(Submission) if entity else select(*LISTED_COLUMNS)
    query = query.where(Submission.period_id.in_(bindparam("period_ids", expanding=True)))
    if narrowed:
        query = query.where(Submission.space_id.in_(bindparam("space_ids", expanding=True)))
    return query


def _found(dbsession, spaces, period_list, entity: bool, every_space: bool = False) -> dict:
    """The submissions of these spaces and periods by (form key, space id, period id), ORM objects
    with ``entity``, else rows of :data:`LISTED_COLUMNS` (one query). ``every_space``: ``spaces``
    are all the district's, so the query names none of them: two hundred bound values cost the
    database more than the whole query does."""
    period_ids = [p.id for p in period_list]
    if not (spaces and period_ids):
        return {}
    params = {"period_ids": period_ids}
    if not every_space:
        params["space_ids"] = [s.id for s in spaces]
    statement = _found_statement(entity, not every_space)
    rows = dbsession.scalars(statement, params) if entity else dbsession.execute(statement, params)
    return {(sub.form_key, sub.space_id, sub.period_id): sub for sub in rows}


def _due(registry, spaces, period_list):
    """(period, space, form) of every report expected: forms × spaces of the kinds that must submit
    them × periods, in that order."""
    due: dict[tuple[str, str], list[ReportForm]] = {}  # (space kind, period kind) -> forms
    for period in period_list:
        for space in spaces:
            forms = due.get((space.kind, period.kind))
            if forms is None:
                forms = due[(space.kind, period.kind)] = [
                    f for f in forms_for(registry, space.kind) if period.kind in f.period_types
                ]
            for f in forms:
                yield period, space, f


def expected_reports(dbsession, registry, spaces, period_list) -> list[Expected]:
    """Forms × spaces of the kinds that must submit them × periods, with what exists (one query)."""
    found = _found(dbsession, spaces, period_list, entity=True)
    return [Expected(s, f, p, found.get((f.key, s.id, p.id))) for p, s, f in _due(registry, spaces, period_list)]


def submission_rows(dbsession, spaces, period_list, *, every_space: bool = False) -> dict:
    """The submissions of these spaces and periods as rows of :data:`LISTED_COLUMNS`, by (form key,
    space id, period id): one query, whose answer :func:`expected_report_rows` and
    :func:`overdue_reports` may share (``found=``) when a page lists both of the same spaces or of
    some of them. ``every_space``: ``spaces`` are all the district's units (see :func:`_found`)."""
    return _found(dbsession, spaces, period_list, entity=False, every_space=every_space)


def expected_report_rows(dbsession, registry, spaces, period_list, *, found: dict | None = None) -> list[Expected]:
    """:func:`expected_reports` for the pages that only list them: each submission is a row of
    :data:`LISTED_COLUMNS` (its id, state, first sending and unlocking), not an ORM object, and
    ``spaces`` may be rows too (their id and kind are read, and what the page shows). ``found``:
    the :func:`submission_rows` of these spaces and periods (or of more), already read."""
    if found is None:
        found = submission_rows(dbsession, spaces, period_list)
    return [Expected(s, f, p, found.get((f.key, s.id, p.id))) for p, s, f in _due(registry, spaces, period_list)]


def overdue_reports(
    dbsession, registry, spaces, period_list, *, limit: int, found: dict | None = None
) -> tuple[list[Expected], int]:
    """The expected reports whose standing is "overdue" (the completeness line's bucket): the first
    ``limit`` of them, in the order of :func:`expected_reports`, and how many in all.

    Only the periods already due are read, and only the reports shown become objects. ``found``:
    the :func:`submission_rows` of these spaces and periods, already read."""
    today = local_today()
    due = [p for p in period_list if today > p.due_date]
    if found is None:
        found = submission_rows(dbsession, spaces, due)
    forms: dict[tuple[str, str], frozenset[str]] = {}  # (unit kind, period kind) -> form keys

    def expected_keys(space_kind: str, period_kind: str) -> frozenset[str]:
        keys = forms.get((space_kind, period_kind))
        if keys is None:
            keys = forms[(space_kind, period_kind)] = frozenset(
                f.key for f in forms_for(registry, space_kind) if period_kind in f.period_types
            )
        return keys

    # Counted without walking two hundred units × forms × periods: every report expected of a
    # period past its due date is overdue (never begun) unless a submission of it says otherwise.
    kinds = Counter(space.kind for space in spaces)
    count = sum(n * len(expected_keys(kind, period.kind)) for period in due for kind, n in kinds.items())
    due_by_id = {period.id: period for period in due}
    spaces_by_id = {space.id: space for space in spaces}
    for (form_key, space_id, period_id), submission in found.items():
        period, space = due_by_id.get(period_id), spaces_by_id.get(space_id)
        if period is None or space is None or form_key not in expected_keys(space.kind, period.kind):
            continue
        if standing(submission, period, today) != "overdue":
            count -= 1
    # The first ``limit`` of them, in the order of :func:`expected_reports`.
    shown: list[Expected] = []
    for period, space, f in _due(registry, spaces, due):
        if len(shown) >= limit:
            break
        submission = found.get((f.key, space.id, period.id))
        if submission is None or standing(submission, period, today) == "overdue":
            shown.append(Expected(space, f, period, submission))
    return shown, count


@dataclass
class Completeness:
    """What the expected reports have come to. Each count is defined once, and they add up:

    * ``expected == submitted + not_submitted``: every expected report is either with the district
      (submitted, waiting or accepted) or not;
    * ``submitted == on_time + late``: the first sending decides, so a report sent back and sent
      again keeps its first date;
    * ``accepted`` is part of ``submitted``;
    * ``returned`` and ``overdue`` are parts of ``not_submitted``: a returned report is back with
      the unit to be corrected, so it is not submitted until the unit sends it again.
    """

    expected: int = 0
    submitted: int = 0
    accepted: int = 0
    on_time: int = 0
    late: int = 0
    not_submitted: int = 0
    returned: int = 0
    overdue: int = 0

    def add(self, item: Expected) -> None:
        self.expected += 1
        standing = item.standing
        if item.sent:
            self.submitted += 1
            if standing == "late":
                self.late += 1
            else:
                self.on_time += 1
            if item.state == "accepted":
                self.accepted += 1
        else:
            self.not_submitted += 1
            if standing == "returned":
                self.returned += 1
            elif standing == "overdue":
                self.overdue += 1

    @property
    def waiting(self) -> int:
        """Submitted and not yet accepted: what waits for the district's review."""
        return self.submitted - self.accepted


def completeness(items: list[Expected]):
    """Totals per space and for the whole district."""
    per_space: dict[int, Completeness] = defaultdict(Completeness)
    total = Completeness()
    for item in items:
        per_space[item.space.id].add(item)
        total.add(item)
    return per_space, total
