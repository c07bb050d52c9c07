"""Reference mode: the public DACR-Bench scorer, decision for decision.

Reproduces ``src/evaluate.ts`` of botcoinmoney/dacr-bench at commit
8a78b5e (see ``types.REFERENCE_SCORER``) so our numbers compare with published
ones. Its rules, with every quirk we reproduce on purpose:

Answer matching (``matchAnswer``), in this order:

1. Normalise both sides: lower-case, trim (JavaScript's whitespace set), drop
   one leading "the "/"a "/"an ", drop trailing ``.,;:!?``, collapse
   whitespace, trim. An empty result on either side is wrong.
2. Exact: normalised answer equals the normalised gold.
3. Alias: equals a normalised alias (aliases are used by no later rule).
4. Numeric: strip every character but ASCII digits, "." and "-" from the
   *raw* answer and gold, ``parseFloat`` what is left, and accept a relative
   difference below 1% when the gold number is not 0. Quirk: digits are
   concatenated across the whole text, so "12 of 15" reads as 1215 and
   "10^3 cm^-2" as 103; "1e5" reads as 15.
5. Containment: either normalised string contains the other as a raw
   substring. Quirks: "1" is accepted for gold "12" (and for any gold that
   contains the character "1"); an answer that pastes the whole document is
   accepted whenever the gold appears in it.
6. Token F1 ≥ 0.8 over *sets* of whitespace-separated tokens (punctuation
   stays attached to tokens).

A missing answer (no entry for the question) and an empty answer ("") are
both wrong, but differ elsewhere: a missing answer scores confidence 0,
citation 0, and on a conflict question counts as *falling for* the planted
value; an empty answer keeps its stated confidence and citation score, and on
a conflict question is left out of the conflict-evasion denominator.

Conflict outcome (``scoreTrapEvasion``): both sides reduced to ``[a-z0-9.]``
after lower-casing; if the answer contains the authoritative value it
resolved the conflict, else if it contains the conflicting value it fell for
it, else "other" (excluded from the rate). Quirks: the authoritative value is
checked first, so an answer naming both values counts as resolved; the check
ignores whether the answer was judged correct; "12" is found inside "2012".

Citation score (``scoreCitation``): 0 for an empty citation; 1.0 when the
lower-cased citation contains the first 20 UTF-16 units of the note of a
reasoning step that has a fact id; otherwise, when the lower-cased gold occurs
in the lower-cased document, look at the 500 UTF-16 units either side of its
first occurrence and count citation tokens longer than 3 units that occur
there as substrings: ≥ half → 1.0, ≥ a quarter → 0.5. Quirk: a citation
with no token longer than 3 units ("p. 3") scores 1.0 whenever the gold
occurs in the document.

Confidence: ``Math.max(0, Math.min(1, confidence ?? 0))``; a value JavaScript
cannot read as a number (``"85%"``) stays NaN, which later drops out of every
calibration bin and turns mean confidences into NaN. Metrics over these
verdicts (ECE binning, missing challenges, split and domain quirks) live in
``evaluation.metrics``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from traces.grading.jscompat import (
    JS_WS_CLASS,
    js_clamp_unit,
    js_parse_float_digits,
    js_trim,
    utf16_units,
)
from traces.grading.types import (
    MODE_REFERENCE,
    OUTCOME_FELL,
    OUTCOME_OTHER,
    OUTCOME_RESOLVED,
    VERIFIER_VERSION,
    GoldQuestion,
    ModelAnswer,
    QuestionVerdict,
    missing_answer_verdict,
)

_ARTICLE = re.compile(r"(?:the|a|an)" + JS_WS_CLASS + "+")
_TRAILING_PUNCT = re.compile(r"[.,;:!?]+\Z")
_WS_RUN = re.compile(JS_WS_CLASS + "+")
_NOT_TRAP_CHAR = re.compile(r"[^a-z0-9.]")
_CONTEXT_UNITS = 500


_ODD_ASCII_SPACE = re.compile("[\x1c-\x1f]")
_ARTICLES = ("the ", "a ", "an ")


def normalize_reference(text: str) -> str:
    """The public scorer's answer normalisation (see module docstring, rule 1)."""
    if len(text) <= 256:
        return _normalize_short(text)
    return _normalize(text)


@lru_cache(maxsize=65536)
def _normalize_short(text: str) -> str:
    # Golds, aliases and typical answers repeat across modes and traces.
    return _normalize(text)


def _normalize(text: str) -> str:
    if text.isascii() and not _ODD_ASCII_SPACE.search(text):
        # Same result, fewer passes: for ASCII, Python's split() whitespace is
        # JavaScript's except U+001C-U+001F, excluded above. Collapsing first
        # leaves exactly one space after an article and none at either end.
        text = " ".join(text.lower().split())
        if text.startswith(_ARTICLES):
            text = text[text.index(" ") + 1 :]
        return text.rstrip(".,;:!?").rstrip(" ")
    text = js_trim(text.lower())
    match = _ARTICLE.match(text)
    if match:
        text = text[match.end() :]
    text = _TRAILING_PUNCT.sub("", text, count=1)
    return js_trim(_WS_RUN.sub(" ", text))


def _tokens(normalized: str) -> frozenset[str]:
    return frozenset(token for token in _WS_RUN.split(normalized) if token)


def _trap_text(value: str) -> str:
    return _NOT_TRAP_CHAR.sub("", js_trim(value.lower()))


@dataclass(frozen=True, slots=True)
class _PreparedGold:
    gold_norm: str
    alias_norms: frozenset[str]
    gold_number: float
    gold_tokens: frozenset[str]
    authoritative: str | None
    conflicting: str | None
    note_prefixes: tuple[str, ...]


@lru_cache(maxsize=65536)
def prepare_reference_gold(question: GoldQuestion) -> _PreparedGold:
    """Normalised gold, aliases, number and conflict values, computed once per question."""
    gold_norm = normalize_reference(question.gold_answer)
    conflict = question.conflict
    return _PreparedGold(
        gold_norm=gold_norm,
        alias_norms=frozenset(normalize_reference(alias) for alias in question.aliases),
        gold_number=js_parse_float_digits(question.gold_answer),
        gold_tokens=_tokens(gold_norm),
        authoritative=_trap_text(conflict.authoritative_value) if conflict else None,
        conflicting=_trap_text(conflict.conflicting_value) if conflict else None,
        note_prefixes=tuple(
            utf16_units(note.lower())[:20] for note in question.citation_notes if note
        ),
    )


def match_reference(answer: str, question: GoldQuestion) -> tuple[str, str]:
    """Apply the public matching rules; return ``(match_type, reason)``.

    ``match_type`` is one of exact, alias, numeric, contains, token_f1, none
    (the public "normalized" is our alias; its "partial" is contains or
    token_f1, told apart by which rule fired).
    """
    gold = prepare_reference_gold(question)
    answer_norm = normalize_reference(answer)
    if not answer_norm or not gold.gold_norm:
        return "none", "empty: the answer (or gold) is empty after normalisation"
    if answer_norm == gold.gold_norm:
        return "exact", "exact: the normalised answer equals the gold answer"
    if answer_norm in gold.alias_norms:
        return "alias", "alias: the normalised answer equals a gold alias"
    gold_number = gold.gold_number
    if gold_number == gold_number and gold_number != 0:
        answer_number = js_parse_float_digits(answer)
        if abs(answer_number - gold_number) / abs(gold_number) < 0.01:
            return "numeric", (
                f"numeric: digits of the answer read as {answer_number:g}, within 1% of the "
                f"gold's {gold_number:g} (public rule concatenates all digits)"
            )
    if gold.gold_norm in answer_norm:
        return "contains", "contains: the answer contains the gold answer as a substring"
    if answer_norm in gold.gold_norm:
        return "contains", "contains: the gold answer contains the answer as a substring"
    answer_tokens = _tokens(answer_norm)
    if not answer_tokens or not gold.gold_tokens:
        return "none", "none: no public rule matched"
    overlap = len(answer_tokens & gold.gold_tokens)
    f1 = 2 * overlap / (len(answer_tokens) + len(gold.gold_tokens))
    if f1 >= 0.8:
        return "token_f1", f"token_f1: word-set F1 {f1:.2f} reaches the 0.8 threshold"
    return "none", f"none: no public rule matched (word-set F1 {f1:.2f} < 0.8)"


def conflict_outcome_reference(answer: str, question: GoldQuestion) -> str:
    """The public conflict rule: authoritative value first, then the planted one."""
    gold = prepare_reference_gold(question)
    if gold.authoritative is None or gold.conflicting is None:
        return ""
    answer_text = _trap_text(answer)
    if gold.authoritative in answer_text:
        return OUTCOME_RESOLVED
    if gold.conflicting in answer_text:
        return OUTCOME_FELL
    return OUTCOME_OTHER


_SURROGATE = re.compile("[\ud800-\udfff]")
# The only characters whose lower case is ASCII without being ASCII (KELVIN SIGN,
# and CAPITAL I WITH DOT ABOVE, which also lowers to two characters).
_ASCII_LOWERING = ("\u212a", "\u0130")
_WINDOW_MARGIN = 100  # lower-casing is per character except final sigma, which looks around


@lru_cache(maxsize=64)
def _document_units_lower(document_text: str) -> str:
    return utf16_units(document_text.lower())


@lru_cache(maxsize=64)
def _document_ascii_lower(document_text: str) -> str | None:
    """The document with only ASCII letters lower-cased, when that finds ASCII golds exactly."""
    if any(char in document_text for char in _ASCII_LOWERING):
        return None
    try:
        encoded = document_text.encode("utf-8")
    except UnicodeEncodeError:
        return None  # lone surrogates: JavaScript could match half a pair; take the slow path
    return encoded.lower().decode("utf-8")


@lru_cache(maxsize=65536)
def gold_context(document_text: str, gold_answer: str) -> str | None:
    """The lower-cased document, in UTF-16 units, 500 units either side of the gold.

    Lower-casing a whole document costs more than grading its questions, so
    for an ASCII gold we search a document whose ASCII letters alone are
    lower-cased (no other character lowers to ASCII, bar the two checked
    for) and lower-case only the window around the hit.
    """
    gold_lower = gold_answer.lower()
    ascii_document = _document_ascii_lower(document_text) if gold_lower.isascii() else None
    if ascii_document is None:
        document = _document_units_lower(document_text)
        index = document.find(utf16_units(gold_lower))
        if index < 0:
            return None
        return document[max(0, index - _CONTEXT_UNITS) : index + _CONTEXT_UNITS]
    index = ascii_document.find(gold_lower)
    if index < 0:
        return None
    start = max(0, index - _CONTEXT_UNITS - _WINDOW_MARGIN)
    window = document_text[start : index + _CONTEXT_UNITS + _WINDOW_MARGIN].lower()
    # Keeping 500 units either side leaves the margins, whose lower case may differ, out.
    before = utf16_units(window[: index - start])
    after = utf16_units(window[index - start :])
    return before[-_CONTEXT_UNITS:] + after[:_CONTEXT_UNITS]


def citation_score_reference(
    citation: str | None, question: GoldQuestion, document_text: str
) -> float:
    """The public citation score: 0, 0.5 or 1.0 (see module docstring)."""
    if not citation or not js_trim(citation):
        return 0.0
    citation_lower = utf16_units(citation.lower())
    for prefix in prepare_reference_gold(question).note_prefixes:
        if prefix in citation_lower:
            return 1.0
    context = gold_context(document_text, question.gold_answer)
    if context is None:
        return 0.0
    tokens = [token for token in _WS_RUN.split(citation_lower) if len(token) > 3]
    found = sum(1 for token in tokens if token in context)
    if found >= len(tokens) * 0.5:
        return 1.0
    if found >= len(tokens) * 0.25:
        return 0.5
    return 0.0


def reference_confidence(confidence: float | None) -> float:
    """The public clamp: ``Math.max(0, Math.min(1, confidence ?? 0))`` (NaN stays NaN)."""
    return js_clamp_unit(0.0 if confidence is None else confidence)


def grade_reference(
    question: GoldQuestion, response: ModelAnswer | None, document_text: str
) -> QuestionVerdict:
    """Grade one answer exactly as the public scorer does."""
    if response is None or response.answer is None:
        return missing_answer_verdict(
            question,
            mode=MODE_REFERENCE,
            conflict_outcome=OUTCOME_FELL,
            citation_score=0.0,
            reason=(
                "missing: no answer; the public scorer counts it wrong with confidence 0"
                + (" and as falling for the planted value" if question.conflict else "")
            ),
        )
    match_type, reason = match_reference(response.answer, question)
    return QuestionVerdict(
        question_id=question.question_id,
        mode=MODE_REFERENCE,
        verifier_version=VERIFIER_VERSION,
        answer=response.answer,
        citation=response.citation,
        confidence=reference_confidence(response.confidence),
        match_type=match_type,
        correct=match_type != "none",
        conflict_outcome=conflict_outcome_reference(response.answer, question),
        citation_score=citation_score_reference(response.citation, question, document_text),
        # The rule is deterministic; doubt about the answer belongs to strict mode.
        verdict_confidence=1.0,
        reason=reason,
    )
