"""Plain data that plugins declare: space kinds, duties and the measures a duty asks for.

These are frozen dataclasses so that what a plugin declares can be listed, compared and shown
on the administration page without running any plugin code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

SpaceCategory = Literal["agency", "commune"]


@dataclass(frozen=True)
class SpaceSeed:
    """One space (đơn vị) that the seed command creates for a space kind.

    ``slug`` is the URL name (``/spaces/<slug>``); ``title`` is the Vietnamese title with full
    diacritics, ``title_en`` its English rendering.
    """

    slug: str
    title: str
    title_en: str


@dataclass(frozen=True)
class SpaceKind:
    """A kind of space a plugin serves, e.g. ``congan`` (one agency) or ``xa`` (every commune).

    ``category`` is ``"agency"`` for a district agency (phòng, ban, ngành) and ``"commune"`` for
    a commune committee (UBND xã, thị trấn). ``spaces`` are the spaces of this kind that the
    seed command creates.
    """

    key: str
    category: SpaceCategory
    title: str
    title_en: str
    spaces: tuple[SpaceSeed, ...] = ()


@dataclass(frozen=True)
class Measure:
    """A whole-number quantity a duty log records, e.g. "số lượt người được tuyên truyền".

    ``key`` is unique within its duty and is stored with every value.

    ``element`` names the report figure this measure adds to, when the two count the same
    thing: ``"code"`` for an undivided data element, ``"code[option]"`` for one option of a
    disaggregated one (the syntax of a form rule's sides). The sum of a unit's logs over a
    reporting period is then offered when the unit fills that figure in its report. The element
    must be in a report form of the duty's space kind and must be a count or an amount that adds
    up (integer, nonneg_integer or money, additive); otherwise start-up stops. Leave it empty
    when no figure of the form means exactly what the measure counts.
    """

    key: str
    label: str
    label_en: str
    element: str = ""

    @property
    def cell(self) -> tuple[str, str] | None:
        """The report cell named by ``element`` as ``(code, option)`` (option ``""`` for an
        undivided element), or None when the measure names no element."""
        if not self.element:
            return None
        if self.element.endswith("]") and "[" in self.element:
            code, option = self.element[:-1].split("[", 1)
            return code, option
        return self.element, ""


@dataclass(frozen=True)
class DutySpec:
    """One duty (nhiệm vụ) the plan gives a party.

    ``key`` is globally unique (by convention ``<kind>.<name>``); ``title`` is a short
    Vietnamese title; ``text`` is the plan's own wording; ``source`` names where in the plan the
    duty comes from (e.g. "Mục V.7"). ``measures`` are the quantities a log of this duty records.
    """

    key: str
    title: str
    title_en: str
    text: str
    source: str = ""
    measures: tuple[Measure, ...] = field(default_factory=tuple)

    def measure(self, key: str) -> Measure | None:
        """Return the measure called ``key``, or None."""
        for m in self.measures:
            if m.key == key:
                return m
        return None


REPORTING_DEADLINES_2017 = ("05/6/2017", "15/12/2017")


def reporting_duty(kind: str) -> DutySpec:
    """The duty every party shares: report to the district twice a year (plan, section V).

    Its key is ``<kind>.bao-cao-dinh-ky``.
    """
    return DutySpec(
        key=f"{kind}.bao-cao-dinh-ky",
        title="Báo cáo định kỳ về UBND huyện (qua Phòng LĐTBXH)",
        title_en="Periodic report to the district (through the Labour office)",
        text=(
            "Thực hiện báo cáo về UBND huyện (qua Phòng Lao động – Thương binh và Xã hội huyện) "
            "theo định kỳ (trước ngày 05/6/2017 và 15/12/2017)."
        ),
        source="Mục V",
    )


def sector_plan_duty(kind: str, *, body: str = "ngành", body_en: str = "office's") -> DutySpec:
    """The duty every district agency shares: its own plan for the programme (plan, section V).

    Its key is ``<kind>.ke-hoach-nganh``; ``body`` names the party in the title ("ngành",
    "đoàn thể"), ``body_en`` in English ("office's", "centre's", "police's").
    """
    return DutySpec(
        key=f"{kind}.ke-hoach-nganh",
        title=f"Xây dựng kế hoạch thực hiện các hoạt động bảo vệ trẻ em của {body}",
        title_en=f"Draw up the {body_en} own child-protection action plan",
        text=(
            "Xây dựng kế hoạch thực hiện đồng bộ các hoạt động của kế hoạch bảo vệ trẻ em tại từng "
            "ngành gắn với mục tiêu, nội dung hoạt động của ngành."
        ),
        source="Mục V",
    )


@dataclass(frozen=True)
class Link:
    """A link a plugin adds to the core's pages, shown only to those who may open it.

    ``place`` is "menu" (the main menu, on every page) or "space" (a unit's page: the link gets
    ``?<space_param>=<the unit's slug>`` and is shown on the pages of units of ``space_categories``,
    every unit when empty). ``title`` is Vietnamese with diacritics, ``title_en`` its English;
    ``permission`` is checked on the root of the site (the page's own view checks again).
    """

    route: str
    title: str
    title_en: str
    permission: str
    place: str = "menu"
    space_param: str = ""
    space_categories: tuple[str, ...] = ()
    order: int = 100
