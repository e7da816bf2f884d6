"""The plugin contract: the only module a plugin may import.

A plugin is a package that exposes ``plugin = Plugin(...)`` and registers it in the entry point
group ``intranet.plugins``::

    # setup.py of the plugin's distribution
    entry_points={"intranet.plugins": ["mykey = intranet_mykey:plugin"]}

    # intranet_mykey/__init__.py
    from intranet.plugin import Plugin, SpaceKind, SpaceSeed, DutySpec, Measure, reporting_duty

    def includeme(config):
        config.add_space_kind(SpaceKind(key="mykey", category="agency", title="…", title_en="…"))
        config.add_duties("mykey", [DutySpec(...), reporting_duty("mykey")])
        config.add_report_form(ReportForm(key="mykey.bao-cao", space_kind="mykey", sections=…))
        config.add_indicators([Indicator(...)])          # optional

    plugin = Plugin(key="mykey", title="…", title_en="…", includeme=includeme)

Everything a plugin declares through the directives is recorded in the core's registry
(``intranet.host``, which a plugin never imports) and shown on ``/admin/plugins``. Two plugins
declaring one key fail at start-up (Pyramid's conflict detection).

Besides its kinds, duties, forms and indicators, a plugin declares with the same directives: its
own permissions and the roles that hold them (``config.add_permissions``), links on the menu and
on units' pages (``config.add_link(Link(...))``), its own message catalogue
(``config.add_plugin_translations("intranet_mykey:locale")``), its audit labels
(``config.add_audit_labels``), criteria sets (``config.add_criteria_set``) and workflows
(``config.add_workflow``). The modules of this package that hold declarations (``specs``,
``forms``, ``criteria``, ``elements``) import nothing from the core.

A plugin that owns tables, pages and reference rows uses, besides this module:

- ``intranet.plugin.models``: the declarative ``Base`` and ``TimestampMixin`` for its tables
  (named ``<key>_<noun>``, created by its own Alembic branch: ``Plugin.migrations``), and the
  core's ``Space`` and ``User`` to join and reference;
- ``intranet.plugin.web``: resources with the space lineage (``space_resource``), the audit trail
  (``record``), ``flash``, ``Page``, dates and reporting periods;
- ``intranet.plugin.numbers``: the core's one parser of Vietnamese numbers (1.210, 12,5) for every
  number its forms, query strings and paths carry, and ``parse_id`` for the ids in its URLs;
- ``Permission`` (from here): the permissions its views declare. Its routes are added in
  ``includeme`` under its route prefix (``/p/<key>``), named ``"<key>.<page>"``; its templates
  live in its package (``renderer="intranet_mykey:templates/page.jinja2"``) and may extend the
  core's ``layout.jinja2`` and import ``macros/ui.jinja2``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from pyramid.i18n import TranslationStringFactory

from intranet.plugin.forms import (
    VALUE_TYPES,
    DataElement,
    Disaggregation,
    Indicator,
    Narrative,
    Option,
    ReportForm,
    Rule,
    Section,
)
from intranet.plugin.specs import (
    REPORTING_DEADLINES_2017,
    DutySpec,
    Link,
    Measure,
    SpaceCategory,
    SpaceKind,
    SpaceSeed,
    reporting_duty,
    sector_plan_duty,
)
from intranet.security.permissions import Permission

__all__ = [
    "Plugin",
    "Link",
    "SpaceKind",
    "SpaceSeed",
    "SpaceCategory",
    "DutySpec",
    "Measure",
    "reporting_duty",
    "sector_plan_duty",
    "REPORTING_DEADLINES_2017",
    "DataElement",
    "Disaggregation",
    "Option",
    "Narrative",
    "Section",
    "Rule",
    "ReportForm",
    "Indicator",
    "VALUE_TYPES",
    "Permission",
    "_",
]

#: The translation factory for strings that belong to the core catalogue.
_ = TranslationStringFactory("intranet")

ENTRY_POINT_GROUP = "intranet.plugins"


@dataclass
class Plugin:
    """What a plugin package exposes as ``plugin``.

    ``key`` names the plugin (and prefixes its tables and route names); ``includeme`` is called
    with the Pyramid configurator when the plugin is enabled. ``version`` defaults to the version
    of the distribution that registered the entry point. ``migrations`` is the path of the
    plugin's own Alembic versions folder (branch label = key), if it owns tables. ``seed`` is
    called by ``intranet seed`` as ``seed(dbsession, demo=bool)`` after the core's own data, to
    load the plugin's reference rows (and, with ``demo``, its demonstration rows); it must be
    idempotent and return the number of rows it added.
    """

    key: str
    title: str
    includeme: Callable
    title_en: str = ""
    version: str | None = None
    description: str = ""
    migrations: str | None = None
    route_prefix: str | None = None
    seed: Callable | None = None
    extra: dict = field(default_factory=dict)
