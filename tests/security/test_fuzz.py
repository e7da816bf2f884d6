"""Bad values of every kind, to every query parameter, path placeholder and form field of every route.

Each route is visited as a role that may use it (see tests/security/fuzzing.py for how the visits
come from the view matrix), then its fields are sent, one at a time, Unicode digits, numbers of
thousands of digits, integers beyond 2**31 and 2**63, negative numbers, years and dates out of
range, NUL bytes and control characters, CR/LF, U+2028 and foreign hosts in redirect targets,
strings of 100,000 characters, HTML and script, Vietnamese decimals and grouping, empty values,
repeated keys, and missing fields (a missing CSRF token among them). Every answer must be:
  - below 500 (no exception escapes, none is turned into an error page);
  - free of any value containing "<" as it was sent (escaped, or not echoed at all);
  - when a form is refused (4xx, an error message, or the form shown again), without a row added,
    changed or removed outside the tables that record the attempt itself (fuzzing.MAY_WRITE);
  - when it redirects, to this site (a bad ?next= or ?came_from= must not lead elsewhere).

The sample of value x field combinations is seeded and bounded: INTRANET_FUZZ_SEED (printed;
DEFAULT_SEED when unset, so that CI runs repeat; set it to explore other samples), INTRANET_FUZZ_REQUESTS (1,500 by default) and INTRANET_FUZZ_SECONDS (90 by default:
no new case is sent after that; the assertions never depend on time). Every failure is listed at
once, grouped by cause.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import time
from collections import Counter
from contextlib import contextmanager
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from intranet.accounts.token_views import create_token
from intranet.assessments import services as assessments
from intranet.assessments.models import CriteriaSet
from intranet.documents.services import store
from intranet.duties.models import Evidence
from intranet.notifications.models import Notice
from intranet.plans import services as plans
from tests.fixtures.documents import DocumentFactory
from tests.fixtures.factories import get_space, get_user
from tests.security.fuzzing import (
    PDF,
    Budget,
    Driver,
    Target,
    form_key,
    form_targets,
    json_target,
    page_target,
    report,
    schedule,
    visits,
)
from tests.security.test_view_matrix import MATRIX, referral_documents, request_for

DEFAULT_SEED = 20170605

#: Groups of routes by the state of the demo data they need (fuzzing.GROUPS).
GROUP_ORDER = (
    "base",
    "plan-draft",
    "plan-submitted",
    "plan-approved",
    "assessments",
    "children",
    "cases",
    "cases-service",
    "cases-closed",
    "referrals",
)


class World:
    """The demo database plus what the matrix's routes need (its ``logs`` and ``documents``).

    It keeps ids, not ORM objects: every group's changes are rolled back and the session emptied
    afterwards (SQLite hands the rolled-back ids out again)."""

    def __init__(self, app, dbsession, factory):
        self.app, self.db = app, dbsession
        tancanh = get_user(dbsession, "tancanh")
        self.tancanh_id = tancanh.id
        former = factory.user("canbo.cu", full_name="Cán bộ đã chuyển công tác")
        authors = {"tan-canh": tancanh, "kon-dao": tancanh, "congan": former, "ldtbxh": former}
        blob = store(dbsession, PDF, "pdf")
        self.logs = {}
        for slug, author in authors.items():
            space = get_space(dbsession, slug)
            log = factory.log(space, author, f"{space.kind}.bao-cao-dinh-ky", log_date=dt.date(2017, 5, 20))
            evidence = Evidence(log_id=log.id, blob_sha256=blob.sha256, filename="bien-ban.pdf", uploaded_by=author.id)
            dbsession.add(evidence)
            dbsession.flush()
            self.logs[slug] = (SimpleNamespace(id=log.id, version=log.version), SimpleNamespace(id=evidence.id))
        # a token of the coordinator's own, so that the token page offers its revoke form (API
        # tokens are for the district and the province, not for commune officers)
        create_token(dbsession, get_user(dbsession, "dieuphoi").id, "Bảng tính tổng hợp")
        # a notice, so that the notices page offers its "mark all as read" form
        dbsession.add(Notice(user_id=tancanh.id, kind="reminder", message="Sắp đến hạn nộp báo cáo"))
        dbsession.flush()
        self.criteria_set_id = dbsession.scalars(select(CriteriaSet.id).where(CriteriaSet.key == "qd-06-2019")).one()

    @contextmanager
    def state(self, group: str):
        """The documents of a group (matrix placeholders); changes beyond "base" are rolled back."""
        savepoint = None if group == "base" else self.db.begin_nested()
        try:
            yield self._prepare(group)
        finally:
            if savepoint is not None:
                savepoint.rollback()
                self.db.expunge_all()

    def _prepare(self, group: str) -> dict:
        made = {"criteria_set_id": self.criteria_set_id}
        if group.startswith("plan-"):
            made["plan_version"] = self._plan(group.removeprefix("plan-"))
        if group == "assessments":
            made.update(self._assessments())
        if group == "children":
            made.update(self._children())
        if group == "referrals":
            # tancanh's commune received a referral to answer, congan one to record the outcome of
            factory = DocumentFactory(self.db, self.app.registry, unit_user=self.tancanh_id)
            made.update(referral_documents(factory, accepted=("congan",)))
        if group.startswith("cases"):
            # a plan drafted; an approved plan with an open service; a closed case
            state = {"cases": {"planned": True}, "cases-service": {"service": True}, "cases-closed": {"closed": True}}
            factory = DocumentFactory(self.db, self.app.registry, unit_user=self.tancanh_id)
            for slug in ("tan-canh", "kon-dao"):
                made[f"case_number:{slug}"] = factory.case(slug, **state[group]).number
        return made

    def _children(self) -> dict:
        """A fictional child in the register of Tan Canh and of Kon Dao."""
        made = {}
        factory = DocumentFactory(self.db, self.app.registry, unit_user=self.tancanh_id)
        for slug in ("tan-canh", "kon-dao"):
            child = factory.child(slug)
            made[f"child_reference:{slug}"] = child.reference
            made[f"child_version:{slug}"] = child.version
        return made

    def _plan(self, state: str) -> int:
        """Tan Canh's 2017 plan in ``state`` (draft, submitted, approved with its signed scan)."""
        plan = plans.new_plan(self.db, self.app.registry, get_space(self.db, "tan-canh"), 2017, self.tancanh_id)
        self.db.flush()
        for action in {"submitted": ["submit"], "approved": ["submit", "approve"]}.get(state, []):
            plans.apply_transition(plan, action, self.tancanh_id)
        if state == "approved":
            plans.attach_scan(self.db, plan, "ke-hoach-2017.pdf", PDF, "pdf", self.tancanh_id)
        self.db.flush()
        return plan.version

    def _assessments(self) -> dict:
        """A submitted 2019 assessment with one evidence file in Tan Canh and in Kon Dao."""
        made = {}
        criteria_set = self.db.get(CriteriaSet, self.criteria_set_id)
        criterion_id = assessments.load_set(self.db, criteria_set.id).criteria[0].id
        for slug in ("tan-canh", "kon-dao"):
            assessment = assessments.create_assessment(
                self.db, get_space(self.db, slug).id, 2019, criteria_set, "mountain_island_hard"
            )
            self.db.flush()
            assessments.attach_evidence(
                self.db, assessment, criterion_id, [("bien-ban.pdf", PDF, "pdf")], self.tancanh_id
            )
            assessments.apply_transition(assessment, "submit", self.tancanh_id)
            self.db.flush()
            made[f"assessment_evidence_id:{slug}"] = assessment.evidence[0].id
            made[f"assessment_version:{slug}"] = assessment.version
        return made


@pytest.fixture
def browsers(make_app):
    """browsers(role) -> that demo user's browser, signed in once per test."""
    cache = {}

    def get(role):
        if role not in cache:
            browser = make_app()
            if role != "anonymous":
                browser.login(role)
            cache[role] = browser
        return cache[role]

    return get


def discover(
    driver: Driver, world: World, documents: dict, group_visits, seen_forms: set, *, judge: bool = True
) -> list[Target]:
    """Visit the group's pages: each yields its own query and path, and the forms it carries."""
    targets = []
    for visit in group_visits:
        url, _body = request_for(visit.route, visit.url, visit.space, world.db, world.logs, documents)
        if visit.api:
            response, outcome = driver.send(visit.role, "GET", url.removesuffix("/values"))
            detail = json_of(response)
            forms = json_of(driver.send(visit.role, "GET", "/api/v1/forms")[0]).get("forms", [])
            definition = next((f for f in forms if f["key"] == detail.get("form_key")), {})
            target = json_target(visit.route, visit.role, url, detail, definition)
            targets.append(target)
        else:
            response, outcome = driver.send(visit.role, "GET", url)
            target = page_target(
                driver.app.registry, driver.mapper, visit.route, visit.role, url, response, visit.readers
            )
            if visit.fuzz_page:
                targets.append(target)
            if response is not None and "html" in (response.content_type or ""):
                for form in form_targets(driver.mapper, visit.route, visit.role, url, response):
                    if form_key(form) not in seen_forms:
                        seen_forms.add(form_key(form))
                        targets.append(form)
        if judge:
            driver.judge(target, None, response, outcome)
    return targets


def json_of(response) -> dict:
    return response.json if response is not None and "json" in (response.content_type or "") else {}


def slots(targets: list[Target]) -> set:
    return {f.slot for t in targets for f in t.fields}


class Tally:
    """What was sent: cases by kind and by slot, the targets found."""

    def __init__(self):
        self.kinds, self.per_slot, self.targets = Counter(), Counter(), []

    def add(self, case):
        self.kinds[case.kind] += 1
        self.per_slot[case.field.slot] += 1

    def summary(self, driver: Driver, backend: str, seed: int, elapsed: float) -> str:
        counts = self.per_slot.values()
        return (
            f"fuzz on {backend}: seed {seed}, {sum(self.kinds.values())} cases sent ({driver.sent} requests "
            f"in all) in {elapsed:.0f} s, to {sum(len(t.fields) for t in self.targets)} fields "
            f"({len(slots(self.targets))} slots) of {len(self.targets)} targets; {len(self.per_slot)} slots "
            f"reached, {min(counts, default=0)} to {max(counts, default=0)} values each; "
            f"{driver.checked['refused forms']} refused forms counted, {driver.checked['echo']} pages "
            f"searched for a payload; kinds: " + ", ".join(f"{k} {n}" for k, n in sorted(self.kinds.items()))
        )


def fuzz(driver: Driver, world: World, by_group: dict, budget: Budget, rng: random.Random) -> Tally:
    """Each group in its state of the demo data, with its share of the requests and of the time
    by its number of slots (those of the small groups are counted on a first visit)."""
    tally, seen_forms, weights = Tally(), set(), {}
    for group in GROUP_ORDER[1:]:
        with world.state(group) as documents:
            weights[group] = len(slots(discover(driver, world, documents, by_group[group], set(), judge=False)))
    for i, group in enumerate(GROUP_ORDER):
        with world.state(group) as documents:
            driver.settle()
            targets = discover(driver, world, documents, by_group[group], seen_forms)
            tally.targets += targets
            weights[group] = len(slots(targets))
            allowed, deadline = budget.share(
                sum(tally.kinds.values()), weights[group], sum(weights[g] for g in GROUP_ORDER[i:])
            )
            for n, case in enumerate(schedule(targets, rng)):
                if n >= allowed or time.monotonic() >= deadline:
                    break
                driver.run(case)
                tally.add(case)
    return tally


def test_fuzz_every_field_of_every_route(app, dbsession, factory, browsers, backend):
    seed = int(os.environ.get("INTRANET_FUZZ_SEED") or DEFAULT_SEED)
    budget = Budget(
        int(os.environ.get("INTRANET_FUZZ_REQUESTS", "1500")), float(os.environ.get("INTRANET_FUZZ_SECONDS", "90"))
    )
    print(f"\nfuzz: seed {seed} (INTRANET_FUZZ_SEED={seed} repeats this run)")
    world = World(app, dbsession, factory)
    plan = visits()
    for role in sorted({r for v in plan for r in (v.role, *v.readers)}):
        browsers(role)  # every login now, so that none writes inside a case
    by_group = {g: [v for v in plan if v.group == g] for g in GROUP_ORDER}
    assert sum(map(len, by_group.values())) == len(plan), "a visit belongs to no group"

    with Driver(app, dbsession, browsers) as driver:
        tally = fuzz(driver, world, by_group, budget, random.Random(seed))
    summary = tally.summary(driver, backend, seed, time.monotonic() - budget.started)
    print(summary)
    for seconds, case in sorted(driver.durations, key=lambda d: -d[0])[:5]:
        print(f"  slowest: {seconds:.1f} s {case.target.label()} {case.field.name!r} [{case.kind}]")

    problems = [report(driver.failures, summary)] if driver.failures else []
    routes = {r.name for r in driver.mapper.get_routes()} - {"__static/"}
    sent = {(t.route, t.method) for t in tally.targets}
    if routes - {route for route, _method in sent}:
        problems.append(f"routes never fuzzed: {sorted(routes - {route for route, _method in sent})}")
    unsafe = {(row[0], row[1]) for row in MATRIX if row[1] != "GET"}
    if unsafe - sent:
        problems.append(f"no form found for: {sorted(unsafe - sent)}")
    # With a budget too small to reach a form or a page that shows a payload, there is nothing to check.
    if sum(tally.kinds.values()) >= 200 and not all(driver.checked.values()):
        problems.append(f"a check never had anything to check: {driver.checked}")
    if problems:
        pytest.fail("\n\n".join(problems), pytrace=False)
