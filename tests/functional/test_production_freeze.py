"""production.ini freezes each worker's application once it is built (intranet.gc_freeze)."""

from __future__ import annotations

import configparser
import gc
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_production_freezes_the_built_application_and_tests_do_not(monkeypatch, app_settings):
    from intranet import main

    ini = configparser.ConfigParser(interpolation=None)
    ini.read(REPO / "production.ini", encoding="utf-8")
    assert ini["app:main"]["intranet.gc_freeze"] == "true"

    frozen = []
    monkeypatch.setattr(gc, "freeze", lambda: frozen.append("frozen"))
    app = main({}, **{**app_settings, "intranet.gc_freeze": "true"})
    app.registry["dbengine"].dispose()
    assert frozen == ["frozen"]

    frozen.clear()
    app = main({}, **app_settings)  # the default: a test run builds many applications
    app.registry["dbengine"].dispose()
    assert frozen == []
