"""Read queries for evaluation runs: their metrics (on effective decisions), the run lists,
a suite's leaderboard. Pages, the API and the commands share them."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Max, QuerySet

from challenges.selectors import suites_visible
from evaluation.comparison import compare_runs
from evaluation.metrics import GradedItem, compute_metrics
from evaluation.models import EvalRun, ModelSpec, RunStatus
from evaluation.selectors import suite_items
from traces.models import Audit, Trace

RUN_METRICS_CACHE_SECONDS = 300


def eval_run_list(*, user) -> QuerySet[EvalRun]:
    """The runs on suites ``user`` may read, newest first."""
    return (
        EvalRun.objects.filter(suite__in=suites_visible(user=user))
        .select_related("model_spec", "suite")
        .order_by("-created_at", "-id")
    )


def eval_run_get(*, user, run_id: int) -> EvalRun | None:
    return eval_run_list(user=user).filter(pk=run_id).first()


def model_spec_list() -> QuerySet[ModelSpec]:
    return ModelSpec.objects.order_by("name")


def model_spec_get(*, name: str) -> ModelSpec | None:
    return ModelSpec.objects.filter(name=name).first()


def eval_run_items(*, run: EvalRun, mode: str) -> list[GradedItem]:
    """One GradedItem per question of the run's suite, from the run's traces; a challenge the
    run has not answered (yet) counts as no prediction."""
    traces = dict(Trace.objects.filter(eval_run=run).values_list("challenge_id", "id"))
    return suite_items(suite=run.suite, traces=traces, mode=mode)


def _state_key(run: EvalRun, mode: str) -> str:
    """What a run's metrics depend on: its traces (progress) and the audits (overrides)."""
    marks = (
        run.pk,
        run.progress_done,
        run.status,
        mode,
        Audit.objects.aggregate(m=Max("id"))["m"],
        Trace.objects.filter(eval_run=run).aggregate(m=Max("id"))["m"],
    )
    return "eval-run-metrics:" + ":".join(str(m) for m in marks)


def eval_run_metrics(*, run: EvalRun, mode: str, with_ci: bool = True) -> dict:
    """Every DACR metric of the run in ``mode`` with 95% bootstrap intervals, cached until
    the run answers more or an audit changes a decision."""
    key = _state_key(run, mode) + f":{with_ci}"
    found = cache.get(key)
    if found is None:
        found = compute_metrics(eval_run_items(run=run, mode=mode), mode=mode, with_ci=with_ci)
        cache.set(key, found, RUN_METRICS_CACHE_SECONDS)
    return found


@dataclass(frozen=True)
class LeaderboardRow:
    run: EvalRun
    metrics: dict

    def value(self, key: str) -> float | None:
        return self.metrics.get(key)

    def interval(self, key: str) -> dict:
        return self.metrics.get("ci", {}).get(key, {})

    @property
    def cells(self) -> list[dict[str, str]]:
        """Accuracy, pass rate, CARS and ECE as shown: value and [low, high]."""
        shown = []
        for key in LEADERBOARD_SORTS.values():
            value, interval = self.value(key), self.interval(key)
            scale, digits = (1, 3) if key == "ece" else (100, 1)
            text = "—" if value is None else f"{value * scale:.{digits}f}"
            if key != "ece" and value is not None:
                text += "%"
            bounds = ""
            if interval.get("low") is not None:
                bounds = (
                    f"[{interval['low'] * scale:.{digits}f}, {interval['high'] * scale:.{digits}f}]"
                )
            shown.append({"value": text, "interval": bounds})
        return shown


LEADERBOARD_SORTS = {
    "accuracy": "answer_accuracy",
    "pass_rate": "pass_rate",
    "cars": "cars",
    "ece": "ece",
}


def leaderboard(*, suite, mode: str, sort: str = "accuracy") -> list[LeaderboardRow]:
    """Every succeeded run on ``suite`` with its metrics, best first on ``sort`` (lowest
    first for ECE); runs without a value for it go last."""
    runs = EvalRun.objects.filter(suite=suite, status=RunStatus.SUCCEEDED).select_related(
        "model_spec", "suite"
    )
    rows = [LeaderboardRow(run, eval_run_metrics(run=run, mode=mode)) for run in runs]
    key = LEADERBOARD_SORTS.get(sort, "answer_accuracy")
    lower_is_better = key == "ece"

    def order(row: LeaderboardRow):
        value = row.value(key)
        if value is None:
            return (1, 0.0, row.run.name)
        return (0, value if lower_is_better else -value, row.run.name)

    return sorted(rows, key=order)


def run_trace_ids(run: EvalRun) -> dict[str, int]:
    """The run's trace id per challenge public id."""
    return dict(Trace.objects.filter(eval_run=run).values_list("challenge__public_id", "id"))


def run_comparison(*, run_a: EvalRun, run_b: EvalRun, mode: str):
    """Run B against run A on their shared questions (``evaluation.comparison``), cached
    like the run metrics; None when they share no question (nothing graded yet). Questions
    a run has not answered count as wrong for it, as the public scorer counts them."""
    key = f"eval-compare:{_state_key(run_a, mode)}:{_state_key(run_b, mode)}"
    found = cache.get(key)
    if found is None:
        try:
            found = compare_runs(
                eval_run_items(run=run_a, mode=mode),
                eval_run_items(run=run_b, mode=mode),
                mode=mode,
            )
        except ValueError:
            return None
        cache.set(key, found, RUN_METRICS_CACHE_SECONDS)
    return found
