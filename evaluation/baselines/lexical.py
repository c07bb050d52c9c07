"""The ``lexical`` baseline: BM25 retrieval, then an answer read off the best unit.

A real but weak reader with no model. Per document it builds a BM25 index once over units
(sentences, table rows, ``Key: value`` lines) and one over paragraphs. Per question it ranks
units by their own score plus a share of their paragraph's, favouring units about the entity
the question names, then answers by the question's shape:

- an extreme or "which <kind>" question → a candidate name from the best unit that has one;
- "how many" → the count next to the attribute words;
- otherwise → the value the attribute phrase points to (number without its unit, table
  cell, or label) in the best unit that holds the attribute words.

It does no arithmetic, no comparison across units and no conflict resolution: it answers
from what one unit says. The citation is that unit; the confidence grows with the BM25 margin
between the two best units. It never raises.
"""

from __future__ import annotations

from collections.abc import Sequence

from evaluation.baselines.bm25 import BM25
from evaluation.baselines.questions import QuestionTerms, question_terms
from evaluation.baselines.reading import (
    Document,
    Unit,
    content_stems,
    find_word,
    mentions,
    names_in,
    read_document,
)
from evaluation.baselines.types import EMPTY_ANSWER, BaselineAnswer
from evaluation.baselines.values import answer_in_unit, attribute_span, count_near, extract_values

PARAGRAPH_WEIGHT = 0.3  # a unit inside a relevant paragraph is more likely the right one
ENTITY_BOOST = 1.5  # a unit about the named entity beats one that only shares the attribute
CANDIDATES = 12  # how far down the ranking the reader looks for an answer


class LexicalIndex:
    """BM25 indexes over one document's paragraphs and units, built once."""

    def __init__(self, document: Document):
        self.document = document
        # A row is about its header, a Key: value line about the line that introduced it.
        contexts = {u.context: tuple(content_stems(u.context)) for u in document.units}
        pairs = zip(document.units, document.unit_stems, strict=True)
        self.units = BM25([stems + contexts[u.context] for u, stems in pairs])
        # A paragraph is its units (with their contexts) put together.
        paragraph_of = [unit.paragraph for unit in document.units]
        self.paragraphs = BM25.grouped(self.units, paragraph_of, len(document.paragraphs))
        # Names with digits ("Station 12") are blanked before reading numbers.
        self.digit_names = tuple(n for n in document.names if any(c.isdigit() for c in n))

    def rank(self, terms: QuestionTerms) -> list[tuple[Unit, float]]:
        """Units by combined score, best first (ties: document order); positive scores only."""
        units = self.document.units
        paragraph_scores = self.paragraphs.sparse_scores(terms.query)
        ranked = []
        # Units about a named entity: those holding all its tokens, then checked as a word.
        about: set[int] = set()
        for entity in terms.entities:
            holders = [self.units.holding(s) for s in content_stems(entity)]
            candidates = frozenset.intersection(*holders) if holders else frozenset()
            about.update(i for i in candidates if mentions(units[i], entity))
        for index, score in self.units.sparse_scores(terms.query).items():
            score += PARAGRAPH_WEIGHT * paragraph_scores.get(units[index].paragraph, 0.0)
            if index in about:
                score *= ENTITY_BOOST
            ranked.append((index, score))
        ranked.sort(key=lambda item: (-item[1], item[0]))
        return [(units[index], score) for index, score in ranked[:CANDIDATES] if score > 0]


def solve_lexical(
    document_text: str, questions: Sequence[tuple[str, str]]
) -> dict[str, BaselineAnswer]:
    """Answer every question of one document; the index is built once."""
    index = LexicalIndex(read_document(document_text))
    return {question_id: answer_question(index, text) for question_id, text in questions}


def answer_question(index: LexicalIndex, question: str) -> BaselineAnswer:
    """One question against a built index (see the module docstring)."""
    terms = question_terms(question, index.document)
    ranked = index.rank(terms)
    if not ranked:
        return EMPTY_ANSWER
    if terms.asks_for_entity:
        found = _entity_answer(index.document, terms, ranked)
    elif terms.how_many:
        found = _first(ranked, lambda unit: count_near(unit.text, terms.attribute))
    else:
        mask = (*terms.entities, *index.digit_names)
        period = terms.periods[0] if terms.periods else ""

        def read(unit: Unit) -> str:
            if unit.kind != "row" and attribute_span(unit.text, terms.attribute) is None:
                return ""
            return answer_in_unit(unit, terms.attribute, period=period, mask=mask)

        # Units that hold every attribute word first ("enrolled patients" over "per-patient
        # cost"), then any unit that holds one.
        wanted = set(terms.attribute)
        complete = [(u, s) for u, s in ranked if wanted <= _stems(u)]
        found = _first(complete, read) or _first(ranked, read)
    if found is None:
        found = _fallback(index, terms, ranked[0][0])
    answer, unit = found
    if not answer:
        return EMPTY_ANSWER
    return BaselineAnswer(answer, unit.text, _confidence(ranked, unit))


def _stems(unit: Unit) -> set[str]:
    return set(content_stems(f"{unit.text} {unit.context}"))


def _first(ranked, read) -> tuple[str, Unit] | None:
    for unit, _ in ranked:
        answer = read(unit)
        if answer:
            return answer, unit
    return None


def _entity_answer(document: Document, terms: QuestionTerms, ranked) -> tuple[str, Unit] | None:
    """A candidate name from the best unit that holds one the question does not give:
    a table row's first cell, else a table name, else a name with the kind word in it."""
    kind = terms.kind.casefold()

    def read(unit: Unit) -> str:
        if unit.kind == "header":
            return ""
        if unit.kind == "row" and unit.cells and _new(unit.cells[0], terms):
            return unit.cells[0]
        # A name that is the whole unit is a heading ("Station Network Annual Summary").
        names = [n for n in names_in(document, unit.text) if _new(n, terms) and n != unit.text]
        preferred = [n for n in names if n in document.table_names] or [
            n for n in names if kind and kind in n.casefold()
        ]
        return (preferred or names or [""])[0]

    return _first(ranked, read)


def _new(name: str, terms: QuestionTerms) -> bool:
    return find_word(terms.text, name) < 0 and name not in terms.entities


def _fallback(index: LexicalIndex, terms: QuestionTerms, unit: Unit) -> tuple[str, Unit]:
    """Nothing fitted the question's shape: the best unit's first number, else its first
    name the question does not give."""
    values = extract_values(unit.text, mask=(*terms.entities, *index.digit_names))
    if values:
        return values[0].text, unit
    names = [n for n in names_in(index.document, unit.text) if _new(n, terms)]
    return (names[0] if names else ""), unit


def _confidence(ranked: list[tuple[Unit, float]], used: Unit) -> float:
    """Share of the best score the used unit has, times how far the best stands above the
    second (0.3 when they tie, 1.0 when the best is alone)."""
    best = ranked[0][1]
    second = ranked[1][1] if len(ranked) > 1 else 0.0
    score = next((s for u, s in ranked if u is used), best)
    margin = (best - second) / best if best > 0 else 0.0
    value = (score / best if best > 0 else 0.0) * (0.3 + 0.7 * margin)
    return round(min(1.0, max(0.0, value)), 4)
