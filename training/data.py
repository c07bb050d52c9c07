"""Training datasets from graded traces. Pure (no Django): takes and returns dataclasses.

A dataset is the set of traces a ``DatasetSpec`` selects, rendered as chat examples with the
same prompt the evaluation runners send (``evaluation.prompt``), so a fine-tuned model is
trained on exactly the context it is later evaluated with.

Selection, in order: the spec's filters (solvers, suites, splits, domains), then held-out
domains, then the verdict rule, then the leakage check against the evaluation suites (a
challenge or a document of an evaluation suite is never trained on; sharing a domain is
refused unless allowed), then de-duplication. ``build_dataset`` reports how many traces each
step dropped, and the dataset's content hash identifies what it teaches independently of row
order.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from evaluation.prompt import PROMPT_VERSION, PromptQuestion, assistant_answer, chat_messages

RULE_CHALLENGE_PASSED = "challenge_passed"
RULE_ALL_CORRECT = "all_correct"
RULE_QUESTION_CORRECT = "question_correct"
VERDICT_RULES = (RULE_CHALLENGE_PASSED, RULE_ALL_CORRECT, RULE_QUESTION_CORRECT)
DATASET_FORMAT = "messages"  # each row: {"messages": [system, user, assistant], …metadata}
_LISTED = 5  # how many overlapping ids a leakage message names before "and N more"


class DatasetSpecError(ValueError):
    """A dataset spec (or the selection it makes) that cannot produce a dataset."""


@dataclass(frozen=True)
class CandidateTrace:
    """One graded trace offered for training: the challenge as the prompt shows it, the
    trace's answers and reasoning, and the effective decision (audits applied) per question."""

    trace_id: int
    challenge_id: str  # the public id, dacr-…
    document_hash: str  # sha256 of the document text
    domain: str
    split: str
    solver: str
    suites: tuple[str, ...]
    document_text: str
    questions: tuple[PromptQuestion, ...]
    answers: Mapping[str, Mapping[str, Any]]  # qid -> {answer, citation, confidence}
    reasoning: str
    question_correct: Mapping[str, bool]  # qid -> effective decision
    content_hash: str = ""


@dataclass(frozen=True)
class EvalSuiteFootprint:
    """What an evaluation suite measures on: training on any of it would inflate its scores."""

    name: str
    challenge_ids: frozenset[str]
    document_hashes: frozenset[str]
    domains: frozenset[str]


@dataclass(frozen=True)
class DatasetSpec:
    """How to select and render a training dataset.

    ``verdict_rule``: ``challenge_passed`` keeps a trace whose share of effectively correct
    questions is at least ``pass_threshold`` and teaches all its answers; ``all_correct``
    keeps only traces with every question right; ``question_correct`` keeps every trace with
    at least one right answer and teaches only those questions (the others leave the prompt
    and the answer). Empty filters select everything. ``eval_suites`` names the footprints
    the leakage check compares against (all given footprints when empty).
    """

    verdict_rule: str
    pass_threshold: float = 0.6
    solvers: tuple[str, ...] = ()
    suites: tuple[str, ...] = ()
    splits: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    holdout_domains: tuple[str, ...] = ()
    eval_suites: tuple[str, ...] = ()
    allow_domain_overlap: bool = False
    trace_mode: bool = True
    seed: int = 0

    def __post_init__(self) -> None:
        for name in _TUPLE_FIELDS:  # lists from callers become tuples: the spec stays hashable
            object.__setattr__(self, name, _string_tuple(name, getattr(self, name)))
        _validate_spec(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> DatasetSpec:
        """Build a spec from user input (form, API, JSON); one-line ``DatasetSpecError``."""
        if not isinstance(data, Mapping):
            raise DatasetSpecError(f"a dataset spec must be an object, got {type(data).__name__}")
        known = {f.name for f in fields(cls)}
        unknown = sorted(str(key) for key in data if key not in known)
        if unknown:
            raise DatasetSpecError(f"unknown dataset spec setting(s): {', '.join(unknown)}")
        if "verdict_rule" not in data:
            raise DatasetSpecError("verdict_rule is required: " + ", ".join(VERDICT_RULES))
        return cls(**data)

    def as_record(self) -> dict[str, Any]:
        """JSON-ready settings; ``from_dict`` rebuilds the same spec from them."""
        return {key: list(v) if isinstance(v, tuple) else v for key, v in asdict(self).items()}


_TUPLE_FIELDS = ("solvers", "suites", "splits", "domains", "holdout_domains", "eval_suites")


def _string_tuple(name: str, value: Any) -> tuple[str, ...]:
    """A list of non-empty strings, as a tuple; a bare string is refused, not split."""
    if isinstance(value, str) or not isinstance(value, list | tuple):
        raise DatasetSpecError(f"{name} must be a list of strings, got {value!r:.60}")
    for item in value:
        if not isinstance(item, str) or not item.strip():
            raise DatasetSpecError(f"{name} must hold non-empty strings, got {item!r:.60}")
    return tuple(dict.fromkeys(value))


def _validate_spec(spec: DatasetSpec) -> None:
    if spec.verdict_rule not in VERDICT_RULES:
        raise DatasetSpecError(
            f"verdict_rule must be one of {', '.join(VERDICT_RULES)}, got {spec.verdict_rule!r:.60}"
        )
    threshold = spec.pass_threshold
    if isinstance(threshold, bool) or not isinstance(threshold, int | float):
        raise DatasetSpecError(f"pass_threshold must be a number, got {threshold!r:.60}")
    if not (math.isfinite(threshold) and 0 < threshold <= 1):
        raise DatasetSpecError(f"pass_threshold must be in (0, 1], got {threshold}")
    for name in ("allow_domain_overlap", "trace_mode"):
        if not isinstance(getattr(spec, name), bool):
            raise DatasetSpecError(f"{name} must be true or false, got {getattr(spec, name)!r:.60}")
    if isinstance(spec.seed, bool) or not isinstance(spec.seed, int) or spec.seed < 0:
        raise DatasetSpecError(f"seed must be a non-negative integer, got {spec.seed!r:.60}")
    both = sorted(set(spec.domains) & set(spec.holdout_domains))
    if both:
        raise DatasetSpecError(f"domain(s) both selected and held out: {', '.join(both)}")


# --- verdict rules and rendering --------------------------------------------------------


def taught_question_ids(candidate: CandidateTrace, spec: DatasetSpec) -> tuple[str, ...]:
    """The question ids an example of this trace teaches under the spec's rule; empty when the
    rule rejects the trace."""
    qids = [q.question_id for q in candidate.questions]
    right = [qid for qid in qids if candidate.question_correct.get(qid) is True]
    if not qids or not right:
        return ()
    if spec.verdict_rule == RULE_QUESTION_CORRECT:
        return tuple(right)
    if spec.verdict_rule == RULE_ALL_CORRECT:
        return tuple(qids) if len(right) == len(qids) else ()
    return tuple(qids) if len(right) / len(qids) >= spec.pass_threshold else ()


def render_example(
    candidate: CandidateTrace, question_ids: Sequence[str], *, trace_mode: bool = True
) -> dict[str, Any]:
    """One training row: system, user and assistant turns (the prompt lists only the taught
    questions, the answer holds only their entries) plus where it came from.

    Under ``question_correct`` the reasoning is kept whole even when it also works through a
    dropped question: it is the trace's own text and cutting it would need a parser."""
    taught = set(question_ids)
    questions = [q for q in candidate.questions if q.question_id in taught]
    answers = {qid: candidate.answers.get(qid, {}) for qid in sorted(taught)}
    reasoning = candidate.reasoning if trace_mode else ""
    messages = [
        m.as_dict() for m in chat_messages(candidate.document_text, questions, trace=trace_mode)
    ]
    messages.append({"role": "assistant", "content": assistant_answer(reasoning, answers)})
    return {
        "messages": messages,
        "trace_id": candidate.trace_id,
        "challenge_id": candidate.challenge_id,
        "domain": candidate.domain,
        "split": candidate.split,
        "solver": candidate.solver,
        "question_ids": [q.question_id for q in questions],
    }


# --- leakage ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Overlap:
    """Something a training selection shares with an evaluation suite."""

    suite: str
    kind: str  # "challenge", "document" or "domain"
    values: tuple[str, ...]
    refused: bool

    def describe(self) -> str:
        if self.kind == "challenge":
            noun = "challenge" if len(self.values) == 1 else "challenges"
            return (
                f"{len(self.values)} {noun} of evaluation suite '{self.suite}' would be "
                f"trained on: {_listed(self.values)}"
            )
        if self.kind == "document":
            noun = "document" if len(self.values) == 1 else "documents"
            shown = [value[:12] + "…" for value in self.values]
            return (
                f"{len(self.values)} {noun} shared with evaluation suite '{self.suite}': "
                f"{_listed(shown)}"
            )
        names = ", ".join(f"'{value}'" for value in self.values)
        verb = "is an evaluation domain" if len(self.values) == 1 else "are evaluation domains"
        tail = " (pass allow_domain_overlap to permit)" if self.refused else " (allowed)"
        word = "domain" if len(self.values) == 1 else "domains"
        return f"{word} {names} {verb} of suite '{self.suite}'{tail}"


class LeakageError(ValueError):
    """The selection would train on what an evaluation suite measures; the message names it."""

    def __init__(self, overlaps: Sequence[Overlap]):
        self.overlaps = tuple(overlaps)
        super().__init__("; ".join(o.describe() for o in self.overlaps if o.refused))


def _listed(values: Sequence[str]) -> str:
    shown = ", ".join(values[:_LISTED])
    rest = len(values) - _LISTED
    return f"{shown} and {rest} more" if rest > 0 else shown


def check_leakage(
    candidates: Iterable[CandidateTrace],
    footprints: Iterable[EvalSuiteFootprint],
    allow_domain_overlap: bool = False,
) -> list[Overlap]:
    """Every overlap between the selected traces and the evaluation suites. Shared challenges
    and documents are always refused; shared domains are refused unless allowed (then they are
    still reported, with ``refused=False``). A document is reported only for traces of other
    challenges than the suite's, since a shared challenge already implies its document."""
    candidates = list(candidates)
    overlaps: list[Overlap] = []
    for suite in sorted(footprints, key=lambda f: f.name):
        challenges = sorted({c.challenge_id for c in candidates} & suite.challenge_ids)
        documents = sorted(
            {c.document_hash for c in candidates if c.challenge_id not in suite.challenge_ids}
            & suite.document_hashes
        )
        domains = sorted({c.domain for c in candidates} & suite.domains)
        if challenges:
            overlaps.append(Overlap(suite.name, "challenge", tuple(challenges), True))
        if documents:
            overlaps.append(Overlap(suite.name, "document", tuple(documents), True))
        if domains:
            overlaps.append(Overlap(suite.name, "domain", tuple(domains), not allow_domain_overlap))
    return overlaps


# --- building -----------------------------------------------------------------------------


@dataclass(frozen=True)
class DatasetStats:
    """What a build kept and dropped, and what the kept examples cover."""

    candidates: int
    selected: int  # examples in the dataset
    dropped_by_filter: int  # outside the spec's solvers, suites, splits or domains
    dropped_holdout: int
    dropped_by_rule: int
    dropped_duplicates: int
    questions_taught: int
    by_domain: dict[str, int] = field(default_factory=dict)
    by_solver: dict[str, int] = field(default_factory=dict)
    by_split: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class BuiltDataset:
    """A rendered dataset; ``spec_record`` is the spec's settings plus the prompt version."""

    examples: list[dict[str, Any]]
    stats: DatasetStats
    content_hash: str
    spec_record: dict[str, Any]
    overlaps: tuple[Overlap, ...] = ()  # allowed (domain) overlaps, for the dataset page


def _passes_filters(candidate: CandidateTrace, spec: DatasetSpec) -> bool:
    return (
        (not spec.solvers or candidate.solver in spec.solvers)
        and (not spec.suites or bool(set(candidate.suites) & set(spec.suites)))
        and (not spec.splits or candidate.split in spec.splits)
        and (not spec.domains or candidate.domain in spec.domains)
    )


def _suite_footprints(
    spec: DatasetSpec, footprints: Iterable[EvalSuiteFootprint]
) -> list[EvalSuiteFootprint]:
    by_name = {f.name: f for f in footprints}
    if not spec.eval_suites:
        return list(by_name.values())
    missing = [name for name in spec.eval_suites if name not in by_name]
    if missing:
        raise DatasetSpecError(f"unknown evaluation suite(s): {', '.join(missing)}")
    return [by_name[name] for name in spec.eval_suites]


def _dedupe(rendered: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], int]:
    """One example per (challenge, assistant text), the lowest trace id kept; several traces
    of one challenge that teach different text all stay."""
    kept: dict[tuple[str, str], dict[str, Any]] = {}
    for example in sorted(rendered, key=lambda e: e["trace_id"]):
        key = (example["challenge_id"], example["messages"][-1]["content"])
        kept.setdefault(key, example)
    return list(kept.values()), len(rendered) - len(kept)


def content_hash(examples: Iterable[Mapping[str, Any]]) -> str:
    """sha256 over the canonical JSON of the examples sorted by (challenge, trace): the same
    examples give the same hash whatever their row order."""
    ordered = sorted(examples, key=lambda e: (e["challenge_id"], e["trace_id"]))
    digest = hashlib.sha256()
    for example in ordered:
        digest.update(json.dumps(example, sort_keys=True, ensure_ascii=False).encode())
        digest.update(b"\n")
    return digest.hexdigest()


def build_dataset(
    candidates: Iterable[CandidateTrace],
    spec: DatasetSpec,
    footprints: Iterable[EvalSuiteFootprint] = (),
) -> BuiltDataset:
    """Select, check and render a dataset. Raises ``LeakageError`` when the selection touches
    an evaluation suite and ``DatasetSpecError`` when nothing is left to train on. Rows are
    shuffled with the spec's seed (so domains interleave); the hash ignores row order."""
    candidates = list(candidates)
    suites = _suite_footprints(spec, footprints)
    filtered = [c for c in candidates if _passes_filters(c, spec)]
    held_out = set(spec.holdout_domains)
    kept = [c for c in filtered if c.domain not in held_out]
    taught = {c.trace_id: taught_question_ids(c, spec) for c in kept}
    chosen = [c for c in kept if taught[c.trace_id]]
    overlaps = check_leakage(chosen, suites, spec.allow_domain_overlap)
    if any(o.refused for o in overlaps):
        raise LeakageError(overlaps)
    rendered = [render_example(c, taught[c.trace_id], trace_mode=spec.trace_mode) for c in chosen]
    examples, duplicates = _dedupe(rendered)
    stats = DatasetStats(
        candidates=len(candidates),
        selected=len(examples),
        dropped_by_filter=len(candidates) - len(filtered),
        dropped_holdout=len(filtered) - len(kept),
        dropped_by_rule=len(kept) - len(chosen),
        dropped_duplicates=duplicates,
        questions_taught=sum(len(e["question_ids"]) for e in examples),
        by_domain=_counts(e["domain"] for e in examples),
        by_solver=_counts(e["solver"] for e in examples),
        by_split=_counts(e["split"] for e in examples),
    )
    if not examples:
        raise DatasetSpecError(f"no trace is left to train on: {_drop_summary(stats, spec)}")
    examples.sort(key=lambda e: (e["challenge_id"], e["trace_id"]))
    random.Random(spec.seed).shuffle(examples)
    return BuiltDataset(
        examples=examples,
        stats=stats,
        content_hash=content_hash(examples),
        spec_record={**spec.as_record(), "prompt_version": PROMPT_VERSION},
        overlaps=tuple(overlaps),
    )


def _counts(values: Iterable[str]) -> dict[str, int]:
    return dict(sorted(Counter(values).items()))


def _drop_summary(stats: DatasetStats, spec: DatasetSpec) -> str:
    return (
        f"{stats.candidates} candidate(s), {stats.dropped_by_filter} outside the filters, "
        f"{stats.dropped_holdout} in held-out domains, {stats.dropped_by_rule} failed rule "
        f"'{spec.verdict_rule}', {stats.dropped_duplicates} duplicate(s)"
    )


# --- token statistics -------------------------------------------------------------------


@dataclass(frozen=True)
class TokenStats:
    """Lengths of the rendered examples in tokens (chat template applied)."""

    count: int
    min: int
    p50: int
    p90: int
    p99: int
    max: int
    mean: float
    total: int


def token_stats(examples: Sequence[Mapping[str, Any]], tokenizer: Any) -> TokenStats:
    """Token lengths of the examples' full conversations under ``tokenizer``'s chat template
    (a Hugging Face tokenizer); percentiles by nearest rank."""
    lengths = sorted(_conversation_length(e["messages"], tokenizer) for e in examples)
    if not lengths:
        return TokenStats(0, 0, 0, 0, 0, 0, 0.0, 0)

    def rank(p: float) -> int:
        return lengths[max(0, math.ceil(p * len(lengths)) - 1)]

    total = sum(lengths)
    return TokenStats(
        count=len(lengths),
        min=lengths[0],
        p50=rank(0.5),
        p90=rank(0.9),
        p99=rank(0.99),
        max=lengths[-1],
        mean=total / len(lengths),
        total=total,
    )


def _conversation_length(messages: Sequence[Mapping[str, str]], tokenizer: Any) -> int:
    encoded = tokenizer.apply_chat_template(list(messages), tokenize=True, return_dict=True)
    return len(encoded["input_ids"])


# --- saving -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SavedDataset:
    path: Path  # the dataset directory (dataset.json, train.jsonl, hf/)
    hf_path: Path  # the datasets.save_to_disk directory the trainer loads
    jsonl_path: Path
    content_hash: str
    n: int


def save_dataset(built: BuiltDataset, out_dir: Path | str) -> SavedDataset:
    """Write ``out_dir/hf`` (datasets ``save_to_disk``), ``out_dir/train.jsonl`` and
    ``out_dir/dataset.json`` (spec, stats, hash). Everything is written into a temporary
    sibling directory that is renamed into place, so ``out_dir`` is either complete or absent.
    Saving the same dataset again is a no-op; a different one in ``out_dir`` is refused."""
    out_dir = Path(out_dir)
    if out_dir.exists():
        return _existing(out_dir, built)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent))
    try:
        _write_dataset(built, staging)
        staging.rename(out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return _saved(out_dir, built.content_hash, len(built.examples))


def _write_dataset(built: BuiltDataset, directory: Path) -> None:
    from datasets import Dataset

    Dataset.from_list(built.examples).save_to_disk(str(directory / "hf"))
    with (directory / "train.jsonl").open("w", encoding="utf-8") as handle:
        for example in built.examples:
            handle.write(json.dumps(example, ensure_ascii=False) + "\n")
    record = {
        "content_hash": built.content_hash,
        "n": len(built.examples),
        "format": DATASET_FORMAT,
        "prompt_version": built.spec_record.get("prompt_version", PROMPT_VERSION),
        "spec": built.spec_record,
        "stats": asdict(built.stats),
        "overlaps": [asdict(o) for o in built.overlaps],
    }
    (directory / "dataset.json").write_text(json.dumps(record, indent=1, ensure_ascii=False))


def _existing(out_dir: Path, built: BuiltDataset) -> SavedDataset:
    try:
        record = json.loads((out_dir / "dataset.json").read_text())
    except (OSError, ValueError):
        record = {}
    if record.get("content_hash") != built.content_hash:
        raise FileExistsError(f"{out_dir} already holds a different dataset")
    return _saved(out_dir, built.content_hash, int(record.get("n", len(built.examples))))


def _saved(out_dir: Path, digest: str, n: int) -> SavedDataset:
    return SavedDataset(out_dir, out_dir / "hf", out_dir / "train.jsonl", digest, n)
