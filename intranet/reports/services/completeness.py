"""What each unit owes, and the completeness line that adds up."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select

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
        if self.sent:
            return "late" if self.timeliness == "late" else "on_time"
        if self.state == "returned":
            return "returned"
        return "overdue" if self.overdue else "not_submitted"


def expected_reports(dbsession, registry, spaces, period_list) -> list[Expected]:
    """Forms × spaces of the kinds that must submit them × periods, with what exists (one query)."""
    space_ids = [s.id for s in spaces]
    period_ids = [p.id for p in period_list]
    found = {}
    if space_ids and period_ids:
        for sub in dbsession.scalars(
            select(Submission).where(Submission.space_id.in_(space_ids), Submission.period_id.in_(period_ids))
        ):
            found[(sub.form_key, sub.space_id, sub.period_id)] = sub
    result = []
    for period in period_list:
        for space in spaces:
            for f in forms_for(registry, space.kind):
                if period.kind in f.period_types:
                    result.append(Expected(space, f, period, found.get((f.key, space.id, period.id))))
    return result


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
