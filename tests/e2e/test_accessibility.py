"""Accessibility of the main page of each job, checked by axe-core in Chromium at 360 px (a cheap
phone) and at desktop width: no "critical" or "serious" violation.

The pages: the commune officer's half-year report form, commune plan and duty log form; the
coordinator's completeness and consolidated report pages. axe-core comes inside the
axe-playwright-python package (its axe.min.js is injected into the page): nothing is downloaded.

The server is this module's own, on a database of its own: the plan page needs Tân Cảnh's 2017
plan drafted, which the commune plan round trip (test_commune_plan.py) does itself on the shared
server.

Selectors use names, ids and CSS classes, never button or link texts: those are translated.
"""

from __future__ import annotations

import re
import threading
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.e2e.test_report_workflow import PHONE, click_action, login
from tests.fixtures.database import running_app

DESKTOP = {"width": 1280, "height": 900}
WIDTHS = {"360px": PHONE, "desktop": DESKTOP}
#: What fails the test; "moderate" and "minor" findings are printed, not failed.
BLOCKING = ("critical", "serious")
PERIOD = "2017-6t"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """Base URL of a seeded intranet of this module's own, served by waitress."""
    from waitress import create_server, wasyncore

    with running_app(tmp_path_factory, "intranet_a11y") as application:
        srv = create_server(application, host="127.0.0.1", port=0, threads=2)
        thread = threading.Thread(target=srv.run, name="a11y-waitress", daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{srv.effective_port}"
        finally:
            srv.trigger.pull_trigger(lambda: wasyncore.close_all(srv._map))
            thread.join(timeout=10)
            srv.task_dispatcher.shutdown()


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture(scope="module")
def pages(server, browser):
    """Page name -> (login, path) of the page each job is done on."""
    context, page = login(browser, server, "tancanh", DESKTOP)
    try:
        # Tân Cảnh's 2017 plan, drafted from the district's template.
        page.goto(f"{server}/spaces/tan-canh/plans")
        page.select_option("select#year", "2017")
        click_action(page, "create")
        plan = urlsplit(page.url).path
        assert plan == "/spaces/tan-canh/plans/2017", page.url
        # The duty log form of the unit's first duty.
        page.goto(f"{server}/spaces/tan-canh")
        log_form = page.locator("ol.duties a.button.small").first.get_attribute("href")
        assert log_form and log_form.startswith("/spaces/tan-canh/logs/new"), log_form
    finally:
        context.close()
    return {
        "report form": ("tancanh", f"/spaces/tan-canh/reports/xa.bao-cao/{PERIOD}"),
        "commune plan": ("tancanh", plan),
        "duty log form": ("tancanh", log_form),
        "completeness": ("dieuphoi", f"/district/reports/{PERIOD}/completeness"),
        "consolidated report": ("dieuphoi", f"/district/reports/{PERIOD}"),
    }


def describe(violations) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
        for node in v["nodes"][:8]:
            lines.append(f"    {' '.join(node['target'])}: {node['html'][:160]}")
        if len(v["nodes"]) > 8:
            lines.append(f"    … and {len(v['nodes']) - 8} more")
    return "\n".join(lines)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(
    "name", ["report form", "commune plan", "duty log form", "completeness", "consolidated report"]
)
def test_no_serious_accessibility_violation(server, browser, axe, pages, name, width):
    who, path = pages[name]
    context, page = login(browser, server, who, WIDTHS[width])
    try:
        response = page.goto(server + path)
        assert response is not None and response.status == 200, f"{name}: {path}"
        assert urlsplit(page.url).path == urlsplit(path).path, f"{name}: redirected to {page.url}"
        results = axe.run(page).response
    finally:
        context.close()
    assert results["testEngine"]["name"] == "axe-core" and len(results["passes"]) > 10  # axe did run
    violations = results["violations"]
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    others = [v for v in violations if v["impact"] not in BLOCKING]
    if others:
        print(f"\n{name} at {width}, not blocking:\n{describe(others)}")
    assert not blocking, f"{name} ({path}) at {width}:\n{describe(blocking)}"


def test_report_form_with_errors(server, browser, axe, pages):
    # The form as it comes back refused: the marked field keeps its name and is described by its
    # error message; the page has no serious violation either.
    who, path = pages["report form"]
    context, page = login(browser, server, who, PHONE)
    try:
        page.goto(server + path)
        field = page.locator("form.report input[name^='v.']").first
        name = field.get_attribute("name")
        field.fill("abc")
        click_action(page, "save")
        field = page.locator(f"form.report [name='{name}']")
        expect(field).to_have_attribute("aria-invalid", "true")
        label = page.locator(f"label[for='{field.get_attribute('id')}']")
        expect(label).to_have_count(1)
        expect(field).to_have_accessible_name(re.compile(r"\w"))
        expect(field).to_have_accessible_description(page.locator(f"[id='err-{name}']").inner_text())
        results = axe.run(page).response
    finally:
        context.close()
    blocking = [v for v in results["violations"] if v["impact"] in BLOCKING]
    assert not blocking, f"report form with errors:\n{describe(blocking)}"
