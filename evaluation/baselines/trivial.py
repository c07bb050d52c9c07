"""Three trivial solvers for the validity report: position and hedge words as answers.

Each finds the *statements* of the asked fact: sentences and ``Key: value`` lines (not table
rows, whose own text never holds the attribute words) that are about the question's entity
(named directly, or reached through "the experiment whose spokesperson is Chen Wei"), contain
every content word of its attribute phrase, and yield a value. Then:

- ``first_mention`` answers with the first statement in document order;
- ``last_mention`` with the last;
- ``hedge_filter`` with the first that has none of ``challenges.engine.cues.HEDGE_WORDS``
  (whole-word prefixes, case-insensitive: "early" does not fire on "nearly"); "" when every
  statement is hedged.

No statement → "" (an empty answer). If a benchmark's conflicts can be resolved by one of these,
the position or the wording of its planted statements gives the answer away.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from challenges.engine.cues import HEDGE_WORDS
from evaluation.baselines.questions import question_terms
from evaluation.baselines.reading import Document, Unit, mentions, read_document
from evaluation.baselines.types import EMPTY_ANSWER, BaselineAnswer
from evaluation.baselines.values import answer_in_unit

_HEDGE = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in HEDGE_WORDS) + r")", re.IGNORECASE)

Statement = tuple[Unit, str]  # a unit and the value it gives


def is_hedged(text: str) -> bool:
    """Whether ``text`` carries one of the engine's hedge words."""
    return bool(_HEDGE.search(text))


def statements(document: Document, question: str) -> list[Statement]:
    """The statements of the fact ``question`` asks for, in document order."""
    terms = question_terms(question, document)
    if not terms.attribute:
        return []
    wanted = set(terms.attribute)
    entity = terms.entities[0] if terms.entities else ""
    period = terms.periods[0] if terms.periods else ""
    digit_names = tuple(n for n in document.names if any(c.isdigit() for c in n))
    mask = (*terms.entities, *digit_names)
    found = []
    for position, unit in enumerate(document.units):
        if unit.kind in ("row", "header") or (entity and not mentions(unit, entity)):
            continue
        stems = document.unit_stems[position]
        if not all(word in stems for word in wanted):
            continue
        answer = answer_in_unit(unit, terms.attribute, period=period, mask=mask)
        if answer:
            found.append((unit, answer))
    return found


def _solver(pick: Callable[[list[Statement]], Statement | None]):
    def solve_document(
        document_text: str, questions: Sequence[tuple[str, str]]
    ) -> dict[str, BaselineAnswer]:
        document = read_document(document_text)
        answers = {}
        for question_id, text in questions:
            found = statements(document, text)
            chosen = pick(found)
            if chosen is None:
                answers[question_id] = EMPTY_ANSWER
                continue
            # Sure only when the document states the fact once.
            confidence = 1.0 if len(found) == 1 else round(1 / len(found), 4)
            answers[question_id] = BaselineAnswer(chosen[1], chosen[0].text, confidence)
        return answers

    return solve_document


solve_first_mention = _solver(lambda found: found[0] if found else None)
solve_last_mention = _solver(lambda found: found[-1] if found else None)
solve_hedge_filter = _solver(
    lambda found: next((s for s in found if not is_hedged(s[0].text)), None)
)
