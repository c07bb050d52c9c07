"""Solvers, their traces (one attempt at all questions of one challenge), the verifier's
verdicts per question, and annotators' audits of those verdicts.

Audits are append-only: the *effective* decision of a verdict is the latest audit's
decision when there is one, else the verifier's. Audit assignments put verdicts in an
annotator's queue; they are work items, not history, and are completed by the audit that
answers them.
"""

from django.conf import settings
from django.db import models, transaction
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
    # The evaluation run that produced it (None for imports and API uploads).
    eval_run = models.ForeignKey(
        "evaluation.EvalRun",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="traces",
    )
    # For a run's trace: the document was cut to fit the model's context (see the run's
    # record for by how much).
    truncated = models.BooleanField(default=False, db_default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["solver", "challenge", "-created_at"], name="trace_solver_challenge_idx"
            ),
            models.Index(fields=["solver", "-created_at"], name="trace_solver_created_idx"),
            # The per-trace list, newest first.
            models.Index(fields=["-created_at", "-id"], name="trace_created_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(source__in=[s.value for s in TraceSource]), name="trace_source_valid"
            ),
            models.UniqueConstraint(
                fields=["challenge", "solver", "content_hash"], name="trace_content_unique"
            ),
            # A run answers each challenge once: a resumed run never duplicates a trace.
            models.UniqueConstraint(
                fields=["eval_run", "challenge"],
                condition=Q(eval_run__isnull=False),
                name="trace_one_per_run_challenge",
            ),
        ]

    def __str__(self) -> str:
        return f"trace {self.pk} of {self.solver} on {self.challenge}"


class VerifierMode(models.TextChoices):
    REFERENCE = "reference", "Reference (public scorer)"
    STRICT = "strict", "Strict"


# For forms: strict first, since it is every page's default and an unset select shows its
# first option.
MODE_CHOICES_STRICT_FIRST = [
    (VerifierMode.STRICT, VerifierMode.STRICT.label),
    (VerifierMode.REFERENCE, VerifierMode.REFERENCE.label),
]


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


# A strict verdict below this confidence sits near one of its free-text thresholds (token F1
# close to 0.8, containment with many extra tokens, a near miss): the audit queue serves these
# right after the strict/reference disagreements.
AUDIT_LOW_CONFIDENCE = 0.9


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
    # Kept in step by Audit.save() and grading, so the browser filters on plain columns at a
    # million rows (see traces.selectors_browser): the latest audit's decision when it
    # overrides the verifier ("correct"/"incorrect"), else ""; whether any audit exists; and
    # whether the verifier's decision in the other mode (same trace, question, version)
    # differs. The effective decision is ``override or decision``.
    override = models.CharField(max_length=16, choices=Decision.choices, blank=True, default="")
    audited = models.BooleanField(default=False)
    modes_disagree = models.BooleanField(default=False)

    class Meta:
        ordering = ["trace", "question__position", "mode"]
        indexes = [
            models.Index(fields=["mode", "decision"], name="verdict_mode_decision_idx"),
            models.Index(fields=["question", "mode"], name="verdict_question_mode_idx"),
            # The audit queue's second tier, least confident first, without scanning the rest.
            models.Index(
                fields=["verdict_confidence", "id"],
                condition=Q(mode="strict", verdict_confidence__lt=AUDIT_LOW_CONFIDENCE),
                name="verdict_low_confidence_idx",
            ),
            # The trace browser pages by keyset (see traces.selectors_browser): each sort and
            # its most common narrowing can be read in index order, newest or least confident
            # first, with no sort step.
            models.Index(fields=["mode", "verifier_version", "-id"], name="verdict_browse_idx"),
            models.Index(
                fields=["mode", "verifier_version", "decision", "-id"],
                name="verdict_browse_decision_idx",
            ),
            models.Index(
                fields=["mode", "verifier_version", "conflict_outcome", "-id"],
                name="verdict_browse_conflict_idx",
            ),
            models.Index(
                fields=["mode", "verifier_version", "verdict_confidence", "id"],
                name="verdict_browse_confidence_idx",
            ),
            # The rare flags, newest first: disagreements (a few percent of rows), audited and
            # overridden verdicts (thousands): read in index order without touching the rest.
            models.Index(
                fields=["mode", "verifier_version", "-id"],
                condition=Q(modes_disagree=True),
                name="verdict_browse_disagree_idx",
            ),
            models.Index(
                fields=["mode", "verifier_version", "-id"],
                condition=Q(audited=True),
                name="verdict_browse_audited_idx",
            ),
            models.Index(
                fields=["override", "mode", "verifier_version", "-id"],
                condition=~Q(override=""),
                name="verdict_browse_override_idx",
            ),
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
            models.CheckConstraint(
                condition=Q(override__in=["", *Decision.values]), name="verdict_override_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question.question_id} [{self.mode}] {self.decision}"

    @property
    def effective(self) -> str:
        """The decision after audits: the latest audit's override, else the verifier's."""
        return self.override or self.decision


# Audit decisions that replace the verifier's decision; ``agree`` and ``gold_wrong`` keep it.
OVERRIDING_DECISIONS = (AuditDecision.CORRECT.value, AuditDecision.INCORRECT.value)


class AuditImmutableError(Exception):
    """Raised on any attempt to change or delete an audit: audits are append-only history."""


class AuditQuerySet(models.QuerySet):
    """Refuses bulk updates and deletes, so no code path (admin actions, shell, a careless
    service) can rewrite audit history; rows are only ever inserted."""

    def update(self, **kwargs):
        raise AuditImmutableError("audits are append-only: they cannot be updated")

    def delete(self):
        raise AuditImmutableError("audits are append-only: they cannot be deleted")

    def bulk_create(self, objs, *args, **kwargs):
        # Audit.save() keeps each verdict's override and audited columns in step; a bulk
        # insert would skip it.
        raise AuditImmutableError("audits are created one at a time, through save()")


class Audit(models.Model):
    """An annotator's decision on a verdict. Append-only: never updated or deleted.

    ``save()`` refuses an existing row, ``delete()`` and the queryset's ``update()``/
    ``delete()`` refuse always, and deleting the verdict (or its trace) is refused by the
    database while audits point at it (PROTECT), so history cannot disappear by cascade."""

    Decision = AuditDecision

    verdict = models.ForeignKey(Verdict, on_delete=models.PROTECT, related_name="audits")
    annotator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="audits"
    )
    decision = models.CharField(max_length=16, choices=AuditDecision.choices)
    reason = models.TextField(blank=True)
    previous_decision = models.CharField(max_length=16, choices=Decision.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        # Django's internal manager (used for related lookups) refuses rewrites too. Audits
        # are created one by one (save() keeps the verdict's columns in step), never in bulk.
        base_manager_name = "objects"
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

    def save(self, *args, **kwargs) -> None:
        """Insert the audit and, in the same transaction, bring its verdict's ``override``
        and ``audited`` columns in step: this audit is now the verdict's latest."""
        if not self._state.adding:
            raise AuditImmutableError("audits are append-only: an existing audit cannot change")
        kwargs["force_insert"] = True
        with transaction.atomic():
            super().save(*args, **kwargs)
            override = self.decision if self.decision in OVERRIDING_DECISIONS else ""
            Verdict.objects.filter(pk=self.verdict_id).update(override=override, audited=True)

    def delete(self, *args, **kwargs):
        raise AuditImmutableError("audits are append-only: they cannot be deleted")


class AssignmentKind(models.TextChoices):
    """Why an item is in an annotator's queue; the queue serves them in this order."""

    DISAGREEMENT = "disagreement", "Strict and reference disagree"
    LOW_CONFIDENCE = "low_confidence", "Low-confidence free-text match"
    SAMPLE = "sample", "Random sample of confident verdicts"
    DOUBLE = "double", "Blind double annotation"


class AuditAssignment(models.Model):
    """One verdict in one annotator's audit queue, open until ``audit`` is set.

    ``blind`` assignments belong to a double annotation: the verdict goes to two annotators,
    neither of whom sees the other's decision."""

    Kind = AssignmentKind

    verdict = models.ForeignKey(Verdict, on_delete=models.PROTECT, related_name="assignments")
    annotator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="audit_assignments"
    )
    kind = models.CharField(max_length=16, choices=AssignmentKind.choices)
    blind = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # The audit that answered this assignment; NULL while it is open.
    audit = models.OneToOneField(
        Audit, on_delete=models.PROTECT, null=True, blank=True, related_name="assignment"
    )
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["annotator", "id"]
        indexes = [
            # An annotator's open queue in the order it was filled: the queue page's query.
            models.Index(
                fields=["annotator", "id"],
                condition=Q(audit__isnull=True),
                name="assignment_open_queue_idx",
            ),
            # Open blind assignments of a verdict: who may see and record what.
            models.Index(
                fields=["verdict"],
                condition=Q(blind=True, audit__isnull=True),
                name="assignment_blind_open_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["verdict", "annotator"], name="assignment_unique_per_annotator"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in AssignmentKind]),
                name="assignment_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(audit__isnull=True, completed_at__isnull=True)
                | Q(audit__isnull=False, completed_at__isnull=False),
                name="assignment_completed_with_audit",
            ),
        ]

    def __str__(self) -> str:
        return f"verdict {self.verdict_id} for {self.annotator} ({self.kind})"
