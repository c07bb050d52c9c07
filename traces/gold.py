"""What the verifier needs from the database: challenges as pure ``GoldChallenge`` records."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Prefetch, QuerySet

from challenges import dacr_format as fmt
from challenges.models import Challenge, Conflict, Question
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
    return _question(question, question.conflict)


def gold_from_record(record: fmt.ChallengeRecord) -> GoldChallenge:
    """The same ``GoldChallenge`` built from a parsed benchmark record, without a database
    round trip (``manage.py grade`` has just read the file)."""
    conflicts = {c.conflict_id: c for c in record.conflicts}
    return GoldChallenge(
        challenge_id=record.challenge_id,
        domain=record.domain,
        split=record.split,
        document_text=record.document_text,
        questions=tuple(_question(q, conflicts.get(q.conflict_id or "")) for q in record.questions),
    )


def _question(
    question: Question | fmt.QuestionRecord, conflict: Conflict | fmt.ConflictRecord | None
) -> GoldQuestion:
    """Rows and file records name these fields alike, so one builder serves both."""
    return GoldQuestion(
        question_id=question.question_id,
        category=question.source_category or question.category,
        hops=question.hops,
        difficulty=question.difficulty,
        gold_answer=question.gold_answer,
        aliases=tuple(question.aliases),
        conflict=(
            None
            if conflict is None
            else ConflictGold(
                conflict_id=conflict.conflict_id,
                authoritative_value=js_string(conflict.authoritative_value),
                conflicting_value=js_string(conflict.conflicting_value),
            )
        ),
        citation_notes=tuple(
            str(step.get("note"))
            for step in question.reasoning_chain
            if step.get("factId") and step.get("note") is not None
        ),
    )
