"""What a baseline solver returns, and how the registry holds one. Pure."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class BaselineAnswer:
    """One answer: the text (``""`` when the solver found nothing), the unit of the document
    it came from, and a confidence in [0, 1]."""

    answer: str
    citation: str
    confidence: float


EMPTY_ANSWER = BaselineAnswer("", "", 0.0)

# (document text, [(question id, question text), …]) → {question id: answer}
SolveDocument = Callable[[str, Sequence[tuple[str, str]]], dict[str, BaselineAnswer]]


@dataclass(frozen=True)
class BaselineSolver:
    """A registered baseline: its name, a one-line description, and the function that answers
    every question of one document (it reads the document once)."""

    name: str
    description: str
    solve_document: SolveDocument
