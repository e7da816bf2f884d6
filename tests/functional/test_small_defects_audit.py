"""The audit trail speaks the reader's language: actions and objects in words, people by name,
and every action code the application records has a label."""

from __future__ import annotations

import re
from pathlib import Path

from intranet.audit.labels import ACTION_LABELS, action_label
from intranet.audit.models import AuditEntry
from tests.fixtures.factories import get_user

ROOT = Path(__file__).resolve().parents[2]


def log_a_duty(as_user):
    form = as_user("tancanh").get("/spaces/tan-canh/logs/new?duty=xa.bao-cao-dinh-ky").forms[1]
    form["log_date"], form["description"], form["progress"] = "05/06/2017", "Báo cáo", "done"
    form.submit(status=302)


def action_cells(html: str) -> list[str]:
    return [re.sub(r"\s+", " ", c).strip() for c in re.findall(r'<td title="[^"]*">([^<]*)</td>', html)]


def test_audit_trail_shows_actions_and_objects_in_words(as_user, dbsession):
    log_a_duty(as_user)
    tancanh = get_user(dbsession, "tancanh")
    page = as_user("dieuphoi").get("/admin/audit?user=tancanh&_LOCALE_=en").text
    assert {"Log in", "Duty log recorded"} <= set(action_cells(page))
    assert "<code>" not in page and "duty_log.create</td>" not in page
    # The person acted on by name and login, not "user #2"; other objects by what they are.
    assert f"User: {tancanh.full_name} (tancanh)" in page
    assert f"user #{tancanh.id}" not in page
    assert re.search(r"<td>Duty log #\d+</td>", page)
    # Who did it: the name, not only the login.
    assert f"{tancanh.full_name} <small>(tancanh)</small>" in page


def test_audit_trail_in_vietnamese(as_user, dbsession):
    """Vietnamese labels of new messages: passes once the catalogue has them."""
    log_a_duty(as_user)
    tancanh = get_user(dbsession, "tancanh")
    page = as_user("dieuphoi").get("/admin/audit?user=tancanh").text
    assert {"Đăng nhập", "Ghi nhật ký thực hiện nhiệm vụ"} <= set(action_cells(page))
    assert f"Người dùng: {tancanh.full_name} (tancanh)" in page
    assert re.search(r"<td>Nhật ký thực hiện nhiệm vụ #\d+</td>", page)


def test_an_unknown_action_is_shown_as_its_code(as_user, dbsession):
    dbsession.add(
        AuditEntry(
            action="plugin.something_new",
            object_type="plugin_thing",
            object_id="7",
            user_id=get_user(dbsession, "admin").id,
            detail={},
        )
    )
    dbsession.flush()
    page = as_user("dieuphoi").get("/admin/audit?user=admin").text
    assert "plugin.something_new" in action_cells(page)
    assert "<td>plugin_thing #7</td>" in page


def recorded_codes() -> tuple[set[str], set[str]]:
    """The action codes written in the source: literal ones, and the prefixes of f-strings."""
    literal, prefixes = set(), set()
    sources = [*(ROOT / "intranet").rglob("*.py"), *(ROOT / "plugins").rglob("*.py")]
    for path in sources:
        text = path.read_text(encoding="utf-8")
        for call in re.findall(r"(?<!def )\brecord\(\s*\w+,\s*([^()]*?),\s*\"[a-z_]+\"", text, flags=re.S):
            for is_f, code in re.findall(r'(f?)"([^"]*)"', call):
                if is_f:
                    prefixes.add(code.split("{", 1)[0])
                else:
                    literal.add(code)
    return literal, prefixes


def test_every_recorded_action_has_a_label(app):
    from intranet.host import get_registry

    literal, prefixes = recorded_codes()
    assert {"login", "duty_log.create", "export.commune_plan", "ldtbxh.unit.create"} <= literal  # the scan finds them
    # The core's labels, and those the plugins declare (config.add_audit_labels).
    plugin_labels = get_registry(app.registry).audit_actions
    assert sorted(c for c in literal if c not in ACTION_LABELS and c not in plugin_labels) == []
    assert not [c for c in ACTION_LABELS if c.startswith("ldtbxh.")]  # the core names no plugin
    assert {"user."} <= prefixes
    from intranet.assessments.workflow import WORKFLOW as ASSESSMENTS
    from intranet.plans.workflow import WORKFLOW as PLANS
    from intranet.reports.workflow import WORKFLOW as REPORTS

    for prefix, workflow in (("report", REPORTS), ("commune_plan", PLANS), ("assessment", ASSESSMENTS)):
        for t in workflow.transitions:
            assert f"{prefix}.{t.action}" in ACTION_LABELS, (prefix, t.action)
    for prefix in prefixes:
        assert any(code.startswith(prefix) for code in ACTION_LABELS), prefix
    # The workflows' transitions, recorded as "<document>.<action>" by intranet.workflow.documents.
    for code in (
        "report.return",
        "report.accept",
        "report.reopen",
        "commune_plan.return",
        "commune_plan.approve",
        "assessment.verify",
        "assessment.recognise",
        "assessment.not_recognise",
        "assessment.reopen",
        "user.disable",
        "user.enable",
    ):
        assert action_label(code) is not code, code


def test_a_plugins_actions_are_named_by_the_plugin(as_user, dbsession):
    dbsession.add(
        AuditEntry(
            action="ldtbxh.unit.create",
            object_type="ldtbxh_unit",
            object_id="3",
            user_id=get_user(dbsession, "dieuphoi").id,
            detail={},
        )
    )
    dbsession.flush()
    browser = as_user("dieuphoi")
    page = browser.get("/admin/audit?user=dieuphoi").text
    assert "Thêm mô hình, câu lạc bộ, điểm tham vấn vào danh mục" in action_cells(page)
    assert "Mô hình, câu lạc bộ, điểm tham vấn #3" in page
    browser.get("/locale/en?next=/")
    assert "Registry unit added" in action_cells(browser.get("/admin/audit?user=dieuphoi").text)
