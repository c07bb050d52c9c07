"""A challenge and what it is made of: facts, conflicts, questions and its edit history.

A published challenge is immutable: its content hash (sha256 of its canonical DACR-Bench
record) is stored, and services refuse to edit it. Write through ``challenges.services``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from challenges.models.choices import (
    Category,
    ChallengeStatus,
    Difficulty,
    EditAction,
    SourceType,
    Split,
    SubordinatePosition,
    _one_of,
)
from challenges.models.papers import Paper


class Challenge(models.Model):
    Status = ChallengeStatus
    SourceType = SourceType

    public_id = models.CharField(max_length=64)
    version = models.CharField(max_length=16, default="1.0")
    split = models.CharField(max_length=16, choices=Split.choices)
    domain = models.CharField(max_length=64)
    source_type = models.CharField(max_length=16, choices=SourceType.choices)
    paper = models.ForeignKey(
        Paper, null=True, blank=True, on_delete=models.PROTECT, related_name="challenges"
    )
    source_document_id = models.CharField(max_length=255, blank=True)
    engine_domain = models.CharField(max_length=64, blank=True)
    # Engine seeds are decimal strings wider than 64 bits.
    engine_seed = models.CharField(max_length=80, blank=True)
    engine_version = models.CharField(max_length=32, blank=True)
    document_text = models.TextField()
    # Each paragraph: {"index", "section", "start", "end"} offsets into document_text.
    paragraphs = models.JSONField(default=list, blank=True)
    sections = models.JSONField(default=list, blank=True)
    word_count = models.PositiveIntegerField(default=0)
    paragraph_count = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    verification_report = models.JSONField(default=dict, blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    # Keys of the source record we do not model, kept so export is lossless:
    # {"challenge": {...}, "source": {...}, "document": {...}} (levels present when non-empty).
    extra = models.JSONField(default=dict, blank=True)
    content_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["public_id", "version"]
        indexes = [
            models.Index(fields=["split", "domain"], name="challenge_split_domain_idx"),
            models.Index(fields=["status"], name="challenge_status_idx"),
            models.Index(fields=["domain"], name="challenge_domain_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["public_id", "version"], name="challenge_public_id_version_unique"
            ),
            _one_of("split", Split, "challenge_split_valid"),
            _one_of("status", ChallengeStatus, "challenge_status_valid"),
            _one_of("source_type", SourceType, "challenge_source_type_valid"),
            models.CheckConstraint(
                condition=Q(content_hash__regex=r"^[0-9a-f]{64}$"), name="challenge_hash_hex"
            ),
            models.CheckConstraint(
                condition=Q(source_type="engine") | Q(engine_seed=""),
                name="challenge_seed_only_for_engine",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.public_id} v{self.version}"

    @property
    def is_published(self) -> bool:
        return self.status == ChallengeStatus.PUBLISHED


class Fact(models.Model):
    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="facts")
    fact_id = models.CharField(max_length=128)
    position = models.PositiveIntegerField()
    entity = models.TextField()
    attribute = models.TextField()
    value = models.JSONField()
    value_type = models.CharField(max_length=32)
    section = models.TextField(blank=True)
    paragraph_index = models.IntegerField(null=True, blank=True)
    quote = models.TextField(blank=True)
    # {"fact": {...}, "location": {...}}: source keys we do not model, for lossless export.
    extra = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["challenge", "position"]
        constraints = [
            models.UniqueConstraint(fields=["challenge", "fact_id"], name="fact_id_unique"),
            models.UniqueConstraint(fields=["challenge", "position"], name="fact_position_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.fact_id}: {self.entity}.{self.attribute}"


class Conflict(models.Model):
    """A fact stated twice with different values: the paper's (authoritative) statement and
    a planted, lower-authority (subordinate) one. The file format calls it a trap."""

    Position = SubordinatePosition

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="conflicts")
    conflict_id = models.CharField(max_length=64)
    position = models.PositiveIntegerField()
    target_fact = models.ForeignKey(
        Fact, null=True, blank=True, on_delete=models.PROTECT, related_name="conflicts"
    )
    target_fact_ref = models.CharField(max_length=128)
    authoritative_value = models.JSONField()
    conflicting_value = models.JSONField()
    subordinate_section = models.TextField(blank=True)
    subordinate_paragraph_index = models.IntegerField(null=True, blank=True)
    subordinate_text = models.TextField()
    subordinate_position = models.CharField(
        max_length=8, choices=SubordinatePosition.choices, default=SubordinatePosition.UNKNOWN
    )
    authoritative_cue = models.CharField(max_length=128, blank=True)
    subordinate_cue = models.CharField(max_length=128, blank=True)
    # {"trap": {...}, "location": {...}}: source keys we do not model, for lossless export.
    extra = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["challenge", "position"]
        constraints = [
            models.UniqueConstraint(fields=["challenge", "conflict_id"], name="conflict_id_unique"),
            models.UniqueConstraint(
                fields=["challenge", "position"], name="conflict_position_unique"
            ),
            _one_of("subordinate_position", SubordinatePosition, "conflict_position_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.conflict_id}: {self.authoritative_value} vs {self.conflicting_value}"


class Question(models.Model):
    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="questions")
    question_id = models.CharField(max_length=32)
    position = models.PositiveIntegerField()
    text = models.TextField()
    category = models.CharField(max_length=32, choices=Category.choices)
    # The category label as the source file wrote it (e.g. ``trap_targeted``), for export.
    source_category = models.CharField(max_length=64, blank=True)
    hops = models.PositiveSmallIntegerField()
    difficulty = models.CharField(max_length=8, choices=Difficulty.choices)
    gold_answer = models.TextField()
    aliases = models.JSONField(default=list, blank=True)
    reasoning_chain = models.JSONField(default=list, blank=True)
    conflict = models.ForeignKey(
        Conflict, null=True, blank=True, on_delete=models.PROTECT, related_name="questions"
    )
    # {"question": {...}}: source keys we do not model, for lossless export.
    extra = models.JSONField(default=dict, blank=True)
    # Set when an annotator approves the question in review; cleared when it is edited.
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["challenge", "position"]
        indexes = [
            models.Index(fields=["category"], name="question_category_idx"),
            models.Index(fields=["difficulty", "hops"], name="question_difficulty_hops_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["challenge", "question_id"], name="question_id_unique"),
            models.UniqueConstraint(
                fields=["challenge", "position"], name="question_position_unique"
            ),
            _one_of("category", Category, "question_category_valid"),
            _one_of("difficulty", Difficulty, "question_difficulty_valid"),
            models.CheckConstraint(condition=Q(hops__gte=1), name="question_hops_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.text[:60]}"


class ChallengeEdit(models.Model):
    """One step of an annotator's review of a draft: a question edited, dropped, added or
    approved, or the challenge published. Append-only: never updated or deleted. ``before``
    and ``after`` hold the reviewable fields of the question (or the challenge's status)."""

    Action = EditAction

    challenge = models.ForeignKey(Challenge, on_delete=models.PROTECT, related_name="edits")
    # Empty for the challenge-wide actions (publish).
    question_id = models.CharField(max_length=32, blank=True)
    action = models.CharField(max_length=16, choices=EditAction.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="challenge_edits"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["challenge", "created_at", "id"]
        indexes = [
            models.Index(fields=["challenge", "-created_at"], name="challenge_edit_latest_idx"),
        ]
        constraints = [_one_of("action", EditAction, "challenge_edit_action_valid")]

    def __str__(self) -> str:
        target = f" {self.question_id}" if self.question_id else ""
        return f"{self.challenge}{target}: {self.action} by {self.author}"
