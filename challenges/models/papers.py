"""An uploaded paper: its stored file, what parsing found, and where it stands."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from challenges.models.choices import PaperStatus, _one_of


class Paper(models.Model):
    Status = PaperStatus

    sha256 = models.CharField(max_length=64, unique=True)
    file = models.FileField(upload_to="papers/", max_length=255)
    original_name = models.CharField(max_length=255)
    size_bytes = models.PositiveBigIntegerField()
    page_count = models.PositiveIntegerField(null=True, blank=True)
    arxiv_id = models.CharField(max_length=32, blank=True)
    arxiv_version = models.PositiveSmallIntegerField(null=True, blank=True)
    arxiv_category = models.CharField(max_length=32, blank=True)
    arxiv_date = models.DateField(null=True, blank=True)
    title = models.TextField(blank=True)
    authors = models.JSONField(default=list, blank=True)
    abstract = models.TextField(blank=True)
    domain = models.CharField(max_length=64, blank=True)
    # The uploader's choice; when set it wins over the domain inferred from the paper.
    domain_override = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.UPLOADED)
    failure_reason = models.TextField(blank=True)
    # ``dataclasses.asdict`` of the parser's ``ParsedPaper``: metadata, sections, blocks, tables.
    parsed = models.JSONField(default=dict, blank=True)
    # How many times a worker picked the paper up; see ``DACR_TASK_MAX_DELIVERIES``.
    deliveries = models.PositiveSmallIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "-created_at"], name="paper_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="paper_sha256_hex"
            ),
            _one_of("status", PaperStatus, "paper_status_valid"),
        ]

    def __str__(self) -> str:
        return self.title or self.original_name

    @property
    def is_finished(self) -> bool:
        return self.status in (PaperStatus.VERIFIED, PaperStatus.FAILED)
