"""Finished adapters as model specs, and the one-click comparison against the base model.

An adapter is registered as a ``transformers`` ModelSpec named after its run ("<run name>
adapter"), with the base model's directory and the adapter's. The baseline of a comparison
is a spec of the same base model with the same runner settings and no adapter, so the two
evaluation runs differ in the adapter alone.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from django.db import transaction
from django.urls import reverse

from challenges.models import Suite
from evaluation.models import EvalRun, ModelSpec, RunnerName, RunStatus
from evaluation.services import (
    EvalRunError,
    ModelSpecError,
    eval_run_create,
    model_spec_create,
    validated_settings,
)
from training.models import TrainingRun
from training.qlora import QLoRAConfig

logger = logging.getLogger(__name__)

SPEC_NAME_MAX = 128


class AdapterError(ValueError):
    """An adapter that cannot be registered or evaluated; one line naming the reason."""


def local_model_path(base_model: str) -> str:
    """The directory a base model loads from: the path as given, or for a hub id the
    snapshot already in the local Hugging Face cache (training downloaded it). The
    transformers runner needs a directory; nothing is downloaded here."""
    path = Path(base_model).expanduser()
    if path.is_dir():
        return str(path.resolve())
    try:
        from huggingface_hub import snapshot_download

        return snapshot_download(base_model, local_files_only=True)
    except Exception as error:
        raise AdapterError(
            f"base model {base_model!r} is neither a directory nor in the local cache: {error}"
        ) from None


def _free_name(base: str) -> str:
    base = base[: SPEC_NAME_MAX - 4].strip()
    taken = set(ModelSpec.objects.filter(name__startswith=base).values_list("name", flat=True))
    if base not in taken:
        return base
    return next(f"{base} #{n}" for n in range(2, 10_000) if f"{base} #{n}" not in taken)


def register_adapter(*, run: TrainingRun, config: QLoRAConfig) -> ModelSpec | None:
    """Register a finished run's adapter as a ModelSpec and link it to the run. When that
    is impossible (a hub base model no longer in the cache) the run keeps its adapter and
    the reason is written on its record for the page; it is not a training failure."""
    if run.model_spec_id is not None:
        return run.model_spec
    try:
        settings = {
            "model_path": local_model_path(config.base_model),
            "adapter_path": run.adapter_path,
        }
        with transaction.atomic():
            spec = model_spec_create(
                name=_free_name(f"{run.name} adapter"),
                runner=RunnerName.TRANSFORMERS,
                settings=settings,
                description=f"QLoRA adapter of training run {run.pk} ({run.plan}) on "
                f"dataset {run.dataset.name!r}",
                user=run.created_by,
            )
            run.model_spec = spec
            run.save(update_fields=["model_spec"])
    except (AdapterError, ModelSpecError) as error:
        logger.warning("training run %s: adapter not registered: %s", run.pk, error)
        run.record = {**(run.record or {}), "model_spec_error": str(error)}
        run.save(update_fields=["record"])
        return None
    return spec


def baseline_spec(*, adapter_spec: ModelSpec, user=None) -> ModelSpec:
    """A spec of the adapter's base model with the same runner settings and no adapter: an
    existing one when there is one, else a new "<base> base model" spec."""
    settings = validated_settings(
        RunnerName.TRANSFORMERS, {**adapter_spec.settings, "adapter_path": ""}
    )
    for spec in ModelSpec.objects.filter(runner=RunnerName.TRANSFORMERS).order_by("pk"):
        if spec.settings == settings:
            return spec
    name = Path(settings["model_path"]).name or "base model"
    return model_spec_create(
        name=_free_name(f"{name} base model"),
        runner=RunnerName.TRANSFORMERS,
        settings=settings,
        description=f"The base model of {adapter_spec.name}, without its adapter",
        user=user,
    )


def evaluate_against_baseline(
    *, run: TrainingRun, suite: Suite, user=None
) -> tuple[EvalRun, EvalRun]:
    """Two evaluation runs on ``suite``, sent to the ``gpu`` queue when the transaction
    commits: the base model alone and with the run's adapter. Returns (baseline, adapter);
    their comparison is at :func:`comparison_url`. AdapterError (one line) when the run has
    no registered adapter or the suite cannot be evaluated; nothing is written then."""
    if run.status != RunStatus.SUCCEEDED or run.model_spec_id is None:
        raise AdapterError(f"training run {run.name!r} has no registered adapter to evaluate")
    _refuse_trained_challenges(run, suite)
    adapter_spec = run.model_spec
    try:
        with transaction.atomic():
            base = baseline_spec(adapter_spec=adapter_spec, user=user)
            # Unnamed runs are called "<spec> on <suite>", numbered when taken.
            baseline = eval_run_create(model_spec=base, suite=suite, user=user)
            adapted = eval_run_create(model_spec=adapter_spec, suite=suite, user=user)
    except (ModelSpecError, EvalRunError) as error:
        raise AdapterError(str(error)) from None
    return baseline, adapted


def trained_challenge_ids(run: TrainingRun) -> set[str]:
    """The public ids of the challenges the run's dataset taught (from its JSON Lines file).
    AdapterError when the file is gone: what it taught can then not be checked."""
    path = Path(run.dataset.path or "") / "train.jsonl"
    if not run.dataset.path or not path.is_file():
        raise AdapterError(
            f"training run {run.name!r}: its dataset file is gone, so the challenges it was "
            "trained on cannot be checked against the suite; rebuild the dataset"
        )
    found = set()
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                found.add(json.loads(line).get("challenge_id", ""))
    return found - {""}


def _refuse_trained_challenges(run: TrainingRun, suite: Suite) -> None:
    """An adapter is not evaluated on challenges it was trained on: the scores would measure
    memory, not transfer. AdapterError names them."""
    overlap = sorted(
        set(suite.challenges.values_list("public_id", flat=True)) & trained_challenge_ids(run)
    )
    if overlap:
        shown = ", ".join(overlap[:5]) + (
            f" and {len(overlap) - 5} more" if len(overlap) > 5 else ""
        )
        raise AdapterError(
            f"suite {suite.name!r}: {len(overlap)} of its challenges were trained on by "
            f"{run.name!r} ({shown}); evaluate on a held-out suite"
        )


def comparison_url(baseline: EvalRun, adapted: EvalRun) -> str:
    """The evaluation app's page comparing two runs (baseline as ``a``, adapter as ``b``)."""
    return f"{reverse('evaluation:eval-compare')}?a={baseline.pk}&b={adapted.pk}"
