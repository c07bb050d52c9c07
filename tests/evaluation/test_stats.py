"""Statistics: hostile input first, then known values."""

from __future__ import annotations

import json
import math
import random

import pytest

from evaluation.metrics import GradedItem
from evaluation.stats import (
    Interval,
    bootstrap_ci,
    mcnemar_exact,
    metric_deltas,
    paired_comparison,
    percentile_interval,
    resample_counts,
    wilson_interval,
)


def graded(challenge, question, correct, domain="physics"):
    return GradedItem(challenge, question, "computation", domain, 1, "easy", "real", correct, 0.5)


# -- hostile input ---------------------------------------------------------------


def test_empty_inputs_give_undefined_not_errors():
    assert wilson_interval(0, 0) == Interval(None, None)
    assert percentile_interval([]) == Interval(None, None)
    assert percentile_interval([math.nan, math.nan]) == Interval(None, None)
    assert mcnemar_exact(0, 0) == 1.0
    comparison = paired_comparison([], [])
    assert comparison.questions == 0
    assert comparison.delta is None
    json.dumps(comparison.as_dict(), allow_nan=False)


def test_mcnemar_stays_exact_for_lopsided_large_counts():
    p = mcnemar_exact(100, 300)
    assert 0 < p < 1e-20
    assert mcnemar_exact(0, 5000) == 0.0  # below the smallest float, not an error


# -- known values ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("only_a", "only_b", "p"),
    [(0, 5, 0.0625), (5, 0, 0.0625), (3, 12, 576 / 32768 * 2), (1, 1, 1.0), (10, 0, 2 / 1024)],
)
def test_mcnemar_exact_matches_the_binomial_tail(only_a, only_b, p):
    assert mcnemar_exact(only_a, only_b) == pytest.approx(p, rel=1e-12)


def test_wilson_interval_matches_the_textbook_value():
    interval = wilson_interval(8, 10)
    assert interval.low == pytest.approx(0.4902, abs=1e-4)
    assert interval.high == pytest.approx(0.9433, abs=1e-4)
    assert wilson_interval(10, 10).high == 1.0
    assert wilson_interval(0, 10).low == 0.0


def test_resampling_is_seeded_and_keeps_the_sample_size():
    counts = resample_counts(50, 2000, seed=3)
    assert counts.shape == (2000, 50)
    assert (counts.sum(axis=1) == 50).all()
    assert (resample_counts(50, 2000, seed=3) == counts).all()


def test_bootstrap_interval_brackets_the_mean_of_a_known_sample():
    rng = random.Random(1)
    values = [rng.gauss(10, 2) for _ in range(200)]
    interval = bootstrap_ci(values, lambda xs: sum(xs) / len(xs), n_resamples=500)
    assert interval.low < sum(values) / len(values) < interval.high
    assert interval.high - interval.low < 1.5


def test_paired_comparison_counts_agreement_and_per_domain_improvement():
    a = [
        graded("c1", "q01", True),
        graded("c1", "q02", False),
        graded("c2", "q01", False, "bio"),
        graded("c2", "q02", True, "bio"),
        graded("c3", "q01", False),
    ]
    b = [
        graded("c1", "q01", True),
        graded("c1", "q02", True),
        graded("c2", "q01", True, "bio"),
        graded("c2", "q02", False, "bio"),
        graded("c9", "q01", True),
    ]
    result = paired_comparison(a, b)
    assert (result.both_right, result.only_a, result.only_b, result.both_wrong) == (1, 1, 2, 0)
    assert (result.questions, result.unmatched) == (4, 2)
    assert result.delta == pytest.approx(0.25)
    assert result.mcnemar_p == pytest.approx(1.0)
    assert result.by_domain["physics"]["relative_improvement"] == pytest.approx(1.0)
    assert result.by_domain["bio"]["relative_improvement"] == pytest.approx(0.0)
    assert result.delta_interval.low <= result.delta <= result.delta_interval.high


def test_metric_deltas_are_b_minus_a():
    deltas = metric_deltas({"aa": 0.2, "cars": None}, {"aa": 0.5, "cars": 0.4}, ["aa", "cars"])
    assert deltas["aa"] == pytest.approx(0.3)
    assert deltas["cars"] is None
