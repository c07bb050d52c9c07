"""Suites (named, ordered sets of challenges) and their validity reports."""

from django.conf import settings
from django.db import models

from challenges.models.content import Challenge


class Suite(models.Model):
    """A named, ordered set of challenges. Frozen once an evaluation uses it."""

    name = models.CharField(max_length=128, unique=True)
    description = models.TextField(blank=True)
    challenges = models.ManyToManyField(Challenge, through="SuiteMembership", related_name="suites")
    # Top-level fields of the file it came from (name, version, createdAt…), for export.
    source_header = models.JSONField(default=dict, blank=True)
    frozen_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None


class SuiteMembership(models.Model):
    suite = models.ForeignKey(Suite, on_delete=models.CASCADE, related_name="memberships")
    challenge = models.ForeignKey(Challenge, on_delete=models.PROTECT, related_name="memberships")
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["suite", "position"]
        constraints = [
            models.UniqueConstraint(fields=["suite", "challenge"], name="suite_membership_unique"),
            models.UniqueConstraint(
                fields=["suite", "position"], name="suite_membership_position_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.suite} #{self.position}: {self.challenge}"


class ValidityReport(models.Model):
    """A suite's validity report: how the baseline and trivial solvers do on it, and whether
    positions, cues and lengths give answers away. Kept as history; pages show the latest."""

    suite = models.ForeignKey(Suite, on_delete=models.CASCADE, related_name="validity_reports")
    report = models.JSONField()
    challenge_count = models.PositiveIntegerField()
    targets_met = models.BooleanField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["suite", "-created_at"], name="validity_suite_latest_idx")]

    def __str__(self) -> str:
        return f"validity report of {self.suite} ({self.created_at:%Y-%m-%d %H:%M})"
