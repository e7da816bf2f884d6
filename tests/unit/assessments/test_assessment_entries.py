"""What a commune types into its assessment and what the district types to verify it: scores
bounded by each criterion's points, a met flag, figures as Vietnamese numbers, the commune's
class, and what blocks submitting or verifying."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from intranet import numbers
from intranet.assessments.services import check_for_submission, read_self_entry, read_verify_entry
from intranet.plugin.criteria import CommuneClass, CriteriaSet, Criterion, LegalBasis

POINTS = CriteriaSet(
    key="thu",
    version=1,
    title="Bộ tiêu chí thử",
    legal_basis=LegalBasis(number="1/QĐ"),
    valid_from=2019,
    criteria=(Criterion("A", "A", max_points=100), Criterion("B", "B")),
    classes=(CommuneClass("other", "Xã khác", threshold=150),),
    rules=("all_met", "total_threshold"),
)
PASS_FAIL = CriteriaSet(
    key="dat",
    version=1,
    title="Bộ tiêu chí đạt / chưa đạt",
    legal_basis=LegalBasis(number="1/QĐ"),
    valid_from=2019,
    criteria=(Criterion("A", "A"),),
    scoring="pass_fail",
)
#: The stored criteria rows the forms are keyed by (id 11 is "A", with two report figures).
ROWS = [
    SimpleNamespace(id=11, code="A", max_points=100, prefill=["tre_em", "tre_em_hcdb[nu]"]),
    SimpleNamespace(id=12, code="B", max_points=None, prefill=[]),
]
POINTS_MSG = "Enter a whole number of points (0 or more)."


def text(message) -> str:
    return message.interpolate() if hasattr(message, "interpolate") else str(message)


def errors_of(entry) -> dict[str, str]:
    return {name: text(m) for name, m in entry.errors.items()}


def test_the_communes_entry_is_read():
    post = {"commune_class": "other", "s.11": "90", "m.11": "1", "e.11": " Có biên bản ", "f.11.0": "1.210"}
    post |= {"f.11.1": "12,5", "s.12": "1.500", "m.12": "0"}
    entry = read_self_entry(post, ROWS, POINTS)
    assert entry.errors == {}
    assert entry.commune_class == "other"
    assert entry.scores == {11: 90, 12: 1500}  # no maximum for B
    assert entry.met == {11: True, 12: False}
    assert entry.texts == {11: "Có biên bản", 12: ""}
    assert entry.figures == {11: {"tre_em": "1210", "tre_em_hcdb[nu]": "12.5"}, 12: {}}


@pytest.mark.parametrize(
    "field, raw, message",
    [
        ("s.11", "101", "At most 100 points for this criterion."),
        ("s.11", "-5", POINTS_MSG),
        ("s.11", "chín mươi", POINTS_MSG),
        ("s.11", "12,5", numbers.MSG_WHOLE),
        ("s.11", "٩٠", numbers.MSG_DIGITS),
        ("s.12", "100001", "The number is too large."),
        ("f.11.0", "1,210", numbers.MSG_AMBIGUOUS),
        ("f.11.0", "mười", "Enter a number, e.g. 12 or 12,5."),
        ("f.11.0", "9" * 16, numbers.MSG_TOO_LARGE),
        ("e.11", "x" * 4001, "At most 4000 characters."),
        ("commune_class", "urban", "Choose the commune's class."),
    ],
)
def test_what_the_commune_types_wrong(field, raw, message):
    post = {"commune_class": "other", field: raw}
    assert errors_of(read_self_entry(post, ROWS, POINTS)) == {field: message}


def test_a_pass_fail_set_reads_no_score_and_needs_no_class():
    entry = read_self_entry({"s.11": "abc", "m.11": "1"}, ROWS[:1], PASS_FAIL)
    assert entry.errors == {} and entry.scores == {} and entry.met == {11: True}


def test_submitting_needs_a_score_and_a_met_flag_for_every_criterion():
    entry = read_self_entry({"commune_class": "other", "s.11": "90", "m.12": "1"}, ROWS, POINTS)
    check_for_submission(entry, ROWS, POINTS)
    assert errors_of(entry) == {
        "m.11": "Say whether the criterion is met.",
        "s.12": "A score is required before the assessment can be submitted.",
    }
    done = read_self_entry(
        {"commune_class": "other", "s.11": "90", "m.11": "0", "s.12": "0", "m.12": "1"}, ROWS, POINTS
    )
    check_for_submission(done, ROWS, POINTS)
    assert done.errors == {}


def saved(score, met):
    return SimpleNamespace(criterion_id=11, self_score=score, met=met)


def test_the_district_gives_a_reason_for_what_it_changes():
    assessment = SimpleNamespace(scores=[saved(90, True)])
    same = read_verify_entry({"commune_class": "other", "vs.11": "90", "vm.11": "1"}, assessment, ROWS[:1], POINTS)
    assert same.errors == {}
    changed = read_verify_entry({"commune_class": "other", "vs.11": "80", "vm.11": "1"}, assessment, ROWS[:1], POINTS)
    assert errors_of(changed) == {"r.11": "Give the reason for changing the commune's assessment."}
    flag = read_verify_entry({"commune_class": "other", "vs.11": "90", "vm.11": "0"}, assessment, ROWS[:1], POINTS)
    assert set(flag.errors) == {"r.11"}
    reasoned = {"commune_class": "other", "vs.11": "80", "vm.11": "1", "r.11": " Thiếu biên bản họp "}
    given = read_verify_entry(reasoned, assessment, ROWS[:1], POINTS)
    assert given.errors == {} and given.reasons == {11: "Thiếu biên bản họp"} and given.scores == {11: 80}


def test_verifying_needs_every_score_and_flag():
    assessment = SimpleNamespace(scores=[])
    entry = read_verify_entry({"commune_class": "other"}, assessment, ROWS[:1], POINTS)
    assert errors_of(entry) == {
        "vs.11": "Enter the verified score.",
        "vm.11": "Say whether the criterion is met.",
    }
