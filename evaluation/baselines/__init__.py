"""Baseline solvers: real, weak readers with no model. Pure (no Django anywhere here).

``solve(name, document_text, [(question id, question text), …])`` answers every question of
one document with the named baseline; ``answers_for_grading`` turns the result into what
``traces.grading.grade_challenge`` takes. The baselines:

- ``lexical``: BM25 retrieval and a shape-aware read of the best unit (``lexical``);
- ``first_mention`` / ``last_mention`` / ``hedge_filter``: the asked fact's first, last or
  first unhedged statement (``trivial``), for the benchmark's validity report.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from evaluation.baselines.lexical import solve_lexical
from evaluation.baselines.trivial import (
    solve_first_mention,
    solve_hedge_filter,
    solve_last_mention,
)
from evaluation.baselines.types import BaselineAnswer, BaselineSolver
from traces.grading import ModelAnswer

__all__ = ["BASELINES", "BaselineAnswer", "BaselineSolver", "answers_for_grading", "solve"]

BASELINES: dict[str, BaselineSolver] = {
    solver.name: solver
    for solver in (
        BaselineSolver(
            "lexical",
            "BM25 over paragraphs and sentences; answers from the best-matching sentence.",
            solve_lexical,
        ),
        BaselineSolver(
            "first_mention",
            "The value in the first sentence that states the asked fact.",
            solve_first_mention,
        ),
        BaselineSolver(
            "last_mention",
            "The value in the last sentence that states the asked fact.",
            solve_last_mention,
        ),
        BaselineSolver(
            "hedge_filter",
            "The value in the first statement of the asked fact with no hedge word.",
            solve_hedge_filter,
        ),
    )
}


def solve(
    name: str, document_text: str, questions: Sequence[tuple[str, str]]
) -> dict[str, BaselineAnswer]:
    """Answers of baseline ``name`` to every question of one document, by question id.

    Every question id gets an answer (``""`` when the baseline finds none). A non-string
    document or question text is read as empty. Unknown ``name`` → ``ValueError``.
    """
    solver = BASELINES.get(name) if isinstance(name, str) else None
    if solver is None:
        raise ValueError(f"unknown baseline {name!r}; known: {', '.join(BASELINES)}")
    text = document_text if isinstance(document_text, str) else ""
    pairs = [(question_id, q if isinstance(q, str) else "") for question_id, q in questions]
    return solver.solve_document(text, pairs)


def answers_for_grading(answers: Mapping[str, BaselineAnswer]) -> dict[str, ModelAnswer]:
    """The same answers as ``traces.grading.ModelAnswer`` values, for ``grade_challenge``."""
    return {
        question_id: ModelAnswer(
            answer=answer.answer, citation=answer.citation, confidence=answer.confidence
        )
        for question_id, answer in answers.items()
    }
