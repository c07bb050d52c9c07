"""Graded traces for the audit tests, built with the real import, recording and grading
services: one verdict of each kind the audit queue orders by."""

from __future__ import annotations

from dataclasses import dataclass

from challenges.models import Challenge
from tests.factories import challenge_dict, import_challenges
from traces.models import Trace, Verdict, VerifierMode
from traces.services import TraceInput, solver_get_or_create, traces_grade, traces_record

ANSWERS = {
    # Names both the authoritative and the planted value: the public scorer (reference)
    # accepts it, strict calls it hedging — the two verifiers disagree.
    "q01": {"answer": "42.5 or 38 percent", "confidence": 0.5},
    "q02": {"answer": "12 hours", "confidence": 0.8},
    # Exact: a confident verdict.
    "q03": {"answer": "3", "confidence": 0.9},
    # The free-text gold as whole tokens with four extra ones: a low-confidence ``contains``.
    "q04": {"answer": "a steady state at the plant site", "confidence": 0.6},
}
FREE_TEXT_QUESTION = {
    "questionId": "q04",
    "text": "What state did Trial Alpha reach?",
    "category": "direct_extraction",
    "hops": 1,
    "targetsTrap": None,
    "goldAnswer": "steady state",
    "goldAnswerAliases": [],
    "reasoningChain": [{"step": 1, "action": "lookup", "factId": "f001", "result": "steady"}],
    "difficulty": "easy",
}


@dataclass
class AuditData:
    trace: Trace
    disagreement: Verdict  # strict verdict of q01
    low_confidence: Verdict  # strict verdict of q04
    confident: Verdict  # strict verdict of q03 (q02 is confident too)

    def strict(self) -> list[Verdict]:
        return [self.disagreement, self.low_confidence, self.confident]


def graded_audit_data(suite: str = "audit-suite", challenge_id: str = "dacr-audit-0001"):
    record = challenge_dict(challenge_id)
    record["questions"] = [*record["questions"], FREE_TEXT_QUESTION]
    import_challenges(record, suite=suite)
    challenge = Challenge.objects.get(public_id=challenge_id)
    (trace,) = traces_record(
        solver=solver_get_or_create(name="hedger"),
        attempts=[TraceInput(challenge=challenge, answers=ANSWERS)],
    )
    traces_grade(traces=[trace])
    strict = {
        v.question.question_id: v
        for v in Verdict.objects.filter(trace=trace, mode=VerifierMode.STRICT).select_related(
            "question"
        )
    }
    return AuditData(
        trace=trace,
        disagreement=strict["q01"],
        low_confidence=strict["q04"],
        confident=strict["q03"],
    )
