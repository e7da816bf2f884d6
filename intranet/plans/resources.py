"""A commune's annual plan in the resource tree; its ACL comes from the plan workflow."""

from __future__ import annotations

from pyramid.httpexceptions import HTTPNotFound

from intranet.numbers import MAX_YEAR, MIN_YEAR, parse_plain
from intranet.plans.services import load_plan
from intranet.resources import SpaceResource, commune_space_factory, workflow_acl
from intranet.workflow import get_workflow


class CommunePlanResource:
    """One revision of a commune's plan of a year. Its ACL comes from the workflow table for the
    plan's state (intranet/plans/workflow.py); reading and creating come from the space above."""

    def __init__(self, parent: SpaceResource, plan, workflow):
        self.__parent__ = parent
        self.workflow = workflow
        self.__name__ = f"plans/{plan.year}/{plan.revision}"
        self.space = parent.space
        self.plan = plan

    @property
    def __acl__(self):
        return workflow_acl(self.space, self.workflow.permissions(self.plan.state, current=self.plan.is_current))


def commune_plan_factory(request):
    """/spaces/{slug}/plans/{year}[/revisions/{revision}]: the current revision, or the one named."""
    space_resource = commune_space_factory(request)
    year = parse_plain(request.matchdict["year"], minimum=MIN_YEAR, maximum=MAX_YEAR)
    raw_revision = request.matchdict.get("revision")
    revision = None if raw_revision is None else parse_plain(raw_revision, minimum=1, maximum=999)
    if year is None or (raw_revision is not None and revision is None):
        raise HTTPNotFound()
    plan = load_plan(
        request.dbsession, space_resource.space.id, year, revision, for_update=request.method not in ("GET", "HEAD")
    )
    if plan is None:
        raise HTTPNotFound()
    return CommunePlanResource(space_resource, plan, get_workflow(request.registry, "commune_plan"))


# --- child-friendly commune assessments (intranet/assessments) -----------------------------------
