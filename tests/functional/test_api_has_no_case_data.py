"""Case data itself is never in the API (issue 11, section 5).

Every route of the API, found by introspecting the application (a route added later is walked
too), is called by every role — the case team's coordinator and chairman, the commune's
child-protection officer, the provincial viewer, the administrator — for every report and period
it can name. No answer carries a case number, a reference of a child, a case or a support, an
encrypted column as stored, a child's name or birth date as typed, or a name-matching hash. And no
API route hangs under the case or register resources, nor is served by the cases' code.
"""

from __future__ import annotations

import re

import pytest
from pyramid.interfaces import IRoutesMapper
from sqlalchemy import select

from intranet.accounts.token_views import create_token
from intranet.cases import models as case_models
from intranet.cases.keys import get_keyring
from intranet.cases.procedure import read_case
from intranet.cases.services import read_child
from intranet.reports.models import Period, Submission
from tests.fixtures.factories import get_user

#: Who calls: the case team (coordinator, chairman, protection officer) and those outside it.
CALLERS = ("dieuphoi", "chutich.tancanh", "tancanh", "sotinh", "admin", "congan")

#: The models of cases and registers, and the columns of theirs that identify a row or a child.
CASE_MODELS = [
    m
    for m in vars(case_models).values()
    if isinstance(m, type) and hasattr(m, "__tablename__") and m.__module__ == case_models.__name__
]
IDENTIFYING = ("reference", "number", "decision_number", "match_index")


def api_route_list(app) -> list:
    """Every route of the API, from the application's own route list."""
    routes = [r for r in app.registry.getUtility(IRoutesMapper).get_routes() if r.pattern.startswith("/api/")]
    assert {r.name for r in routes} >= {"api.reports", "api.report", "api.consolidation", "api.openapi"}
    return routes


def secrets(app, dbsession) -> set[str]:
    """What no answer of the API may contain: every stored token of an encrypted column, every
    identifying column, and the children's names and birth dates and the cases' accounts as read."""
    found: set[str] = set()
    for model in CASE_MODELS:
        columns = [*getattr(model, "ENCRYPTED", ()), *(c for c in IDENTIFYING if hasattr(model, c))]
        for column in columns:
            found.update(v for v in dbsession.scalars(select(getattr(model, column))) if isinstance(v, str))
    keyring = get_keyring(app.registry)
    for child in dbsession.scalars(select(case_models.Child)):
        record = read_child(keyring, child)
        found.update({record.full_name, str(record.date_of_birth), record.date_of_birth.strftime("%d/%m/%Y")})
    for case in dbsession.scalars(select(case_models.Case)):
        record = read_case(keyring, case)
        found.update(v for v in (record.account, record.reporter) if isinstance(v, str))
    # Short or empty values ("", a one-letter village) would match anything: they say nothing.
    return {s for s in found if len(s) >= 6}


def test_the_demo_has_cases_and_children_to_look_for(app, dbsession):
    assert dbsession.scalars(select(case_models.Case)).first() is not None
    assert dbsession.scalars(select(case_models.Child)).first() is not None
    found = secrets(app, dbsession)
    numbers = list(dbsession.scalars(select(case_models.Case.number)))
    assert numbers and all(n in found for n in numbers)
    keyring = get_keyring(app.registry)
    assert all(read_child(keyring, c).full_name in found for c in dbsession.scalars(select(case_models.Child)))


def test_no_api_route_is_under_the_case_or_register_resources(app):
    for route in api_route_list(app):
        factory = route.factory
        module = getattr(factory, "__module__", "") or ""
        assert not module.startswith("intranet.cases"), route.name
        assert "/spaces/" not in route.pattern and "children" not in route.pattern and "cases" not in route.pattern
    names = {r.name for r in api_route_list(app)}
    views = [
        e["introspectable"]
        for e in app.registry.introspector.get_category("views")
        if e["introspectable"]["route_name"] in names
    ]
    assert views
    for view in views:
        module = getattr(view["callable"], "__module__", "") or ""
        assert not module.startswith("intranet.cases"), view["route_name"]


def urls_of(route, dbsession) -> list[str]:
    """The route's URLs for every value its placeholders can take."""
    placeholders = re.findall(r"{(\w+)}", route.pattern)
    choices = {
        "report_id": [str(i) for i in dbsession.scalars(select(Submission.id))],
        "period": list(dbsession.scalars(select(Period.code))),
    }
    unknown = set(placeholders) - set(choices)
    assert not unknown, f"{route.name}: teach this test the values of {unknown}"
    urls = [route.pattern]
    for name in placeholders:
        urls = [u.replace(f"{{{name}}}", v) for u in urls for v in choices[name]]
    return urls


@pytest.fixture
def api_callers(make_app, dbsession):
    """login -> an App without cookies that sends a fresh API token of that user."""
    callers = {}
    for login in CALLERS:
        _row, token = create_token(dbsession, get_user(dbsession, login).id, "Kiểm tra")
        client = make_app()
        client.extra_environ = {**client.extra_environ, "HTTP_AUTHORIZATION": f"Bearer {token}"}
        callers[login] = client
    return callers


def test_no_api_answer_carries_case_or_register_data(app, dbsession, api_callers):
    hidden = secrets(app, dbsession)
    answered = 0
    for route in api_route_list(app):
        for url in urls_of(route, dbsession):
            for login, client in api_callers.items():
                res = client.get(url, expect_errors=True)
                assert res.status_int < 500, (url, login)
                body = res.body.decode("utf-8")
                leaked = [s for s in hidden if s in body]
                assert not leaked, f"{url} as {login}: {len(leaked)} case or register value(s)"
                # No field of the API speaks of children's rows or cases by name either.
                assert not re.search(r'"(case_number|child_reference|full_name|date_of_birth|match_index)"', body)
                answered += res.status_int == 200
    assert answered > len(CALLERS)
