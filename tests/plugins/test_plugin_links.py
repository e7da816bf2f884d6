"""config.add_link: a plugin puts its pages on the core's menu and units' pages without any core
edit, and a link is shown only to those who may open it."""

from pyramid import testing

from intranet.host import get_registry, links_for
from intranet.plugin import Link


def _request(app, *, allowed, locale="vi"):
    request = testing.DummyRequest()
    request.registry = app.registry
    request.locale_name = locale
    request.can = lambda permission: permission in allowed
    return request


def test_the_registry_link_comes_from_its_plugin(as_user):
    home = as_user("tancanh").get("/")
    assert [a.text for a in home.html.select("nav.menu a[href='/p/ldtbxh/registry']")] == ["Mô hình, câu lạc bộ"]
    commune = as_user("tancanh").get("/spaces/tan-canh")
    assert commune.html.select_one("a[href='/p/ldtbxh/registry?commune=tan-canh']").text == (
        "Mô hình, câu lạc bộ và điểm tham vấn"
    )
    # An agency's page has no such link: the plugin asked for communes only.
    assert as_user("congan").get("/spaces/congan").html.select_one("a[href^='/p/ldtbxh/registry?']") is None


def test_a_link_is_shown_only_to_those_who_may_open_it(app):
    links = get_registry(app.registry).links
    links.append(Link("dashboard", "Trang riêng", "Private page", permission="secret:view"))
    try:
        titles = [t for _href, t in links_for(_request(app, allowed={"ldtbxh.registry:view"}), "menu")]
        assert "Trang riêng" not in titles and "Mô hình, câu lạc bộ" in titles
        english = [t for _href, t in links_for(_request(app, allowed={"secret:view"}, locale="en"), "menu")]
        assert english == ["Private page"]
    finally:
        links.pop()


def test_audit_labels_must_be_pairs_and_one_per_code():
    import pytest
    from pyramid.config import Configurator
    from pyramid.exceptions import ConfigurationConflictError

    from intranet.host import PluginError

    config = Configurator(settings={})
    config.include("intranet.host")
    with pytest.raises(PluginError):
        config.add_audit_labels(actions={"tuphap.case.open": "Mở hồ sơ"})
    config.add_audit_labels(actions={"tuphap.case.open": ("Mở hồ sơ", "Case opened")})
    config.add_audit_labels(actions={"tuphap.case.open": ("Mở vụ việc", "Case opened")})
    with pytest.raises(ConfigurationConflictError):
        config.commit()
