"""The core's side of the plugin contract: it finds plugins, gives them their directives and keeps
what they declare.

A plugin sees none of this: it imports ``intranet.plugin`` (the declarations and facades) and calls
the directives this package adds to the configurator. The core reads the declarations through
:func:`get_registry`.
"""

from __future__ import annotations

from intranet.host.directives import (
    _check_form,
    add_audit_labels,
    add_criteria_set,
    add_duties,
    add_indicator_source,
    add_indicators,
    add_link,
    add_permissions,
    add_plugin_translations,
    add_report_form,
    add_space_kind,
    check_measure_elements,
    links_for,
)
from intranet.host.discovery import enabled_keys, include_plugins, installed_plugins
from intranet.host.registry import PluginError, PluginInfo, PluginRegistry, get_registry

__all__ = [
    "PluginError",
    "PluginInfo",
    "PluginRegistry",
    "_check_form",
    "check_measure_elements",
    "enabled_keys",
    "get_registry",
    "include_plugins",
    "installed_plugins",
    "links_for",
]


def includeme(config):
    config.registry["intranet.plugin_registry"] = PluginRegistry()
    config.add_directive("add_space_kind", add_space_kind)
    config.add_directive("add_duties", add_duties)
    config.add_directive("add_report_form", add_report_form)
    config.add_directive("add_indicators", add_indicators)
    config.add_directive("add_indicator_source", add_indicator_source)
    config.add_directive("add_criteria_set", add_criteria_set)
    config.add_directive("add_link", add_link)
    config.add_directive("add_audit_labels", add_audit_labels)
    config.add_directive("add_permissions", add_permissions)
    config.add_directive("add_plugin_translations", add_plugin_translations)
    config.add_request_method(
        lambda request: lambda place, space=None: links_for(request, place, space), "links", reify=True
    )
