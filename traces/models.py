"""Solvers, their traces (one attempt at all questions of one challenge), the verifier's
verdicts per question, and annotators' audits of those verdicts.

Audits are append-only: the *effective* decision of a verdict is the latest audit's
decision when there is one, else the verifier's.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from challenges.models import Challenge, Question


class SolverKind(models.TextChoices):
    LEXICAL = "lexical", "Lexical baseline"
    MODEL = "model", "Model"
    AGENT = "agent", "Agent"
    HUMAN = "human", "Human"
    IMPORTED = "imported", "Imported predictions"


class TraceSource(models.TextChoices):
    IMPORT = "import", "Imported"
    EVALUATION = "evaluation", "Evaluation run"
    API = "api", "API"


class AuditDecision(models.TextChoices):
    AGREE = "agree", "Agree with the verifier"
    CORRECT = "correct", "Override: correct"
    INCORRECT = "incorrect", "Override: incorrect"
    GOLD_WRONG = "gold_wrong", "The gold answer is wrong"


class Solver(models.Model):
    Kind = SolverKind

    name = models.CharField(max_length=128, unique=True)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in SolverKind]), name="solver_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Trace(models.Model):
    Source = TraceSource

    challenge = models.ForeignKey(Challenge, on_delete=models.PROTECT, related_name="traces")
    solver = models.ForeignKey(Solver, on_delete=models.PROTECT, related_name="traces")
    raw_output = models.TextField(blank=True)
    # The answers per question id as the source gave them ({"q01": {"answer", "citation",
    # "confidence"}}), read the way the public scorer reads a predictions file.
    answers = models.JSONField(default=dict, blank=True)
    parsed_reasoning = models.TextField(blank=True)
    parse_format = models.CharField(max_length=32, blank=True)
    # True when no answers could be read from the raw output at all.
    format_failure = models.BooleanField(default=False)
    # One line per problem met while reading the prediction (bad confidence, unknown id…).
    problems = models.JSONField(default=list, blank=True)
    # sha256 of what was recorded: the same output for the same challenge and solver is
    # recorded once, so re-running an import or a grading adds no duplicate traces.
    content_hash = models.CharField(max_length=64)
    prompt_tokens = models.PositiveIntegerField(null=True, blank=True)
    completion_tokens = models.PositiveIntegerField(null=True, blank=True)
    latency_ms = models.PositiveIntegerField(null=True, blank=True)
    source = models.CharField(max_length=16, choices=Source.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["solver", "challenge", "-created_at"], name="trace_solver_challenge_idx"
            ),
            models.Index(fields=["solver", "-created_at"], name="trace_solver_created_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(source__in=[s.value for s in TraceSource]), name="trace_source_valid"
            ),
            models.UniqueConstraint(
                fields=["challenge", "solver", "content_hash"], name="trace_content_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"trace {self.pk} of {self.solver} on {self.challenge}"


class VerifierMode(models.TextChoices):
    REFERENCE = "reference", "Reference (public scorer)"
    STRICT = "strict", "Strict"


class MatchType(models.TextChoices):
    EXACT = "exact", "Exact"
    ALIAS = "alias", "Alias"
    NUMERIC = "numeric", "Numeric"
    CONTAINS = "contains", "Contains"
    TOKEN_F1 = "token_f1", "Token F1"
    NONE = "none", "None"


class Decision(models.TextChoices):
    CORRECT = "correct", "Correct"
    INCORRECT = "incorrect", "Incorrect"


class ConflictOutcome(models.TextChoices):
    NOT_APPLICABLE = "", "Not a conflict question"
    RESOLVED = "resolved", "Resolved"
    FELL_FOR_PLANTED = "fell_for_planted", "Fell for the planted value"
    HEDGED = "hedged", "Hedged (named both)"
    OTHER = "other", "Other"


class Verdict(models.Model):
    trace = models.ForeignKey(Trace, on_delete=models.CASCADE, related_name="verdicts")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="verdicts")
    mode = models.CharField(max_length=16, choices=VerifierMode.choices)
    verifier_version = models.CharField(max_length=32)
    # None = the model gave no answer; "" = it answered with an empty string.
    answer = models.TextField(null=True, blank=True)  # noqa: DJ001 — missing ≠ empty
    citation = models.TextField(blank=True)
    confidence = models.FloatField(null=True, blank=True)
    match_type = models.CharField(max_length=16, choices=MatchType.choices)
    decision = models.CharField(max_length=16, choices=Decision.choices)
    conflict_outcome = models.CharField(
        max_length=24, choices=ConflictOutcome.choices, blank=True, default=""
    )
    citation_score = models.FloatField(null=True, blank=True)
    verdict_confidence = models.FloatField(default=1.0)
    reason = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["trace", "question__position", "mode"]
        indexes = [
            models.Index(fields=["mode", "decision"], name="verdict_mode_decision_idx"),
            models.Index(fields=["question", "mode"], name="verdict_question_mode_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["trace", "question", "mode", "verifier_version"],
                name="verdict_unique_per_version",
            ),
            models.CheckConstraint(
                condition=Q(mode__in=[m.value for m in VerifierMode]), name="verdict_mode_valid"
            ),
            models.CheckConstraint(
                condition=Q(match_type__in=[m.value for m in MatchType]),
                name="verdict_match_type_valid",
            ),
            models.CheckConstraint(
                condition=Q(decision__in=[d.value for d in Decision]),
                name="verdict_decision_valid",
            ),
            models.CheckConstraint(
                condition=Q(conflict_outcome__in=[o.value for o in ConflictOutcome]),
                name="verdict_conflict_outcome_valid",
            ),
            models.CheckConstraint(
                condition=Q(confidence__isnull=True)
                | (Q(confidence__gte=0) & Q(confidence__lte=1)),
                name="verdict_confidence_unit_interval",
            ),
            models.CheckConstraint(
                condition=Q(verdict_confidence__gte=0) & Q(verdict_confidence__lte=1),
                name="verdict_verdict_confidence_unit_interval",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question.question_id} [{self.mode}] {self.decision}"


class Audit(models.Model):
    """An annotator's decision on a verdict. Append-only: never updated or deleted."""

    Decision = AuditDecision

    verdict = models.ForeignKey(Verdict, on_delete=models.CASCADE, related_name="audits")
    annotator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="audits"
    )
    decision = models.CharField(max_length=16, choices=AuditDecision.choices)
    reason = models.TextField(blank=True)
    previous_decision = models.CharField(max_length=16, choices=Decision.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["verdict", "created_at", "id"]
        indexes = [
            models.Index(fields=["verdict", "-created_at"], name="audit_verdict_latest_idx"),
            models.Index(fields=["annotator", "-created_at"], name="audit_annotator_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(decision__in=[d.value for d in AuditDecision]),
                name="audit_decision_valid",
            ),
            models.CheckConstraint(
                condition=Q(previous_decision__in=[d.value for d in Decision]),
                name="audit_previous_decision_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"audit of verdict {self.verdict_id} by {self.annotator}: {self.decision}"
