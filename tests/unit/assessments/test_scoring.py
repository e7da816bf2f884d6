"""Child-friendly communes: the classes and thresholds of the shipped criteria set, and the result
of an assessment (total, threshold of the commune's class, each recognition rule) as
``compute_result`` gives it."""

from __future__ import annotations

import pytest

from intranet.assessments.importer import load_criteria_file
from intranet.assessments.services import DEFAULT_CLASS, compute_result
from intranet.plugin.criteria import CommuneClass, CriteriaSet, Criterion, LegalBasis

SHIPPED = "intranet_ldtbxh:criteria/qd-06-2019.yaml"
#: Quyết định 06/QĐ-TTg: the threshold of each class of commune.
THRESHOLDS = {"urban": 900, "other": 850, "mountain_island_hard": 800}


@pytest.fixture(scope="module")
def shipped() -> CriteriaSet:
    return load_criteria_file(SHIPPED)


def test_the_shipped_set(shipped):
    assert (shipped.key, shipped.version, shipped.valid_from, shipped.scoring) == ("qd-06-2019", 1, 2019, "points")
    assert shipped.legal_basis.number == "06/QĐ-TTg" and str(shipped.legal_basis.date) == "2019-01-03"
    assert shipped.rules == ("all_met", "none_zero", "total_threshold")
    assert {c.key: c.threshold for c in shipped.classes} == THRESHOLDS
    assert [c.code for c in shipped.criteria] == [str(n) for n in range(1, 14)]
    # the points of each criterion are the annex's: whoever imports the set fills them in
    assert {c.max_points for c in shipped.criteria} == {None}
    # Đăk Tô's communes are mountain communes: the class a new assessment starts from
    assert shipped.commune_class(DEFAULT_CLASS).threshold == 800


def spread(codes, total: int, *, met=True) -> dict[str, tuple]:
    """``total`` points spread over the criteria as evenly as whole points go."""
    base, extra = divmod(total, len(codes))
    return {code: (base + (1 if i < extra else 0), met) for i, code in enumerate(codes)}


@pytest.mark.parametrize("commune_class, threshold", THRESHOLDS.items())
def test_each_class_passes_at_its_threshold_and_not_one_point_below(shipped, commune_class, threshold):
    codes = [c.code for c in shipped.criteria]
    at = compute_result(shipped, commune_class, spread(codes, threshold))
    assert (at["total"], at["threshold"], at["class"], at["met"], at["criteria"]) == (
        threshold,
        threshold,
        commune_class,
        13,
        13,
    )
    assert at["rules"] == {"all_met": True, "none_zero": True, "total_threshold": True} and at["passed"]
    assert at["set"] == {"key": "qd-06-2019", "version": 1}
    below = compute_result(shipped, commune_class, spread(codes, threshold - 1))
    assert below["rules"] == {"all_met": True, "none_zero": True, "total_threshold": False}
    assert not below["passed"]


def test_the_same_total_passes_in_one_class_and_not_in_another(shipped):
    scores = spread([c.code for c in shipped.criteria], 850)
    passed = {key: compute_result(shipped, key, scores)["passed"] for key in THRESHOLDS}
    assert passed == {"urban": False, "other": True, "mountain_island_hard": True}


def test_each_rule_fails_on_its_own(shipped):
    codes = [c.code for c in shipped.criteria]
    good = spread(codes, 1000)
    not_met = {**good, "7": (good["7"][0], False)}
    zero = {**good, "1": (0, True), "2": (good["2"][0] + good["1"][0], True)}
    assert compute_result(shipped, "other", not_met)["rules"] == {
        "all_met": False,
        "none_zero": True,
        "total_threshold": True,
    }
    result = compute_result(shipped, "other", zero)
    assert result["total"] == 1000 and result["rules"]["none_zero"] is False and not result["passed"]


def test_missing_data_fails_the_rules_that_need_it(shipped):
    codes = [c.code for c in shipped.criteria]
    scores = spread(codes, 1300)
    del scores["13"]  # not assessed
    result = compute_result(shipped, "urban", scores)
    assert result["total"] == 1200 and result["met"] == 12
    assert result["rules"] == {"all_met": False, "none_zero": False, "total_threshold": False}
    # a class the set does not have: no threshold, so the total cannot reach it
    unknown = compute_result(shipped, "phuong_loai_1", spread(codes, 1300))
    assert unknown["threshold"] is None and unknown["rules"]["total_threshold"] is False and not unknown["passed"]


def small_set(**kw) -> CriteriaSet:
    return CriteriaSet(
        key="thu",
        version=1,
        title="Bộ tiêu chí thử",
        legal_basis=LegalBasis(number="1/QĐ"),
        valid_from=2019,
        criteria=(Criterion("A", "A", max_points=400), Criterion("B", "B", max_points=400)),
        **kw,
    )


def test_a_pass_fail_set_counts_criteria_met_and_no_points():
    cset = small_set(scoring="pass_fail", rules=("all_met",))
    result = compute_result(cset, "", {"A": (None, True), "B": (None, True)})
    assert (result["total"], result["threshold"], result["met"], result["passed"]) == (None, None, 2, True)
    assert compute_result(cset, "", {"A": (None, True), "B": (None, None)})["passed"] is False


def test_a_set_without_rules_recognises_nobody():
    cset = small_set(rules=())
    assert compute_result(cset, "", {"A": (400, True), "B": (400, True)})["passed"] is False


def test_the_threshold_is_the_classs_own():
    cset = small_set(
        rules=("total_threshold",), classes=(CommuneClass("a", "A", threshold=500), CommuneClass("b", "B", threshold=0))
    )
    assert compute_result(cset, "a", {"A": (250, False), "B": (250, False)})["passed"] is True
    assert compute_result(cset, "a", {"A": (250, True), "B": (249, True)})["passed"] is False
    assert compute_result(cset, "b", {"A": (0, True), "B": (0, True)})["passed"] is True
