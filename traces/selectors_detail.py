"""Reads for the trace detail page beyond :func:`traces.selectors.trace_detail`: the document
with conflicts, gold evidence and the model's citations highlighted, and each verdict's
audit history."""

from __future__ import annotations

import hashlib
from collections import defaultdict

from django.core.cache import cache

from challenges import highlight
from challenges.models import Challenge, Fact
from traces import evidence
from traces.models import Audit, Trace
from traces.selectors import TraceDetail


def trace_document(*, detail: TraceDetail) -> evidence.TraceDocument:
    """The trace's challenge document with four highlight kinds (see ``traces.evidence``):
    gold evidence is each chain step with a ``factId`` — its note when the note is a
    statement of the document, else the fact's quote; citations are the model's, as the
    strict verdict (else the reference one) read them."""
    challenge = (
        Challenge.objects.only("id", "document_text", "paragraphs")
        .prefetch_related("conflicts__target_fact")
        .get(pk=detail.trace.challenge_id)
    )
    facts = {
        fact.fact_id: fact
        for fact in Fact.objects.filter(challenge=challenge).only("fact_id", "quote")
    }
    paragraphs = [
        highlight.ParagraphBounds(
            index=int(p.get("index", n)),
            start=int(p.get("start", 0)),
            end=int(p.get("end", 0)),
            section=str(p.get("section", "")),
        )
        for n, p in enumerate(challenge.paragraphs or [])
    ]
    conflicts = [
        highlight.ConflictStatements(
            key=f"conflict-{c.position}",
            label=c.conflict_id,
            authoritative_quote=c.target_fact.quote if c.target_fact else "",
            subordinate_text=c.subordinate_text,
            authoritative_paragraph=c.target_fact.paragraph_index if c.target_fact else None,
        )
        for c in challenge.conflicts.all()
    ]
    gold, citations = [], []
    for row in detail.questions:
        qid = row.question.question_id
        for step in row.question.reasoning_chain or []:
            if not isinstance(step, dict) or not step.get("factId"):
                continue
            fact = facts.get(str(step["factId"]))
            candidates = (str(step.get("note") or ""), fact.quote if fact else "")
            gold.append(evidence.Passage(qid, qid, tuple(c for c in candidates if c)))
        answered = row.answered
        if answered is not None and answered.citation:
            citations.append(evidence.Passage(qid, qid, (answered.citation,)))
    return _highlighted(challenge.document_text, paragraphs, conflicts, gold, citations)


# Locating quotes in a document (fuzzy matching included) costs tens of milliseconds; the
# result depends only on its inputs, so it is cached under a digest of them.
HIGHLIGHT_CACHE_SECONDS = 3600
HIGHLIGHT_VERSION = "1"


def _highlighted(document_text, paragraphs, conflicts, gold, citations) -> evidence.TraceDocument:
    digest = hashlib.sha256(HIGHLIGHT_VERSION.encode())
    digest.update(document_text.encode())
    digest.update(repr((paragraphs, conflicts, gold, citations)).encode())
    key = "trace-document:" + digest.hexdigest()
    found = cache.get(key)
    if found is None:
        document_digest = hashlib.sha256(document_text.encode()).hexdigest()
        found = evidence.highlight_trace_document(
            document_text,
            paragraphs,
            conflicts,
            gold,
            citations,
            locate=lambda index, text: _locate_cached(index, text, document_digest),
        )
        cache.set(key, found, HIGHLIGHT_CACHE_SECONDS)
    return found


_NOT_FOUND = "not-found"


def _locate_cached(index: highlight.DocumentIndex, text: str, document_digest: str):
    """``index.locate(text)``, remembered per document and text: the traces of one challenge
    cite the same sentences again and again, and a fuzzy search costs tens of milliseconds."""
    key = (
        "locate:"
        + hashlib.sha256(f"{HIGHLIGHT_VERSION}:{document_digest}:{text}".encode()).hexdigest()
    )
    found = cache.get(key)
    if found is None:
        located = index.locate(text)
        cache.set(key, located if located is not None else _NOT_FOUND, HIGHLIGHT_CACHE_SECONDS)
        return located
    return None if found == _NOT_FOUND else found


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
