"""Metrics over stored verdicts, on effective decisions (latest audit, else the verifier)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, F, Max

from challenges.models import Suite
from challenges.selectors import challenge_visibility, suite_list, suites_visible
from evaluation.metrics import GradedItem, compute_metrics, graded_items
from traces.gold import gold_challenges
from traces.grading import MODE_STRICT, MODES, VERIFIER_VERSION, grade_challenge
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
    return suite_items(suite=suite, traces=latest_traces(solver=solver, suite=suite), mode=mode)


def suite_items(*, suite: Suite, traces: dict[int, int], mode: str) -> list[GradedItem]:
    """One ``GradedItem`` per question of ``suite`` from ``traces`` (challenge pk → trace
    pk); a challenge without a trace there is counted as no prediction."""
    if mode not in MODES:
        raise ValueError(f"unknown verifier mode {mode!r}")
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


# --- runs: a solver on a suite, for the pages ---------------------------------------------


@dataclass(frozen=True)
class RunRow:
    """A solver × suite pair that has traces: ``challenges_answered`` of the suite's
    ``suite_challenges`` have at least one trace of the solver."""

    solver_name: str
    suite_id: int
    suite_name: str
    trace_count: int
    challenges_answered: int
    suite_challenges: int
    latest_trace_at: datetime


def _visible_traces(user):
    return Trace.objects.filter(challenge_visibility(user=user, via="challenge__"))


def run_list(*, user) -> list[RunRow]:
    """Every solver × suite pair with a trace ``user`` may read, by solver then suite name.
    Counts are of the traces and challenges ``user`` may read. Two queries."""
    suites = {suite.pk: suite for suite in suite_list(user=user)}
    rows = (
        _visible_traces(user)
        .filter(challenge__memberships__isnull=False)
        .values(
            solver_name=F("solver__name"),
            suite_id=F("challenge__memberships__suite_id"),
            suite_name=F("challenge__memberships__suite__name"),
        )
        .annotate(
            trace_count=Count("id"),
            challenges_answered=Count("challenge_id", distinct=True),
            latest_trace_at=Max("created_at"),
        )
        .order_by("solver_name", "suite_name")
    )
    return [
        RunRow(**row, suite_challenges=suites[row["suite_id"]].challenge_count)
        for row in rows
        if row["suite_id"] in suites
    ]


@dataclass(frozen=True)
class HeadlineMetric:
    """One headline number with its 95% interval, ready to show: ``percent`` metrics are
    shown ×100 with one decimal, the others (ECE) with three decimals."""

    key: str
    label: str
    description: str
    value: float | None
    low: float | None
    high: float | None
    percent: bool = True
    lower_is_better: bool = False

    def _shown(self, number: float | None) -> str:
        if number is None:
            return "—"
        return f"{number * 100:.1f}%" if self.percent else f"{number:.3f}"

    @property
    def shown(self) -> str:
        return self._shown(self.value)

    @property
    def interval_shown(self) -> str:
        if self.low is None or self.high is None:
            return ""
        return f"{self._shown(self.low)} – {self._shown(self.high)}"


# (key, label, description, percent, lower is better), in the order the page shows them.
HEADLINE_METRICS = (
    ("answer_accuracy", "Answer accuracy", "Questions answered correctly.", True, False),
    ("pass_rate", "Pass rate", "Challenges with answer accuracy of at least 60%.", True, False),
    ("cars", "CARS", "Conflict questions answered with the authoritative value.", True, False),
    ("ece", "ECE", "Expected calibration error over 10 confidence bins.", False, True),
    (
        "confidence_weighted_accuracy",
        "Confidence-weighted accuracy",
        "Accuracy with each answer weighted by the model's confidence.",
        True,
        False,
    ),
    (
        "citation_grounding",
        "Citation grounding",
        "How well the answers' citations match the evidence.",
        True,
        False,
    ),
    (
        "format_failure_rate",
        "Format failures",
        "Traces from which no answer could be read.",
        True,
        True,
    ),
    ("mean_confidence", "Mean confidence", "The model's average stated confidence.", True, False),
)


@dataclass(frozen=True)
class BreakdownRow:
    label: str
    accuracy: float | None
    count: int
    mean_confidence: float | None


@dataclass(frozen=True)
class Breakdown:
    title: str
    key_label: str
    rows: list[BreakdownRow]


@dataclass(frozen=True)
class RunSummary:
    """A solver's metrics on a suite in one verifier mode (:func:`solver_suite_metrics`)
    arranged for the run page; ``metrics`` is the full dict. Percentages are ×100."""

    solver: Solver
    suite: Suite
    mode: str
    metrics: dict
    headline: list[HeadlineMetric] = field(default_factory=list)
    breakdowns: list[Breakdown] = field(default_factory=list)
    splits: list[dict] = field(default_factory=list)

    @property
    def transfer_gap(self) -> float | None:
        gap = self.metrics.get("transfer_gap")
        return None if gap is None else gap * 100


def _number(value) -> float | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


def _percent(value) -> float | None:
    value = _number(value)
    return None if value is None else value * 100


def headline_metrics(metrics: dict) -> list[HeadlineMetric]:
    intervals = metrics.get("ci", {})
    return [
        HeadlineMetric(
            key=key,
            label=label,
            description=description,
            value=_number(metrics.get(key)),
            low=_number(intervals.get(key, {}).get("low")),
            high=_number(intervals.get(key, {}).get("high")),
            percent=percent,
            lower_is_better=lower_is_better,
        )
        for key, label, description, percent, lower_is_better in HEADLINE_METRICS
    ]


def _breakdown(title: str, key_label: str, entries: dict, *, hops: bool = False) -> Breakdown:
    return Breakdown(
        title=title,
        key_label=key_label,
        rows=[
            BreakdownRow(
                label=f"{key} hop{'' if key == '1' else 's'}" if hops else key.replace("_", " "),
                accuracy=_percent(entry.get("accuracy")),
                count=entry.get("count", 0),
                mean_confidence=_percent(entry.get("mean_confidence")),
            )
            for key, entry in entries.items()
        ],
    )


def run_get(*, user, solver_name: str, suite_id: int) -> tuple[Solver, Suite] | None:
    """The solver and suite of a run ``user`` may read: the suite is visible to them and the
    solver has at least one trace they may read on it. None otherwise."""
    suite = suites_visible(user=user).filter(pk=suite_id).first()
    solver = Solver.objects.filter(name=solver_name).first()
    if suite is None or solver is None:
        return None
    has_traces = (
        _visible_traces(user).filter(solver=solver, challenge__memberships__suite=suite).exists()
    )
    return (solver, suite) if has_traces else None


def run_summary(*, user, solver_name: str, suite_id: int, mode: str = MODE_STRICT):
    """The run page's :class:`RunSummary` of ``solver_name`` on suite ``suite_id`` in ``mode``
    (with 95% bootstrap intervals), or None when :func:`run_get` finds no such run. Challenges
    of the suite the solver never answered count as no prediction."""
    run = run_get(user=user, solver_name=solver_name, suite_id=suite_id)
    if run is None:
        return None
    solver, suite = run
    metrics = solver_suite_metrics(solver=solver, suite=suite, mode=mode, with_ci=True)
    return RunSummary(
        solver=solver,
        suite=suite,
        mode=mode,
        metrics=metrics,
        headline=headline_metrics(metrics),
        breakdowns=[
            _breakdown("By category", "Category", metrics.get("by_category", {})),
            _breakdown("By domain", "Domain", metrics.get("by_domain", {})),
            _breakdown("By hops", "Hops", metrics.get("by_hops", {}), hops=True),
            _breakdown("By difficulty", "Difficulty", metrics.get("by_difficulty", {})),
        ],
        splits=[
            {
                "split": split,
                "answer_accuracy": _percent(entry.get("answer_accuracy")),
                "pass_rate": _percent(entry.get("pass_rate")),
                "cars": _percent(entry.get("cars")),
                "mean_confidence": _percent(entry.get("mean_confidence")),
                "challenges": entry.get("challenges", 0),
                "questions": entry.get("questions", 0),
            }
            for split, entry in metrics.get("by_split", {}).items()
        ],
    )
