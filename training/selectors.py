"""Read queries the training pages and API share. Every role from viewer up reads every
dataset and run, so the selectors take no user; the views and API check the role."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from challenges.models import Challenge, Suite
from evaluation.models import EvalRun
from traces.models import Solver
from training.models import TrainingDataset, TrainingLog, TrainingRun

LOG_FIELDS = (
    "step",
    "epoch",
    "loss",
    "learning_rate",
    "tokens_per_s",
    "gpu_memory_mb",
    "eta_s",
)


def dataset_list() -> QuerySet[TrainingDataset]:
    # Meta.ordering does not apply to a GROUP BY query: order explicitly.
    datasets = TrainingDataset.objects.select_related("created_by")
    return datasets.annotate(run_count=Count("runs")).order_by("-created_at", "-id")


def dataset_get(*, dataset_id: int) -> TrainingDataset | None:
    return TrainingDataset.objects.select_related("created_by").filter(pk=dataset_id).first()


def run_list(*, dataset: TrainingDataset | None = None) -> QuerySet[TrainingRun]:
    runs = TrainingRun.objects.select_related("dataset", "model_spec", "created_by")
    return runs.filter(dataset=dataset) if dataset is not None else runs


def run_get(*, run_id: int) -> TrainingRun | None:
    return run_list().filter(pk=run_id).first()


def run_log(*, run: TrainingRun, after_step: int = 0) -> list[dict]:
    """The run's log rows after ``after_step``, in step order, as plain dicts."""
    rows = TrainingLog.objects.filter(run=run, step__gt=after_step).order_by("step")
    return list(rows.values(*LOG_FIELDS))


def run_latest_log(*, run: TrainingRun) -> dict | None:
    return TrainingLog.objects.filter(run=run).order_by("-step").values(*LOG_FIELDS).first()


def adapter_evaluations(*, run: TrainingRun) -> QuerySet[EvalRun]:
    """Evaluation runs of the run's registered adapter, newest first."""
    if run.model_spec_id is None:
        return EvalRun.objects.none()
    return EvalRun.objects.filter(model_spec_id=run.model_spec_id).select_related("suite")


def solver_names() -> list[str]:
    return list(Solver.objects.order_by("name").values_list("name", flat=True))


def suite_names() -> list[str]:
    return list(Suite.objects.order_by("name").values_list("name", flat=True))


def suites_with_challenges() -> QuerySet[Suite]:
    """Suites an evaluation can run on (at least one challenge)."""
    return Suite.objects.annotate(size=Count("memberships")).filter(size__gt=0).order_by("name")


def challenge_domains() -> list[str]:
    return list(Challenge.objects.order_by("domain").values_list("domain", flat=True).distinct())
