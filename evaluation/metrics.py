"""DACR metrics over graded questions, in reference and strict flavours.

``compute_metrics(items, mode=...)`` returns the JSON-ready dict the ``grade``
command and the run pages show: headline metrics, breakdowns, and 95%
bootstrap intervals that resample challenges (seeded, 2,000 resamples).

Reference mode reproduces the public DACR-Bench scorer's aggregation (see
``traces.grading.reference`` for the per-question rules). Its quirks:

* A challenge with no prediction is left out of every metric except the
  format-failure rate (its share of all challenges) and the domain
  breakdown, where its domain still appears, with accuracy 0 and count 0.
* CARS is the public *conflict-evasion rate*: resolved / (resolved + fell for
  the planted value), where a missing answer counts as falling for it and an
  answer naming neither value is left out; 1.0 when nothing is left.
* ECE bins confidences into [b·0.1, (b+1)·0.1) computed in floating point,
  so 0.3 falls in the bin of 0.2 and a confidence of exactly 1.0 falls in no
  bin at all, while every question still counts in the denominator. A NaN
  confidence (unreadable in the predictions file) also falls in no bin and
  makes mean confidences NaN (reported as None) and the
  confidence-weighted accuracy 0.
* Categories are the file's own (``trap_targeted``), and only the seven
  public ones are reported; hop buckets are "1"…"5" and "6+"; splits are
  "real" and "synthetic" only, each with its own conflict rate (1.0 when it
  has no conflict question) and omitted when it has no scored question.
* Domain accuracies are running weighted averages in challenge order.
* Difficulty is the one exception we do not reproduce: the public scorer
  looks each question's difficulty up by question id in the *first*
  challenge that has that id (so every challenge's q03 gets challenge 1's q03
  difficulty); we use each question's own difficulty.

Strict mode is the plain reading of DESIGN.md: every question of every
challenge counts (a challenge without a prediction is all wrong and a format
failure), CARS = conflict questions answered right / all conflict questions
(a strict verdict is right on a conflict question only if it resolved the
conflict), ECE uses 10 equal bins over [0, 1] with 1.0 in the last bin.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from evaluation.stats import (
    DEFAULT_RESAMPLES,
    DEFAULT_SEED,
    percentile_interval,
    resample_counts,
)
from traces.grading.dacr_json import CONFLICT_RESOLUTION, skill_category
from traces.grading.types import (
    MODE_REFERENCE,
    MODE_STRICT,
    OUTCOME_FELL,
    OUTCOME_RESOLVED,
    ChallengeGrade,
    GoldChallenge,
)

HEADLINE = (
    "answer_accuracy",
    "pass_rate",
    "cars",
    "confidence_weighted_accuracy",
    "mean_confidence",
    "ece",
    "citation_grounding",
    "format_failure_rate",
)
PASS_THRESHOLD = 0.6
PUBLIC_CATEGORIES = (
    "direct_extraction",
    "multi_hop_bridge",
    "comparative",
    "computation",
    "conditional_filtered",
    "trap_targeted",
    "cross_section_synthesis",
)
SKILL_CATEGORIES = tuple(
    CONFLICT_RESOLUTION if c == "trap_targeted" else c for c in PUBLIC_CATEGORIES
)
HOP_LABELS = ("1", "2", "3", "4", "5", "6+")
DIFFICULTIES = ("easy", "medium", "hard")
SPLITS = ("real", "synthetic")
_REFERENCE_EDGES = tuple(b * (1 / 10) for b in range(11))  # the public scorer's float edges


@dataclass(frozen=True, slots=True)
class GradedItem:
    """One question's effective grade, with what metrics group it by.

    ``correct`` is the effective decision (latest audit, else the verifier).
    ``predicted`` False marks a placeholder for a challenge the run has no
    prediction for. ``source_category`` is the category as written in the
    benchmark file (reference breakdowns use it); None derives it from
    ``category``.
    """

    challenge_id: str
    question_id: str
    category: str
    domain: str
    hops: int
    difficulty: str
    split: str
    correct: bool
    confidence: float
    conflict_outcome: str = ""
    citation_score: float | None = 0.0
    is_conflict_question: bool = False
    format_failure: bool = False
    predicted: bool = True
    source_category: str | None = None


def graded_items(
    challenge: GoldChallenge,
    grade: ChallengeGrade,
    *,
    format_failure: bool = False,
    decisions: Mapping[str, bool] | None = None,
) -> list[GradedItem]:
    """Items for one challenge's grade; ``decisions`` overrides correctness per question id."""
    verdicts = {verdict.question_id: verdict for verdict in grade.verdicts}
    items = []
    for question in challenge.questions:
        verdict = verdicts[question.question_id]
        correct = verdict.correct
        if decisions is not None and question.question_id in decisions:
            correct = decisions[question.question_id]
        items.append(
            GradedItem(
                challenge_id=challenge.challenge_id,
                question_id=question.question_id,
                category=skill_category(question.category),
                domain=challenge.domain,
                hops=question.hops,
                difficulty=question.difficulty,
                split=challenge.split,
                correct=correct,
                confidence=verdict.confidence,
                conflict_outcome=verdict.conflict_outcome,
                citation_score=verdict.citation_score,
                is_conflict_question=question.conflict is not None,
                format_failure=format_failure,
                predicted=grade.predicted,
                source_category=question.category,
            )
        )
    return items


# Columns of the per-challenge aggregate table the headline metrics are computed from.
_N, _CORRECT, _CONF, _CONF_RIGHT, _CITATION, _PASSED, _SCORED, _FAILED, _UNITS = range(9)
_RESOLVED, _CONFLICTS, _BIN_COUNT, _BIN_CONF, _BIN_RIGHT = 9, 10, 11, 21, 31
_WIDTH = 41


def _group(items: Sequence[GradedItem]) -> dict[str, list[GradedItem]]:
    groups: dict[str, list[GradedItem]] = {}
    for item in items:
        groups.setdefault(item.challenge_id, []).append(item)
    return groups


def _counted(item: GradedItem, mode: str) -> bool:
    return item.predicted or mode == MODE_STRICT


def _bin(confidence: float, mode: str) -> int | None:
    if confidence != confidence:
        return None
    if mode == MODE_STRICT:
        return min(max(int(confidence * 10), 0), 9)
    for b in range(10):
        if _REFERENCE_EDGES[b] <= confidence < _REFERENCE_EDGES[b + 1]:
            return b
    return None


def _challenge_row(items: list[GradedItem], mode: str) -> np.ndarray:
    row = np.zeros(_WIDTH)
    row[_UNITS] = 1
    failed = not items[0].predicted or (
        mode == MODE_STRICT and any(i.format_failure for i in items)
    )
    row[_FAILED] = failed
    if not _counted(items[0], mode):
        return row
    row[_N] = len(items)
    row[_CORRECT] = sum(1 for i in items if i.correct)
    row[_CONF] = sum(i.confidence for i in items)
    row[_CONF_RIGHT] = sum(i.confidence for i in items if i.correct)
    row[_CITATION] = sum(i.citation_score or 0.0 for i in items)
    row[_PASSED] = row[_CORRECT] / len(items) >= PASS_THRESHOLD
    row[_SCORED] = 1
    if mode == MODE_REFERENCE:
        row[_RESOLVED] = sum(1 for i in items if i.conflict_outcome == OUTCOME_RESOLVED)
        row[_CONFLICTS] = sum(
            1 for i in items if i.conflict_outcome in (OUTCOME_RESOLVED, OUTCOME_FELL)
        )
    else:
        row[_RESOLVED] = sum(1 for i in items if i.is_conflict_question and i.correct)
        row[_CONFLICTS] = sum(1 for i in items if i.is_conflict_question)
    for item in items:
        b = _bin(item.confidence, mode)
        if b is not None:
            row[_BIN_COUNT + b] += 1
            row[_BIN_CONF + b] += item.confidence
            row[_BIN_RIGHT + b] += item.correct
    return row


def _ratio(numerator, denominator, empty):
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(
            denominator > 0, numerator / np.where(denominator > 0, denominator, 1), empty
        )


def _headline(totals: np.ndarray, mode: str) -> dict[str, np.ndarray]:
    """Headline metrics from summed challenge rows; ``totals`` is (..., _WIDTH)."""
    t = np.moveaxis(totals, -1, 0)
    count = t[_BIN_COUNT:_BIN_CONF]
    with np.errstate(invalid="ignore", divide="ignore"):
        gaps = np.abs(t[_BIN_RIGHT:] / count - t[_BIN_CONF:_BIN_RIGHT] / count)
        ece_terms = np.where(count > 0, count / np.where(t[_N] > 0, t[_N], 1) * gaps, 0.0)
    return {
        "answer_accuracy": _ratio(t[_CORRECT], t[_N], 0.0),
        "pass_rate": _ratio(t[_PASSED], t[_SCORED], 0.0),
        "cars": _ratio(t[_RESOLVED], t[_CONFLICTS], 1.0 if mode == MODE_REFERENCE else np.nan),
        # `conf > 0` is False for NaN, as in the public scorer.
        "confidence_weighted_accuracy": _ratio(t[_CONF_RIGHT], t[_CONF], 0.0),
        "mean_confidence": np.where(t[_N] > 0, t[_CONF] / np.where(t[_N] > 0, t[_N], 1), 0.0),
        "ece": ece_terms.sum(axis=0),
        "citation_grounding": _ratio(t[_CITATION], t[_N], 0.0),
        "format_failure_rate": _ratio(t[_FAILED], t[_UNITS], 0.0),
    }


def _json_number(value) -> float | None:
    value = float(value)
    return None if math.isnan(value) else value


def _summary(items: list[GradedItem]) -> dict:
    confidence = sum(i.confidence for i in items)
    return {
        "accuracy": sum(1 for i in items if i.correct) / len(items),
        "count": len(items),
        "mean_confidence": _json_number(confidence / len(items)),
    }


def _breakdown(keyed: Mapping[str, list[GradedItem]], order: Sequence[str]) -> dict[str, dict]:
    keys = [k for k in order if keyed.get(k)] + sorted(k for k in keyed if k not in order)
    return {key: _summary(keyed[key]) for key in keys if keyed[key]}


def _hop_label(hops: int) -> str | None:
    if hops >= 6:
        return "6+"
    return str(hops) if hops >= 1 else None


def _reference_category(item: GradedItem) -> str:
    if item.source_category is not None:
        return item.source_category
    return "trap_targeted" if item.category == CONFLICT_RESOLUTION else item.category


def _by(items: list[GradedItem], key) -> dict[str, list[GradedItem]]:
    keyed: dict[str, list[GradedItem]] = {}
    for item in items:
        label = key(item)
        if label is not None:
            keyed.setdefault(label, []).append(item)
    return keyed


def _by_domain_reference(groups: dict[str, list[GradedItem]]) -> dict[str, dict]:
    # The public scorer keeps a running weighted average per domain, in challenge order.
    domains: dict[str, dict] = {}
    for items in groups.values():
        entry = domains.setdefault(
            items[0].domain, {"accuracy": 0.0, "count": 0, "mean_confidence": 0.0}
        )
        if not items[0].predicted:
            continue
        total = entry["count"] + len(items)
        right = sum(1 for i in items if i.correct)
        confidence = sum(i.confidence for i in items)
        entry["accuracy"] = (entry["accuracy"] * entry["count"] + right) / total
        entry["mean_confidence"] = (entry["mean_confidence"] * entry["count"] + confidence) / total
        entry["count"] = total
    for entry in domains.values():
        entry["mean_confidence"] = _json_number(entry["mean_confidence"])
    return domains


def _split_summary(groups: list[list[GradedItem]], mode: str) -> dict:
    rows = np.array([_challenge_row(items, mode) for items in groups])
    head = _headline(rows.sum(axis=0), mode)
    return {
        "answer_accuracy": _json_number(head["answer_accuracy"]),
        "pass_rate": _json_number(head["pass_rate"]),
        "cars": _json_number(head["cars"]),
        "mean_confidence": _json_number(head["mean_confidence"]),
        "challenges": int(rows[:, _SCORED].sum()),
        "questions": int(rows[:, _N].sum()),
    }


def compute_metrics(
    items: Sequence[GradedItem],
    *,
    mode: str,
    with_ci: bool = True,
    n_resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
) -> dict:
    """Every DACR metric over ``items`` in ``mode`` ("reference" or "strict").

    Returns a JSON-ready dict: the ``HEADLINE`` metrics, ``challenges``,
    ``questions``, ``transfer_gap`` (None unless both splits are present),
    ``by_category``/``by_domain``/``by_hops``/``by_difficulty`` (key →
    accuracy, count, mean_confidence), ``by_split`` (split → answer_accuracy,
    pass_rate, cars, mean_confidence, challenges, questions) and ``ci``
    (metric → low, high). Undefined values are None.
    """
    if mode not in (MODE_REFERENCE, MODE_STRICT):
        raise ValueError(f"unknown metrics mode {mode!r}")
    groups = _group(items)
    rows = np.array([_challenge_row(g, mode) for g in groups.values()]).reshape(-1, _WIDTH)
    head = _headline(rows.sum(axis=0), mode)
    metrics: dict = {name: _json_number(head[name]) for name in HEADLINE}
    metrics["challenges"] = int(rows[:, _SCORED].sum())
    metrics["questions"] = int(rows[:, _N].sum())

    counted = [i for i in items if _counted(i, mode)]
    if mode == MODE_REFERENCE:
        by_category = _by(counted, _reference_category)
        metrics["by_category"] = {
            k: _summary(by_category[k]) for k in PUBLIC_CATEGORIES if k in by_category
        }
        metrics["by_domain"] = _by_domain_reference(groups)
    else:
        metrics["by_category"] = _breakdown(_by(counted, lambda i: i.category), SKILL_CATEGORIES)
        metrics["by_domain"] = _breakdown(_by(counted, lambda i: i.domain), ())
    metrics["by_hops"] = _breakdown(_by(counted, lambda i: _hop_label(i.hops)), HOP_LABELS)
    by_difficulty = _by(counted, lambda i: i.difficulty)
    if mode == MODE_REFERENCE:
        by_difficulty = {k: v for k, v in by_difficulty.items() if k in DIFFICULTIES}
    metrics["by_difficulty"] = _breakdown(by_difficulty, DIFFICULTIES)

    split_groups: dict[str, list[list[GradedItem]]] = {}
    for group in groups.values():
        split_groups.setdefault(group[0].split, []).append(group)
    order = (
        SPLITS if mode == MODE_REFERENCE else (*SPLITS, *sorted(set(split_groups) - set(SPLITS)))
    )
    metrics["by_split"] = {}
    for split in order:
        if split in split_groups:
            summary = _split_summary(split_groups[split], mode)
            if summary["questions"] > 0:
                metrics["by_split"][split] = summary
    real, synthetic = metrics["by_split"].get("real"), metrics["by_split"].get("synthetic")
    metrics["transfer_gap"] = (
        abs(real["answer_accuracy"] - synthetic["answer_accuracy"]) if real and synthetic else None
    )
    if with_ci:
        metrics["ci"] = _intervals(rows, mode, n_resamples, seed)
    return metrics


def _intervals(rows: np.ndarray, mode: str, n_resamples: int, seed: int) -> dict[str, dict]:
    counts = resample_counts(len(rows), n_resamples, seed)
    samples = _headline(counts @ rows, mode)
    intervals = {}
    for name in HEADLINE:
        interval = percentile_interval(samples[name])
        intervals[name] = {"low": interval.low, "high": interval.high}
    return intervals
