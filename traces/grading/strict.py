"""Strict mode: the verifier that cannot be fooled, the default on every page.

Same normalisation as the public scorer, plus Unicode compatibility folding
(so "µ" and "μ", "−0.79" and "-0.79" compare equal). Then, in order:

1. ``missing`` / ``empty``: no answer, or nothing left after normalisation.
2. ``exact`` / ``alias``: equal to the gold or an alias. Curated answers win
   over every later rule (an alias like "k=1,2" names two numbers on purpose).
3. ``echoes_document``: a long answer (≥ 25 tokens and over 3× the longest
   gold form) that copies a run of 12 document tokens verbatim is wrong:
   pasting the paper is not answering.
4. ``hedged``: on a conflict question, an answer naming both the
   authoritative and the conflicting value is wrong. ``planted``: naming
   only the conflicting value is wrong. A value the gold itself names does
   not count as planted, and a degenerate conflict whose two values are the
   same ("2" vs "2") cannot be hedged: answering it is simply right or wrong.
5. ``numeric``: when the gold is a number with at most three other words,
   the set of numbers the answer names must equal the gold's (see
   ``numbers.same_quantity``: integers exactly, decimals within 1%,
   percentages and fractions interchangeable). "1" is not "12", and "12 or
   15" is not "12".
6. ``contains``: the gold (or an alias) appears as a run of whole tokens in
   the answer, with at most ``max(4, len(gold tokens))`` extra tokens.
7. ``token_f1``: bag-of-tokens F1 against the gold or an alias ≥ 0.8.

``verdict_confidence`` says how sure the rule is: 1.0 for exact matches and
clear misses, lower near a threshold (token F1 close to 0.8, containment with
many extra tokens), so annotators see those first.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from traces.grading.citation import citation_score_strict
from traces.grading.jscompat import js_clamp_unit
from traces.grading.numbers import (
    Quantity,
    covers,
    distinct,
    extract_quantities,
    is_number_token,
)
from traces.grading.text import normalize_strict, tokenize
from traces.grading.types import (
    MODE_STRICT,
    OUTCOME_FELL,
    OUTCOME_HEDGED,
    OUTCOME_OTHER,
    OUTCOME_RESOLVED,
    VERIFIER_VERSION,
    GoldQuestion,
    ModelAnswer,
    QuestionVerdict,
    missing_answer_verdict,
)

_FILLER = frozenset(
    [
        "approximately",
        "about",
        "around",
        "roughly",
        "nearly",
        "almost",
        "~",
        "of",
        "on",
        "the",
        "order",
        "a",
        "an",
        "the",
        "total",
        "exactly",
        "just",
        "over",
        "under",
        "some",
    ]
)
ECHO_MIN_TOKENS = 25
ECHO_SPAN = 12
F1_THRESHOLD = 0.8


@dataclass(frozen=True, slots=True)
class _Form:
    """One accepted form of the answer (the gold or an alias), pre-digested."""

    tokens: tuple[str, ...]
    quantities: tuple[Quantity, ...]
    numeric: bool


_Value = tuple[tuple[str, ...], tuple[Quantity, ...]]


@dataclass(frozen=True, slots=True)
class _StrictGold:
    exact_forms: frozenset[str]
    gold_norm: str
    gold: _Form
    numeric: bool
    longest: int
    authoritative: _Value | None
    conflicting: _Value | None
    planted_in_gold: bool


def _form(text: str) -> _Form:
    normalized = normalize_strict(text)
    tokens = tuple(tokenize(normalized))
    quantities = distinct(extract_quantities(normalized))
    words = [t for t in tokens if t not in _FILLER and not is_number_token(t)]
    return _Form(tokens, quantities, bool(quantities) and len(words) <= 3)


def _value(text: str) -> _Value:
    normalized = normalize_strict(text)
    return tuple(tokenize(normalized)), distinct(extract_quantities(normalized))


@lru_cache(maxsize=65536)
def _forms(question: GoldQuestion) -> tuple[_Form, ...]:
    """The gold and every alias, digested; built only when a rule needs the aliases."""
    return (_prepare_strict(question).gold, *(_form(alias) for alias in question.aliases))


@lru_cache(maxsize=65536)
def _prepare_strict(question: GoldQuestion) -> _StrictGold:
    gold = _form(question.gold_answer)
    conflict = question.conflict
    authoritative = conflicting = None
    if conflict is not None:
        authoritative = _value(conflict.authoritative_value)
        conflicting = _value(conflict.conflicting_value)
        if authoritative == conflicting:  # a degenerate trap: nothing to tell apart
            authoritative = conflicting = None
    exact_forms = frozenset(normalize_strict(alias) for alias in question.aliases)
    return _StrictGold(
        exact_forms=exact_forms,
        gold_norm=normalize_strict(question.gold_answer),
        gold=gold,
        numeric=gold.numeric,
        # Token counts of the aliases, without digesting them: only the echo rule needs it.
        longest=max([len(gold.tokens), *(len(tokenize(form)) for form in exact_forms)]),
        authoritative=authoritative,
        conflicting=conflicting,
        # Only the gold itself can legitimately name the planted value; an alias
        # that does ("k=1,2") is still accepted verbatim by the alias rule.
        planted_in_gold=conflicting is not None
        and _names(list(gold.tokens), gold.quantities, conflicting),
    )


def _names(tokens: list[str], quantities: tuple[Quantity, ...], value: _Value) -> bool:
    value_tokens, value_quantities = value
    if value_quantities:
        return covers(quantities, value_quantities)
    return bool(value_tokens) and _run_index(tokens, value_tokens) >= 0


def _run_index(tokens: list[str], run: tuple[str, ...]) -> int:
    """Start of ``run`` as consecutive whole tokens inside ``tokens``, else -1."""
    width = len(run)
    if not width or width > len(tokens):
        return -1
    first = run[0]
    for start, token in enumerate(tokens[: len(tokens) - width + 1]):
        if token == first and tuple(tokens[start : start + width]) == run:
            return start
    return -1


@lru_cache(maxsize=16)
def _document_spans(document_text: str) -> frozenset[int]:
    tokens = tokenize(normalize_strict(document_text))
    return frozenset(
        hash(tuple(tokens[i : i + ECHO_SPAN])) for i in range(len(tokens) - ECHO_SPAN + 1)
    )


def _echoes(tokens: list[str], document_text: str) -> bool:
    spans = _document_spans(document_text)
    return any(
        hash(tuple(tokens[i : i + ECHO_SPAN])) in spans for i in range(len(tokens) - ECHO_SPAN + 1)
    )


def _f1(answer: Counter[str], form_tokens: tuple[str, ...]) -> float:
    gold = Counter(form_tokens)
    overlap = sum((answer & gold).values())
    if not overlap:
        return 0.0
    precision = overlap / sum(answer.values())
    recall = overlap / len(form_tokens)
    return 2 * precision * recall / (precision + recall)


def _fmt(quantities: tuple[Quantity, ...]) -> str:
    return ", ".join(f"{q.value:g}{'%' if q.percent else ''}" for q in quantities) or "none"


def _decide(
    question: GoldQuestion, answer: str, document_text: str
) -> tuple[str, bool, str, float, str]:
    """Return ``(match_type, correct, conflict_outcome, verdict_confidence, reason)``."""
    gold = _prepare_strict(question)
    is_conflict = question.conflict is not None
    resolved = OUTCOME_RESOLVED if is_conflict else ""
    other = OUTCOME_OTHER if is_conflict else ""
    normalized = normalize_strict(answer)
    if not normalized:
        return "none", False, other, 1.0, "empty: the answer is empty after normalisation"
    if normalized == gold.gold_norm:
        return "exact", True, resolved, 1.0, "exact: the normalised answer equals the gold"
    if normalized in gold.exact_forms:
        return "alias", True, resolved, 1.0, "alias: the normalised answer equals a gold alias"

    tokens = tokenize(normalized)
    if (
        len(tokens) >= ECHO_MIN_TOKENS
        and len(tokens) > 3 * gold.longest
        and _echoes(tokens, document_text)
    ):
        return (
            "none",
            False,
            other,
            0.99,
            (
                f"echoes_document: {len(tokens)} tokens copying {ECHO_SPAN}+ consecutive "
                "document tokens is not an answer"
            ),
        )

    quantities = distinct(extract_quantities(normalized))
    if gold.authoritative is not None and gold.conflicting is not None:
        names_authoritative = _names(tokens, quantities, gold.authoritative)
        names_planted = not gold.planted_in_gold and _names(tokens, quantities, gold.conflicting)
        if names_planted and names_authoritative:
            return (
                "none",
                False,
                OUTCOME_HEDGED,
                0.9,
                ("hedged: the answer names both the authoritative and the conflicting value"),
            )
        if names_planted:
            return (
                "none",
                False,
                OUTCOME_FELL,
                0.95,
                ("planted: the answer gives the conflicting (planted) value"),
            )

    if gold.numeric:
        return _decide_numeric(question, gold, quantities, resolved, other)
    return _decide_text(question, tokens, resolved, other)


def _matches(quantities: tuple[Quantity, ...], form: _Form) -> bool:
    return covers(quantities, form.quantities) and covers(form.quantities, quantities)


def _decide_numeric(question, gold: _StrictGold, quantities, resolved: str, other: str):
    if _matches(quantities, gold.gold) or any(
        form.numeric and _matches(quantities, form) for form in _forms(question)[1:]
    ):
        return (
            "numeric",
            True,
            resolved,
            1.0,
            (f"numeric: the answer names {_fmt(quantities)}, the gold's number(s)"),
        )
    target = gold.gold.quantities
    if not quantities:
        return (
            "none",
            False,
            other,
            0.95,
            (f"numeric: the answer names no number; the gold is {_fmt(target)}"),
        )
    if covers(quantities, target):
        return (
            "none",
            False,
            other,
            0.8,
            (
                f"numeric: the answer names {_fmt(quantities)}, more numbers than the "
                f"gold's {_fmt(target)}"
            ),
        )
    return (
        "none",
        False,
        other,
        0.95,
        (f"numeric: the answer names {_fmt(quantities)}, not the gold's {_fmt(target)}"),
    )


def _decide_text(question: GoldQuestion, tokens: list[str], resolved: str, other: str):
    near_miss = None
    forms = _forms(question)
    for form in forms:
        if _run_index(tokens, form.tokens) < 0:
            continue
        extra = len(tokens) - len(form.tokens)
        allowed = max(4, len(form.tokens))
        if extra <= allowed:
            confidence = max(0.6, 0.95 - 0.05 * extra)
            return (
                "contains",
                True,
                resolved,
                confidence,
                (f"contains: the gold appears as whole tokens with {extra} extra token(s)"),
            )
        near_miss = (extra, allowed)
    counts = Counter(tokens)
    best = max((_f1(counts, form.tokens) for form in forms if form.tokens), default=0.0)
    confidence = min(1.0, 0.5 + 2.5 * abs(best - F1_THRESHOLD))
    if best >= F1_THRESHOLD:
        return (
            "token_f1",
            True,
            resolved,
            confidence,
            (f"token_f1: token F1 {best:.2f} reaches {F1_THRESHOLD}"),
        )
    if near_miss is not None:
        return (
            "none",
            False,
            other,
            0.6,
            (
                f"contains_too_much: the gold appears but with {near_miss[0]} extra tokens "
                f"(at most {near_miss[1]} allowed)"
            ),
        )
    return (
        "none",
        False,
        other,
        confidence,
        (f"token_f1: token F1 {best:.2f} is below {F1_THRESHOLD}; no strict rule matched"),
    )


def grade_strict(
    question: GoldQuestion, response: ModelAnswer | None, document_text: str
) -> QuestionVerdict:
    """Grade one answer under the strict rules (see module docstring)."""
    if response is None or response.answer is None:
        return missing_answer_verdict(
            question,
            mode=MODE_STRICT,
            conflict_outcome=OUTCOME_OTHER,
            citation_score=None,
            reason="missing: no answer for this question",
        )
    match_type, correct, outcome, verdict_confidence, reason = _decide(
        question, response.answer, document_text
    )
    confidence = js_clamp_unit(0.0 if response.confidence is None else response.confidence)
    return QuestionVerdict(
        question_id=question.question_id,
        mode=MODE_STRICT,
        verifier_version=VERIFIER_VERSION,
        answer=response.answer,
        citation=response.citation,
        # An unreadable confidence claims nothing: 0, where the public scorer keeps NaN.
        confidence=0.0 if confidence != confidence else confidence,
        match_type=match_type,
        correct=correct,
        conflict_outcome=outcome,
        citation_score=citation_score_strict(response.citation, question, document_text),
        verdict_confidence=round(verdict_confidence, 4),
        reason=reason,
    )
