"""Reads for the trace detail page beyond :func:`traces.selectors.trace_detail`: the document
with conflicts, gold evidence and the model's citations highlighted, and each verdict's
audit history."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.cache import cache

from challenges import highlight
from challenges.models import Challenge, Conflict, Fact, Question
from challenges.services.locations import LOCATOR_VERSION, StoredLocator
from traces import evidence
from traces.models import Audit, Trace
from traces.selectors import TraceDetail

HIGHLIGHT_CACHE_SECONDS = 3600


@dataclass(frozen=True)
class HighlightInputs:
    """What a trace page highlights that is the same for every trace of a challenge."""

    challenge: Challenge
    paragraphs: list[highlight.ParagraphBounds]
    conflicts: list[highlight.ConflictStatements]
    facts: dict[str, Fact]

    def gold(self, questions: Iterable[Question]) -> list[evidence.Passage]:
        """Gold evidence: each chain step with a ``factId`` — its note when the note is a
        statement of the document, else the fact's quote."""
        passages = []
        for question in questions:
            qid = question.question_id
            for step in question.reasoning_chain or []:
                if not isinstance(step, dict) or not step.get("factId"):
                    continue
                fact = self.facts.get(str(step["factId"]))
                candidates = (str(step.get("note") or ""), fact.quote if fact else "")
                passages.append(evidence.Passage(qid, qid, tuple(c for c in candidates if c)))
        return passages

    def plain_texts(self, *passages: Iterable[evidence.Passage]) -> list[str]:
        """Every text located without search options (all but authoritative statements),
        for ``StoredLocator.prefetch``."""
        texts = [c.subordinate_text for c in self.conflicts]
        texts += [text for group in passages for p in group for text in p.candidates]
        return texts


def highlight_inputs(challenge_id: int) -> HighlightInputs:
    """Three queries: the challenge's document, its facts, its conflicts."""
    challenge = Challenge.objects.only("id", "document_text", "paragraphs").get(pk=challenge_id)
    facts = Fact.objects.filter(challenge=challenge).only("fact_id", "quote", "paragraph_index")
    by_pk = {fact.pk: fact for fact in facts}
    paragraphs = [
        highlight.ParagraphBounds(
            index=int(p.get("index", n)),
            start=int(p.get("start", 0)),
            end=int(p.get("end", 0)),
            section=str(p.get("section", "")),
        )
        for n, p in enumerate(challenge.paragraphs or [])
    ]
    conflicts = []
    rows = Conflict.objects.filter(challenge=challenge).values_list(
        "position", "conflict_id", "subordinate_text", "target_fact_id"
    )
    for position, conflict_id, subordinate_text, target_fact_id in rows:
        target = by_pk.get(target_fact_id)
        conflicts.append(
            highlight.ConflictStatements(
                key=f"conflict-{position}",
                label=conflict_id,
                authoritative_quote=target.quote if target else "",
                subordinate_text=subordinate_text,
                authoritative_paragraph=target.paragraph_index if target else None,
            )
        )
    facts_by_id = {fact.fact_id: fact for fact in by_pk.values()}
    return HighlightInputs(challenge, paragraphs, conflicts, facts_by_id)


def trace_document(*, detail: TraceDetail) -> evidence.TraceDocument:
    """The trace's challenge document with four highlight kinds (see ``traces.evidence``):
    conflicts, gold evidence (``HighlightInputs.gold``) and the model's citations, as the
    strict verdict (else the reference one) read them.

    Where each text sits is normally stored when the trace is graded
    (``traces.services.highlights``); a text located here for want of a stored answer is
    stored too. The result is cached under its inputs: the challenge's content hash (which
    every edit of a draft changes), the questions' reasoning chains and the citations — so a
    page seen before reads nothing of the document."""
    citations = [
        evidence.Passage(qid, qid, (answered.citation,))
        for row in detail.questions
        if (answered := row.answered) is not None
        and answered.citation
        and (qid := row.question.question_id)
    ]
    trace = detail.trace
    chains = [(row.question.question_id, row.question.reasoning_chain) for row in detail.questions]
    digest = hashlib.sha256(LOCATOR_VERSION.encode())
    content_hash = getattr(trace, "challenge_content_hash", None) or trace.challenge.content_hash
    digest.update(repr((trace.challenge_id, content_hash, chains, citations)).encode())
    key = "trace-document:" + digest.hexdigest()
    found = cache.get(key)
    if found is None:
        inputs = highlight_inputs(trace.challenge_id)
        gold = inputs.gold(row.question for row in detail.questions)
        found, _ = highlighted_document(inputs, gold, citations)
        cache.set(key, found, HIGHLIGHT_CACHE_SECONDS)
    return found


def highlighted_document(
    inputs: HighlightInputs, gold: list[evidence.Passage], citations: list[evidence.Passage]
) -> tuple[evidence.TraceDocument, int]:
    """The document highlighted with locations read from, or stored in, ``LocatedStatement``
    rows; also how many texts had to be searched for. The trace page and the task that
    prepares its locations (``traces.services.highlights``) both go through here, so they
    make the same locate calls."""
    locator = StoredLocator(inputs.challenge.pk, inputs.challenge.document_text)
    locator.prefetch(inputs.plain_texts(gold, citations))
    found = evidence.highlight_trace_document(
        inputs.challenge.document_text,
        inputs.paragraphs,
        inputs.conflicts,
        gold,
        citations,
        locate=locator,
    )
    locator.save()
    return found, locator.searched


def trace_audits(*, trace: Trace, user) -> dict[int, list[Audit]]:
    """The audits of the trace's verdicts that ``user`` may see, oldest first, by verdict id:
    while a blind double annotation is open, each annotator's decision stays hidden from
    everyone but its author."""
    from traces.selectors_audit import audits_hidden_from

    audits = defaultdict(list)
    rows = (
        Audit.objects.filter(verdict__trace=trace)
        .exclude(audits_hidden_from(user))
        .select_related("annotator")
        .order_by("created_at", "id")
    )
    for audit in rows:
        audits[audit.verdict_id].append(audit)
    return dict(audits)
