"""A third-party plugin, installed like any distribution, is found and enabled by the core.

A throwaway distribution ``intranet-thuthu`` is written to a temporary folder, installed with
pip into a private target folder and put on ``sys.path`` for this module only. It imports
nothing but ``intranet.plugin``, exactly as a plugin written outside this repository would.

Everything here runs on SQLite: it is about discovery, not about the database, so it ignores
INTRANET_TEST_DATABASE_URL on purpose.
"""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
import textwrap
from contextlib import contextmanager
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from pyramid.exceptions import ConfigurationConflictError

from intranet import main
from intranet.cli import db_upgrade
from intranet.config import resolve_settings
from intranet.host import PluginError, get_registry, installed_plugins
from intranet.seed import run_seed
from tests.fixtures.browser import App
from tests.fixtures.database import DEMO_PASSWORD, base_settings

THUTHU_PACKAGE = '''\
"""A plugin from outside the repository: imports only the plugin contract."""
import os

from pyramid.i18n import TranslationStringFactory
from pyramid.view import view_config
from sqlalchemy import text

from intranet.plugin import DutySpec, Link, Measure, Plugin, SpaceKind, SpaceSeed

_ = TranslationStringFactory("intranet_thuthu")

#: Its own permission, given to the coordinator only.
NOTES_VIEW = "thuthu.notes:view"

KIND = SpaceKind(
    key="thuthu",
    category="agency",
    title="Đơn vị thử nghiệm",
    title_en="Test unit",
    spaces=(SpaceSeed(slug="phong-thu-nghiem", title="Phòng Thử nghiệm", title_en="Test office"),),
)

DUTIES = [
    DutySpec(
        key="thuthu.kiem-tra",
        title="Kiểm tra định kỳ cơ sở trợ giúp trẻ em",
        title_en="Inspect child support facilities",
        text="Kiểm tra định kỳ các cơ sở trợ giúp trẻ em trên địa bàn huyện.",
        source="Mục thử",
        measures=(Measure("so_co_so", "Số cơ sở được kiểm tra", "Facilities inspected"),),
    ),
    DutySpec(
        key="thuthu.bao-cao",
        title="Báo cáo kết quả thử nghiệm",
        title_en="Report the trial results",
        text="Báo cáo kết quả thử nghiệm về UBND huyện.",
    ),
]


@view_config(route_name="thuthu.notes", renderer="intranet_thuthu:templates/notes.jinja2", permission=NOTES_VIEW)
def notes(request):
    count = request.dbsession.execute(text("SELECT count(*) FROM thuthu_notes")).scalar_one()
    return {"summary": request.localizer.translate(_("${n} notes kept", mapping={"n": count}))}


def includeme(config):
    config.add_space_kind(KIND)
    config.add_duties(KIND.key, DUTIES)
    config.add_permissions({NOTES_VIEW: ("coordinator",)})
    config.add_plugin_translations("intranet_thuthu:locale")
    config.add_route("thuthu.notes", "/notes")
    config.add_link(Link("thuthu.notes", "Ghi chép thử nghiệm", "Trial notes", permission=NOTES_VIEW))
    config.scan()


plugin = Plugin(key="thuthu", title="Thử nghiệm", title_en="Trial", includeme=includeme,
                migrations=os.path.join(os.path.dirname(__file__), "migrations"))
'''

#: Its page: extends the core's layout, its own messages from its own catalogue.
THUTHU_TEMPLATE = """\
{% extends "layout.jinja2" %}
{% set gettext = plugin_gettext("intranet_thuthu") %}
{% block title %}{{ _("Trial notes") }}{% endblock %}
{% block content %}<h1>{{ _("Trial notes") }}</h1><p class="summary">{{ summary }}</p>{% endblock %}
"""

#: Its Vietnamese catalogue (compiled to .mo when the distribution is written, as its build would).
THUTHU_CATALOGUE = {"Trial notes": "Ghi chép thử nghiệm", "${n} notes kept": "Đang lưu ${n} ghi chép"}

#: The plugin's own Alembic branch (label = its key): one table, prefixed with the key.
THUTHU_MIGRATION = '''\
"""thuthu: notes"""
import sqlalchemy as sa
from alembic import op

revision = "thuthu_0001"
down_revision = None
branch_labels = ("thuthu",)
depends_on = "0001_core"


def upgrade():
    op.create_table(
        "thuthu_notes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("space_id", sa.Integer, sa.ForeignKey("spaces.id"), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
    )


def downgrade():
    op.drop_table("thuthu_notes")
'''

#: A second plugin that declares a duty key the bundled congan plugin already declares.
TRUNGLAP_PACKAGE = """\
from intranet.plugin import DutySpec, Plugin, SpaceKind


def includeme(config):
    config.add_space_kind(SpaceKind(key="trunglap", category="agency", title="Trùng lặp",
                                    title_en="Duplicate"))
    config.add_duties("trunglap", [DutySpec(key="congan.bao-cao-dinh-ky", title="Trùng",
                                            title_en="Duplicate", text="Trùng khoá.")])


plugin = Plugin(key="trunglap", title="Trùng lặp", includeme=includeme)
"""

THUTHU_DUTY_KEYS = ["thuthu.kiem-tra", "thuthu.bao-cao"]
THUTHU_DUTY_TITLES = ["Kiểm tra định kỳ cơ sở trợ giúp trẻ em", "Báo cáo kết quả thử nghiệm"]


# --- installing a throwaway distribution -------------------------------------------------------


def _write_source(
    src: Path,
    dist: str,
    version: str,
    package: str,
    key: str,
    code: str,
    migrations: dict | None = None,
    templates: dict | None = None,
    catalogue: dict | None = None,
) -> None:
    (src / package).mkdir(parents=True)
    (src / package / "__init__.py").write_text(code, encoding="utf-8")
    packages = [package]
    package_data = []
    if templates:
        (src / package / "templates").mkdir()
        for name, text in templates.items():
            (src / package / "templates" / name).write_text(text, encoding="utf-8")
        package_data.append("templates/*.jinja2")
    if catalogue:
        folder = src / package / "locale" / "vi" / "LC_MESSAGES"
        folder.mkdir(parents=True)
        messages = Catalog(locale="vi", domain=package)
        for msgid, msgstr in catalogue.items():
            messages.add(msgid, msgstr)
        with open(folder / f"{package}.mo", "wb") as f:
            write_mo(f, messages)
        package_data.append("locale/vi/LC_MESSAGES/*.mo")
    if migrations:
        (src / package / "migrations").mkdir()
        (src / package / "migrations" / "__init__.py").write_text("", encoding="utf-8")
        for name, text in migrations.items():
            (src / package / "migrations" / name).write_text(text, encoding="utf-8")
        packages.append(f"{package}.migrations")
    (src / "setup.py").write_text(
        textwrap.dedent(f"""\
        from setuptools import setup

        setup(
            name={dist!r},
            version={version!r},
            packages={packages!r},
            package_data={{{package!r}: {package_data!r}}},
            entry_points={{"intranet.plugins": ["{key} = {package}:plugin"]}},
        )
        """),
        encoding="utf-8",
    )


def _pip_install(site: Path, target: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "--target",
            str(site),
            str(target),
        ],
        check=False,
        capture_output=True,
        text=True,
        env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"},
    )


@contextmanager
def installed_distribution(root: Path, *, dist: str, version: str, package: str, key: str, code: str, **files):
    """Install the distribution into ``root/site`` with pip; on sys.path inside the block."""
    src = root / "src"
    site = root / "site"
    _write_source(src, dist, version, package, key, code, **files)
    result = _pip_install(site, src)
    if result.returncode != 0:
        pytest.fail(f"pip could not install {dist}:\n{result.stdout}{result.stderr}")
    sys.path.insert(0, str(site))
    importlib.invalidate_caches()
    try:
        yield site
    finally:
        while str(site) in sys.path:
            sys.path.remove(str(site))
        for name in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
            del sys.modules[name]
        importlib.invalidate_caches()


@pytest.fixture(scope="module")
def thuthu(tmp_path_factory):
    with installed_distribution(
        tmp_path_factory.mktemp("thuthu"),
        dist="intranet-thuthu",
        version="0.3.1",
        package="intranet_thuthu",
        key="thuthu",
        code=THUTHU_PACKAGE,
        migrations={"t0001_notes.py": THUTHU_MIGRATION},
        templates={"notes.jinja2": THUTHU_TEMPLATE},
        catalogue=THUTHU_CATALOGUE,
    ) as site:
        yield site


@pytest.fixture
def trunglap(thuthu, tmp_path):
    with installed_distribution(
        tmp_path,
        dist="intranet-trunglap",
        version="1.0",
        package="intranet_trunglap",
        key="trunglap",
        code=TRUNGLAP_PACKAGE,
    ) as site:
        yield site


def sqlite_settings(path: Path, plugins: str) -> dict:
    settings = base_settings(f"sqlite:///{path}")
    settings["intranet.plugins"] = plugins
    return settings


@contextmanager
def built_app(settings):
    app = main({}, **settings)
    try:
        yield app
    finally:
        app.registry["dbengine"].dispose()


# --- discovery ---------------------------------------------------------------------------------


def test_installed_third_party_plugin_is_discovered(thuthu):
    found = installed_plugins()
    assert "thuthu" in found
    plugin, version, distribution = found["thuthu"]
    assert plugin.key == "thuthu"
    assert version == "0.3.1"
    assert distribution == "intranet-thuthu"
    # It came from the throwaway site folder, not from this repository.
    assert sys.modules["intranet_thuthu"].__file__.startswith(str(thuthu))
    # The bundled plugins are still there beside it.
    assert {"ldtbxh", "xa", "congan"} <= set(found)


def test_plugin_module_imports_only_the_contract(thuthu):
    source = Path(sys.modules["intranet_thuthu"].__file__).read_text(encoding="utf-8")
    imports = [line for line in source.splitlines() if line.startswith(("import ", "from "))]
    assert imports == [
        "import os",
        "from pyramid.i18n import TranslationStringFactory",
        "from pyramid.view import view_config",
        "from sqlalchemy import text",
        "from intranet.plugin import DutySpec, Link, Measure, Plugin, SpaceKind, SpaceSeed",
    ]


# --- enabling by setting -----------------------------------------------------------------------


def test_listed_third_party_plugin_is_enabled(thuthu, tmp_path):
    db = tmp_path / "app.sqlite"
    with built_app(sqlite_settings(db, "ldtbxh xa thuthu")) as app:
        reg = get_registry(app.registry)
        assert set(reg.plugins) == {"ldtbxh", "xa", "thuthu"}
        assert [d.key for d in reg.duties_for("thuthu")] == THUTHU_DUTY_KEYS
        assert reg.kinds["thuthu"].category == "agency"
        assert reg.kind_plugin["thuthu"] == "thuthu"
        assert reg.duty("thuthu.kiem-tra").measure("so_co_so").label == "Số cơ sở được kiểm tra"
        info = reg.plugins["thuthu"]
        assert (info.version, info.distribution) == ("0.3.1", "intranet-thuthu")
        assert [k.key for k in info.kinds] == ["thuthu"]
        assert [d.key for d in info.duties] == THUTHU_DUTY_KEYS
        # Unlisted bundled plugins stay out.
        assert "congan" not in reg.kinds
        assert reg.duties_for("congan") == []
    # Building the app needs no schema: the engine does not even open the database file.
    assert not db.exists()


def test_unlisted_third_party_plugin_is_not_enabled(thuthu, tmp_path):
    with built_app(sqlite_settings(tmp_path / "app.sqlite", "ldtbxh xa")) as app:
        reg = get_registry(app.registry)
        assert set(reg.plugins) == {"ldtbxh", "xa"}
        assert "thuthu" not in reg.kinds
        assert reg.duties_for("thuthu") == []
        assert reg.duty("thuthu.kiem-tra") is None


def test_listed_plugin_that_is_not_installed_fails_start_up(thuthu, tmp_path):
    with pytest.raises(PluginError) as excinfo:
        main({}, **sqlite_settings(tmp_path / "app.sqlite", "ldtbxh khongco thuthu"))
    message = str(excinfo.value)
    assert "khongco" in message
    assert "intranet.plugins" in message
    # It lists what is installed, so the operator can fix the setting.
    assert "thuthu" in message


def test_two_plugins_declaring_one_duty_key_fail_start_up(trunglap, tmp_path):
    assert "trunglap" in installed_plugins()
    with pytest.raises(ConfigurationConflictError) as excinfo:
        main({}, **sqlite_settings(tmp_path / "app.sqlite", "congan trunglap"))
    # Pyramid raises the conflict itself (not wrapped in ConfigurationExecutionError) and
    # names the discriminator of the duplicate duty.
    assert type(excinfo.value) is ConfigurationConflictError
    message = str(excinfo.value)
    assert "('intranet.duty', 'congan.bao-cao-dinh-ky')" in message
    assert "intranet_trunglap" in message


def test_duplicate_plugin_is_harmless_while_not_enabled(trunglap, tmp_path):
    with built_app(sqlite_settings(tmp_path / "app.sqlite", "congan thuthu")) as app:
        reg = get_registry(app.registry)
        assert set(reg.plugins) == {"congan", "thuthu"}
        assert reg.duty("congan.bao-cao-dinh-ky").title.startswith("Báo cáo định kỳ")


# --- the administration page and the seeded space ----------------------------------------------


@pytest.fixture(scope="module")
def thuthu_app(thuthu, tmp_path_factory):
    path = tmp_path_factory.mktemp("thuthu-db") / "intranet.sqlite"
    settings = sqlite_settings(path, "ldtbxh xa thuthu")
    db_upgrade(resolve_settings(settings))
    with open(os.devnull, "w") as devnull:
        run_seed(settings, demo=True, out=devnull)
    with built_app(settings) as app:
        yield app


@pytest.fixture
def admin(thuthu_app):
    browser = App(thuthu_app, extra_environ={"HTTP_HOST": "example.com"})
    browser.login("admin", DEMO_PASSWORD)
    return browser


def test_admin_plugins_page_lists_the_third_party_plugin(admin):
    page = admin.get("/admin/plugins", status=200)
    assert "thuthu" in page.text
    assert "0.3.1" in page.text
    assert "intranet-thuthu" in page.text
    for key, title in zip(THUTHU_DUTY_KEYS, THUTHU_DUTY_TITLES, strict=True):
        assert key in page.text
        assert title in page.text
    assert "Phòng Thử nghiệm" in page.text
    # Only the enabled plugins show their declarations; the others are named as installed.
    assert "congan.bao-cao-dinh-ky" not in page.text
    assert "intranet_congan" not in page.text and "<code>congan</code>" in page.text


def test_plugin_migration_branch_is_applied(thuthu_app):
    from sqlalchemy import inspect

    engine = thuthu_app.registry["dbengine"]
    assert {"thuthu_notes", "users", "duty_logs"} <= set(inspect(engine).get_table_names())
    with engine.connect() as conn:
        heads = {row[0] for row in conn.exec_driver_sql("SELECT version_num FROM alembic_version")}
    # The plugin's branch sits beside the core's: its head is applied with the core's.
    assert "thuthu_0001" in heads and any(h.startswith("00") for h in heads)


def test_seeded_third_party_space_shows_its_duties(admin):
    page = admin.get("/spaces/phong-thu-nghiem", status=200)
    assert "Phòng Thử nghiệm" in page.text
    positions = [page.text.index(title) for title in THUTHU_DUTY_TITLES]
    assert positions == sorted(positions)
    assert "Số cơ sở được kiểm tra" in page.text
    assert "No plugin supplies duties" not in page.text


# --- its page, permission, link and catalogue, with no core edit -------------------------------


@pytest.fixture
def coordinator(thuthu_app):
    browser = App(thuthu_app, extra_environ={"HTTP_HOST": "example.com"})
    browser.login("dieuphoi", DEMO_PASSWORD)
    return browser


def test_its_page_speaks_vietnamese_from_its_own_catalogue(coordinator, thuthu_app):
    engine = thuthu_app.registry["dbengine"]
    with engine.begin() as conn:
        space_id = conn.exec_driver_sql("SELECT id FROM spaces WHERE slug = 'phong-thu-nghiem'").scalar_one()
        conn.exec_driver_sql(f"INSERT INTO thuthu_notes (space_id, text) VALUES ({space_id}, 'a'), ({space_id}, 'b')")
    try:
        page = coordinator.get("/p/thuthu/notes", status=200)
        assert page.html.select_one("h1").text == "Ghi chép thử nghiệm"  # template, plugin's catalogue
        assert page.html.select_one("p.summary").text == "Đang lưu 2 ghi chép"  # Python, plugin's catalogue
        assert "Đăng xuất" in page.text  # the core's layout keeps the core's catalogue
        english = coordinator.get("/p/thuthu/notes?_LOCALE_=en", status=200)
        assert english.html.select_one("h1").text == "Trial notes"
        assert english.html.select_one("p.summary").text == "2 notes kept"
    finally:
        with engine.begin() as conn:
            conn.exec_driver_sql("DELETE FROM thuthu_notes")


def test_its_permission_and_link_reach_only_the_roles_it_names(coordinator, thuthu_app):
    menu = coordinator.get("/", status=200).html.select("nav.menu a[href='/p/thuthu/notes']")
    assert [a.text for a in menu] == ["Ghi chép thử nghiệm"]
    officer = App(thuthu_app, extra_environ={"HTTP_HOST": "example.com"})
    officer.login("tancanh", DEMO_PASSWORD)
    assert officer.get("/", status=200).html.select("nav.menu a[href='/p/thuthu/notes']") == []
    officer.get("/p/thuthu/notes", status=403)
    # The core's role table does not know it: the plugin gave it.
    from intranet.security.roles import GLOBAL_ROLE_PERMISSIONS

    assert all("thuthu.notes:view" not in perms for perms in GLOBAL_ROLE_PERMISSIONS.values())
    assert get_registry(thuthu_app.registry).permissions == {
        "thuthu.notes:view": "thuthu",
        "ldtbxh.registry:view": "ldtbxh",
        "ldtbxh.registry:log": "ldtbxh",
        "ldtbxh.registry:manage": "ldtbxh",
    }


def test_a_permission_must_carry_its_plugins_key_and_known_roles(tmp_path):
    from pyramid.config import Configurator

    from intranet.host import PluginInfo
    from intranet.plugin import Plugin

    config = Configurator(settings={})
    config.include("intranet.host")
    config.registry["intranet.loading_plugin"] = PluginInfo(
        plugin=Plugin(key="thuthu", title="t", includeme=lambda c: None), version="1", distribution="d"
    )
    with pytest.raises(PluginError, match="must start with 'thuthu'"):
        config.add_permissions({"ldtbxh.registry:manage": ("province",)})
    with pytest.raises(PluginError, match="unknown role"):
        config.add_permissions({"thuthu.notes:edit": ("chairman",)})
    with pytest.raises(PluginError, match="domain 'intranet' is the core's"):
        config.add_plugin_translations("intranet_thuthu:locale", domain="intranet")
