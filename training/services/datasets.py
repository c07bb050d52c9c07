"""Training datasets: graded traces selected from the database, built by the pure core
(``training.data``) and saved under ``MEDIA_ROOT/datasets/<id>-<hash12>``.

Life cycle (the task ``training.tasks.dataset_build_task`` calls :func:`dataset_build`):
building → ready | failed. :func:`dataset_create` checks the name and the spec before it
writes anything; the build then selects candidates (the spec's positive filters in SQL,
the rest in the core so every drop is counted), refuses leakage into the evaluation suites
with a message naming the overlap, and writes the files atomically: a failed build leaves
nothing on disk.
"""

from __future__ import annotations

import hashlib
import logging
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet

from challenges.models import Challenge, Question, Split, Suite, SuiteMembership
from evaluation.prompt import PROMPT_VERSION, PromptQuestion
from evaluation.provenance import provenance
from traces.grading import VERIFIER_VERSION
from traces.models import Solver, Trace, Verdict, VerifierMode
from training.data import (
    CandidateTrace,
    DatasetSpec,
    DatasetSpecError,
    EvalSuiteFootprint,
    LeakageError,
    build_dataset,
    save_dataset,
    token_stats,
)
from training.models import DatasetStatus, TrainingDataset

logger = logging.getLogger(__name__)

NAME_MAX = 128
TOKENIZER_MAX = 500
ERROR_MAX = 5000
_BATCH = 500  # traces read per round trip
_SPEC_FIELDS = frozenset(f.name for f in fields(DatasetSpec))


class TrainingDatasetError(ValueError):
    """A dataset that cannot be created; one line naming the field at fault."""


# --- reading graded traces ------------------------------------------------------------------


def document_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def graded_traces(mode: str = VerifierMode.STRICT) -> QuerySet[Trace]:
    """Traces with at least one verdict of the current verifier in ``mode``."""
    graded = Verdict.objects.filter(mode=mode, verifier_version=VERIFIER_VERSION)
    return Trace.objects.filter(pk__in=graded.values("trace_id"))


def candidates_from_traces(
    traces: QuerySet[Trace], mode: str = VerifierMode.STRICT
) -> Iterator[CandidateTrace]:
    """Each trace of ``traces`` as the core's ``CandidateTrace``: the challenge's document and
    questions in position order, the trace's answers and reasoning, the suites holding the
    challenge, and per question the effective decision (an audit's override, else the
    verifier's) of the current verifier version in ``mode``. Read in batches."""
    ids = list(traces.order_by("pk").values_list("pk", flat=True))
    challenges: dict[int, _ChallengeView] = {}
    for start in range(0, len(ids), _BATCH):
        batch = list(
            Trace.objects.filter(pk__in=ids[start : start + _BATCH])
            .order_by("pk")
            .values_list("pk", "challenge_id", "solver__name", "answers", "parsed_reasoning")
        )
        missing = {row[1] for row in batch} - challenges.keys()
        challenges.update(_challenge_views(missing))
        decisions = _effective_decisions([row[0] for row in batch], mode)
        for trace_id, challenge_id, solver, answers, reasoning in batch:
            view = challenges[challenge_id]
            yield CandidateTrace(
                trace_id=trace_id,
                challenge_id=view.public_id,
                document_hash=view.document_hash,
                domain=view.domain,
                split=view.split,
                solver=solver,
                suites=view.suites,
                document_text=view.document_text,
                questions=view.questions,
                answers=answers if isinstance(answers, dict) else {},
                reasoning=reasoning or "",
                question_correct=decisions.get(trace_id, {}),
            )


@dataclass(slots=True)
class _ChallengeView:
    """What a candidate needs of its challenge, read once however many traces it has."""

    public_id: str
    document_text: str
    domain: str
    split: str
    document_hash: str = ""
    questions: tuple[PromptQuestion, ...] = ()
    suites: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        self.document_hash = document_hash(self.document_text)


def _challenge_views(challenge_ids: Iterable[int]) -> dict[int, _ChallengeView]:
    challenge_ids = list(challenge_ids)
    views = {
        pk: _ChallengeView(public_id, text, domain, split)
        for pk, public_id, text, domain, split in Challenge.objects.filter(
            pk__in=challenge_ids
        ).values_list("pk", "public_id", "document_text", "domain", "split")
    }
    questions: dict[int, list[PromptQuestion]] = defaultdict(list)
    for challenge_id, question_id, text in (
        Question.objects.filter(challenge_id__in=challenge_ids)
        .order_by("challenge_id", "position")
        .values_list("challenge_id", "question_id", "text")
    ):
        questions[challenge_id].append(PromptQuestion(question_id, text))
    suites: dict[int, list[str]] = defaultdict(list)
    for challenge_id, name in (
        SuiteMembership.objects.filter(challenge_id__in=challenge_ids)
        .order_by("suite__name")
        .values_list("challenge_id", "suite__name")
    ):
        suites[challenge_id].append(name)
    for pk, view in views.items():
        view.questions = tuple(questions[pk])
        view.suites = tuple(suites[pk])
    return views


def _effective_decisions(trace_ids: list[int], mode: str) -> dict[int, dict[str, bool]]:
    decisions: dict[int, dict[str, bool]] = defaultdict(dict)
    for trace_id, question_id, decision, override in Verdict.objects.filter(
        trace_id__in=trace_ids, mode=mode, verifier_version=VERIFIER_VERSION
    ).values_list("trace_id", "question__question_id", "decision", "override"):
        decisions[trace_id][question_id] = (override or decision) == "correct"
    return decisions


def footprints_for(suites: Iterable[Suite]) -> list[EvalSuiteFootprint]:
    """What each evaluation suite measures on: its challenges' public ids, the sha256 of
    their documents and their domains."""
    footprints = []
    for suite in suites:
        rows = Challenge.objects.filter(memberships__suite=suite).values_list(
            "public_id", "document_text", "domain"
        )
        footprints.append(
            EvalSuiteFootprint(
                name=suite.name,
                challenge_ids=frozenset(row[0] for row in rows),
                document_hashes=frozenset(document_hash(row[1]) for row in rows),
                domains=frozenset(row[2] for row in rows),
            )
        )
    return footprints


def _selected_traces(spec: DatasetSpec, mode: str) -> QuerySet[Trace]:
    """The spec's positive filters (solvers, suites, splits, domains) in SQL; held-out domains
    and the verdict rule stay with the core, which counts what each drops."""
    traces = graded_traces(mode)
    if spec.solvers:
        traces = traces.filter(solver__name__in=spec.solvers)
    if spec.splits:
        traces = traces.filter(challenge__split__in=spec.splits)
    if spec.domains:
        traces = traces.filter(challenge__domain__in=spec.domains)
    if spec.suites:
        in_suites = SuiteMembership.objects.filter(suite__name__in=spec.suites)
        traces = traces.filter(challenge_id__in=in_suites.values("challenge_id"))
    return traces


# --- creating -------------------------------------------------------------------------------


def _clean_name(name: object) -> str:
    if not isinstance(name, str) or not name.strip():
        raise TrainingDatasetError("name: a dataset needs a name")
    name = name.strip()
    if len(name) > NAME_MAX or any(ord(c) < 32 for c in name):
        raise TrainingDatasetError(f"name: at most {NAME_MAX} printable characters")
    taken = TrainingDataset.objects.filter(name=name).exclude(status=DatasetStatus.FAILED)
    if taken.exists():
        raise TrainingDatasetError(f"name: a dataset called {name!r} already exists")
    return name


def _clean_tokenizer(path: object) -> str:
    if path is None or path == "":
        return ""
    if not isinstance(path, str) or "\n" in path or len(path.strip()) > TOKENIZER_MAX:
        raise TrainingDatasetError("tokenizer: a checkpoint directory or hub id on one line")
    path = path.strip()
    if path.startswith(("/", ".", "~")) and not Path(path).expanduser().is_dir():
        raise TrainingDatasetError(f"tokenizer: no such directory: {path[:120]}")
    return path


def _check_references(spec: DatasetSpec) -> None:
    """Names in the spec that name nothing would silently select nothing: refuse them."""
    for field_name, model, noun in (
        ("solvers", Solver, "solver"),
        ("suites", Suite, "suite"),
        ("eval_suites", Suite, "suite"),
    ):
        wanted = getattr(spec, field_name)
        known = set(model.objects.filter(name__in=wanted).values_list("name", flat=True))
        unknown = [name for name in wanted if name not in known]
        if unknown:
            listed = ", ".join(repr(name) for name in unknown[:5])
            raise TrainingDatasetError(f"{field_name}: no {noun} called {listed}")
    bad_splits = [split for split in spec.splits if split not in Split.values]
    if bad_splits:
        raise TrainingDatasetError(
            f"splits: {bad_splits[0]!r} is not one of {', '.join(Split.values)}"
        )


def dataset_spec_from(spec: object) -> DatasetSpec:
    """A spec from user input, checked against the database; one-line TrainingDatasetError."""
    try:
        parsed = DatasetSpec.from_dict(spec)  # type: ignore[arg-type]
    except (DatasetSpecError, TypeError) as error:
        raise TrainingDatasetError(str(error).splitlines()[0]) from None
    _check_references(parsed)
    return parsed


def dataset_create(
    *, name: str, spec: dict, tokenizer_path: str = "", user=None, enqueue: bool = True
) -> TrainingDataset:
    """A dataset row in ``building``, its build sent to the ``default`` queue once the
    transaction commits (``enqueue=False`` leaves it for the caller: the ``build_dataset``
    command builds in-process). Name, spec and tokenizer are checked first; a bad one raises
    TrainingDatasetError with one line and writes nothing. A failed dataset's name may be
    taken again: the failed row is replaced."""
    name = _clean_name(name)
    parsed = dataset_spec_from(spec)
    tokenizer = _clean_tokenizer(tokenizer_path)
    with transaction.atomic():
        TrainingDataset.objects.filter(name=name, status=DatasetStatus.FAILED).delete()
        dataset = TrainingDataset.objects.create(
            name=name,
            spec=parsed.as_record(),
            tokenizer=tokenizer,
            prompt_version=PROMPT_VERSION,
            created_by=user if getattr(user, "pk", None) else None,
        )
        if enqueue:
            from training.tasks import dataset_build_task

            pk = dataset.pk
            transaction.on_commit(lambda: dataset_build_task.apply_async((pk,), queue="default"))
    return dataset


# --- building -------------------------------------------------------------------------------


def _fail(dataset: TrainingDataset, reason: str) -> TrainingDataset:
    dataset.status = DatasetStatus.FAILED
    dataset.error = " ".join(reason.split())[:ERROR_MAX]  # one line, kept whole
    dataset.save(update_fields=["status", "error"])
    logger.warning("dataset %s failed: %s", dataset.pk, dataset.error)
    return dataset


def _deliver(dataset: TrainingDataset) -> bool:
    dataset.deliveries += 1
    if dataset.deliveries > settings.DACR_TASK_MAX_DELIVERIES:
        _fail(
            dataset,
            f"stopped after {dataset.deliveries - 1} attempts: the build kept killing its worker",
        )
        return False
    dataset.save(update_fields=["deliveries"])
    return True


def dataset_directory(dataset: TrainingDataset, content_hash: str) -> Path:
    return Path(settings.MEDIA_ROOT) / "datasets" / f"{dataset.pk}-{content_hash[:12]}"


def dataset_build(*, dataset_id: int, mode: str = VerifierMode.STRICT) -> TrainingDataset | None:
    """Build (or, after a killed worker, build again) dataset ``dataset_id``; the task's
    service. A dataset that is not ``building`` is left alone. Refusals (leakage, an empty
    selection, a tokenizer that does not load) mark it failed with one line; the files are
    written last and atomically, so a failure leaves nothing on disk."""
    dataset = TrainingDataset.objects.filter(pk=dataset_id).first()
    if dataset is None or dataset.status != DatasetStatus.BUILDING:
        return dataset
    if not _deliver(dataset):
        return dataset
    try:
        spec = DatasetSpec.from_dict({k: v for k, v in dataset.spec.items() if k in _SPEC_FIELDS})
        selected = _selected_traces(spec, mode)
        candidates = list(candidates_from_traces(selected, mode))
        eval_suites = Suite.objects.filter(name__in=spec.eval_suites)
        built = build_dataset(candidates, spec, footprints_for(eval_suites))
        tokens = _token_stats(built.examples, dataset.tokenizer)
        saved = save_dataset(built, dataset_directory(dataset, built.content_hash))
    except (LeakageError, DatasetSpecError) as error:
        return _fail(dataset, str(error))
    except Exception as error:  # a broken tokenizer, a full disk: keep the row truthful
        logger.exception("dataset %s: build failed", dataset.pk)
        return _fail(dataset, f"{type(error).__name__}: {error}")
    graded = graded_traces(mode).count()
    stats = asdict(built.stats)
    # The positive filters ran in SQL: count what they left out against every graded trace.
    stats["dropped_by_filter"] += graded - len(candidates)
    stats["candidates"] = graded
    stats["allowed_overlaps"] = [overlap.describe() for overlap in built.overlaps]
    stats["verifier"] = {"mode": mode, "version": VERIFIER_VERSION}
    stats["provenance"] = provenance()
    dataset.status = DatasetStatus.READY
    dataset.error = ""
    dataset.spec = built.spec_record
    dataset.stats = stats
    dataset.token_stats = tokens
    dataset.examples = saved.n
    dataset.content_hash = saved.content_hash
    dataset.path = str(saved.path)
    dataset.prompt_version = built.spec_record.get("prompt_version", PROMPT_VERSION)
    dataset.save()
    return dataset


def _token_stats(examples: list[dict], tokenizer_path: str) -> dict:
    if not tokenizer_path:
        return {}
    from training.qlora import load_tokenizer

    try:
        tokenizer = load_tokenizer(tokenizer_path)
    except Exception as error:
        raise DatasetSpecError(
            f"tokenizer: cannot load {tokenizer_path!r}: {type(error).__name__}: {error}"
        ) from None
    return asdict(token_stats(examples, tokenizer))
