"""Criteria sets for the child-friendly commune assessment (xã, thị trấn phù hợp với trẻ em), as data.

The law changed while the programme ran: the 2017 plan uses the 15-criteria toolkit of Quyết định
34/2014/QĐ-TTg, replaced by the 13 criteria of Quyết định 06/QĐ-TTg (03/01/2019). A criteria set is
therefore versioned data: a plugin declares one with ``config.add_criteria_set(...)`` (a
:class:`CriteriaSet` or the path of a YAML file, see :func:`load_criteria_file`), and the district
imports others from a YAML or XLSX file (``intranet/assessments/importer.py`` documents the format).

:func:`recognised_communes` is the indicator function a plugin passes as ``Indicator.compute``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from pyramid.i18n import TranslationStringFactory

_ = TranslationStringFactory("intranet")

Scoring = Literal["points", "pass_fail"]
SCORINGS = ("points", "pass_fail")
#: Recognition rules a set may combine: every criterion met; no criterion scored 0; the total
#: reaches the threshold of the commune's class.
RULES = ("all_met", "none_zero", "total_threshold")
#: Rules that need points.
POINT_RULES = ("none_zero", "total_threshold")


@dataclass(frozen=True)
class CommuneClass:
    """A class of commune with its own threshold, e.g. urban wards 900 points."""

    key: str
    title: str
    title_en: str = ""
    threshold: int | None = None


@dataclass(frozen=True)
class Criterion:
    """One criterion (tiêu chí). ``max_points`` None: the set's file leaves it to the importer.

    ``prefill`` names report figures shown beside the criterion: a data element's code (its total)
    or ``"code[option]"`` for one cell, as in report rules.
    """

    code: str
    title: str
    title_en: str = ""
    max_points: int | None = None
    prefill: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True)
class LegalBasis:
    """The document that issues the set: number/symbol (số/ký hiệu), date, issuer, title."""

    number: str
    date: dt.date | None = None
    issuer: str = ""
    title: str = ""


@dataclass(frozen=True)
class CriteriaSet:
    """A versioned set of criteria with its scoring, commune classes and recognition rules.

    ``valid_from`` is the first year the set applies to; the set in force for a year is the one
    with the greatest ``valid_from`` not after it, unless the coordinator assigns another.
    """

    key: str
    version: int
    title: str
    legal_basis: LegalBasis
    valid_from: int
    criteria: tuple[Criterion, ...]
    scoring: Scoring = "points"
    classes: tuple[CommuneClass, ...] = ()
    rules: tuple[str, ...] = ("all_met",)
    title_en: str = ""
    note: str = ""
    extra: dict = field(default_factory=dict)

    def criterion(self, code: str) -> Criterion | None:
        """Return the criterion called ``code``, or None."""
        for c in self.criteria:
            if c.code == code:
                return c
        return None

    def commune_class(self, key: str) -> CommuneClass | None:
        """Return the commune class called ``key``, or None."""
        for c in self.classes:
            if c.key == key:
                return c
        return None

    def as_data(self) -> dict:
        """The set as plain JSON-able data (what the database keeps and fingerprints)."""
        lb = self.legal_basis
        return {
            "key": self.key,
            "version": self.version,
            "title": self.title,
            "title_en": self.title_en,
            "legal_basis": {
                "number": lb.number,
                "date": lb.date.isoformat() if lb.date else None,
                "issuer": lb.issuer,
                "title": lb.title,
            },
            "valid_from": self.valid_from,
            "scoring": self.scoring,
            "classes": [
                {"key": c.key, "title": c.title, "title_en": c.title_en, "threshold": c.threshold} for c in self.classes
            ],
            "rules": list(self.rules),
            "note": self.note,
            "criteria": [
                {
                    "code": c.code,
                    "title": c.title,
                    "title_en": c.title_en,
                    "max_points": c.max_points,
                    "prefill": list(c.prefill),
                    "description": c.description,
                }
                for c in self.criteria
            ],
        }


def from_data(data: dict) -> CriteriaSet:
    """Rebuild a set from :meth:`CriteriaSet.as_data` (already validated data)."""
    lb = data["legal_basis"]
    return CriteriaSet(
        key=data["key"],
        version=data["version"],
        title=data["title"],
        title_en=data.get("title_en", ""),
        legal_basis=LegalBasis(
            number=lb["number"],
            date=dt.date.fromisoformat(lb["date"]) if lb.get("date") else None,
            issuer=lb.get("issuer", ""),
            title=lb.get("title", ""),
        ),
        valid_from=data["valid_from"],
        scoring=data["scoring"],
        classes=tuple(CommuneClass(**c) for c in data["classes"]),
        rules=tuple(data["rules"]),
        note=data.get("note", ""),
        criteria=tuple(
            Criterion(
                code=c["code"],
                title=c["title"],
                title_en=c.get("title_en", ""),
                max_points=c.get("max_points"),
                prefill=tuple(c.get("prefill", ())),
                description=c.get("description", ""),
            )
            for c in data["criteria"]
        ),
    )


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a criteria file: where (file, line or row, field) and what."""

    file: str
    message: object
    line: int | None = None
    row: int | None = None
    sheet: str | None = None
    field: str | None = None

    @property
    def where(self):
        """Where the problem is, as a translation string."""
        m = {"file": self.file, "line": self.line, "row": self.row, "sheet": self.sheet, "field": self.field or ""}
        if self.sheet is not None and self.row is not None:
            if self.field:
                return _("File ${file}, sheet “${sheet}”, row ${row}, field “${field}”", mapping=m)
            return _("File ${file}, sheet “${sheet}”, row ${row}", mapping=m)
        if self.sheet is not None:
            return _("File ${file}, sheet “${sheet}”", mapping=m)
        if self.line is not None:
            if self.field:
                return _("File ${file}, line ${line}, field “${field}”", mapping=m)
            return _("File ${file}, line ${line}", mapping=m)
        if self.field:
            return _("File ${file}, field “${field}”", mapping=m)
        return _("File ${file}", mapping=m)

    def __str__(self) -> str:
        where = self.where
        return f"{where.interpolate()}: {_interp(self.message)}"


def _interp(message) -> str:
    return message.interpolate() if hasattr(message, "interpolate") else str(message)


class CriteriaSetError(ValueError):
    """A criteria file is malformed; ``problems`` lists every problem found (nothing is stored)."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


__all__ = [
    "CommuneClass",
    "Criterion",
    "CriteriaSet",
    "CriteriaSetError",
    "LegalBasis",
    "Problem",
    "RULES",
    "SCORINGS",
    "from_data",
]
