"""Read queries for auditing: an annotator's queue and current item, audits as a user may see
them (blind double annotation hides the other annotator's decision), and the agreement report.

Each queue query reads one annotator's open assignments through a partial index; nothing
here counts or sorts all verdicts per request.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from challenges.models import Category
from challenges.selectors import challenge_visibility
from traces import agreement
from traces.excerpt import Excerpt, document_excerpt
from traces.models import (
    Audit,
    AuditAssignment,
    MatchType,
    Verdict,
    VerifierMode,
)


def audits_hidden_from(user) -> Q:
    """Audits that ``user`` may not see: another annotator's, on a verdict whose blind double
    annotation is still open."""
    open_blind = AuditAssignment.objects.filter(
        verdict_id=OuterRef("verdict_id"), blind=True, audit__isnull=True
    )
    return Q(Exists(open_blind)) & ~Q(annotator_id=user.pk)


# --- the queue ----------------------------------------------------------------------------


def audit_queue(*, annotator) -> QuerySet[AuditAssignment]:
    """``annotator``'s open assignments in queue order, with the verdict, its question, trace,
    solver and challenge (without the document) loaded."""
    return (
        AuditAssignment.objects.filter(annotator=annotator, audit__isnull=True)
        .select_related(
            "verdict", "verdict__question", "verdict__trace__solver", "verdict__trace__challenge"
        )
        .defer(
            "verdict__trace__challenge__document_text",
            "verdict__trace__challenge__paragraphs",
            "verdict__trace__raw_output",
            "verdict__trace__parsed_reasoning",
        )
        .order_by("id")
    )


def audit_queue_rows(*, annotator) -> QuerySet[AuditAssignment]:
    """The queue as its table lists it: only the columns shown (no JSON fields to decode)."""
    return (
        AuditAssignment.objects.filter(annotator=annotator, audit__isnull=True)
        .select_related("verdict__question", "verdict__trace__challenge")
        .only(
            "id",
            "kind",
            "verdict__decision",
            "verdict__match_type",
            "verdict__verdict_confidence",
            "verdict__question__question_id",
            "verdict__trace__challenge__public_id",
        )
        .order_by("id")
    )


@dataclass(frozen=True)
class QueueSummary:
    open: int
    decided: int  # audits this annotator has recorded, all time


def audit_queue_summary(*, annotator) -> QueueSummary:
    return QueueSummary(
        open=AuditAssignment.objects.filter(annotator=annotator, audit__isnull=True).count(),
        decided=Audit.objects.filter(annotator=annotator).count(),
    )


@dataclass(frozen=True)
class AuditItem:
    """What the audit page shows for one queue item."""

    assignment: AuditAssignment
    verdict: Verdict  # the audited (strict) verdict
    other_verdict: Verdict | None  # the other mode's verdict on the same answer
    excerpt: Excerpt
    own_audits: list[Audit]
    other_audits: list[Audit]  # empty for blind items: the other decision stays hidden
    next_assignment_id: int | None  # the next open item after this one (wrapping), if any

    @property
    def question(self):
        return self.verdict.question

    @property
    def modes_disagree(self) -> bool:
        return self.other_verdict is not None and (
            self.other_verdict.decision != self.verdict.decision
        )


def audit_item(*, annotator, assignment_id: int | None = None) -> AuditItem | None:
    """``annotator``'s open assignment ``assignment_id`` (default: the first of the queue) with
    everything the audit page shows; None when there is no such open item."""
    queue = audit_queue(annotator=annotator)
    if assignment_id is not None:
        queue = queue.filter(pk=assignment_id)
    assignment = queue.first()
    if assignment is None:
        return None
    verdict = assignment.verdict
    challenge = verdict.trace.challenge
    document = type(challenge).objects.values_list("document_text", flat=True).get(pk=challenge.pk)
    other_mode = (
        VerifierMode.REFERENCE if verdict.mode == VerifierMode.STRICT else VerifierMode.STRICT
    )
    other = Verdict.objects.filter(
        trace_id=verdict.trace_id,
        question_id=verdict.question_id,
        verifier_version=verdict.verifier_version,
        mode=other_mode,
    ).first()
    audits = list(
        Audit.objects.filter(verdict=verdict)
        .select_related("annotator")
        .order_by("created_at", "id")
    )
    own = [a for a in audits if a.annotator_id == annotator.pk]
    others = [] if assignment.blind else [a for a in audits if a.annotator_id != annotator.pk]
    following = AuditAssignment.objects.filter(annotator=annotator, audit__isnull=True).exclude(
        pk=assignment.pk
    )
    next_id = (
        following.filter(pk__gt=assignment.pk).order_by("id").values_list("id", flat=True).first()
        or following.order_by("id").values_list("id", flat=True).first()
    )
    question = verdict.question
    return AuditItem(
        assignment=assignment,
        verdict=verdict,
        other_verdict=other,
        excerpt=document_excerpt(
            document, gold=[question.gold_answer, *question.aliases], answer=verdict.answer
        ),
        own_audits=own,
        other_audits=others,
        next_assignment_id=next_id,
    )


# --- audits -------------------------------------------------------------------------------


def audit_list(*, user, verdict_id: int | None = None) -> QuerySet[Audit]:
    """The audits ``user`` may read (those of verdicts on challenges they can see, less other
    annotators' decisions on an open blind item), oldest first."""
    audits = Audit.objects.filter(
        challenge_visibility(user=user, via="verdict__trace__challenge__")
    )
    if verdict_id is not None:
        audits = audits.filter(verdict_id=verdict_id)
    return (
        audits.exclude(audits_hidden_from(user))
        .select_related("annotator")
        .order_by("created_at", "id")
    )


def audit_get(*, user, audit_id: int) -> Audit | None:
    return audit_list(user=user).filter(pk=audit_id).first()


def verdict_for_audit(*, user, verdict_id: int) -> Verdict | None:
    """A verdict ``user`` may read, for recording an audit of it; None otherwise."""
    visible = Verdict.objects.filter(challenge_visibility(user=user, via="trace__challenge__"))
    return visible.filter(pk=verdict_id).first()


# --- agreement ----------------------------------------------------------------------------

HUMAN_LABELS = (agreement.CORRECT, agreement.INCORRECT)
PAIR_LABELS = (agreement.CORRECT, agreement.INCORRECT, agreement.GOLD_WRONG)


@dataclass(frozen=True)
class AgreementGroup:
    """Agreement on one slice of audited verdicts (all, one skill, one match type)."""

    key: str
    label: str
    verifier: agreement.Agreement  # verifier vs the latest annotator decision (gold_wrong out)
    accuracy: agreement.VerifierAccuracy
    annotators: agreement.Agreement  # first vs second annotator, on doubly decided items


@dataclass(frozen=True)
class AgreementReport:
    mode: str
    audits: int
    audited_items: int
    double_items: int
    overall: AgreementGroup
    by_category: list[AgreementGroup]
    by_match_type: list[AgreementGroup]


@dataclass
class _Item:
    verifier: str
    category: str
    match_type: str
    latest: str = ""  # the latest audit's truth (any annotator)
    by_annotator: dict | None = None  # annotator id → their latest truth, in first-decided order


def _group(key: str, label: str, items: list[_Item]) -> AgreementGroup:
    truth = [(i.verifier, i.latest) for i in items]
    pairs = []
    for item in items:
        decisions = list(item.by_annotator.values())
        if len(decisions) >= 2:
            pairs.append((decisions[0], decisions[1]))
    return AgreementGroup(
        key=key,
        label=label,
        verifier=agreement.agreement(
            [p for p in truth if p[1] != agreement.GOLD_WRONG], labels=HUMAN_LABELS
        ),
        accuracy=agreement.verifier_accuracy(truth),
        annotators=agreement.agreement(pairs, labels=PAIR_LABELS),
    )


def agreement_report(*, user, mode: str = VerifierMode.STRICT) -> AgreementReport:
    """Agreement on the audited verdicts of ``mode`` that ``user`` may read: the verifier
    against the effective human decision per verdict (the latest audit's; ``agree`` means the
    verifier's own decision), and annotator against annotator on verdicts two annotators
    decided (each one's latest decision; the first two to decide). Overall, per skill
    category and per match type. One pass over the audits, none over all verdicts."""
    rows = (
        audit_list(user=user)
        .filter(verdict__mode=mode)
        .order_by("created_at", "id")
        .values_list(
            "verdict_id",
            "annotator_id",
            "decision",
            "verdict__decision",
            "verdict__question__category",
            "verdict__match_type",
        )
    )
    items: dict[int, _Item] = {}
    audits = 0
    for verdict_id, annotator_id, decision, verifier, category, match_type in rows.iterator():
        audits += 1
        item = items.get(verdict_id)
        if item is None:
            item = items[verdict_id] = _Item(verifier, category, match_type, by_annotator={})
        truth = agreement.human_decision(decision, verifier)
        item.latest = truth
        item.by_annotator[annotator_id] = truth  # dict keeps first-insertion order
    everything = list(items.values())
    by_category: dict[str, list[_Item]] = defaultdict(list)
    by_match: dict[str, list[_Item]] = defaultdict(list)
    for item in everything:
        by_category[item.category].append(item)
        by_match[item.match_type].append(item)
    return AgreementReport(
        mode=mode,
        audits=audits,
        audited_items=len(everything),
        double_items=sum(1 for i in everything if len(i.by_annotator) >= 2),
        overall=_group("all", "All audited verdicts", everything),
        by_category=[
            _group(value, label, by_category[value])
            for value, label in Category.choices
            if value in by_category
        ],
        by_match_type=[
            _group(value, label, by_match[value])
            for value, label in MatchType.choices
            if value in by_match
        ],
    )
