"""Page benchmark: statements per page and throughput at district and province scale.

    python bench/pages.py [--spaces 200] [--logs 25] [--seconds 10] [--threads 4]

Builds a throwaway SQLite database (or PostgreSQL with --database-url), migrates and seeds it,
adds communes with members and duty logs up to --spaces units, then:
1. counts the SQL statements each page issues (in-process, WebTest);
2. serves the app with waitress on 127.0.0.1 and loads each page with wrk (if installed) as a
   logged-in coordinator, printing requests per second and latency.
Only 127.0.0.1 is ever contacted. Numbers are printed, never asserted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PAGES = [
    "/",
    "/spaces",
    "/spaces/tan-canh",
    "/spaces/tan-canh/logs",
    "/district/duties",
    "/admin/audit",
    "/api/v1/spaces",
    # commune plans (kon-dao's 2017 plan is approved in the demo), assessments, the registry
    "/district/plans",
    "/spaces/kon-dao/plans/2017",
    "/district/assessments",
    "/spaces/kon-dao/assessments/2019",
    "/p/ldtbxh/registry",
]


def build(url: str, spaces: int, logs: int) -> dict:
    import transaction

    from intranet.accounts.models import User
    from intranet.accounts.services import hash_password
    from intranet.cli import db_upgrade
    from intranet.config import resolve_settings
    from intranet.duties.models import DutyLog, DutyLogValue
    from intranet.models import get_engine, get_session_factory, get_tm_session
    from intranet.plans.services import current_plan
    from intranet.seed import run_seed
    from intranet.spaces.models import Membership, Space

    settings = resolve_settings(
        {
            "sqlalchemy.url": url,
            "intranet.secret": "bench-" + "x" * 40,
            "intranet.environment": "bench",
            "intranet.plugins": "*",
        }
    )
    print("migrating and seeding …", flush=True)
    db_upgrade(settings)
    run_seed(settings, demo=True, out=open(os.devnull, "w"))
    engine = get_engine(settings)
    factory = get_session_factory(engine)
    password = hash_password("demo2017")
    with transaction.manager:
        db = get_tm_session(factory, transaction.manager)
        plan = current_plan(db)
        existing = db.query(Space).count()
        keys = ["xa.bao-cao-dinh-ky", "xa.ke-hoach-2017", "xa.truyen-thong-cau-lac-bo"]
        all_spaces = db.query(Space).filter(Space.kind == "xa").all()
        for i in range(existing, spaces):
            s = Space(
                slug=f"xa-bench-{i}",
                kind="xa",
                category="commune",
                title=f"UBND xã Thử {i}",
                title_en=f"Bench commune {i}",
                sort_order=100 + i,
            )
            u = User(login=f"bench{i}", full_name=f"Cán bộ {i}", password_hash=password)
            db.add_all([s, u])
            db.flush()
            db.add(Membership(user_id=u.id, space_id=s.id, role="officer"))
            all_spaces.append(s)
            if i % 50 == 0:
                print(f"  units: {i + 1}/{spaces}", flush=True)
        author = db.query(User).filter(User.login == "tancanh").one()
        n = 0
        for s in all_spaces:
            for j in range(logs):
                log = DutyLog(
                    space_id=s.id,
                    plan_id=plan.id,
                    author_id=author.id,
                    duty_key=keys[j % 3],
                    log_date=dt.date(2017, 1 + j % 12, 1 + j % 28),
                    progress="in_progress",
                    description="Tuyên truyền tại thôn",
                    values=[DutyLogValue(measure_key="so_buoi", value=j)],
                )
                db.add(log)
                n += 1
        print(f"  duty logs: {n}", flush=True)
    engine.dispose()
    return settings


def count_statements(app) -> None:
    import webtest
    from sqlalchemy import event

    engine = app.registry["dbengine"]
    browser = webtest.TestApp(app, extra_environ={"HTTP_HOST": "127.0.0.1"})
    form = browser.get("/login").forms[0]
    form["login"], form["password"] = "dieuphoi", "demo2017"
    form.submit()
    print("\nstatements and size per page (coordinator):")
    for url in PAGES:
        seen: list[int] = []

        def listener(*args, seen=seen):
            seen.append(1)

        event.listen(engine, "before_cursor_execute", listener)
        res = browser.get(url)
        event.remove(engine, "before_cursor_execute", listener)
        print(f"  {url:<28} {len(seen):>3} statements  {len(res.body) / 1024:6.1f} KB")


def serve(app):
    from waitress import create_server

    server = create_server(app, host="127.0.0.1", port=0, threads=4)
    threading.Thread(target=server.run, daemon=True).start()
    return server, f"http://127.0.0.1:{server.effective_port}"


def session_cookie(base: str) -> str:
    import http.cookiejar
    import urllib.parse
    import urllib.request

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    html = opener.open(base + "/login").read().decode()
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    data = urllib.parse.urlencode(
        {"csrf_token": token, "login": "dieuphoi", "password": "demo2017", "came_from": "/"}
    ).encode()
    opener.open(base + "/login", data)
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def load(base: str, seconds: int, threads: int) -> None:
    wrk = shutil.which("wrk")
    if not wrk:
        print("\nwrk is not installed (apt-get install wrk): skipping the load test")
        return
    cookie = session_cookie(base)
    print(f"\nwrk, {seconds}s per page, {threads} connections, 2 threads, 127.0.0.1 only:")
    for url in PAGES:
        out = subprocess.run(
            [wrk, "-t2", f"-c{threads}", f"-d{seconds}s", "--latency", "-H", f"Cookie: {cookie}", base + url],
            capture_output=True,
            text=True,
            timeout=seconds + 30,
        ).stdout
        rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
        p50 = re.search(r"50%\s+([\d.]+\w+)", out)
        p99 = re.search(r"99%\s+([\d.]+\w+)", out)
        non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
        print(
            f"  {url:<28} {float(rps.group(1)) if rps else 0:8.1f} req/s  p50 {p50.group(1) if p50 else '?':>8}"
            f"  p99 {p99.group(1) if p99 else '?':>8}  errors {non2xx.group(1) if non2xx else 0}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spaces", type=int, default=200)
    parser.add_argument("--logs", type=int, default=25, help="duty logs per commune")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--database-url", help="PostgreSQL URL of an EMPTY database (default: SQLite)")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="intranet-bench-")
    url = args.database_url or f"sqlite:///{tmp}/bench.sqlite"
    started = time.time()
    settings = build(url, args.spaces, args.logs)
    print(f"data ready in {time.time() - started:.1f}s")
    from intranet import main as make_app

    app = make_app({}, **settings)
    count_statements(app)
    server, base = serve(app)
    try:
        load(base, args.seconds, args.threads)
    finally:
        server.close()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
