"""Synthetic graded traces for the training-data and trainer tests: small documents with a
few questions, answers, reasoning and effective decisions, built without a database."""

from __future__ import annotations

import hashlib

from evaluation.prompt import PromptQuestion
from training.data import CandidateTrace, EvalSuiteFootprint

QUESTIONS = (
    "What was the measured thermal conductivity of the sample?",
    "Which reactor had the highest efficiency?",
    "By how much did the final yield exceed the preliminary estimate?",
    "Which site reported the highest annual rainfall?",
    "What was the median run duration?",
)


def document(challenge_id: str) -> str:
    number = int(hashlib.sha256(challenge_id.encode()).hexdigest()[:4], 16) % 90 + 10
    return (
        f"Report {challenge_id}. The measured thermal conductivity of sample A was {number}.2 "
        f"W/m K in the final analysis. A preliminary estimate put the yield at {number / 10} "
        f"t/ha, later revised to {number / 10 + 0.5:.1f} t/ha. Reactor {number % 7} had the "
        "highest efficiency at 81.5%."
    )


def candidate(
    trace_id: int,
    challenge_id: str = "dacr-0001",
    *,
    correct: tuple[bool, ...] = (True, True, True),
    domain: str = "physics",
    split: str = "synthetic",
    solver: str = "gpt-4o",
    suites: tuple[str, ...] = ("synthetic-train",),
    text: str | None = None,
    answer_suffix: str = "",
) -> CandidateTrace:
    """A trace of ``challenge_id`` answering ``len(correct)`` questions, the i-th one
    effectively right when ``correct[i]``."""
    text = text if text is not None else document(challenge_id)
    qids = [f"q{i + 1:02d}" for i in range(len(correct))]
    questions = tuple(
        PromptQuestion(qid, QUESTIONS[i % len(QUESTIONS)]) for i, qid in enumerate(qids)
    )
    answers = {
        qid: {
            "answer": f"answer {qid} of {challenge_id}{answer_suffix}",
            "citation": text.split(". ")[1],
            "confidence": 0.8,
        }
        for qid in qids
    }
    return CandidateTrace(
        trace_id=trace_id,
        challenge_id=challenge_id,
        document_hash=hashlib.sha256(text.encode()).hexdigest(),
        domain=domain,
        split=split,
        solver=solver,
        suites=suites,
        document_text=text,
        questions=questions,
        answers=answers,
        reasoning=f"Quote the statements of {challenge_id} and read the values off them.",
        question_correct=dict(zip(qids, correct, strict=True)),
        content_hash=f"trace-{trace_id}",
    )


def footprint(
    name: str = "real-9",
    *,
    challenges: tuple[str, ...] = (),
    documents: tuple[str, ...] = (),
    domains: tuple[str, ...] = (),
) -> EvalSuiteFootprint:
    return EvalSuiteFootprint(name, frozenset(challenges), frozenset(documents), frozenset(domains))
