"""Agreement between raters, and the verifier's precision and recall against annotators.

Pure: no Django. Raters' labels come in as plain strings; a *pair* is one item's label from
the first rater and from the second (for the verifier against annotators: the verifier's
decision first, the annotator's second).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

CORRECT = "correct"
INCORRECT = "incorrect"
GOLD_WRONG = "gold_wrong"


@dataclass(frozen=True)
class ConfusionMatrix:
    """``counts[i][j]``: items the first rater labelled ``labels[i]`` and the second
    ``labels[j]``."""

    labels: tuple[str, ...]
    counts: tuple[tuple[int, ...], ...]

    @property
    def total(self) -> int:
        return sum(sum(row) for row in self.counts)

    def cell(self, first: str, second: str) -> int:
        return self.counts[self.labels.index(first)][self.labels.index(second)]

    def rows(self) -> list[tuple[str, tuple[int, ...]]]:
        """(label, counts) per row, for a template."""
        return list(zip(self.labels, self.counts, strict=True))


@dataclass(frozen=True)
class Agreement:
    """Observed agreement and Cohen's kappa of ``matrix``; None when there are no items."""

    matrix: ConfusionMatrix
    observed: float | None
    kappa: float | None

    @property
    def items(self) -> int:
        return self.matrix.total


@dataclass(frozen=True)
class VerifierAccuracy:
    """The verifier's decisions scored against annotators' (taken as the truth), with
    ``correct`` as the positive class. Items whose gold the annotator flagged as wrong have
    no truth and are only counted (``gold_wrong``). Ratios are None when undefined."""

    true_positive: int
    false_positive: int
    false_negative: int
    true_negative: int
    gold_wrong: int

    @property
    def items(self) -> int:
        return self.true_positive + self.false_positive + self.false_negative + self.true_negative

    @property
    def precision(self) -> float | None:
        """Of the answers the verifier accepted, the share annotators accept."""
        return _ratio(self.true_positive, self.true_positive + self.false_positive)

    @property
    def recall(self) -> float | None:
        """Of the answers annotators accept, the share the verifier accepted."""
        return _ratio(self.true_positive, self.true_positive + self.false_negative)

    @property
    def accuracy(self) -> float | None:
        return _ratio(self.true_positive + self.true_negative, self.items)


def _ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def confusion_matrix(
    pairs: Iterable[tuple[str, str]], labels: Sequence[str] | None = None
) -> ConfusionMatrix:
    """Count ``pairs`` into a matrix over ``labels`` (default: every label seen, sorted).
    A label outside an explicit ``labels`` raises ValueError."""
    pairs = list(pairs)
    if labels is None:
        labels = sorted({label for pair in pairs for label in pair})
    labels = tuple(labels)
    index = {label: i for i, label in enumerate(labels)}
    counts = [[0] * len(labels) for _ in labels]
    for first, second in pairs:
        if first not in index or second not in index:
            raise ValueError(f"label outside {labels}: {(first, second)}")
        counts[index[first]][index[second]] += 1
    return ConfusionMatrix(labels=labels, counts=tuple(tuple(row) for row in counts))


def observed_agreement(matrix: ConfusionMatrix) -> float | None:
    """The share of items both raters labelled alike; None without items."""
    total = matrix.total
    if not total:
        return None
    return sum(matrix.counts[i][i] for i in range(len(matrix.labels))) / total


def cohens_kappa(matrix: ConfusionMatrix) -> float | None:
    """Cohen's kappa, (p_o − p_e) / (1 − p_e), where p_o is the observed agreement and p_e the
    agreement expected by chance from each rater's label shares. None without items.

    Degenerate case: when both raters put every item in one and the same class, p_e = 1 and
    the formula is 0/0. We define kappa as 1.0 there when agreement is perfect (it always is
    when p_e = 1), else 0.0 — so a tiny, uniform audit reads as "agrees" rather than as an
    error, and the item count next to it tells how much that is worth."""
    total = matrix.total
    if not total:
        return None
    size = len(matrix.labels)
    observed = sum(matrix.counts[i][i] for i in range(size)) / total
    first = [sum(matrix.counts[i]) / total for i in range(size)]
    second = [sum(matrix.counts[i][j] for i in range(size)) / total for j in range(size)]
    expected = sum(a * b for a, b in zip(first, second, strict=True))
    if expected >= 1.0 - 1e-12:
        return 1.0 if observed >= 1.0 - 1e-12 else 0.0
    return (observed - expected) / (1.0 - expected)


def agreement(pairs: Iterable[tuple[str, str]], labels: Sequence[str] | None = None) -> Agreement:
    """The confusion matrix, observed agreement and kappa of ``pairs`` in one go."""
    matrix = confusion_matrix(pairs, labels)
    return Agreement(matrix=matrix, observed=observed_agreement(matrix), kappa=cohens_kappa(matrix))


def verifier_accuracy(pairs: Iterable[tuple[str, str]]) -> VerifierAccuracy:
    """Score (verifier decision, annotator decision) pairs. The verifier says ``correct`` or
    ``incorrect``; the annotator ``correct``, ``incorrect`` or ``gold_wrong`` (counted apart,
    neither right nor wrong for the verifier)."""
    tally: Counter[tuple[str, str]] = Counter()
    for verifier, human in pairs:
        if verifier not in (CORRECT, INCORRECT):
            raise ValueError(f"verifier decision must be correct or incorrect, not {verifier!r}")
        if human not in (CORRECT, INCORRECT, GOLD_WRONG):
            raise ValueError(
                f"annotator decision {human!r} is not one of correct, incorrect, gold_wrong"
            )
        tally[(verifier, human)] += 1
    return VerifierAccuracy(
        true_positive=tally[(CORRECT, CORRECT)],
        false_positive=tally[(CORRECT, INCORRECT)],
        false_negative=tally[(INCORRECT, CORRECT)],
        true_negative=tally[(INCORRECT, INCORRECT)],
        gold_wrong=tally[(CORRECT, GOLD_WRONG)] + tally[(INCORRECT, GOLD_WRONG)],
    )


def human_decision(audit_decision: str, verifier_decision: str) -> str:
    """What an audit says the truth is: ``agree`` takes the verifier's decision; ``correct``,
    ``incorrect`` and ``gold_wrong`` stand for themselves."""
    if audit_decision == "agree":
        return verifier_decision
    if audit_decision not in (CORRECT, INCORRECT, GOLD_WRONG):
        raise ValueError(f"unknown audit decision {audit_decision!r}")
    return audit_decision
