"""Reference mode equals the public DACR-Bench scorer, decision for decision.

The public scorer's figures for each prediction set were measured with
Node.js (see ``fixtures/regenerate_parity.py``) and stored in
``fixtures/reference_parity.json``; here we rebuild the same sets, grade them
and compare every headline metric and breakdown to 1e-9, and every
question's decision exactly.
"""

from __future__ import annotations

import json
import math

import pytest

from evaluation.metrics import compute_metrics, graded_items
from tests.traces.fixtures.parity_sets import (
    EXPECTED_FILE,
    MINI_FILE,
    SETS,
    build,
    fingerprint,
    load_mini,
)
from traces.grading import MODE_REFERENCE, grade_challenge
from traces.grading.dacr_json import read_benchmark, read_predictions

pytestmark = pytest.mark.skipif(
    not MINI_FILE.exists(),
    reason=f"shared DACR-Bench mini file not found at {MINI_FILE}; parity needs the real data",
)

TOLERANCE = 1e-9
SUMMARY_KEYS = {
    "answerAccuracy": "answer_accuracy",
    "passRate": "pass_rate",
    "trapEvasionRate": "cars",
    "confidenceWeightedAccuracy": "confidence_weighted_accuracy",
    "meanConfidence": "mean_confidence",
    "confidenceCalibration": "ece",
    "citationGroundingScore": "citation_grounding",
    "formatFailureRate": "format_failure_rate",
    "challengesEvaluated": "challenges",
    "questionsEvaluated": "questions",
}
SPLIT_KEYS = {
    "answerAccuracy": "answer_accuracy",
    "meanConfidence": "mean_confidence",
    "trapEvasionRate": "cars",
    "passRate": "pass_rate",
    "challengeCount": "challenges",
    "questionCount": "questions",
}
BREAKDOWN_KEYS = {"accuracy": "accuracy", "meanConfidence": "mean_confidence", "count": "count"}
PUBLIC_MATCH = {
    "exact": "exact",
    "alias": "normalized",
    "numeric": "numeric",
    "contains": "partial",
    "token_f1": "partial",
    "none": "none",
}
PUBLIC_EVASION = {"resolved": True, "fell_for_planted": False, "other": None, "": None}


@pytest.fixture(scope="module")
def mini():
    return load_mini()


@pytest.fixture(scope="module")
def expected():
    return json.loads(EXPECTED_FILE.read_text(encoding="utf-8"))["sets"]


def _grade(benchmark, predictions):
    challenges, _ = read_benchmark(benchmark)
    prediction_set = read_predictions(predictions, challenges=challenges)
    items, verdicts = [], []
    for challenge in challenges:
        grade = grade_challenge(
            challenge, prediction_set.answers.get(challenge.challenge_id), mode=MODE_REFERENCE
        )
        items += graded_items(challenge, grade)
        if grade.predicted:
            verdicts += [(challenge.challenge_id, v) for v in grade.verdicts]
    return compute_metrics(items, mode=MODE_REFERENCE, with_ci=False), verdicts


def _same(ours, theirs) -> bool:
    if theirs is None:
        return ours is None
    if ours is None:
        return False
    return math.isclose(ours, theirs, rel_tol=0, abs_tol=TOLERANCE)


def _compare_table(ours: dict, theirs: dict, keys: dict, where: str) -> list[str]:
    problems = []
    if set(ours) != set(theirs):
        problems.append(f"{where}: keys {sorted(ours)} != public {sorted(theirs)}")
    for label in set(ours) & set(theirs):
        for public_key, our_key in keys.items():
            if not _same(ours[label][our_key], theirs[label][public_key]):
                problems.append(
                    f"{where}[{label}].{our_key}: {ours[label][our_key]} "
                    f"!= public {theirs[label][public_key]}"
                )
    return problems


@pytest.mark.parametrize("name", sorted(SETS))
def test_reference_mode_matches_the_public_scorer(name, mini, expected):
    benchmark, predictions = build(name, mini)
    figures = expected[name]
    assert fingerprint(benchmark, predictions) == figures["fingerprint"], (
        "the prediction set changed since the public figures were measured; "
        "re-run tests/traces/fixtures/regenerate_parity.py"
    )
    metrics, verdicts = _grade(benchmark, predictions)

    problems = [
        f"{ours}: {metrics[ours]} != public {figures['summary'][public]}"
        for public, ours in SUMMARY_KEYS.items()
        if not _same(metrics[ours], figures["summary"][public])
    ]
    problems += _compare_table(
        metrics["by_category"], figures["byCategory"], BREAKDOWN_KEYS, "by_category"
    )
    problems += _compare_table(
        metrics["by_domain"], figures["byDomain"], BREAKDOWN_KEYS, "by_domain"
    )
    problems += _compare_table(metrics["by_hops"], figures["byHops"], BREAKDOWN_KEYS, "by_hops")
    problems += _compare_table(
        metrics["by_split"], figures["bySplit"] or {}, SPLIT_KEYS, "by_split"
    )
    if not _same(metrics["transfer_gap"], figures["transferGap"]):
        problems.append(f"transfer_gap {metrics['transfer_gap']} != {figures['transferGap']}")

    ours = [
        [
            cid,
            v.question_id,
            v.correct,
            PUBLIC_MATCH[v.match_type],
            v.confidence,
            v.citation_score,
            PUBLIC_EVASION[v.conflict_outcome],
        ]
        for cid, v in verdicts
    ]
    assert len(ours) == len(figures["questions"])
    for mine, theirs in zip(ours, figures["questions"], strict=True):
        confidence_same = (mine[4] != mine[4] and theirs[4] is None) or _same(mine[4], theirs[4])
        if mine[:4] != theirs[:4] or not confidence_same or mine[5:] != theirs[5:]:
            problems.append(f"question {mine} != public {theirs}")
    assert not problems, "\n".join(problems[:40])


def test_difficulty_uses_each_questions_own_difficulty_where_the_public_scorer_does_not(
    mini, expected
):
    # The variant gives q03 a different difficulty per challenge; the public scorer
    # reads every q03's difficulty from the first challenge, we read its own.
    benchmark, predictions = build("variant_mixed", mini)
    metrics, _ = _grade(benchmark, predictions)
    public = expected["variant_mixed"]["byDifficulty"]
    ours = {k: v["count"] for k, v in metrics["by_difficulty"].items()}
    challenges, _ = read_benchmark(benchmark)
    truth: dict[str, int] = {}
    for challenge in challenges:
        if challenge.challenge_id in {p["challengeId"] for p in predictions}:
            for question in challenge.questions:
                truth[question.difficulty] = truth.get(question.difficulty, 0) + 1
    assert ours == truth
    assert ours != {k: v["count"] for k, v in public.items()}


def test_whole_document_answers_fool_the_public_scorer(expected):
    # Measured on the mini file: 41% accuracy and 93% conflict evasion for a
    # "model" that pastes the document; strict mode must not repeat this.
    summary = expected["whole_document"]["summary"]
    assert summary["answerAccuracy"] > 0.4
    assert summary["trapEvasionRate"] > 0.9
