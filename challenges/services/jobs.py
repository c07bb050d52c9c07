"""The life cycle every suite-writing background job shares (imports, generations).

A job row is delivered to a worker, possibly more than once (``acks_late``: a killed worker's
task comes back). ``job_deliver`` counts deliveries and gives up after
``DACR_TASK_MAX_DELIVERIES``; ``job_progress`` writes progress at most twice a second;
``job_finish`` records the outcome with a one-line error.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.utils import timezone

from challenges.models import SuiteJob

logger = logging.getLogger(__name__)


def job_deliver(job: SuiteJob, *, running_status: str, what: str) -> bool:
    """Start (or restart) ``job``; False, with the job marked failed, when it has been
    delivered too often — its work kept killing the worker."""
    job.deliveries += 1
    if job.deliveries > settings.DACR_TASK_MAX_DELIVERIES:
        attempts = job.deliveries - 1
        job_finish(
            job, error=f"stopped after {attempts} attempts: the {what} kept killing its worker"
        )
        return False
    job.status = running_status
    job.started_at = job.started_at or timezone.now()
    job.progress_done = 0
    job.save(update_fields=["deliveries", "status", "started_at", "progress_done"])
    return True


def job_progress(job: SuiteJob, *, done_status: str | None = None) -> Callable[[int, int], None]:
    """A ``progress(done, total)`` callback that writes to the job's row, at most twice a
    second (and always at the end, moving it to ``done_status`` when given)."""
    last_write = [0.0]
    rows = type(job).objects.filter(pk=job.pk)

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if done == total or now - last_write[0] > 0.5:
            last_write[0] = now
            fields = {"progress_done": done, "progress_total": total}
            if done == total and done_status:
                fields["status"] = done_status
            rows.update(**fields)

    return progress


def job_finish(job: SuiteJob, *, error: str = "") -> SuiteJob:
    job.status = "failed" if error else "succeeded"
    job.error = error.splitlines()[0][:2000] if error else ""
    job.finished_at = timezone.now()
    job.save()
    if error:
        logger.warning("%s %s failed: %s", type(job).__name__, job.pk, job.error)
    return job
