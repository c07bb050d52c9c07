"""Auditing the verifier: filling annotators' queues, recording audits, blind double annotation.

Audits are appended, never changed (see ``traces.models.Audit``); an assignment is a work
item in one annotator's queue, completed by the audit that answers it.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from django.db import transaction
from django.db.models import Exists, Max, Min, OuterRef, Q, QuerySet

from dacr_site.roles import Role, user_has_role
from traces.grading import VERIFIER_VERSION
from traces.models import (
    AUDIT_LOW_CONFIDENCE,
    AssignmentKind,
    Audit,
    AuditAssignment,
    AuditDecision,
    MatchType,
    Verdict,
    VerifierMode,
)

QUEUE_FILL_MAX = 100
REASON_MAX_LENGTH = 2000
# The share of each fill kept for a random sample of confident verdicts, so agreement is
# measured on every kind of verdict and not only on the doubtful ones.
SAMPLE_SHARE = 0.2
FREE_TEXT_MATCHES = (MatchType.TOKEN_F1, MatchType.CONTAINS, MatchType.NONE)


class AuditError(ValueError):
    """A request the audit services refuse; the message is one line a person can read."""


class AuditForbiddenError(AuditError):
    """The user may not do this (no annotator role, or another annotator's blind item)."""


def _require_annotator(user) -> None:
    if not user_has_role(user, Role.ANNOTATOR):
        raise AuditForbiddenError("auditing needs the annotator role")


def effective_decision(verdict: Verdict) -> str:
    """The verdict's decision after audits: the latest audit's when it overrides (correct or
    incorrect), else the verifier's (``Verdict.override``, kept in step by ``Audit.save``)."""
    return verdict.effective


def _disagreeing_reference() -> Q:
    """A strict verdict whose reference verdict on the same question, trace and verifier
    version decided otherwise (``Verdict.modes_disagree``, set by grading)."""
    return Q(modes_disagree=True)


def _queue_candidates() -> QuerySet[Verdict]:
    """Strict verdicts of the current verifier that nobody has audited or been assigned: a
    queue item goes to one annotator unless it is given to two on purpose (blind double)."""
    return Verdict.objects.filter(
        ~Exists(AuditAssignment.objects.filter(verdict_id=OuterRef("pk"))),
        audited=False,
        mode=VerifierMode.STRICT,
        verifier_version=VERIFIER_VERSION,
    )


def _first_confident(candidates: QuerySet[Verdict], *, pivot: int, forward: bool) -> int | None:
    """The first confident candidate from ``pivot`` on (or before it), walking the primary
    key."""
    free = candidates.exclude(
        Q(verdict_confidence__lt=AUDIT_LOW_CONFIDENCE) & Q(match_type__in=FREE_TEXT_MATCHES)
    ).exclude(_disagreeing_reference())
    window = free.filter(pk__gte=pivot) if forward else free.filter(pk__lt=pivot)
    return window.order_by("id" if forward else "-id").values_list("id", flat=True).first()


def _sample(candidates: QuerySet[Verdict], *, count: int, seed: str, taken: set[int]) -> list[int]:
    """Up to ``count`` confident ids of ``candidates`` spread over the id range: for each of a
    seeded series of random ids, the first confident candidate at or after it (else before
    it). Each probe walks the primary key from a point, so no query sorts the table at
    random or scans it whole."""
    if count <= 0:
        return []
    bounds = Verdict.objects.filter(
        mode=VerifierMode.STRICT, verifier_version=VERIFIER_VERSION
    ).aggregate(low=Min("id"), high=Max("id"))
    if bounds["low"] is None:
        return []
    rng = random.Random(seed)
    picked: list[int] = []
    for _ in range(count * 3):
        if len(picked) >= count:
            break
        pivot = rng.randint(bounds["low"], bounds["high"])
        free = candidates.exclude(pk__in=taken)
        found = _first_confident(free, pivot=pivot, forward=True) or _first_confident(
            free, pivot=pivot, forward=False
        )
        if found is None:
            break
        picked.append(found)
        taken.add(found)
    return picked


@transaction.atomic
def audit_queue_fill(
    *, annotator, size: int, seed: str | int | None = None
) -> list[AuditAssignment]:
    """Add up to ``size`` (1 to ``QUEUE_FILL_MAX``) strict verdicts to ``annotator``'s queue,
    most likely wrong first: verdicts where strict and reference disagree (oldest first), then
    low-confidence free-text matches (least confident first), then a random sample of the
    rest. About a fifth of each fill of two or more is kept for the sample. Items anyone has
    audited or been assigned are never added. ``seed`` fixes the sample (default: the
    annotator and how many items they have been given, so each fill draws afresh).
    Returns the new assignments in queue order."""
    _require_annotator(annotator)
    if not isinstance(size, int) or not 1 <= size <= QUEUE_FILL_MAX:
        raise AuditError(f"size: a whole number from 1 to {QUEUE_FILL_MAX}")
    if seed is None:
        given = AuditAssignment.objects.filter(annotator=annotator).count()
        seed = f"{annotator.pk}:{given}"
    sample_quota = max(1, round(size * SAMPLE_SHARE)) if size >= 2 else 0
    candidates = _queue_candidates()
    chosen: list[tuple[int, str]] = [
        (pk, AssignmentKind.DISAGREEMENT)
        for pk in candidates.filter(_disagreeing_reference())
        .order_by("id")
        .values_list("id", flat=True)[: size - sample_quota]
    ]
    taken = {pk for pk, _ in chosen}
    room = size - sample_quota - len(chosen)
    if room > 0:
        low = (
            candidates.filter(
                verdict_confidence__lt=AUDIT_LOW_CONFIDENCE, match_type__in=FREE_TEXT_MATCHES
            )
            .exclude(pk__in=taken)
            .order_by("verdict_confidence", "id")
            .values_list("id", flat=True)[:room]
        )
        chosen += [(pk, AssignmentKind.LOW_CONFIDENCE) for pk in low]
        taken.update(pk for pk, _ in chosen)
    sampled = _sample(candidates, count=size - len(chosen), seed=str(seed), taken=taken)
    chosen += [(pk, AssignmentKind.SAMPLE) for pk in sampled]
    return AuditAssignment.objects.bulk_create(
        [AuditAssignment(verdict_id=pk, annotator=annotator, kind=kind) for pk, kind in chosen]
    )


@transaction.atomic
def audit_record(*, verdict: Verdict, annotator, decision: str, reason: str = "") -> Audit:
    """Append ``annotator``'s audit of ``verdict`` with the effective decision it replaces,
    and complete their assignment of it if they have an open one. An annotator may audit a
    verdict again (the latest audit counts); nobody but its two annotators may audit a
    verdict while a blind double annotation of it is open."""
    _require_annotator(annotator)
    if decision not in AuditDecision.values:
        raise AuditError(f"decision: {decision!r} is not one of {', '.join(AuditDecision.values)}")
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX_LENGTH:
        raise AuditError(f"reason: at most {REASON_MAX_LENGTH} characters")
    # Lock the verdict so two annotators deciding at once each record what they replaced.
    verdict = Verdict.objects.select_for_update().get(pk=verdict.pk)
    own = AuditAssignment.objects.filter(verdict=verdict, annotator=annotator).first()
    blind_open = AuditAssignment.objects.filter(verdict=verdict, blind=True, audit__isnull=True)
    if (own is None or not own.blind) and blind_open.exists():
        raise AuditForbiddenError(
            f"verdict {verdict.pk} is in a blind double annotation for other annotators"
        )
    audit = Audit.objects.create(
        verdict=verdict,
        annotator=annotator,
        decision=decision,
        reason=reason,
        previous_decision=effective_decision(verdict),
    )
    if own is not None and own.audit_id is None:
        own.audit = audit
        own.completed_at = audit.created_at
        own.save(update_fields=["audit", "completed_at"])
    return audit


@transaction.atomic
def audit_assign_double(
    *, verdicts: Sequence[Verdict], annotators: Sequence
) -> list[AuditAssignment]:
    """Give each of ``verdicts`` to both of ``annotators`` (two distinct annotators) blind:
    neither sees the other's decision, and nobody else may audit the verdict until both have
    decided. A verdict either of them has already audited is refused (they would not decide
    blind). Open assignments of the verdict to anyone else are withdrawn; an open one of the
    two becomes blind. Returns the two annotators' assignments, verdict by verdict."""
    annotators = list(annotators)
    if len(annotators) != 2 or annotators[0].pk == annotators[1].pk:
        raise AuditError("annotators: exactly two different annotators")
    for annotator in annotators:
        _require_annotator(annotator)
    verdict_ids = [v.pk for v in verdicts]
    seen = Audit.objects.filter(verdict_id__in=verdict_ids, annotator__in=annotators)
    already = seen.values_list("verdict_id", flat=True).first()
    if already is not None:
        raise AuditError(f"verdicts: verdict {already} was already audited by one of the two")
    AuditAssignment.objects.filter(verdict_id__in=verdict_ids, audit__isnull=True).exclude(
        annotator__in=annotators
    ).delete()
    assignments = []
    for verdict_id in verdict_ids:
        for annotator in annotators:
            assignment, created = AuditAssignment.objects.get_or_create(
                verdict_id=verdict_id,
                annotator=annotator,
                defaults={"kind": AssignmentKind.DOUBLE, "blind": True},
            )
            if not created and not assignment.blind:
                assignment.blind = True
                assignment.save(update_fields=["blind"])
            assignments.append(assignment)
    return assignments
