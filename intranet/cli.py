"""The ``intranet`` command: ``db upgrade``, ``seed``.

intranet db upgrade development.ini     apply every migration (core and plugin branches)
intranet seed development.ini --demo    load the 2017 plan, the spaces and the demo accounts
intranet backup production.ini FILE     write the whole database, files included, to FILE
intranet restore production.ini FILE    load FILE into an empty database of the same revision
intranet rotate-case-keys production.ini
                                        encrypt the child register again under the current key
intranet erase-expired-cases production.ini [--dry-run]
                                        erase the free texts of cases closed over the retention
                                        period (intranet.case_retention_years); the counts stay
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import transaction
from pyramid.paster import get_appsettings, setup_logging
from sqlalchemy import select

from intranet import backup as backups
from intranet import clock
from intranet import main as make_app
from intranet.audit.services import record
from intranet.cases import procedure
from intranet.cases.keys import get_keyring
from intranet.cases.models import Case
from intranet.cases.services import rotate_all
from intranet.config import ConfigurationError, demo_today, resolve_settings
from intranet.host import enabled_keys, installed_plugins
from intranet.i18n import local_today, parse_date
from intranet.models import get_tm_session
from intranet.notifications.services import mailer_from_settings, send_reminders
from intranet.seed import run_seed


def _settings(ini: str) -> dict:
    if not os.path.exists(ini):
        raise SystemExit(f"intranet: configuration file not found: {ini}")
    setup_logging(ini)
    return resolve_settings(get_appsettings(ini, name="main"))


def _use_demo_clock(settings: dict) -> None:
    """Run on the demo day of a development ini (``intranet.demo_today``), as its pages do: the
    seed then dates the demo rows on that day, and ``remind`` reminds as of that day."""
    day = demo_today(settings)
    if day is not None:
        clock.set_demo_today(day)


def alembic_config(settings: dict):
    """The one Alembic environment, with the enabled plugins' migration folders as extra locations."""
    from alembic.config import Config  # noqa: PLC0415 — Alembic (0.5 s) only for the db commands

    root = Path(__file__).resolve().parent.parent
    script_location = settings.get("intranet.migrations") or str(root / "migrations")
    cfg = Config()
    cfg.set_main_option("script_location", script_location)
    locations = [str(Path(script_location) / "versions")]
    installed = installed_plugins()
    for key in enabled_keys(settings, installed):
        plugin = installed[key][0]
        if plugin.migrations:
            locations.append(plugin.migrations)
    cfg.set_main_option("version_locations", " ".join(locations))
    cfg.set_main_option("path_separator", "space")
    cfg.attributes["settings"] = settings
    return cfg


def db_upgrade(settings: dict, revision: str = "heads") -> None:
    from alembic import command  # noqa: PLC0415 — Alembic (0.5 s) only for the db commands

    command.upgrade(alembic_config(settings), revision)


def run_remind(settings: dict, today_text: str | None = None, *, mailer=None, out=sys.stdout) -> dict:
    """Send today's reminders (idempotent per day); returns the counts."""
    today = parse_date(today_text) if today_text else local_today()
    if today is None:
        raise ConfigurationError(f"--today must be a date written dd/mm/yyyy, not {today_text!r}.")
    app = make_app({}, **settings)
    mailer = mailer or mailer_from_settings(settings)
    print(f"Reminders for {today:%d/%m/%Y} …", file=out, flush=True)
    with transaction.manager:
        dbsession = get_tm_session(app.registry["dbsession_factory"], transaction.manager)
        counts = send_reminders(
            dbsession,
            app.registry,
            mailer,
            today,
            base_url=settings.get("intranet.base_url", "").rstrip("/"),
            sender=settings.get("mail.default_sender", "bvte@dakto.local"),
            out=out,
        )
    app.registry["dbengine"].dispose()
    print(
        f"Done: {counts['reports']} reports reminded, {counts['notices']} notices, {counts['emails']} e-mails, "
        f"{counts['skipped']} already reminded today.",
        file=out,
        flush=True,
    )
    return counts


def run_rotate_case_keys(settings: dict, *, out=None) -> int:
    """Encrypt every value of the child register written under an older key again under the
    keyring's current key, printing where it is (on ``out``, standard output by default); the
    number of values re-encrypted."""
    out = out or sys.stdout
    app = make_app({}, **settings)
    keyring = get_keyring(app.registry)
    print(f"Re-encrypting the child register under the current key ({keyring.current}) …", file=out, flush=True)

    def progress(table: str, rows: int, values: int) -> None:
        print(f"  {table}: {rows} rows read, {values} values re-encrypted so far", file=out, flush=True)

    try:
        with transaction.manager:
            dbsession = get_tm_session(app.registry["dbsession_factory"], transaction.manager)
            count = rotate_all(dbsession, keyring, progress=progress)
    finally:
        app.registry["dbengine"].dispose()
    print(
        f"Done: {count} values re-encrypted. The keys other than {keyring.current} (and index=) may now "
        "leave INTRANET_CASE_KEYS.",
        file=out,
        flush=True,
    )
    return count


def run_erase_expired_cases(settings: dict, *, dry_run: bool = False, out=None) -> list[str]:
    """Erase the free texts of the cases closed longer ago than ``intranet.case_retention_years``,
    printing where it is, and write one audit line per case erased (its number, the fields erased);
    the numbers of the cases erased (or, with ``dry_run``, that would be)."""

    out = out or sys.stdout
    try:
        years = int(settings.get("intranet.case_retention_years", "5"))
    except ValueError:
        raise ConfigurationError("intranet.case_retention_years must be a whole number of years.") from None
    if years < 1:
        raise ConfigurationError("intranet.case_retention_years must be at least 1.")
    app = make_app({}, **settings)
    keyring = get_keyring(app.registry)
    now = clock.utcnow()
    try:
        cutoff = now.replace(year=now.year - years)
    except ValueError:  # 29 February
        cutoff = now.replace(year=now.year - years, day=28)
    print(f"Cases closed before {cutoff:%d/%m/%Y} ({years} years) …", file=out, flush=True)
    try:
        with transaction.manager:
            dbsession = get_tm_session(app.registry["dbsession_factory"], transaction.manager)
            if dry_run:
                numbers = list(
                    dbsession.scalars(
                        select(Case.number).where(
                            Case.closed_at.is_not(None), Case.closed_at < cutoff, Case.erased_at.is_(None)
                        )
                    )
                )
            else:

                def progress(n: int) -> None:
                    print(f"  {n} cases erased so far", file=out, flush=True)

                numbers = procedure.erase_expired(dbsession, keyring, closed_before=cutoff, progress=progress)
                fields = {
                    "case": list(Case.ENCRYPTED),
                    "services": ["description", "assignee", "outcome_note"],
                    "reviews": ["notes"],
                }
                for number in numbers:
                    record(dbsession, "case.erase", "case", number, detail={"erased": fields, "years": years})
    finally:
        app.registry["dbengine"].dispose()
    verb = "would be erased" if dry_run else "erased"
    print(f"Done: {len(numbers)} cases {verb}: {', '.join(numbers) or 'none'}.", file=out, flush=True)
    return numbers


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="intranet", description="Đăk Tô child-protection intranet")
    sub = parser.add_subparsers(dest="command", required=True)

    db = sub.add_parser("db", help="database schema (Alembic)")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    up = db_sub.add_parser("upgrade", help="apply every migration, core and plugins")
    up.add_argument("ini")
    up.add_argument("--revision", default="heads")
    cur = db_sub.add_parser("current", help="show the applied revisions")
    cur.add_argument("ini")

    remind = sub.add_parser("remind", help="notify and e-mail the units whose reports are due or overdue")
    remind.add_argument("ini")
    remind.add_argument("--today", help="the day to act as (dd/mm/yyyy); default: today")

    seed = sub.add_parser("seed", help="load the 2017 plan and spaces; --demo adds demo accounts")
    seed.add_argument("ini")
    seed.add_argument("--demo", action="store_true", help="create the demo accounts (development only)")

    backup = sub.add_parser("backup", help="write the whole database, evidence files included, to one file")
    backup.add_argument("ini")
    backup.add_argument("file", help="the backup to write (e.g. intranet-2017-06-30.jsonl.gz); - for standard output")
    restore = sub.add_parser("restore", help="load a backup into an empty database migrated to the same revision")
    restore.add_argument("ini")
    restore.add_argument("file", help="the backup to read; - for standard input")
    restore.add_argument("--force", action="store_true", help="delete everything the database holds first")
    rotate = sub.add_parser(
        "rotate-case-keys", help="encrypt the child register again under the current key, before an old key goes"
    )
    rotate.add_argument("ini")
    erase = sub.add_parser(
        "erase-expired-cases",
        help="erase the free texts of the cases closed longer ago than intranet.case_retention_years (counts stay)",
    )
    erase.add_argument("ini")
    erase.add_argument("--dry-run", action="store_true", help="list the cases, erase nothing")

    args = parser.parse_args(argv)
    try:
        settings = _settings(args.ini)
        _use_demo_clock(settings)
        if args.command == "db" and args.db_command == "upgrade":
            print(f"Applying migrations ({args.revision}) …", flush=True)
            db_upgrade(settings, args.revision)
            print("Database schema is up to date.", flush=True)
        elif args.command == "db" and args.db_command == "current":
            from alembic import command  # noqa: PLC0415 — Alembic (0.5 s) only for the db commands

            command.current(alembic_config(settings), verbose=True)
        elif args.command == "remind":
            run_remind(settings, args.today)
        elif args.command == "seed":
            run_seed(settings, demo=args.demo, out=sys.stdout)
        elif args.command == "rotate-case-keys":
            run_rotate_case_keys(settings)
        elif args.command == "erase-expired-cases":
            run_erase_expired_cases(settings, dry_run=args.dry_run)
        elif args.command in ("backup", "restore"):
            try:
                if args.command == "backup":
                    backups.backup(settings, args.file)
                else:
                    backups.restore(settings, args.file, force=args.force)
            except backups.BackupError as exc:
                print(f"intranet {args.command}: {exc}", file=sys.stderr)
                return 2
    except ConfigurationError as exc:
        print(f"intranet: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
