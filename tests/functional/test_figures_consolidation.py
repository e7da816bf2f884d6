"""The consolidated report does not mislead: a commune without an accepted report is marked as
such (not a blank column), a score is not summed across communes, and a data element that
communes and agencies both report has a district-wide row — added only where that counts no
one twice. The tables stay readable on a phone: the wide ones scroll in a labelled region."""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import subprocess
from decimal import Decimal

import pytest

from intranet.plugin import DataElement, ReportForm, Section
from intranet.plugin.elements import SEX, SO_BUOI_TRUYEN_THONG, TRE_EM_VI_PHAM_PHAP_LUAT
from intranet.reports import services
from tests.fixtures.database import count_statements
from tests.fixtures.factories import get_space

SCORE = "xa_so_chi_tieu_phu_hop_dat"
UNREPORTED = {"tan-canh", "van-lem", "kon-dao"}  # a draft, nothing, returned


@pytest.fixture
def half_year(app, dbsession):
    period = services.period_by_code(dbsession, "2017-6t")
    return services.consolidation(dbsession, app.registry, period)


def tables(html: str) -> list[str]:
    return re.findall(r'<table class="grid consolidated">(.*?)</table>', html, re.S)


def test_communes_without_an_accepted_report_are_marked_not_left_blank(half_year, as_user):
    xa = next(f for f in half_year.commune_forms if f.key == "xa.bao-cao")
    assert {s.slug for s in half_year.unreported(xa)} == UNREPORTED
    page = as_user("dieuphoi").get("/district/reports/2017-6t?_LOCALE_=en")
    found = tables(page.text)
    assert len(found) == len([s for s in xa.sections if any(e.numeric for e in s.elements)])
    for table in found:
        body = table.split("<tbody>", 1)[1]
        rows = body.count("<tr")
        marks = re.findall(r'<td class="none" rowspan="(\d+)">No accepted report yet</td>', body)
        assert marks == [str(rows)] * 3  # one cell down each unreported commune's whole column
        head = table.split("</thead>", 1)[0]
        columns = len(re.findall(r"<th[\s>]", head))
        assert columns == 2 + 9  # the label, the total, the nine communes
        for row in body.split("<tr")[2:]:  # every row but the first holds one cell per reported column
            assert len(re.findall(r"<t[hd][\s>]", row)) == columns - 3
    assert "No accepted report yet: " in page.text.split("<table", 1)[0].split("<h2>", 1)[1]


def test_a_score_out_of_15_is_not_summed_across_communes(app, half_year, as_user):
    element = half_year.forms["xa.bao-cao"].element(SCORE)
    assert not element.additive and not element.summable
    assert not any(code == SCORE for code, _o, _c in half_year.by_category)
    assert any(code == SCORE for code, _o, _s in half_year.by_space)  # each commune's own score stays
    assert services.non_summable_codes(half_year.forms.values()) == {SCORE}
    page = as_user("dieuphoi").get("/district/reports/2017-6t?_LOCALE_=en")
    row = next(r for r in page.text.split("<tr") if "Child-friendly commune criteria met" in r)
    assert '<td class="not-added">not added</td>' in row
    scores = [int(v) for v in re.findall(r"<td>(\d+)</td>", row)]
    assert len(scores) == 6 and all(0 <= v <= 15 for v in scores)  # the six accepted communes


def test_shared_elements_have_a_district_wide_row(half_year, as_user):
    communes = {s.id for s in half_year.communes}
    rows = {(r.element.code, r.option): r for r in half_year.shared}
    assert ("so_buoi_truyen_thong", "") in rows and ("kinh_phi_van_dong", "") in rows
    assert not any(code.startswith("xa_") for code, _o in rows)  # the communes' own elements are not shared
    for (code, option), row in rows.items():
        by_side = {True: Decimal(0), False: Decimal(0)}
        for (c, o, space_id), value in half_year.by_space.items():
            if (c, o) == (code, option):
                by_side[space_id in communes] += value
        assert (row.communes or 0) == by_side[True], code
        assert (row.agencies or 0) == by_side[False], code
        if row.added:
            assert row.total == by_side[True] + by_side[False], code
        else:
            assert row.total is None
    sessions = rows[("so_buoi_truyen_thong", "")]
    assert sessions.added and sessions.communes and sessions.agencies
    page = as_user("dieuphoi").get("/district/reports/2017-6t?_LOCALE_=en")
    shared = page.text.split('id="shared"', 1)[1].split("</table>", 1)[0]
    assert "District total" in shared
    assert f"<strong>{int(sessions.total)}</strong>" in shared.replace(",", "")


def test_overlapping_and_non_additive_shared_elements_are_not_added():
    overlapping = dataclasses.replace(TRE_EM_VI_PHAM_PHAP_LUAT, overlapping=True)
    score = DataElement("diem", "Điểm", "Score", additive=False)
    rate = DataElement("ty_le", "Tỷ lệ", "Rate", value_type="percentage")
    forms = [
        ReportForm(
            key=f"{kind}.bao-cao",
            title=kind,
            title_en=kind,
            space_kind=kind,
            sections=(Section("s", "S", "S", elements=(overlapping, SO_BUOI_TRUYEN_THONG, score, rate)),),
        )
        for kind in ("xa", "congan")
    ]
    by_category = {
        (code, option, cat): Decimal(n)
        for code, options in ((overlapping.code, ("nam", "nu")), (SO_BUOI_TRUYEN_THONG.code, ("",)))
        for option in options
        for cat, n in (("commune", 4), ("agency", 3))
    }
    rows = {(r.element.code, r.option): r for r in services.shared_totals(forms, by_category)}
    assert [o.code for o in SEX.options] == ["nam", "nu"]
    for option in ("nam", "nu"):  # the police count the communes' children again: no sum
        row = rows[(overlapping.code, option)]
        assert (row.communes, row.agencies, row.total, row.added) == (4, 3, None, False)
    assert rows[(SO_BUOI_TRUYEN_THONG.code, "")].total == 7
    assert not rows[("diem", "")].added and not rows[("ty_le", "")].added
    assert services.non_summable_codes(forms) == {"diem", "ty_le"}


def test_wide_tables_scroll_in_a_keyboard_reachable_labelled_region(as_user):
    page = as_user("dieuphoi").get("/district/reports/2017-6t")
    regions = re.findall(r'<div class="scroll"([^>]*)>\s*<table', page.text)
    assert len(regions) == len(tables(page.text)) + 1  # the commune tables and the shared one
    for attrs in regions:
        assert 'role="region"' in attrs and 'tabindex="0"' in attrs
        assert re.search(r'aria-label="[^"]+"', attrs)
    assert "style=" not in page.text and "<script" not in page.text
    assert len(page.body) <= 60 * 1024


def test_the_figures_table_states_a_divided_elements_label_once(as_user):
    page = as_user("dieuphoi").get("/district/reports/2017-6t?_LOCALE_=en")
    table = tables(page.text)[0]
    label = "Children in special circumstances by group (a child may be in several groups)"
    assert table.count(f'<th scope="row">{label}</th>') == 1  # the group's heading row
    # each option's row header still names the element for a screen reader
    assert table.count(f'<span class="vh">{label} — </span>') == 14


def test_district_pages_issue_the_same_statements_with_more_reports(app, dbsession, as_user):
    browser = as_user("dieuphoi")
    urls = [
        "/district/reports",
        "/district/reports/2017-6t/completeness",
        "/district/reports/2017-6t",
        "/district/indicators/2017-6t",
    ]

    def counts():
        result = {}
        for url in urls:
            dbsession.expire_all()
            with count_statements(app.registry["dbengine"]) as statements:
                browser.get(url)
            result[url] = len(statements)
        return result

    browser.get("/")  # the first request after logging in does some once-only work
    before = counts()
    period = services.period_by_code(dbsession, "2017-6t")
    for slug in ("van-lem", "yte"):
        space = get_space(dbsession, slug)
        form = services.forms_for(app.registry, space.kind)[0]
        sub = services.load_submission(dbsession, form.key, space.id, period.id) or services.create_submission(
            dbsession, form, space.id, period.id
        )
        services.store_entry(
            sub, form, services.Entry(values={(form.elements()[0].code, form.elements()[0].cells()[0]): Decimal(3)})
        )
    dbsession.flush()
    assert counts() == before


def pdf_text(body: bytes, tmp_path) -> str:
    if shutil.which("pdftotext") is None:
        if os.environ.get("CI"):
            pytest.fail("pdftotext is missing: apt-get install poppler-utils")
        pytest.skip("pdftotext is missing")
    path = tmp_path / "consolidated.pdf"
    path.write_bytes(body)
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True)
    return re.sub(r"\s+", " ", out.stdout.decode("utf-8"))


def test_the_pdf_marks_unreported_communes_and_adds_no_scores(as_user, tmp_path):
    body = as_user("dieuphoi").get("/district/reports/2017-6t/export.pdf?_LOCALE_=en").body
    text = pdf_text(body, tmp_path)
    assert "No accepted report yet: " in text
    assert text.count("No accepted report yet") >= 1 + 3  # the note, and the unreported columns
    assert "not added" in text
    assert "District-wide totals of shared data elements" in text
    assert "Not enough data" in text and " Met " not in text  # the half-year judges nothing
