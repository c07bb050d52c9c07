"""Prediction files for ``manage.py grade``: pure, no Django.

Two shapes are accepted:
- a DACR-Bench predictions file: a JSON array of ``{challengeId, model, answers: {qid:
  {answer, citation, confidence}}, metadata}``; answers are kept as given, for the verifier
  reads them the way the public scorer does;
- JSON Lines of raw model outputs ``{challengeId, model, output}``, which go through the
  response parser.
Problems are reported one line each; nothing here raises on a file's content.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class PredictionEntry:
    challenge_id: str
    answers: Mapping[str, Any] | None = None  # a predictions-file entry's answers object
    output: str | None = None  # a raw model output (JSONL)
    line: int = 0


@dataclass
class PredictionFile:
    kind: str  # "predictions" | "jsonl" | "unreadable"
    model: str = ""
    entries: list[PredictionEntry] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def read_prediction_file(raw: bytes | str) -> PredictionFile:
    """Read either shape; duplicates keep the last entry (the public scorer's rule)."""
    if isinstance(raw, bytes):
        raw = raw.decode("utf-8-sig", errors="replace")
    text = raw.strip()
    if not text:
        return PredictionFile("unreadable", problems=["predictions file is empty"])
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        if text.startswith("["):
            return PredictionFile(
                "unreadable",
                problems=[f"predictions file is not valid JSON: {exc.msg} at line {exc.lineno}"],
            )
        return _from_lines(raw)  # several JSON objects, one per line
    if isinstance(data, list):
        return _from_array(data)
    if isinstance(data, Mapping) and "challengeId" in data:
        return _from_lines(text.replace("\n", " "))  # JSON Lines with a single line
    return PredictionFile(
        "unreadable",
        problems=["predictions file must be a JSON array of predictions or JSON Lines"],
    )


def _from_array(data: list) -> PredictionFile:
    result = PredictionFile("predictions")
    for index, item in enumerate(data):
        if not isinstance(item, Mapping) or not isinstance(item.get("challengeId"), str):
            result.problems.append(f"prediction {index}: not an object with a string challengeId")
            continue
        if not result.model and isinstance(item.get("model"), str):
            result.model = item["model"]
        answers = item.get("answers")
        if not isinstance(answers, Mapping):
            result.problems.append(
                f"prediction {index} ({item['challengeId']}): 'answers' is not an object; "
                "every answer missing"
            )
            answers = {}
        result.entries.append(PredictionEntry(item["challengeId"], answers=answers, line=index))
    return _deduplicated(result)


def _from_lines(raw: str) -> PredictionFile:
    result = PredictionFile("jsonl")
    for number, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            result.problems.append(f"line {number}: not valid JSON ({exc.msg})")
            continue
        if not isinstance(item, Mapping) or not isinstance(item.get("challengeId"), str):
            result.problems.append(f"line {number}: not an object with a string challengeId")
            continue
        output = item.get("output")
        if not isinstance(output, str):
            result.problems.append(
                f"line {number} ({item['challengeId']}): 'output' is not text; nothing to parse"
            )
            output = ""
        if not result.model and isinstance(item.get("model"), str):
            result.model = item["model"]
        result.entries.append(PredictionEntry(item["challengeId"], output=output, line=number))
    if not result.entries and not result.problems:
        result.problems.append("predictions file holds no predictions")
    return _deduplicated(result)


def _deduplicated(result: PredictionFile) -> PredictionFile:
    last: dict[str, PredictionEntry] = {}
    for entry in result.entries:
        if entry.challenge_id in last:
            result.problems.append(
                f"{entry.challenge_id}: predicted more than once; the last one counts"
            )
        last[entry.challenge_id] = entry
    result.entries = list(last.values())
    return result
