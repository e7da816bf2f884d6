"""A unit's duty log in the resource tree: its author may correct it."""

from __future__ import annotations

from pyramid.authorization import Allow
from pyramid.httpexceptions import HTTPNotFound

from intranet.duties.models import DutyLog
from intranet.numbers import parse_id
from intranet.resources import SpaceResource, space_factory, writer_principal
from intranet.security.roles import AUTHOR_PERMISSIONS


class DutyLogResource:
    def __init__(self, log, parent: SpaceResource):
        self.log = log
        self.__name__ = str(log.id)
        self.__parent__ = parent

    @property
    def __acl__(self):
        return [(Allow, writer_principal(self.log.space_id, self.log.author_id), tuple(AUTHOR_PERMISSIONS))]


def duty_log_factory(request):
    space_resource = space_factory(request)
    log_id = parse_id(request.matchdict["log_id"])
    log = request.dbsession.get(DutyLog, log_id) if log_id is not None else None
    if log is None or log.space_id != space_resource.space.id:
        raise HTTPNotFound()
    return DutyLogResource(log, space_resource)
