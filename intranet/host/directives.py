"""The directives a plugin declares itself with (``config.add_space_kind`` and the rest).

Each registers through ``config.action`` with a discriminator, so two plugins claiming one key
stop start-up instead of one silently replacing the other. What they declare is kept in the
:class:`~intranet.host.registry.PluginRegistry`.
"""

from __future__ import annotations

import dataclasses

from intranet.assessments.importer import load_criteria_file
from intranet.host.registry import PluginError, PluginInfo, PluginRegistry, get_registry
from intranet.plugin.criteria import CriteriaSet, CriteriaSetError
from intranet.plugin.forms import VALUE_TYPES, DataElement, ReportForm
from intranet.plugin.specs import Link, SpaceKind
from intranet.security.roles import GLOBAL_ROLE_PERMISSIONS, LOCAL_ROLE_PERMISSIONS


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
            if isinstance(indicator.compute, str):
                source = reg.indicator_sources.get(indicator.compute)
                if source is None:
                    raise PluginError(
                        f"Indicator {indicator.key!r} is computed by {indicator.compute!r}, which the "
                        "core does not offer (offered: " + (", ".join(sorted(reg.indicator_sources)) or "none") + ")."
                    )
                indicator = dataclasses.replace(indicator, compute=source)
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
    english = request.locale_name == "en"
    found = []
    for link in get_registry(request.registry).links:
        if link.place != place or not request.can(link.permission):
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


#: Who a plugin's permission can be given to: the global and local roles, and every signed-in user.
GRANTABLE = frozenset(GLOBAL_ROLE_PERMISSIONS) | frozenset(LOCAL_ROLE_PERMISSIONS) | {"authenticated"}


def add_permissions(config, grants: dict[str, object]) -> None:
    """``config.add_permissions({"<key>.<noun>:<verb>": ("coordinator", "head", ...)})``: the
    plugin's own permissions and the roles that hold them.

    A global role (admin, coordinator, province) holds it everywhere; a local role (head, officer,
    viewer) in the units where the person has that role; ``"authenticated"``: every signed-in
    user. Names start with the plugin's key, so that two plugins cannot grant each other's; one
    name is declared once.
    """
    reg = get_registry(config.registry)
    info = _current_plugin(config)
    key = info.plugin.key if info is not None else ""
    for name, roles in grants.items():
        if not isinstance(name, str) or ":" not in name:
            raise PluginError(f"Permission {name!r}: name it '<plugin key>.<noun>:<verb>'.")
        if key and not (name.startswith(key + ".") or name.startswith(key + ":")):
            raise PluginError(f"Plugin {key!r} declares permission {name!r}: its name must start with {key!r}.")
        roles = (roles,) if isinstance(roles, str) else tuple(roles)
        unknown = [r for r in roles if r not in GRANTABLE]
        if unknown:
            raise PluginError(
                f"Permission {name!r} is given to unknown role(s) {', '.join(map(repr, unknown))}; "
                f"roles: {', '.join(sorted(GRANTABLE))}."
            )

        def register(name=str(name), roles=roles):
            reg.permissions[name] = key
            for role in roles:
                reg.grants.setdefault(role, set()).add(name)

        config.action(("intranet.permission", str(name)), register)


def add_indicator_source(config, name: str, compute) -> None:
    """``config.add_indicator_source(name, compute)``: a figure the core computes from its own
    records, which an indicator names as its ``compute`` (``compute(dbsession, period)``)."""
    reg = get_registry(config.registry)
    if not callable(compute):
        raise PluginError(f"Indicator source {name!r} must be a function.")

    def register():
        reg.indicator_sources[name] = compute

    # Before the indicators (order 20) that name it.
    config.action(("intranet.indicator_source", name), register, order=5)


def add_plugin_translations(config, spec: str, domain: str | None = None) -> None:
    """``config.add_plugin_translations("intranet_mykey:locale")``: the plugin's own message
    catalogues (``<locale>/LC_MESSAGES/<domain>.mo``; the domain defaults to the package name).

    Strings the plugin marks with ``TranslationStringFactory(domain)`` are translated from them,
    and its templates translate with ``{{ _p("...") }}`` / ``{% trans %}`` once they declare
    ``{% set _p = plugin_gettext("<domain>") %}``.
    """
    reg = get_registry(config.registry)
    info = _current_plugin(config)
    package = spec.split(":", 1)[0]
    domain = domain or package
    if domain == "intranet":
        raise PluginError(f"{spec}: the domain 'intranet' is the core's; name the plugin's own.")
    config.add_translation_dirs(spec)
    owner = info.plugin.key if info is not None else package

    def register():
        reg.translation_domains[owner] = domain

    config.action(("intranet.translation_domain", domain), register)
