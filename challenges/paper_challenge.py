"""From a parsed paper to a verified draft challenge, deterministically.

Pure: no Django, no PyMuPDF. ``build_paper_challenge(paper, challenge_id=…, seed=…)`` extracts
the paper's facts, plants one to three conflicts, writes ten questions and verifies the
record with ``challenges.verify`` (facts quoted with their values, both conflict values
present, computations re-evaluate, no leaks, shape) and ``challenges.verify_paper`` (answers
in the text, one value per asked quantity, quotes where their location says). A question
that fails a per-question check is drawn again while the questions are written; a draft that
still fails is drawn again with the next attempt number; the last attempt's record comes back
with its failing report (the caller keeps it as a failed draft). The same paper and seed
always give the same record: every choice comes from a ``random.Random`` seeded from the
paper's text, the seed and the attempt number.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, replace

from challenges import dacr_format as fmt
from challenges import verify_paper
from challenges.conflicts import PlantedConflict, plant_conflicts, plantable
from challenges.facts import (
    PaperFact,
    PaperTooThin,
    QuantityIndex,
    extract_facts,
    require_substance,
)
from challenges.paper import ParsedPaper
from challenges.paper_text import stated
from challenges.questions import write_questions
from challenges.verify import VerificationReport, verify_challenge

BUILDER_VERSION = "1.0.0"
MAX_ATTEMPTS = 6
WORD_RANGE = (300, 200_000)
FRONT_MATTER = "Front matter"
_VALUE_TYPES = {"date": "temporal", "enumeration": "categorical", "acronym": "categorical"}


@dataclass(frozen=True)
class BuiltPaperChallenge:
    """The draft record, its verification report, and the paper as the record's text shows
    it (with the planted sentences)."""

    record: fmt.ChallengeRecord
    report: VerificationReport
    paper: ParsedPaper


def build_paper_challenge(
    paper: ParsedPaper, *, challenge_id: str, seed: int = 0, domain: str | None = None
) -> BuiltPaperChallenge:
    """The draft challenge for ``paper``. Raises ``PaperTooThin`` (one line) when the paper
    cannot carry a challenge at all; otherwise returns the draft, verified or not."""
    require_substance(paper)
    facts = extract_facts(paper)
    numeric = [fact for fact in facts if fact.is_numeric]
    if len(numeric) < 2:
        raise PaperTooThin(f"the paper states {len(numeric)} usable numbers; at least 2 needed")
    index = QuantityIndex(facts)
    plantable_count = sum(1 for fact in facts if plantable(paper, fact, index))
    built = None
    for attempt in range(MAX_ATTEMPTS):
        rng = _rng(paper, seed, attempt)
        count = min(rng.randint(1, 3), max(1, plantable_count // 3))
        final, conflicts = plant_conflicts(paper, facts, rng=rng, count=count)
        ev = verify_paper.evidence(final, facts, conflicts)

        def check(question: fmt.QuestionRecord, ev=ev) -> list[str]:
            return [problem for _, problem in verify_paper.question_problems(question, ev)]

        questions = write_questions(final, facts, conflicts, rng=rng, check=check)
        record = _record(paper, final, facts, conflicts, questions, challenge_id, domain)
        general = verify_challenge(record, None, word_range=WORD_RANGE)
        report = VerificationReport((*general.checks, *verify_paper.checks(record, ev)))
        built = BuiltPaperChallenge(_with_report(record, report, seed, attempt), report, final)
        if report.passed:
            break
    return built


def _rng(paper: ParsedPaper, seed: int, attempt: int) -> random.Random:
    parts = (BUILDER_VERSION, paper.metadata.title, paper.document(), seed, attempt)
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).digest()
    return random.Random(int.from_bytes(digest, "big"))


def _record(
    source: ParsedPaper,
    final: ParsedPaper,
    facts: tuple[PaperFact, ...],
    conflicts: tuple[PlantedConflict, ...],
    questions: tuple[fmt.QuestionRecord, ...],
    challenge_id: str,
    domain: str | None,
) -> fmt.ChallengeRecord:
    meta = source.metadata
    sections = tuple(section.label for section in final.sections)
    if any(block.section is None for block in final.blocks):
        sections = (FRONT_MATTER, *sections)
    by_id = {fact.fact_id: fact for fact in facts}
    return fmt.ChallengeRecord(
        challenge_id=challenge_id,
        version="1.0",
        split="real",
        source_type="document",
        domain=domain or meta.domain or "general",
        document_text=final.document(),
        word_count=final.word_count,
        paragraph_count=len(final.blocks),
        sections=sections,
        facts=tuple(_fact_record(final, fact) for fact in facts),
        conflicts=tuple(_conflict_record(final, c, by_id[c.fact_id]) for c in conflicts),
        questions=questions,
        document_id=meta.arxiv_id or challenge_id,
        metadata={
            "title": meta.title,
            "authors": list(meta.authors),
            "arxivId": meta.arxiv_id,
            "arxivVersion": meta.arxiv_version,
            "arxivCategory": meta.arxiv_category,
            "arxivDate": meta.arxiv_date,
            "date": meta.date,
            "pageCount": meta.page_count,
            "builderVersion": BUILDER_VERSION,
        },
    )


def record_value(fact: PaperFact):
    """The fact's value as the record carries it: a number when its plain spelling is in
    the quote (what ``verify.check_facts_stated`` reads), else the value as written
    ("six", "6,181", "21 Sep 2020", "A, B and C")."""
    if fact.is_numeric:
        return fact.value if stated(fact.value, fact.quote) else fact.value_text
    if isinstance(fact.value, tuple) or (fact.value_text and str(fact.value) not in fact.quote):
        return fact.value_text
    return fact.value


def _fact_record(paper: ParsedPaper, fact: PaperFact) -> fmt.FactRecord:
    extra: dict = {"kind": fact.kind}
    if fact.unit:
        extra["unit"] = fact.unit
    if isinstance(fact.value, tuple):
        extra["items"] = list(fact.value)
    elif fact.kind in ("date", "metadata") and record_value(fact) != fact.value:
        extra["normalized"] = fact.value
    value_type = _VALUE_TYPES.get(fact.kind, "numerical" if fact.is_numeric else "categorical")
    if fact.kind == "metadata" and "date" in fact.attribute:
        value_type = "temporal"
    return fmt.FactRecord(
        fact_id=fact.fact_id,
        entity=fact.entity,
        attribute=fact.attribute,
        value=record_value(fact),
        value_type=value_type,
        section=paper.section_label(fact.section),
        paragraph_index=fact.block,
        quote=fact.quote,
        extra=extra,
    )


def _conflict_record(
    paper: ParsedPaper, conflict: PlantedConflict, fact: PaperFact
) -> fmt.ConflictRecord:
    wrong = conflict.conflicting_value
    if not stated(wrong, conflict.subordinate_text):
        wrong = conflict.conflicting_text
    return fmt.ConflictRecord(
        conflict_id=conflict.conflict_id,
        target_fact_id=conflict.fact_id,
        authoritative_value=record_value(fact),
        conflicting_value=wrong,
        subordinate_text=conflict.subordinate_text,
        section=paper.section_label(conflict.section),
        paragraph_index=conflict.block,
        extra={
            "subordinateCue": conflict.subordinate_cue,
            "authoritativeCue": conflict.authoritative_cue,
            "subordinatePosition": conflict.position,
            "authoritativeText": conflict.authoritative_quote,
        },
    )


def _with_report(
    record: fmt.ChallengeRecord, report: VerificationReport, seed: int, attempt: int
) -> fmt.ChallengeRecord:
    metadata = {
        **record.metadata,
        "seed": seed,
        "attempt": attempt,
        "verificationPasses": sum(1 for check in report.checks if check.passed),
        "verificationMethod": "deterministic",
        "verification": report.as_dict(),
    }
    return replace(record, metadata=metadata)
