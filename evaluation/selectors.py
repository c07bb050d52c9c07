"""Metrics over stored verdicts, on effective decisions (latest audit, else the verifier)."""

from __future__ import annotations

import math

from django.db.models import F, Max

from challenges.models import Suite
from evaluation.metrics import GradedItem, compute_metrics, graded_items
from traces.gold import gold_challenges
from traces.grading import MODES, VERIFIER_VERSION, grade_challenge
from traces.grading.dacr_json import skill_category
from traces.models import Decision, Solver, Trace
from traces.selectors import verdicts_with_effective_decision


def latest_traces(*, solver: Solver, suite: Suite) -> dict[int, int]:
    """The newest trace id of ``solver`` per challenge of ``suite`` (challenge pk → trace pk)."""
    rows = (
        Trace.objects.filter(solver=solver, challenge__memberships__suite=suite)
        .values("challenge_id")
        .annotate(latest=Max("id"))
    )
    return {row["challenge_id"]: row["latest"] for row in rows}


def solver_suite_items(*, solver: Solver, suite: Suite, mode: str) -> list[GradedItem]:
    """One ``GradedItem`` per question of ``suite`` for ``solver``'s newest trace of each
    challenge; a challenge the solver has no trace for is counted as no prediction, as the
    public scorer counts it."""
    if mode not in MODES:
        raise ValueError(f"unknown verifier mode {mode!r}")
    traces = latest_traces(solver=solver, suite=suite)
    challenge_ids = list(
        suite.memberships.order_by("position").values_list("challenge_id", flat=True)
    )
    missing = [pk for pk in challenge_ids if pk not in traces]
    items: list[GradedItem] = []
    if missing:
        for gold in gold_challenges(missing).values():
            items.extend(graded_items(gold, grade_challenge(gold, None, mode=mode)))
    verdicts = (
        verdicts_with_effective_decision()
        .filter(trace_id__in=traces.values(), mode=mode, verifier_version=VERIFIER_VERSION)
        .values(
            "effective_decision",
            "confidence",
            "conflict_outcome",
            "citation_score",
            challenge_public_id=F("trace__challenge__public_id"),
            domain=F("trace__challenge__domain"),
            split=F("trace__challenge__split"),
            format_failure=F("trace__format_failure"),
            question_code=F("question__question_id"),
            category=F("question__category"),
            source_category=F("question__source_category"),
            hops=F("question__hops"),
            difficulty=F("question__difficulty"),
            conflict=F("question__conflict_id"),
        )
        .order_by("trace__challenge_id", "question__position")
    )
    for row in verdicts:
        confidence = row["confidence"]
        items.append(
            GradedItem(
                challenge_id=row["challenge_public_id"],
                question_id=row["question_code"],
                category=skill_category(row["source_category"] or row["category"]),
                domain=row["domain"],
                hops=row["hops"],
                difficulty=row["difficulty"],
                split=row["split"],
                correct=row["effective_decision"] == Decision.CORRECT,
                # NULL is how a NaN confidence is stored (see traces.services.grading).
                confidence=math.nan if confidence is None else confidence,
                conflict_outcome=row["conflict_outcome"],
                citation_score=row["citation_score"],
                is_conflict_question=row["conflict"] is not None,
                format_failure=row["format_failure"],
                predicted=True,
                source_category=row["source_category"] or row["category"],
            )
        )
    return items


def solver_suite_metrics(*, solver: Solver, suite: Suite, mode: str, with_ci: bool = True) -> dict:
    """Every DACR metric of ``solver`` on ``suite`` in ``mode`` (see ``compute_metrics``)."""
    return compute_metrics(
        solver_suite_items(solver=solver, suite=suite, mode=mode), mode=mode, with_ci=with_ci
    )
