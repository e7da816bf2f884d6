"""`intranet backup` and `intranet restore`: a round trip through the file gives back every row
of every table, evidence files included, on SQLite, on PostgreSQL and from one to the other; a
restore refuses a database that is not empty, not migrated or damaged, and leaves nothing behind;
after a restore on PostgreSQL new rows get fresh ids."""

from __future__ import annotations

import gzip
import hashlib
import os

import pytest
import transaction
from sqlalchemy import create_engine, func, select, text

from intranet.cli import main as cli
from intranet.models import get_tm_session
from intranet.models.meta import metadata
from tests.fixtures.database import TEST_SECRET, build_app, throwaway_database
from tests.fixtures.factories import get_space, get_user

SCAN = bytes(range(256)) * 4096 + b"%PDF-1.4 bi\xean b\xe1n"  # 1 MB, every byte value


def write_ini(path, url: str) -> str:
    path.write_text(
        f"""[app:main]
use = egg:dakto-intranet
sqlalchemy.url = {url}
intranet.secret = {TEST_SECRET}
intranet.environment = testing
intranet.plugins = *
pyramid.default_locale_name = vi
""",
        encoding="utf-8",
    )
    return str(path)


def migrated(url: str):
    """An empty database at the current revisions, and its app (whose metadata has every table)."""
    from intranet.cli import db_upgrade
    from intranet.config import resolve_settings

    db_upgrade(
        resolve_settings(
            {
                "sqlalchemy.url": url,
                "intranet.secret": TEST_SECRET,
                "intranet.environment": "testing",
                "intranet.plugins": "*",
            }
        )
    )


def add_evidence(app) -> str:
    """A duty log with an evidence file (the blobs table), as the duty log page stores it."""
    import datetime as dt

    from intranet.documents.services import store
    from intranet.duties.models import DutyLog, Evidence
    from intranet.plans.services import current_plan

    with transaction.manager:
        db = get_tm_session(app.registry["dbsession_factory"], transaction.manager)
        author = get_user(db, "tancanh")
        blob = store(db, SCAN, "pdf")
        db.flush()
        db.add(
            DutyLog(
                space_id=get_space(db, "tan-canh").id,
                plan_id=current_plan(db).id,
                author_id=author.id,
                duty_key="xa.truyen-thong-cau-lac-bo",
                log_date=dt.date(2017, 5, 20),
                description="Biên bản họp thôn",
                progress="done",
                values=[],
                evidence=[Evidence(blob_sha256=blob.sha256, filename="biên bản.pdf", uploaded_by=author.id)],
            )
        )
        return blob.sha256


def every_row(url: str) -> dict[str, list[tuple]]:
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as conn:
            return {
                t.name: [tuple(r) for r in conn.execute(select(t).order_by(*t.primary_key.columns))]
                for t in metadata.sorted_tables
            }
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    """A seeded database with an evidence file, and its backup taken by the command."""
    with throwaway_database(tmp_path_factory, "intranet_backup_src") as url:
        app = build_app(url)
        sha = add_evidence(app)
        app.registry["dbengine"].dispose()
        folder = tmp_path_factory.mktemp("backup")
        path = str(folder / "intranet.jsonl.gz")
        assert cli(["backup", write_ini(folder / "source.ini", url), path]) == 0
        yield url, path, sha


@pytest.fixture
def target(tmp_path_factory, tmp_path):
    """An empty, migrated database and an ini file naming it."""
    with throwaway_database(tmp_path_factory, "intranet_backup_dst") as url:
        migrated(url)
        yield url, write_ini(tmp_path / "target.ini", url)


def test_round_trip_gives_back_every_row(source, target, capsys):
    url, path, sha = source
    assert os.stat(path).st_mode & 0o077 == 0  # password hashes: readable by its owner only
    assert cli(["restore", target[1], path]) == 0
    assert "blobs: 1 rows" in capsys.readouterr().err
    before, after = every_row(url), every_row(target[0])
    assert set(before) == set(after)
    for name in before:
        assert after[name] == before[name], name
    assert len(before["users"]) > 5 and len(before["commune_plans"]) > 0 and len(before["submission_values"]) > 0
    columns = [c.name for c in metadata.tables["blobs"].columns]
    (blob,) = [dict(zip(columns, r, strict=True)) for r in after["blobs"] if r[columns.index("sha256")] == sha]
    assert bytes(blob["data"]) == SCAN and hashlib.sha256(bytes(blob["data"])).hexdigest() == sha


def test_the_restored_database_serves_and_takes_new_rows(source, target):
    """Ids continue after the restored ones (PostgreSQL: the sequences were moved)."""
    from intranet.spaces.models import Space

    assert cli(["restore", target[1], source[1]]) == 0
    app = build_app(target[0])  # the seed runs again on a restored database without clashing
    try:
        with transaction.manager:
            db = get_tm_session(app.registry["dbsession_factory"], transaction.manager)
            highest = db.scalar(select(func.max(Space.id)))
            space = Space(
                slug="xa-moi",
                kind="xa",
                category="commune",
                title="UBND xã Mới",
                title_en="New commune",
                sort_order=999,
            )
            db.add(space)
            db.flush()
            assert space.id > highest
            assert get_user(db, "tancanh") is not None
    finally:
        app.registry["dbengine"].dispose()


def test_a_database_that_is_not_empty_is_refused(source, tmp_path, capsys):
    url, path, _sha = source
    before = every_row(url)
    assert cli(["restore", write_ini(tmp_path / "again.ini", url), path]) == 2
    assert "not empty" in capsys.readouterr().err
    assert every_row(url) == before


def test_force_replaces_what_the_database_holds(source, target):
    url, path, _sha = source
    assert cli(["restore", target[1], path]) == 0
    with create_engine(target[0].replace("postgresql://", "postgresql+psycopg://", 1)).begin() as conn:
        conn.execute(text("UPDATE users SET full_name = 'Đổi tên' WHERE login = 'tancanh'"))
    assert cli(["restore", target[1], path, "--force"]) == 0
    assert every_row(target[0]) == every_row(url)


def test_a_database_without_the_schema_is_refused(source, tmp_path_factory, tmp_path, capsys):
    with throwaway_database(tmp_path_factory, "intranet_backup_bare") as url:
        assert cli(["restore", write_ini(tmp_path / "bare.ini", url), source[1]]) == 2
    assert "intranet db upgrade" in capsys.readouterr().err


def test_another_revision_is_refused(source, target, capsys):
    with create_engine(target[0].replace("postgresql://", "postgresql+psycopg://", 1)).begin() as conn:
        conn.execute(
            text("UPDATE alembic_version SET version_num = '0005_assessments' WHERE version_num NOT LIKE 'ldtbxh%'")
        )
    assert cli(["restore", target[1], source[1]]) == 2
    assert "0005_assessments" in capsys.readouterr().err
    assert every_row(target[0])["users"] == []


def test_an_incomplete_backup_restores_nothing(source, target, tmp_path, capsys):
    with gzip.open(source[1], "rt", encoding="utf-8") as whole:
        lines = whole.readlines()
    cut = tmp_path / "cut.jsonl.gz"
    with gzip.open(cut, "wt", encoding="utf-8") as part:
        part.writelines(lines[: len(lines) * 2 // 3])
    assert cli(["restore", target[1], str(cut)]) == 2
    assert "incomplete" in capsys.readouterr().err
    assert all(rows == [] for rows in every_row(target[0]).values())


def postgresql_server() -> str | None:
    """The PostgreSQL server this run may make databases on: the backend under test, or the one
    CI names for the cross-backend tests of the SQLite run (INTRANET_TEST_PG_SERVER)."""
    return os.environ.get("INTRANET_TEST_DATABASE_URL") or os.environ.get("INTRANET_TEST_PG_SERVER")


@pytest.mark.skipif(
    not postgresql_server() and not os.environ.get("CI"), reason="needs a PostgreSQL server (INTRANET_TEST_PG_SERVER)"
)
def test_a_sqlite_backup_restores_into_postgresql(tmp_path_factory, tmp_path, monkeypatch):
    assert postgresql_server(), "CI runs this with INTRANET_TEST_PG_SERVER set (.ci/run)"
    folder = tmp_path_factory.mktemp("sqlite_source")
    url = f"sqlite:///{folder}/source.sqlite"
    app = build_app(url)
    add_evidence(app)
    app.registry["dbengine"].dispose()
    path = str(tmp_path / "from-sqlite.jsonl.gz")
    assert cli(["backup", write_ini(tmp_path / "sqlite.ini", url), path]) == 0
    monkeypatch.setenv("INTRANET_TEST_DATABASE_URL", postgresql_server())
    with throwaway_database(tmp_path_factory, "intranet_backup_pg") as pg_url:
        migrated(pg_url)
        assert pg_url.startswith("postgresql")
        assert cli(["restore", write_ini(tmp_path / "pg.ini", pg_url), path]) == 0
        assert every_row(pg_url) == every_row(url)
