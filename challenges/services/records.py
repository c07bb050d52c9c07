"""Mapping between the pure ``dacr_format`` records and the database rows."""

from __future__ import annotations

from challenges import dacr_format as fmt
from challenges import highlight
from challenges.models import Challenge, Conflict, Fact, Question


def _levels(**levels: dict) -> dict:
    return {name: value for name, value in levels.items() if value}


def challenge_from_record(record: fmt.ChallengeRecord, *, status: str) -> Challenge:
    """An unsaved Challenge for ``record`` (facts, conflicts and questions come separately)."""
    paragraphs = fmt.split_paragraphs(record.document_text, record.facts)
    return Challenge(
        public_id=record.challenge_id,
        version=record.version,
        split=record.split,
        domain=record.domain,
        source_type=record.source_type,
        source_document_id=record.document_id,
        engine_domain=record.engine_domain,
        engine_seed=record.engine_seed,
        engine_version=record.engine_version,
        document_text=record.document_text,
        paragraphs=[
            {"index": p.index, "section": p.section, "start": p.start, "end": p.end}
            for p in paragraphs
        ],
        sections=list(record.sections),
        word_count=record.word_count,
        paragraph_count=record.paragraph_count,
        status=status,
        verification_report=record.metadata.get("verification", {}),
        metadata=record.metadata,
        extra=_levels(
            challenge=record.extra, source=record.source_extra, document=record.document_extra
        ),
        content_hash=fmt.content_hash(record),
    )


def facts_from_record(record: fmt.ChallengeRecord, challenge: Challenge) -> list[Fact]:
    return [
        Fact(
            challenge=challenge,
            fact_id=fact.fact_id,
            position=position,
            entity=fact.entity,
            attribute=fact.attribute,
            value=fact.value,
            value_type=fact.value_type,
            section=fact.section,
            paragraph_index=fact.paragraph_index,
            quote=fact.quote,
            extra=_levels(fact=fact.extra, location=fact.location_extra),
        )
        for position, fact in enumerate(record.facts)
    ]


def conflicts_from_record(
    record: fmt.ChallengeRecord, challenge: Challenge, facts_by_id: dict[str, Fact]
) -> list[Conflict]:
    index = highlight.DocumentIndex(record.document_text)  # normalized lazily, once
    rows = []
    for position, conflict in enumerate(record.conflicts):
        target = facts_by_id[conflict.target_fact_id]
        rows.append(
            Conflict(
                challenge=challenge,
                conflict_id=conflict.conflict_id,
                position=position,
                target_fact=target,
                target_fact_ref=conflict.target_fact_id,
                authoritative_value=conflict.authoritative_value,
                conflicting_value=conflict.conflicting_value,
                subordinate_section=conflict.section,
                subordinate_paragraph_index=conflict.paragraph_index,
                subordinate_text=conflict.subordinate_text,
                subordinate_position=_recorded_position(conflict)
                or _subordinate_position(index, conflict.subordinate_text, target.quote),
                authoritative_cue=str(conflict.extra.get("authoritativeCue", ""))[:128],
                subordinate_cue=str(conflict.extra.get("subordinateCue", ""))[:128],
                extra=_levels(trap=conflict.extra, location=conflict.location_extra),
            )
        )
    return rows


def _recorded_position(conflict: fmt.ConflictRecord) -> str:
    """The engine records where it placed the planted statement; trust that when present."""
    position = conflict.extra.get("subordinatePosition")
    return position if position in Conflict.Position.values else ""


def _subordinate_position(
    index: highlight.DocumentIndex, subordinate: str, authoritative: str
) -> str:
    """Whether the planted statement comes before or after the paper's own. Quotes from
    PDF-derived text are often not verbatim (line breaks, hyphenation), so the locator's
    tolerant levels are used — not its fuzzy one, too slow for a bulk import."""
    sub = index.locate(subordinate, fuzzy=False)
    auth = index.locate(authoritative, fuzzy=False)
    if sub is None or auth is None:
        return Conflict.Position.UNKNOWN
    return Conflict.Position.BEFORE if sub.start < auth.start else Conflict.Position.AFTER


def questions_from_record(
    record: fmt.ChallengeRecord, challenge: Challenge, conflicts_by_id: dict[str, Conflict]
) -> list[Question]:
    return [
        Question(
            challenge=challenge,
            question_id=question.question_id,
            position=position,
            text=question.text,
            category=question.category,
            source_category=question.source_category,
            hops=question.hops,
            difficulty=question.difficulty,
            gold_answer=question.gold_answer,
            aliases=list(question.aliases),
            reasoning_chain=list(question.reasoning_chain),
            conflict=conflicts_by_id[question.conflict_id] if question.conflict_id else None,
            extra=_levels(question=question.extra),
        )
        for position, question in enumerate(record.questions)
    ]


def challenge_to_record(challenge: Challenge) -> fmt.ChallengeRecord:
    """The challenge as a format record. Prefetch facts, conflicts and questions in bulk."""
    extra = challenge.extra or {}
    facts = tuple(
        fmt.FactRecord(
            fact_id=f.fact_id,
            entity=f.entity,
            attribute=f.attribute,
            value=f.value,
            value_type=f.value_type,
            section=f.section,
            paragraph_index=f.paragraph_index,
            quote=f.quote,
            extra=f.extra.get("fact", {}),
            location_extra=f.extra.get("location", {}),
        )
        for f in challenge.facts.all()
    )
    conflicts = tuple(
        fmt.ConflictRecord(
            conflict_id=c.conflict_id,
            target_fact_id=c.target_fact_ref,
            authoritative_value=c.authoritative_value,
            conflicting_value=c.conflicting_value,
            subordinate_text=c.subordinate_text,
            section=c.subordinate_section,
            paragraph_index=c.subordinate_paragraph_index,
            extra=c.extra.get("trap", {}),
            location_extra=c.extra.get("location", {}),
        )
        for c in challenge.conflicts.all()
    )
    conflict_ids = {c.pk: c.conflict_id for c in challenge.conflicts.all()}
    questions = tuple(
        fmt.QuestionRecord(
            question_id=q.question_id,
            text=q.text,
            category=q.category,
            source_category=q.source_category or q.category,
            hops=q.hops,
            difficulty=q.difficulty,
            gold_answer=q.gold_answer,
            aliases=tuple(q.aliases),
            reasoning_chain=tuple(q.reasoning_chain),
            conflict_id=conflict_ids.get(q.conflict_id),
            extra=q.extra.get("question", {}),
        )
        for q in challenge.questions.all()
    )
    return fmt.ChallengeRecord(
        challenge_id=challenge.public_id,
        version=challenge.version,
        split=challenge.split,
        source_type=challenge.source_type,
        domain=challenge.domain,
        document_text=challenge.document_text,
        word_count=challenge.word_count,
        paragraph_count=challenge.paragraph_count,
        sections=tuple(challenge.sections),
        facts=facts,
        conflicts=conflicts,
        questions=questions,
        document_id=challenge.source_document_id,
        engine_domain=challenge.engine_domain,
        engine_seed=challenge.engine_seed,
        engine_version=challenge.engine_version,
        metadata=challenge.metadata,
        extra=extra.get("challenge", {}),
        source_extra=extra.get("source", {}),
        document_extra=extra.get("document", {}),
    )
