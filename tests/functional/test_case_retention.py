"""The end of the retention period (issue 11, section 4): `intranet erase-expired-cases` erases the
free texts of the cases closed longer ago than ``intranet.case_retention_years``, keeps what the
counts need, leaves open and recently closed cases alone, and logs each case it erased."""

from __future__ import annotations

import datetime as dt

import transaction
from sqlalchemy import select

from intranet.audit.models import AuditEntry
from intranet.cases import procedure
from intranet.cases.keys import get_keyring
from intranet.cases.models import Case
from intranet.clock import utcnow
from intranet.models import get_tm_session
from tests.fixtures.database import TEST_SECRET, build_app, throwaway_database
from tests.fixtures.factories import get_space, get_user

ACCOUNT = "Em bị đánh ở nhà (hư cấu)"


def _case(db, keyring, *, closed_years_ago: float | None):
    worker = get_user(db, "tancanh").id
    received = utcnow() - dt.timedelta(days=365 * 8)
    case = procedure.open_case(
        db,
        keyring,
        get_space(db, "tan-canh").id,
        received_at=received,
        reporter_kind="school",
        reporter="Cô giáo chủ nhiệm",
        account=ACCOUNT,
        case_worker_id=worker,
        user_id=worker,
    )
    if closed_years_ago is not None:
        case.closed_at = utcnow() - dt.timedelta(days=int(365.25 * closed_years_ago))
    db.flush()
    return case


def test_old_closed_cases_lose_their_texts_and_keep_their_counts(app, dbsession):
    keyring = get_keyring(app.registry)
    old = _case(dbsession, keyring, closed_years_ago=6)
    recent = _case(dbsession, keyring, closed_years_ago=1)
    still_open = _case(dbsession, keyring, closed_years_ago=None)
    cutoff = utcnow() - dt.timedelta(days=365 * 5)
    assert procedure.erase_expired(dbsession, keyring, closed_before=cutoff) == [old.number]
    erased = procedure.read_case(keyring, old)
    assert (erased.account, erased.reporter) == ("", "") and old.erased_at is not None
    assert old.received_at and old.closed_at and old.reporter_kind == "school"  # what counts stays
    for kept in (recent, still_open):
        assert procedure.read_case(keyring, kept).account == ACCOUNT
    assert procedure.erase_expired(dbsession, keyring, closed_before=cutoff) == []  # once


def test_the_command_erases_and_logs_each_case(tmp_path_factory, capsys):
    from intranet.cli import main as cli

    with throwaway_database(tmp_path_factory, "intranet_erase") as url:
        app = build_app(url)
        try:
            with transaction.manager:
                db = get_tm_session(app.registry["dbsession_factory"], transaction.manager)
                keyring = get_keyring(app.registry)
                old = _case(db, keyring, closed_years_ago=6).number
                recent = _case(db, keyring, closed_years_ago=1).number
        finally:
            app.registry["dbengine"].dispose()
        folder = tmp_path_factory.mktemp("erase")
        ini = folder / "erase.ini"
        ini.write_text(
            f"[app:main]\nuse = egg:dakto-intranet\nsqlalchemy.url = {url}\nintranet.secret = {TEST_SECRET}\n"
            "intranet.environment = testing\nintranet.plugins = *\nintranet.case_retention_years = 5\n",
            encoding="utf-8",
        )
        assert cli(["erase-expired-cases", str(ini), "--dry-run"]) == 0
        assert f"Done: 1 cases would be erased: {old}." in capsys.readouterr().out
        assert cli(["erase-expired-cases", str(ini)]) == 0
        out = capsys.readouterr().out
        assert f"Done: 1 cases erased: {old}." in out and ACCOUNT not in out
        app = build_app(url)
        try:
            with transaction.manager:
                db = get_tm_session(app.registry["dbsession_factory"], transaction.manager)
                keyring = get_keyring(app.registry)
                case = db.scalars(select(Case).where(Case.number == old)).one()
                assert procedure.read_case(keyring, case).account == ""
                kept = db.scalars(select(Case).where(Case.number == recent)).one()
                assert procedure.read_case(keyring, kept).account == ACCOUNT
                line = db.scalars(select(AuditEntry).where(AuditEntry.action == "case.erase")).one()
                assert line.object_id == old and "account" in str(line.detail) and ACCOUNT not in str(line.detail)
        finally:
            app.registry["dbengine"].dispose()
