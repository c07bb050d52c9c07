"""Dataclasses the verifiers take and return. No Django, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field

# Bump when a rule changes: stored verdicts are keyed by (mode, version), so a
# new version is re-graded next to the old verdicts instead of replacing them.
VERIFIER_VERSION = "1.0.0"

# The exact public scorer revision the reference mode reproduces.
REFERENCE_SCORER = (
    "botcoinmoney/dacr-bench src/evaluate.ts @ 8a78b5e10588d44560cc5555e62256bbcf9ed65d"
)

MODE_REFERENCE = "reference"
MODE_STRICT = "strict"
MODES = (MODE_REFERENCE, MODE_STRICT)

MATCH_TYPES = ("exact", "alias", "numeric", "contains", "token_f1", "none")

OUTCOME_RESOLVED = "resolved"
OUTCOME_FELL = "fell_for_planted"
OUTCOME_HEDGED = "hedged"
OUTCOME_OTHER = "other"
CONFLICT_OUTCOMES = (OUTCOME_RESOLVED, OUTCOME_FELL, OUTCOME_HEDGED, OUTCOME_OTHER, "")


@dataclass(frozen=True)
class ConflictGold:
    """A planted conflict (the file format's *trap*) a question targets.

    Values are text exactly as JavaScript's ``String()`` prints the file's
    value (``traces.grading.jscompat.js_string``): ``12`` → ``"12"``.
    """

    conflict_id: str
    authoritative_value: str
    conflicting_value: str


@dataclass(frozen=True)
class GoldQuestion:
    """What the verifier needs to know about one question.

    ``citation_notes`` are the ``note`` texts of reasoning-chain steps that
    carry a fact id, in chain order: the public citation rule awards full
    credit to a citation that quotes the first 20 characters of one.
    """

    question_id: str
    category: str
    hops: int
    difficulty: str
    gold_answer: str
    aliases: tuple[str, ...] = ()
    conflict: ConflictGold | None = None
    citation_notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class GoldChallenge:
    """One challenge: its document and questions, plus what metrics group by."""

    challenge_id: str
    domain: str
    split: str
    document_text: str
    questions: tuple[GoldQuestion, ...]


@dataclass(frozen=True)
class ModelAnswer:
    """A model's answer to one question.

    ``answer is None`` means the model gave no answer (missing); ``""`` is an
    empty answer. The public scorer treats them differently (see
    ``traces.grading.reference``). ``confidence`` is the model's number as
    JavaScript's ``Number()`` reads it (NaN possible); the verdict clamps it.
    """

    answer: str | None
    citation: str | None = None
    confidence: float | None = None


MISSING_ANSWER = ModelAnswer(answer=None)


@dataclass(frozen=True)
class QuestionVerdict:
    """The verifier's decision on one answer, with a reason a person can read.

    ``reason`` starts with the rule's name (``numeric:``, ``hedged:``, …).
    ``verdict_confidence`` is how sure the verifier is of its own decision;
    low values go first in the audit queue.
    """

    question_id: str
    mode: str
    verifier_version: str
    answer: str | None
    citation: str | None
    confidence: float
    match_type: str
    correct: bool
    conflict_outcome: str
    citation_score: float | None
    verdict_confidence: float
    reason: str


@dataclass(frozen=True)
class ChallengeGrade:
    """Every verdict for one challenge in one mode.

    ``predicted`` is False when the run holds no prediction at all for the
    challenge; its verdicts are then placeholders (all wrong, confidence 0).
    """

    challenge_id: str
    mode: str
    predicted: bool
    verdicts: tuple[QuestionVerdict, ...] = field(default_factory=tuple)


def missing_answer_verdict(
    question: GoldQuestion, *, mode: str, conflict_outcome: str, citation_score, reason: str
) -> QuestionVerdict:
    """The verdict on a question the model left unanswered: wrong, confidence 0, and sure of
    it. The modes differ only in the conflict outcome, citation score and reason."""
    return QuestionVerdict(
        question_id=question.question_id,
        mode=mode,
        verifier_version=VERIFIER_VERSION,
        answer=None,
        citation=None,
        confidence=0.0,
        match_type="none",
        correct=False,
        conflict_outcome=conflict_outcome if question.conflict is not None else "",
        citation_score=citation_score,
        verdict_confidence=1.0,
        reason=reason,
    )
