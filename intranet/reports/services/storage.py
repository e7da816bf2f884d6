"""Loading, creating and storing submissions, and moving them on the report workflow."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from intranet.plugin.forms import (
    ReportForm,
)
from intranet.reports.forms import Entry, field_name, narrative_name, note_name
from intranet.reports.models import (
    Period,
    Submission,
    SubmissionEvent,
    SubmissionNarrative,
    SubmissionValue,
)
from intranet.reports.services.forms import ensure_form_version
from intranet.reports.workflow import WORKFLOW
from intranet.workflow import TransitionCode, TransitionError  # noqa: F401 (the callers' names)
from intranet.workflow.documents import Subject


def load_submission(dbsession, form_key: str, space_id: int, period_id: int, *, for_update=False):
    q = (
        select(Submission)
        .where(Submission.form_key == form_key, Submission.space_id == space_id, Submission.period_id == period_id)
        .options(
            selectinload(Submission.values),
            selectinload(Submission.narratives),
            selectinload(Submission.events).selectinload(SubmissionEvent.user),
        )
        .execution_options(populate_existing=True)
    )
    if for_update:
        q = q.with_for_update()
    return dbsession.scalars(q).one_or_none()


def create_submission(dbsession, form: ReportForm, space_id: int, period_id: int) -> Submission:
    ensure_form_version(dbsession, form)
    submission = Submission(
        form_key=form.key,
        form_version=form.version,
        space_id=space_id,
        period_id=period_id,
        state="draft",
        values=[],
        narratives=[],
        events=[],
    )
    dbsession.add(submission)
    return submission


def store_entry(submission: Submission, form: ReportForm, entry: Entry, *, keep=frozenset()) -> None:
    """Replace the submission's figures and narratives with the entry's.

    ``keep``: field names whose typed text could not be read; their saved value stays as it was
    (a draft saved with a typo loses nothing that was saved before).

    The comment on an element's figures (``entry.notes``, where they differ from the child
    register) sits on the row of the element's first cell that holds a value; a comment the entry
    does not carry (not sent) stays as it was saved.
    """
    notes = {v.element_code: v.note for v in submission.values if v.note}
    for code, text in entry.notes.items():
        if note_name(code) not in keep:
            notes[code] = text or None
    existing = {(v.element_code, v.option): v for v in submission.values}
    for key, value in entry.values.items():
        element = form.element(key[0])
        row = existing.pop(key, None)
        if row is None:
            row = SubmissionValue(element_code=key[0], option=key[1])
            submission.values.append(row)
        if element.value_type == "text":
            row.value_text, row.value_num = value, None
        else:
            row.value_num, row.value_text = value, None
    for row in existing.values():
        if field_name(row.element_code, row.option) not in keep:
            submission.values.remove(row)
    _place_notes(submission, form, notes)
    narratives = {n.key: n for n in submission.narratives}
    for key, text in entry.narratives.items():
        if narrative_name(key) in keep:
            narratives.pop(key, None)
            continue
        row = narratives.pop(key, None)
        if text:
            if row is None:
                submission.narratives.append(SubmissionNarrative(key=key, text=text))
            else:
                row.text = text
        elif row is not None:
            submission.narratives.remove(row)
    for row in narratives.values():
        submission.narratives.remove(row)


def _place_notes(submission: Submission, form: ReportForm, notes: dict) -> None:
    """Each element's comment on its first row (in the order of its cells), none on the others."""
    rows: dict[str, dict[str, SubmissionValue]] = {}
    for row in submission.values:
        rows.setdefault(row.element_code, {})[row.option] = row
    for code, by_option in rows.items():
        element = form.element(code)
        order = element.cells() if element is not None else []
        ranked = sorted(by_option.items(), key=lambda item: order.index(item[0]) if item[0] in order else len(order))
        text = notes.get(code)
        for i, (_option, row) in enumerate(ranked):
            wanted = text if i == 0 else None
            if row.note != wanted:
                row.note = wanted


def apply_transition(
    submission: Submission, action: str, user_id: int | None, comment: str = "", *, locked: bool = False
) -> str:
    """Move the submission by ``action`` on the report workflow and record the event; the new state.

    ``locked``: the period is past its lock date for this report (the unit's own acts are refused).
    """
    return WORKFLOW.apply(submission, action, user_id=user_id, comment=comment, locked=locked)


def return_reasons(dbsession, submission_ids) -> dict[int, SubmissionEvent]:
    """The latest return (who, when, why) of each of these submissions, in one query."""
    if not submission_ids:
        return {}
    found: dict[int, SubmissionEvent] = {}
    for event in dbsession.scalars(
        select(SubmissionEvent)
        .where(SubmissionEvent.submission_id.in_(list(submission_ids)), SubmissionEvent.action == "return")
        .order_by(SubmissionEvent.at, SubmissionEvent.id)
        .options(selectinload(SubmissionEvent.user))
    ):
        found[event.submission_id] = event
    return found


def report_subject(space, form: ReportForm, period: Period) -> Subject:
    """What the audit trail and the notices say of one unit's report for one period."""
    return Subject(
        audit_prefix="report",
        obj_type="submission",
        space=space,
        path=f"/spaces/{space.slug}/reports/{form.key}/{period.code}",
        title=f"Báo cáo «{form.title}» {period.title}",
        detail={"form": form.key, "period": period.code},
    )
