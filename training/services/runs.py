"""Training runs: QLoRA (or, where 4-bit cannot run, plain LoRA) on a ready dataset, on the
``gpu`` queue.

Life cycle (the task ``training.tasks.training_run_task`` calls :func:`training_run_execute`):
queued → running → succeeded | failed | cancelled. The plan that will run (and why, e.g.
"No GPU: …") is written on the run before training starts, so the page says it at once.
Every logged step becomes a ``TrainingLog`` row; checkpoints go to
``MEDIA_ROOT/training/<run id>/checkpoint-N``. A redelivered task (a killed worker,
``acks_late``) resumes from the last complete checkpoint and rewrites the steps it repeats
in place, so the curve never holds a step twice; a task that keeps killing its worker is
stopped after ``DACR_TASK_MAX_DELIVERIES`` deliveries. A cancelled run stops at the end of
its current step and keeps a checkpoint. A finished adapter is registered as a ModelSpec.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import transaction

from evaluation.models import RunStatus
from evaluation.provenance import provenance
from evaluation.services.run_jobs import (
    CancelWatch,
    run_cancel,
    run_deliver,
    run_finish,
    run_name,
)
from training.models import DatasetStatus, TrainingDataset, TrainingLog, TrainingRun
from training.qlora import (
    LogRecord,
    QLoRAConfig,
    QLoRAConfigError,
    TrainingCallbacks,
    TrainingPlan,
    detect_plan,
    train,
)
from training.services.adapters import register_adapter

logger = logging.getLogger(__name__)

LOG_FLUSH_SECONDS = 1.0
_LOG_FIELDS = ["epoch", "loss", "learning_rate", "tokens_per_s", "gpu_memory_mb", "eta_s"]


class TrainingRunError(ValueError):
    """A run that cannot be created or changed; one line naming the reason."""


# --- creating and cancelling ----------------------------------------------------------------


def training_config_from(config: object) -> QLoRAConfig:
    """A config from user input; one-line TrainingRunError. A base model given as a path
    must be a directory (a hub id is left for the trainer to fetch)."""
    try:
        parsed = QLoRAConfig.from_dict(config)  # type: ignore[arg-type]
    except (QLoRAConfigError, TypeError) as error:
        raise TrainingRunError(str(error).splitlines()[0]) from None
    base = parsed.base_model.strip()
    if base.startswith(("/", ".", "~")) and not Path(base).expanduser().is_dir():
        raise TrainingRunError(f"base_model: no such directory: {base[:120]}")
    return parsed


def training_run_create(
    *, dataset: TrainingDataset, config: dict, name: str = "", user=None, enqueue: bool = True
) -> TrainingRun:
    """A queued run of ``config`` on ``dataset``, sent to the ``gpu`` queue once the
    transaction commits (``enqueue=False`` leaves it to the caller: the ``train`` command
    runs it in-process). The dataset must be ready; a bad config or name raises
    TrainingRunError with one line and writes nothing."""
    if dataset.status != DatasetStatus.READY:
        raise TrainingRunError(
            f"dataset: {dataset.name!r} is {dataset.status}, not ready: nothing to train on"
        )
    parsed = training_config_from(config)
    with transaction.atomic():
        run = TrainingRun.objects.create(
            name=run_name(TrainingRun, name, default=f"{dataset.name} run", error=TrainingRunError),
            dataset=dataset,
            config=parsed.as_record(),
            max_steps=max(parsed.max_steps, 0),
            created_by=user if getattr(user, "pk", None) else None,
        )
        run.output_dir = str(Path(settings.MEDIA_ROOT) / "training" / str(run.pk))
        run.save(update_fields=["output_dir"])
        if enqueue:
            from training.tasks import training_run_task

            pk = run.pk
            transaction.on_commit(lambda: training_run_task.apply_async((pk,), queue="gpu"))
    return run


def training_run_cancel(*, run: TrainingRun) -> TrainingRun:
    """Ask a run to stop: a queued run is cancelled at once, a running one at the end of its
    current step (with a checkpoint). A finished run is left as it is."""
    return run_cancel(run)


# --- executing ------------------------------------------------------------------------------


def _finite(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


class _LogWriter:
    """Buffers the trainer's log records and writes them in bulk at most once a second (and
    at each checkpoint and at the end), with the run's step and progress. A step written
    before (a resumed run repeats the steps after its checkpoint) is rewritten in place."""

    def __init__(self, run: TrainingRun, on_log: Callable[[LogRecord], None] | None) -> None:
        self.run, self.on_log = run, on_log
        self.pending: dict[int, LogRecord] = {}
        self.flushed_at = time.monotonic()
        self.last: LogRecord | None = None

    def __call__(self, record: LogRecord) -> None:
        self.pending[record.step] = record
        self.last = record
        if time.monotonic() - self.flushed_at >= LOG_FLUSH_SECONDS:
            self.flush()
        if self.on_log is not None:
            self.on_log(record)

    def flush(self) -> None:
        self.flushed_at = time.monotonic()
        if not self.pending:
            return
        rows = [
            TrainingLog(
                run_id=self.run.pk,
                step=record.step,
                epoch=_finite(record.epoch),
                loss=_finite(record.loss),
                learning_rate=_finite(record.learning_rate),
                tokens_per_s=_finite(record.tokens_per_s),
                gpu_memory_mb=_finite(record.gpu_memory_mb),
                eta_s=_finite(record.eta_s),
            )
            for record in self.pending.values()
        ]
        last = max(self.pending.values(), key=lambda record: record.step)
        with transaction.atomic():
            TrainingLog.objects.bulk_create(
                rows,
                update_conflicts=True,
                unique_fields=["run", "step"],
                update_fields=_LOG_FIELDS,
            )
            TrainingRun.objects.filter(pk=self.run.pk).update(
                step=last.step,
                max_steps=last.max_steps,
                progress_done=last.step,
                progress_total=last.max_steps,
                final_loss=_finite(last.loss),
            )
        self.pending.clear()


def _write_plan(run: TrainingRun, config: QLoRAConfig, plan: TrainingPlan) -> None:
    dataset = run.dataset
    run.plan = plan.name
    run.plan_notes = list(plan.notes)
    run.record = {
        **(run.record or {}),
        "config": config.as_record(),
        "plan": plan.as_record(),
        "dataset": {
            "id": dataset.pk,
            "name": dataset.name,
            "content_hash": dataset.content_hash,
            "examples": dataset.examples,
            "prompt_version": dataset.prompt_version,
        },
        **provenance(),
    }
    run.save(update_fields=["plan", "plan_notes", "record"])


def training_run_execute(
    *,
    run_id: int,
    on_log: Callable[[LogRecord], None] | None = None,
    on_plan: Callable[[TrainingPlan], None] | None = None,
) -> TrainingRun | None:
    """Run (or resume) training run ``run_id`` to its end; the task's service. Never raises
    for a training failure (a broken checkpoint, running out of memory): the run is marked
    failed with a one-line reason. A ``BaseException`` (a killed worker) leaves it running
    for the redelivered task to resume."""
    run = TrainingRun.objects.select_related("dataset").filter(pk=run_id).first()
    if run is None or run.is_finished:
        return run
    if run.cancel_requested:
        return run_finish(run, RunStatus.CANCELLED)
    if not run_deliver(run):
        return run
    try:
        config = training_config_from(run.config)
        plan = detect_plan(config)
    except TrainingRunError as error:
        return run_finish(run, RunStatus.FAILED, str(error))
    except Exception as error:  # torch missing or broken: say so on the run
        return run_finish(run, RunStatus.FAILED, f"{type(error).__name__}: {error}")
    _write_plan(run, config, plan)
    if on_plan is not None:
        on_plan(plan)
    writer = _LogWriter(run, on_log)
    watch = CancelWatch(run)

    def on_checkpoint(step: int, path: Path) -> None:
        writer.flush()
        TrainingRun.objects.filter(pk=run.pk).update(last_checkpoint=str(path))

    callbacks = TrainingCallbacks(on_log=writer, on_checkpoint=on_checkpoint, should_stop=watch)
    output_dir = Path(run.output_dir or Path(settings.MEDIA_ROOT) / "training" / str(run.pk))
    try:
        result = train(config, run.dataset.path, output_dir, callbacks, resume=True, plan=plan)
    except Exception as error:
        logger.exception("training run %s failed", run.pk)
        writer.flush()
        run.refresh_from_db()
        return run_finish(run, RunStatus.FAILED, f"{type(error).__name__}: {error}")
    writer.flush()
    run.refresh_from_db()
    # The last step is logged only when it falls on a logging step: set both counters.
    run.step = run.progress_done = result.steps
    run.final_loss = _finite(result.final_loss)
    run.tokens_seen = result.tokens_seen
    run.record = {
        **(run.record or {}),
        "result": {
            "steps": result.steps,
            "train_runtime_s": result.train_runtime_s,
            "tokens_seen": result.tokens_seen,
            "examples": result.examples,
            "dropped_overlong": result.dropped_overlong,
            "resumed_from": str(result.resumed_from) if result.resumed_from else "",
        },
    }
    run.save(update_fields=["step", "progress_done", "final_loss", "tokens_seen", "record"])
    if result.cancelled:
        return run_finish(run, RunStatus.CANCELLED)
    run.adapter_path = str(result.adapter_path)
    run.save(update_fields=["adapter_path"])
    register_adapter(run=run, config=config)
    return run_finish(run, RunStatus.SUCCEEDED)
