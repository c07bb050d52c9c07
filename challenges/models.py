"""Papers, challenges and what a challenge is made of: facts, conflicts and questions.

A published challenge is immutable: its content hash (sha256 of its canonical DACR-Bench
record) is stored, and services refuse to edit it. Write through ``challenges.services``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q


class Domain(models.TextChoices):
    """The controlled list of domains. Challenges store the domain as a free string, so an
    imported file may carry others (``nlp``, ``quantum_physics``…)."""

    PHYSICS = "physics", "Physics"
    ECONOMICS = "economics", "Economics"
    MEDICINE = "medicine", "Medicine"
    CHEMISTRY = "chemistry", "Chemistry"
    BIOLOGY = "biology", "Biology"
    MATERIALS_SCIENCE = "materials_science", "Materials science"
    CLIMATE_SCIENCE = "climate_science", "Climate science"
    CS_AI = "cs_ai", "Computer science / AI"


class Split(models.TextChoices):
    REAL = "real", "Real (from a paper)"
    SYNTHETIC = "synthetic", "Synthetic (from the engine)"


class Category(models.TextChoices):
    DIRECT_EXTRACTION = "direct_extraction", "Direct extraction"
    MULTI_HOP_BRIDGE = "multi_hop_bridge", "Multi-hop bridge"
    COMPARATIVE = "comparative", "Comparative"
    COMPUTATION = "computation", "Computation"
    CONDITIONAL_FILTERED = "conditional_filtered", "Conditional / filtered"
    CONFLICT_RESOLUTION = "conflict_resolution", "Conflict resolution"
    CROSS_SECTION_SYNTHESIS = "cross_section_synthesis", "Cross-section synthesis"


class Difficulty(models.TextChoices):
    EASY = "easy", "Easy"
    MEDIUM = "medium", "Medium"
    HARD = "hard", "Hard"


class PaperStatus(models.TextChoices):
    UPLOADED = "uploaded", "Uploaded"
    PARSING = "parsing", "Parsing"
    PARSED = "parsed", "Parsed"
    GENERATING = "generating", "Generating"
    VERIFIED = "verified", "Verified"
    FAILED = "failed", "Failed"


class ChallengeStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    RETIRED = "retired", "Retired"


class SourceType(models.TextChoices):
    DOCUMENT = "document", "Document"
    ENGINE = "engine", "Engine"


class SubordinatePosition(models.TextChoices):
    BEFORE = "before", "Subordinate before authoritative"
    AFTER = "after", "Subordinate after authoritative"
    UNKNOWN = "unknown", "Unknown"


class GenerationStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    GENERATING = "generating", "Generating and verifying"
    WRITING = "writing", "Writing to the database"
    REPORTING = "reporting", "Running baselines for the validity report"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"


class EditAction(models.TextChoices):
    EDIT = "edit", "Edited a question"
    DROP = "drop", "Dropped a question"
    ADD = "add", "Added a question"
    APPROVE = "approve", "Approved a question"
    PUBLISH = "publish", "Published the challenge"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    VALIDATING = "validating", "Validating the file"
    WRITING = "writing", "Writing to the database"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"


def _one_of(field: str, choices: type[models.TextChoices], name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__in": [choice.value for choice in choices]}), name=name
    )


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
