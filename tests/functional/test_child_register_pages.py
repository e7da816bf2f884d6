"""The child register's pages (issue 11, sections 1 and 4): a commune's head and its designated
child-protection officer enter, find and correct children; a likely duplicate in the district is
shown before saving; groups and supports are recorded; bad input is refused beside its field and
nothing is saved; every reading is audited by reference, never by name; the pages are never
cached; and to everyone else the register does not exist (404)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from intranet.audit.models import AuditEntry
from intranet.cases.models import Child, ChildGroup, ChildSupport
from intranet.i18n import local_today

NAME = "Nguyễn Thị Hoà"
#: Eight years old on whatever day the suite runs (a child is under 16).
BORN = f"15/03/{local_today().year - 8}"
OTHER_DAY = f"16/03/{local_today().year - 8}"
LIST = "/spaces/tan-canh/children"
NEW = LIST + "/new"


def _form(page, action_part):
    return next(f for f in page.forms.values() if action_part in (f.action or ""))


def enter(browser, name=NAME, born=BORN, status=302, **extra):
    form = _form(browser.get(NEW), "/children/new")
    form["full_name"] = name
    form["date_of_birth"] = born
    form["sex"] = "female"
    form["ethnicity"] = "14"
    form["village"] = "Thôn Đăk Rơ Wang"
    form["carers"] = "Bà ngoại Y Hlin"
    for key, value in extra.items():
        form[key] = value
    return form.submit(status=status)


def count(dbsession, model) -> int:
    return dbsession.scalar(select(func.count()).select_from(model))


def reference_of(res) -> str:
    return re.search(r"/children/([A-Z0-9-]+)$", res.location).group(1)


def test_the_head_enters_a_child_and_reads_the_entry(as_user, dbsession):
    head = as_user("chutich.tancanh")
    res = enter(head)
    reference = reference_of(res)
    page = res.follow()
    assert NAME in page.text and BORN in page.text and "Xơ-đăng" in page.text
    # The title, the address and the audit trail name the child by reference only.
    title = page.html.title.text
    assert reference in title and "Hoà" not in title and "Hoa" not in title
    assert page.headers["Cache-Control"] == "no-store"
    assert res.headers["Cache-Control"] == "no-store"
    lines = dbsession.execute(
        select(AuditEntry.action, AuditEntry.object_id, AuditEntry.detail).where(AuditEntry.object_type == "child")
    ).all()
    assert ("child.create", reference) in [(a, o) for a, o, _d in lines]
    assert ("child.view", reference) in [(a, o) for a, o, _d in lines]
    assert "Ho" not in str([d for _a, _o, d in lines])
    listing = head.get(LIST)
    assert reference in listing.text and NAME in listing.text
    assert listing.headers["Cache-Control"] == "no-store"


def test_a_likely_duplicate_is_shown_before_saving(as_user, dbsession):
    head = as_user("chutich.tancanh")
    first = reference_of(enter(head))
    before = count(dbsession, Child)
    # The same child typed without diacritics: shown, not saved.
    warned = enter(head, name="nguyen thi hoa", status=200)
    assert first in warned.html.select_one("#duplicates").text
    assert count(dbsession, Child) == before
    # The officer says it is another child: saved.
    form = _form(warned, "/children/new")
    form["not_a_duplicate"] = "1"
    form.submit(status=302)
    assert count(dbsession, Child) == before + 1


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("full_name", "   ", "họ và tên"),
        ("date_of_birth", "31/02/2010", ""),
        ("date_of_birth", "01/01/2099", ""),
        ("date_of_birth", "01/01/1990", "dưới 16 tuổi"),
        ("full_name", "Nguyễn\x00Thị", None),
        ("full_name", "A" * 201, "200"),
        ("ethnicity", "99", ""),
        ("sex", "other", ""),
    ],
)
def test_bad_input_is_refused_beside_its_field_and_nothing_is_saved(as_user, dbsession, field, value, message):
    head = as_user("chutich.tancanh")
    before = count(dbsession, Child)
    form = _form(head.get(NEW), "/children/new")
    form["full_name"], form["date_of_birth"], form["sex"] = NAME, BORN, "female"
    if field in ("ethnicity", "sex"):
        form[field].force_value(value)
    else:
        form[field] = value
    page = form.submit(status=400)
    if message is not None:  # (a NUL byte is refused with the whole request, before any form)
        error = page.html.select_one(f"#err-{field}")
        assert error is not None and message in error.text
    assert count(dbsession, Child) == before
    # What was typed is shown again (not the refused field's NUL).
    if field != "full_name" and message is not None:
        assert page.html.select_one("#full_name")["value"] == NAME


def test_groups_and_supports_are_recorded_and_listed(as_user, dbsession):
    head = as_user("chutich.tancanh")
    reference = reference_of(enter(head))
    groups, supports = count(dbsession, ChildGroup), count(dbsession, ChildSupport)
    page = head.get(f"{LIST}/{reference}")
    today = local_today().strftime("%d/%m/%Y")
    SINCE = f"01/01/{local_today().year - 1}"
    form = _form(page, "/groups")
    form["group_code"] = "violence"
    form["from_date"] = SINCE
    form.submit(status=302)
    form = _form(head.get(f"{LIST}/{reference}"), "/supports")
    form["description"] = "Tư vấn tâm lý tại trạm y tế"
    form["given_on"] = today
    form["provider"] = "yte"
    form.submit(status=302)
    page = head.get(f"{LIST}/{reference}")
    assert "Tư vấn tâm lý tại trạm y tế" in page.text and SINCE in page.text
    assert count(dbsession, ChildGroup) == groups + 1
    assert count(dbsession, ChildSupport) == supports + 1
    # A group overlapping the one recorded, and a support with no text, are refused.
    form = _form(page, "/groups")
    form["group_code"] = "violence"
    form["from_date"] = f"01/03/{local_today().year - 1}"
    refused = form.submit(status=400)
    assert refused.html.select_one("#err-from_date") is not None
    form = _form(page, "/supports")
    form["description"] = "  "
    form["given_on"] = today
    assert form.submit(status=400).html.select_one("#err-description") is not None
    assert count(dbsession, ChildGroup) == groups + 1


def test_the_search_finds_a_child_however_the_name_is_typed(as_user):
    head = as_user("chutich.tancanh")
    reference = reference_of(enter(head))
    found = head.get(LIST, params={"name": "NGUYEN THI HOA", "born": BORN})
    assert reference in found.text
    missing = head.get(LIST, params={"name": "Nguyễn Thị Hoa", "born": OTHER_DAY})
    assert reference not in missing.text
    assert head.get(LIST, params={"name": "x", "born": "99/99/2000"}, status=400)


def test_a_stale_correction_overwrites_nothing(as_user, dbsession):
    head = as_user("chutich.tancanh")
    reference = reference_of(enter(head))
    first = _form(head.get(f"{LIST}/{reference}/edit"), "/edit")
    second = _form(head.get(f"{LIST}/{reference}/edit"), "/edit")
    first["village"] = "Thôn 1"
    first.submit(status=302)
    second["village"] = "Thôn 2"
    conflict = second.submit(status=409)
    assert "Thôn 1" in conflict.text and "Thôn 2" in conflict.text
    assert "Thôn 1" in head.get(f"{LIST}/{reference}").text


def test_to_everyone_else_the_register_does_not_exist(as_user):
    reference = reference_of(enter(as_user("chutich.tancanh")))
    coordinator = as_user("dieuphoi")
    assert NAME in coordinator.get(f"{LIST}/{reference}").text
    coordinator.get(NEW, status=403)  # she reads every register and writes none
    for login in ("admin", "sotinh", "congan", "giaoduc", "yte"):
        browser = as_user(login)
        for url in (LIST, NEW, f"{LIST}/{reference}", f"{LIST}/{reference}/edit", f"{LIST}/NOPE-NOPE"):
            page = browser.get(url, status=404)
            assert NAME not in page.text
    # Not in another commune's address either, and an agency has no register at all.
    as_user("chutich.tancanh").get(f"/spaces/kon-dao/children/{reference}", status=404)
    coordinator.get(f"/spaces/kon-dao/children/{reference}", status=404)
    coordinator.get("/spaces/congan/children", status=404)
    anonymous = as_user("admin")
    anonymous.post("/logout", {"csrf_token": anonymous.get("/").html.select_one("input[name=csrf_token]")["value"]})
    assert "/login" in anonymous.get(f"{LIST}/{reference}", status=302).location


def test_the_commune_page_links_to_the_register_only_for_those_who_may_open_it(as_user):
    link = 'a[href="/spaces/tan-canh/children"]'
    for login in ("tancanh", "chutich.tancanh", "dieuphoi"):
        assert as_user(login).get("/spaces/tan-canh").html.select_one(link) is not None, login
    for login in ("admin", "sotinh"):
        assert as_user(login).get("/spaces/tan-canh").html.select_one(link) is None, login


def test_an_officer_of_the_commune_who_is_not_designated_gets_404(as_user, dbsession):
    from intranet.spaces.models import Membership
    from tests.fixtures.factories import get_space, get_user

    reference = reference_of(enter(as_user("chutich.tancanh")))
    membership = dbsession.scalars(
        select(Membership).where(
            Membership.user_id == get_user(dbsession, "tancanh").id,
            Membership.space_id == get_space(dbsession, "tan-canh").id,
        )
    ).one()
    membership.protects_children = False
    dbsession.flush()
    officer = as_user("tancanh")
    officer.get(LIST, status=404)
    officer.get(f"{LIST}/{reference}", status=404)
    assert officer.get("/spaces/tan-canh").html.select_one('a[href="/spaces/tan-canh/children"]') is None
    membership.protects_children = True
    dbsession.flush()
    assert NAME in as_user("tancanh").get(f"{LIST}/{reference}").text


def test_the_demo_register_holds_fictional_children_only(as_user):
    page = as_user("tancanh").get(LIST)
    names = [row.select("td")[0].text for row in page.html.select("table.grid tbody tr")]
    assert len(names) == 4
    # Every demo name says it is made up: sample, test, illustration, example.
    assert all(any(word in name for word in ("Mẫu", "Thử Nghiệm", "Minh Họa", "Ví Dụ")) for name in names)


def test_the_register_reads_the_same_statements_and_weight_at_any_size(app, as_user, dbsession):
    from intranet.cases.keys import get_keyring
    from intranet.cases.services import ChildFields, register_child
    from tests.fixtures.database import count_statements
    from tests.fixtures.factories import get_space

    head = as_user("chutich.tancanh")
    space_id = get_space(dbsession, "tan-canh").id
    keyring = get_keyring(app.registry)
    engine = app.registry["dbengine"]

    def measure():
        dbsession.expire_all()
        with count_statements(engine) as statements:
            page = head.get(LIST)
        return len(statements), len(page.body)

    small, small_size = measure()
    born = local_today().replace(year=local_today().year - 9)
    for i in range(120):
        register_child(
            dbsession, keyring, space_id, ChildFields(full_name=f"Trẻ Thử {i}", date_of_birth=born, sex="male"), None
        )
    dbsession.flush()
    large, large_size = measure()
    assert large == small
    # One page of 50 entries, however long the register; its pager leads on.
    page = head.get(LIST)
    assert len(page.html.select("table.grid tbody tr")) == 50 and page.html.select_one('a[rel="next"]')
    assert large_size <= 60 * 1024
