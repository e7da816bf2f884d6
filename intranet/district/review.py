"""The coordinator's review queue (/district/review): everything waiting for her, oldest first."""

from __future__ import annotations

from pyramid.view import view_config

from intranet.district.services import review_queue, review_queue_head
from intranet.i18n import _
from intranet.resources import Root
from intranet.security import Permission

KIND_LABELS = {"report": _("Report"), "commune_plan": _("Commune plan"), "assessment": _("Assessment")}


@view_config(
    route_name="district.review",
    renderer="district/review.jinja2",
    permission=Permission.DISTRICT_REVIEW,
    request_method="GET",
)
def review(request):
    return {"items": review_queue(request.dbsession, request.registry), "kind_labels": KIND_LABELS}


def after_review(request, fallback: str) -> str:
    """Where the coordinator goes after accepting, returning or approving: the next document in her
    queue when she came from it (the review form says so), else ``fallback``."""
    if request.POST.get("next") != "queue" or not request.has_permission(Permission.DISTRICT_REVIEW, Root(request)):
        return fallback
    items, _total = review_queue_head(request.dbsession, request.registry, limit=1)
    return items[0].path if items else request.route_path("district.review")
