"""The ``intranet`` command: ``db upgrade``, ``seed``.

    intranet db upgrade development.ini     apply every migration (core and plugin branches)
    intranet seed development.ini --demo    load the 2017 plan, the spaces and the demo accounts
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from intranet.config import ConfigurationError


def _settings(ini: str) -> dict:
    from pyramid.paster import get_appsettings, setup_logging

    from intranet.config import resolve_settings

    if not os.path.exists(ini):
        raise SystemExit(f"intranet: configuration file not found: {ini}")
    setup_logging(ini)
    return resolve_settings(get_appsettings(ini, name="main"))


def alembic_config(settings: dict):
    """The one Alembic environment, with the enabled plugins' migration folders as extra locations."""
    from alembic.config import Config

    from intranet.plugin.registry import enabled_keys, installed_plugins

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
    from alembic import command

    command.upgrade(alembic_config(settings), revision)


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

    seed = sub.add_parser("seed", help="load the 2017 plan and spaces; --demo adds demo accounts")
    seed.add_argument("ini")
    seed.add_argument("--demo", action="store_true", help="create the demo accounts (development only)")

    args = parser.parse_args(argv)
    try:
        settings = _settings(args.ini)
        if args.command == "db" and args.db_command == "upgrade":
            print(f"Applying migrations ({args.revision}) …", flush=True)
            db_upgrade(settings, args.revision)
            print("Database schema is up to date.", flush=True)
        elif args.command == "db" and args.db_command == "current":
            from alembic import command

            command.current(alembic_config(settings), verbose=True)
        elif args.command == "seed":
            from intranet.plans.seed import run_seed

            run_seed(settings, demo=args.demo, out=sys.stdout)
    except ConfigurationError as exc:
        print(f"intranet: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
