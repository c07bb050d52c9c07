"""The fine-tuning loop through a real ``celery worker`` (default and gpu queues) against the
configured broker and PostgreSQL: build a dataset from graded lexical traces, train the tiny
model for a few steps, read its loss curve, and evaluate the adapter against its base model.

Skipped without ``CELERY_BROKER_URL`` or on SQLite; CI sets both.
"""

from __future__ import annotations

import time

import pytest
from django.urls import reverse

from evaluation.models import EvalRun
from tests.training.support import EVAL_IDS, QUESTION_RULE, TRAIN_IDS, graded_suite, tiny_config
from training.models import TrainingDataset, TrainingLog, TrainingRun
from training.services import dataset_create, evaluate_against_baseline, training_run_create

pytestmark = [
    pytest.mark.worker,
    # Restore the role groups (made by a migration) after the flush, for later tests.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _wait(model, pk: int, done, timeout: float = 240):
    deadline = time.monotonic() + timeout
    while True:
        row = model.objects.get(pk=pk)
        if done(row):
            return row
        assert time.monotonic() < deadline, f"{model.__name__} {pk} still {row.status}"
        time.sleep(0.3)


def test_a_real_worker_builds_trains_and_evaluates_an_adapter(
    worker, tiny_model_dir, admin_client_
):
    graded_suite("train-suite", TRAIN_IDS, domain="chemistry")
    eval_suite = graded_suite("eval-suite", EVAL_IDS, domain="physics")

    dataset = dataset_create(
        name="worker-set",
        spec={**QUESTION_RULE, "eval_suites": ["eval-suite"]},
        tokenizer_path=str(tiny_model_dir),
    )
    dataset = _wait(TrainingDataset, dataset.pk, lambda d: d.status != "building")
    assert dataset.status == "ready", dataset.error
    assert (dataset.examples, dataset.deliveries) == (3, 1)

    run = training_run_create(dataset=dataset, config=tiny_config(tiny_model_dir, max_steps=5))
    run = _wait(TrainingRun, run.pk, lambda r: r.is_finished)
    assert run.status == "succeeded", run.error
    assert (run.step, run.deliveries) == (5, 1)
    assert any(note.startswith("No GPU") for note in run.plan_notes)
    steps = list(TrainingLog.objects.filter(run=run).values_list("step", flat=True))
    assert steps == [1, 2, 3, 4, 5]
    assert run.model_spec is not None

    curve = admin_client_.get(reverse("training:run-log", args=[run.pk])).json()
    assert [row["step"] for row in curve["log"]] == [1, 2, 3, 4, 5]
    page = admin_client_.get(reverse("training:run-detail", args=[run.pk])).content.decode()
    assert "No GPU" in page
    assert run.model_spec.name in page

    baseline, adapted = evaluate_against_baseline(run=run, suite=eval_suite)
    for evaluation in (baseline, adapted):
        finished = _wait(EvalRun, evaluation.pk, lambda e: e.is_finished)
        assert finished.status == "succeeded", finished.error
        assert finished.progress_done == 2
