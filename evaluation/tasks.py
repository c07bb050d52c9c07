"""Thin Celery tasks: take an id, call one service. Queues are chosen when a run is sent
(``ModelSpec.queue``: ``gpu`` for local models)."""

from celery import shared_task

from evaluation import services


@shared_task
def eval_run_task(run_id: int) -> None:
    services.eval_run_execute(run_id=run_id)
