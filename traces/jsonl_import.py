"""Bulk trace import as JSON Lines: bytes → validated lines and problems. Pure, no Django.

Each line is one trace of one solver on one challenge, in one of two shapes::

    {"challengeId": "dacr-…", "version": "1.0", "solver": "qwen-7b", "output": "<raw text>"}
    {"challengeId": "dacr-…", "solver": "qwen-7b",
     "answers": {"q01": {"answer": "…", "citation": "…", "confidence": 0.8}}}

with optional ``version``, ``prompt_tokens``, ``completion_tokens`` and ``latency_ms``.
A raw ``output`` goes through ``traces.parsing`` later; ``answers`` are kept as given.

The whole file is checked before anything is written, so every bad line is reported with its
number (1-based) and a reason, not just the first. Blank lines are skipped, CRLF line ends
and a byte-order mark at the very start are accepted. Whether a challenge and its questions
exist is the service's check: this module never touches the database.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

MAX_LINE_BYTES = 4 * 1024 * 1024  # a raw output the parser reads in full, JSON-escaped
MAX_PROBLEMS_KEPT = 1000  # every problem is counted; the first ones are kept to report
_MAX_COUNT = 2**31 - 1  # token counts and latency are PositiveIntegerField (int4)
_BOM = b"\xef\xbb\xbf"

_REQUIRED = ("challengeId", "solver")
_COUNTS = ("prompt_tokens", "completion_tokens", "latency_ms")
_KEYS = frozenset({*_REQUIRED, "version", "output", "answers", *_COUNTS})
_ANSWER_KEYS = frozenset({"answer", "citation", "confidence"})
# Lengths of the columns the values land in.
_MAX_CHALLENGE_ID = 64
_MAX_VERSION = 16
_MAX_SOLVER = 128
_MAX_QUESTION_ID = 32
# A key a person is likely to write for another one.
_HINTS = {"model": "solver", "challenge_id": "challengeId", "challenge": "challengeId"}


@dataclass(frozen=True)
class TraceLine:
    """One valid line: a trace to record. Exactly one of ``output`` and ``answers`` is set."""

    line: int
    challenge_id: str
    solver: str
    version: str | None = None
    output: str | None = None
    answers: dict[str, dict[str, Any]] | None = None
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    latency_ms: int | None = None


@dataclass(frozen=True)
class LineProblem:
    """Why a line cannot be imported; ``line`` is None for the file as a whole."""

    line: int | None
    reason: str

    def __str__(self) -> str:
        return self.reason if self.line is None else f"line {self.line}: {self.reason}"


@dataclass
class TraceFile:
    traces: list[TraceLine] = field(default_factory=list)
    # The first MAX_PROBLEMS_KEPT problems, in line order; ``problem_count`` counts them all.
    problems: list[LineProblem] = field(default_factory=list)
    problem_count: int = 0

    def refuse(self, line: int | None, reason: str) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS_KEPT:
            self.problems.append(LineProblem(line, reason))


class _LineError(ValueError):
    """A line's first problem; one reason per line keeps the report readable."""


def read_traces_jsonl(data: bytes, *, max_line_bytes: int = MAX_LINE_BYTES) -> TraceFile:
    """Every line of ``data`` read and checked; never raises on the content."""
    result = TraceFile()
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    # Split on LF bytes only: str.splitlines() would also break inside JSON strings at
    # U+2028, form feeds and other characters JSON allows unescaped.
    for number, raw in enumerate(data.split(b"\n"), start=1):
        if raw.endswith(b"\r"):
            raw = raw[:-1]
        if not raw.strip():
            continue
        try:
            result.traces.append(_read_line(number, raw, max_line_bytes))
        except _LineError as exc:
            result.refuse(number, str(exc))
    if not result.traces and not result.problem_count:
        result.refuse(None, "the file holds no traces (it is empty or only blank lines)")
    return result


def _read_line(number: int, raw: bytes, max_line_bytes: int) -> TraceLine:
    if len(raw) > max_line_bytes:
        raise _LineError(
            f"the line is {len(raw):,} bytes long; the limit is {max_line_bytes:,} bytes"
        )
    if raw.startswith(_BOM):
        raise _LineError("a byte-order mark in the middle of the file (concatenated files?)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _LineError(
            f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at column {exc.start + 1})"
        ) from None
    item = _decode(text)
    if not isinstance(item, dict):
        raise _LineError(f"not a JSON object but {_kind(item)}")
    unknown = sorted(set(item) - _KEYS)
    if unknown:
        hint = _HINTS.get(unknown[0])
        extra = f" (did you mean {hint!r}?)" if hint else ""
        raise _LineError(f"unknown key {unknown[0]!r}{extra}; allowed: {', '.join(sorted(_KEYS))}")
    for key in _REQUIRED:
        if key not in item:
            raise _LineError(f"missing {key!r}")
    challenge_id = _string(item, "challengeId", _MAX_CHALLENGE_ID)
    solver = _string(item, "solver", _MAX_SOLVER)
    version = _string(item, "version", _MAX_VERSION) if item.get("version") is not None else None
    if ("output" in item) == ("answers" in item):
        raise _LineError("give either 'output' (the raw model output) or 'answers', not both")
    output = answers = None
    if "output" in item:
        output = item["output"]
        if not isinstance(output, str):
            raise _LineError(f"'output' must be text, not {_kind(output)}")
        _storable(output, "'output'")
    else:
        answers = _answers(item["answers"])
    counts = {key: _count(item, key) for key in _COUNTS}
    return TraceLine(
        line=number,
        challenge_id=challenge_id,
        solver=solver,
        version=version,
        output=output,
        answers=answers,
        **counts,
    )


def _decode(text: str) -> Any:
    try:
        return json.loads(text, parse_constant=_no_constant, object_pairs_hook=_no_duplicates)
    except _LineError:
        raise
    except json.JSONDecodeError as exc:
        raise _LineError(f"not valid JSON ({exc.msg} at column {exc.colno})") from None
    except RecursionError:
        raise _LineError("not valid JSON (nested too deeply)") from None
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits
        raise _LineError(f"not valid JSON ({exc})") from None


def _no_constant(name: str):
    raise _LineError(f"{name} is not a JSON number (NaN and Infinity are refused)")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise _LineError(f"the key {key!r} appears twice in one object")
        seen[key] = value
    return seen


def _string(item: Mapping, key: str, max_length: int) -> str:
    value = item[key]
    if not isinstance(value, str):
        raise _LineError(f"{key!r} must be a string, not {_kind(value)}")
    value = value.strip()
    if not value:
        raise _LineError(f"{key!r} is empty")
    if len(value) > max_length:
        raise _LineError(f"{key!r} is longer than {max_length} characters")
    _storable(value, repr(key))
    return value


def _storable(text: str, where: str) -> None:
    # PostgreSQL text and jsonb hold neither NUL nor an unpaired surrogate ("\ud800" is valid
    # JSON): refuse them here rather than fail halfway through the write.
    if "\x00" in text:
        raise _LineError(f"{where} contains a NUL character")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise _LineError(f"{where} contains an unpaired UTF-16 surrogate") from None


def _count(item: Mapping, key: str) -> int | None:
    value = item.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _LineError(f"{key!r} must be a whole number, not {_kind(value)}")
    if isinstance(value, float) and not (math.isfinite(value) and value.is_integer()):
        raise _LineError(f"{key!r} must be a whole number, not {value!r}")
    if not 0 <= value <= _MAX_COUNT:
        raise _LineError(f"{key!r} must be between 0 and {_MAX_COUNT:,}")
    return int(value)


def _answers(value: Any) -> dict[str, dict[str, Any]]:
    if not isinstance(value, dict):
        raise _LineError(f"'answers' must be an object of question id → answer, not {_kind(value)}")
    answers = {}
    for question_id, entry in value.items():
        where = f"answers[{question_id!r}]"
        if not question_id.strip() or len(question_id) > _MAX_QUESTION_ID:
            raise _LineError(f"{where}: not a question id")
        _storable(question_id, where)
        if not isinstance(entry, dict):
            raise _LineError(
                f"{where} must be an object {{answer, citation, confidence}}, not {_kind(entry)}"
            )
        unknown = sorted(set(entry) - _ANSWER_KEYS)
        if unknown:
            raise _LineError(
                f"{where}: unknown key {unknown[0]!r}; allowed: answer, citation, confidence"
            )
        for key in ("answer", "citation"):
            text = entry.get(key)
            if text is not None and not isinstance(text, str):
                raise _LineError(f"{where}.{key} must be a string or null, not {_kind(text)}")
            if text is not None:
                _storable(text, f"{where}.{key}")
        confidence = entry.get("confidence")
        if confidence is not None:
            if isinstance(confidence, bool) or not isinstance(confidence, int | float):
                raise _LineError(
                    f"{where}.confidence must be a number in [0, 1] or null, "
                    f"not {_kind(confidence)}"
                )
            if not 0 <= confidence <= 1:
                raise _LineError(f"{where}.confidence must be in [0, 1], not {confidence!r}")
        answers[question_id] = entry
    return answers


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"
