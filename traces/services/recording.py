"""Recording traces: a model's attempt at all questions of one challenge."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass

from django.db import transaction

from challenges.models import Challenge
from traces.models import Solver, SolverKind, Trace, TraceSource
from traces.parsing import parse_response


@dataclass(frozen=True)
class TraceInput:
    """One attempt to record: either ``answers`` as a predictions file gives them, or the
    model's ``raw_output`` (parsed here)."""

    challenge: Challenge
    raw_output: str = ""
    answers: Mapping | None = None
    source: str = TraceSource.IMPORT
    problems: tuple[str, ...] = ()
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    latency_ms: int | None = None
    # An evaluation run's attempt: the run is part of its identity (two runs giving the same
    # output are two traces), and ``truncated`` says the document was cut to fit the model.
    eval_run_id: int | None = None
    truncated: bool = False


def solver_get_or_create(*, name: str, kind: str = SolverKind.IMPORTED, description: str = ""):
    """The solver called ``name``, created with ``kind`` if it does not exist yet."""
    name = name.strip() or "unknown"
    solver, _ = Solver.objects.get_or_create(
        name=name[:128], defaults={"kind": kind, "description": description}
    )
    return solver


def trace_from_input(*, solver: Solver, attempt: TraceInput) -> Trace:
    """An unsaved Trace for ``attempt``: raw output is parsed into answers; a predictions
    entry is kept as given (the verifier reads it as the public scorer does)."""
    problems = list(attempt.problems)
    if attempt.answers is not None:
        answers = dict(attempt.answers)
        raw_output = attempt.raw_output or json.dumps(answers, ensure_ascii=False, default=str)
        parse_format, reasoning, failure = "dacr_predictions", "", False
    else:
        parsed = parse_response(attempt.raw_output)
        answers = {
            question_id: {
                "answer": parsed_answer.answer,
                "citation": parsed_answer.citation,
                "confidence": parsed_answer.confidence,
            }
            for question_id, parsed_answer in parsed.answers.items()
        }
        raw_output = attempt.raw_output
        parse_format, reasoning = parsed.format, parsed.reasoning
        failure = not parsed.answers
        problems.extend(parsed.errors)
    identity = [raw_output, answers]
    if attempt.eval_run_id is not None:
        identity.append({"eval_run": attempt.eval_run_id})
    digest = hashlib.sha256(
        json.dumps(identity, sort_keys=True, ensure_ascii=False, default=str).encode()
    ).hexdigest()
    return Trace(
        challenge=attempt.challenge,
        solver=solver,
        raw_output=raw_output,
        answers=answers,
        parsed_reasoning=reasoning,
        parse_format=parse_format,
        format_failure=failure,
        problems=problems[:200],
        content_hash=digest,
        prompt_tokens=attempt.prompt_tokens,
        completion_tokens=attempt.completion_tokens,
        latency_ms=attempt.latency_ms,
        source=attempt.source,
        eval_run_id=attempt.eval_run_id,
        truncated=attempt.truncated,
    )


def traces_record(*, solver: Solver, attempts: list[TraceInput]) -> list[Trace]:
    """Record attempts, idempotently: an attempt already recorded (same challenge, solver and
    content) is returned as it is instead of being stored twice. Order is kept."""
    built = [trace_from_input(solver=solver, attempt=attempt) for attempt in attempts]
    with transaction.atomic():
        existing = {
            (trace.challenge_id, trace.content_hash): trace
            for trace in Trace.objects.filter(
                solver=solver,
                challenge_id__in={t.challenge_id for t in built},
                content_hash__in={t.content_hash for t in built},
            )
        }
        new = [t for t in built if (t.challenge_id, t.content_hash) not in existing]
        # Two identical attempts in one batch are one trace.
        unique_new = list({(t.challenge_id, t.content_hash): t for t in new}.values())
        Trace.objects.bulk_create(unique_new, batch_size=1000)
        existing.update({(t.challenge_id, t.content_hash): t for t in unique_new})
    return [existing[(t.challenge_id, t.content_hash)] for t in built]
