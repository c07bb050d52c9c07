"""Traces of the built-in baseline solvers (no model), recorded and graded like any other."""

from __future__ import annotations

from challenges.models import Challenge, Suite
from traces.models import SolverKind, Trace, TraceSource
from traces.services.grading import traces_grade
from traces.services.recording import TraceInput, solver_get_or_create, traces_record

DESCRIPTIONS = {
    "lexical": "BM25 over paragraphs plus value extraction near the question's key terms "
    "(no model).",
    "first_mention": "Trivial: the value in the first sentence naming the entity and attribute.",
    "last_mention": "Trivial: the value in the last sentence naming the entity and attribute.",
    "hedge_filter": "Trivial: the first matching sentence without a hedge word.",
}


def suite_baseline_traces(*, suite: Suite, solver_name: str = "lexical") -> list[Trace]:
    """Run the baseline ``solver_name`` over every challenge of ``suite``, record one trace
    per challenge (idempotently) and grade it in both modes."""
    from challenges.services.validity import suite_records
    from evaluation.baselines import solve

    if solver_name not in DESCRIPTIONS:
        raise ValueError(
            f"unknown baseline {solver_name!r}; known baselines: {', '.join(DESCRIPTIONS)}"
        )
    solver = solver_get_or_create(
        name=solver_name, kind=SolverKind.LEXICAL, description=DESCRIPTIONS[solver_name]
    )
    records = suite_records(suite=suite)
    challenges = {
        (c.public_id, c.version): c
        for c in Challenge.objects.filter(memberships__suite=suite).only(
            "id", "public_id", "version"
        )
    }
    attempts = []
    for record in records:
        answers = solve(
            solver_name, record.document_text, [(q.question_id, q.text) for q in record.questions]
        )
        attempts.append(
            TraceInput(
                challenge=challenges[(record.challenge_id, record.version)],
                answers={
                    qid: {"answer": a.answer, "citation": a.citation, "confidence": a.confidence}
                    for qid, a in answers.items()
                },
                source=TraceSource.EVALUATION,
            )
        )
    traces = traces_record(solver=solver, attempts=attempts)
    traces_grade(traces=traces)
    return traces
