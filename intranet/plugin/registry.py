"""The core side of the contract: discover plugins, add the directives, record declarations.

Plugins are found only through the ``intranet.plugins`` entry point group; the setting
``intranet.plugins`` lists which are enabled (empty or ``*``: every installed one).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib.metadata import entry_points

from pyramid.settings import aslist

from intranet.plugin import ENTRY_POINT_GROUP, Plugin
from intranet.plugin.criteria import CriteriaSet, CriteriaSetError, load_criteria_file
from intranet.plugin.forms import VALUE_TYPES, DataElement, Indicator, ReportForm
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


def get_registry(registry) -> PluginRegistry:
    return registry["intranet.plugin_registry"]


def _current_plugin(config) -> PluginInfo | None:
    return config.registry.get("intranet.loading_plugin")


def add_space_kind(config, kind: SpaceKind):
    reg = get_registry(config.registry)
    info = _current_plugin(config)

    def register():
        reg.kinds[kind.key] = kind
        reg.duties_by_kind.setdefault(kind.key, [])
        if info is not None:
            reg.kind_plugin[kind.key] = info.plugin.key
            info.kinds.append(kind)

    config.action(("intranet.space_kind", kind.key), register)
    for seed in kind.spaces:
        config.action(("intranet.space_slug", seed.slug), None)


def add_duties(config, kind: str, duties):
    reg = get_registry(config.registry)
    info = _current_plugin(config)
    duties = list(duties)

    def register():
        if kind not in reg.kinds:
            raise PluginError(f"Duties declared for unknown space kind {kind!r}.")
        reg.duties_by_kind.setdefault(kind, []).extend(duties)
        for duty in duties:
            reg.duties[duty.key] = duty
        if info is not None:
            info.duties.extend(duties)

    def check_elements():
        check_measure_elements(reg, kind, duties, plugin=info.plugin.key if info is not None else "")

    for duty in duties:
        config.action(("intranet.duty", duty.key), None)
    # Run after the kinds are registered, whatever order plugins were included in.
    config.action(("intranet.duties", kind, id(duties)), register, order=10)
    # After every form (order 10), so that the figures a measure adds to are known.
    config.action(("intranet.duty_elements", kind, id(duties)), check_elements, order=20)


#: Value types a sum of duty-log quantities may be offered for: counts and amounts.
MEASURE_VALUE_TYPES = ("integer", "nonneg_integer", "money")


def check_measure_elements(reg: PluginRegistry, kind: str, duties, *, plugin: str = "") -> None:
    """Refuse a measure whose ``element`` is not a figure its duty's logs can add up to.

    The element must be in a report form of the space kind ``kind``; be a count or an amount
    that adds up; name one option of a disaggregated element (and none of an undivided one); and
    no two measures of one duty may add to the same cell. The message names the plugin, the
    duty and the measure.
    """
    forms = reg.forms_for(kind)
    for duty in duties:
        seen: dict[tuple[str, str], str] = {}
        for measure in duty.measures:
            cell = measure.cell
            if cell is None:
                continue
            where = (
                f"Plugin {plugin or '(core)'!r}, duty {duty.key!r}, measure {measure.key!r}: "
                f"element {measure.element!r}"
            )
            code, option = cell
            element = next((e for f in forms if (e := f.element(code)) is not None), None)
            if element is None:
                raise PluginError(
                    f"{where} is not in a report form of space kind {kind!r} "
                    f"(forms: {', '.join(f.key for f in forms) or 'none'})."
                )
            if element.value_type not in MEASURE_VALUE_TYPES or not element.additive:
                raise PluginError(
                    f"{where} is of type {element.value_type!r}"
                    f"{'' if element.additive else ' and does not add up'}: a measure can "
                    "only add to a count or an amount (integer, nonneg_integer, money)."
                )
            if option not in element.cells():
                if element.disaggregation is None:
                    raise PluginError(f"{where}: {code!r} is not broken down; write it without an option.")
                raise PluginError(
                    f"{where}: {code!r} is broken down by {element.disaggregation.key}; "
                    "name one of its options as code[option]: " + ", ".join(element.cells()) + "."
                )
            if cell in seen:
                raise PluginError(
                    f"{where} is already the figure of measure {seen[cell]!r} of the same "
                    "duty: one log would be counted twice."
                )
            seen[cell] = measure.key


def _check_form(form: ReportForm, known: dict[str, DataElement]) -> None:
    """Refuse a form whose data is inconsistent, naming the form and the element."""
    seen = set()
    for element in form.elements():
        if element.value_type not in VALUE_TYPES:
            raise PluginError(f"Form {form.key!r}: element {element.code!r} has an unknown value type.")
        if element.code in seen:
            raise PluginError(f"Form {form.key!r} lists element {element.code!r} twice.")
        seen.add(element.code)
        other = known.get(element.code)
        if other is not None and other != element:
            raise PluginError(
                f"Form {form.key!r} declares element {element.code!r} differently from another form: "
                "a shared code must mean the same figure everywhere (use intranet.plugin.elements)."
            )
    for rule in form.rules:
        for side in (rule.left, rule.right):
            code = side.split("[", 1)[0]
            if form.element(code) is None:
                raise PluginError(
                    f"Form {form.key!r}: rule {rule.left} {rule.op} {rule.right} names "
                    f"{code!r}, which is not in the form."
                )


def add_report_form(config, form: ReportForm):
    reg = get_registry(config.registry)
    info = _current_plugin(config)

    def register():
        if form.space_kind not in reg.kinds:
            raise PluginError(f"Form {form.key!r} is due from unknown space kind {form.space_kind!r}.")
        _check_form(form, reg.elements)
        reg.forms[form.key] = form
        for element in form.elements():
            reg.elements[element.code] = element
        if info is not None:
            info.forms.append(form)

    config.action(("intranet.report_form", form.key), register, order=10)


def add_indicators(config, indicators):
    reg = get_registry(config.registry)
    info = _current_plugin(config)
    indicators = list(indicators)

    def register():
        for indicator in indicators:
            if (indicator.compute is None) == (not indicator.numerator):
                raise PluginError(
                    f"Indicator {indicator.key!r} needs either a numerator of element codes "
                    "or a compute function, not both and not neither."
                )
            if indicator.compute is not None and not indicator.rule:
                raise PluginError(f"Indicator {indicator.key!r} is computed: say how in its rule.")
            for code in indicator.numerator + indicator.denominator:
                if code not in reg.elements:
                    raise PluginError(f"Indicator {indicator.key!r} uses element {code!r}, which no form reports.")
            reg.indicators[indicator.key] = indicator
        if info is not None:
            info.indicators.extend(indicators)

    for indicator in indicators:
        config.action(("intranet.indicator", indicator.key), None)
    # After every form, so that the elements an indicator uses are known.
    config.action(("intranet.indicators", id(indicators)), register, order=20)


def add_criteria_set(config, criteria_set):
    """Declare a criteria set of the child-friendly commune assessment: a CriteriaSet, or the path
    (or asset spec, "package:criteria/file.yaml") of a YAML or XLSX file in the documented format.
    ``intranet seed`` stores it in the database; the prefill codes must be figures a form reports."""
    reg = get_registry(config.registry)
    info = _current_plugin(config)
    if isinstance(criteria_set, str):
        try:
            criteria_set = load_criteria_file(criteria_set)
        except (CriteriaSetError, OSError) as exc:
            raise PluginError(f"Criteria set {criteria_set!r} cannot be loaded: {exc}") from exc
    if not isinstance(criteria_set, CriteriaSet):
        raise PluginError("add_criteria_set expects a CriteriaSet or the path of a criteria file.")
    ident = (criteria_set.key, criteria_set.version)

    def register():
        for criterion in criteria_set.criteria:
            for ref in criterion.prefill:
                code = ref.split("[", 1)[0]
                if code not in reg.elements:
                    raise PluginError(
                        f"Criteria set {criteria_set.key!r} v{criteria_set.version}: criterion "
                        f"{criterion.code!r} pre-fills {ref!r}, which no form reports."
                    )
        reg.criteria_sets[ident] = criteria_set
        if info is not None:
            reg.criteria_set_plugin[ident] = info.plugin.key
            info.criteria_sets.append(criteria_set)

    # After every form, so that the figures a criterion pre-fills are known.
    config.action(("intranet.criteria_set", *ident), register, order=20)


def add_link(config, link: Link) -> None:
    """``config.add_link(Link(...))``: a link on the core's menu or a unit's page; one per route and place."""
    if link.place not in ("menu", "space"):
        raise PluginError(f"Link to {link.route}: place must be 'menu' or 'space', not {link.place!r}.")
    reg = get_registry(config.registry)

    def register():
        reg.links.append(link)
        reg.links.sort(key=lambda x: (x.order, x.route))

    config.action(("intranet.link", link.place, link.route), register, order=10)


def add_audit_labels(config, *, actions=None, objects=None) -> None:
    """``config.add_audit_labels(actions={code: (vi, en)}, objects={type: (vi, en)})``: what the
    audit trail's page calls the plugin's recorded actions and objects. Codes are the plugin's own
    (``"<key>.<noun>.<verb>"``); one code, one label, whoever declares it."""
    reg = get_registry(config.registry)
    for table, kind, given in ((reg.audit_actions, "action", actions), (reg.audit_objects, "object", objects)):
        for code, pair in (given or {}).items():
            if not (isinstance(pair, tuple) and len(pair) == 2 and all(isinstance(x, str) and x for x in pair)):
                raise PluginError(f"Audit {kind} {code!r}: the label must be a (Vietnamese, English) pair.")

            def register(table=table, code=code, pair=pair):
                table[code] = pair

            config.action(("intranet.audit_label", kind, code), register)


def links_for(request, place: str, space=None) -> list[tuple[str, str]]:
    """(href, title) of the links of ``place`` this user may open, in the page's language."""
    from intranet.resources import Root

    english = request.locale_name == "en"
    found = []
    for link in get_registry(request.registry).links:
        if link.place != place or not request.has_permission(link.permission, Root(request)):
            continue
        if place == "space":
            if space is None or (link.space_categories and space.category not in link.space_categories):
                continue
            query = {link.space_param: space.slug} if link.space_param else {}
            href = request.route_path(link.route, _query=query)
        else:
            href = request.route_path(link.route)
        found.append((href, link.title_en if english and link.title_en else link.title))
    return found


def includeme(config):
    config.registry["intranet.plugin_registry"] = PluginRegistry()
    config.add_directive("add_link", add_link)
    config.add_directive("add_audit_labels", add_audit_labels)
    config.add_request_method(
        lambda request: lambda place, space=None: links_for(request, place, space), "links", reify=True
    )
    config.add_directive("add_criteria_set", add_criteria_set)
    config.add_directive("add_report_form", add_report_form)
    config.add_directive("add_indicators", add_indicators)
    config.add_directive("add_space_kind", add_space_kind)
    config.add_directive("add_duties", add_duties)


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
