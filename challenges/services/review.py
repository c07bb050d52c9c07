"""Review of draft challenges: an annotator edits, drops, adds and approves questions, then
publishes. Every step is one transaction that locks the draft (a published challenge refuses
them all with ``ChallengeImmutableError``), refreshes its content hash and appends one
``ChallengeEdit`` row with the author, the time, the question before and after, and a reason.

Publishing needs at least one question and every question approved; it runs the verifier's
content checks again (facts quoted, both values of each conflict present, computations,
no answer in its question) and refuses when one fails. The shape check (ten questions over
five skills, the word range) is kept in the stored report but does not block: dropping a
poor question is the annotator's call.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from challenges import dacr_format as fmt
from challenges.engine.questions import leaks
from challenges.models import Category, Challenge, ChallengeEdit, Difficulty, Question
from challenges.services.challenge_edits import (
    challenge_lock_draft,
    challenge_publish,
    challenge_rehash,
)
from challenges.services.records import challenge_to_record

REVIEW_FIELDS = ("text", "gold_answer", "aliases", "category", "difficulty", "hops")
MAX_HOPS = 10
# Checks whose failure stops a publication; the others are recorded only.
ADVISORY_CHECKS = frozenset({"shape"})


class ReviewRefused(ValueError):
    """A review step that cannot be taken as asked; the message is one line."""


def question_state(question: Question) -> dict:
    """The reviewable fields of a question, as an edit records them."""
    return {
        "text": question.text,
        "gold_answer": question.gold_answer,
        "aliases": list(question.aliases),
        "category": question.category,
        "difficulty": question.difficulty,
        "hops": question.hops,
        "conflict_id": question.conflict.conflict_id if question.conflict_id else None,
    }


def _clean(
    *, text: str, gold_answer: str, aliases: Sequence[str], category: str, difficulty: str, hops
) -> dict:
    text, gold_answer = (text or "").strip(), (gold_answer or "").strip()
    if not text:
        raise ReviewRefused("the question text cannot be empty")
    if not gold_answer:
        raise ReviewRefused("the gold answer cannot be empty")
    if category not in Category.values:
        raise ReviewRefused(f"unknown category {category!r}")
    if difficulty not in Difficulty.values:
        raise ReviewRefused(f"unknown difficulty {difficulty!r}")
    if isinstance(hops, bool) or not isinstance(hops, int) or not 1 <= hops <= MAX_HOPS:
        raise ReviewRefused(f"hops must be a whole number from 1 to {MAX_HOPS}, not {hops!r}")
    if leaks(text, gold_answer):
        raise ReviewRefused("the question contains its own gold answer; reword it")
    cleaned_aliases = []
    for alias in aliases:
        alias = str(alias).strip()
        if alias and alias != gold_answer and alias not in cleaned_aliases:
            cleaned_aliases.append(alias)
    return {
        "text": text,
        "gold_answer": gold_answer,
        "aliases": cleaned_aliases,
        "category": category,
        "difficulty": difficulty,
        "hops": hops,
    }


def _question(challenge: Challenge, question_id: str) -> Question:
    # The challenge's row is locked: its questions need no lock of their own.
    question = (
        challenge.questions.select_related("conflict").filter(question_id=question_id).first()
    )
    if question is None:
        raise ReviewRefused(f"{challenge.public_id} has no question {question_id!r}")
    return question


def _record(challenge, *, action, author, question_id="", before=None, after=None, reason=""):
    return ChallengeEdit.objects.create(
        challenge=challenge,
        question_id=question_id,
        action=action,
        author=author,
        before=before or {},
        after=after or {},
        reason=(reason or "").strip(),
    )


def review_question_edit(
    *,
    challenge: Challenge,
    question_id: str,
    author,
    text: str,
    gold_answer: str,
    aliases: Sequence[str],
    category: str,
    difficulty: str,
    hops: int,
    reason: str = "",
) -> Question:
    """Change a draft question's text, gold answer, aliases, category, difficulty or hops.
    The question needs approving again afterwards."""
    changes = _clean(
        text=text,
        gold_answer=gold_answer,
        aliases=aliases,
        category=category,
        difficulty=difficulty,
        hops=hops,
    )
    with transaction.atomic():
        locked = challenge_lock_draft(challenge)
        question = _question(locked, question_id)
        before = question_state(question)
        if all(before[name] == value for name, value in changes.items()):
            raise ReviewRefused(f"{question_id} is unchanged: nothing to record")
        for name, value in changes.items():
            setattr(question, name, value)
        question.source_category = fmt.EXPORT_CATEGORY.get(question.category, question.category)
        question.approved_at = None
        question.save()
        challenge_rehash(locked)
        _record(
            locked,
            action=ChallengeEdit.Action.EDIT,
            author=author,
            question_id=question_id,
            before=before,
            after=question_state(question),
            reason=reason,
        )
    return question


def review_question_drop(
    *, challenge: Challenge, question_id: str, author, reason: str = ""
) -> None:
    """Remove a question from a draft (its last state stays in the history)."""
    with transaction.atomic():
        locked = challenge_lock_draft(challenge)
        question = _question(locked, question_id)
        if question.verdicts.exists():
            raise ReviewRefused(f"{question_id} already has graded answers; it cannot be dropped")
        before = question_state(question)
        question.delete()
        challenge_rehash(locked)
        _record(
            locked,
            action=ChallengeEdit.Action.DROP,
            author=author,
            question_id=question_id,
            before=before,
            reason=reason,
        )


def _next_question_id(challenge: Challenge) -> str:
    """One past the highest number any question of the challenge ever had, dropped ones
    included, so a history entry never names two different questions."""
    used = [*challenge.questions.values_list("question_id", flat=True)]
    used += challenge.edits.values_list("question_id", flat=True)
    numbers = [int(m.group(1)) for qid in used if (m := re.fullmatch(r"q(\d+)", qid))]
    return f"q{max(numbers, default=0) + 1:02d}"


def review_question_add(
    *,
    challenge: Challenge,
    author,
    text: str,
    gold_answer: str,
    category: str,
    hops: int,
    difficulty: str = Difficulty.MEDIUM,
    aliases: Sequence[str] = (),
    conflict_id: str = "",
    reason: str = "",
) -> Question:
    """Add a question to a draft, after the others. A conflict-resolution question may name
    the conflict it targets; its gold must then be the authoritative value."""
    values = _clean(
        text=text,
        gold_answer=gold_answer,
        aliases=aliases,
        category=category,
        difficulty=difficulty,
        hops=hops,
    )
    with transaction.atomic():
        locked = challenge_lock_draft(challenge)
        conflict = None
        if conflict_id:
            conflict = locked.conflicts.filter(conflict_id=conflict_id).first()
            if conflict is None:
                raise ReviewRefused(f"{locked.public_id} has no conflict {conflict_id!r}")
        top = locked.questions.aggregate(top=Max("position"))["top"]
        question = Question.objects.create(
            challenge=locked,
            question_id=_next_question_id(locked),
            position=0 if top is None else top + 1,
            source_category=fmt.EXPORT_CATEGORY.get(category, category),
            conflict=conflict,
            reasoning_chain=[
                {"step": 1, "action": "stated by the annotator", "result": values["gold_answer"]}
            ],
            **values,
        )
        challenge_rehash(locked)
        _record(
            locked,
            action=ChallengeEdit.Action.ADD,
            author=author,
            question_id=question.question_id,
            after=question_state(question),
            reason=reason,
        )
    return question


def review_question_approve(
    *, challenge: Challenge, question_id: str, author, reason: str = ""
) -> Question:
    """Mark a draft question as checked by a person."""
    with transaction.atomic():
        locked = challenge_lock_draft(challenge)
        question = _question(locked, question_id)
        if question.approved_at is not None:
            raise ReviewRefused(f"{question_id} is already approved")
        question.approved_at = timezone.now()
        question.save(update_fields=["approved_at"])
        state = question_state(question)
        _record(
            locked,
            action=ChallengeEdit.Action.APPROVE,
            author=author,
            question_id=question_id,
            before=state,
            after=state,
            reason=reason,
        )
    return question


def review_verify(challenge: Challenge):
    """The verifier's checks that apply to a reviewed real-paper challenge (no engine
    reader), as a ``VerificationReport``."""
    from challenges.paper_challenge import WORD_RANGE
    from challenges.verify import verify_challenge

    return verify_challenge(challenge_to_record(challenge), word_range=WORD_RANGE)


def _publish_report(report, *, draft: dict | None) -> dict:
    """The report stored at publication: the checks just run, and under ``draft_checks`` the
    builder's real-paper checks from the draft, which need the builder's evidence and so are
    not run again here (they are kept, marked as the draft's, so nothing is silently lost)."""
    stored = report.as_dict()
    rerun = {check.name for check in report.checks}
    earlier = [c for c in (draft or {}).get("checks", []) if c.get("name") not in rerun]
    if earlier:
        stored["draft_checks"] = earlier
    return stored


def review_publish(*, challenge: Challenge, author, reason: str = "") -> Challenge:
    """Publish a reviewed draft: every question approved, at least one, the content checks
    passing. The new report is stored; from then on the challenge cannot change."""
    with transaction.atomic():
        locked = challenge_lock_draft(challenge)
        pending = list(
            locked.questions.filter(approved_at__isnull=True)
            .order_by("position")
            .values_list("question_id", flat=True)
        )
        if not locked.questions.exists():
            raise ReviewRefused("a challenge needs at least one question to be published")
        if pending:
            raise ReviewRefused(
                f"{len(pending)} question(s) not approved yet: {', '.join(pending[:10])}"
            )
        report = review_verify(locked)
        blocking = [c for c in report.checks if not c.passed and c.name not in ADVISORY_CHECKS]
        if blocking:
            raise ReviewRefused(f"verification failed: {blocking[0].name}: {blocking[0].detail}")
        locked.verification_report = _publish_report(report, draft=locked.verification_report)
        locked.save(update_fields=["verification_report", "updated_at"])
        published = challenge_publish(challenge=locked)
        _record(
            published,
            action=ChallengeEdit.Action.PUBLISH,
            author=author,
            before={"status": Challenge.Status.DRAFT},
            after={
                "status": published.status,
                "content_hash": published.content_hash,
                "questions": locked.questions.count(),
                "verification_passed": report.passed,
            },
            reason=reason,
        )
    return published
