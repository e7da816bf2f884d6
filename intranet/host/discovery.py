"""Finding plugins: the entry point group, the setting that enables them, and their inclusion.

Plugins are found only through the ``intranet.plugins`` entry point group; the setting
``intranet.plugins`` lists which are enabled (empty or ``*``: every installed one).
"""

from __future__ import annotations

from importlib.metadata import entry_points

from pyramid.settings import aslist

from intranet.host.registry import PluginError, PluginInfo, get_registry
from intranet.plugin import ENTRY_POINT_GROUP, Plugin


def installed_plugins() -> dict[str, tuple[Plugin, str, str]]:
    """Every plugin installed in this environment: key -> (plugin, version, distribution)."""
    found = {}
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        plugin = ep.load()
        if not isinstance(plugin, Plugin):
            raise PluginError(f"Entry point {ep.name!r} ({ep.value}) is not an intranet.plugin.Plugin.")
        if plugin.key != ep.name:
            raise PluginError(f"Entry point {ep.name!r} loads plugin {plugin.key!r}: the names must match.")
        dist = ep.dist
        version = plugin.version or (dist.version if dist else "0")
        found[ep.name] = (plugin, version, dist.name if dist else "?")
    return found


def enabled_keys(settings, installed) -> list[str]:
    wanted = aslist(settings.get("intranet.plugins", ""), flatten=True)
    if not wanted or wanted == ["*"]:
        return sorted(installed)
    missing = [k for k in wanted if k not in installed]
    if missing:
        raise PluginError(
            "The setting intranet.plugins enables plugin(s) that are not installed: "
            + ", ".join(missing)
            + ". Installed: "
            + (", ".join(sorted(installed)) or "none")
            + ". Install the missing distribution(s) or remove them from the setting."
        )
    return wanted


def include_plugins(config):
    """Include every enabled plugin, recording what each declares."""
    reg = get_registry(config.registry)
    installed = installed_plugins()
    reg.installed = installed
    for key in enabled_keys(config.get_settings(), installed):
        plugin, version, dist = installed[key]
        info = PluginInfo(plugin=plugin, version=version, distribution=dist)
        reg.plugins[key] = info
        config.registry["intranet.loading_plugin"] = info
        config.action(("intranet.plugin", key), None)
        # Directives capture the loading plugin when called, which include() does at once.
        config.include(plugin.includeme, route_prefix=plugin.route_prefix or f"/p/{key}")
    config.registry["intranet.loading_plugin"] = None
