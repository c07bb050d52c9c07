"""What the verifier needs from the database: challenges as pure ``GoldChallenge`` records."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Prefetch, QuerySet

from challenges import dacr_format as fmt
from challenges.models import Challenge, Question
from traces.grading import ConflictGold, GoldChallenge, GoldQuestion
from traces.grading.jscompat import js_string


def gold_challenges(challenges: QuerySet[Challenge] | Iterable[int]) -> dict[int, GoldChallenge]:
    """``GoldChallenge`` per challenge primary key, with questions in file order. Conflict
    values are written as JavaScript's ``String()`` writes the file's value (``12.0`` → "12"),
    and citation notes are the notes of the reasoning steps that name a fact, as the public
    scorer uses them."""
    if not isinstance(challenges, QuerySet):
        challenges = Challenge.objects.filter(pk__in=list(challenges))
    questions = Question.objects.select_related("conflict").order_by("position")
    rows = challenges.only("id", "public_id", "domain", "split", "document_text").prefetch_related(
        Prefetch("questions", queryset=questions)
    )
    return {challenge.pk: _gold(challenge) for challenge in rows}


def _gold(challenge: Challenge) -> GoldChallenge:
    return GoldChallenge(
        challenge_id=challenge.public_id,
        domain=challenge.domain,
        split=challenge.split,
        document_text=challenge.document_text,
        questions=tuple(_gold_question(q) for q in challenge.questions.all()),
    )


def _gold_question(question: Question) -> GoldQuestion:
    conflict = question.conflict
    return _question(
        question_id=question.question_id,
        category=question.source_category or question.category,
        hops=question.hops,
        difficulty=question.difficulty,
        gold_answer=question.gold_answer,
        aliases=question.aliases,
        conflict=(
            None
            if conflict is None
            else (conflict.conflict_id, conflict.authoritative_value, conflict.conflicting_value)
        ),
        reasoning_chain=question.reasoning_chain,
    )


def gold_from_record(record: fmt.ChallengeRecord) -> GoldChallenge:
    """The same ``GoldChallenge`` built from a parsed benchmark record, without a database
    round trip (``manage.py grade`` has just read the file)."""
    conflicts = {c.conflict_id: c for c in record.conflicts}
    questions = []
    for question in record.questions:
        conflict = conflicts.get(question.conflict_id or "")
        questions.append(
            _question(
                question_id=question.question_id,
                category=question.source_category or question.category,
                hops=question.hops,
                difficulty=question.difficulty,
                gold_answer=question.gold_answer,
                aliases=question.aliases,
                conflict=(
                    None
                    if conflict is None
                    else (
                        conflict.conflict_id,
                        conflict.authoritative_value,
                        conflict.conflicting_value,
                    )
                ),
                reasoning_chain=question.reasoning_chain,
            )
        )
    return GoldChallenge(
        challenge_id=record.challenge_id,
        domain=record.domain,
        split=record.split,
        document_text=record.document_text,
        questions=tuple(questions),
    )


def _question(
    *, question_id, category, hops, difficulty, gold_answer, aliases, conflict, reasoning_chain
) -> GoldQuestion:
    return GoldQuestion(
        question_id=question_id,
        category=category,
        hops=hops,
        difficulty=difficulty,
        gold_answer=gold_answer,
        aliases=tuple(aliases),
        conflict=(
            None
            if conflict is None
            else ConflictGold(
                conflict_id=conflict[0],
                authoritative_value=js_string(conflict[1]),
                conflicting_value=js_string(conflict[2]),
            )
        ),
        citation_notes=tuple(
            str(step.get("note"))
            for step in reasoning_chain
            if step.get("factId") and step.get("note") is not None
        ),
    )
