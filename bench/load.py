"""Load test: concurrent writers against a real server on 127.0.0.1, on SQLite and PostgreSQL.

    python bench/load.py --backend sqlite [--threads 40] [--loops 6] [--seconds 240]
    python bench/load.py --backend postgresql [--restart]
    python bench/load.py --backend postgresql --database-url postgresql://postgres@127.0.0.1:5432/postgres

Builds a throwaway database (migrated and seeded with the demo accounts, as the tests do): a
SQLite file, or on PostgreSQL a throwaway cluster of its own (initdb into a temporary folder, on
a free port; run as the postgres user when started as root) or, with --database-url, a
throwaway database on that server. Starts the application as a separate process on a free
127.0.0.1 port (waitress through pserve for SQLite; gunicorn with 4 workers for PostgreSQL when
installed, as production.ini suggests), then --threads browsers each sign in with a demo
account (password demo2017, the CSRF token taken from the page) and repeat --loops times: record
a duty log, save their unit's report (a stale save is a 409 conflict page, not an error), and
every third time sign out and in again. Afterwards it counts the rows in the database: every
acknowledged write must be there (0 lost), no answer may be a 5xx, and the server's log must not
say "database is locked". It prints the counts and the latency (p50/p95/p99) of reads and writes.

--restart (own cluster only): a second run during which PostgreSQL is restarted
(pg_ctl restart -m fast) a few seconds in. It prints what the browsers saw while the database was
away, shows that the same server process answers and writes again afterwards (the pool's
pre-ping replaces the dead connections), and that no submission or duty log is half-written.

Every loop is bounded in count and time; the script stops by itself, kills the servers it
started and removes its cluster and files. Only 127.0.0.1 is contacted. Nothing is asserted:
the figures are printed, and the exit status is 1 when a write was lost or half-written.
"""

from __future__ import annotations

import argparse
import glob
import http.client
import http.cookies
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent

PASSWORD = "demo2017"
#: The demo accounts that write (a commune's officer and head, four agencies' officers), with their unit.
WRITERS = [
    ("tancanh", "tan-canh"),
    ("chutich.tancanh", "tan-canh"),
    ("congan", "congan"),
    ("giaoduc", "giaoduc"),
    ("yte", "yte"),
    ("truyenhinh", "truyenthanh-truyenhinh"),
]
LOG_DATE = "05/06/2017"  # inside the demo plan's year
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
THROTTLED = "Đăng nhập sai quá nhiều lần"
REQUEST_TIMEOUT = 60


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def say(*parts) -> None:
    print(*parts, flush=True)


# --- the database -----------------------------------------------------------------------------------------


class Cluster:
    """A throwaway PostgreSQL cluster in a temporary folder, on a free port of 127.0.0.1."""

    def __init__(self):
        versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
        pg_ctl = versions[-1] if versions else shutil.which("pg_ctl")
        if not pg_ctl:
            raise SystemExit("pg_ctl not found: install postgresql, or pass --database-url")
        self.bin = Path(pg_ctl).parent
        self.folder = tempfile.mkdtemp(prefix="intranet-load-pg-")
        self.data = os.path.join(self.folder, "data")
        self.port = free_port()
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_postgres:
            shutil.chown(self.folder, "postgres", "postgres")
        self._run("initdb", "-D", self.data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale")
        self.start()

    def _run(self, tool, *args, timeout=120):
        return subprocess.run(
            self.as_postgres + [str(self.bin / tool), *args],
            check=True,
            timeout=timeout,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )

    def _options(self):
        return [
            "-o",
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1",
            "-l",
            os.path.join(self.folder, "server.log"),
        ]

    def start(self):
        self._run("pg_ctl", "-D", self.data, "-w", *self._options(), "start")

    def restart(self):
        self._run("pg_ctl", "-D", self.data, "-w", "-m", "fast", *self._options(), "restart")

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def remove(self):
        try:
            self._run("pg_ctl", "-D", self.data, "-w", "-m", "immediate", "stop", timeout=60)
        except (subprocess.SubprocessError, OSError):
            pass
        shutil.rmtree(self.folder, ignore_errors=True)


class ThrowawayDatabase:
    """A database of our own on an existing PostgreSQL server, dropped afterwards."""

    def __init__(self, server_url: str):
        from sqlalchemy import create_engine, text
        from sqlalchemy.engine import make_url

        from intranet.config import normalise_database_url

        url = make_url(normalise_database_url(server_url))
        if url.host not in ("127.0.0.1", "localhost", "::1"):
            raise SystemExit("--database-url must name a server on 127.0.0.1")
        self.name = f"intranet_load_{uuid.uuid4().hex[:8]}"
        self.admin = create_engine(url, isolation_level="AUTOCOMMIT")
        with self.admin.connect() as conn:
            conn.execute(text(f"CREATE DATABASE \"{self.name}\" TEMPLATE template0 ENCODING 'UTF8'"))
        self.url = url.set(database=self.name).render_as_string(hide_password=False)

    def remove(self):
        from sqlalchemy import text

        with self.admin.connect() as conn:
            conn.execute(
                text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"), {"n": self.name}
            )
            conn.execute(text(f'DROP DATABASE IF EXISTS "{self.name}"'))
        self.admin.dispose()


def prepare(url: str, secret: str) -> None:
    """Migrate and seed the demo data, as the tests' build_app does."""
    from intranet.cli import db_upgrade
    from intranet.config import resolve_settings
    from intranet.seed import run_seed

    settings = resolve_settings(
        {"sqlalchemy.url": url, "intranet.secret": secret, "intranet.environment": "bench", "intranet.plugins": "*"}
    )
    db_upgrade(settings)
    with open(os.devnull, "w") as devnull:
        run_seed(settings, demo=True, out=devnull)


# --- the server ---------------------------------------------------------------------------------------------

INI = """[app:main]
use = egg:dakto-intranet
sqlalchemy.url = {url}
sqlalchemy.pool_pre_ping = true
intranet.secret = {secret}
intranet.environment = bench
intranet.plugins = *
pyramid.default_locale_name = vi
pyramid.reload_templates = false
retry.attempts = 3
{extra}

[server:main]
use = egg:waitress#main
listen = 127.0.0.1:{port}
threads = {threads}

[loggers]
keys = root, intranet, waitress

[handlers]
keys = console

[formatters]
keys = generic

[logger_root]
level = WARN
handlers = console

[logger_intranet]
level = WARN
handlers =
qualname = intranet

[logger_waitress]
level = WARN
handlers =
qualname = waitress

[handler_console]
class = StreamHandler
args = (sys.stderr,)
level = NOTSET
formatter = generic

[formatter_generic]
format = %(asctime)s %(levelname)-5.5s [%(name)s] %(message)s
"""


class Server:
    """The application in a process of its own (its own process group, killed at the end)."""

    def __init__(
        self, folder: str, url: str, secret: str, *, gunicorn: bool, threads: int, workers: int, extra: dict[str, str]
    ):
        self.port = free_port()
        self.ini = os.path.join(folder, "load.ini")
        self.log_path = os.path.join(folder, "server.log")
        with open(self.ini, "w", encoding="utf-8") as f:
            f.write(
                INI.format(
                    url=url.replace("%", "%%"),
                    secret=secret,
                    port=self.port,
                    threads=threads,
                    extra="\n".join(f"{k} = {v}" for k, v in extra.items()),
                )
            )
        if gunicorn:
            command = [
                str(BIN / "gunicorn"),
                "--paste",
                self.ini,
                "-w",
                str(workers),
                "-b",
                f"127.0.0.1:{self.port}",
                "--timeout",
                "30",
            ]
            self.kind = f"gunicorn, {workers} workers"
        else:
            command = [str(BIN / "pserve"), self.ini]
            self.kind = f"waitress, {threads} threads"
        self.log = open(self.log_path, "w")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(
            command, stdout=self.log, stderr=subprocess.STDOUT, cwd=folder, start_new_session=True
        )
        self._wait_ready()

    def _wait_ready(self, seconds: float = 90):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"the server stopped at start-up:\n{self.log_text()[-3000:]}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/login")
                if conn.getresponse().status == 200:
                    conn.close()
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise SystemExit("the server did not answer within 90 s")

    def log_text(self) -> str:
        """What the server wrote since the last call of ``mark``."""
        self.log.flush()
        with open(self.log_path, encoding="utf-8", errors="replace") as f:
            return f.read()[getattr(self, "marked", 0) :]

    def mark(self) -> None:
        self.marked = 0
        self.marked = len(self.log_text())

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=15)
        self.log.close()


# --- a browser ------------------------------------------------------------------------------------------------


class Browser:
    """One user's browser: keeps its cookies and one keep-alive connection; every request is
    timed and recorded. A connection refused or cut counts as status 0."""

    def __init__(self, port: int, stats: Stats):
        self.port, self.stats = port, stats
        self.cookies: dict[str, str] = {}
        self.conn = None

    def request(self, method: str, path: str, fields: dict | None = None, *, kind: str):
        body = urlencode(fields).encode() if fields is not None else None
        headers = {"Host": f"127.0.0.1:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=REQUEST_TIMEOUT)
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            text = response.read().decode("utf-8", "replace")
            status = response.status
            self._keep(response.headers.get_all("Set-Cookie") or [])
            if response.will_close:
                self.conn.close()
                self.conn = None
        except (OSError, http.client.HTTPException) as exc:
            if self.conn is not None:
                self.conn.close()
            self.conn = None
            status, text = 0, repr(exc)
        self.stats.add(kind, method, status, time.perf_counter() - started, text)
        return status, text

    def _keep(self, headers):
        for header in headers:
            jar = http.cookies.SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    def token(self, path: str, *, kind="page") -> tuple[int, str, str | None]:
        status, text = self.request("GET", path, kind=kind)
        match = TOKEN.search(text)
        return status, text, match.group(1) if match else None

    def login(self, login: str) -> str:
        """'ok', 'throttled', 'refused' or 'error'."""
        status, _text, token = self.token("/login")
        if token is None:
            return "error"
        status, text = self.request(
            "POST",
            "/login",
            {"csrf_token": token, "login": login, "password": PASSWORD, "came_from": "/"},
            kind="login",
        )
        if status == 302:
            return "ok"
        if status == 200:
            return "throttled" if THROTTLED in text else "refused"
        return "error"

    def logout(self, token: str) -> None:
        self.request("POST", "/logout", {"csrf_token": token}, kind="logout")
        self.cookies.clear()

    def close(self):
        if self.conn is not None:
            self.conn.close()


class Stats:
    """Every request: its kind, method, status and time; what the writes acknowledged."""

    def __init__(self):
        self.lock = threading.Lock()
        self.requests: list[tuple[str, str, int, float, float]] = []
        self.locked_pages = 0
        self.acknowledged: Counter = Counter()  # login / duty_log / report_save -> 302s
        self.outcomes: Counter = Counter()
        self.log_tags: dict[str, int] = {}  # duty logs acknowledged -> the measures each carries
        self.sent_versions: dict[str, list[str]] = {}  # report URL -> the version each acknowledged save sent
        self.report_tags: dict[str, set[str]] = {}  # report URL -> tags of the saves acknowledged
        self.tried_tags: dict[str, set[str]] = {}  # report URL -> every tag sent
        self.wall = 0.0
        self.unfinished = 0

    def add(self, kind, method, status, seconds, text):
        with self.lock:
            self.requests.append((kind, method, status, seconds, time.monotonic()))
            if "database is locked" in text:
                self.locked_pages += 1

    def count(self, outcome: str, n: int = 1):
        with self.lock:
            self.outcomes[outcome] += n


# --- what each browser does --------------------------------------------------------------------------------------


def discover(port: int, stats: Stats) -> dict[str, dict]:
    """For each writing account: its unit, a duty it logs (with the measures the form asks for),
    and the report it edits (the first editable one listed on the unit's reports page)."""
    found = {}
    for login, slug in WRITERS:
        browser = Browser(port, stats)
        if browser.login(login) != "ok":
            raise SystemExit(f"the demo account {login} could not sign in before the run")
        _status, home = browser.request("GET", f"/spaces/{slug}", kind="page")
        duty = re.search(r'href="(/spaces/[^"/]+/logs/new\?duty=[^"]+)"', home)
        _status, page = browser.request("GET", duty.group(1).replace("&amp;", "&"), kind="page")
        measures = sorted(set(re.findall(r'name="(m_[^"]+)"', page)))
        _status, listing = browser.request("GET", f"/spaces/{slug}/reports", kind="page")
        report = None
        for href in dict.fromkeys(re.findall(rf'href="(/spaces/{re.escape(slug)}/reports/[^"/]+/[^"/]+)"', listing)):
            _status, form = browser.request("GET", href, kind="page")
            if 'name="version"' in form and 'value="save"' in form:
                report = (href, sorted(set(re.findall(r'<textarea name="(n\.[^"]+)"', form))))
                break
        found[login] = {
            "slug": slug,
            "duty_url": duty.group(1).replace("&amp;", "&"),
            "measures": measures,
            "report": report,
        }
        browser.close()
    return found


def writer(number: int, port: int, targets: dict, stats: Stats, loops: int, deadline: float, run: str) -> None:
    login, _slug = WRITERS[number % len(WRITERS)]
    target = targets[login]
    browser = Browser(port, stats)
    signed_in = _sign_in(browser, login, stats, deadline)
    for n in range(loops):
        if time.monotonic() > deadline or not signed_in:
            break
        tag = f"{run}-{number}-{n}"
        _log_duty(browser, target, tag, stats)
        if target["report"]:
            _save_report(browser, target["report"], tag, stats)
        if n % 3 == 2:
            _status, _page, token = browser.token("/")
            if token:
                browser.logout(token)
            signed_in = _sign_in(browser, login, stats, deadline)
    browser.close()


def _sign_in(browser, login, stats, deadline) -> bool:
    for _attempt in range(5):
        outcome = browser.login(login)
        stats.count(f"login {outcome}")
        if outcome == "ok":
            with stats.lock:
                stats.acknowledged["login"] += 1
            return True
        if time.monotonic() > deadline:
            break
        time.sleep(1)
    return False


def _log_duty(browser, target, tag, stats) -> None:
    status, _page, token = browser.token(target["duty_url"])
    if token is None:
        stats.count(f"duty log form {status}")
        return
    fields = {"csrf_token": token, "log_date": LOG_DATE, "progress": "in_progress", "description": f"load {tag}"}
    fields.update({name: "3" for name in target["measures"]})
    status, _text = browser.request("POST", target["duty_url"], fields, kind="duty_log")
    stats.count(f"duty log {status}")
    if status == 302:
        with stats.lock:
            stats.acknowledged["duty_log"] += 1
            stats.log_tags[f"load {tag}"] = len(target["measures"])


def _save_report(browser, report, tag, stats) -> None:
    url, narratives = report
    status, page, token = browser.token(url)
    version = re.search(r'name="version" value="([^"]*)"', page)
    if token is None or version is None:
        stats.count(f"report form {status}")
        return
    fields = {"csrf_token": token, "version": version.group(1), "action": "save"}
    fields.update({name: f"load {tag}" for name in narratives})
    with stats.lock:
        stats.tried_tags.setdefault(url, set()).add(f"load {tag}")
    status, _text = browser.request("POST", url, fields, kind="report_save")
    stats.count(f"report save {status}")
    if status == 302:
        with stats.lock:
            stats.acknowledged["report_save"] += 1
            stats.report_tags.setdefault(url, set()).add(f"load {tag}")
            stats.sent_versions.setdefault(url, []).append(version.group(1))


def run_load(port, targets, threads, loops, seconds, run, during=None) -> Stats:
    """``threads`` browsers at once; ``during(stats)`` runs alongside (the restart)."""
    stats = Stats()
    deadline = time.monotonic() + seconds
    workers = [
        threading.Thread(target=writer, args=(i, port, targets, stats, loops, deadline, run), daemon=True)
        for i in range(threads)
    ]
    started = time.monotonic()
    for w in workers:
        w.start()
    side = None
    if during:
        side = threading.Thread(target=during, args=(stats,), daemon=True)
        side.start()
    for w in workers:
        w.join(timeout=max(1.0, deadline - time.monotonic() + REQUEST_TIMEOUT + 5))
    if side:
        side.join(timeout=120)
    stats.wall = time.monotonic() - started
    stats.unfinished = sum(w.is_alive() for w in workers)
    return stats


# --- counting in the database ---------------------------------------------------------------------------------------


def database_counts(url: str, stats: Stats, started_at, run: str) -> dict:
    """What the database holds of the run: lost writes, half-written ones."""
    from sqlalchemy import create_engine, func, select

    from intranet.audit.models import AuditEntry
    from intranet.duties.models import DutyLog, DutyLogValue
    from intranet.reports.models import Period, Submission, SubmissionEvent, SubmissionNarrative
    from intranet.spaces.models import Space

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            logs = dict(
                conn.execute(
                    select(DutyLog.description, func.count(DutyLogValue.id))
                    .outerjoin(DutyLogValue, DutyLogValue.log_id == DutyLog.id)
                    .where(DutyLog.description.like(f"load {run}-%"))
                    .group_by(DutyLog.id, DutyLog.description)
                ).all()
            )
            saves = conn.execute(
                select(func.count())
                .select_from(SubmissionEvent)
                .where(SubmissionEvent.action == "save", SubmissionEvent.at >= started_at)
            ).scalar()
            logins = conn.execute(
                select(func.count())
                .select_from(AuditEntry)
                .where(AuditEntry.action == "login", AuditEntry.at >= started_at)
            ).scalar()
            # Every save writes the same tag into each narrative text: two tags in one report
            # would be the remains of two saves mixed, one of them written only in part.
            half_reports = []
            for url_path in stats.tried_tags:
                _empty, _spaces, slug, _reports, form_key, period = url_path.split("/")
                texts = (
                    conn.execute(
                        select(SubmissionNarrative.text)
                        .join(Submission, Submission.id == SubmissionNarrative.submission_id)
                        .join(Space, Space.id == Submission.space_id)
                        .join(Period, Period.id == Submission.period_id)
                        .where(Space.slug == slug, Submission.form_key == form_key, Period.code == period)
                    )
                    .scalars()
                    .all()
                )
                if len({t for t in texts if t.startswith("load ")}) > 1:
                    half_reports.append(url_path)
    finally:
        engine.dispose()
    return {
        "duty logs in the database": len(logs),
        "duty logs lost": len(set(stats.log_tags) - set(logs)),
        "duty logs half-written (values missing)": sum(
            1 for tag, n in logs.items() if tag in stats.log_tags and n != stats.log_tags[tag]
        ),
        "report saves in the history": saves,
        "report saves lost": max(0, stats.acknowledged["report_save"] - saves),
        # Two saves acknowledged from the same version: the second overwrote the first unseen.
        "report saves lost to a concurrent save": sum(len(v) - len(set(v)) for v in stats.sent_versions.values()),
        "reports half-written (texts of two saves)": len(half_reports),
        "sign-ins in the audit trail": logins,
        "sign-ins lost": max(0, stats.acknowledged["login"] - logins),
    }


# --- printing ------------------------------------------------------------------------------------------------------


def percentiles(values: list[float]) -> str:
    if not values:
        return "—"
    values = sorted(values)
    if len(values) == 1:
        return f"p50 {values[0] * 1000:.0f} ms"
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return (
        f"p50 {cuts[49] * 1000:6.0f} ms  p95 {cuts[94] * 1000:6.0f} ms  p99 {cuts[98] * 1000:6.0f} ms"
        f"  max {values[-1] * 1000:6.0f} ms"
    )


def report(title: str, stats: Stats, counts: dict, server: Server, window=None) -> bool:
    statuses = Counter(s for _k, _m, s, _t, _at in stats.requests)
    server_errors = sum(n for s, n in statuses.items() if s >= 500 or s == 0)
    log = server.log_text()
    locked_in_log = log.count("database is locked")
    say(f"\n== {title} ({server.kind}) ==")
    say(
        f"requests: {len(stats.requests)} in {stats.wall:.1f} s "
        f"({len(stats.requests) / max(stats.wall, 0.001):.1f}/s); statuses: "
        + ", ".join(f"{s or 'no answer'}: {n}" for s, n in sorted(statuses.items()))
    )
    say("outcomes: " + ", ".join(f"{k}: {v}" for k, v in sorted(stats.outcomes.items())))
    say(
        f"5xx or no answer: {server_errors}; 'database is locked': {stats.locked_pages} in pages, "
        f"{locked_in_log} in the server's log; browsers still running at the deadline: {stats.unfinished}"
    )
    if stats.outcomes["login throttled"]:
        say(
            f"sign-ins refused by the throttle although every password was right: {stats.outcomes['login throttled']}"
            " (rerun with --login-max-failures 1000 to load the writes)"
        )
    errors = Counter(re.findall(r"^(\w+(?:\.\w+)*(?:Error|Exception)): (.{0,80})", log, re.M))
    for (kind, message), n in errors.most_common(4):
        say(f"server log: {n} × {kind}: {message}")
    for label, kinds, methods in (
        ("reads (GET)", None, {"GET"}),
        ("writes (POST)", None, {"POST"}),
        ("  sign-in", {"login"}, None),
        ("  duty log", {"duty_log"}, None),
        ("  report save", {"report_save"}, None),
    ):
        times = [
            t
            for k, m, _s, t, _at in stats.requests
            if (kinds is None or k in kinds) and (methods is None or m in methods)
        ]
        say(f"latency {label:<15} n={len(times):<5} {percentiles(times)}")
    if window:
        begun, ended = window
        inside = Counter(s for _k, _m, s, _t, at in stats.requests if begun <= at <= ended + 1)
        after = Counter(s for _k, _m, s, _t, at in stats.requests if at > ended + 1)
        say(
            f"PostgreSQL was restarting for {ended - begun:.1f} s; answers then: "
            + ", ".join(f"{s or 'no answer'}: {n}" for s, n in sorted(inside.items()))
        )
        say("answers after it was back: " + ", ".join(f"{s or 'no answer'}: {n}" for s, n in sorted(after.items())))
    for key, value in counts.items():
        say(f"{key}: {value}")
    say(f"acknowledged: {dict(stats.acknowledged)}")
    return not any(v for k, v in counts.items() if "lost" in k or "half" in k)


# --- main -------------------------------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument(
        "--database-url",
        help="PostgreSQL: a server on 127.0.0.1 to make a throwaway database on, instead of a cluster of our own",
    )
    parser.add_argument("--threads", type=int, default=40)
    parser.add_argument("--loops", type=int, default=6, help="rounds of writes per browser")
    parser.add_argument("--seconds", type=int, default=240, help="hard limit of each run")
    parser.add_argument("--server-threads", type=int, default=8, help="waitress threads")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (PostgreSQL)")
    parser.add_argument("--waitress", action="store_true", help="waitress on PostgreSQL too")
    parser.add_argument("--restart", action="store_true", help="PostgreSQL: then a run during which it restarts")
    parser.add_argument("--restart-after", type=float, default=4.0, help="seconds into that run")
    parser.add_argument(
        "--login-max-failures", help="intranet.login_max_failures for the server (default: the application's)"
    )
    args = parser.parse_args()
    if args.restart and (args.backend != "postgresql" or args.database_url):
        parser.error("--restart needs --backend postgresql with a cluster of our own (no --database-url)")

    folder = tempfile.mkdtemp(prefix="intranet-load-")
    secret = "load-" + uuid.uuid4().hex * 2
    cluster = database = server = None
    ok = True
    try:
        if args.backend == "sqlite":
            url = f"sqlite:///{folder}/load.sqlite"
        elif args.database_url:
            database = ThrowawayDatabase(args.database_url)
            url = database.url
        else:
            cluster = Cluster()
            url = cluster.url
            say(f"PostgreSQL cluster of our own on 127.0.0.1:{cluster.port} ({cluster.folder})")
        say(f"migrating and seeding a throwaway {args.backend} database …")
        prepare(url, secret)
        extra = {}
        if args.login_max_failures:
            extra["intranet.login_max_failures"] = args.login_max_failures
        gunicorn = args.backend == "postgresql" and not args.waitress and (BIN / "gunicorn").exists()
        server = Server(
            folder, url, secret, gunicorn=gunicorn, threads=args.server_threads, workers=args.workers, extra=extra
        )
        say(
            f"server: {server.kind} on http://127.0.0.1:{server.port}; {args.threads} browsers × {args.loops} "
            f"rounds (a duty log, a report save; sign out and in every third)"
        )
        targets = discover(server.port, Stats())
        for login, t in targets.items():
            say(
                f"  {login:<16} {t['duty_url']}  measures {len(t['measures'])}  report "
                f"{t['report'][0] if t['report'] else '—'}"
            )

        from intranet.models.meta import utcnow

        started_at = utcnow()
        server.mark()
        stats = run_load(server.port, targets, args.threads, args.loops, args.seconds, "a")
        ok &= report(
            f"{args.threads} concurrent writers on {args.backend}",
            stats,
            database_counts(url, stats, started_at, "a"),
            server,
        )

        if args.restart:
            window: list[float] = []

            def restart(_stats):
                time.sleep(args.restart_after)
                window.append(time.monotonic())
                cluster.restart()
                window.append(time.monotonic())

            started_at = utcnow()
            server.mark()
            stats = run_load(server.port, targets, args.threads, args.loops, args.seconds, "b", during=restart)
            probe = Browser(server.port, Stats())
            answers = probe.login("tancanh")
            _status, _page, token = probe.token(targets["tancanh"]["duty_url"])
            status, _text = probe.request(
                "POST",
                targets["tancanh"]["duty_url"],
                {
                    "csrf_token": token or "",
                    "log_date": LOG_DATE,
                    "progress": "done",
                    "description": "load b-after-restart",
                    **{m: "1" for m in targets["tancanh"]["measures"]},
                },
                kind="duty_log",
            )
            if status == 302:
                stats.log_tags["load b-after-restart"] = len(targets["tancanh"]["measures"])
            ok &= report(
                "the same writers while PostgreSQL restarts",
                stats,
                database_counts(url, stats, started_at, "b"),
                server,
                window=tuple(window) if window else None,
            )
            say(
                f"after the restart, the same server process (pid {server.process.pid}, "
                f"{'still running' if server.process.poll() is None else 'stopped'}): sign-in {answers}, "
                f"a new duty log answered {status}"
            )
    finally:
        if server:
            server.stop()
        if cluster:
            cluster.remove()
        if database:
            database.remove()
        shutil.rmtree(folder, ignore_errors=True)
    say("\nno write lost or half-written" if ok else "\nWRITES LOST OR HALF-WRITTEN (see above)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
