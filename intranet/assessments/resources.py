"""A commune's child-friendly assessment in the resource tree; its ACL comes from the assessment workflow."""

from __future__ import annotations

from pyramid.httpexceptions import HTTPNotFound

from intranet.assessments.services import MAX_YEAR, MIN_YEAR, load_assessment
from intranet.numbers import parse_plain
from intranet.resources import SpaceResource, space_factory, workflow_acl
from intranet.workflow import get_workflow


class AssessmentResource:
    """A commune's child-friendly assessment of one year; it may not exist yet (a blank draft).

    Its ACL comes from the workflow table for the assessment's state (intranet/assessments/workflow.py).
    """

    def __init__(self, parent: SpaceResource, year: int, assessment, workflow):
        self.__parent__ = parent
        self.workflow = workflow
        self.__name__ = f"assessments/{year}"
        self.space = parent.space
        self.year = year
        self.assessment = assessment

    @property
    def state(self) -> str:
        return self.assessment.state if self.assessment else "draft"

    @property
    def __acl__(self):
        return workflow_acl(self.space, self.workflow.permissions(self.state))


def assessment_factory(request):
    """/spaces/{slug}/assessments/{year}: communes only, years 2000–2100."""
    space_resource = space_factory(request)
    year = parse_plain(request.matchdict["year"], minimum=MIN_YEAR, maximum=MAX_YEAR)
    if year is None or space_resource.space.category != "commune":
        raise HTTPNotFound()
    assessment = load_assessment(
        request.dbsession, space_resource.space.id, year, for_update=request.method not in ("GET", "HEAD")
    )
    return AssessmentResource(space_resource, year, assessment, get_workflow(request.registry, "assessment"))
