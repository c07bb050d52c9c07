"""DACR-Bench file format: read v1.0 and v1.1 files into dataclasses and write them back.

Pure: no Django. The reader validates everything it keeps and raises ``DacrFormatError``
with one readable line naming the challenge and field at fault. It is lossless: keys this
module does not model are carried in ``extra`` dicts and written back by the exporter, and
JSON numbers keep their type (``12`` stays an int, ``12.0`` a float).

Differences between versions the reader absorbs:
- v1.1 adds ``split`` per challenge (and ``splitBreakdown`` at the top); v1.0 files have no
  split, so it is derived from the source: a document is ``real``, the engine ``synthetic``.
- Question categories: ``trap_targeted`` (v1.1 files, and the real v1.0 mini file) and
  ``conflict_targeted`` (the v1.0 README) both mean ``conflict_resolution``. The writer uses
  ``trap_targeted``, as v1.1 does.
- Engine seeds are decimal strings that do not fit in 64 bits; a file that writes one as a
  JSON number is read exactly (Python ints are unbounded) and kept as a string.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SUPPORTED_VERSIONS = ("1.0", "1.1")
WRITE_VERSION = "1.1"

CATEGORIES = (
    "direct_extraction",
    "multi_hop_bridge",
    "comparative",
    "computation",
    "conditional_filtered",
    "conflict_resolution",
    "cross_section_synthesis",
)
CATEGORY_ALIASES = {
    "trap_targeted": "conflict_resolution",
    "conflict_targeted": "conflict_resolution",
    "conflict_resolution": "conflict_resolution",
}
EXPORT_CATEGORY = {"conflict_resolution": "trap_targeted"}
DIFFICULTIES = ("easy", "medium", "hard")
SPLITS = ("real", "synthetic")
SOURCE_SPLIT = {"document": "real", "engine": "synthetic"}

_TOP_KEYS = {
    "name",
    "version",
    "createdAt",
    "description",
    "challenges",
    "domainBreakdown",
    "categoryBreakdown",
    "splitBreakdown",
    "stats",
}
_CHALLENGE_KEYS = {
    "challengeId",
    "version",
    "split",
    "source",
    "document",
    "facts",
    "traps",
    "questions",
    "metadata",
}
_SOURCE_KEYS = {"type", "documentId", "domain", "seed", "engineVersion"}
_DOCUMENT_KEYS = {"text", "domain", "wordCount", "paragraphCount", "sections"}
_FACT_KEYS = {"factId", "entity", "attribute", "value", "valueType", "location"}
_LOCATION_KEYS = {"section", "paragraphIndex", "contextQuote"}
_TRAP_KEYS = {"trapId", "targetFactId", "correctValue", "wrongValue", "trapLocation"}
_TRAP_LOCATION_KEYS = {"section", "paragraphIndex", "injectedText"}
_QUESTION_KEYS = {
    "questionId",
    "text",
    "category",
    "hops",
    "targetsTrap",
    "goldAnswer",
    "goldAnswerAliases",
    "reasoningChain",
    "difficulty",
}


class DacrFormatError(ValueError):
    """A benchmark file that cannot be read; the message is one line naming the problem."""


@dataclass(frozen=True)
class FactRecord:
    fact_id: str
    entity: str
    attribute: str
    value: Any
    value_type: str
    section: str = ""
    paragraph_index: int | None = None
    quote: str = ""
    extra: dict = field(default_factory=dict)
    location_extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ConflictRecord:
    """A trap: the target fact's authoritative value and the planted conflicting one."""

    conflict_id: str
    target_fact_id: str
    authoritative_value: Any
    conflicting_value: Any
    subordinate_text: str
    section: str = ""
    paragraph_index: int | None = None
    extra: dict = field(default_factory=dict)
    location_extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class QuestionRecord:
    question_id: str
    text: str
    category: str
    source_category: str
    hops: int
    difficulty: str
    gold_answer: str
    aliases: tuple[str, ...] = ()
    reasoning_chain: tuple[dict, ...] = ()
    conflict_id: str | None = None
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ChallengeRecord:
    challenge_id: str
    version: str
    split: str
    source_type: str
    domain: str
    document_text: str
    word_count: int
    paragraph_count: int
    sections: tuple[str, ...]
    facts: tuple[FactRecord, ...]
    conflicts: tuple[ConflictRecord, ...]
    questions: tuple[QuestionRecord, ...]
    document_id: str = ""
    engine_domain: str = ""
    engine_seed: str = ""
    engine_version: str = ""
    metadata: dict = field(default_factory=dict)
    extra: dict = field(default_factory=dict)
    source_extra: dict = field(default_factory=dict)
    document_extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class BenchmarkFile:
    name: str
    version: str
    challenges: tuple[ChallengeRecord, ...]
    created_at: str = ""
    description: str = ""
    extra: dict = field(default_factory=dict)


# --- reading ---------------------------------------------------------------------------------


ProgressCallback = Callable[[int, int], None]


def load_benchmark(
    path: str | Path, *, max_bytes: int | None = None, progress: ProgressCallback | None = None
) -> BenchmarkFile:
    """Read and validate a benchmark file from disk, refusing it before reading when it is
    larger than ``max_bytes``."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise DacrFormatError(f"cannot read {path}: {exc.strerror or exc}") from None
    if max_bytes is not None and size > max_bytes:
        raise DacrFormatError(
            f"{path.name} is {size / 1e6:.1f} MB; the limit is {max_bytes / 1e6:.1f} MB"
        )
    return parse_benchmark(path.read_bytes(), progress=progress)


def parse_benchmark(raw: bytes | str, *, progress: ProgressCallback | None = None) -> BenchmarkFile:
    """Parse a whole benchmark file. Raises ``DacrFormatError`` on any problem.

    ``progress(done, total)`` is called as challenges are validated."""
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise DacrFormatError(f"file is not UTF-8 text (byte {exc.start})") from None
    if not raw.strip():
        raise DacrFormatError("file is empty")
    try:
        data = json.loads(raw, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        truncated = exc.pos >= len(raw.rstrip()) - 1 or exc.msg.startswith("Unterminated")
        where = f"line {exc.lineno} column {exc.colno}"
        detail = f"{exc.msg} {where}" if exc.msg.endswith(" at") else f"{exc.msg} at {where}"
        kind = "truncated (its JSON ends early)" if truncated else "not valid JSON"
        raise DacrFormatError(f"file is {kind}: {detail}") from None
    except RecursionError:
        raise DacrFormatError("file is nested too deeply to be a benchmark") from None
    return benchmark_from_dict(data, progress=progress)


def _refuse_constant(name: str) -> Any:
    raise DacrFormatError(f"file uses the non-standard JSON constant {name}")


def benchmark_from_dict(data: Any, *, progress: ProgressCallback | None = None) -> BenchmarkFile:
    if not isinstance(data, dict):
        raise DacrFormatError(
            f"top level must be an object with a 'challenges' list, not {_kind(data)}"
        )
    if "challenges" not in data:
        raise DacrFormatError("top level has no 'challenges' list")
    challenges_raw = data["challenges"]
    if not isinstance(challenges_raw, list):
        raise DacrFormatError(f"'challenges' must be a list, not {_kind(challenges_raw)}")
    version = _opt_str(data, "version", "top level") or "1.0"
    if version not in SUPPORTED_VERSIONS:
        raise DacrFormatError(
            f"format version {version!r} is not supported (supported: "
            f"{', '.join(SUPPORTED_VERSIONS)})"
        )
    challenges = []
    seen: dict[str, int] = {}
    for index, item in enumerate(challenges_raw):
        record = challenge_from_dict(item, index=index)
        key = f"{record.challenge_id} v{record.version}"
        if key in seen:
            raise DacrFormatError(
                f"challenge {record.challenge_id} (version {record.version}) appears twice, "
                f"at positions {seen[key] + 1} and {index + 1}"
            )
        seen[key] = index
        challenges.append(record)
        if progress is not None:
            progress(index + 1, len(challenges_raw))
    return BenchmarkFile(
        name=_opt_str(data, "name", "top level"),
        version=version,
        created_at=_opt_str(data, "createdAt", "top level"),
        description=_opt_str(data, "description", "top level"),
        challenges=tuple(challenges),
        extra={k: v for k, v in data.items() if k not in _TOP_KEYS},
    )


def challenge_from_dict(item: Any, *, index: int = 0) -> ChallengeRecord:
    """Validate one challenge object; ``index`` is only used to name it in errors."""
    if not isinstance(item, dict):
        raise DacrFormatError(f"challenge #{index + 1} must be an object, not {_kind(item)}")
    raw_id = item.get("challengeId")
    if not isinstance(raw_id, str) or not raw_id.strip():
        raise DacrFormatError(f"challenge #{index + 1} has no 'challengeId' string")
    where = f"challenge {raw_id}"
    version = item.get("version", "1.0")
    if isinstance(version, (int, float)) and not isinstance(version, bool):
        version = str(version)
    if not isinstance(version, str) or not version:
        raise DacrFormatError(f"{where}: 'version' must be a string")

    source = _require(item, "source", dict, where)
    source_type = source.get("type")
    if source_type not in SOURCE_SPLIT:
        raise DacrFormatError(
            f"{where}: source.type must be 'document' or 'engine', not {source_type!r}"
        )
    seed = source.get("seed", "")
    if isinstance(seed, bool) or not isinstance(seed, (str, int)):
        raise DacrFormatError(f"{where}: source.seed must be a decimal string")
    seed = str(seed)
    if seed and not re.fullmatch(r"-?\d+", seed):
        raise DacrFormatError(f"{where}: source.seed {seed[:40]!r} is not a decimal integer")

    split = item.get("split")
    if split is None:
        split = SOURCE_SPLIT[source_type]
    elif split not in SPLITS:
        raise DacrFormatError(f"{where}: split must be 'real' or 'synthetic', not {split!r}")

    document = _require(item, "document", dict, f"{where}")
    text = document.get("text")
    if not isinstance(text, str) or not text.strip():
        raise DacrFormatError(f"{where}: document.text is missing or empty")
    domain = _str_field(document, "domain", f"{where}: document")
    sections = document.get("sections", [])
    if not isinstance(sections, list) or not all(isinstance(s, str) for s in sections):
        raise DacrFormatError(f"{where}: document.sections must be a list of strings")

    facts = _facts(item, where)
    fact_ids = {fact.fact_id for fact in facts}
    conflicts = _conflicts(item, where, fact_ids)
    conflict_ids = {conflict.conflict_id for conflict in conflicts}
    questions = _questions(item, where, conflict_ids)

    metadata = item.get("metadata", {})
    if not isinstance(metadata, dict):
        raise DacrFormatError(f"{where}: metadata must be an object")
    return ChallengeRecord(
        challenge_id=raw_id,
        version=version,
        split=split,
        source_type=source_type,
        domain=domain,
        document_text=text,
        word_count=_count(document, "wordCount", f"{where}: document", default=len(text.split())),
        paragraph_count=_count(
            document, "paragraphCount", f"{where}: document", default=len(split_paragraphs(text))
        ),
        sections=tuple(sections),
        facts=facts,
        conflicts=conflicts,
        questions=questions,
        document_id=_opt_str(source, "documentId", f"{where}: source"),
        engine_domain=_opt_str(source, "domain", f"{where}: source"),
        engine_seed=seed,
        engine_version=_opt_str(source, "engineVersion", f"{where}: source"),
        metadata=metadata,
        extra={k: v for k, v in item.items() if k not in _CHALLENGE_KEYS},
        source_extra={k: v for k, v in source.items() if k not in _SOURCE_KEYS},
        document_extra={k: v for k, v in document.items() if k not in _DOCUMENT_KEYS},
    )


def _facts(item: dict, where: str) -> tuple[FactRecord, ...]:
    facts = []
    seen = set()
    for position, raw in enumerate(_require(item, "facts", list, where, default=[])):
        if not isinstance(raw, dict):
            raise DacrFormatError(f"{where}: facts[{position}] must be an object")
        fact_id = _str_field(raw, "factId", f"{where}: facts[{position}]")
        at = f"{where}, fact {fact_id}"
        if fact_id in seen:
            raise DacrFormatError(f"{at}: factId appears twice")
        seen.add(fact_id)
        if "value" not in raw:
            raise DacrFormatError(f"{at}: 'value' is missing")
        location = raw.get("location", {})
        if not isinstance(location, dict):
            raise DacrFormatError(f"{at}: location must be an object")
        facts.append(
            FactRecord(
                fact_id=fact_id,
                entity=_str_field(raw, "entity", at, allow_empty=True),
                attribute=_str_field(raw, "attribute", at, allow_empty=True),
                value=raw["value"],
                value_type=_str_field(raw, "valueType", at, allow_empty=True),
                section=_opt_str(location, "section", f"{at}: location"),
                paragraph_index=_opt_int(location, "paragraphIndex", f"{at}: location"),
                quote=_opt_str(location, "contextQuote", f"{at}: location"),
                extra={k: v for k, v in raw.items() if k not in _FACT_KEYS},
                location_extra={k: v for k, v in location.items() if k not in _LOCATION_KEYS},
            )
        )
    return tuple(facts)


def _conflicts(item: dict, where: str, fact_ids: set[str]) -> tuple[ConflictRecord, ...]:
    conflicts = []
    seen = set()
    for position, raw in enumerate(_require(item, "traps", list, where, default=[])):
        if not isinstance(raw, dict):
            raise DacrFormatError(f"{where}: traps[{position}] must be an object")
        trap_id = _str_field(raw, "trapId", f"{where}: traps[{position}]")
        at = f"{where}, trap {trap_id}"
        if trap_id in seen:
            raise DacrFormatError(f"{at}: trapId appears twice")
        seen.add(trap_id)
        target = _str_field(raw, "targetFactId", at)
        if target not in fact_ids:
            raise DacrFormatError(f"{at}: targetFactId {target!r} names no fact of this challenge")
        for key in ("correctValue", "wrongValue"):
            if raw.get(key) is None or isinstance(raw[key], (dict, list)):
                raise DacrFormatError(f"{at}: {key} must be a string or number")
        location = _require(raw, "trapLocation", dict, at)
        conflicts.append(
            ConflictRecord(
                conflict_id=trap_id,
                target_fact_id=target,
                authoritative_value=raw["correctValue"],
                conflicting_value=raw["wrongValue"],
                subordinate_text=_str_field(location, "injectedText", f"{at}: trapLocation"),
                section=_opt_str(location, "section", f"{at}: trapLocation"),
                paragraph_index=_opt_int(location, "paragraphIndex", f"{at}: trapLocation"),
                extra={k: v for k, v in raw.items() if k not in _TRAP_KEYS},
                location_extra={k: v for k, v in location.items() if k not in _TRAP_LOCATION_KEYS},
            )
        )
    return tuple(conflicts)


def _questions(item: dict, where: str, conflict_ids: set[str]) -> tuple[QuestionRecord, ...]:
    questions = []
    seen = set()
    raw_questions = _require(item, "questions", list, where)
    if not raw_questions:
        raise DacrFormatError(f"{where}: has no questions")
    for position, raw in enumerate(raw_questions):
        if not isinstance(raw, dict):
            raise DacrFormatError(f"{where}: questions[{position}] must be an object")
        question_id = _str_field(raw, "questionId", f"{where}: questions[{position}]")
        at = f"{where}, question {question_id}"
        if question_id in seen:
            raise DacrFormatError(f"{at}: questionId appears twice")
        seen.add(question_id)
        source_category = _str_field(raw, "category", at)
        category = CATEGORY_ALIASES.get(source_category, source_category)
        if category not in CATEGORIES:
            raise DacrFormatError(f"{at}: unknown category {source_category!r}")
        hops = raw.get("hops")
        if isinstance(hops, bool) or not isinstance(hops, int) or hops < 1:
            raise DacrFormatError(f"{at}: hops must be a positive integer, not {hops!r}")
        difficulty = raw.get("difficulty")
        if difficulty not in DIFFICULTIES:
            raise DacrFormatError(
                f"{at}: difficulty must be one of {', '.join(DIFFICULTIES)}, not {difficulty!r}"
            )
        gold = raw.get("goldAnswer")
        if isinstance(gold, (int, float)) and not isinstance(gold, bool):
            gold = json.dumps(gold)
        if not isinstance(gold, str):
            raise DacrFormatError(f"{at}: goldAnswer must be a string")
        aliases = raw.get("goldAnswerAliases", [])
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise DacrFormatError(f"{at}: goldAnswerAliases must be a list of strings")
        chain = raw.get("reasoningChain", [])
        if not isinstance(chain, list) or not all(isinstance(step, dict) for step in chain):
            raise DacrFormatError(f"{at}: reasoningChain must be a list of objects")
        target = raw.get("targetsTrap")
        if target is not None and (not isinstance(target, str) or target not in conflict_ids):
            raise DacrFormatError(f"{at}: targetsTrap {target!r} names no trap of this challenge")
        questions.append(
            QuestionRecord(
                question_id=question_id,
                text=_str_field(raw, "text", at),
                category=category,
                source_category=source_category,
                hops=hops,
                difficulty=difficulty,
                gold_answer=gold,
                aliases=tuple(aliases),
                reasoning_chain=tuple(chain),
                conflict_id=target,
                extra={k: v for k, v in raw.items() if k not in _QUESTION_KEYS},
            )
        )
    return tuple(questions)


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", type(None): "null"}.get(
        type(value), type(value).__name__
    )


def _require(obj: dict, key: str, kind: type, where: str, default: Any = ...) -> Any:
    if key not in obj:
        if default is not ...:
            return default
        raise DacrFormatError(f"{where}: '{key}' is missing")
    value = obj[key]
    if not isinstance(value, kind):
        raise DacrFormatError(f"{where}: '{key}' must be {_kind(kind())}, not {_kind(value)}")
    return value


def _str_field(obj: dict, key: str, where: str, *, allow_empty: bool = False) -> str:
    value = obj.get(key)
    if not isinstance(value, str) or (not allow_empty and not value.strip()):
        raise DacrFormatError(f"{where}: '{key}' must be a non-empty string")
    return value


def _opt_str(obj: dict, key: str, where: str) -> str:
    value = obj.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise DacrFormatError(f"{where}: '{key}' must be a string, not {_kind(value)}")
    return value


def _opt_int(obj: dict, key: str, where: str) -> int | None:
    value = obj.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise DacrFormatError(f"{where}: '{key}' must be an integer, not {value!r}")
    return value


def _count(obj: dict, key: str, where: str, *, default: int) -> int:
    value = obj.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise DacrFormatError(f"{where}: '{key}' must be a non-negative integer")
    return value


# --- writing ---------------------------------------------------------------------------------


def challenge_to_dict(record: ChallengeRecord, *, version: str = WRITE_VERSION) -> dict:
    """The challenge as the file format writes it (key order as in DACR-Bench files)."""
    source: dict[str, Any] = {"type": record.source_type}
    if record.document_id:
        source["documentId"] = record.document_id
    if record.engine_domain:
        source["domain"] = record.engine_domain
    if record.engine_seed:
        source["seed"] = record.engine_seed
    if record.engine_version:
        source["engineVersion"] = record.engine_version
    source.update(record.source_extra)
    out: dict[str, Any] = {"challengeId": record.challenge_id, "version": record.version}
    if version != "1.0":
        out["split"] = record.split
    out["source"] = source
    out["document"] = {
        "text": record.document_text,
        "domain": record.domain,
        "wordCount": record.word_count,
        "paragraphCount": record.paragraph_count,
        "sections": list(record.sections),
        **record.document_extra,
    }
    out["facts"] = [_fact_to_dict(fact) for fact in record.facts]
    out["traps"] = [_conflict_to_dict(conflict) for conflict in record.conflicts]
    out["questions"] = [_question_to_dict(question) for question in record.questions]
    out["metadata"] = record.metadata
    out.update(record.extra)
    return out


def _fact_to_dict(fact: FactRecord) -> dict:
    location: dict[str, Any] = {"section": fact.section}
    if fact.paragraph_index is not None:
        location["paragraphIndex"] = fact.paragraph_index
    location["contextQuote"] = fact.quote
    location.update(fact.location_extra)
    return {
        "factId": fact.fact_id,
        "entity": fact.entity,
        "attribute": fact.attribute,
        "value": fact.value,
        "valueType": fact.value_type,
        "location": location,
        **fact.extra,
    }


def _conflict_to_dict(conflict: ConflictRecord) -> dict:
    location: dict[str, Any] = {"section": conflict.section}
    if conflict.paragraph_index is not None:
        location["paragraphIndex"] = conflict.paragraph_index
    location["injectedText"] = conflict.subordinate_text
    location.update(conflict.location_extra)
    return {
        "trapId": conflict.conflict_id,
        "targetFactId": conflict.target_fact_id,
        "correctValue": conflict.authoritative_value,
        "wrongValue": conflict.conflicting_value,
        "trapLocation": location,
        **conflict.extra,
    }


def _question_to_dict(question: QuestionRecord) -> dict:
    return {
        "questionId": question.question_id,
        "text": question.text,
        "category": EXPORT_CATEGORY.get(question.category, question.category),
        "hops": question.hops,
        "targetsTrap": question.conflict_id,
        "goldAnswer": question.gold_answer,
        "goldAnswerAliases": list(question.aliases),
        "reasoningChain": list(question.reasoning_chain),
        "difficulty": question.difficulty,
        **question.extra,
    }


def benchmark_to_dict(benchmark: BenchmarkFile, *, version: str = WRITE_VERSION) -> dict:
    """The whole file. Breakdowns and stats are recomputed from the challenges written."""
    if version not in SUPPORTED_VERSIONS:
        raise DacrFormatError(f"cannot write format version {version!r}")
    challenges = [challenge_to_dict(c, version=version) for c in benchmark.challenges]
    domains = Counter(c.domain for c in benchmark.challenges)
    categories = Counter(
        EXPORT_CATEGORY.get(q.category, q.category)
        for c in benchmark.challenges
        for q in c.questions
    )
    out: dict[str, Any] = {
        "name": benchmark.name,
        "version": version,
        "createdAt": benchmark.created_at,
        "description": benchmark.description,
        "challenges": challenges,
        "domainBreakdown": dict(domains),
        "categoryBreakdown": dict(categories),
    }
    if version != "1.0":
        out["splitBreakdown"] = dict(Counter(c.split for c in benchmark.challenges))
    verified = sum(
        1 for c in benchmark.challenges if c.metadata.get("verificationPasses") is not None
    )
    out["stats"] = {
        "totalChallenges": len(benchmark.challenges),
        "totalQuestions": sum(len(c.questions) for c in benchmark.challenges),
        "totalTraps": sum(len(c.conflicts) for c in benchmark.challenges),
        "verificationPassRate": verified / len(benchmark.challenges) if challenges else 0,
        "domainCount": len(domains),
    }
    out.update(benchmark.extra)
    return out


def dump_benchmark(benchmark: BenchmarkFile, *, version: str = WRITE_VERSION) -> str:
    return json.dumps(benchmark_to_dict(benchmark, version=version), ensure_ascii=False, indent=2)


def content_hash(record: ChallengeRecord) -> str:
    """sha256 of the challenge's canonical record: what makes a published challenge itself."""
    canonical = json.dumps(
        challenge_to_dict(record, version=WRITE_VERSION),
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# --- document structure ----------------------------------------------------------------------


@dataclass(frozen=True)
class Paragraph:
    index: int
    start: int
    end: int
    section: str = ""


_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def split_paragraphs(text: str, facts: tuple[FactRecord, ...] = ()) -> list[Paragraph]:
    """Paragraphs are separated by blank lines, as in DACR-Bench documents. A paragraph's
    section is taken from the facts located in it, carried forward to the next ones."""
    spans = []
    start = 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    known = {f.paragraph_index: f.section for f in facts if f.paragraph_index is not None}
    paragraphs = []
    section = ""
    for index, (begin, end) in enumerate(spans):
        section = known.get(index, section)
        paragraphs.append(Paragraph(index=index, start=begin, end=end, section=section))
    return paragraphs
