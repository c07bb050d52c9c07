"""The study's comparison of two runs on the same questions (A = baseline, B = candidate).

``compare_runs(items_a, items_b, mode=...)`` pairs the runs' graded questions on
(challenge id, question id), leaves out (and counts) the questions only one run
has, and reports every difference as B − A:

* ``overall``: answer accuracy, pass rate and CARS, computed exactly as
  ``evaluation.metrics`` computes them in ``mode`` (the same per-challenge rows
  and headline formulas, so the numbers equal ``compute_metrics`` on each
  run's paired questions);
* ``skills`` and ``domains``: accuracy per skill category and per domain, and
  per domain the relative improvement (B − A) / A;
* ``paired_test``: the exact McNemar test on the questions that flipped;
* ``flips``: the 2×2 table of per-question outcomes, with the keys in each
  cell so a page can link to the traces that flipped.

Every interval is a 95% percentile bootstrap that resamples *challenges*,
paired: each resample draws the same challenges for both runs, and one set of
resamples (from ``seed``) serves every row. It is vectorised: the per-challenge
counts of both runs are stacked into matrices and each resample's totals are
one matrix product, as in ``evaluation.stats.paired_comparison``.

Per-question flips use each item's ``correct`` as stored. Accuracies follow the
mode's counting rule: in reference mode a challenge the run has no prediction
for is left out of that run's accuracies (so A and B may have different
denominators); in strict mode it counts, all wrong.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields

import numpy as np

from evaluation.metrics import (
    SKILL_CATEGORIES,
    GradedItem,
    _challenge_row,
    _counted,
    _group,
    _headline,
)
from evaluation.stats import (
    DEFAULT_RESAMPLES,
    DEFAULT_SEED,
    Interval,
    mcnemar_exact,
    percentile_interval,
    resample_counts,
)
from traces.grading.types import MODE_REFERENCE, MODE_STRICT

OVERALL_METRICS = ("answer_accuracy", "pass_rate", "cars")
FLIP_CELLS = ("both_right", "only_a", "only_b", "both_wrong")

QuestionKey = tuple[str, str]


@dataclass(frozen=True)
class DeltaRow:
    """One metric (or one group's accuracy) in both runs, B − A and its 95% interval.

    ``count`` is how many paired units stand behind the row: questions for an
    accuracy, challenges for the pass rate, conflict questions for CARS.
    Undefined values (no questions counted) are None.
    """

    key: str
    a: float | None
    b: float | None
    delta: float | None
    interval: Interval
    count: int


@dataclass(frozen=True)
class DomainRow(DeltaRow):
    """A domain's accuracies, delta, and relative improvement (B − A) / A.

    ``relative_improvement`` is None when A's accuracy is 0 (or undefined).
    Its ``relative_interval`` drops the resamples in which A's accuracy is 0,
    so it describes the resamples where the ratio exists; when A is 0 in
    every resample it is (None, None).
    """

    relative_improvement: float | None
    relative_interval: Interval


@dataclass(frozen=True)
class PairedTest:
    """Exact McNemar test on the discordant questions (only A right, only B right)."""

    only_a: int
    only_b: int
    p_value: float


@dataclass(frozen=True)
class FlipCell:
    """One cell of the flip table: how many questions, and which (challenge id, question id)."""

    count: int
    keys: tuple[QuestionKey, ...]


@dataclass(frozen=True)
class RunComparison:
    """Run B against run A on the questions both runs have (see the module docstring)."""

    mode: str
    questions: int
    challenges: int
    unmatched: int
    n_resamples: int
    seed: int
    overall: tuple[DeltaRow, ...]
    skills: tuple[DeltaRow, ...]
    domains: tuple[DomainRow, ...]
    paired_test: PairedTest
    flips: dict[str, FlipCell]

    def as_dict(self) -> dict:
        """A JSON-ready dict (tuples become lists; undefined values are None)."""
        return _as_lists(asdict(self))


def _as_lists(value):
    if isinstance(value, dict):
        return {key: _as_lists(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_as_lists(item) for item in value]
    return value


def compare_runs(
    items_a: Sequence[GradedItem],
    items_b: Sequence[GradedItem],
    *,
    mode: str,
    n_resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
) -> RunComparison:
    """Compare run B (candidate) with run A (baseline) on their shared questions in ``mode``.

    Raises ValueError for an unknown mode, a question listed twice in one run,
    or runs that share no question.
    """
    if mode not in (MODE_REFERENCE, MODE_STRICT):
        raise ValueError(f"unknown metrics mode {mode!r}")
    paired_a, paired_b, unmatched = _pair(items_a, items_b)
    groups_a, groups_b = _group(paired_a), _group(paired_b)
    challenge_ids = list(groups_a)
    counts = resample_counts(len(challenge_ids), n_resamples, seed)
    chunks_a = [groups_a[c] for c in challenge_ids]
    chunks_b = [groups_b[c] for c in challenge_ids]
    return RunComparison(
        mode=mode,
        questions=len(paired_a),
        challenges=len(challenge_ids),
        unmatched=unmatched,
        n_resamples=n_resamples,
        seed=seed,
        overall=_overall_rows(chunks_a, chunks_b, counts, mode),
        skills=_skill_rows(chunks_a, chunks_b, counts, mode),
        domains=_domain_rows(chunks_a, chunks_b, counts, mode),
        paired_test=_paired_test(paired_a, paired_b),
        flips=_flips(paired_a, paired_b),
    )


# -- pairing -------------------------------------------------------------------------------


def _keyed(items: Sequence[GradedItem], run: str) -> dict[QuestionKey, GradedItem]:
    keyed: dict[QuestionKey, GradedItem] = {}
    for item in items:
        key = (item.challenge_id, item.question_id)
        if key in keyed:
            raise ValueError(f"run {run} lists question {key[0]}/{key[1]} twice")
        keyed[key] = item
    return keyed


def _pair(
    items_a: Sequence[GradedItem], items_b: Sequence[GradedItem]
) -> tuple[list[GradedItem], list[GradedItem], int]:
    """Both runs' items on the shared questions, in run A's order, and the unmatched count."""
    a_by_key, b_by_key = _keyed(items_a, "A"), _keyed(items_b, "B")
    keys = [key for key in a_by_key if key in b_by_key]
    if not keys:
        raise ValueError("the two runs share no questions")
    unmatched = len(a_by_key) + len(b_by_key) - 2 * len(keys)
    return [a_by_key[k] for k in keys], [b_by_key[k] for k in keys], unmatched


# -- headline rows -------------------------------------------------------------------------


def _number(value) -> float | None:
    value = float(value)
    return None if np.isnan(value) else value


def _overall_rows(chunks_a, chunks_b, counts, mode: str) -> tuple[DeltaRow, ...]:
    """Accuracy, pass rate and CARS from metrics' own per-challenge rows and formulas."""
    rows_a = np.array([_challenge_row(chunk, mode) for chunk in chunks_a])
    rows_b = np.array([_challenge_row(chunk, mode) for chunk in chunks_b])
    point_a, point_b = _headline(rows_a.sum(axis=0), mode), _headline(rows_b.sum(axis=0), mode)
    sample_a, sample_b = _headline(counts @ rows_a, mode), _headline(counts @ rows_b, mode)
    units = {
        "answer_accuracy": sum(len(chunk) for chunk in chunks_a),
        "pass_rate": len(chunks_a),
        "cars": sum(1 for chunk in chunks_a for item in chunk if item.is_conflict_question),
    }
    rows = []
    for name in OVERALL_METRICS:
        a, b = _number(point_a[name]), _number(point_b[name])
        rows.append(
            DeltaRow(
                key=name,
                a=a,
                b=b,
                delta=None if a is None or b is None else b - a,
                interval=percentile_interval(sample_b[name] - sample_a[name]),
                count=units[name],
            )
        )
    return tuple(rows)


# -- per-group accuracies ------------------------------------------------------------------


def _group_keys(labels: list[list[str]], order: Sequence[str]) -> list[str]:
    """Groups present in the paired questions: ``order`` first, the rest sorted."""
    present = {label for chunk in labels for label in chunk}
    return [k for k in order if k in present] + sorted(present - set(order))


def _count_matrix(chunks, labels, keys: list[str], mode: str) -> np.ndarray:
    """Per challenge and group: (right, counted, paired questions), shape (challenges, 3, groups).

    ``labels`` holds each question's group as run A records it, so both runs are
    grouped alike even if their metadata differ.
    """
    column = {k: n for n, k in enumerate(keys)}
    matrix = np.zeros((len(chunks), 3, len(keys)))
    for row, (chunk, chunk_labels) in enumerate(zip(chunks, labels, strict=True)):
        for item, label in zip(chunk, chunk_labels, strict=True):
            group = column[label]
            matrix[row, 2, group] += 1
            if _counted(item, mode):
                matrix[row, 0, group] += item.correct
                matrix[row, 1, group] += 1
    return matrix


def _accuracy(right: np.ndarray, counted: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(counted > 0, right / np.where(counted > 0, counted, 1), np.nan)


def _resampled(counts: np.ndarray, matrix: np.ndarray) -> np.ndarray:
    """Each resample's totals of a (challenges, …) matrix: one matrix product."""
    flat = counts @ matrix.reshape(len(matrix), -1)
    return flat.reshape(len(counts), *matrix.shape[1:])


def _group_rows(chunks_a, chunks_b, counts, mode: str, key, order: Sequence[str]):
    """Per group: a DeltaRow on accuracy, plus the resampled accuracies of A and B."""
    labels = [[key(item) for item in chunk] for chunk in chunks_a]
    keys = _group_keys(labels, order)
    matrix_a = _count_matrix(chunks_a, labels, keys, mode)
    matrix_b = _count_matrix(chunks_b, labels, keys, mode)
    total_a, total_b = matrix_a.sum(axis=0), matrix_b.sum(axis=0)
    point_a, point_b = _accuracy(total_a[0], total_a[1]), _accuracy(total_b[0], total_b[1])
    sample_a, sample_b = _resampled(counts, matrix_a), _resampled(counts, matrix_b)
    sample_a = _accuracy(sample_a[:, 0], sample_a[:, 1])
    sample_b = _accuracy(sample_b[:, 0], sample_b[:, 1])
    rows = []
    for n, name in enumerate(keys):
        a, b = _number(point_a[n]), _number(point_b[n])
        rows.append(
            DeltaRow(
                key=name,
                a=a,
                b=b,
                delta=None if a is None or b is None else b - a,
                interval=percentile_interval(sample_b[:, n] - sample_a[:, n]),
                count=int(total_a[2, n]),
            )
        )
    return rows, sample_a, sample_b


def _skill(item: GradedItem) -> str:
    return item.category


def _domain(item: GradedItem) -> str:
    return item.domain


def _skill_rows(chunks_a, chunks_b, counts, mode: str) -> tuple[DeltaRow, ...]:
    rows, _, _ = _group_rows(chunks_a, chunks_b, counts, mode, _skill, SKILL_CATEGORIES)
    return tuple(rows)


def _domain_rows(chunks_a, chunks_b, counts, mode: str) -> tuple[DomainRow, ...]:
    """Domain rows with the relative improvement; resamples where A is 0 become NaN and
    ``percentile_interval`` skips them."""
    rows, sample_a, sample_b = _group_rows(chunks_a, chunks_b, counts, mode, _domain, ())
    with np.errstate(invalid="ignore", divide="ignore"):
        ratios = np.where(sample_a > 0, (sample_b - sample_a) / sample_a, np.nan)
    return tuple(
        DomainRow(
            **{f.name: getattr(row, f.name) for f in fields(row)},
            relative_improvement=row.delta / row.a if row.a and row.delta is not None else None,
            relative_interval=percentile_interval(ratios[:, n]),
        )
        for n, row in enumerate(rows)
    )


# -- per-question flips --------------------------------------------------------------------


def _cell(right_a: bool, right_b: bool) -> str:
    if right_a and right_b:
        return "both_right"
    if right_a:
        return "only_a"
    return "only_b" if right_b else "both_wrong"


def _flips(paired_a: list[GradedItem], paired_b: list[GradedItem]) -> dict[str, FlipCell]:
    keys: dict[str, list[QuestionKey]] = {cell: [] for cell in FLIP_CELLS}
    for a, b in zip(paired_a, paired_b, strict=True):
        keys[_cell(bool(a.correct), bool(b.correct))].append((a.challenge_id, a.question_id))
    return {cell: FlipCell(len(found), tuple(found)) for cell, found in keys.items()}


def _paired_test(paired_a: list[GradedItem], paired_b: list[GradedItem]) -> PairedTest:
    pairs = list(zip(paired_a, paired_b, strict=True))
    only_a = sum(1 for a, b in pairs if a.correct and not b.correct)
    only_b = sum(1 for a, b in pairs if b.correct and not a.correct)
    return PairedTest(only_a=only_a, only_b=only_b, p_value=mcnemar_exact(only_a, only_b))
