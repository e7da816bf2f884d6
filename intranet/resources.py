"""The resource tree: Root -> Spaces -> Space -> DutyLog, and Root -> District / Admin / Api.

Every node has a ``__parent__``, so a space's ACL adds local roles to the root's global rules
instead of repeating them. Route factories below build the lineage for URL dispatch.
"""

from __future__ import annotations

from dataclasses import dataclass

from pyramid.authorization import DENY_ALL, Allow, Authenticated
from pyramid.httpexceptions import HTTPNotFound
from sqlalchemy import select

from intranet.host.registry import get_registry
from intranet.numbers import MAX_YEAR, MIN_YEAR, parse_id, parse_plain
from intranet.security.roles import (
    AUTHENTICATED,
    AUTHOR_PERMISSIONS,
    GLOBAL_ROLE_PERMISSIONS,
    LOCAL_ROLE_PERMISSIONS,
    space_principal,
)
from intranet.workflow import get_workflow


def writer_principal(space_id: int, user_id: int) -> str:
    return f"space:{space_id}:writer:{user_id}"


@dataclass(frozen=True)
class Grants:
    """The role table (intranet/security/roles.py) with the permissions plugins give to roles
    (``config.add_permissions``): what the root and each space grant."""

    global_roles: dict[str, tuple[str, ...]]
    authenticated: tuple[str, ...]
    local_roles: dict[str, tuple[str, ...]]


def _grants(extra: dict[str, set[str]]) -> Grants:
    def merged(table):
        return {role: tuple(sorted({*perms, *extra.get(role, ())})) for role, perms in table.items()}

    return Grants(
        global_roles=merged(GLOBAL_ROLE_PERMISSIONS),
        authenticated=tuple(sorted({*AUTHENTICATED, *extra.get("authenticated", ())})),
        local_roles=merged(LOCAL_ROLE_PERMISSIONS),
    )


#: The core's table alone: for a root made without a request (scripts, the shell).
CORE_GRANTS = _grants({})


def grants(request) -> Grants:
    """The grants of the application serving ``request``, worked out once per application."""
    if request is None:
        return CORE_GRANTS
    found = request.registry.get("intranet.grants")
    if found is None:
        found = request.registry["intranet.grants"] = _grants(get_registry(request.registry).grants)
    return found


class Root:
    __name__ = ""
    __parent__ = None

    def __init__(self, request=None):
        self.request = request

    @property
    def __acl__(self):
        table = grants(self.request)
        acl = [(Allow, f"role:{role}", perms) for role, perms in table.global_roles.items()]
        acl.append((Allow, Authenticated, table.authenticated))
        acl.append(DENY_ALL)
        return acl


class Node:
    """A named child in the tree with no rules of its own."""

    def __init__(self, name: str, parent):
        self.__name__ = name
        self.__parent__ = parent


class SpaceResource:
    def __init__(self, space, parent):
        self.space = space
        self.__name__ = space.slug
        self.__parent__ = parent

    @property
    def __acl__(self):
        root = self.__parent__
        while root.__parent__ is not None:
            root = root.__parent__
        table = grants(getattr(root, "request", None))
        return [(Allow, space_principal(self.space.id, role), perms) for role, perms in table.local_roles.items()]


class DutyLogResource:
    def __init__(self, log, parent: SpaceResource):
        self.log = log
        self.__name__ = str(log.id)
        self.__parent__ = parent

    @property
    def __acl__(self):
        return [(Allow, writer_principal(self.log.space_id, self.log.author_id), tuple(AUTHOR_PERMISSIONS))]


def root_factory(request):
    return Root(request)


def spaces_factory(request):
    return Node("spaces", Root(request))


def district_factory(request):
    return Node("district", Root(request))


def admin_factory(request):
    return Node("admin", Root(request))


def space_factory(request):
    from intranet.spaces.models import Space

    slug = request.matchdict["slug"]
    space = request.dbsession.scalars(select(Space).where(Space.slug == slug)).one_or_none()
    if space is None:
        raise HTTPNotFound()
    return SpaceResource(space, spaces_factory(request))


def duty_log_factory(request):
    from intranet.duties.models import DutyLog

    space_resource = space_factory(request)
    log_id = parse_id(request.matchdict["log_id"])
    log = request.dbsession.get(DutyLog, log_id) if log_id is not None else None
    if log is None or log.space_id != space_resource.space.id:
        raise HTTPNotFound()
    return DutyLogResource(log, space_resource)


def workflow_acl(space, actor_permissions: dict) -> list:
    """The ACL of a document under a workflow (a report, a commune plan, an assessment): what each actor
    may do in the document's state, given to the principal that actor stands for in ``space``."""
    acl = []
    for actor, perms in actor_permissions.items():
        if not perms:
            continue
        if actor == "reviewer":
            principal = "role:coordinator"
        elif actor == "officer_submit":
            if not space.officers_may_submit:
                continue
            principal = space_principal(space.id, "officer")
        else:
            principal = space_principal(space.id, actor)
        acl.append((Allow, principal, tuple(perms)))
    return acl


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
        from intranet.reports.services import is_locked

        return is_locked(self.period, self.submission)

    @property
    def __acl__(self):
        return workflow_acl(self.space, self.workflow.permissions(self.state, locked=self.locked))


def report_factory(request):
    from intranet.reports.services import form, load_submission, period_by_code

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
    from intranet.reports.models import Period, Submission
    from intranet.reports.services import load_submission
    from intranet.spaces.models import Space

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


def commune_space_factory(request):
    """A commune's space: plans exist only for communes (an agency's URL is not found)."""
    resource = space_factory(request)
    if resource.space.category != "commune":
        raise HTTPNotFound()
    return resource


def commune_plan_factory(request):
    """/spaces/{slug}/plans/{year}[/revisions/{revision}]: the current revision, or the one named."""
    from intranet.plans.services import load_plan

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
    from intranet.assessments.services import MAX_YEAR, MIN_YEAR, load_assessment

    space_resource = space_factory(request)
    year = parse_plain(request.matchdict["year"], minimum=MIN_YEAR, maximum=MAX_YEAR)
    if year is None or space_resource.space.category != "commune":
        raise HTTPNotFound()
    assessment = load_assessment(
        request.dbsession, space_resource.space.id, year, for_update=request.method not in ("GET", "HEAD")
    )
    return AssessmentResource(space_resource, year, assessment, get_workflow(request.registry, "assessment"))
