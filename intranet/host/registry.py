"""What the enabled plugins declared, kept for the application's lifetime.

One :class:`PluginRegistry` per application, at ``registry["intranet.plugin_registry"]``; the
directives of :mod:`intranet.host.directives` fill it while the configuration is committed, and the
core reads it through :func:`get_registry`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from intranet.plugin import Plugin
from intranet.plugin.criteria import CriteriaSet
from intranet.plugin.forms import DataElement, Indicator, ReportForm
from intranet.plugin.specs import DutySpec, Link, SpaceKind


class PluginError(RuntimeError):
    """A plugin cannot be loaded; the message says which and why."""


@dataclass
class PluginInfo:
    plugin: Plugin
    version: str
    distribution: str
    kinds: list[SpaceKind] = field(default_factory=list)
    duties: list[DutySpec] = field(default_factory=list)
    forms: list[ReportForm] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    criteria_sets: list[CriteriaSet] = field(default_factory=list)


@dataclass
class PluginRegistry:
    plugins: dict[str, PluginInfo] = field(default_factory=dict)
    kinds: dict[str, SpaceKind] = field(default_factory=dict)
    #: kind key -> duties in declared order
    duties_by_kind: dict[str, list[DutySpec]] = field(default_factory=dict)
    duties: dict[str, DutySpec] = field(default_factory=dict)
    kind_plugin: dict[str, str] = field(default_factory=dict)
    #: every installed plugin, enabled or not: key -> (plugin, version, distribution)
    installed: dict[str, tuple] = field(default_factory=dict)
    forms: dict[str, ReportForm] = field(default_factory=dict)
    elements: dict[str, DataElement] = field(default_factory=dict)
    indicators: dict[str, Indicator] = field(default_factory=dict)
    #: (key, version) -> criteria set of the child-friendly commune assessment, and its plugin
    criteria_sets: dict[tuple[str, int], CriteriaSet] = field(default_factory=dict)
    criteria_set_plugin: dict[tuple[str, int], str] = field(default_factory=dict)
    #: links added to the core's pages (config.add_link), by place, in order
    links: list[Link] = field(default_factory=list)
    #: what a plugin's audit codes say (config.add_audit_labels): code -> (Vietnamese, English)
    audit_actions: dict[str, tuple[str, str]] = field(default_factory=dict)
    audit_objects: dict[str, tuple[str, str]] = field(default_factory=dict)
    #: permissions plugins declared (config.add_permissions): name -> the plugin's key
    permissions: dict[str, str] = field(default_factory=dict)
    #: the roles that hold them: role (or "authenticated") -> permission names
    grants: dict[str, set[str]] = field(default_factory=dict)
    #: figures the core computes for indicators (config.add_indicator_source): name -> function
    indicator_sources: dict[str, Callable] = field(default_factory=dict)
    #: translation domains of plugins (config.add_plugin_translations): plugin key -> domain
    translation_domains: dict[str, str] = field(default_factory=dict)

    def forms_for(self, kind: str) -> list[ReportForm]:
        return [f for f in self.forms.values() if f.space_kind == kind]

    def duties_for(self, kind: str) -> list[DutySpec]:
        return self.duties_by_kind.get(kind, [])

    def duty(self, key: str) -> DutySpec | None:
        return self.duties.get(key)

    def measure_cells(self, kind: str) -> dict[tuple[str, str], tuple[str, str]]:
        """(duty key, measure key) -> the report cell (element code, option) the measure adds
        to, for every measure of the kind's duties that names a data element."""
        return {
            (duty.key, m.key): m.cell for duty in self.duties_for(kind) for m in duty.measures if m.cell is not None
        }


def get_registry(registry) -> PluginRegistry:
    """The plugin registry of the application whose Pyramid ``registry`` this is."""
    return registry["intranet.plugin_registry"]
