"""The life cycle every long run shares (evaluation and training runs, ``RunJob`` rows):
cancel, deliver (counting deliveries: a killed worker's task comes back, ``acks_late``) and
finish with a one-line error. The kind-specific work lives in each run's service."""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from evaluation.models import RunJob, RunStatus

logger = logging.getLogger(__name__)

ERROR_MAX = 2000
RUN_NAME_MAX = 128


def run_name(model: type[RunJob], name: str, *, default: str, error: type[ValueError]) -> str:
    """The name of a new ``model`` run: ``name`` when given (printable, at most
    ``RUN_NAME_MAX`` characters, not taken — else ``error`` with one line), otherwise
    ``default``, numbered "#2", "#3"… past the names already taken."""
    name = (name or "").strip()
    if name:
        if len(name) > RUN_NAME_MAX or any(ord(c) < 32 for c in name):
            raise error(f"name: at most {RUN_NAME_MAX} printable characters")
        if model.objects.filter(name=name).exists():
            raise error(f"name: a run called {name!r} already exists")
        return name
    base = default[: RUN_NAME_MAX - 7]
    taken = set(model.objects.filter(name__startswith=base).values_list("name", flat=True))
    if base not in taken:
        return base
    return next(f"{base} #{n}" for n in range(2, 100_000) if f"{base} #{n}" not in taken)


def run_cancel(run: RunJob) -> RunJob:
    """Ask a run to stop: a queued run is cancelled at once, a running one stops at its next
    check (keeping what it did). A finished run is left as it is."""
    model = type(run)
    with transaction.atomic():
        run = model.objects.select_for_update().get(pk=run.pk)
        if run.is_finished:
            return run
        run.cancel_requested = True
        fields = ["cancel_requested"]
        if run.status == RunStatus.QUEUED:
            run.status, run.finished_at = RunStatus.CANCELLED, timezone.now()
            fields += ["status", "finished_at"]
        run.save(update_fields=fields)
    return run


def run_deliver(run: RunJob) -> bool:
    """Count one more delivery and mark the run running; False (and the run failed) when it
    has been delivered more than ``DACR_TASK_MAX_DELIVERIES`` times — its work kept killing
    the worker."""
    run.deliveries += 1
    if run.deliveries > settings.DACR_TASK_MAX_DELIVERIES:
        run_finish(
            run,
            RunStatus.FAILED,
            f"stopped after {run.deliveries - 1} attempts: the run kept killing its worker",
        )
        return False
    run.status = RunStatus.RUNNING
    run.started_at = run.started_at or timezone.now()
    run.save(update_fields=["deliveries", "status", "started_at"])
    return True


def run_finish(run: RunJob, status: str, error: str = "") -> RunJob:
    """Record the outcome; ``error`` is kept as one line."""
    run.status = status
    run.error = " ".join(error.split())[:ERROR_MAX] if error else ""
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "error", "finished_at"])
    if error:
        logger.warning("%s %s %s: %s", type(run).__name__, run.pk, status, run.error)
    return run


CANCEL_CHECK_SECONDS = 1.0


class CancelWatch:
    """``should_stop`` for a runner or a trainer: reads the run's cancel flag at most once
    every ``CANCEL_CHECK_SECONDS``, then remembers a cancel."""

    def __init__(self, run: RunJob) -> None:
        self.rows = type(run).objects.filter(pk=run.pk)
        self.checked = float("-inf")
        self.cancelled = False

    def __call__(self) -> bool:
        now = time.monotonic()
        if not self.cancelled and now - self.checked >= CANCEL_CHECK_SECONDS:
            self.checked = now
            self.cancelled = bool(self.rows.values_list("cancel_requested", flat=True).first())
        return self.cancelled
