"""SFT datasets built from graded traces, and QLoRA training runs on them.

A **TrainingDataset** is the result of ``training.data.build_dataset`` saved to disk (the
``datasets`` library's ``save_to_disk`` plus JSON Lines) with its spec, statistics, token
lengths and content hash. A **TrainingRun** trains an adapter on one dataset with one
``QLoRAConfig``; its log rows (``TrainingLog``) draw the live loss curve, and the finished
adapter is registered as a ModelSpec ready for an evaluation run.
"""

from django.conf import settings as django_settings
from django.db import models
from django.db.models import Q

from evaluation.models import ModelSpec, RunJob, RunStatus, status_constraint


class DatasetStatus(models.TextChoices):
    BUILDING = "building", "Building"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class TrainingDataset(models.Model):
    Status = DatasetStatus

    name = models.CharField(max_length=128, unique=True)
    status = models.CharField(
        max_length=16, choices=DatasetStatus.choices, default=DatasetStatus.BUILDING
    )
    error = models.TextField(blank=True)
    # DatasetSpec.as_record(): rule, filters, held-out domains, evaluation suites, …
    spec = models.JSONField(default=dict)
    # DatasetStats and TokenStats as dicts (counts by domain, solver and split; drops).
    stats = models.JSONField(default=dict, blank=True)
    token_stats = models.JSONField(default=dict, blank=True)
    tokenizer = models.CharField(max_length=500, blank=True)
    examples = models.PositiveIntegerField(default=0)
    content_hash = models.CharField(max_length=64, blank=True)
    path = models.CharField(max_length=1000, blank=True)
    prompt_version = models.CharField(max_length=32, blank=True)
    # Deliveries of the build task: a build that keeps killing its worker is stopped (see
    # DACR_TASK_MAX_DELIVERIES).
    deliveries = models.PositiveSmallIntegerField(default=0)
    created_by = models.ForeignKey(
        django_settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=DatasetStatus.values), name="training_dataset_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class TrainingRun(RunJob):
    """QLoRA (or, where 4-bit cannot run, plain LoRA) on one dataset; the record holds the
    plan that actually ran and why."""

    name = models.CharField(max_length=128, unique=True)
    dataset = models.ForeignKey(TrainingDataset, on_delete=models.PROTECT, related_name="runs")
    # QLoRAConfig.as_record(): every field, defaults included.
    config = models.JSONField(default=dict)
    # The plan that ran: "qlora-nf4", "qlora-nf4-cpu" or "lora-fp32", with its notes.
    plan = models.CharField(max_length=32, blank=True)
    plan_notes = models.JSONField(default=list, blank=True)
    output_dir = models.CharField(max_length=1000, blank=True)
    adapter_path = models.CharField(max_length=1000, blank=True)
    last_checkpoint = models.CharField(max_length=1000, blank=True)
    step = models.PositiveIntegerField(default=0)
    max_steps = models.PositiveIntegerField(default=0)
    final_loss = models.FloatField(null=True, blank=True)
    tokens_seen = models.PositiveBigIntegerField(default=0)
    model_spec = models.OneToOneField(
        ModelSpec,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="training_run",
    )

    class Meta(RunJob.Meta):
        constraints = [status_constraint("training_run_status_valid")]

    def __str__(self) -> str:
        return self.name


class TrainingLog(models.Model):
    """One logged training step: what the loss curve and the progress line draw."""

    run = models.ForeignKey(TrainingRun, on_delete=models.CASCADE, related_name="logs")
    step = models.PositiveIntegerField()
    epoch = models.FloatField(null=True, blank=True)
    loss = models.FloatField(null=True, blank=True)
    learning_rate = models.FloatField(null=True, blank=True)
    tokens_per_s = models.FloatField(null=True, blank=True)
    gpu_memory_mb = models.FloatField(null=True, blank=True)
    eta_s = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["run", "step"]
        constraints = [
            models.UniqueConstraint(fields=["run", "step"], name="training_log_unique_step"),
        ]

    def __str__(self) -> str:
        return f"{self.run} step {self.step}"


__all__ = ["RunStatus", "TrainingDataset", "TrainingLog", "TrainingRun"]
