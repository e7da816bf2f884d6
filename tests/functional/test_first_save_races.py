"""The first save of a document, made by several people at the same moment (committed data, real
threads, the real transaction machinery).

A row that does not exist yet cannot be locked: on PostgreSQL every writer inserts it, and all
but one hit its unique key. The loser's request is tried again (pyramid_retry) and, finding the
winner's row, answers what a stale form gets: the 409 conflict page (reports, assessments), or the
"already exists" notice (a commune's plan of a year). The same file uploaded twice at once is
stored once and used by both. On SQLite writers queue on the database lock, so the second one
sees the first one's row from the start; the answers are the same.

Nothing here depends on timing: whichever thread wins, the others must get a normal answer.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import threading

import pytest
import webtest
from sqlalchemy import func, select

from tests.fixtures.browser import signed_in
from tests.fixtures.database import running_app

THREADS = 10
PERIOD = "2018-6t"
REPORT = f"/spaces/tan-canh/reports/xa.bao-cao/{PERIOD}"
ASSESSMENT = "/spaces/tan-canh/assessments/2020"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(scope="module")
def live_app(tmp_path_factory):
    with running_app(tmp_path_factory, "intranet_race", **{"intranet.login_max_failures": "1000"}) as application:
        add_open_period(application)
        yield application


def add_open_period(app):
    """A half-year whose reports nobody has filed yet, open until 2099."""
    from intranet.reports.models import Period
    from intranet.reports.services import period_by_code

    with app.registry["dbsession_factory"]() as session, session.begin():
        session.add(
            Period(
                plan_id=period_by_code(session, "2017-6t").plan_id,
                code=PERIOD,
                kind="half_year",
                year=2018,
                title="6 tháng đầu năm 2018",
                title_en="H1 2018",
                start_date=dt.date(2018, 1, 1),
                end_date=dt.date(2018, 6, 30),
                due_date=dt.date(2018, 6, 5),
                lock_date=dt.date(2099, 7, 5),
            )
        )


def count(app, query) -> int:
    with app.registry["dbsession_factory"]() as session:
        return session.scalar(query)


def browsers(app, n=THREADS):
    """Officer and chairman of tan-canh, in turns: both may write there."""
    return [signed_in(app, "tancanh" if i % 2 == 0 else "chutich.tancanh") for i in range(n)]


def csrf(page) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)


def form_fields(page, marker: str) -> dict:
    """The text fields of the page's form that has field ``marker`` (no file chosen)."""
    form = next(f for f in page.forms.values() if marker in f.fields)
    return {name: value for name, value in form.submit_fields() if isinstance(value, str)}


def all_at_once(requests) -> list:
    """Run the callables at the same moment, one thread each; their responses, in order."""
    start = threading.Barrier(len(requests))
    results: list = [None] * len(requests)

    def run(i):
        try:
            start.wait()
            results[i] = requests[i]()
        except BaseException as exc:  # reported by the assertions below
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(requests))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    return results


def statuses(results) -> list:
    return sorted((r.status_int if hasattr(r, "status_int") else repr(r) for r in results), key=str)


def test_ten_first_saves_of_one_report(live_app):
    from intranet.reports.models import Submission

    people = browsers(live_app)
    posts = []
    for i, browser in enumerate(people):
        fields = form_fields(browser.get(REPORT), "version")
        assert fields["version"] == "0"  # nobody has saved it yet
        fields.update({"action": "save", "v.tre_em_hcdb.nam": str(40 + i)})
        posts.append(lambda b=browser, f=fields: b.post(REPORT, f, expect_errors=True))

    results = all_at_once(posts)
    assert statuses(results) == [302] + [409] * (THREADS - 1)
    for i, res in enumerate(results):
        if res.status_int == 409:  # the usual conflict page, keeping what this person typed
            assert "Người khác đã lưu báo cáo này" in res.text and f'value="{40 + i}"' in res.text
    assert (
        count(
            live_app,
            select(func.count())
            .select_from(Submission)
            .join(Submission.period)
            .where(Submission.form_key == "xa.bao-cao")
            .where(Submission.period.has(code=PERIOD)),
        )
        == 1
    )


def test_ten_first_saves_of_one_commune_plan(live_app):
    from intranet.plans.models import CommunePlan
    from intranet.spaces.models import Space

    people = browsers(live_app)
    posts = []
    for browser in people:
        fields = {"csrf_token": csrf(browser.get("/spaces/tan-canh/plans")), "year": "2017"}
        posts.append(lambda b=browser, f=fields: b.post("/spaces/tan-canh/plans", f, expect_errors=True))
    results = all_at_once(posts)
    assert statuses(results) == [302] * THREADS
    assert {r.location for r in results} == {"http://example.com/spaces/tan-canh/plans/2017"}
    assert (
        count(
            live_app,
            select(func.count())
            .select_from(CommunePlan)
            .join(Space, Space.id == CommunePlan.space_id)
            .where(Space.slug == "tan-canh", CommunePlan.year == 2017),
        )
        == 1
    )
    # The others are told that the plan exists: the normal answer to a second "create".
    told = [b.get(r.location).text for b, r in zip(people, results, strict=True)]
    assert sum("đã có kế hoạch" in text for text in told) == THREADS - 1


def test_ten_first_saves_of_one_assessment(live_app):
    from intranet.assessments.models import Assessment
    from intranet.spaces.models import Space

    people = browsers(live_app)
    posts = []
    for browser in people:
        fields = form_fields(browser.get(ASSESSMENT), "version")
        assert fields["version"] == "0"
        fields["action"] = "save"
        posts.append(lambda b=browser, f=fields: b.post(ASSESSMENT, f, expect_errors=True))
    results = all_at_once(posts)
    assert statuses(results) == [302] + [409] * (THREADS - 1)
    assert all("Người khác đã lưu bản đánh giá này" in r.text for r in results if r.status_int == 409)
    assert (
        count(
            live_app,
            select(func.count())
            .select_from(Assessment)
            .join(Space, Space.id == Assessment.space_id)
            .where(Space.slug == "tan-canh", Assessment.year == 2020),
        )
        == 1
    )


def post_log_with_file(browser, data: bytes, description: str):
    """A duty log with one evidence file, sent as a browser sends it (multipart, streamed body)."""
    url = "/spaces/tan-canh/logs/new?duty=xa.bao-cao-dinh-ky"
    fields = {
        "csrf_token": csrf(browser.get(url)),
        "log_date": "05/06/2017",
        "progress": "done",
        "description": description,
    }
    boundary = "race-boundary"
    body = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode() for k, v in fields.items()
    )
    body += (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="evidence"; filename="bien-ban.pdf"\r\n'
            f"Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    request = webtest.TestRequest.blank(
        url, method="POST", body=body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    del request.environ["webob.is_body_seekable"]
    request.environ["HTTP_HOST"] = "example.com"
    return lambda: browser.do_request(request, expect_errors=True)


def test_the_same_file_uploaded_twice_at_once_is_stored_once(live_app):
    from intranet.documents.models import Blob
    from intranet.duties.models import DutyLog, Evidence

    data = PDF + b"race %d" % threading.get_ident()
    people = browsers(live_app, 2)
    results = all_at_once([post_log_with_file(b, data, f"upload race {i}") for i, b in enumerate(people)])
    assert statuses(results) == [302, 302]
    digest = hashlib.sha256(data).hexdigest()
    assert count(live_app, select(func.count()).select_from(Blob).where(Blob.sha256 == digest)) == 1
    assert (
        count(
            live_app,
            select(func.count())
            .select_from(Evidence)
            .join(DutyLog, DutyLog.id == Evidence.log_id)
            .where(DutyLog.description.like("upload race %"), Evidence.blob_sha256 == digest),
        )
        == 2
    )
