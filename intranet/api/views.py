from __future__ import annotations

from pyramid.view import view_config

from intranet.security import Permission
from intranet.spaces import services as space_services


@view_config(route_name="api.spaces", renderer="json", permission=Permission.API_READ, request_method="GET")
def api_spaces(request):
    """The spaces the caller may see: slug, kind, category and titles."""
    spaces = space_services.visible_spaces(request.dbsession, request.identity)
    return {
        "spaces": [
            {"slug": s.slug, "kind": s.kind, "category": s.category, "title": s.title,
             "title_en": s.title_en, "url": request.route_url("spaces.home", slug=s.slug)}
            for s in spaces
        ]
    }
