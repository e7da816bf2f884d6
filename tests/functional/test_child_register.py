"""The child register's data (issue 11, sections 1 and 4): what is typed for a child comes back as it
was, while the database row, the database file and a backup hold no name, no birth date and no
village; a value moved to another row does not decrypt; the duplicate search finds one child
however the name is typed, across the district; the keys rotate and the old one can then go."""

from __future__ import annotations

import dataclasses
import datetime as dt
import gzip
import json
import logging
import subprocess
import unicodedata
from pathlib import Path

import pytest
import transaction
from sqlalchemy import func, inspect, select, text
from sqlalchemy.exc import IntegrityError

from intranet.cases.crypto import TamperedTokenError, UnknownKeyError, generate_key_line, keyring_from_text
from intranet.cases.keys import get_keyring
from intranet.cases.models import Child, ChildGroup, ChildSupport
from intranet.cases.services import (
    ChildFields,
    ChildRegisterError,
    add_group,
    add_support,
    likely_duplicates,
    read_child,
    read_support,
    register_child,
    rotate_all,
    update_child,
)
from intranet.clock import demo_day
from intranet.models import get_tm_session
from tests.fixtures.database import TEST_CASE_KEYS_FILE, TEST_SECRET, build_app, throwaway_database
from tests.fixtures.factories import get_space, get_user

TODAY = dt.date(2017, 6, 20)
NAME = "Nguyễn Thị Hoà"
BORN = dt.date(2010, 3, 15)
VILLAGE = "Thôn Kon Tu Dốp 2"
CARERS = "Bà ngoại Y Hlin, 68 tuổi"
CONTACT = "0912 345 678"
NOTES = "Mẹ đi làm ăn xa ở Bình Dương"
#: Every form the raw data must not hold the child in: as typed, decomposed, folded, the birth date
#: as stored and as printed, and each other identifying value.
SECRETS = [
    NAME,
    unicodedata.normalize("NFD", NAME),
    NAME.upper(),
    "nguyen thi hoa",
    "NGUYEN THI HOA",
    "nguyenthihoa",
    "2010-03-15",
    "15/03/2010",
    VILLAGE,
    "Kon Tu Dốp",
    "kon tu dop",
    CARERS,
    "Y Hlin",
    CONTACT,
    "0912345678",
    NOTES,
    "Bình Dương",
]


def fields(**changes) -> ChildFields:
    base = ChildFields(
        full_name=NAME,
        date_of_birth=BORN,
        sex="female",
        ethnicity="15",
        village=VILLAGE,
        carers=CARERS,
        contact=CONTACT,
        notes=NOTES,
    )
    return dataclasses.replace(base, **changes)


@pytest.fixture(autouse=True)
def on_the_day():
    """The register's checks (no birth date or support later than today) run on the intranet's clock."""
    with demo_day(TODAY):
        yield


@pytest.fixture
def keyring(app):
    return get_keyring(app.registry)


@pytest.fixture
def commune(dbsession):
    return get_space(dbsession, "tan-canh")


@pytest.fixture
def officer(dbsession):
    return get_user(dbsession, "tancanh")


@pytest.fixture
def child(dbsession, keyring, commune, officer):
    return register_child(dbsession, keyring, commune.id, fields(), officer.id)


def raw_row(dbsession, table: str, row_id: int) -> dict:
    """The row as the database holds it, read with plain SQL (no model, no decryption)."""
    return dict(dbsession.execute(text(f"SELECT * FROM {table} WHERE id = :id"), {"id": row_id}).mappings().one())


def shown(haystack: str) -> list[str]:
    """The identifying values found in ``haystack``, compared without case."""
    folded = haystack.casefold()
    return [secret for secret in SECRETS if secret.casefold() in folded]


# --- encryption at rest ------------------------------------------------------------------------


def test_what_is_typed_comes_back_as_it_was(keyring, child, commune, officer):
    record = read_child(keyring, child)
    assert (record.full_name, record.date_of_birth, record.village) == (NAME, BORN, VILLAGE)
    assert (record.carers, record.contact, record.notes) == (CARERS, CONTACT, NOTES)
    assert (record.sex, record.ethnicity, record.space_id) == ("female", "15", commune.id)
    assert record.created_by == record.updated_by == officer.id
    assert record.fields() == fields()


def test_the_database_row_holds_no_name_birth_date_or_village(dbsession, child):
    row = raw_row(dbsession, "children", child.id)
    assert shown(" | ".join(str(value) for value in row.values())) == []
    assert row["full_name"].startswith("v1.") and row["date_of_birth"].startswith("v1.")
    assert len(row["match_index"]) == 64
    # the reference, which URLs will show, says nothing of the child either
    assert shown(row["reference"]) == [] and len(row["reference"]) == 11


def test_a_token_copied_to_another_row_or_column_does_not_decrypt(dbsession, keyring, child, commune, officer):
    other = register_child(dbsession, keyring, commune.id, fields(full_name="Đinh Văn A", village="Thôn 1"), officer.id)
    stolen = raw_row(dbsession, "children", child.id)
    # another child's row: the name of the first child, copied over the second one's
    dbsession.execute(
        text("UPDATE children SET full_name = :t WHERE id = :id"), {"t": stolen["full_name"], "id": other.id}
    )
    dbsession.expire_all()
    with pytest.raises(TamperedTokenError) as caught:
        read_child(keyring, dbsession.get(Child, other.id))
    assert shown(str(caught.value)) == [] and "Đinh" not in str(caught.value)
    # the same row, another column: the name where the village belongs
    dbsession.execute(
        text("UPDATE children SET village = :t WHERE id = :id"), {"t": stolen["full_name"], "id": child.id}
    )
    dbsession.expire_all()
    with pytest.raises(TamperedTokenError):
        read_child(keyring, dbsession.get(Child, child.id))


def test_a_support_is_stored_encrypted_and_read_back(dbsession, keyring, child, officer):
    police = get_space(dbsession, "congan")
    what = "Hỗ trợ tâm lý cho cháu Hoà tại Điểm tham vấn, 3 buổi"
    support = add_support(dbsession, keyring, child, what, dt.date(2017, 6, 12), police.id, officer.id)
    row = raw_row(dbsession, "child_supports", support.id)
    assert what not in str(row.values()) and "tâm lý" not in " ".join(map(str, row.values()))
    record = read_support(keyring, support)
    assert (record.description, record.given_on, record.provider_space_id) == (what, dt.date(2017, 6, 12), police.id)
    assert "Hoà" not in repr(record)
    outsider = add_support(dbsession, keyring, child, "Học bổng của Hội Khuyến học", TODAY, None, officer.id)
    assert read_support(keyring, outsider).provider_space_id is None


@pytest.fixture(scope="module")
def committed(tmp_path_factory):
    """A database of its own with a child committed, and its backup taken by the command."""
    from intranet.cli import main as cli

    with throwaway_database(tmp_path_factory, "intranet_register") as url:
        app = build_app(url)
        try:
            with demo_day(TODAY), transaction.manager:
                db = get_tm_session(app.registry["dbsession_factory"], transaction.manager)
                kept = register_child(
                    db, get_keyring(app.registry), get_space(db, "tan-canh").id, fields(), get_user(db, "tancanh").id
                )
                db.flush()
                reference, index = kept.reference, kept.match_index
        finally:
            app.registry["dbengine"].dispose()
        folder = tmp_path_factory.mktemp("register_backup")
        ini = folder / "backup.ini"
        ini.write_text(
            f"[app:main]\nuse = egg:dakto-intranet\nsqlalchemy.url = {url}\nintranet.secret = {TEST_SECRET}\n"
            f"intranet.environment = testing\nintranet.plugins = *\nintranet.case_keys_file = {TEST_CASE_KEYS_FILE}\n",
            encoding="utf-8",
        )
        path = folder / "intranet.jsonl.gz"
        assert cli(["backup", str(ini), str(path)]) == 0
        yield url, path, reference, index


def test_a_backup_holds_no_name(committed):
    _url, path, reference, index = committed
    data = gzip.decompress(path.read_bytes())
    text_of_backup = data.decode("utf-8")
    # the child is in the backup: its row, with its reference and its blind index
    assert reference in text_of_backup and index in text_of_backup
    assert shown(text_of_backup) == []
    for secret in SECRETS:
        for form in (secret.encode("utf-8"), json.dumps(secret).encode("ascii")[1:-1]):
            assert form not in data and form not in path.read_bytes()
    # every value of every line, as the restore will read it
    values = []
    for line in text_of_backup.splitlines():
        item = json.loads(line)
        values.extend(item if isinstance(item, list) else item.values())
    assert shown(" | ".join(map(str, values))) == []


def _stored_bytes(url: str) -> list[tuple[str, bytes]]:
    """What someone holding the database alone reads: SQLite's files (the database and its
    journals), or a plain pg_dump of the whole PostgreSQL database."""
    if url.startswith("sqlite"):
        database = Path(url.removeprefix("sqlite:///"))
        files = [p for p in database.parent.iterdir() if p.name.startswith(database.name)]
        assert database in files
        return [(file.name, file.read_bytes()) for file in files]
    dump = subprocess.run(
        ["pg_dump", "--no-owner", "--dbname", url.replace("postgresql+psycopg://", "postgresql://", 1)],
        capture_output=True,
        check=True,
    )
    assert b"COPY public.children" in dump.stdout  # the dump has the register's rows
    return [("pg_dump", dump.stdout)]


def test_the_database_file_or_a_dump_holds_no_name(committed):
    url, _path, reference, _index = committed
    stored = _stored_bytes(url)
    assert any(reference.encode("ascii") in raw for _name, raw in stored)  # the child is there
    for name, raw in stored:
        for secret in SECRETS:
            assert secret.encode("utf-8") not in raw, (name, secret)
            assert secret.casefold().encode("utf-8") not in raw.lower(), (name, secret)


# --- the duplicate search ----------------------------------------------------------------------


def test_one_child_is_found_however_the_name_is_typed(dbsession, keyring, child, commune):
    assert likely_duplicates(dbsession, keyring, "nguyen thi hoa", BORN) == [(child.id, commune.id)]
    assert likely_duplicates(dbsession, keyring, "NGUYỄN THỊ HÒA", BORN) == [(child.id, commune.id)]
    assert likely_duplicates(dbsession, keyring, "nguyen thi hoa", dt.date(2010, 3, 16)) == []
    assert likely_duplicates(dbsession, keyring, "nguyen thi hoan", BORN) == []
    assert likely_duplicates(dbsession, keyring, "  ...  ", BORN) == []
    assert likely_duplicates(dbsession, keyring, NAME, BORN, exclude_child_id=child.id) == []


def test_the_search_spans_the_district(dbsession, keyring, officer):
    ngoc_tu = get_space(dbsession, "ngoc-tu")
    born = dt.date(2012, 9, 2)
    first = register_child(
        dbsession, keyring, ngoc_tu.id, fields(full_name="Đinh Văn A", date_of_birth=born), officer.id
    )
    assert likely_duplicates(dbsession, keyring, "Dinh Van A", born) == [(first.id, ngoc_tu.id)]
    # the same child entered again in another commune: both entries are found
    dak_tram = get_space(dbsession, "dak-tram")
    second = register_child(
        dbsession, keyring, dak_tram.id, fields(full_name="ĐINH VĂN A", date_of_birth=born), officer.id
    )
    assert likely_duplicates(dbsession, keyring, "dinh van a", born) == [
        (first.id, ngoc_tu.id),
        (second.id, dak_tram.id),
    ]


# --- changes -----------------------------------------------------------------------------------


def test_an_update_encrypts_again_only_what_changed(dbsession, keyring, child, officer, factory):
    before = raw_row(dbsession, "children", child.id)
    editor = factory.user()
    record = read_child(keyring, child)
    assert update_child(dbsession, keyring, child, dataclasses.replace(record.fields(), village="Thôn 5"), editor.id)
    after = raw_row(dbsession, "children", child.id)
    assert after["village"] != before["village"] and read_child(keyring, child).village == "Thôn 5"
    assert all(after[c] == before[c] for c in ("full_name", "date_of_birth", "carers", "contact", "notes"))
    assert after["match_index"] == before["match_index"]
    assert (after["version"], after["updated_by"], after["created_by"]) == (
        before["version"] + 1,
        editor.id,
        officer.id,
    )
    # nothing changed: nothing written
    assert not update_child(dbsession, keyring, child, read_child(keyring, child).fields(), editor.id)
    assert raw_row(dbsession, "children", child.id)["version"] == after["version"]


def test_a_corrected_name_or_birth_date_moves_the_duplicate_search(dbsession, keyring, child, commune, officer):
    fixed = fields(full_name="Nguyễn Thị Hòa Bình", date_of_birth=dt.date(2010, 3, 5), sex="female", ethnicity=None)
    assert update_child(dbsession, keyring, child, fixed, officer.id, expected_version=child.version)
    assert likely_duplicates(dbsession, keyring, NAME, BORN) == []
    assert likely_duplicates(dbsession, keyring, "nguyen thi hoa binh", dt.date(2010, 3, 5)) == [(child.id, commune.id)]
    assert raw_row(dbsession, "children", child.id)["ethnicity"] is None


def test_a_save_over_a_newer_version_is_refused(dbsession, keyring, child, officer):
    opened_at = child.version
    update_child(dbsession, keyring, child, fields(notes="Đã gặp gia đình"), officer.id, expected_version=opened_at)
    with pytest.raises(ChildRegisterError) as caught:
        update_child(dbsession, keyring, child, fields(notes="Lời kể khác"), officer.id, expected_version=opened_at)
    assert caught.value.code == "stale"
    assert read_child(keyring, child).notes == "Đã gặp gia đình"


def test_a_save_overtaken_by_another_is_refused(dbsession, keyring, child, officer):
    # another request saved the entry after this one read it
    dbsession.execute(text("UPDATE children SET version = version + 1 WHERE id = :id"), {"id": child.id})
    with pytest.raises(ChildRegisterError) as caught:
        update_child(dbsession, keyring, child, fields(notes="Lời kể khác"), officer.id)
    assert caught.value.code == "stale"


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"full_name": "   "}, "full_name", "required"),
        ({"full_name": "- . -"}, "full_name", "required"),
        ({"full_name": "Nguyễn " * 40}, "full_name", "too_long"),
        ({"date_of_birth": dt.date(2017, 6, 21)}, "date_of_birth", "future"),
        ({"date_of_birth": dt.date(2001, 6, 20)}, "date_of_birth", "not_a_child"),
        ({"date_of_birth": "2010-03-15"}, "date_of_birth", "invalid"),
        ({"date_of_birth": dt.datetime(2010, 3, 15, 8, 0)}, "date_of_birth", "invalid"),
        ({"sex": "f"}, "sex", "invalid"),
        ({"ethnicity": "55"}, "ethnicity", "invalid"),
        ({"ethnicity": "1"}, "ethnicity", "invalid"),
        ({"notes": "x" * 4001}, "notes", "too_long"),
    ],
)
def test_the_register_refuses_what_cannot_be_right_without_repeating_it(
    dbsession, keyring, commune, officer, changes, field, code
):
    before = dbsession.scalar(select(func.count()).select_from(Child))
    with pytest.raises(ChildRegisterError) as caught:
        register_child(dbsession, keyring, commune.id, fields(**changes), officer.id)
    assert (caught.value.field, caught.value.code) == (field, code)
    assert str(caught.value) == f"{field}: {code}" and shown(str(caught.value)) == []
    assert dbsession.scalar(select(func.count()).select_from(Child)) == before


def test_an_empty_field_may_be_left_out_but_not_given_as_a_number(dbsession, keyring, commune, officer):
    child = register_child(dbsession, keyring, commune.id, fields(village=None, ethnicity=""), officer.id)
    record = read_child(keyring, child)
    assert (record.village, record.ethnicity) == ("", None)
    with pytest.raises(TypeError, match="carers is a text"):
        register_child(dbsession, keyring, commune.id, fields(carers=12), officer.id)


def test_a_child_born_16_years_ago_tomorrow_is_still_a_child(dbsession, keyring, commune, officer):
    born = dt.date(2001, 6, 21)
    child = register_child(dbsession, keyring, commune.id, fields(date_of_birth=born), officer.id)
    assert read_child(keyring, child).date_of_birth == born


def test_a_child_is_registered_in_a_commune_only(dbsession, keyring, officer):
    with pytest.raises(ValueError, match="register of a commune"):
        register_child(dbsession, keyring, get_space(dbsession, "congan").id, fields(), officer.id)


def test_nothing_identifying_in_a_record_printed_or_logged(dbsession, keyring, commune, officer, caplog):
    caplog.set_level(logging.DEBUG)
    child = register_child(dbsession, keyring, commune.id, fields(), officer.id)
    record = read_child(keyring, child)
    likely_duplicates(dbsession, keyring, NAME, BORN)
    rotate_all(dbsession, keyring)
    assert shown(repr(record)) == [] and shown(repr(fields())) == [] and shown(repr(child)) == []
    assert shown(caplog.text) == []


# --- groups ------------------------------------------------------------------------------------


def test_groups_are_recorded_with_their_dates(dbsession, child, officer):
    orphan = add_group(dbsession, child, "orphan", dt.date(2015, 8, 1), None, officer.id)
    add_group(dbsession, child, "risk_labour", dt.date(2017, 1, 10), dt.date(2017, 5, 31), officer.id)
    add_group(dbsession, child, "risk_labour", dt.date(2017, 6, 1), None, officer.id)  # again, after
    rows = dbsession.execute(
        select(ChildGroup.group_code, ChildGroup.from_date, ChildGroup.until_date)
        .where(ChildGroup.child_id == child.id)
        .order_by(ChildGroup.id)
    ).all()
    assert [tuple(r) for r in rows] == [
        ("orphan", dt.date(2015, 8, 1), None),
        ("risk_labour", dt.date(2017, 1, 10), dt.date(2017, 5, 31)),
        ("risk_labour", dt.date(2017, 6, 1), None),
    ]
    assert orphan.recorded_by == officer.id


@pytest.mark.parametrize(
    ("code", "start", "until", "field", "error"),
    [
        ("orphan", dt.date(2017, 5, 1), dt.date(2017, 4, 30), "until_date", "before_from"),
        ("orphan", dt.date(2017, 6, 21), None, "from_date", "future"),
        ("nothing", dt.date(2017, 5, 1), None, "group_code", "unknown"),
        ("disabled", dt.date(2016, 1, 1), None, "from_date", "overlap"),
        ("disabled", dt.date(2014, 1, 1), dt.date(2015, 1, 1), "from_date", "overlap"),
        ("disabled", "2017-05-01", None, "from_date", "invalid"),
        ("disabled", dt.date(2017, 5, 1), "2017-06-01", "until_date", "invalid"),
    ],
)
def test_group_dates_that_cannot_be_right_are_refused(dbsession, child, officer, code, start, until, field, error):
    add_group(dbsession, child, "disabled", dt.date(2014, 6, 1), None, officer.id)
    with pytest.raises(ChildRegisterError) as caught:
        add_group(dbsession, child, code, start, until, officer.id)
    assert (caught.value.field, caught.value.code) == (field, error)


def test_the_database_itself_refuses_an_until_date_before_the_from_date(dbsession, child):
    with pytest.raises(IntegrityError), dbsession.begin_nested():
        dbsession.add(
            ChildGroup(
                child_id=child.id, group_code="orphan", from_date=dt.date(2017, 5, 2), until_date=dt.date(2017, 5, 1)
            )
        )
        dbsession.flush()


def test_a_support_says_what_and_is_not_dated_later_than_today(dbsession, keyring, child, officer):
    with pytest.raises(ChildRegisterError) as caught:
        add_support(dbsession, keyring, child, "  ", TODAY, None, officer.id)
    assert caught.value.code == "required"
    with pytest.raises(ChildRegisterError) as caught:
        add_support(dbsession, keyring, child, "Gạo", TODAY + dt.timedelta(days=1), None, officer.id)
    assert caught.value.code == "future"
    with pytest.raises(ValueError, match="one of the intranet's units"):
        add_support(dbsession, keyring, child, "Gạo", TODAY, 10**9, officer.id)


# --- key rotation ------------------------------------------------------------------------------


def _stored_tokens(dbsession) -> int:
    """The encrypted values the database holds: the register's and the cases' (a case's step not
    recorded yet holds none)."""
    from intranet.cases.models import Case, CaseReferral, CaseReview, CaseService

    return sum(
        dbsession.scalar(select(func.count()).select_from(model).where(getattr(model, column).is_not(None)))
        for model in (Child, ChildSupport, Case, CaseService, CaseReview, CaseReferral)
        for column in model.ENCRYPTED
    )


def test_rotation_encrypts_every_token_again_and_the_old_key_can_go(dbsession, keyring, child, officer):
    from intranet.cases.models import Case
    from intranet.cases.procedure import open_case, read_case, record_initial_assessment

    add_support(dbsession, keyring, child, "Khám sức khỏe miễn phí", TODAY, None, officer.id)
    # a case of the child: its receipt and its initial assessment (3 tokens); the later steps,
    # not recorded yet, hold nothing to rotate
    case = open_case(
        dbsession,
        keyring,
        child.space_id,
        received_at=dt.datetime(2017, 6, 19, 1, 0),
        reporter_kind="school",
        reporter="Cô giáo chủ nhiệm",
        account=NOTES,
        child_id=child.id,
        case_worker_id=officer.id,
        user_id=officer.id,
    )
    record_initial_assessment(
        dbsession,
        keyring,
        case,
        initial_at=dt.datetime(2017, 6, 19, 3, 0),
        harm="medium",
        access="low",
        environment="medium",
        in_danger=False,
        emergency_measures="",
        user_id=officer.id,
    )
    case_before = raw_row(dbsession, "cases", case.id)
    stored = _stored_tokens(dbsession)
    assert stored >= len(Child.ENCRYPTED) + len(ChildSupport.ENCRYPTED) + 3  # the demo's entries, and these
    material = Path(TEST_CASE_KEYS_FILE).read_text(encoding="utf-8")
    old_key = next(line for line in material.splitlines() if line.startswith(f"{keyring.current}:"))
    index = next(line for line in material.splitlines() if line.startswith("index="))
    new_key = generate_key_line("rot2")
    rotated = keyring_from_text(f"current=rot2\n{index}\n{old_key}\n{new_key}\n")
    before = raw_row(dbsession, "children", child.id)

    assert rotate_all(dbsession, rotated, batch=1) == stored  # every token: all were under the old key
    assert rotate_all(dbsession, rotated) == 0  # nothing left under the old key

    after = raw_row(dbsession, "children", child.id)
    assert all(after[c].startswith("v1.rot2.") for c in Child.ENCRYPTED)
    # rotation is not an edit: version, last change and author stay
    assert [after[c] for c in ("version", "updated_at", "updated_by")] == [
        before[c] for c in ("version", "updated_at", "updated_by")
    ]
    new_only = keyring_from_text(f"{index}\n{new_key}\n")
    stored = dbsession.get(Child, child.id)
    assert read_child(new_only, stored).fields() == fields()
    (support,) = dbsession.scalars(select(ChildSupport).where(ChildSupport.child_id == child.id)).all()
    assert read_support(new_only, support).description == "Khám sức khỏe miễn phí"
    assert likely_duplicates(dbsession, new_only, "nguyen thi hoa", BORN) == [(child.id, child.space_id)]
    with pytest.raises(UnknownKeyError):  # the old keyring alone no longer reads the register
        read_child(keyring_from_text(f"{index}\n{old_key}\n"), stored)
    # the case too: re-encrypted, not edited, and read by the new key alone
    case_after = raw_row(dbsession, "cases", case.id)
    assert all(case_after[c].startswith("v1.rot2.") for c in ("reporter", "account", "emergency_measures"))
    assert [case_after[c] for c in ("findings", "plan_text")] == [None, None]
    assert [case_after[c] for c in ("version", "updated_at", "updated_by")] == [
        case_before[c] for c in ("version", "updated_at", "updated_by")
    ]
    record = read_case(new_only, dbsession.get(Case, case.id))
    assert (record.reporter, record.account, record.emergency_measures) == ("Cô giáo chủ nhiệm", NOTES, "")
    with pytest.raises(UnknownKeyError):
        read_case(keyring_from_text(f"{index}\n{old_key}\n"), dbsession.get(Case, case.id))


# --- the migration -----------------------------------------------------------------------------


def test_the_migration_goes_down_and_up_again(tmp_path_factory):
    from alembic import command

    from intranet.cli import alembic_config, db_upgrade
    from intranet.config import resolve_settings
    from tests.fixtures.database import base_settings

    with throwaway_database(tmp_path_factory, "intranet_register_mig") as url:
        settings = resolve_settings(base_settings(url))
        db_upgrade(settings)
        cfg = alembic_config(settings)
        command.downgrade(cfg, "0007_plan_spelling")
        from sqlalchemy import create_engine

        engine = create_engine(settings["sqlalchemy.url"])
        try:
            with engine.connect() as conn:
                assert not {"children", "child_groups", "child_supports"} & set(inspect(conn).get_table_names())
            command.upgrade(cfg, "heads")
            with engine.connect() as conn:
                assert {"children", "child_groups", "child_supports"} <= set(inspect(conn).get_table_names())
        finally:
            engine.dispose()


def test_the_plain_columns_identify_nobody():
    """Only these columns of a register entry are stored as typed: no name, no birth date, no
    birth year or age, no village; a new plain column has to be added here on purpose."""
    plain = {c.name for c in Child.__table__.columns} - set(Child.ENCRYPTED)
    assert plain == {
        "id",
        "reference",
        "space_id",
        "sex",
        "ethnicity",
        "match_index",
        "created_by",
        "updated_by",
        "version",
        "created_at",
        "updated_at",
    }
    assert {c.name for c in ChildSupport.__table__.columns} - set(ChildSupport.ENCRYPTED) == {
        "id",
        "reference",
        "child_id",
        "given_on",
        "provider_space_id",
        "recorded_by",
        "created_at",
    }
    assert repr(Child(reference="ABCDE-FGHJK")) == "<Child ABCDE-FGHJK>"


def test_the_rotation_command_reencrypts_the_register_and_says_where_it_is(tmp_path_factory, capsys):
    """`intranet rotate-case-keys INI`: every token under the old key is written again under the
    current one, with progress lines; afterwards a keyring without the old key reads everything."""
    from intranet.cli import main as cli

    with throwaway_database(tmp_path_factory, "intranet_rotate") as url:
        app = build_app(url)  # the test key file is written when the first application is built
        material = Path(TEST_CASE_KEYS_FILE).read_text(encoding="utf-8")
        try:
            with demo_day(TODAY), transaction.manager:
                db = get_tm_session(app.registry["dbsession_factory"], transaction.manager)
                old = get_keyring(app.registry)
                kept = register_child(db, old, get_space(db, "tan-canh").id, fields(), get_user(db, "tancanh").id)
                db.flush()
                child_id = kept.id
                rows, stored = db.scalar(select(func.count()).select_from(Child)), _stored_tokens(db)
        finally:
            app.registry["dbengine"].dispose()
        lines = material.splitlines()
        index = next(line for line in lines if line.startswith("index="))
        old_key = next(line for line in lines if line.startswith(f"{old.current}:"))
        new_key = generate_key_line("rot9")
        folder = tmp_path_factory.mktemp("rotate")
        keys_file = folder / "case-keys"
        keys_file.write_text(f"current=rot9\n{index}\n{old_key}\n{new_key}\n", encoding="utf-8")
        keys_file.chmod(0o600)
        ini = folder / "rotate.ini"
        ini.write_text(
            f"[app:main]\nuse = egg:dakto-intranet\nsqlalchemy.url = {url}\nintranet.secret = {TEST_SECRET}\n"
            f"intranet.environment = testing\nintranet.plugins = *\nintranet.case_keys_file = {keys_file}\n",
            encoding="utf-8",
        )
        assert cli(["rotate-case-keys", str(ini)]) == 0
        out = capsys.readouterr().out
        assert "Re-encrypting the child register under the current key (rot9)" in out
        assert f"children: {rows} rows read" in out
        assert f"Done: {stored} values re-encrypted." in out
        assert NAME not in out
        # the old key can go: a keyring of the new key alone reads the child
        app = build_app(url, **{"intranet.case_keys_file": str(keys_file)})
        try:
            with transaction.manager:
                db = get_tm_session(app.registry["dbsession_factory"], transaction.manager)
                new_only = keyring_from_text(f"{index}\n{new_key}\n")
                assert read_child(new_only, db.get(Child, child_id)).fields() == fields()
        finally:
            app.registry["dbengine"].dispose()
        assert cli(["rotate-case-keys", str(ini)]) == 0
        assert "Done: 0 values re-encrypted." in capsys.readouterr().out
