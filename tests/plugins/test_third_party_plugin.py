"""A third-party plugin, installed like any distribution, is found and enabled by the core.

A throwaway distribution ``intranet-thuthu`` is written to a temporary folder, installed with
pip into a private target folder and put on ``sys.path`` for this module only. It imports
nothing but ``intranet.plugin``, exactly as a plugin written outside this repository would.

Everything here runs on SQLite: it is about discovery, not about the database, so it ignores
INTRANET_TEST_DATABASE_URL on purpose.
"""
from __future__ import annotations

import base64
import hashlib
import importlib
import os
import subprocess
import sys
import textwrap
import zipfile
from contextlib import contextmanager
from pathlib import Path

import pytest
from pyramid.exceptions import ConfigurationConflictError

from intranet import main
from intranet.cli import db_upgrade
from intranet.config import resolve_settings
from intranet.plans.seed import run_seed
from intranet.plugin.registry import PluginError, get_registry, installed_plugins
from tests.conftest import DEMO_PASSWORD, App, base_settings

THUTHU_PACKAGE = '''\
"""A plugin from outside the repository: imports only the plugin contract."""
from intranet.plugin import DutySpec, Measure, Plugin, SpaceKind, SpaceSeed

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


def includeme(config):
    config.add_space_kind(KIND)
    config.add_duties(KIND.key, DUTIES)


plugin = Plugin(key="thuthu", title="Thử nghiệm", title_en="Trial", includeme=includeme)
'''

#: A second plugin that declares a duty key the bundled congan plugin already declares.
TRUNGLAP_PACKAGE = '''\
from intranet.plugin import DutySpec, Plugin, SpaceKind


def includeme(config):
    config.add_space_kind(SpaceKind(key="trunglap", category="agency", title="Trùng lặp",
                                    title_en="Duplicate"))
    config.add_duties("trunglap", [DutySpec(key="congan.bao-cao-dinh-ky", title="Trùng",
                                            title_en="Duplicate", text="Trùng khoá.")])


plugin = Plugin(key="trunglap", title="Trùng lặp", includeme=includeme)
'''

THUTHU_DUTY_KEYS = ["thuthu.kiem-tra", "thuthu.bao-cao"]
THUTHU_DUTY_TITLES = ["Kiểm tra định kỳ cơ sở trợ giúp trẻ em", "Báo cáo kết quả thử nghiệm"]


# --- installing a throwaway distribution -------------------------------------------------------


def _write_source(src: Path, dist: str, version: str, package: str, key: str, code: str) -> None:
    (src / package).mkdir(parents=True)
    (src / package / "__init__.py").write_text(code, encoding="utf-8")
    (src / "setup.py").write_text(textwrap.dedent(f"""\
        from setuptools import setup

        setup(
            name={dist!r},
            version={version!r},
            packages=[{package!r}],
            entry_points={{"intranet.plugins": ["{key} = {package}:plugin"]}},
        )
        """), encoding="utf-8")


def _record_hash(data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"sha256={digest},{len(data)}"


def _build_wheel(src: Path, out: Path, dist: str, version: str, package: str, key: str) -> Path:
    """The wheel ``setup.py bdist_wheel`` would make, for a venv whose setuptools cannot."""
    stem = dist.replace("-", "_")
    info = f"{stem}-{version}.dist-info"
    files = {
        f"{package}/__init__.py": (src / package / "__init__.py").read_bytes(),
        f"{info}/METADATA": f"Metadata-Version: 2.1\nName: {dist}\nVersion: {version}\n".encode(),
        f"{info}/WHEEL": (b"Wheel-Version: 1.0\nGenerator: tests\nRoot-Is-Purelib: true\n"
                          b"Tag: py3-none-any\n"),
        f"{info}/entry_points.txt": f"[intranet.plugins]\n{key} = {package}:plugin\n".encode(),
        f"{info}/top_level.txt": f"{package}\n".encode(),
    }
    record = "".join(f"{name},{_record_hash(data)}\n" for name, data in files.items())
    files[f"{info}/RECORD"] = (record + f"{info}/RECORD,,\n").encode()
    wheel = out / f"{stem}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return wheel


def _pip_install(site: Path, target: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--no-build-isolation", "--no-index",
         "--target", str(site), str(target)],
        check=False, capture_output=True, text=True,
        env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"},
    )


@contextmanager
def installed_distribution(root: Path, *, dist: str, version: str, package: str, key: str, code: str):
    """Install the distribution into ``root/site`` with pip; on sys.path inside the block."""
    src = root / "src"
    site = root / "site"
    _write_source(src, dist, version, package, key, code)
    result = _pip_install(site, src)
    if result.returncode != 0:
        output = result.stdout + result.stderr
        if "No module named 'setuptools'" in output or "No module named setuptools" in output:
            pytest.fail("setuptools is not installed in the venv: cannot build the test plugin\n"
                        + output)
        if "bdist_wheel" not in output:
            pytest.fail(f"pip could not install {dist}:\n{output}")
        # setuptools < 70.1 needs the separate `wheel` package to build any wheel, and the
        # test extras do not install it: install the same distribution from a wheel instead.
        result = _pip_install(site, _build_wheel(src, root, dist, version, package, key))
        if result.returncode != 0:
            pytest.fail(f"pip could not install {dist} from a wheel:\n{result.stdout}{result.stderr}")
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
    with installed_distribution(tmp_path_factory.mktemp("thuthu"), dist="intranet-thuthu",
                                version="0.3.1", package="intranet_thuthu", key="thuthu",
                                code=THUTHU_PACKAGE) as site:
        yield site


@pytest.fixture
def trunglap(thuthu, tmp_path):
    with installed_distribution(tmp_path, dist="intranet-trunglap", version="1.0",
                                package="intranet_trunglap", key="trunglap",
                                code=TRUNGLAP_PACKAGE) as site:
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
        "from intranet.plugin import DutySpec, Measure, Plugin, SpaceKind, SpaceSeed"
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
    # Only the enabled plugins are listed.
    assert "congan.bao-cao-dinh-ky" not in page.text


def test_seeded_third_party_space_shows_its_duties(admin):
    page = admin.get("/spaces/phong-thu-nghiem", status=200)
    assert "Phòng Thử nghiệm" in page.text
    positions = [page.text.index(title) for title in THUTHU_DUTY_TITLES]
    assert positions == sorted(positions)
    assert "Số cơ sở được kiểm tra" in page.text
    assert "No plugin supplies duties" not in page.text
