"""The catalogues at work on the pages: English on request (and kept by the language switch's
cookie), Vietnamese otherwise, numbers grouped as each language writes them."""

from __future__ import annotations

from tests.fixtures.factories import get_space, get_user


def test_english_page_and_language_switch(testapp):
    res = testapp.get("/login?_LOCALE_=en")
    assert '<html lang="en">' in res.text and "Log in" in res.text
    res = testapp.get("/login")
    assert '<html lang="vi">' in res.text and "Đăng nhập" in res.text
    res = testapp.get("/locale/en?next=/login", status=302)
    assert res.location.endswith("/login")
    assert '<html lang="en">' in testapp.get("/login").text  # the cookie keeps the choice
    testapp.get("/locale/vi?next=https://evil.example/", status=302)
    assert '<html lang="vi">' in testapp.get("/login").text


def test_numbers_use_vietnamese_grouping(as_user, factory, dbsession):
    space = get_space(dbsession, "tan-canh")
    factory.log(space, get_user(dbsession, "tancanh"), "xa.bao-cao-dinh-ky", values={"x": 1210})
    browser = as_user("tancanh")
    assert "1.210" in browser.get("/spaces/tan-canh").text
    assert "1,210" in browser.get("/spaces/tan-canh?_LOCALE_=en").text
