"""Statistics for comparing runs: bootstrap, Wilson interval, exact McNemar test.

Pure functions over plain numbers; results are dataclasses or dicts that
``json.dumps`` accepts (NaN is reported as None).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Sequence
from dataclasses import asdict, dataclass
from fractions import Fraction
from statistics import NormalDist
from typing import Protocol

import numpy as np

DEFAULT_RESAMPLES = 2000
DEFAULT_SEED = 0


@dataclass(frozen=True)
class Interval:
    """A two-sided interval at ``confidence`` (0.95 → the 2.5th and 97.5th percentiles)."""

    low: float | None
    high: float | None
    confidence: float = 0.95


def resample_counts(n_units: int, n_resamples: int = DEFAULT_RESAMPLES, seed: int = DEFAULT_SEED):
    """How often each unit appears in each bootstrap resample: shape (n_resamples, n_units).

    Resampling is by unit (a challenge), with replacement, each resample the
    size of the original; the same seed gives the same resamples.
    """
    rng = np.random.default_rng(seed)
    if n_units == 0:
        return np.zeros((n_resamples, 0), dtype=np.int64)
    return rng.multinomial(n_units, np.full(n_units, 1.0 / n_units), size=n_resamples)


def percentile_interval(samples, confidence: float = 0.95) -> Interval:
    """Percentile interval of bootstrap samples, skipping resamples with no defined value."""
    values = np.asarray(samples, dtype=float)
    values = values[~np.isnan(values)]
    if values.size == 0:
        return Interval(None, None, confidence)
    tail = (1 - confidence) / 2 * 100
    low, high = np.percentile(values, [tail, 100 - tail])
    return Interval(float(low), float(high), confidence)


def bootstrap_ci(
    units: Sequence[object],
    statistic: Callable[[list[object]], float | None],
    *,
    n_resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
    confidence: float = 0.95,
) -> Interval:
    """Percentile bootstrap interval of ``statistic`` over resampled ``units``.

    General but slow (the statistic runs once per resample); metrics use the
    vectorised path in ``evaluation.metrics`` instead.
    """
    counts = resample_counts(len(units), n_resamples, seed)
    samples = []
    for row in counts:
        resample = [unit for unit, times in zip(units, row, strict=True) for _ in range(times)]
        value = statistic(resample)
        samples.append(math.nan if value is None else value)
    return percentile_interval(samples, confidence)


def wilson_interval(successes: int, trials: int, confidence: float = 0.95) -> Interval:
    """Wilson score interval for a binomial proportion; (None, None) when there are no trials."""
    if trials <= 0:
        return Interval(None, None, confidence)
    z = NormalDist().inv_cdf(1 - (1 - confidence) / 2)
    p = successes / trials
    denominator = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denominator
    # At 0 or n successes the bound is exactly 0 or 1; rounding would leave 1e-17.
    low = 0.0 if successes <= 0 else max(0.0, centre - half)
    high = 1.0 if successes >= trials else min(1.0, centre + half)
    return Interval(low, high, confidence)


def mcnemar_exact(only_a: int, only_b: int) -> float:
    """Two-sided exact McNemar p-value from the discordant pair counts.

    Under the null each discordant question is equally likely to favour
    either run, so the smaller count is Binomial(n, 1/2): p = min(1, 2·P(X ≤
    min)). Exact rational arithmetic keeps tiny p-values from underflowing
    to a wrong 0 for large n. 1.0 when there are no discordant pairs.
    """
    n = only_a + only_b
    if n == 0:
        return 1.0
    k = min(only_a, only_b)
    term, tail = 1, 0
    for i in range(k + 1):
        tail += term
        term = term * (n - i) // (i + 1)
    return float(min(Fraction(1), Fraction(2 * tail, 2**n)))


class PairedItem(Protocol):
    """What a paired comparison needs from a graded question (``GradedItem`` fits)."""

    challenge_id: str
    question_id: str
    domain: str
    correct: bool


@dataclass(frozen=True)
class PairedComparison:
    """Run B against run A on the questions both answered (B − A)."""

    questions: int
    accuracy_a: float | None
    accuracy_b: float | None
    delta: float | None
    delta_interval: Interval
    both_right: int
    only_a: int
    only_b: int
    both_wrong: int
    mcnemar_p: float
    by_domain: dict[str, dict[str, float | int | None]]
    unmatched: int

    def as_dict(self) -> dict:
        """A JSON-ready dict."""
        return asdict(self)


def paired_comparison(
    run_a: Sequence[PairedItem],
    run_b: Sequence[PairedItem],
    *,
    n_resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
) -> PairedComparison:
    """Compare two runs question by question.

    Questions are paired on (challenge id, question id); those only one run
    has are counted in ``unmatched`` and left out. The accuracy delta's
    interval resamples challenges. Per domain: both accuracies, the delta and
    the relative improvement (B − A) / A (None when A is 0).
    """
    a_by_key: dict[Hashable, PairedItem] = {(i.challenge_id, i.question_id): i for i in run_a}
    b_by_key: dict[Hashable, PairedItem] = {(i.challenge_id, i.question_id): i for i in run_b}
    keys = [key for key in a_by_key if key in b_by_key]
    unmatched = len(a_by_key) + len(b_by_key) - 2 * len(keys)
    table = {(True, True): 0, (True, False): 0, (False, True): 0, (False, False): 0}
    domains: dict[str, list[int]] = {}
    challenges: dict[str, list[int]] = {}
    for key in keys:
        a, b = bool(a_by_key[key].correct), bool(b_by_key[key].correct)
        table[(a, b)] += 1
        for bucket in (
            domains.setdefault(a_by_key[key].domain, [0, 0, 0]),
            challenges.setdefault(key[0], [0, 0, 0]),
        ):
            bucket[0] += a
            bucket[1] += b
            bucket[2] += 1
    n = len(keys)
    right_a = table[(True, True)] + table[(True, False)]
    right_b = table[(True, True)] + table[(False, True)]
    sums = np.array(list(challenges.values()), dtype=float).reshape(-1, 3)
    counts = resample_counts(len(sums), n_resamples, seed)
    totals = counts @ sums
    with np.errstate(invalid="ignore", divide="ignore"):
        deltas = (totals[:, 1] - totals[:, 0]) / totals[:, 2]
    return PairedComparison(
        questions=n,
        accuracy_a=right_a / n if n else None,
        accuracy_b=right_b / n if n else None,
        delta=(right_b - right_a) / n if n else None,
        delta_interval=percentile_interval(deltas),
        both_right=table[(True, True)],
        only_a=table[(True, False)],
        only_b=table[(False, True)],
        both_wrong=table[(False, False)],
        mcnemar_p=mcnemar_exact(table[(True, False)], table[(False, True)]),
        by_domain={domain: _domain_row(*row) for domain, row in sorted(domains.items())},
        unmatched=unmatched,
    )


def _domain_row(right_a: int, right_b: int, total: int) -> dict[str, float | int | None]:
    accuracy_a, accuracy_b = right_a / total, right_b / total
    return {
        "questions": total,
        "accuracy_a": accuracy_a,
        "accuracy_b": accuracy_b,
        "delta": accuracy_b - accuracy_a,
        "relative_improvement": (accuracy_b - accuracy_a) / accuracy_a if accuracy_a else None,
    }


def metric_deltas(metrics_a: dict, metrics_b: dict, keys: Sequence[str]) -> dict[str, float | None]:
    """B − A for each headline metric in ``keys`` (None where either side is None)."""
    deltas: dict[str, float | None] = {}
    for key in keys:
        a, b = metrics_a.get(key), metrics_b.get(key)
        deltas[key] = None if a is None or b is None else b - a
    return deltas
