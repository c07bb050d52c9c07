"""Answer grading: pure dataclasses in, verdicts out, in two modes.

``reference`` reproduces the public DACR-Bench scorer decision for decision
(``traces.grading.reference`` lists its quirks); ``strict`` is the verifier
that cannot be gamed (``traces.grading.strict``). Both are always computed and
stored; pages show strict by default.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from traces.grading.reference import grade_reference
from traces.grading.strict import grade_strict
from traces.grading.types import (
    CONFLICT_OUTCOMES,
    MATCH_TYPES,
    MISSING_ANSWER,
    MODE_REFERENCE,
    MODE_STRICT,
    MODES,
    REFERENCE_SCORER,
    VERIFIER_VERSION,
    ChallengeGrade,
    ConflictGold,
    GoldChallenge,
    GoldQuestion,
    ModelAnswer,
    QuestionVerdict,
)

__all__ = [
    "CONFLICT_OUTCOMES",
    "MATCH_TYPES",
    "MISSING_ANSWER",
    "MODES",
    "MODE_REFERENCE",
    "MODE_STRICT",
    "REFERENCE_SCORER",
    "VERIFIER_VERSION",
    "ChallengeGrade",
    "ConflictGold",
    "GoldChallenge",
    "GoldQuestion",
    "ModelAnswer",
    "QuestionVerdict",
    "grade_challenge",
    "grade_question",
]

_GRADERS = {MODE_REFERENCE: grade_reference, MODE_STRICT: grade_strict}


def grade_question(
    question: GoldQuestion,
    response: ModelAnswer | None,
    document_text: str,
    *,
    mode: str = MODE_STRICT,
) -> QuestionVerdict:
    """Grade one answer in ``mode`` ("reference" or "strict").

    ``response`` None (or with ``answer`` None) is a missing answer.
    ``document_text`` is the challenge's document: the citation score looks
    around the gold in it, and strict mode refuses answers that echo it.
    Never raises on any answer text.
    """
    try:
        grader = _GRADERS[mode]
    except KeyError:
        raise ValueError(f"unknown grading mode {mode!r}; expected one of {MODES}") from None
    return grader(question, response, document_text)


def grade_challenge(
    challenge: GoldChallenge,
    answers: Mapping[str, ModelAnswer] | None,
    *,
    mode: str = MODE_STRICT,
) -> ChallengeGrade:
    """Grade every question of ``challenge`` in ``mode``.

    ``answers`` maps question ids to answers; ids the challenge does not have
    are ignored, as the public scorer ignores them. ``answers`` None means the
    run has no prediction for this challenge at all: the grade is marked
    ``predicted=False`` and holds placeholder verdicts (wrong, confidence 0)
    so that metrics can count the challenge the way each mode requires.
    """
    if answers is None:
        verdicts = tuple(
            _no_prediction(grade_question(q, None, challenge.document_text, mode=mode))
            for q in challenge.questions
        )
        return ChallengeGrade(challenge.challenge_id, mode, False, verdicts)
    verdicts = tuple(
        grade_question(q, answers.get(q.question_id), challenge.document_text, mode=mode)
        for q in challenge.questions
    )
    return ChallengeGrade(challenge.challenge_id, mode, True, verdicts)


def _no_prediction(verdict: QuestionVerdict) -> QuestionVerdict:
    return replace(verdict, reason="no_prediction: the run has no prediction for this challenge")
