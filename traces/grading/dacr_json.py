"""DACR-Bench JSON (benchmark and predictions files) → grading dataclasses.

Decoded JSON in, dataclasses and a list of problems out; never raises on a
wrongly shaped value. Predictions are read with the public scorer's
semantics so reference mode can match it: the last prediction for a
challenge wins, an entry that is ``null``/``false``/``0``/``""`` is a
missing answer, a confidence is read by JavaScript's ``Number()`` (``"0.8"``
→ 0.8, ``"85%"`` → NaN, ``true`` → 1), a citation that is absent scores 0.
Where the public scorer would crash (an answer that is a number or null, a
prediction whose ``answers`` is not an object) we grade the closest sensible
reading and say so in ``problems``, one line per issue.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from traces.grading.jscompat import js_string, js_to_number
from traces.grading.types import ConflictGold, GoldChallenge, GoldQuestion, ModelAnswer

CONFLICT_CATEGORIES = ("trap_targeted", "conflict_targeted")
CONFLICT_RESOLUTION = "conflict_resolution"


def skill_category(file_category: str) -> str:
    """Our skill vocabulary: the file's trap/conflict categories become conflict_resolution."""
    return CONFLICT_RESOLUTION if file_category in CONFLICT_CATEGORIES else file_category


def infer_split(raw_challenge: Mapping[str, Any]) -> str:
    """The public scorer's split: the ``split`` field when truthy, else engine → synthetic."""
    split = raw_challenge.get("split")
    if split:
        return split if isinstance(split, str) else js_string(split)
    source = raw_challenge.get("source")
    engine = isinstance(source, Mapping) and source.get("type") == "engine"
    return "synthetic" if engine else "real"


def _text(value: Any) -> str:
    return value if isinstance(value, str) else "" if value is None else js_string(value)


def _hops(value: Any) -> int:
    # Non-numeric hops fall in no public hop bucket; -1 does the same.
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
        return -1
    return int(value) if float(value).is_integer() else -1


def _question(raw: Mapping[str, Any], traps: Mapping[str, Mapping[str, Any]]) -> GoldQuestion:
    trap = traps.get(raw.get("targetsTrap")) if raw.get("targetsTrap") else None
    conflict = None
    if trap is not None:
        conflict = ConflictGold(
            conflict_id=_text(trap.get("trapId")),
            authoritative_value=js_string(trap.get("correctValue")),
            conflicting_value=js_string(trap.get("wrongValue")),
        )
    chain = raw.get("reasoningChain")
    notes = tuple(
        step["note"]
        for step in (chain if isinstance(chain, list) else [])
        if isinstance(step, Mapping)
        and step.get("factId")
        and isinstance(step.get("note"), str)
        and step["note"]
    )
    aliases = raw.get("goldAnswerAliases")
    return GoldQuestion(
        question_id=_text(raw.get("questionId")),
        category=_text(raw.get("category")),
        hops=_hops(raw.get("hops")),
        difficulty=_text(raw.get("difficulty")),
        gold_answer=_text(raw.get("goldAnswer")),
        aliases=tuple(_text(a) for a in aliases) if isinstance(aliases, list) else (),
        conflict=conflict,
        citation_notes=notes,
    )


def challenge_from_dacr(raw: Mapping[str, Any]) -> GoldChallenge:
    """One benchmark challenge object → ``GoldChallenge`` (file categories kept as they are)."""
    document = raw.get("document") if isinstance(raw.get("document"), Mapping) else {}
    traps: dict[str, Mapping[str, Any]] = {}
    for trap in raw.get("traps") or []:
        if isinstance(trap, Mapping):
            traps.setdefault(trap.get("trapId"), trap)  # JS `find` takes the first
    questions = raw.get("questions") if isinstance(raw.get("questions"), list) else []
    return GoldChallenge(
        challenge_id=_text(raw.get("challengeId")),
        domain=_text(document.get("domain")),
        split=infer_split(raw),
        document_text=_text(document.get("text")),
        questions=tuple(_question(q, traps) for q in questions if isinstance(q, Mapping)),
    )


def read_benchmark(data: Any) -> tuple[list[GoldChallenge], list[str]]:
    """A decoded benchmark file (dataset object or bare list) → challenges and problems."""
    raw = data.get("challenges") if isinstance(data, Mapping) else data
    if not isinstance(raw, list):
        return [], ["benchmark: expected a list of challenges or an object with 'challenges'"]
    challenges, problems = [], []
    for index, item in enumerate(raw):
        if isinstance(item, Mapping):
            challenges.append(challenge_from_dacr(item))
        else:
            problems.append(f"benchmark challenge {index}: not an object; skipped")
    return challenges, problems


@dataclass
class PredictionSet:
    """Answers per challenge id, then per question id, as the public scorer sees them."""

    model: str = "unknown"
    answers: dict[str, dict[str, ModelAnswer]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def read_predictions(
    data: Any, *, challenges: Sequence[GoldChallenge] | None = None
) -> PredictionSet:
    """A decoded predictions file → ``PredictionSet``, reporting each problem on its own line.

    With ``challenges`` given, predictions for unknown challenges and answers
    to unknown question ids are reported (and, like the public scorer, ignored).
    """
    result = PredictionSet()
    if not isinstance(data, list):
        result.problems.append("predictions: expected a JSON array of predictions")
        return result
    if data and isinstance(data[0], Mapping) and isinstance(data[0].get("model"), str):
        result.model = data[0]["model"]
    known = {c.challenge_id: c for c in challenges} if challenges is not None else None
    for index, item in enumerate(data):
        where = f"prediction {index}"
        if not isinstance(item, Mapping) or not isinstance(item.get("challengeId"), str):
            result.problems.append(f"{where}: not an object with a string challengeId; skipped")
            continue
        challenge_id = item["challengeId"]
        where = f"prediction {index} ({challenge_id})"
        if challenge_id in result.answers:
            result.problems.append(f"{where}: repeats an earlier prediction; the last one counts")
        if known is not None and challenge_id not in known:
            result.problems.append(f"{where}: unknown challenge; ignored")
        raw_answers = item.get("answers")
        if not isinstance(raw_answers, Mapping):
            result.problems.append(f"{where}: 'answers' is not an object; every answer missing")
            raw_answers = {}
        result.answers[challenge_id] = read_answers(raw_answers, where, result.problems)
        if known is not None and challenge_id in known:
            ids = {q.question_id for q in known[challenge_id].questions}
            for question_id in raw_answers:
                if question_id not in ids:
                    result.problems.append(f"{where}: unknown question {question_id!r}; ignored")
    return result


def read_answers(raw: Mapping[str, Any], where: str, problems: list[str]) -> dict[str, ModelAnswer]:
    """One prediction's ``answers`` object → answers per question id, as the public scorer
    reads them; each problem is appended to ``problems`` as one line."""
    answers = {}
    for question_id, entry in raw.items():
        answer = _read_answer(entry, f"{where} {question_id}", problems)
        if answer is not None:
            answers[str(question_id)] = answer
    return answers


def _read_answer(entry: Any, where: str, problems: list[str]) -> ModelAnswer | None:
    if not entry:
        return None  # null / false / 0 / "" entries are missing answers to the public scorer
    if isinstance(entry, str | int | float) and not isinstance(entry, bool):
        problems.append(f"{where}: a bare value, not an object; read as the answer")
        return ModelAnswer(answer=_text(entry))
    if not isinstance(entry, Mapping):
        problems.append(f"{where}: not an object; counted as missing")
        return None
    answer = entry.get("answer")
    if answer is None:
        problems.append(f"{where}: no 'answer' field; counted as missing")
        return None
    if not isinstance(answer, str):
        problems.append(f"{where}: answer {answer!r} is not text; read as {js_string(answer)!r}")
        answer = js_string(answer)
    citation = entry.get("citation")
    if citation is not None and not isinstance(citation, str):
        citation = js_string(citation) if citation else None
        problems.append(f"{where}: citation is not text")
    return ModelAnswer(answer, citation, _read_confidence(entry, where, problems))


def _read_confidence(entry: Mapping[str, Any], where: str, problems: list[str]) -> float | None:
    if "confidence" not in entry or entry["confidence"] is None:
        problems.append(f"{where}: no confidence; scored as 0")
        return None
    raw = entry["confidence"]
    value = js_to_number(raw)
    if math.isnan(value):
        problems.append(f"{where}: confidence {raw!r} is not a number (NaN in the public scorer)")
    elif not isinstance(raw, int | float) or isinstance(raw, bool):
        problems.append(f"{where}: confidence {raw!r} is not a JSON number; read as {value:g}")
    if not math.isnan(value) and not 0 <= value <= 1:
        problems.append(f"{where}: confidence {value:g} outside [0, 1]; clamped")
    return value
