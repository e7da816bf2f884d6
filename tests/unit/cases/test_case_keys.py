"""The application's case keys: production starts only with INTRANET_CASE_KEYS in its environment
and says how to make it; development and tests keep a key file of their own, written once and read
by owner only; the keyring is loaded once, at start-up, and found in the registry."""

from __future__ import annotations

import io
import os
import stat

import pytest
from pyramid.config import Configurator

import intranet
from intranet.cases import keys
from intranet.cases.crypto import ENV_VAR, UnknownKeyError, keyring_from_text
from intranet.cases.keys import (
    KEYS_FILE_SETTING,
    REGISTRY_KEY,
    get_keyring,
    keyring_from_settings,
    new_key_material,
)
from intranet.config import ConfigurationError

PRODUCTION = {"intranet.environment": "production"}
SECRET = "s" * 40


@pytest.fixture(autouse=True)
def no_keys_in_the_environment(monkeypatch):
    """The machine's own INTRANET_CASE_KEYS must not leak into these tests."""
    monkeypatch.delenv(ENV_VAR, raising=False)


def test_production_without_the_variable_does_not_start_and_says_how_to_make_it(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'prod.sqlite'}")
    monkeypatch.setenv("INTRANET_SECRET", SECRET)
    monkeypatch.chdir(tmp_path)
    settings = {**PRODUCTION, "sqlalchemy.url": "", "intranet.secret": "", "intranet.plugins": "*"}
    with pytest.raises(ConfigurationError) as caught:
        intranet.main({}, **settings)
    message = str(caught.value)
    assert message.startswith(f"{ENV_VAR} is not set: production reads the keys")
    assert "python -m intranet.cases.keys" in message
    assert not (tmp_path / "var").exists()  # no development key file made instead
    assert not (tmp_path / "prod.sqlite").exists()


@pytest.mark.parametrize("value", ["", "   ", "\n"])
def test_an_empty_variable_is_missing(value):
    with pytest.raises(ConfigurationError, match=f"{ENV_VAR} is not set"):
        keyring_from_settings(PRODUCTION, {ENV_VAR: value})


def test_unusable_key_material_is_refused_without_showing_it():
    short = "index=" + "A" * 43 + ";k1:" + "B" * 20  # a key of 120 bits
    with pytest.raises(ConfigurationError) as caught:
        keyring_from_settings(PRODUCTION, {ENV_VAR: short})
    message = str(caught.value)
    assert message.startswith(f"{ENV_VAR} cannot be used: ") and "256 bits" in message
    assert "B" * 20 not in message and "A" * 43 not in message
    assert "python -m intranet.cases.keys" in message


def test_production_reads_the_variable_and_nothing_else(tmp_path):
    material = new_key_material("2017a")
    ring = keyring_from_settings(PRODUCTION, {ENV_VAR: material})
    assert ring.current == "2017a" and ring.key_ids == ("2017a",)
    # the ini file cannot give production its keys
    with pytest.raises(ConfigurationError, match=f"{KEYS_FILE_SETTING} is set, but it is a development setting"):
        keyring_from_settings({**PRODUCTION, KEYS_FILE_SETTING: str(tmp_path / "keys")}, {ENV_VAR: material})
    assert not (tmp_path / "keys").exists()


def test_development_writes_its_key_file_once_for_owner_only(tmp_path):
    path = tmp_path / "var" / "case-keys"
    settings = {"intranet.environment": "development", KEYS_FILE_SETTING: str(path)}
    first = keyring_from_settings(settings, {ENV_VAR: new_key_material()})  # the variable is not read
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    written = path.read_text(encoding="utf-8")
    second = keyring_from_settings(settings)
    assert path.read_text(encoding="utf-8") == written
    token = first.encrypt("Thôn 3", "children.village:X")
    assert second.decrypt(token, "children.village:X") == "Thôn 3"


def test_development_keeps_the_default_key_file_under_var_of_the_working_directory(monkeypatch, tmp_path):
    # The test run points the default elsewhere (tests/fixtures/database.py); development's own:
    monkeypatch.setattr(keys, "DEFAULT_KEYS_FILE", os.path.join("var", "case-keys"))
    monkeypatch.chdir(tmp_path)
    ring = keyring_from_settings({"intranet.environment": "testing"})
    assert (tmp_path / "var" / "case-keys").exists()
    assert ring.current == "dev1"


def test_a_key_file_others_can_read_stops_start_up(tmp_path):
    path = tmp_path / "case-keys"
    path.write_text(new_key_material(), encoding="utf-8")
    path.chmod(0o644)
    with pytest.raises(ConfigurationError, match=rf"\({KEYS_FILE_SETTING} = .*\) cannot be used: .*chmod 600"):
        keyring_from_settings({KEYS_FILE_SETTING: str(path)})


def test_includeme_loads_the_keyring_once_into_the_registry(tmp_path):
    with Configurator(settings={KEYS_FILE_SETTING: str(tmp_path / "keys")}) as config:
        config.include("intranet.workflow")  # the directive the case plan's workflow is declared with
        config.include("intranet.cases")
    ring = get_keyring(config.registry)
    assert config.registry[REGISTRY_KEY] is ring
    assert ring.decrypt(ring.encrypt("a", "c"), "c") == "a"


def test_without_intranet_cases_there_is_no_keyring():
    with pytest.raises(RuntimeError, match="must include intranet.cases"):
        get_keyring({})


# --- making key material -----------------------------------------------------------------------


def test_the_command_prints_a_value_the_variable_takes():
    out = io.StringIO()
    assert keys.main([], out=out) == 0
    (line,) = out.getvalue().splitlines()
    assert " " not in line and line.startswith("current=")
    ring = keyring_from_settings(PRODUCTION, {ENV_VAR: line})
    other = keyring_from_text(new_key_material())
    token = ring.encrypt("Nguyễn Thị Hoà", "children.full_name:X")
    with pytest.raises(UnknownKeyError):  # each value is new: another one does not read it
        other.decrypt(token, "children.full_name:X")


def test_the_command_prints_one_more_key_for_a_rotation():
    out = io.StringIO()
    assert keys.main(["--key", "2018a"], out=out) == 0
    entry = out.getvalue().strip()
    assert entry.startswith("2018a:")
    material = new_key_material("2017a")
    rotated = keyring_from_text(f"{material.replace('current=2017a', 'current=2018a')};{entry}")
    assert rotated.current == "2018a" and rotated.key_ids == ("2017a", "2018a")


def test_the_command_refuses_a_key_id_it_cannot_store(capsys):
    with pytest.raises(SystemExit) as caught:
        keys.main(["--key", "no.dots"])
    assert caught.value.code == 2
    assert "1 to 16 letters" in capsys.readouterr().err
