"""PDF benchmark: how long the largest documents take to render, and how many pages they have.

    python bench/plan_pdf.py [--activities 60] [--chars 500] [--section-chars 8000] [--unbroken] [--profile]
    python bench/plan_pdf.py --report [--communes 12] [--narrative-chars 8000]

Builds a throwaway SQLite database (or uses an EMPTY PostgreSQL database with --database-url),
migrates and seeds it, then:
- the commune plan: saves the plan of 2017 of Tân Cảnh through the real form with --activities
  activities whose description is --chars characters long (Vietnamese words; with --unbroken, one
  long word) and three parts of --section-chars characters, and times the print page and the PDF
  as the coordinator downloads them (the defaults are the largest plan the form accepts);
- --report: every unit (and --communes communes in all) gets an accepted report of the first
  half of 2017 with every figure and every narrative text --narrative-chars long, and the
  consolidated report's PDF is timed.
--profile prints where the PDF's time goes. Numbers are printed, never asserted.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import re
import shutil
import sys
import tempfile
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from intranet.plans.services import MAX_ACTIVITIES, MAX_SHORT, MAX_TEXT, MAX_TITLE  # noqa: E402

PLAN = "/spaces/tan-canh/plans/2017"
WORDS = (
    "tuyên truyền quyền trẻ em tại thôn làng phối hợp nhà trường đoàn thanh niên hội phụ nữ "
    "tổ chức sinh hoạt câu lạc bộ kỹ năng sống phòng chống xâm hại bạo lực đuối nước"
).split()


def text_of(length: int, unbroken: bool, seed: int = 0) -> str:
    """``length`` characters of Vietnamese words (or one word without a space)."""
    if unbroken:
        return ("Tuyêntruyền" * (length // 11 + 1))[:length]
    words, size, i = [], 0, seed
    while size < length:
        word = WORDS[i % len(WORDS)]
        words.append(word)
        size += len(word) + 1
        i += 7
    return " ".join(words)[:length].strip().ljust(length, "x")


def build(url: str):
    from intranet import main as make_app
    from intranet.cli import db_upgrade
    from intranet.config import resolve_settings
    from intranet.seed import run_seed

    settings = resolve_settings(
        {
            "sqlalchemy.url": url,
            "intranet.secret": "bench-" + "x" * 40,
            "intranet.environment": "bench",
            "intranet.plugins": "*",
            "pyramid.default_locale_name": "vi",
        }
    )
    print("migrating and seeding …", flush=True)
    db_upgrade(settings)
    with open(os.devnull, "w") as devnull:
        run_seed(settings, demo=True, out=devnull)
    return make_app({}, **settings)


def browser_for(app, login: str):
    import webtest

    browser = webtest.TestApp(app, extra_environ={"HTTP_HOST": "127.0.0.1"})
    form = browser.get("/login").forms[0]
    form["login"], form["password"] = login, "demo2017"
    form.submit(status=302)
    return browser


def csrf(page) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)


def save_plan(browser, activities: int, chars: int, short_chars: int, section_chars: int, unbroken: bool):
    """Save a draft with every field at the size asked; returns the response of the save."""
    page = browser.get("/spaces/tan-canh/plans")
    form = next(f for f in page.forms.values() if "year" in f.fields)
    form["year"] = "2017"
    form.submit()
    page = browser.get(PLAN)
    form = page.forms["plan-form"]
    data = {name: form[name].value for name in form.fields if name.startswith("t.")}
    data.update(
        {
            "csrf_token": csrf(page),
            "version": form["version"].value,
            "a.count": str(activities),
            "number": "12/KH-UBND",
            "action": "save",
        }
    )
    for n in range(1, activities + 1):
        data.update(
            {
                f"a.{n}.title": text_of(chars, unbroken, n),
                f"a.{n}.months": "3-5, 9",
                f"a.{n}.responsible": text_of(short_chars, unbroken, n + 1),
                f"a.{n}.budget": "1.500.000",
                f"a.{n}.source": text_of(short_chars, unbroken, n + 2),
                f"a.{n}.duty": "xa.truyen-thong-cau-lac-bo",
            }
        )
    for key in ("situation", "solutions", "organisation"):
        data[f"s.{key}"] = text_of(section_chars, unbroken, len(key))
    return browser.post(PLAN, data, expect_errors=True)


def fill_reports(app, communes: int, narrative_chars: int) -> int:
    """Accepted reports of 2017-6t for every unit, with every figure and every narrative."""
    import datetime as dt

    import transaction
    from sqlalchemy import select

    from intranet.host import get_registry
    from intranet.models import get_tm_session
    from intranet.reports.models import Period, Submission, SubmissionNarrative, SubmissionValue
    from intranet.spaces.models import Space

    forms = get_registry(app.registry)
    now = dt.datetime(2017, 6, 20)
    with transaction.manager:
        db = get_tm_session(app.registry["dbsession_factory"], transaction.manager)
        period = db.scalars(select(Period).where(Period.code == "2017-6t")).one()
        existing = len(db.scalars(select(Space.id).where(Space.kind == "xa")).all())
        for i in range(existing, communes):
            db.add(
                Space(
                    slug=f"xa-bench-{i}",
                    kind="xa",
                    category="commune",
                    title=f"UBND xã Thử {i}",
                    title_en=f"Bench commune {i}",
                    sort_order=100 + i,
                )
            )
        db.flush()
        # The demo's own reports of the period (some drafts) make way for complete, accepted ones.
        db.query(Submission).filter_by(period_id=period.id).delete()
        for space in db.scalars(select(Space)).all():
            for form in forms.forms_for(space.kind):
                values = [
                    SubmissionValue(element_code=e.code, option=o, value_num=(n * 7) % 60)
                    for n, (e, o) in enumerate((e, o) for e in form.elements() if e.numeric for o in e.cells())
                ]
                texts = [
                    SubmissionNarrative(key=nv.key, text=text_of(narrative_chars, False, n))
                    for n, nv in enumerate(form.narratives())
                ]
                db.add(
                    Submission(
                        form_key=form.key,
                        form_version=form.version,
                        space_id=space.id,
                        period_id=period.id,
                        state="accepted",
                        first_submitted_at=now,
                        submitted_at=now,
                        accepted_at=now,
                        unlocked=False,
                        version=1,
                        values=values,
                        narratives=texts,
                    )
                )
        db.flush()
        return db.query(Submission).filter_by(period_id=period.id, state="accepted").count()


def pages_of(body: bytes) -> int:
    """Page objects, also those packed into compressed object streams."""
    text = body
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", body, re.S):
        try:
            text += zlib.decompress(stream)
        except zlib.error:
            continue
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", text))


def timed(browser, url: str, profile: bool):
    """The response, and the wall-clock and CPU seconds it took (the CPU time is the steadier
    figure on a shared machine)."""
    profiler = cProfile.Profile() if profile else None
    started, cpu = time.perf_counter(), time.process_time()
    if profiler:
        profiler.enable()
    res = browser.get(url, expect_errors=True)
    if profiler:
        profiler.disable()
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    if profiler:
        pstats.Stats(profiler).sort_stats("tottime").print_stats(30)
    return res, seconds, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activities", type=int, default=MAX_ACTIVITIES)
    parser.add_argument("--chars", type=int, default=MAX_TITLE, help="characters of each activity's description")
    parser.add_argument(
        "--short-chars", type=int, default=MAX_SHORT, help="characters of who is responsible and of the source of funds"
    )
    parser.add_argument("--section-chars", type=int, default=MAX_TEXT, help="characters of each of the three parts")
    parser.add_argument("--report", action="store_true", help="time the consolidated report instead")
    parser.add_argument("--communes", type=int, default=0, help="with --report: communes in all (default: the demo's)")
    parser.add_argument("--narrative-chars", type=int, default=8000, help="with --report: each narrative's length")
    parser.add_argument("--unbroken", action="store_true", help="texts without a space (the worst case to wrap)")
    parser.add_argument("--profile", action="store_true", help="print the 30 costliest calls of the PDF")
    parser.add_argument("--database-url", help="PostgreSQL URL of an EMPTY database (default: SQLite)")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="intranet-bench-")
    try:
        app = build(args.database_url or f"sqlite:///{tmp}/bench.sqlite")
        if args.report:
            reports = fill_reports(app, args.communes, args.narrative_chars)
            print(f"{reports} accepted reports, narratives of {args.narrative_chars} characters")
            pdf, seconds, cpu = timed(
                browser_for(app, "dieuphoi"), "/district/reports/2017-6t/export.pdf", args.profile
            )
            print(
                f"consolidated PDF: {seconds:6.2f} s ({cpu:5.2f} s CPU)  {len(pdf.body) / 1024:8.1f} KB"
                f"  {pages_of(pdf.body)} pages  (status {pdf.status_int})"
            )
            return
        officer = browser_for(app, "tancanh")
        res = save_plan(officer, args.activities, args.chars, args.short_chars, args.section_chars, args.unbroken)
        saved = res.status_int == 302
        print(
            f"plan of {args.activities} activities × {args.chars} characters, parts of {args.section_chars}: "
            f"{'saved' if saved else f'refused ({res.status})'}"
        )
        if not saved:
            errors = re.findall(r'<p class="error" id="err-[^"]*">([^<]+)<', res.text)
            print("  " + "; ".join(sorted(set(errors))[:5]))
            return
        coordinator = browser_for(app, "dieuphoi")
        page, seconds, cpu = timed(coordinator, PLAN + "/revisions/1/print", False)
        print(
            f"print page: {seconds:6.2f} s ({cpu:5.2f} s CPU)  {len(page.body) / 1024:8.1f} KB"
            f"  (status {page.status_int})"
        )
        pdf, seconds, cpu = timed(coordinator, PLAN + "/revisions/1/export.pdf", args.profile)
        print(
            f"PDF:        {seconds:6.2f} s ({cpu:5.2f} s CPU)  {len(pdf.body) / 1024:8.1f} KB"
            f"  {pages_of(pdf.body)} pages  (status {pdf.status_int})"
        )
        app.registry["dbengine"].dispose()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
