"""DACR metrics over graded items: hostile input first, then each definition."""

from __future__ import annotations

import json
import math
import time
from dataclasses import replace

import pytest

from evaluation.metrics import HEADLINE, compute_metrics, graded_items
from tests.evaluation.items import item
from traces.grading import GoldChallenge, GoldQuestion, ModelAnswer, grade_challenge

BOTH = ("reference", "strict")


def challenge_items(challenge, pattern, **fields):
    return [
        item(challenge, f"q{n + 1:02d}", correct=right, **fields) for n, right in enumerate(pattern)
    ]


# -- hostile input ---------------------------------------------------------------


@pytest.mark.parametrize("mode", BOTH)
def test_no_items_gives_defined_json_ready_metrics(mode):
    metrics = compute_metrics([], mode=mode)
    json.dumps(metrics, allow_nan=False)
    assert metrics["answer_accuracy"] == 0.0
    assert metrics["questions"] == metrics["challenges"] == 0
    assert metrics["transfer_gap"] is None
    assert set(metrics["ci"]) == set(HEADLINE)


def test_an_unknown_mode_is_refused():
    with pytest.raises(ValueError, match="unknown metrics mode"):
        compute_metrics([item()], mode="lenient")


def test_nan_confidences_follow_the_public_scorer_and_stay_json_safe():
    items = [item(confidence=math.nan), item(question="q02", confidence=0.5)]
    metrics = compute_metrics(items, mode="reference")
    json.dumps(metrics, allow_nan=False)
    assert metrics["mean_confidence"] is None
    assert metrics["confidence_weighted_accuracy"] == 0.0
    # The NaN falls in no bin but still counts in the denominator: 1/2 · |1 − 0.5|.
    assert metrics["ece"] == pytest.approx(0.25)


# -- headline definitions -------------------------------------------------------------


@pytest.mark.parametrize("mode", BOTH)
def test_pass_rate_is_the_share_of_challenges_at_sixty_percent_or_more(mode):
    items = challenge_items("a", [True] * 6 + [False] * 4) + challenge_items(
        "b", [True] * 5 + [False] * 5
    )
    metrics = compute_metrics(items, mode=mode, with_ci=False)
    assert metrics["answer_accuracy"] == pytest.approx(0.55)
    assert metrics["pass_rate"] == 0.5


def test_reference_ece_leaves_confidence_one_out_of_every_bin():
    items = [item(question="q01", confidence=1.0), item(question="q02", confidence=0.3)]
    reference = compute_metrics(items, mode="reference", with_ci=False)
    strict = compute_metrics(items, mode="strict", with_ci=False)
    assert reference["ece"] == pytest.approx(0.5 * 0.7)
    assert strict["ece"] == pytest.approx(0.5 * 0.7 + 0.5 * 0.0)


def test_reference_ece_puts_point_three_in_the_bin_below():
    # 3 * 0.1 is 0.30000000000000004 in floating point, so 0.3 shares the 0.2 bin.
    items = [
        item(question="q01", confidence=0.25),
        item(question="q02", confidence=0.3, correct=False),
    ]
    reference = compute_metrics(items, mode="reference", with_ci=False)
    strict = compute_metrics(items, mode="strict", with_ci=False)
    assert reference["ece"] == pytest.approx(abs(0.5 - 0.275))
    assert strict["ece"] == pytest.approx(0.5 * 0.75 + 0.5 * 0.3)


def test_confidence_weighted_accuracy_and_mean_confidence():
    items = [
        item(question="q01", confidence=0.9),
        item(question="q02", correct=False, confidence=0.1),
    ]
    metrics = compute_metrics(items, mode="strict", with_ci=False)
    assert metrics["confidence_weighted_accuracy"] == pytest.approx(0.9)
    assert metrics["mean_confidence"] == pytest.approx(0.5)


def test_cars_denominators_differ_by_mode():
    items = [
        item(question="q01", is_conflict_question=True, conflict_outcome="resolved"),
        item(
            question="q02",
            is_conflict_question=True,
            conflict_outcome="fell_for_planted",
            correct=False,
        ),
        item(question="q03", is_conflict_question=True, conflict_outcome="other", correct=False),
        item(question="q04", is_conflict_question=True, conflict_outcome="hedged", correct=False),
    ]
    assert compute_metrics(items, mode="reference", with_ci=False)["cars"] == 0.5
    assert compute_metrics(items, mode="strict", with_ci=False)["cars"] == 0.25


def test_cars_without_conflict_questions_is_one_in_reference_and_none_in_strict():
    assert compute_metrics([item()], mode="reference", with_ci=False)["cars"] == 1.0
    assert compute_metrics([item()], mode="strict", with_ci=False)["cars"] is None


def test_a_challenge_without_prediction_counts_only_as_a_format_failure_in_reference():
    items = challenge_items("a", [True] * 10) + challenge_items(
        "b", [False] * 10, predicted=False, confidence=0.0, domain="biology"
    )
    reference = compute_metrics(items, mode="reference", with_ci=False)
    strict = compute_metrics(items, mode="strict", with_ci=False)
    assert (reference["answer_accuracy"], reference["challenges"], reference["questions"]) == (
        1.0,
        1,
        10,
    )
    assert reference["format_failure_rate"] == 0.5
    assert reference["by_domain"]["biology"] == {
        "accuracy": 0.0,
        "count": 0,
        "mean_confidence": 0.0,
    }
    assert (strict["answer_accuracy"], strict["challenges"], strict["pass_rate"]) == (0.5, 2, 0.5)
    assert strict["format_failure_rate"] == 0.5


def test_strict_counts_unparseable_traces_as_format_failures():
    items = challenge_items("a", [True] * 4, format_failure=True) + challenge_items("b", [True] * 4)
    assert compute_metrics(items, mode="strict", with_ci=False)["format_failure_rate"] == 0.5
    assert compute_metrics(items, mode="reference", with_ci=False)["format_failure_rate"] == 0.0


# -- breakdowns ------------------------------------------------------------------------


def test_breakdowns_group_by_category_hops_difficulty_and_domain():
    items = [
        item(question="q01", category="conflict_resolution", hops=7, difficulty="hard"),
        item(question="q02", category="computation", hops=2, correct=False, domain="biology"),
        item(question="q03", category="conflict_resolution", source_category="conflict_targeted"),
    ]
    reference = compute_metrics(items, mode="reference", with_ci=False)
    strict = compute_metrics(items, mode="strict", with_ci=False)
    # The public scorer knows seven categories; "conflict_targeted" is not one of them.
    assert list(reference["by_category"]) == ["computation", "trap_targeted"]
    assert strict["by_category"]["conflict_resolution"]["count"] == 2
    assert list(strict["by_hops"]) == ["1", "2", "6+"]
    assert strict["by_difficulty"]["hard"] == {"accuracy": 1.0, "count": 1, "mean_confidence": 0.5}
    assert strict["by_domain"]["biology"]["accuracy"] == 0.0


def test_by_split_and_transfer_gap():
    items = challenge_items("a", [True] * 8 + [False] * 2) + challenge_items(
        "b", [True] * 5 + [False] * 5, split="synthetic"
    )
    metrics = compute_metrics(items, mode="strict", with_ci=False)
    assert metrics["by_split"]["real"]["answer_accuracy"] == 0.8
    assert metrics["by_split"]["synthetic"] == {
        "answer_accuracy": 0.5,
        "pass_rate": 0.0,
        "cars": None,
        "mean_confidence": 0.5,
        "challenges": 1,
        "questions": 10,
    }
    assert metrics["transfer_gap"] == pytest.approx(0.3)
    real_only = compute_metrics(challenge_items("a", [True]), mode="strict", with_ci=False)
    assert real_only["transfer_gap"] is None


# -- intervals -------------------------------------------------------------------------


def test_intervals_are_seeded_and_bracket_the_estimate():
    items = [
        it for n in range(40) for it in challenge_items(f"c{n}", [n % 3 != 0, n % 2 == 0, True])
    ]
    first = compute_metrics(items, mode="strict", seed=7)
    again = compute_metrics(items, mode="strict", seed=7)
    other = compute_metrics(items, mode="strict", seed=8)
    assert first["ci"] == again["ci"]
    assert first["ci"] != other["ci"]
    for name in ("answer_accuracy", "pass_rate", "mean_confidence"):
        assert first["ci"][name]["low"] <= first[name] <= first["ci"][name]["high"]
    assert first["ci"]["answer_accuracy"]["low"] < first["ci"]["answer_accuracy"]["high"]


def test_metrics_for_27000_questions_with_intervals_take_seconds_not_minutes():
    items = [
        it
        for n in range(2700)
        for it in challenge_items(f"c{n}", [(n + k) % 3 != 0 for k in range(10)], confidence=0.6)
    ]
    start = time.perf_counter()
    metrics = compute_metrics(items, mode="strict")
    assert time.perf_counter() - start < 10
    assert metrics["questions"] == 27000


# -- from verdicts to items -------------------------------------------------------------


def test_graded_items_carry_audited_decisions_and_file_categories():
    question = GoldQuestion("q01", "trap_targeted", 1, "easy", "12")
    challenge = GoldChallenge("c1", "physics", "synthetic", "The count was 12.", (question,))
    grade = grade_challenge(challenge, {"q01": ModelAnswer("15", None, 0.4)})
    (plain,) = graded_items(challenge, grade)
    (audited,) = graded_items(challenge, grade, decisions={"q01": True}, format_failure=True)
    assert not plain.correct
    assert audited.correct
    assert audited.format_failure
    assert plain.category == "conflict_resolution"
    assert plain.source_category == "trap_targeted"
    assert replace(plain, correct=True) == replace(audited, format_failure=False)
