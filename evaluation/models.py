"""Model specs and evaluation runs.

A **ModelSpec** names a runner (``evaluation.runners``) and its settings: a lexical
baseline, an OpenAI-compatible endpoint, a local checkpoint with an optional adapter, or a
predictions file. An **EvalRun** is one spec answering every challenge of one suite: its
traces (``Trace.eval_run``) are graded in both verifier modes as they arrive, so the run's
metrics are those of its traces. A run is a background job: its row holds status, progress,
timings, token counts and a self-describing record of what produced it.
"""

from django.conf import settings as django_settings
from django.db import models
from django.db.models import Q

from challenges.models import Suite
from traces.models import Solver


class RunnerName(models.TextChoices):
    LEXICAL = "lexical", "Lexical baseline (no model)"
    HTTP = "http", "OpenAI-compatible endpoint"
    TRANSFORMERS = "transformers", "Local model (transformers)"
    FILE = "file", "Predictions file"


class RunStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


FINISHED_STATUSES = (RunStatus.SUCCEEDED, RunStatus.FAILED, RunStatus.CANCELLED)


def status_constraint(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=Q(status__in=RunStatus.values), name=name)


class RunJob(models.Model):
    """What every long job run by a worker records (evaluation and training runs): the pages
    and the API read their state from these fields, never from Celery."""

    Status = RunStatus

    status = models.CharField(max_length=16, choices=RunStatus.choices, default=RunStatus.QUEUED)
    error = models.TextField(blank=True)
    # Asked from the page or the API; the worker stops at its next checkpoint.
    cancel_requested = models.BooleanField(default=False)
    # Deliveries of the task: a task that keeps killing its worker is stopped (see
    # DACR_TASK_MAX_DELIVERIES).
    deliveries = models.PositiveSmallIntegerField(default=0)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    # What produced the result: settings, prompt version, code revision, package versions.
    record = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        django_settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED_STATUSES

    @property
    def progress_percent(self) -> int:
        if not self.progress_total:
            return 100 if self.status == RunStatus.SUCCEEDED else 0
        return min(100, round(100 * self.progress_done / self.progress_total))

    @property
    def duration_s(self) -> float | None:
        if self.started_at is None:
            return None
        end = self.finished_at
        if end is None:
            from django.utils import timezone

            end = timezone.now()
        return (end - self.started_at).total_seconds()


class ModelSpec(models.Model):
    """A runner and its settings, validated by ``evaluation.runners.make_runner``. The traces
    of its runs are recorded under the solver of the same name."""

    Runner = RunnerName

    name = models.CharField(max_length=128, unique=True)
    runner = models.CharField(max_length=16, choices=RunnerName.choices)
    settings = models.JSONField(default=dict, blank=True)
    description = models.TextField(blank=True)
    created_by = models.ForeignKey(
        django_settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(runner__in=RunnerName.values), name="model_spec_runner_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def queue(self) -> str:
        """Local models run on the ``gpu`` queue, everything else on ``default``."""
        return "gpu" if self.runner == RunnerName.TRANSFORMERS else "default"


class EvalRun(RunJob):
    """One model spec answering every challenge of one suite."""

    name = models.CharField(max_length=128, unique=True)
    model_spec = models.ForeignKey(ModelSpec, on_delete=models.PROTECT, related_name="runs")
    suite = models.ForeignKey(Suite, on_delete=models.PROTECT, related_name="eval_runs")
    solver = models.ForeignKey(Solver, on_delete=models.PROTECT, related_name="eval_runs")
    prompt_tokens = models.PositiveBigIntegerField(default=0)
    completion_tokens = models.PositiveBigIntegerField(default=0)
    # Challenges whose document was cut to fit the model's context, and challenges the
    # runner could not answer (after its retries); both listed in ``record["problems"]``.
    truncated = models.PositiveIntegerField(default=0)
    unanswered = models.PositiveIntegerField(default=0)

    class Meta(RunJob.Meta):
        constraints = [status_constraint("eval_run_status_valid")]
        indexes = [models.Index(fields=["suite", "-created_at"], name="eval_run_suite_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.model_spec} on {self.suite})"
