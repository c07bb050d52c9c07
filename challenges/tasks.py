"""Thin Celery tasks: take an id, call one service."""

from celery import shared_task

from challenges import services
from challenges.models import Suite


@shared_task(queue="default")
def benchmark_import_task(import_id: int) -> None:
    services.benchmark_import_run(import_id=import_id)


@shared_task(queue="default")
def generation_task(job_id: int) -> None:
    services.generation_run(job_id=job_id)


@shared_task(queue="default")
def validity_task(suite_id: int) -> None:
    suite = Suite.objects.filter(pk=suite_id).first()
    if suite is None:  # deleted since the report was requested: nothing to report on
        return
    services.suite_validity_compute(suite=suite)


@shared_task(queue="default")
def paper_process_task(paper_id: int) -> None:
    services.paper_process(paper_id=paper_id)
