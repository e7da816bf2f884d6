"""A hostile criteria file sent to the import page is answered with the importer's list of
problems, and nothing is stored (the bounds themselves: tests/unit/assessments/test_importer_bounds.py)."""

from __future__ import annotations

import pytest
import webtest
from sqlalchemy import func, select

from intranet.assessments.models import CriteriaSet as StoredSet
from tests.fixtures.criteria_files import laughs, nested_yaml, workbook


@pytest.mark.parametrize(
    "name,data,message",
    [
        ("muoi-nghin.xlsx", workbook(10_000, dimension="A1:XFD100000"), "The sheet has more than 1000 rows"),
        ("sau.yaml", nested_yaml(10_000), "more than 20 levels deep"),
        ("cuoi.yaml", laughs(9), "once its aliases are expanded"),
    ],
    ids=["dimension", "nested", "laughs"],
)
def test_the_import_page_lists_the_problem_and_stores_nothing(as_user, dbsession, name, data, message):
    before = dbsession.scalar(select(func.count()).select_from(StoredSet))
    browser = as_user("dieuphoi")
    browser.set_cookie("_LOCALE_", "en")
    page = browser.get("/district/criteria")
    form = next(f for f in page.forms.values() if f.action.endswith("/district/criteria/import"))
    form["file"] = webtest.Upload(name, data)
    res = form.submit(status=400)
    assert f"File {name}" in res.text and message in res.text
    assert dbsession.scalar(select(func.count()).select_from(StoredSet)) == before
