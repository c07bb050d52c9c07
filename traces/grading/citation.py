"""Strict citation score: the public rule without its loopholes."""

from __future__ import annotations

from functools import lru_cache

from traces.grading.jscompat import js_trim, utf16_units
from traces.grading.reference import gold_context, prepare_reference_gold
from traces.grading.text import tokenize
from traces.grading.types import GoldQuestion

CITATION_MAX_WORDS = 60


@lru_cache(maxsize=65536)
def _contexttokenize(document_text: str, gold_answer: str) -> frozenset[str] | None:
    context = gold_context(document_text, gold_answer)
    return None if context is None else frozenset(tokenize(context))


def citation_score_strict(
    citation: str | None, question: GoldQuestion, document_text: str
) -> float:
    """The public citation score without its loopholes.

    A citation with no word longer than 3 characters, or longer than
    ``CITATION_MAX_WORDS`` words, grounds nothing (0.0); words must occur as
    whole words near the gold, not as substrings.
    """
    if not citation or not js_trim(citation):
        return 0.0
    citation_lower = citation.lower()
    units = utf16_units(citation_lower)
    if any(prefix in units for prefix in prepare_reference_gold(question).note_prefixes):
        return 1.0
    words = [word for word in tokenize(citation_lower) if len(word) > 3]
    if not words or len(words) > CITATION_MAX_WORDS:
        return 0.0
    context = _contexttokenize(document_text, question.gold_answer)
    if context is None:
        return 0.0
    found = sum(1 for word in words if word in context)
    if found >= len(words) * 0.5:
        return 1.0
    if found >= len(words) * 0.25:
        return 0.5
    return 0.0
