"""The groups of the child register: the children in special circumstances of the Child Law 2016
(Article 10), the children at risk, and the situations the plan counts.

They are data, not code: ``groups.yaml`` beside this module lists them version by version, each
list in force from its ``valid_from`` day (the file explains its shape and its sources). A list
that cannot be right — a code twice, a kind or a field unknown, a title in the old tone style,
versions out of order — stops with a :class:`GroupDataError` naming the version and the code.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources

import yaml

from intranet.text import normalise_tones

#: Children in special circumstances, children at risk, other situations the plan counts.
SPECIAL, AT_RISK, SITUATION = "special", "at_risk", "situation"
KINDS = (SPECIAL, AT_RISK, SITUATION)
#: A code fits ``child_groups.group_code`` (32 characters).
CODE = re.compile(r"[a-z][a-z0-9_]{1,31}")

_GROUP_FIELDS = {"code", "kind", "ref", "title", "title_en"}
_VERSION_FIELDS = {"valid_from", "source", "groups"}


class GroupDataError(ValueError):
    """The group data is malformed; the message says which version and which group."""


class UnknownGroupError(LookupError):
    """A code that no list of groups holds, or not the list in force on the day asked."""


@dataclass(frozen=True)
class Group:
    code: str
    kind: str
    ref: str
    title: str
    title_en: str


@dataclass(frozen=True)
class GroupList:
    """One version of the groups: in force from ``valid_from`` until the next version's."""

    valid_from: dt.date
    source: str
    groups: tuple[Group, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(group.code for group in self.groups)


@dataclass(frozen=True)
class GroupCatalogue:
    """Every version of the groups, oldest first."""

    versions: tuple[GroupList, ...]

    def in_force_on(self, day: dt.date) -> GroupList:
        """The list in force on ``day``; the first list for a day before it (see groups.yaml)."""
        if isinstance(day, dt.datetime) or not isinstance(day, dt.date):
            raise TypeError("The groups in force are looked up by a datetime.date.")
        current = self.versions[0]
        for version in self.versions[1:]:
            if version.valid_from <= day:
                current = version
        return current

    def check(self, code: str, day: dt.date) -> Group:
        """The group ``code`` of the list in force on ``day``, or :class:`UnknownGroupError`."""
        version = self.in_force_on(day)
        for group in version.groups:
            if group.code == code:
                return group
        raise UnknownGroupError(
            f"The group code {code!r} is not in the list in force from {version.valid_from.isoformat()}."
        )

    def get(self, code: str) -> Group:
        """The latest definition of ``code`` in any version: what a stored membership shows."""
        for version in reversed(self.versions):
            for group in version.groups:
                if group.code == code:
                    return group
        raise UnknownGroupError(f"No list of groups holds the code {code!r}.")


def catalogue_from_data(data) -> GroupCatalogue:
    """The catalogue described by ``data``, parsed from YAML in the shape ``groups.yaml`` explains."""
    if not isinstance(data, Mapping) or set(data) != {"versions"} or not isinstance(data["versions"], list):
        raise GroupDataError("The group data is a mapping with one key, versions: a list of versions.")
    if not data["versions"]:
        raise GroupDataError("The group data holds no version.")
    versions: list[GroupList] = []
    kinds: dict[str, str] = {}
    for number, entry in enumerate(data["versions"], start=1):
        version = _version(number, entry)
        if versions and version.valid_from <= versions[-1].valid_from:
            raise GroupDataError(f"Version {number}: valid_from must come after the previous version's.")
        for group in version.groups:
            if kinds.setdefault(group.code, group.kind) != group.kind:
                raise GroupDataError(
                    f"Version {number}: {group.code} changes its kind; a group the law changes gets a new code."
                )
        versions.append(version)
    return GroupCatalogue(tuple(versions))


@functools.cache
def default_catalogue() -> GroupCatalogue:
    """The groups of ``groups.yaml``, read once per process."""
    text = resources.files(__package__).joinpath("groups.yaml").read_text(encoding="utf-8")
    return catalogue_from_data(yaml.safe_load(text))


def _version(number: int, entry) -> GroupList:
    if not isinstance(entry, Mapping) or set(entry) != _VERSION_FIELDS:
        raise GroupDataError(f"Version {number}: give valid_from, source and groups, nothing else.")
    valid_from = entry["valid_from"]
    if isinstance(valid_from, dt.datetime) or not isinstance(valid_from, dt.date):
        raise GroupDataError(f"Version {number}: valid_from is a day written YYYY-MM-DD.")
    if not isinstance(entry["source"], str) or not entry["source"].strip():
        raise GroupDataError(f"Version {number}: say where the groups come from (source).")
    if not isinstance(entry["groups"], list) or not entry["groups"]:
        raise GroupDataError(f"Version {number}: groups is a list of groups.")
    groups: list[Group] = []
    for position, item in enumerate(entry["groups"], start=1):
        group = _group(number, position, item)
        if any(g.code == group.code for g in groups):
            raise GroupDataError(f"Version {number}: the code {group.code} appears twice.")
        groups.append(group)
    return GroupList(valid_from, entry["source"].strip(), tuple(groups))


def _group(number: int, position: int, item) -> Group:
    where = f"Version {number}, group {position}"
    if not isinstance(item, Mapping) or set(item) != _GROUP_FIELDS:
        raise GroupDataError(f"{where}: give code, kind, ref, title and title_en, nothing else.")
    if not all(isinstance(item[field], str) and item[field].strip() for field in _GROUP_FIELDS):
        raise GroupDataError(f"{where}: every field is a text that is not empty.")
    code = item["code"]
    if not CODE.fullmatch(code):
        raise GroupDataError(f"{where}: the code is 2 to 32 lower-case letters, digits or '_', starting with a letter.")
    if item["kind"] not in KINDS:
        raise GroupDataError(f"{where} ({code}): the kind is one of {', '.join(KINDS)}.")
    title = item["title"].strip()
    if unicodedata.normalize("NFC", title) != title or normalise_tones(title) != title:
        raise GroupDataError(f"{where} ({code}): write the title composed (NFC), with the tone on the main vowel.")
    return Group(code, item["kind"], item["ref"].strip(), title, item["title_en"].strip())
