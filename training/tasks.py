"""Thin Celery tasks: take an id, call one service. Datasets build on ``default``; training
runs on ``gpu`` (the queue is also named when a run is sent)."""

from celery import shared_task

from training import services


@shared_task(queue="default")
def dataset_build_task(dataset_id: int) -> None:
    services.dataset_build(dataset_id=dataset_id)


@shared_task(queue="gpu")
def training_run_task(run_id: int) -> None:
    services.training_run_execute(run_id=run_id)
