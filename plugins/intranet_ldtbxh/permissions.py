"""The registry's permissions and the roles that hold them (``config.add_permissions``)."""

from enum import StrEnum


class Permission(StrEnum):
    #: Reading the registry: every signed-in user.
    REGISTRY_VIEW = "ldtbxh.registry:view"
    #: Logging a unit's activity: the head and officers of the unit's commune.
    REGISTRY_LOG = "ldtbxh.registry:log"
    #: Adding and changing units: the coordinator and the administrator.
    REGISTRY_MANAGE = "ldtbxh.registry:manage"


GRANTS = {
    Permission.REGISTRY_VIEW: ("authenticated",),
    Permission.REGISTRY_LOG: ("head", "officer"),
    Permission.REGISTRY_MANAGE: ("admin", "coordinator"),
}
