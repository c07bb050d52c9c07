"""Comparing two runs on the same questions: hostile input first, then known answers."""

from __future__ import annotations

import json
import math

import pytest

from evaluation.comparison import FLIP_CELLS, OVERALL_METRICS, compare_runs
from evaluation.metrics import SKILL_CATEGORIES, compute_metrics
from evaluation.stats import mcnemar_exact
from tests.evaluation.items import item

BOTH = ("reference", "strict")


def run(pattern_by_challenge, **fields):
    """Items from {challenge: [right?, …]}; question ids q01, q02, …"""
    return [
        item(challenge, f"q{n + 1:02d}", right, **fields)
        for challenge, pattern in pattern_by_challenge.items()
        for n, right in enumerate(pattern)
    ]


def row(rows, key):
    return next(r for r in rows if r.key == key)


# -- hostile input ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("items_a", "items_b"),
    [
        ([], []),
        ([item()], []),
        ([], [item()]),
        ([item("c1")], [item("c2")]),
        ([item("c1", "q01")], [item("c1", "q02")]),
    ],
)
def test_runs_that_share_no_question_are_refused(items_a, items_b):
    with pytest.raises(ValueError, match=r"^the two runs share no questions$"):
        compare_runs(items_a, items_b, mode="strict")


def test_an_unknown_mode_is_refused():
    with pytest.raises(ValueError, match="unknown metrics mode"):
        compare_runs([item()], [item()], mode="lenient")


def test_a_question_listed_twice_in_one_run_is_refused():
    with pytest.raises(ValueError, match="run B lists question c1/q01 twice"):
        compare_runs([item()], [item(), item()], mode="strict")


@pytest.mark.parametrize("mode", BOTH)
def test_nan_confidences_leave_the_comparison_json_safe(mode):
    items = run({"c1": [True, False], "c2": [False, True]}, confidence=math.nan)
    comparison = compare_runs(items, items, mode=mode, n_resamples=50)
    json.dumps(comparison.as_dict(), allow_nan=False)


def test_a_single_challenge_gives_a_degenerate_interval_because_challenges_are_resampled():
    items_a = run({"c1": [True, False, False, False]})
    items_b = run({"c1": [True, True, True, False]})
    accuracy = row(compare_runs(items_a, items_b, mode="strict").overall, "answer_accuracy")
    assert accuracy.delta == pytest.approx(0.5)
    assert accuracy.interval.low == pytest.approx(0.5)
    assert accuracy.interval.high == pytest.approx(0.5)


# -- known answers ---------------------------------------------------------------------


PATTERNS = {
    "c1": [True, True, False, True, False],
    "c2": [False, False, True, False, False],
    "c3": [True, True, True, True, False],
    "c4": [False, True, False, False, True],
}


@pytest.mark.parametrize("mode", BOTH)
def test_identical_runs_differ_by_nothing(mode):
    items = run(PATTERNS)
    comparison = compare_runs(items, items, mode=mode, n_resamples=200)
    for delta_row in (*comparison.overall, *comparison.skills, *comparison.domains):
        if delta_row.delta is not None:
            assert delta_row.delta == 0
            assert delta_row.interval.low <= 0 <= delta_row.interval.high
    assert comparison.paired_test.p_value == 1.0
    assert comparison.paired_test.only_a == comparison.paired_test.only_b == 0
    assert comparison.flips["only_a"].count == comparison.flips["only_b"].count == 0


def test_a_candidate_right_on_more_questions_shows_a_positive_delta_and_mcnemar_p():
    items_a = run(PATTERNS)
    improved = {c: [True] * 4 + [p[4]] for c, p in PATTERNS.items()}
    improved["c1"][0] = False  # one question B gets wrong that A got right
    items_b = run(improved)
    comparison = compare_runs(items_a, items_b, mode="strict")
    accuracy = row(comparison.overall, "answer_accuracy")
    assert accuracy.a == pytest.approx(10 / 20)
    assert accuracy.b == pytest.approx(16 / 20)
    assert accuracy.delta == pytest.approx(0.3)
    assert 0 <= accuracy.interval.low <= accuracy.delta <= accuracy.interval.high
    test = comparison.paired_test
    assert (test.only_a, test.only_b) == (1, 7)
    assert test.p_value == mcnemar_exact(1, 7)


def test_flips_list_the_keys_of_each_cell():
    items_a = run({"c1": [True, True, False, False]})
    items_b = run({"c1": [True, False, True, False]})
    flips = compare_runs(items_a, items_b, mode="strict").flips
    assert list(flips) == list(FLIP_CELLS)
    assert flips["both_right"].keys == (("c1", "q01"),)
    assert flips["only_a"].keys == (("c1", "q02"),)
    assert flips["only_b"].keys == (("c1", "q03"),)
    assert flips["both_wrong"].keys == (("c1", "q04"),)
    assert all(cell.count == 1 for cell in flips.values())


def test_unmatched_questions_are_counted_and_left_out_of_everything():
    items_a = [*run({"c1": [True, False]}), item("c1", "q09", True), item("c9", "q01", True)]
    items_b = [*run({"c1": [True, True]}), item("c1", "q08", False)]
    comparison = compare_runs(items_a, items_b, mode="strict")
    assert comparison.unmatched == 3
    assert comparison.questions == 2
    assert comparison.challenges == 1
    assert row(comparison.overall, "answer_accuracy").a == 0.5
    every_key = {key for cell in comparison.flips.values() for key in cell.keys}
    assert every_key == {("c1", "q01"), ("c1", "q02")}


@pytest.mark.parametrize("mode", BOTH)
def test_overall_rows_equal_compute_metrics_on_the_paired_questions(mode):
    def conflict(challenge, question, correct, outcome):
        return item(
            challenge,
            question,
            correct,
            category="conflict_resolution",
            is_conflict_question=True,
            conflict_outcome=outcome,
        )

    items_a = [
        *run(PATTERNS),
        conflict("c1", "q06", False, "fell_for_planted"),
        conflict("c2", "q06", True, "resolved"),
        conflict("c3", "q06", False, "other"),
    ]
    items_b = [
        *run({c: [not right for right in p] for c, p in PATTERNS.items()}),
        conflict("c1", "q06", True, "resolved"),
        conflict("c2", "q06", True, "resolved"),
        conflict("c3", "q06", False, "fell_for_planted"),
        item("c7", "q01", True),  # unmatched: must not move B's numbers
    ]
    comparison = compare_runs(items_a, items_b, mode=mode, n_resamples=100)
    metrics_a = compute_metrics(items_a, mode=mode, with_ci=False)
    metrics_b = compute_metrics(items_b[:-1], mode=mode, with_ci=False)
    assert [r.key for r in comparison.overall] == list(OVERALL_METRICS)
    for delta_row in comparison.overall:
        assert delta_row.a == pytest.approx(metrics_a[delta_row.key])
        assert delta_row.b == pytest.approx(metrics_b[delta_row.key])
    assert row(comparison.overall, "pass_rate").count == 4
    assert row(comparison.overall, "cars").count == 3


def test_reference_mode_leaves_a_challenge_without_prediction_out_of_that_run_only():
    items_a = [*run({"c1": [True, True]}), *run({"c2": [False, False]}, predicted=False)]
    items_b = run({"c1": [True, False], "c2": [True, True]})
    reference = row(compare_runs(items_a, items_b, mode="reference").overall, "answer_accuracy")
    strict = row(compare_runs(items_a, items_b, mode="strict").overall, "answer_accuracy")
    assert (reference.a, reference.b) == (1.0, 0.75)
    assert (strict.a, strict.b) == (0.5, 0.75)


def test_skills_follow_the_metrics_order_with_their_question_counts():
    items_a = [
        item("c1", "q01", True, category="computation"),
        item("c1", "q02", False, category="direct_extraction"),
        item("c1", "q03", True, category="direct_extraction"),
    ]
    items_b = [
        item("c1", "q01", False, category="computation"),
        item("c1", "q02", True, category="direct_extraction"),
        item("c1", "q03", True, category="direct_extraction"),
    ]
    skills = compare_runs(items_a, items_b, mode="strict").skills
    order = [s for s in SKILL_CATEGORIES if s in ("computation", "direct_extraction")]
    assert [s.key for s in skills] == order
    extraction = row(skills, "direct_extraction")
    assert (extraction.a, extraction.b, extraction.count) == (0.5, 1.0, 2)
    assert row(skills, "computation").delta == -1.0


def test_relative_improvement_is_none_where_the_baseline_domain_is_at_zero():
    items_a = [
        *run({"c1": [False, False]}, domain="biology"),
        *run({"c2": [True, False], "c3": [True, True]}, domain="physics"),
    ]
    items_b = [
        *run({"c1": [True, False]}, domain="biology"),
        *run({"c2": [True, True], "c3": [True, True]}, domain="physics"),
    ]
    domains = compare_runs(items_a, items_b, mode="strict").domains
    biology, physics = row(domains, "biology"), row(domains, "physics")
    assert biology.delta == 0.5
    assert biology.relative_improvement is None
    assert (biology.relative_interval.low, biology.relative_interval.high) == (None, None)
    assert physics.relative_improvement == pytest.approx((1.0 - 0.75) / 0.75)
    assert physics.relative_interval.low is not None


def test_the_same_seed_gives_the_same_intervals():
    items_a = run(PATTERNS)
    items_b = run({c: list(reversed(p)) for c, p in PATTERNS.items()})
    first = compare_runs(items_a, items_b, mode="strict", seed=7)
    again = compare_runs(items_a, items_b, mode="strict", seed=7)
    assert first == again
    assert (first.n_resamples, first.seed) == (2000, 7)


def test_as_dict_round_trips_through_json():
    comparison = compare_runs(run(PATTERNS), run(PATTERNS), mode="strict", n_resamples=20)
    document = comparison.as_dict()
    assert json.loads(json.dumps(document, allow_nan=False)) == document
    assert document["flips"]["both_right"]["keys"][0] == ["c1", "q01"]
    assert set(document["domains"][0]) >= {
        "key",
        "a",
        "b",
        "delta",
        "interval",
        "count",
        "relative_improvement",
        "relative_interval",
    }
