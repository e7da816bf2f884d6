"""Consolidation at province and national scale, on PostgreSQL.

    python bench/consolidation.py --database-url postgresql://postgres@127.0.0.1:5432/postgres
        [--scale province|national|both] [--repeat 5]

Creates a throwaway database on that server (dropped afterwards) and fills it with synthetic
reports through the real schema (Alembic):
- province: 100 communes, 5 years (10 periods: half-year and year), every element of the
  communes' form, all accepted;
- national: 10,000 communes, one period, every element.
Then, in one run, it times the intranet's consolidation (intranet.reports.services) against a
hand-written SQL GROUP BY over the same tables and prints both and their ratio, and counts the
SQL statements each district page issues at 10 and at 100 communes (they must not grow).
Numbers are printed, never asserted. Only the given server is contacted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

HAND_SQL = """
SELECT v.element_code, v.option, sp.category, SUM(v.value_num)
FROM submission_values v
JOIN submissions s ON s.id = v.submission_id
JOIN spaces sp ON sp.id = s.space_id
WHERE s.period_id = :period AND s.state = 'accepted' AND v.value_num IS NOT NULL
GROUP BY v.element_code, v.option, sp.category
"""


def make_database(server_url: str):
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    url = make_url(server_url.replace("postgresql://", "postgresql+psycopg://", 1))
    name = f"intranet_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8'"))
    return admin, name, url.set(database=name).render_as_string(hide_password=False)


def drop_database(admin, name):
    from sqlalchemy import text

    with admin.connect() as conn:
        conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"), {"n": name})
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    admin.dispose()


def fill(engine, registry, communes: int, periods: list[tuple[str, str, int]], label: str) -> dict:
    """Insert communes and accepted reports with every element of the communes' form."""
    from sqlalchemy import insert, select

    from intranet.host import get_registry
    from intranet.plans.models import Plan
    from intranet.reports.models import Period, Submission, SubmissionValue
    from intranet.spaces.models import Space

    form = get_registry(registry).forms["xa.bao-cao"]
    cells = [(e.code, o) for e in form.elements() if e.numeric for o in e.cells()]
    rng = random.Random(1)
    started = time.time()
    with engine.begin() as conn:
        plan_id = conn.execute(select(Plan.id)).scalar_one()
        period_ids = {}
        for code, kind, year in periods:
            pid = conn.execute(select(Period.id).where(Period.code == code)).scalar()
            if pid is None:
                pid = conn.execute(
                    insert(Period)
                    .values(
                        plan_id=plan_id,
                        code=code,
                        kind=kind,
                        year=year,
                        title=code,
                        title_en=code,
                        start_date=dt.date(year, 1, 1),
                        end_date=dt.date(year, 12, 31),
                        due_date=dt.date(year, 12, 15),
                        lock_date=dt.date(year + 1, 1, 15),
                    )
                    .returning(Period.id)
                ).scalar_one()
            period_ids[code] = pid
        existing = conn.execute(select(Space.id).where(Space.kind == "xa")).scalars().all()
        space_ids = list(existing)
        for i in range(len(existing), communes):
            space_ids.append(
                conn.execute(
                    insert(Space)
                    .values(
                        slug=f"{label}-xa-{i}",
                        kind="xa",
                        category="commune",
                        title=f"UBND xã {i}",
                        title_en=f"Commune {i}",
                        sort_order=1000 + i,
                        officers_may_submit=False,
                    )
                    .returning(Space.id)
                ).scalar_one()
            )
        now = dt.datetime(2017, 6, 1)
        total_values = 0
        filed = set(conn.execute(select(Submission.space_id, Submission.period_id)).all())
        for n, space_id in enumerate(space_ids[:communes], 1):
            for pid in period_ids.values():
                if (space_id, pid) in filed:
                    continue
                sid = conn.execute(
                    insert(Submission)
                    .values(
                        form_key=form.key,
                        form_version=form.version,
                        space_id=space_id,
                        period_id=pid,
                        state="accepted",
                        first_submitted_at=now,
                        submitted_at=now,
                        accepted_at=now,
                        unlocked=False,
                        version=1,
                    )
                    .returning(Submission.id)
                ).scalar_one()
                conn.execute(
                    insert(SubmissionValue),
                    [
                        {"submission_id": sid, "element_code": c, "option": o, "value_num": rng.randint(0, 60)}
                        for c, o in cells
                    ],
                )
                total_values += len(cells)
            if n % max(1, communes // 10) == 0:
                print(f"  {label}: {n}/{communes} communes, {total_values:,} values", flush=True)
    print(f"  {label}: filled in {time.time() - started:.1f}s", flush=True)
    return period_ids


def time_it(fn, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t)
    return statistics.median(runs)


def compare(app, period_id: int, repeat: int, label: str) -> None:
    from sqlalchemy import text

    from intranet.reports.services import category_totals, space_totals

    factory = app.registry["dbsession_factory"]
    session = factory()
    try:
        ours = time_it(lambda: category_totals(session, period_id), repeat)
        hand = time_it(lambda: session.execute(text(HAND_SQL), {"period": period_id}).all(), repeat)
        breakdown = time_it(lambda: space_totals(session, period_id), repeat)
        rows = session.execute(text(HAND_SQL), {"period": period_id}).all()
        same = {(a, b, c): float(d) for a, b, c, d in category_totals(session, period_id)} == {
            (a, b, c): float(d) for a, b, c, d in rows
        }
        n_rows = len(space_totals(session, period_id))
    finally:
        session.close()
    print(
        f"  {label}: district totals {ours * 1000:8.1f} ms · hand-written GROUP BY {hand * 1000:8.1f} ms · "
        f"ratio {ours / hand:5.2f} · same totals: {same}",
        flush=True,
    )
    print(f"  {label}: breakdown by unit ({n_rows:,} rows) {breakdown * 1000:8.1f} ms", flush=True)


def statements_per_page(app, communes_label: str) -> None:
    import webtest
    from sqlalchemy import event

    engine = app.registry["dbengine"]
    browser = webtest.TestApp(app, extra_environ={"HTTP_HOST": "127.0.0.1"})
    form = browser.get("/login").forms[0]
    form["login"], form["password"] = "dieuphoi", "demo2017"
    form.submit()
    counts = {}
    for url in (
        "/district/reports",
        "/district/reports/2017-6t/completeness",
        "/district/reports/2017-6t",
        "/district/indicators/2017-6t",
        "/district/duties",
    ):
        seen: list[int] = []

        def listener(*args, seen=seen):
            seen.append(1)

        event.listen(engine, "before_cursor_execute", listener)
        browser.get(url)
        event.remove(engine, "before_cursor_execute", listener)
        counts[url] = len(seen)
    print(f"  statements per district page at {communes_label}: {counts}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get("INTRANET_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"),
    )
    parser.add_argument("--scale", choices=["province", "national", "both"], default="both")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    from intranet import main as make_app
    from intranet.cli import db_upgrade
    from intranet.config import resolve_settings
    from intranet.seed import run_seed

    admin, name, url = make_database(args.database_url)
    try:
        settings = {
            "sqlalchemy.url": url,
            "intranet.secret": "bench-" + "x" * 40,
            "intranet.environment": "bench",
            "intranet.plugins": "*",
        }
        db_upgrade(resolve_settings(settings))
        run_seed(settings, demo=True, out=open(os.devnull, "w"))
        app = make_app({}, **settings)
        engine = app.registry["dbengine"]
        statements_per_page(app, "9 communes (demo)")
        if args.scale in ("province", "both"):
            print("province: 100 communes × 5 years (10 periods)", flush=True)
            fill(engine, app.registry, 10, [("2017-6t", "half_year", 2017)], "p10")
            statements_per_page(app, "10 communes")
            years = [(f"{y}-6t", "half_year", y) for y in range(2018, 2023)] + [
                (f"{y}", "year", y) for y in range(2018, 2023)
            ]
            period_ids = fill(engine, app.registry, 100, years, "province")
            statements_per_page(app, "100 communes")
            compare(app, period_ids["2022"], args.repeat, "province, one period of 100 communes")
        if args.scale in ("national", "both"):
            print("national: 10,000 communes, one period", flush=True)
            period_ids = fill(engine, app.registry, 10_000, [("2030", "year", 2030)], "national")
            compare(app, period_ids["2030"], args.repeat, "national, one period of 10,000 communes")
        engine.dispose()
    finally:
        drop_database(admin, name)


if __name__ == "__main__":
    main()
