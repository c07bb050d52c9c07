"""A model's raw output → answers per question id. Pure; never raises.

Accepted, in order of preference:

1. A JSON object of answers: the whole output (``json``), one fenced block
   (``json_fenced``), inside prose (``json_embedded``), or after a reasoning
   trace (``reasoning_json``: prose of 40+ words before it, or earlier
   answer blocks it supersedes — the last parseable block wins). Broken JSON
   is repaired where the fix is safe (trailing commas, single quotes, Python
   ``True``/``False``/``None``) and then reported as ``json_repaired``. Keys
   ``q01``, ``Q01``, ``q1``, ``1``, ``question_1``, ``Question 1`` all become
   ``q01``; values are ``{answer, citation, confidence}`` objects (any key
   case; ``response``/``source``/``reference`` accepted) or bare strings and
   numbers. A list of ``{"questionId": …, "answer": …}`` objects works too,
   as does ``{"answers": {…}}``.
2. The last ``<|artifact|>`` block of a DACR trace, read as JSON or as lines.
3. Prose lines: ``q01: …``, ``[q01] …``, ``Question 1: …``, ``1. …``,
   ``1) …`` (``prose``); the last line for an id wins, and ``qNN`` lines
   beat bare numbered lists (which are often reasoning steps).

Confidences: numbers in [0, 1] as given; "85%" and 85 read as 0.85; NaN,
infinities and words are dropped (None) with a note in ``errors``.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from typing import Any

FORMATS = (
    "json",
    "json_fenced",
    "json_embedded",
    "json_repaired",
    "reasoning_json",
    "prose",
    "none",
)
MAX_INPUT_CHARS = 2_000_000  # beyond this only the tail is read: answers come last
MAX_CANDIDATES = 64  # brace spans tried, newest first; bounds the work on hostile input
MAX_ANSWER_CHARS = 100_000
REASONING_WORDS = 40

_KEY = re.compile(r"^\s*(?:q(?:uestion)?[\s_#-]*)?0*(\d{1,4})\s*$", re.IGNORECASE)
_FENCE = re.compile(r"```[ \t]*(?:json|javascript|js)?[ \t]*\n?(.*?)```", re.DOTALL | re.IGNORECASE)
_ARTIFACT = re.compile(r"<\|artifact\|>\s*(.*?)(?:<\|end[^>]*\|>|\Z)", re.DOTALL)
_TRAILING_COMMA = re.compile(r",\s*([}\]])")
_PY_LITERAL = re.compile(r"(?<![\w\"'])(True|False|None)(?![\w\"'])")
_PROSE_QID = re.compile(
    r"^\s*(?:[-*>]\s*)?(?:\*\*)?"
    r"(?:\[\s*(?:q|question)\s*[#_]?\s*0*(\d{1,4})\s*\](?:\*\*)?\s*(?:[:.)=-]\s*)?"
    r"|(?:q|question)\s*[#_]?\s*0*(\d{1,4})(?:\*\*)?\s*(?:[:.)=-]|\*\*)+\s*)"
    r"(.+?)\s*$",
    re.IGNORECASE,
)
_PROSE_NUMBERED = re.compile(r"^\s*(?:\*\*)?0*(\d{1,3})(?:\*\*)?\s*[.)]\s+(.+?)\s*$")
_PROSE_CONFIDENCE = re.compile(
    r"[\s,;(\[]*\(?\s*confidence\s*[:=]?\s*([0-9.]+\s*%?)\s*\)?\s*$", re.IGNORECASE
)
_PROSE_CITATION = re.compile(
    r"\s*[\[(]\s*(?:citation|source|ref|see)\s*[:=]?\s*([^\])]+)[\])]\s*$", re.IGNORECASE
)
_ANSWER_LABEL = re.compile(r"^(?:final\s+)?answer\s*[:=-]\s*", re.IGNORECASE)
_ANSWER_FIELDS = ("answer", "response", "value", "final_answer")
_CITATION_FIELDS = ("citation", "source", "reference", "evidence", "quote")


@dataclass(frozen=True)
class ParsedAnswer:
    """One answer as the model gave it; None fields were absent or unreadable."""

    answer: str | None
    citation: str | None = None
    confidence: float | None = None


@dataclass
class ParsedResponse:
    """What the parser found: answers by ``qNN`` id, the format used, the reasoning text."""

    answers: dict[str, ParsedAnswer] = field(default_factory=dict)
    format: str = "none"
    reasoning: str = ""
    errors: list[str] = field(default_factory=list)


def normalize_question_id(key: object) -> str | None:
    """``Q1``, ``question_1``, ``1``, ``q01`` → ``q01``; None for anything else."""
    if isinstance(key, bool) or not isinstance(key, str | int):
        return None
    match = _KEY.match(str(key))
    if not match:
        return None
    return f"q{int(match.group(1)):02d}"


def parse_response(raw: object) -> ParsedResponse:
    """Parse a model's raw output (see module docstring). Never raises."""
    try:
        return _parse(raw)
    except (RecursionError, MemoryError, ValueError, TypeError) as error:
        # Defensive: every path below already guards its own input.
        return ParsedResponse(errors=[f"parser gave up: {type(error).__name__}"])


def _parse(raw: object) -> ParsedResponse:
    if not isinstance(raw, str):
        return ParsedResponse(errors=[f"output is {type(raw).__name__}, not text"])
    errors: list[str] = []
    text = raw
    if len(text) > MAX_INPUT_CHARS:
        errors.append(f"output of {len(text)} characters; only the last {MAX_INPUT_CHARS} read")
        text = text[-MAX_INPUT_CHARS:]
    stripped = text.strip()
    if not stripped:
        return ParsedResponse(errors=[*errors, "output is empty"])

    found = _from_json(stripped, errors)
    if found is not None:
        return found
    artifact = _from_artifact(stripped, errors)
    if artifact is not None:
        return artifact
    answers = _from_prose(stripped)
    if answers:
        return ParsedResponse(answers, "prose", "", errors)
    return ParsedResponse({}, "none", stripped, [*errors, "no answers found"])


def _from_json(text: str, errors: list[str]) -> ParsedResponse | None:
    whole = _load(text)
    if whole is not None:
        answers = _answers_from(whole[0], errors)
        if answers:
            return ParsedResponse(answers, "json_repaired" if whole[1] else "json", "", errors)
    fences = list(_FENCE.finditer(text))
    if len(fences) == 1 and fences[0].start() == 0 and fences[0].end() == len(text):
        loaded = _load(fences[0].group(1).strip())
        if loaded is not None:
            answers = _answers_from(loaded[0], errors)
            if answers:
                return ParsedResponse(
                    answers, "json_repaired" if loaded[1] else "json_fenced", "", errors
                )

    candidates = [(m.start(1), m.end(1)) for m in fences]
    candidates += _brace_spans(text)
    candidates.sort(key=lambda span: (span[1], -span[0]), reverse=True)
    earlier_blocks = 0
    chosen = None
    for start, end in candidates[:MAX_CANDIDATES]:
        loaded = _load(text[start:end].strip())
        if loaded is None:
            continue
        notes: list[str] = []
        answers = _answers_from(loaded[0], notes)
        if not answers:
            continue
        if chosen is None:
            chosen = (start, answers, loaded[1], notes)
        elif end <= chosen[0]:
            earlier_blocks += 1
    if chosen is None:
        return None
    start, answers, repaired, notes = chosen
    errors.extend(notes)
    before = text[:start].rstrip().removesuffix("```json").removesuffix("```").rstrip()
    reasoning = before.strip()
    if repaired:
        form = "json_repaired"
    elif earlier_blocks or len(reasoning.split()) >= REASONING_WORDS:
        form = "reasoning_json"
    else:
        form = "json_embedded"
    return ParsedResponse(answers, form, reasoning, errors)


def _brace_spans(text: str) -> list[tuple[int, int]]:
    """Outermost ``{…}`` spans, matched in one pass.

    Double-quoted strings are skipped so braces inside answers do not count;
    a string is closed at a newline (JSON strings cannot hold one) so a stray
    quote in prose cannot swallow the rest of the text. Unmatched braces are
    dropped, which keeps the scan linear on hostile input.
    """
    spans: list[tuple[int, int]] = []
    stack: list[int] = []
    in_string = escaped = False
    for index, char in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char in '"\n':
                in_string = False
        elif char == '"' and stack:
            in_string = True
        elif char == "{":
            stack.append(index)
        elif char == "}" and stack:
            start = stack.pop()
            if not stack:
                spans.append((start, index + 1))
    return spans


def _load(text: str) -> tuple[Any, bool] | None:
    """Decode JSON; on failure try the safe repairs. Returns (value, repaired) or None."""
    if not text or text[0] not in "{[":
        return None
    try:
        return json.loads(text), False
    except (ValueError, RecursionError):
        pass
    repaired = _TRAILING_COMMA.sub(r"\1", text)
    repaired = _PY_LITERAL.sub(
        lambda m: {"True": "true", "False": "false"}.get(m[1], "null"), repaired
    )
    if "'" in repaired and '"' not in repaired:
        repaired = repaired.replace("'", '"')
    if repaired == text:
        return None
    try:
        return json.loads(repaired), True
    except (ValueError, RecursionError):
        return None


def _answers_from(value: Any, errors: list[str]) -> dict[str, ParsedAnswer]:
    if isinstance(value, dict) and isinstance(value.get("answers"), dict | list):
        value = value["answers"]
    answers: dict[str, ParsedAnswer] = {}
    if isinstance(value, list):
        for entry in value:
            if isinstance(entry, dict):
                key = entry.get("questionId", entry.get("question_id", entry.get("id")))
                question_id = normalize_question_id(key)
                if question_id:
                    answers[question_id] = _answer(entry, question_id, errors)
        return answers
    if not isinstance(value, dict):
        return answers
    for key, entry in value.items():
        question_id = normalize_question_id(key)
        if question_id is None:
            continue
        if question_id in answers:
            errors.append(f"{question_id}: answered twice; the last one counts")
        answers[question_id] = _answer(entry, question_id, errors)
    return answers


def _lower_keys(entry: dict) -> dict[str, Any]:
    return {str(k).lower(): v for k, v in entry.items()}


def _answer(entry: Any, question_id: str, errors: list[str]) -> ParsedAnswer:
    if not isinstance(entry, dict):
        return ParsedAnswer(_text(entry, question_id, errors))
    fields = _lower_keys(entry)
    answer = next((fields[k] for k in _ANSWER_FIELDS if k in fields), None)
    citation = next((fields[k] for k in _CITATION_FIELDS if k in fields), None)
    if answer is None:
        errors.append(f"{question_id}: no answer field")
    return ParsedAnswer(
        _text(answer, question_id, errors),
        _text(citation, question_id, errors),
        parse_confidence(fields.get("confidence"), question_id, errors),
    )


def _text(value: Any, question_id: str, errors: list[str]) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            errors.append(f"{question_id}: non-finite number {value} is no answer")
            return None
        return str(int(value)) if value.is_integer() and abs(value) < 1e16 else repr(value)
    if isinstance(value, str):
        return value[:MAX_ANSWER_CHARS]
    if isinstance(value, list):
        return ", ".join(t for t in (_text(v, question_id, errors) for v in value) if t)
    errors.append(f"{question_id}: an object where text was expected")
    try:
        return json.dumps(value, ensure_ascii=False)[:MAX_ANSWER_CHARS]
    except (TypeError, ValueError, RecursionError):
        return None


def parse_confidence(
    value: Any, question_id: str = "?", errors: list[str] | None = None
) -> float | None:
    """A stated confidence as a number in [0, 1] where it can be read, else None.

    "85%" → 0.85; a bare number in (1, 100] is read as a percentage too;
    values outside [0, 100], NaN, infinities and words give None.
    """
    notes = errors if errors is not None else []
    if value is None:
        return None
    percent = False
    if isinstance(value, str):
        body = value.strip()
        percent = body.endswith("%")
        try:
            number = float(body.rstrip("%").strip())
        except ValueError:
            notes.append(f"{question_id}: confidence {value[:40]!r} is not a number")
            return None
    elif isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
    else:
        notes.append(f"{question_id}: confidence of type {type(value).__name__} ignored")
        return None
    if not math.isfinite(number):
        notes.append(f"{question_id}: confidence {number} is not finite")
        return None
    if percent or 1 < number <= 100:
        if not percent:
            notes.append(f"{question_id}: confidence {number:g} read as a percentage")
        number /= 100
    if not 0 <= number <= 1:
        notes.append(f"{question_id}: confidence {number:g} outside [0, 1]")
        return None
    return number


def _from_artifact(text: str, errors: list[str]) -> ParsedResponse | None:
    blocks = list(_ARTIFACT.finditer(text))
    if not blocks:
        return None
    block = blocks[-1]
    body = block.group(1).strip()
    reasoning = text[: block.start()].strip()
    loaded = _load(body)
    if loaded is not None:
        answers = _answers_from(loaded[0], errors)
        if answers:
            return ParsedResponse(answers, "reasoning_json", reasoning, errors)
    answers = _from_prose(body)
    if answers:
        return ParsedResponse(answers, "prose", reasoning, errors)
    return None


def _from_prose(text: str) -> dict[str, ParsedAnswer]:
    labelled: dict[str, ParsedAnswer] = {}
    numbered: dict[str, ParsedAnswer] = {}
    for line in text.splitlines():
        match = _PROSE_QID.match(line)
        if match is not None:
            number, rest, target = match.group(1) or match.group(2), match.group(3), labelled
        else:
            match = _PROSE_NUMBERED.match(line)
            if match is None:
                continue
            number, rest, target = match.group(1), match.group(2), numbered
        answer = _prose_answer(rest)
        if answer.answer:
            target[f"q{int(number):02d}"] = answer
    return labelled or numbered


def _prose_answer(rest: str) -> ParsedAnswer:
    rest = rest[:MAX_ANSWER_CHARS]
    confidence = None
    found = _PROSE_CONFIDENCE.search(rest)
    if found:
        confidence = parse_confidence(found.group(1).replace(" ", ""))
        rest = rest[: found.start()]
    citation = None
    found = _PROSE_CITATION.search(rest)
    if found:
        citation = found.group(1).strip()
        rest = rest[: found.start()]
    answer = _ANSWER_LABEL.sub("", rest.strip().strip("*").strip())
    return ParsedAnswer(answer.strip() or None, citation, confidence)
