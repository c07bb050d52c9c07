"""``manage.py grade``: a benchmark and a predictions file → traces, verdicts and metrics."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from challenges import dacr_format as fmt
from challenges.models import Challenge, Suite
from challenges.services import benchmark_import
from evaluation.selectors import solver_suite_metrics
from traces.gold import gold_from_record
from traces.grading import MODES
from traces.models import Solver
from traces.prediction_files import read_prediction_file
from traces.services.grading import traces_grade
from traces.services.recording import TraceInput, solver_get_or_create, traces_record


class PredictionsError(ValueError):
    """The predictions file cannot be graded at all (unreadable, or too large)."""


@dataclass
class GradeReport:
    suite: Suite
    solver: Solver
    traces: int
    verdicts: int
    problems: list[str] = field(default_factory=list)
    metrics: dict[str, dict] = field(default_factory=dict)


def predictions_grade(
    *,
    benchmark_path: str | Path,
    predictions_path: str | Path,
    solver_name: str | None = None,
    suite_name: str | None = None,
    with_ci: bool = True,
) -> GradeReport:
    """Import the benchmark (idempotently), record each prediction as a trace of the solver,
    grade every trace in both modes and compute the metrics of the solver on the suite.

    Problems with individual predictions are reported, never raised: unknown challenges are
    skipped, odd answers are graded the way the public scorer treats them."""
    benchmark = fmt.load_benchmark(benchmark_path, max_bytes=settings.DACR_MAX_BENCHMARK_BYTES)
    summary = benchmark_import(benchmark=benchmark, suite_name=suite_name)
    suite = Suite.objects.get(name=summary.suite_name) if summary.suite_name else None
    if suite is None:
        raise PredictionsError("the benchmark file names no suite; pass a suite name")
    path = Path(predictions_path)
    if path.stat().st_size > settings.DACR_MAX_BENCHMARK_BYTES:
        raise PredictionsError(f"{path.name} is larger than the import limit")
    predictions = read_prediction_file(path.read_bytes())
    if predictions.kind == "unreadable":
        raise PredictionsError(predictions.problems[0])
    problems = list(predictions.problems)
    solver = solver_get_or_create(name=solver_name or predictions.model or path.stem)

    in_suite = Challenge.objects.filter(memberships__suite=suite).only("id", "public_id", "version")
    by_key = {(c.public_id, c.version): c for c in in_suite}
    # Predictions name challenges by id: the version is the one in this benchmark file.
    challenges = {r.challenge_id: by_key[(r.challenge_id, r.version)] for r in benchmark.challenges}
    gold = {
        challenges[record.challenge_id].pk: gold_from_record(record)
        for record in benchmark.challenges
    }
    attempts = []
    for entry in predictions.entries:
        challenge = challenges.get(entry.challenge_id)
        if challenge is None:
            problems.append(f"{entry.challenge_id}: not in the benchmark; ignored")
            continue
        known = {q.question_id for q in gold[challenge.pk].questions}
        for question_id in entry.answers or {}:
            if question_id not in known:
                problems.append(f"{entry.challenge_id}: unknown question {question_id!r}; ignored")
        attempts.append(
            TraceInput(challenge=challenge, answers=entry.answers, raw_output=entry.output or "")
        )
    traces = traces_record(solver=solver, attempts=attempts)
    verdicts = traces_grade(traces=traces, gold=gold)
    metrics = {
        mode: solver_suite_metrics(solver=solver, suite=suite, mode=mode, with_ci=with_ci)
        for mode in MODES
    }
    return GradeReport(suite, solver, len(traces), verdicts, problems, metrics)
