"""The list of Vietnam's 54 ethnic groups and their codes, read from ``ethnicities.yaml`` (data)."""

from __future__ import annotations

import functools
from importlib import resources

import yaml


@functools.cache
def ethnicities() -> dict[str, str]:
    """Code ("01") -> name ("Kinh"), in the list's order."""
    text = resources.files(__package__).joinpath("ethnicities.yaml").read_text(encoding="utf-8")
    return {str(code): str(name) for code, name in yaml.safe_load(text)["groups"].items()}
