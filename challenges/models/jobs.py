"""Background jobs that write suites: web imports and engine generations."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from challenges.models.choices import GenerationStatus, ImportStatus, _one_of
from challenges.models.suites import Suite


class SuiteJob(models.Model):
    """What every background job that writes a suite records while a worker runs it: the
    page and the API read their state from these fields, never from Celery."""

    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    challenges_created = models.PositiveIntegerField(default=0)
    challenges_unchanged = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    deliveries = models.PositiveSmallIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    @property
    def is_finished(self) -> bool:
        return self.status in ("succeeded", "failed")


class BenchmarkImport(SuiteJob):
    """One upload of a DACR-Bench file through the web; its state is what the page shows."""

    Status = ImportStatus

    file = models.FileField(upload_to="imports/", max_length=255)
    original_name = models.CharField(max_length=255)
    size_bytes = models.PositiveBigIntegerField()
    suite_name = models.CharField(max_length=128, blank=True)
    suite = models.ForeignKey(Suite, null=True, blank=True, on_delete=models.SET_NULL)
    # Progress counts challenges validated so far, out of those in the file.
    status = models.CharField(max_length=16, choices=ImportStatus.choices, default=Status.QUEUED)

    class Meta(SuiteJob.Meta):
        constraints = [_one_of("status", ImportStatus, "benchmark_import_status_valid")]

    def __str__(self) -> str:
        return f"import of {self.original_name} ({self.status})"


class GenerationJob(SuiteJob):
    """One request to generate a synthetic suite with the engine; its state is what the page
    and the API show while a worker runs it."""

    Status = GenerationStatus

    suite_name = models.CharField(max_length=128)
    count = models.PositiveIntegerField()
    # Suite seeds are decimal strings of any width, like engine seeds.
    seed = models.CharField(max_length=80)
    domains = models.JSONField(default=list, blank=True)
    engine_version = models.CharField(max_length=32, blank=True)
    suite = models.ForeignKey(Suite, null=True, blank=True, on_delete=models.SET_NULL)
    status = models.CharField(
        max_length=16, choices=GenerationStatus.choices, default=GenerationStatus.QUEUED
    )

    class Meta(SuiteJob.Meta):
        constraints = [
            _one_of("status", GenerationStatus, "generation_job_status_valid"),
            models.CheckConstraint(condition=Q(count__gte=1), name="generation_job_count_positive"),
        ]

    def __str__(self) -> str:
        return f"generation of {self.suite_name} ({self.status})"
