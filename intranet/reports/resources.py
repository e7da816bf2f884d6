"""A unit's report on one form for one period in the resource tree; its ACL comes from the report workflow."""

from __future__ import annotations

from pyramid.httpexceptions import HTTPNotFound
from sqlalchemy import select

from intranet.numbers import parse_id
from intranet.reports.models import Period, Submission
from intranet.reports.services import form, is_locked, load_submission, period_by_code
from intranet.resources import SpaceResource, space_factory, spaces_factory, workflow_acl
from intranet.spaces.models import Space
from intranet.workflow import get_workflow


class ReportResource:
    """One space's report on one form for one period; it may not exist yet (a blank draft).

    Its ACL comes from the workflow table for the report's state (intranet/reports/workflow.py).
    """

    def __init__(self, parent: SpaceResource, form_key: str, period, submission, workflow):
        self.__parent__ = parent
        self.workflow = workflow
        self.__name__ = f"{form_key}/{period.code}"
        self.space = parent.space
        self.form_key = form_key
        self.period = period
        self.submission = submission

    @property
    def state(self) -> str:
        return self.submission.state if self.submission else "draft"

    @property
    def locked(self) -> bool:
        return is_locked(self.period, self.submission)

    @property
    def __acl__(self):
        return workflow_acl(self.space, self.workflow.permissions(self.state, locked=self.locked))


def report_factory(request):
    space_resource = space_factory(request)
    form_key = request.matchdict["form"]
    period = period_by_code(request.dbsession, request.matchdict["period"])
    spec = form(request.registry, form_key)
    if period is None:
        raise HTTPNotFound()
    submission = load_submission(
        request.dbsession, form_key, space_resource.space.id, period.id, for_update=request.method == "POST"
    )
    if submission is None and (
        spec is None or spec.space_kind != space_resource.space.kind or period.kind not in spec.period_types
    ):
        raise HTTPNotFound()
    return ReportResource(space_resource, form_key, period, submission, get_workflow(request.registry, "report"))


def api_report_factory(request):
    """/api/v1/reports/{report_id}: the report of one submission, under its space (404 if none).

    The API addresses existing submissions only; a blank draft is started from the report page.
    """
    report_id = parse_id(request.matchdict["report_id"])
    if report_id is None:
        raise HTTPNotFound()
    found = request.dbsession.execute(
        select(Submission.form_key, Space, Period)
        .join(Space, Space.id == Submission.space_id)
        .join(Period, Period.id == Submission.period_id)
        .where(Submission.id == report_id)
    ).one_or_none()
    if found is None:
        raise HTTPNotFound()
    form_key, space, period = found
    submission = load_submission(
        request.dbsession, form_key, space.id, period.id, for_update=request.method not in ("GET", "HEAD")
    )
    return ReportResource(
        SpaceResource(space, spaces_factory(request)),
        form_key,
        period,
        submission,
        get_workflow(request.registry, "report"),
    )


# --- commune annual plans (intranet/plans) -------------------------------------------------------
