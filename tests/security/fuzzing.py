"""Bad values, and the driver that sends them to every route (see tests/security/test_fuzz.py).

Routes, roles and demo objects come from tests/security/test_view_matrix.py: a route is visited as
a role the matrix lets use it, in the space the matrix names, its placeholders filled from real
demo rows. A visit yields the fields to spoil: the query parameters of the page (those its view
module reads, those of its GET forms), the placeholders of its path, and every field of every
form it carries. A case sends one field one bad value inside a savepoint rolled back afterwards,
so that no case sees another's rows and a failed statement on PostgreSQL does not poison the next.
"""

from __future__ import annotations

import inspect
import json
import random
import re
import time
import traceback
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from pyramid.interfaces import INewResponse, IRoutesMapper
from sqlalchemy import event, func, select
from webtest.forms import Checkbox, File, Radio, Submit

from intranet.models.meta import metadata
from tests.fixtures.browser import csrf_from
from tests.security.test_view_matrix import LOGIN, MATRIX, OTHER, OWN, PER_SPACE, ROLES, SPACE

# --- the bad values ------------------------------------------------------------------------------

LONG = 100_000
#: Every kind of bad value the hardening issue names, a few of each.
VALUES: dict[str, tuple[str, ...]] = {
    "unicode-digits": ("²", "①", "٢٠١٧", "２０１７", "۱۲", "১২"),
    "huge-number": ("9" * 4301, "1" + "0" * 5000, "-" + "9" * 4400, "1e99999", "0," + "1" * 4400),
    "beyond-int32": ("2147483648", "-2147483649", "4294967296"),
    "beyond-int64": ("9223372036854775808", "-9223372036854775809", "18446744073709551616"),
    "negative": ("-1", "-2017", "-0", "-1,5"),
    "year-out-of-range": ("10000", "0", "-1", "99999", "0000"),
    "date-out-of-range": (
        "01/01/0001",
        "31/02/2017",
        "00/00/0000",
        "31/12/9999",
        "01/01/10000",
        "29/02/2017",
        "32/13/2017",
        "2017-02-31",
    ),
    "nul": ("\x00", "ab\x00cd", "2017\x00"),
    "control": ("\x0b", "\x1b[2J", "a\x08b", "\x7f", "\x0c"),
    "redirect": (
        "/\r\nSet-Cookie: fuzz=1",
        "/x\nLocation: http://evil.example/",
        "/\u2028//evil.example",
        "/trang-chủ",
        "//evil.example",
        "/\\evil.example",
        "https://evil.example/",
        "\r\n",
        "/\t/evil.example",
    ),
    "long": ("x" * LONG, "9" * LONG, "đ" * LONG),
    "html": (
        "<script>alert(1)</script>",
        '"><img src=x onerror=alert(1)>',
        "'><svg onload=alert(1)>",
        "</textarea><script>alert(1)</script>",
    ),
    "vn-number": ("1,5", "1.210", "12,5", "1.2.3", "1,2,3", "1 210", "1e5", "NaN", "inf", "0x1F", "1_000", "+5"),
    "empty": ("", " ", "\t"),
}
#: "repeated": the field sent twice, the page's value and a bad one; "missing": not sent at all
#: (for the csrf_token field, a missing CSRF-protected field).
SPECIAL = ("repeated", "missing")
KINDS = (*VALUES, *SPECIAL)

NUMERIC = (
    "huge-number",
    "beyond-int32",
    "beyond-int64",
    "negative",
    "vn-number",
    "unicode-digits",
    "year-out-of-range",
)
DATES = ("date-out-of-range", "year-out-of-range", "unicode-digits")
TEXT = ("html", "nul", "control", "long")
DATE_VALUE = re.compile(r"\d{1,2}/\d{1,2}/\d{4}$")
NUMBER_VALUE = re.compile(r"-?\d[\d.,]*$")
JSON_NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][+-]?\d+)?$")


@dataclass(frozen=True)
class Field:
    where: str  # query | path | form | json
    name: str
    value: str = ""
    numeric: bool = False
    #: Fields read by the same code share a slot: one query parameter of the shared locale
    #: negotiator on every page, the {slug} of every route of one resource factory, the cells
    #: "v.*" of a report form. The sample spreads over slots; a case picks one member at random.
    slot: tuple = ()

    def suits(self) -> tuple[str, ...]:
        """The kinds most likely to hurt this field: tried first."""
        name = self.name.lower()
        if name == "csrf_token":
            return ("missing",)
        if name in ("next", "came_from"):
            return ("redirect",)
        if "date" in name or name in ("from", "to") or DATE_VALUE.match(self.value):
            return DATES
        if (
            self.numeric
            or name in ("year", "page", "version", "revision", "period")
            or name.endswith("_id")
            or NUMBER_VALUE.match(self.value)
        ):
            return NUMERIC
        return TEXT

    def kinds(self) -> tuple[str, ...]:
        if self.where == "path":
            return tuple(VALUES)
        if self.where == "query":
            return (*VALUES, "repeated")
        return KINDS


#: Long values that fit in a URL: 100,000 "đ" percent-encode to 600 KB, which waitress refuses
#: (its request header limit is 256 KB) before the application sees them.
URL_LONG = VALUES["long"][:2]


def bad_value(kind: str, f: Field, rng: random.Random):
    """A value of ``kind`` for field ``f``: a string, a pair (repeated) or None (missing)."""
    original = f.value
    if kind == "missing":
        return None
    if kind == "long" and f.where in ("query", "path"):
        return rng.choice(URL_LONG)
    if kind == "repeated":
        other = rng.choice(VALUES[rng.choice(("html", "nul", "vn-number", "huge-number", "empty"))])
        return (original, other) if rng.random() < 0.5 else (other, original)
    return rng.choice(VALUES[kind])


def payloads(value) -> list[str]:
    """The parts of a value that must never come back unescaped."""
    items = value if isinstance(value, tuple) else (value,)
    return [v for v in items if isinstance(v, str) and "<" in v]


# --- where to go, as whom ------------------------------------------------------------------------

#: Pages that carry the form of a route that has no page of its own.
HOSTS = {
    "accounts.logout": ("dashboard",),
    "accounts.token_revoke": ("accounts.tokens",),
    "reports.transition": ("reports.edit",),
    "plans.transition": ("plans.edit",),
    "plans.scan": ("plans.edit",),
    "assessments.transition": ("assessments.edit",),
    "assessments.criteria_import": ("assessments.criteria",),
    "assessments.criteria_year": ("assessments.criteria",),
    "children.groups": ("children.view",),
    "children.supports": ("children.view",),
    "cases.initial": ("cases.view",),
    "cases.detailed": ("cases.view",),
    "cases.plan": ("cases.view",),
    "cases.plan_step": ("cases.view",),
    "cases.refer": ("cases.view",),
    "cases.referral_override": ("cases.view",),
    "referrals.answer": ("referrals.view",),
    "referrals.outcome": ("referrals.view",),
    "cases.services": ("cases.view",),
    "cases.outcome": ("cases.view",),
    "cases.review": ("cases.view",),
    "cases.reopen": ("cases.view",),
    "cases.team": ("cases.view",),
}
#: The state of the demo data a route needs (see the matrix's ``documents``); "base" otherwise.
GROUPS = {
    "plans.transition": "plan-submitted",
    "plans.scan": "plan-approved",
    "assessments.transition": "assessments",
    "assessments.evidence": "assessments",
    "plans.edit": "plan-draft",
    "plans.revision": "plan-draft",
    "plans.print": "plan-draft",
    "plans.export": "plan-draft",
    "children.view": "children",
    "children.edit": "children",
    "children.groups": "children",
    "children.supports": "children",
    "cases.view": "cases",
    "cases.initial": "cases",
    "cases.access": "cases",
    "cases.detailed": "cases",
    "cases.plan": "cases",
    "cases.plan_step": "cases",
    "cases.refer": "referrals",
    "cases.referral_override": "referrals",
    "referrals.list": "referrals",
    "referrals.view": "referrals",
    "referrals.answer": "referrals",
    "referrals.outcome": "referrals",
    "cases.services": "cases-service",
    "cases.outcome": "cases-service",
    "cases.review": "cases",
    "cases.reopen": "cases-closed",
    "cases.team": "cases",
    "cases.form": "cases",
    "cases.form_pdf": "cases",
}
#: Which role goes first: the administrator for /admin, the coordinator for /district, then the
#: commune officer, the commune head, the police officer, the read-only provincial viewer.
ORDER = ("tancanh", "chutich.tancanh", "dieuphoi", "admin", "congan", "sotinh", "anonymous")


def preference(url: str) -> tuple[str, ...]:
    first = ("admin",) if url.startswith("/admin") else ("dieuphoi",) if url.startswith("/district") else ()
    return (*first, *(r for r in ORDER if r not in first))


def options(url: str, role: str, expected):
    """(space, status) pairs a matrix row allows for a role."""
    if any(marker in url for marker in PER_SPACE) and role in OWN:
        return list(zip((OWN[role], OTHER[role]), expected, strict=True))
    return [(SPACE, expected)]


def status(row, role: str, space: str):
    """What the matrix expects of ``role`` on ``row`` in ``space``."""
    return dict(options(row[2], role, row[3 + ROLES.index(role)])).get(space)


def choose(row, tiers, hosts=()):
    """The first (role, space) by preference whose expected status is in a tier, tier by tier;
    with ``hosts`` (matrix rows of pages), one of them must also open (200) for it."""
    _route, _method, url, *expected = row
    by_role = dict(zip(ROLES, expected, strict=True))
    for tier in tiers:
        for role in preference(url):
            for space, expect in options(url, role, by_role[role]):
                if expect not in tier or (expect == LOGIN and role == "anonymous"):
                    continue
                if not hosts or any(status(host, role, space) == 200 for host in hosts):
                    return role, space
    return None


@dataclass(frozen=True)
class Visit:
    route: str  # the page's route
    url: str  # its URL in the matrix, placeholders unfilled
    role: str
    space: str
    group: str
    fuzz_page: bool  # the page's own query and path are fuzzed (its route's first visit)
    api: bool = False  # a JSON PUT: the body's fields are fuzzed
    #: Everyone the matrix lets open the page there: its query and path cases are sent as one of
    #: them at random (the read-only provincial viewer among them).
    readers: tuple[str, ...] = ()


def visits() -> list[Visit]:
    """Every GET route as its best role; every unsafe route's host page as a role that may send it."""
    pages = {row[0]: row for row in MATRIX if row[1] == "GET"}
    made: dict[tuple, Visit] = {}

    def add(route, role, space, group, fuzz_page=False, readers=()):
        key = (route, role, space, group, False)
        if key not in made or fuzz_page:
            made[key] = Visit(route, pages[route][2], role, space, group, fuzz_page, readers=readers)

    for route, row in pages.items():
        role, space = choose(row, ((200,), (302,))) or (preference(row[2])[0], SPACE)
        readers = tuple(r for r in preference(row[2]) if status(row, r, space) == 200) or (role,)
        add(route, role, space, GROUPS.get(route, "base"), fuzz_page=True, readers=readers)
    for row in MATRIX:
        route, method, url = row[:3]
        if method == "GET":
            continue
        group = GROUPS.get(route, "base")
        hosts = [h for h in ((route,) if route in pages else ()) + HOSTS.get(route, ()) if h in pages]
        if method == "PUT":
            role, space = choose(row, ((200,),))
            made[(route, role, space)] = Visit(route, url, role, space, group, fuzz_page=False, api=True)
            continue
        chosen = choose(row, ((200, 302, LOGIN),), [pages[h] for h in hosts])
        whom = [chosen or choose(pages[hosts[0]], ((200,),))]
        # The police officer's own space has forms of its own (its duties): visit it too.
        if (
            status(row, "congan", OWN["congan"]) in (200, 302)
            and whom[0][0] != "congan"
            and any(marker in url for marker in PER_SPACE)
        ):
            whom.append(("congan", OWN["congan"]))
        for role, space in whom:
            for host in hosts:
                if status(pages[host], role, space) == 200:
                    add(host, role, space, group)
    return list(made.values())


# --- what a page offers --------------------------------------------------------------------------

QUERY_READ = re.compile(r"""(?:params|GET)(?:\.get|\.getall|\.getone)?[(\[]\s*["']([^"']+)["']""")
#: Query parameters read for every page by shared code (the locale negotiator, the pager): one
#: slot for all the pages, each case on a page drawn at random.
SHARED_QUERY = {"_LOCALE_": "intranet.i18n.locale_negotiator", "page": "intranet.web.page_number"}


def view_source(callable_) -> str:
    """The view's source, and that of the functions of its module it calls (where the helpers
    that read the request live)."""
    try:
        source = inspect.getsource(callable_)
    except (OSError, TypeError):
        return ""
    module = inspect.getmodule(callable_)
    for name, obj in vars(module).items() if module else ():
        if (
            inspect.isfunction(obj)
            and obj.__module__ == module.__name__
            and obj is not callable_
            and re.search(rf"\b{re.escape(name)}\(", source)
        ):
            source += inspect.getsource(obj)
    return source


def query_names(registry, route: str) -> tuple[set[str], set[str]]:
    """(the query parameters the route's views read, those shared code reads for them)."""
    own, shared = set(), {"_LOCALE_"}
    for entry in registry.introspector.get_category("views"):
        view = entry["introspectable"]
        if view["route_name"] == route:
            source = view_source(view["callable"])
            own.update(QUERY_READ.findall(source))
            if "page_number(" in source:
                shared.add("page")
    return own, shared - own


@dataclass
class Target:
    """One thing to send bad values to: a page's query and path, a form, or a JSON body."""

    kind: str  # page | form | json
    route: str
    method: str
    role: str
    url: str
    fields: list[Field]
    pairs: list = field(default_factory=list)  # query pairs, or the form as the page filled it
    buttons: list = field(default_factory=list)  # the form's named submit buttons, (name, value)
    uploads: list = field(default_factory=list)
    multipart: bool = False
    matchdict: dict = field(default_factory=dict)
    generate: object = None  # the route's URL generator, for a spoiled path
    body: dict = field(default_factory=dict)
    page: str = ""  # the page the form was found on
    readers: tuple = ()  # who may send its cases (a page's), else its role

    def label(self) -> str:
        return f"{self.method} {self.route}" + (f" (form on {self.page})" if self.kind == "form" else "")


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def route_of(mapper, path: str):
    for route in mapper.get_routes():
        if route.name.startswith("__"):
            continue
        match = route.match(path)
        if match is not None:
            return route, match
    return None, {}


def family(name: str) -> str:
    """ "v.tre_em.6-10" -> "v.*", "values[3]" -> "values[*]": the cells one parser reads."""
    head = re.split(r"[.\[]", name, maxsplit=1)[0]
    if head == name:
        return name
    return head + ("[*]" if name[len(head)] == "[" else ".*")


def page_target(registry, mapper, route_name, role, url, response, readers=()) -> Target:
    split = urlsplit(url)
    route, matchdict = route_of(mapper, split.path)
    pairs = parse_qsl(split.query, keep_blank_values=True)
    own, shared = query_names(registry, route_name)
    own |= {k for k, _v in pairs}
    if response is not None and "html" in (response.content_type or ""):
        for form in response.forms.values():
            action = urlsplit(urljoin(url, form.action or url)).path
            if form.method.upper() == "GET" and action == split.path:
                own.update(name for name, _f in form.field_order if name)
    current = dict(pairs)
    fields = [Field("query", n, current.get(n, ""), slot=("query", route_name, n)) for n in sorted(own)]
    fields += [Field("query", n, current.get(n, ""), slot=("query", SHARED_QUERY[n])) for n in sorted(shared - own)]
    # One slot per resource factory: it is what reads {slug} or {year} for all its routes.
    factory = (getattr(route.factory, "__qualname__", None) or route_name) if route else route_name
    fields += [Field("path", k, str(v), slot=("path", factory, k)) for k, v in matchdict.items()]
    return Target(
        "page",
        route_name,
        "GET",
        role,
        url,
        fields,
        pairs=pairs,
        matchdict=dict(matchdict),
        generate=route.generate if route else None,
        readers=tuple(readers),
    )


def form_targets(mapper, page_route, role, url, response) -> list[Target]:
    """A target per POST form on the page; each case presses one of its buttons."""
    made = []
    for form in response.forms.values():
        if form.method.upper() != "POST":
            continue
        action = urljoin(url, form.action or url)
        route, _match = route_of(mapper, urlsplit(action).path)
        name = route.name if route else urlsplit(action).path
        buttons = [(n, f.value_if_submitted()) for n, f in form.field_order if isinstance(f, Submit) and n]
        button_names = {n for n, _v in buttons}
        pairs = [(k, v) for k, v in form.submit_fields() if not isinstance(v, File) and k not in button_names]
        files = [n for n, f in form.field_order if isinstance(f, File)]
        fields, seen = [], set()
        for n, f in form.field_order:
            if not n or n in seen:
                continue
            seen.add(n)
            value = next((v for k, v in pairs if k == n), "")
            if isinstance(f, (Checkbox, Radio)) and not value:
                value = f.attrs.get("value", "on")
            elif isinstance(f, Submit):
                value = f.value_if_submitted() or ""
            numeric = f.attrs.get("inputmode") in ("numeric", "decimal") or f.attrs.get("type") == "number"
            fields.append(Field("form", n, value, numeric, slot=("form", name, family(n))))
        made.append(
            Target(
                "form",
                name,
                "POST",
                role,
                action,
                fields,
                pairs=pairs,
                buttons=buttons,
                uploads=[(n, "bien-ban.pdf", PDF) for n in files],
                multipart="multipart" in (form.enctype or "") or bool(files),
                page=page_route,
            )
        )
    return made


def json_target(route, role, url, detail: dict, definition: dict) -> Target:
    """The report values PUT: its version, its values and narratives, and each cell of its form
    (``definition``, as GET /api/v1/forms gives it) with the figure stored, or 0."""
    stored = {(v["element"], v["option"]): v["value"] for v in detail.get("values", [])}
    values, narratives = [], dict(detail.get("narratives") or {})
    for section in definition.get("sections", []):
        for e in section["elements"]:
            blank = "" if e["value_type"] == "text" else 0
            for o in (e["disaggregation"] or {}).get("options") or [{"code": ""}]:
                values.append(
                    {"element": e["code"], "option": o["code"], "value": stored.get((e["code"], o["code"]), blank)}
                )
        for n in section["narratives"]:
            narratives.setdefault(n["key"], "")
    body = {"version": detail.get("version"), "values": values, "narratives": narratives}
    fields = [
        Field("json", "version", str(body["version"]), True),
        Field("json", "values"),
        Field("json", "narratives"),
    ]
    fields += [
        Field("json", f"values[{i}]", str(v["value"]), not isinstance(v["value"], str)) for i, v in enumerate(values)
    ]
    fields += [Field("json", f"narratives.{k}", str(v)) for k, v in narratives.items()]
    fields = [Field(f.where, f.name, f.value, f.numeric, slot=("json", route, family(f.name))) for f in fields]
    return Target("json", route, "PUT", role, url, fields, body=body)


def form_key(target: Target) -> tuple:
    """Forms alike are fuzzed once (the sign-out form of every page); the same form for another
    space or duty (the police officer's duty log) is fuzzed too, its cases sharing the slots."""
    return (target.route, urlsplit(target.url).query, tuple(sorted({f.name for f in target.fields})))


# --- one case ------------------------------------------------------------------------------------


@dataclass
class Case:
    target: Target
    field: Field
    kind: str
    value: object  # str, a (first, second) pair, or None
    button: tuple | None = None  # the submit button pressed
    role: str = ""  # who sends it

    def request(self):
        """(method, url, params, uploads, content type, body) of the spoiled request."""
        t, f, value = self.target, self.field, self.value
        if t.kind == "page":
            if f.where == "path":
                query = urlsplit(t.url).query
                path = t.generate({**t.matchdict, f.name: value})
                return "GET", path + (f"?{query}" if query else ""), None, None, None, None
            pairs = [(k, v) for k, v in t.pairs if k != f.name] + _items(f.name, value)
            path = urlsplit(t.url).path
            return "GET", path + "?" + urlencode(pairs, safe=":/"), None, None, None, None
        if t.kind == "form":
            pairs = [(k, v) for k, v in t.pairs if k != f.name]
            if self.button and self.button[0] != f.name:
                pairs.append(self.button)
            pairs += _items(f.name, value)
            uploads = [u for u in t.uploads if u[0] != f.name]
            return "POST", t.url, pairs, uploads, "multipart/form-data" if t.multipart else None, None
        return "PUT", t.url, None, None, "application/json", _json_body(t.body, f, self.kind, value)


def _items(name: str, value) -> list:
    if value is None:
        return []
    if isinstance(value, tuple):
        return [(name, v) for v in value]
    return [(name, value)]


RAW = "\x00raw-json-number\x00"


def _json_body(body: dict, f: Field, kind: str, value) -> str:
    """The body with one field spoiled; a bad number is sent as a JSON number when it reads as one."""
    body = json.loads(json.dumps(body))
    raw = None
    if isinstance(value, str) and kind in NUMERIC and JSON_NUMBER.match(value):
        raw, value = value, RAW
    if isinstance(value, tuple):
        value = list(value)
    head, _, rest = f.name.partition(".")
    if f.name.startswith("values["):
        index = int(f.name[7:-1])
        if value is None:
            del body["values"][index]
        elif isinstance(value, list):
            body["values"].append({**body["values"][index], "value": value[1]})
        else:
            body["values"][index]["value"] = value
    elif rest:
        if value is None:
            body[head].pop(rest, None)
        else:
            body[head][rest] = value
    elif value is None:
        body.pop(f.name, None)
    else:
        body[f.name] = value
    text = json.dumps(body)
    return text.replace(json.dumps(RAW), raw) if raw is not None else text


# --- the driver ----------------------------------------------------------------------------------

#: Tables a refused request may write to, and why.
MAY_WRITE = {
    # a refused attempt that matters (a wrong current password, a denied change) is audited on purpose
    "audit_entries": "the audit trail records refused attempts",
    # a wrong current password on the password form counts towards the lock-out, like a failed login
    "login_throttles": "failed password checks are counted for the lock-out",
}
#: The host the test browsers send (tests/conftest.py).
HOST = "example.com"
ERROR_MARKERS = ("flash-error", 'aria-invalid="true"', 'class="error"')
WRITE = re.compile(r"^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+\"?(\w+)", re.IGNORECASE)


@dataclass
class Failure:
    problem: str  # "server error" | "unescaped" | "stored"
    target: Target
    case: Case | None
    status: str
    detail: str
    cause: str

    def row(self) -> str:
        if self.case is None:
            return f"{self.target.label()} as {self.target.role} (plain visit): {self.status}"
        c = self.case
        return (
            f"{self.target.label()} as {c.role or self.target.role}: {c.field.where} {c.field.name!r} "
            f"[{c.kind}] = {short(c.value)} -> {self.status}"
        )


def short(value, limit: int = 40) -> str:
    text = repr(value)
    return text if len(text) <= limit else f"{text[:limit]}...({len(text)} chars)"


def where_raised(exc_info) -> str:
    """The innermost frame of the project's own code, and the innermost frame of all."""
    frames = traceback.extract_tb(exc_info[2])
    if not frames:
        return "?"
    root = str(Path(__file__).resolve().parents[2])
    own = [
        f for f in frames if f.filename.startswith(root) and "/tests/" not in f.filename and "/.venv/" not in f.filename
    ]
    last = frames[-1]
    inner = f"{Path(last.filename).name}:{last.lineno} {last.name}"
    if not own:
        return inner
    f = own[-1]
    mine = f"{Path(f.filename).relative_to(root)}:{f.lineno} {f.name}"
    return mine if f is last else f"{mine} -> {inner}"


class Driver:
    """Sends requests as the demo users, each in a savepoint rolled back afterwards, and judges them."""

    def __init__(self, app, dbsession, browser):
        self.app = app
        self.db = dbsession
        self.browser = browser
        self.mapper = app.registry.getUtility(IRoutesMapper)
        self.engine = app.registry["dbengine"]
        self.tables = [t for t in metadata.sorted_tables if t.name not in MAY_WRITE]
        self.failures: list[Failure] = []
        self.sent = 0
        self.durations: list[tuple[float, Case]] = []
        #: How often each check had something to check: refused forms counted, payloads looked for.
        self.checked = {"refused forms": 0, "echo": 0}
        self.tokens: dict[str, str] = {}
        self._seen = None
        self._writes: list[str] | None = None
        self._baseline: dict[str, int] = {}

    def __enter__(self):
        self.app.registry.registerHandler(self._on_response, (INewResponse,))
        event.listen(self.engine, "before_cursor_execute", self._on_statement)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._on_statement)
        self.app.registry.unregisterHandler(self._on_response, (INewResponse,))

    def _on_response(self, ev):
        request = ev.request
        session = request.__dict__.get("session")
        self._seen = {
            "exc_info": request.exc_info,
            "flashes": list(session.peek_flash("error")) if session is not None else [],
        }

    def _on_statement(self, conn, cursor, statement, parameters, context, executemany):
        if self._writes is not None:
            match = WRITE.match(statement)
            if match:
                self._writes.append(match.group(1).lower())

    def counts(self) -> dict[str, int]:
        columns = [select(func.count()).select_from(t).scalar_subquery().label(t.name) for t in self.tables]
        return dict(self.db.execute(select(*columns)).one()._mapping)

    def settle(self):
        """The current state is the one every case starts from."""
        self.db.flush()
        self._baseline = self.counts()

    def csrf(self, role: str) -> str:
        if role not in self.tokens:
            self.tokens[role] = csrf_from(self.send(role, "GET", "/")[0])
        return self.tokens[role]

    def send(self, role, method, url, params=None, uploads=None, content_type=None, body=None):
        """(response or None, outcome): the outcome says how the server took it."""
        browser = self.browser(role)
        headers = {"X-CSRF-Token": self.csrf(role)} if method == "PUT" else None
        cookies = list(browser.cookiejar)
        self._seen, self._writes = None, []
        savepoint = self.db.begin_nested()
        outcome = {"status": None, "exc_info": None, "where": "", "refused": False, "stored": {}}
        response = None
        try:
            try:
                if method == "GET":
                    response = browser.get(url, status="*", expect_errors=True)
                elif method == "PUT":
                    response = browser.put(
                        url, body, content_type=content_type, status="*", expect_errors=True, headers=headers
                    )
                else:
                    response = browser.post(
                        url,
                        params,
                        upload_files=uploads or None,
                        content_type=content_type,
                        status="*",
                        expect_errors=True,
                    )
                outcome["status"] = response.status_int
            except Exception as exc:  # escaped the app: the server answers 500
                outcome["exc_info"] = (type(exc), exc, exc.__traceback__)
                outcome["where"] = "escaped"
            seen = self._seen or {}
            if outcome["exc_info"] is None and seen.get("exc_info") is not None:
                # An exception view answered: pyramid_tm aborts the transaction.
                outcome["aborted"] = True
                if outcome["status"] >= 500:
                    outcome["exc_info"], outcome["where"] = seen["exc_info"], "handled"
            if response is not None and not outcome.get("aborted"):
                try:
                    self.db.flush()  # what the commit at the end of the request would write
                    if method != "GET" and refused(response, seen):
                        self.checked["refused forms"] += 1
                        outcome["refused"] = True
                        outcome["stored"] = self._stored()
                        if outcome["stored"] and draft_saved(response):
                            # "Lưu bản nháp" always saves what could be read, and says so; what
                            # could not be read is not stored (tests/functional/test_review_flow.py).
                            self.checked["drafts saved"] = self.checked.get("drafts saved", 0) + 1
                            outcome["stored"] = {}
                except Exception as exc:
                    outcome["exc_info"], outcome["where"] = (type(exc), exc, exc.__traceback__), "at commit"
        finally:
            self._writes = None
            savepoint.rollback()
            browser.cookiejar.clear()
            for cookie in cookies:
                browser.cookiejar.set_cookie(cookie)
        self.sent += 1
        return response, outcome

    def _stored(self) -> dict[str, str]:
        writes = set(self._writes or ()) - set(MAY_WRITE)
        self._writes = None
        now = self.counts()
        changed = {t: f"{self._baseline.get(t)} -> {n} rows" for t, n in now.items() if n != self._baseline.get(t)}
        for table in writes - set(changed):
            changed[table] = "rows updated or deleted"
        return changed

    def judge(self, target: Target, case: Case | None, response, outcome) -> None:
        status = outcome["status"]
        if outcome["exc_info"] is not None or (status is not None and status >= 500):
            self.failures.append(server_error(target, case, outcome))
        if case is not None and response is not None and "html" in (response.content_type or ""):
            text = response.text
            for payload in payloads(case.value):
                self.checked["echo"] += 1
                if payload in text:
                    self.failures.append(
                        Failure(
                            "unescaped",
                            target,
                            case,
                            str(status),
                            short(payload),
                            f"echoed unescaped on {target.route}",
                        )
                    )
                    break
        location = response.headers.get("Location", "") if response is not None else ""
        if case is not None and location and off_site(location):
            self.failures.append(
                Failure(
                    "off-site redirect",
                    target,
                    case,
                    str(status),
                    short(location, 80),
                    f"redirect off the site from {target.route}",
                )
            )
        if outcome["stored"]:
            tables = ", ".join(f"{t} ({d})" for t, d in sorted(outcome["stored"].items()))
            self.failures.append(
                Failure(
                    "stored",
                    target,
                    case,
                    str(status),
                    tables,
                    f"stored from a refused form: {', '.join(sorted(outcome['stored']))}",
                )
            )

    def run(self, case: Case):
        method, url, params, uploads, content_type, body = case.request()
        started = time.monotonic()
        response, outcome = self.send(case.role or case.target.role, method, url, params, uploads, content_type, body)
        self.durations.append((time.monotonic() - started, case))
        self.judge(case.target, case, response, outcome)


def server_error(target: Target, case: Case | None, outcome: dict) -> Failure:
    """The failure of a 500: the exception, where the project's code raised it, how it surfaced."""
    status, exc_info = outcome["status"], outcome["exc_info"]
    if exc_info is None:
        cause = f"HTTP {status} without a traceback"
        return Failure("server error", target, case, str(status), cause, cause)
    exc, place = exc_info[1], where_raised(exc_info)
    detail = f"{type(exc).__name__}: {' '.join(str(exc).split())[:160]} ({outcome['where']} at {place})"
    if outcome["where"] == "at commit":
        # pyramid_tm commits after the view has answered: the user gets a 500 instead
        cause = f"{type(exc).__name__} at the commit after {target.route} answered {status}"
        return Failure("server error", target, case, f"{status}, then 500 at the commit", detail, cause)
    return Failure("server error", target, case, str(status or 500), detail, f"{type(exc).__name__} at {place}")


def off_site(location: str) -> bool:
    """Whether a browser would follow ``location`` to another host: it drops tabs and line breaks
    and reads a backslash as a slash."""
    cleaned = re.sub(r"[\t\n\r]", "", location).replace("\\", "/")
    return urlsplit(urljoin(f"http://{HOST}/", cleaned)).hostname not in (HOST, None)


def draft_saved(response) -> bool:
    """The page says the draft was saved with the readable part of what was sent."""
    return "html" in (response.content_type or "") and 'data-draft-saved="1"' in response.text


def refused(response, seen) -> bool:
    """The form was turned down: an error status, an error message queued, or the form shown again."""
    if response.status_int >= 400 or seen.get("flashes"):
        return True
    if response.status_int == 200 and "html" in (response.content_type or ""):
        return any(marker in response.text for marker in ERROR_MARKERS)
    return False


# --- choosing the cases --------------------------------------------------------------------------


def schedule(targets: list[Target], rng: random.Random):
    """Cases, broadest first: the missing CSRF token of every form, each kind once, then round after
    round each slot its next kind, the kinds that suit it first (numbers to numeric fields, dates
    to date fields, redirect targets to next and came_from...)."""
    slots: dict[tuple, list[tuple[Target, Field]]] = defaultdict(list)
    for t in targets:
        for f in t.fields:
            slots[f.slot].append((t, f))
    keys = list(slots)
    orders = {}
    for key in keys:
        f = slots[key][0][1]
        allowed = f.kinds()
        suited = [k for k in f.suits() if k in allowed]
        rest = [k for k in allowed if k not in suited]
        rng.shuffle(suited)
        rng.shuffle(rest)
        orders[key] = suited + rest

    def case(key, kind, member=None):
        t, f = member or rng.choice(slots[key])
        button = rng.choice(t.buttons) if t.buttons else None
        role = rng.choice(t.readers) if t.readers else t.role
        return Case(t, f, kind, bad_value(kind, f, rng), button, role)

    for t in targets:
        for f in t.fields:
            if f.name == "csrf_token":
                yield case(f.slot, "missing", (t, f))
    for key in keys:
        if slots[key][0][1].name == "csrf_token":
            orders[key].remove("missing")
    for kind in KINDS:
        fitting = [k for k in keys if kind in orders[k][:3]] or [k for k in keys if kind in orders[k]]
        if fitting:
            key = rng.choice(fitting)
            orders[key].remove(kind)
            yield case(key, kind)
    for depth in range(len(KINDS)):
        rng.shuffle(keys)
        for key in keys:
            if depth < len(orders[key]):
                yield case(key, orders[key][depth])


@dataclass
class Budget:
    requests: int
    seconds: float
    started: float = field(default_factory=time.monotonic)

    def share(self, used: int, weight: int, remaining_weight: int) -> tuple[int, float]:
        """Requests and a deadline for a group: its share of what is left."""
        left = max(0, self.requests - used)
        now = time.monotonic()
        seconds_left = max(0.0, self.started + self.seconds - now)
        fraction = weight / remaining_weight if remaining_weight else 1
        return round(left * fraction), now + seconds_left * fraction


def report(failures: list[Failure], header: str) -> str:
    """All failures, grouped by cause; within a cause one line per route, field and kind."""
    by_cause: dict[str, dict[tuple, list[Failure]]] = defaultdict(lambda: defaultdict(list))
    for f in failures:
        c = f.case
        key = (
            f.target.label(),
            (c and c.role) or f.target.role,
            c.field.where if c else "",
            c.field.name if c else "",
            c.kind if c else "",
            f.status,
        )
        by_cause[(f.problem, f.cause)][key].append(f)
    lines = [header, f"{len(failures)} failing cases, {len(by_cause)} distinct causes:"]
    for (problem, cause), rows in sorted(by_cause.items(), key=lambda item: (item[0][0], -len(item[1]))):
        lines.append(f"\n[{problem}] {cause} ({sum(len(v) for v in rows.values())} cases)")
        for group in rows.values():
            first = group[0]
            more = f" (x{len(group)})" if len(group) > 1 else ""
            lines.append(f"  - {first.row()}{more}")
            if first.problem != "server error" or first.detail != cause:
                lines.append(f"      {first.detail}")
    return "\n".join(lines)
