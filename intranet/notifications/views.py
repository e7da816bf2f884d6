from __future__ import annotations

from pyramid.httpexceptions import HTTPFound
from pyramid.view import view_config

from intranet.i18n import _
from intranet.notifications import services
from intranet.security import Permission
from intranet.web import Page, flash, page_number

PER_PAGE = 20


@view_config(
    route_name="notifications.list",
    renderer="notifications/list.jinja2",
    permission=Permission.ACCOUNT_SELF,
    request_method="GET",
)
def notices(request):
    number = page_number(request)
    items, total = services.notices_page(request.dbsession, request.identity.id, page=number, size=PER_PAGE)
    return {"page": Page(items, number, PER_PAGE, total)}


@view_config(route_name="notifications.list", permission=Permission.ACCOUNT_SELF, request_method="POST")
def mark_read(request):
    services.mark_all_read(request.dbsession, request.identity.id)
    flash(request, _("All notices are marked as read."))
    return HTTPFound(location=request.route_path("notifications.list"))
