"""Page benchmark: statements per page and throughput at district and province scale.

    python bench/pages.py [--spaces 200] [--logs 25] [--seconds 10] [--connections 4]
    python bench/pages.py --postgresql [SERVER_URL] [--seconds 5] [--workers 2]
    python bench/pages.py --postgresql --profile /spaces --profile / [--profile-requests 30]

Builds a throwaway database (SQLite; PostgreSQL with --postgresql or --database-url), migrates and
seeds it, adds communes with members and duty logs up to --spaces units, then:
1. counts the SQL statements and ORM objects each page needs (in-process, WebTest);
2. on SQLite: serves the app with waitress in this process and loads each page with wrk as a
   logged-in coordinator, printing requests per second and latency;
   on PostgreSQL: serves the real production.ini with gunicorn (--workers sync workers, the
   database, secret and case keys in DATABASE_URL, INTRANET_SECRET and INTRANET_CASE_KEYS as
   production reads them) and the ceiling (bench/ceiling.py: the same stack listing 33 rows)
   with as many workers, loads each page and the ceiling one after the other with wrk, and
   prints per page the requests per second, the ceiling's measured around it and the ratio,
   the processor time per request of each (workers and PostgreSQL) and its ratio, then each
   worker's RSS;
3. with --profile PAGE: profiles that page in-process (cProfile) and prints where the time goes.
Only 127.0.0.1 is ever contacted. Numbers are printed, never asserted.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import gc
import http.client
import http.cookies
import io
import os
import pstats
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent

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
#: The pages whose body is a list of rows: the issue's goal for them is 40 % of the ceiling, 25 % for the rest.
LIST_PAGES = {
    "/spaces",
    "/spaces/tan-canh/logs",
    "/admin/audit",
    "/api/v1/spaces",
    "/district/plans",
    "/district/assessments",
    "/p/ldtbxh/registry",
}
LOGIN, PASSWORD = "dieuphoi", "demo2017"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1", None, "")


def build(url: str, spaces: int, logs: int, keys_file: str) -> dict:
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
            # The demo's children are encrypted with the keys the servers will read them with.
            "intranet.case_keys_file": keys_file,
        }
    )
    print("migrating and seeding …", flush=True)
    db_upgrade(settings)
    run_seed(settings, demo=True, out=open(os.devnull, "w"))
    engine = get_engine(settings)
    factory = get_session_factory(engine)
    password = hash_password(PASSWORD)
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
        print(f"  assessments: {add_assessments(db, all_spaces)}", flush=True)
    if engine.dialect.name == "postgresql":
        # A database in service has its statistics (autovacuum): without them the planner guesses
        # one row per table and joins two hundred communes by nested loops.
        with engine.connect() as connection:
            connection.exec_driver_sql("ANALYZE")
            connection.commit()  # statistics are rolled back with the transaction otherwise
    engine.dispose()
    return settings


def add_assessments(db, communes) -> int:
    """The child-friendly assessments of this year, as in a district half-way through it: half the
    communes not begun, a quarter sent with their own scores (a provisional result, worked out
    on every view), a quarter verified (the result kept)."""
    from intranet.assessments import services as assessments
    from intranet.assessments.models import AssessmentScore
    from intranet.i18n import local_today

    year = local_today().year
    set_row = assessments.set_for_year(db, year, with_criteria=True)
    if set_row is None:
        return 0
    definition = assessments.definition_of(set_row)
    n = 0
    for i, space in enumerate(communes):
        if i % 2:
            continue
        assessment = assessments.create_assessment(
            db, space.id, year, set_row, assessments.default_class(db, space.id, definition)
        )
        scores = {}
        for c in set_row.criteria:
            score = c.max_points * (i % 5 + 1) // 5 if c.max_points else 40 + (i % 7) * 10
            met = i % 3 != 0
            assessment.scores.append(AssessmentScore(criterion_id=c.id, self_score=score, met=met))
            scores[c.code] = (score, met)
        if i % 4 == 0:
            assessment.state = "verified"
            assessment.result = assessments.compute_result(definition, assessment.commune_class, scores)
        else:
            assessment.state = "submitted"
        n += 1
    db.flush()
    return n


def sign_in_in_process(app):
    import webtest

    browser = webtest.TestApp(app, extra_environ={"HTTP_HOST": "127.0.0.1"})
    form = browser.get("/login").forms[0]
    form["login"], form["password"] = LOGIN, PASSWORD
    form.submit()
    return browser


class Watch:
    """Counts the statements sent and the ORM objects loaded while it is open."""

    def __init__(self, engine):
        self.engine = engine
        self.statements = 0
        self.objects: Counter = Counter()

    def _statement(self, *args):
        self.statements += 1

    def _loaded(self, session, instance):
        self.objects[type(instance).__name__] += 1

    def __enter__(self):
        from sqlalchemy import event
        from sqlalchemy.orm import Session

        event.listen(self.engine, "before_cursor_execute", self._statement)
        event.listen(Session, "loaded_as_persistent", self._loaded)
        return self

    def __exit__(self, *exc):
        from sqlalchemy import event
        from sqlalchemy.orm import Session

        event.remove(self.engine, "before_cursor_execute", self._statement)
        event.remove(Session, "loaded_as_persistent", self._loaded)


def count_statements(app, pages: list[str]) -> None:
    browser = sign_in_in_process(app)
    print("\nstatements, ORM objects loaded and size per page (coordinator, in-process):")
    for url in pages:
        with Watch(app.registry["dbengine"]) as watch:
            res = browser.get(url)
        top = ", ".join(f"{name} {n}" for name, n in watch.objects.most_common(3))
        print(
            f"  {url:<34} {watch.statements:>3} statements  {sum(watch.objects.values()):>5} objects"
            f"  {len(res.body) / 1024:6.1f} KB  {top}"
        )


def profile(app, pages: list[str], requests: int, top: int, every: list[str]) -> None:
    """Where the time of each page goes in-process: cProfile over ``requests`` requests."""
    browser = sign_in_in_process(app)
    pages = every if pages == ["all"] else pages
    # As production.ini does (intranet.gc_freeze): without it, a full collection walking the
    # application's own objects lands inside whichever function allocates at that moment.
    gc.collect()
    gc.freeze()
    for url in pages:
        for _ in range(3):  # templates compiled, caches filled: what a warm worker does
            browser.get(url)
        profiler = cProfile.Profile()
        with Watch(app.registry["dbengine"]) as watch:
            started = time.perf_counter()
            profiler.enable()
            for _ in range(requests):
                browser.get(url)
            profiler.disable()
            wall = time.perf_counter() - started
        stats = pstats.Stats(profiler, stream=io.StringIO())
        total = sum(row[2] for row in stats.stats.values()) or 1e-9  # tottime of every function
        print(
            f"\n== profile {url}: {wall / requests * 1000:.1f} ms per request in-process (profiled), "
            f"{watch.statements / requests:.0f} statements, {sum(watch.objects.values()) / requests:.0f} ORM objects"
        )
        if watch.objects:
            print(
                "   objects per request: "
                + ", ".join(f"{name} {n / requests:.0f}" for name, n in watch.objects.most_common(8))
            )
        # The project's own functions and templates, and three landmarks of the stack: waiting for
        # PostgreSQL, building ORM objects, rendering a template. The tweens and Pyramid's view
        # wrappers, which only pass the time on, are left out.
        rows = sorted(stats.stats.items(), key=lambda item: item[1][3], reverse=True)
        print(f"   {'cum %':>6} {'own %':>6} {'ms/req':>7} {'calls/req':>10}  function")
        shown = 0
        for (filename, line, name), (_cc, calls, tottime, cumtime, _callers) in rows:
            where = _short(filename)
            if not (filename.startswith(str(ROOT)) and not PASS_THROUGH.search(f"{where}:{line} {name}")) and not any(
                where.startswith(f) and name == n for f, n in LANDMARKS
            ):
                continue
            print(
                f"   {cumtime / total * 100:6.1f} {tottime / total * 100:6.1f} {cumtime / requests * 1000:7.2f}"
                f" {calls / requests:10.0f}  {where}:{line} {name}"
            )
            shown += 1
            if shown >= top:
                break
        own = sorted(stats.stats.items(), key=lambda item: item[1][2], reverse=True)[:12]
        print("   most time of their own:")
        for (filename, line, name), (_cc, calls, tottime, _cumtime, _callers) in own:
            print(f"   {tottime / total * 100:6.1f} % {calls / requests:10.0f}/req  {_short(filename)}:{line} {name}")


#: Wrappers around every request (tweens, the WSGI limits, bench helpers): 100 % of everything.
PASS_THROUGH = re.compile(
    r"^(intranet/(limits|compression|methods|transient|inputs)\.py|intranet/security/__init__\.py:\d+ tween|bench/)"
)
LANDMARKS = [
    ("psycopg/connection.py", "wait"),
    ("sqlalchemy/orm/loading.py", "_instance"),
    ("jinja2/environment.py", "render"),
]


def _short(filename: str) -> str:
    for marker in ("/site-packages/", str(ROOT) + "/"):
        if marker in filename:
            return filename.split(marker, 1)[1]
    return filename


# --- waitress in this process (SQLite) ----------------------------------------------------------------------


def serve(app):
    from waitress import create_server

    server = create_server(app, host="127.0.0.1", port=0, threads=4)
    threading.Thread(target=server.run, daemon=True).start()
    return server, f"http://127.0.0.1:{server.effective_port}"


def session_cookie(base: str) -> str:
    import http.cookiejar
    import urllib.request

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    html = opener.open(base + "/login").read().decode()
    token = TOKEN.search(html).group(1)
    data = urlencode({"csrf_token": token, "login": LOGIN, "password": PASSWORD, "came_from": "/"}).encode()
    opener.open(base + "/login", data)
    return "; ".join(f"{c.name}={c.value}" for c in jar)


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pids: list[int]) -> float:
    """The processor time (user and system) these processes have used so far."""
    ticks = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / CLOCK_TICKS


def database_pids() -> list[int]:
    """Every PostgreSQL process of this machine: the page's statements cost their time too."""
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/comm") as f:
                    if f.read().strip() == "postgres":
                        pids.append(int(entry))
            except OSError:
                continue
    return pids


def wrk(url: str, seconds: float, connections: int, headers: dict[str, str], pids: list[int] = ()) -> dict:
    """wrk's requests per second and latency; with ``pids``, the processor time those processes
    spent per request (ms): unlike the rate, it does not move with what else the machine runs."""
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    cpu_before = cpu_seconds(pids)
    out = subprocess.run(command + [url], capture_output=True, text=True, timeout=seconds + 60).stdout
    cpu = cpu_seconds(pids) - cpu_before
    done = re.search(r"(\d+) requests in", out)
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    p50 = re.search(r"50%\s+([\d.]+\w+)", out)
    p99 = re.search(r"99%\s+([\d.]+\w+)", out)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    requests = int(done.group(1)) if done else 0
    return {
        "requests": requests,
        "cpu_ms": cpu * 1000 / requests if requests else 0.0,
        "rps": float(rps.group(1)) if rps else 0.0,
        "p50": p50.group(1) if p50 else "?",
        "p99": p99.group(1) if p99 else "?",
        "errors": int(non2xx.group(1)) if non2xx else 0,
        # gunicorn's sync workers close every connection: wrk's "read" errors count those closes.
        "timeouts": int(sockets.group(4)) if sockets else 0,
    }


def load(base: str, seconds: int, connections: int, pages: list[str]) -> None:
    if not shutil.which("wrk"):
        print("\nwrk is not installed (apt-get install wrk): skipping the load test")
        return
    cookie = session_cookie(base)
    print(f"\nwrk, {seconds}s per page, {connections} connections, 2 threads, 127.0.0.1 only:")
    for url in pages:
        r = wrk(base + url, seconds, connections, {"Cookie": cookie})
        print(f"  {url:<28} {r['rps']:8.1f} req/s  p50 {r['p50']:>8}  p99 {r['p99']:>8}  errors {r['errors']}")


# --- gunicorn: production.ini and the ceiling (PostgreSQL) ------------------------------------------------


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gunicorn:
    """gunicorn in a process group of its own on a free 127.0.0.1 port; killed in ``stop``."""

    def __init__(self, name: str, args: list[str], env: dict[str, str], folder: str, ready: str, workers: int):
        self.name, self.ready, self.workers = name, ready, workers
        self.port = free_port()
        self.log_path = os.path.join(folder, f"{name}.log")
        self.log = open(self.log_path, "w")  # noqa: SIM115 (closed in stop)
        command = [str(BIN / "gunicorn"), "-w", str(workers), "-b", f"127.0.0.1:{self.port}", "--timeout", "30"]
        self.process = subprocess.Popen(
            command + args,
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self._wait_ready()

    def _wait_ready(self, seconds: float = 90) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"{self.name} stopped at start-up:\n{self.log_text()[-3000:]}")
            if len(self.worker_pids()) == self.workers:
                try:
                    if request(self.port, "GET", self.ready)[0] == 200:
                        return
                except OSError:
                    pass
            time.sleep(0.3)
        raise SystemExit(f"{self.name} did not answer within {seconds:.0f} s:\n{self.log_text()[-3000:]}")

    def log_text(self) -> str:
        self.log.flush()
        with open(self.log_path, encoding="utf-8", errors="replace") as f:
            return f.read()

    def worker_pids(self) -> list[int]:
        pid = self.process.pid
        try:
            with open(f"/proc/{pid}/task/{pid}/children") as f:
                return [int(p) for p in f.read().split()]
        except OSError:
            return []

    def rss(self) -> list[tuple[int, float, float]]:
        """(pid, VmRSS, VmHWM) of each worker, in MB."""
        out = []
        for pid in self.worker_pids():
            try:
                with open(f"/proc/{pid}/status") as f:
                    fields = dict(line.split(":", 1) for line in f if ":" in line)
            except OSError:
                continue
            mb = [int(fields.get(k, "0 kB").split()[0]) / 1024 for k in ("VmRSS", "VmHWM")]
            out.append((pid, *mb))
        return out

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=20)
        self.log.close()


#: What the TLS-terminating proxy in front of production adds to every request. gunicorn believes it
#: from 127.0.0.1 (its default forwarded_allow_ips), so the application sees an https request, as in
#: production: the Secure session cookie is what a browser would send, and the CSRF origin check runs.
PROXY_HEADERS = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "127.0.0.1"}


def request(port: int, method: str, path: str, headers: dict | None = None, body: bytes | None = None):
    """One request on a connection of its own (the sync workers close each one): status, headers, body."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request(method, path, body=body, headers={"Host": f"127.0.0.1:{port}", **(headers or {})})
        response = conn.getresponse()
        return response.status, response.headers, response.read()
    finally:
        conn.close()


def sign_in(port: int) -> str:
    """The coordinator's session cookie, signed in through the login form as a browser behind the proxy would.

    The cookie is Secure in production (intranet.secure_cookies): a browser sends it only over https,
    which the proxy terminates; we send it ourselves, with the proxy's headers, over 127.0.0.1.
    """
    cookies: dict[str, str] = {}

    def keep(headers):
        for header in headers.get_all("Set-Cookie") or []:
            jar = http.cookies.SimpleCookie()
            jar.load(header)
            cookies.update({name: morsel.value for name, morsel in jar.items()})

    def cookie_header():
        return {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())} if cookies else {}

    status, headers, body = request(port, "GET", "/login", PROXY_HEADERS)
    keep(headers)
    token = TOKEN.search(body.decode())
    if status != 200 or not token:
        raise SystemExit(f"GET /login answered {status} without a CSRF token")
    origin = f"https://127.0.0.1:{port}"
    fields = {"csrf_token": token.group(1), "login": LOGIN, "password": PASSWORD, "came_from": "/"}
    status, headers, _body = request(
        port,
        "POST",
        "/login",
        {
            **PROXY_HEADERS,
            **cookie_header(),
            "Origin": origin,
            "Referer": origin + "/login",
            "Content-Type": "application/x-www-form-urlencoded",
        },
        urlencode(fields).encode(),
    )
    keep(headers)
    if status != 302:
        raise SystemExit(f"signing in as {LOGIN} answered {status}, not a redirect")
    return cookie_header()["Cookie"]


def goal_of(path: str) -> int:
    """The share of the ceiling a page should reach: 40 % for the pages that list rows, 25 % else."""
    return 40 if path in LIST_PAGES else 25


def compare(app_server: Gunicorn, ceiling: Gunicorn, args, pages: list[str]) -> None:
    seconds, warmup, connections = args.seconds, args.warmup, args.connections
    half = max(1, (seconds + 1) // 2)  # wrk takes whole seconds
    at_start = {pid: rss for pid, rss, _peak in app_server.rss()}
    cookie = sign_in(app_server.port)
    # Signing in checks an argon2 hash (64 MiB of memory by design) in one worker: that worker's peak.
    after_sign_in = {pid: peak for pid, _rss, peak in app_server.rss()}
    headers = {**PROXY_HEADERS, "Cookie": cookie}
    base = f"http://127.0.0.1:{app_server.port}"
    ceiling_url = f"http://127.0.0.1:{ceiling.port}/spaces"
    status, _h, body = request(ceiling.port, "GET", "/spaces")
    print(
        f"\nthe ceiling (bench/ceiling.py): {status}, {len(body) / 1024:.1f} KB, {body.count(b'<tr>') - 1} rows"
        f"\nwrk: {connections} connections, 2 threads; per page {half} s of the ceiling, {seconds} s of the"
        f" page, {half} s of the ceiling again ({warmup} s of each first, not counted); 127.0.0.1 only"
        "\ncpu ms: the processor time the workers and PostgreSQL spent per request, the page's then the"
        " ceiling's, and their ratio (steadier than the rate when the machine is shared)"
    )
    wrk(ceiling_url, warmup, connections, {})
    print(
        f"\n  {'page':<34} {'status':>6} {'KB':>6} {'req/s':>8} {'p50':>8} {'p99':>8}"
        f" {'ceiling':>8} {'ratio':>7} {'cpu ms':>6} {'ceil.':>6} {'ratio':>7} {'goal':>5}  errors"
    )
    ratios, cpu_ratios = [], []
    by_page: dict[str, list[tuple[float, float]]] = {path: [] for path in pages}
    for round_number in range(1, args.rounds + 1):
        if args.rounds > 1:
            print(f"  round {round_number} of {args.rounds}")
        for path in pages:
            status, _h, body = request(app_server.port, "GET", path, headers)
            if warmup:
                wrk(base + path, warmup, connections, headers)
            # The machine's speed drifts by half within a minute: the ceiling is measured half before
            # and half after the page, and the page is compared with their mean.
            database = database_pids()
            before = wrk(ceiling_url, half, connections, {}, ceiling.worker_pids() + database)
            page = wrk(base + path, seconds, connections, headers, app_server.worker_pids() + database)
            after = wrk(ceiling_url, half, connections, {}, ceiling.worker_pids() + database)
            top = {
                "rps": (before["rps"] + after["rps"]) / 2,
                "cpu_ms": (before["cpu_ms"] + after["cpu_ms"]) / 2,
            }
            ratio = page["rps"] / top["rps"] * 100 if top["rps"] else 0.0
            cpu_ratio = top["cpu_ms"] / page["cpu_ms"] * 100 if page["cpu_ms"] else 0.0
            ratios.append(ratio)
            cpu_ratios.append(cpu_ratio)
            by_page[path].append((ratio, cpu_ratio))
            errors = page["errors"] + page["timeouts"]
            print(
                f"  {path:<34} {status:>6} {len(body) / 1024:6.1f} {page['rps']:8.1f} {page['p50']:>8}"
                f" {page['p99']:>8} {top['rps']:8.1f} {ratio:6.1f}% {page['cpu_ms']:6.2f} {top['cpu_ms']:6.2f}"
                f" {cpu_ratio:6.1f}% {goal_of(path):>4}%  {errors}",
                flush=True,
            )
    if ratios:
        middle = len(ratios) // 2
        print(
            f"  {'(lowest, median ratio)':<34} {min(ratios):.1f} %, {sorted(ratios)[middle]:.1f} %;"
            f" by processor time {min(cpu_ratios):.1f} %, {sorted(cpu_ratios)[middle]:.1f} %"
        )
    if args.rounds > 1:
        # One run of a page can fall on a slow moment of the machine: the median of the rounds,
        # each measured at another time, is the figure to compare with the goal.
        print(
            f"\n  {'page, over ' + str(args.rounds) + ' rounds':<34} {'median':>7} {'range':>13} {'cpu median':>10}  goal"
        )
        for path, found in by_page.items():
            rates = sorted(r for r, _c in found)
            cpus = sorted(c for _r, c in found)
            median, cpu_median = statistics.median(rates), statistics.median(cpus)
            verdict = "met" if min(median, cpu_median) >= goal_of(path) else "NOT met"
            print(
                f"  {path:<34} {median:6.1f}% {rates[0]:5.1f}–{rates[-1]:5.1f} % {cpu_median:9.1f}%"
                f"  {goal_of(path)}% {verdict}"
            )
    print("\nworker RSS (MB) at start-up, peak after signing in, after the run and its peak (VmRSS, VmHWM):")
    print(
        f"  {'intranet':<10} "
        + "  ".join(
            f"pid {pid}: {at_start.get(pid, 0):.0f} at start, peak {after_sign_in.get(pid, 0):.0f} after sign-in"
            for pid in sorted(at_start)
        )
    )
    for server in (app_server, ceiling):
        print(
            f"  {server.name:<10} "
            + "  ".join(f"pid {pid}: {rss:.0f} after the run (peak {peak:.0f})" for pid, rss, peak in server.rss())
        )
    for server in (app_server, ceiling):
        errors = re.findall(r"^.*(?:Error|Exception|Traceback).*$", server.log_text(), re.M)
        if errors:
            print(f"  {server.name} log: {len(errors)} error lines, e.g. {errors[0][:160]}")


def counts(url: str) -> tuple[int, int, str]:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            spaces = conn.execute(text("SELECT count(*) FROM spaces")).scalar()
            logs = conn.execute(text("SELECT count(*) FROM duty_logs")).scalar()
            version = conn.execute(text("SHOW server_version")).scalar() if engine.dialect.name == "postgresql" else ""
    finally:
        engine.dispose()
    return spaces, logs, version


def run_gunicorn(url: str, folder: str, args, pages: list[str], case_keys: str) -> None:
    secret = secrets.token_urlsafe(48)
    spaces, logs, version = counts(url)
    servers = []
    try:
        app_server = Gunicorn(
            "intranet",
            ["--paste", str(ROOT / "production.ini")],
            {"DATABASE_URL": url, "INTRANET_SECRET": secret, "INTRANET_CASE_KEYS": case_keys},
            folder,
            "/login",
            args.workers,
        )
        servers.append(app_server)
        ceiling = Gunicorn(
            "ceiling", ["bench.ceiling:make_app()"], {"DATABASE_URL": url}, folder, "/spaces", args.workers
        )
        servers.append(ceiling)
        print(
            f"\nproduction.ini under gunicorn ({args.workers} sync workers) on http://127.0.0.1:{app_server.port},"
            f" the ceiling on :{ceiling.port}; PostgreSQL {version}, {spaces} units, {logs} duty logs; as {LOGIN}"
        )
        compare(app_server, ceiling, args, pages)
    finally:
        for server in servers:
            server.stop()


def local(url: str) -> str:
    from sqlalchemy.engine import make_url

    from intranet.config import normalise_database_url

    url = normalise_database_url(url)
    if make_url(url).host not in LOCAL_HOSTS:
        raise SystemExit("the database must be on 127.0.0.1")
    return url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spaces", type=int, default=200, help="units in all (the demo's and communes added)")
    parser.add_argument("--logs", type=int, default=25, help="duty logs added per commune")
    parser.add_argument(
        "--seconds", type=int, help="wrk seconds per page (default 10; 5 with gunicorn, twice: page and ceiling)"
    )
    parser.add_argument(
        "--rounds", type=int, default=1, help="gunicorn: measure every page this many times, and print the medians"
    )
    parser.add_argument("--warmup", type=int, default=1, help="gunicorn: seconds of wrk per page before measuring")
    parser.add_argument("--connections", "--threads", type=int, default=4, dest="connections")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers, of the intranet and of the ceiling")
    parser.add_argument("--database-url", help="an EMPTY database (default: SQLite); PostgreSQL: served with gunicorn")
    parser.add_argument(
        "--postgresql",
        nargs="?",
        const="cluster",
        metavar="SERVER_URL",
        help="a throwaway database on this PostgreSQL server on 127.0.0.1 (dropped afterwards); "
        "without a URL, a throwaway cluster of our own (initdb)",
    )
    parser.add_argument(
        "--waitress", action="store_true", help="on PostgreSQL too: waitress in this process, no ceiling"
    )
    parser.add_argument("--page", action="append", metavar="PATH", help="measure this path instead of PAGES (repeat)")
    parser.add_argument("--no-load", action="store_true", help="no server, no wrk: statements (and --profile) only")
    parser.add_argument(
        "--profile", action="append", metavar="PAGE", help="profile this page in-process ('all': every page)"
    )
    parser.add_argument("--profile-requests", type=int, default=30)
    parser.add_argument("--profile-top", type=int, default=40, help="functions shown per profile")
    args = parser.parse_args()
    pages = args.page or PAGES
    tmp = tempfile.mkdtemp(prefix="intranet-bench-")
    cluster = database = None
    try:
        if args.postgresql == "cluster":
            from bench.load import Cluster

            cluster = Cluster()
            url = cluster.url
        elif args.postgresql:
            from bench.load import ThrowawayDatabase

            database = ThrowawayDatabase(args.postgresql)
            url = database.url
        elif args.database_url:
            url = args.database_url
        else:
            url = f"sqlite:///{tmp}/bench.sqlite"
        postgresql = not url.startswith("sqlite")
        if postgresql:
            url = local(url)
        use_gunicorn = postgresql and not args.waitress
        if args.seconds is None:
            args.seconds = 5 if use_gunicorn else 10
        if use_gunicorn and not (BIN / "gunicorn").exists():
            raise SystemExit("gunicorn is not installed: pip install -e '.[production]'")
        started = time.time()
        from intranet.cases.keys import new_key_material

        # A throwaway database: its case keys go with it. The seed writes with them (a key file)
        # and production.ini reads them (INTRANET_CASE_KEYS).
        case_keys = new_key_material()
        keys_file = Path(tmp) / "case-keys"
        keys_file.write_text(case_keys + "\n", encoding="utf-8")
        keys_file.chmod(0o600)
        settings = build(url, args.spaces, args.logs, str(keys_file))
        print(f"data ready in {time.time() - started:.1f}s")
        from intranet import main as make_app

        app = make_app({}, **settings)
        count_statements(app, pages)
        if args.profile:
            profile(app, args.profile, args.profile_requests, args.profile_top, pages)
        # The in-process application lets its connections go before the servers start theirs.
        app.registry["dbengine"].dispose()
        if args.no_load:
            return
        if not shutil.which("wrk"):
            print("\nwrk is not installed (apt-get install wrk): skipping the load test")
            return
        if use_gunicorn:
            run_gunicorn(url, tmp, args, pages, case_keys)
        else:
            server, base = serve(app)
            try:
                load(base, args.seconds, args.connections, pages)
            finally:
                server.close()
    finally:
        if cluster:
            cluster.remove()
        if database:
            database.remove()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
