"""Training runs on the database with the tiny model: refusals first (bad configs, a dataset
that is not ready), then a run end to end through the services (plan notes, log rows, the
adapter registered as a model spec and evaluated against its base model), resuming after a
killed worker without duplicate log rows, and cancelling."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

import evaluation.services.run_jobs as run_jobs
from evaluation.models import EvalRun, ModelSpec, RunStatus
from tests.training.support import QUESTION_RULE, ready_dataset, tiny_config
from traces.models import Trace
from training.models import TrainingLog, TrainingRun
from training.qlora import latest_checkpoint
from training.services import (
    AdapterError,
    TrainingRunError,
    comparison_url,
    evaluate_against_baseline,
    training_run_cancel,
    training_run_create,
    training_run_execute,
)
from training.services import runs as run_services

pytestmark = pytest.mark.django_db


class _Killed(BaseException):
    """Stands for a worker killed mid-run: not an Exception, so nothing catches it."""


@pytest.fixture
def dataset(train_suite, build_now, tiny_model_dir):
    built = build_now(name="chem", spec=QUESTION_RULE, tokenizer_path=str(tiny_model_dir))
    assert built.status == "ready", built.error
    return built


# --- hostile input first --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({}, "base_model is required"),
        ({"base_model": ""}, "base_model must be a checkpoint directory or hub id"),
        ({"base_model": "/no/such/model"}, "base_model: no such directory"),
        ({"base_model": "m", "lora_r": 0}, "lora_r must be ≥ 1"),
        ({"base_model": "m", "learning_rate": -1}, "learning_rate must be in"),
        ({"base_model": "m", "lr_scheduler": "zigzag"}, "lr_scheduler must be one of"),
        ({"base_model": "m", "load_in_4bit": "yes"}, "load_in_4bit must be true or false"),
        ({"base_model": "m", "max_steps": 0}, "max_steps must be ≥ 1 or -1"),
        ({"base_model": "m", "warp_drive": True}, "unknown training setting"),
        ({"base_model": "m", "target_modules": ["q_proj;rm"]}, "invalid module name"),
        ("base_model=m", "must be an object"),
    ],
)
def test_a_bad_config_is_refused_in_one_line_and_nothing_is_written(config, message):
    dataset = ready_dataset()
    with pytest.raises(TrainingRunError, match=message) as error:
        training_run_create(dataset=dataset, config=config)
    assert "\n" not in str(error.value)
    assert not TrainingRun.objects.exists()


@pytest.mark.parametrize("status", ["building", "failed"])
def test_a_dataset_that_is_not_ready_cannot_be_trained_on(status):
    dataset = ready_dataset(status=status)
    with pytest.raises(TrainingRunError, match=f"is {status}, not ready"):
        training_run_create(dataset=dataset, config={"base_model": "m"})
    assert not TrainingRun.objects.exists()


def test_a_taken_run_name_is_refused():
    dataset = ready_dataset()
    training_run_create(dataset=dataset, config={"base_model": "m"}, name="r", enqueue=False)
    with pytest.raises(TrainingRunError, match="already exists"):
        training_run_create(dataset=dataset, config={"base_model": "m"}, name="r")
    assert TrainingRun.objects.count() == 1


@pytest.mark.parametrize(("name", "message"), [("x" * 129, "at most 128"), ("a\tb", "printable")])
def test_a_long_or_unprintable_run_name_is_refused(name, message):
    with pytest.raises(TrainingRunError, match=message):
        training_run_create(dataset=ready_dataset(), config={"base_model": "m"}, name=name)
    assert not TrainingRun.objects.exists()


def test_unnamed_runs_are_named_after_their_dataset_and_numbered():
    dataset = ready_dataset()
    names = [
        training_run_create(dataset=dataset, config={"base_model": "m"}, enqueue=False).name
        for _ in range(3)
    ]
    base = f"{dataset.name} run"
    assert names == [base, f"{base} #2", f"{base} #3"]


def test_an_unregistered_run_cannot_be_evaluated(eval_suite):
    run = training_run_create(dataset=ready_dataset(), config={"base_model": "m"}, enqueue=False)
    with pytest.raises(AdapterError, match="no registered adapter"):
        evaluate_against_baseline(run=run, suite=eval_suite)
    assert not EvalRun.objects.exists()


def test_a_run_whose_dataset_files_are_gone_fails_in_one_line(tiny_model_dir, train_now):
    run = train_now(dataset=ready_dataset(path="/gone"), config=tiny_config(tiny_model_dir))
    assert run.status == RunStatus.FAILED
    assert run.error == "FileNotFoundError: Directory /gone not found"
    assert run.plan  # the plan was written before training began


# --- training -------------------------------------------------------------------------------


def test_a_run_trains_logs_registers_its_adapter_and_evaluates_against_the_base(
    dataset, eval_suite, train_suite, tiny_model_dir, train_now, django_capture_on_commit_callbacks
):
    run = train_now(dataset=dataset, config=tiny_config(tiny_model_dir), name="chem-qlora")
    assert run.status == RunStatus.SUCCEEDED, run.error
    assert run.plan in ("qlora-nf4-cpu", "lora-fp32")
    assert any(note.startswith("No GPU") for note in run.plan_notes)
    assert (run.step, run.max_steps, run.deliveries) == (4, 4, 1)
    assert (run.progress_done, run.progress_total) == (4, 4)
    assert run.tokens_seen > 0
    assert run.final_loss is not None
    logs = list(TrainingLog.objects.filter(run=run).order_by("step"))
    assert [log.step for log in logs] == [1, 2, 3, 4]
    assert all(log.loss > 0 and log.learning_rate is not None for log in logs)
    assert logs[-1].loss == pytest.approx(run.final_loss)
    assert Path(run.output_dir) == Path(settings.MEDIA_ROOT) / "training" / str(run.pk)
    assert run.last_checkpoint.endswith("checkpoint-4")
    assert (Path(run.adapter_path) / "adapter_config.json").is_file()
    assert run.record["config"]["lora_r"] == 8
    assert run.record["dataset"]["content_hash"] == dataset.content_hash

    spec = run.model_spec
    assert spec.name == "chem-qlora adapter"
    assert (spec.runner, spec.settings["adapter_path"]) == ("transformers", run.adapter_path)
    assert spec.settings["model_path"] == str(Path(tiny_model_dir).resolve())

    with django_capture_on_commit_callbacks(execute=True):
        baseline, adapted = evaluate_against_baseline(run=run, suite=eval_suite)
    baseline.refresh_from_db()
    adapted.refresh_from_db()
    assert (baseline.status, adapted.status) == ("succeeded", "succeeded"), (
        baseline.error,
        adapted.error,
    )
    assert baseline.model_spec.settings == {**spec.settings, "adapter_path": ""}
    assert adapted.model_spec == spec
    assert Trace.objects.filter(eval_run=adapted).count() == 2
    url = comparison_url(baseline, adapted)
    assert url == f"/evals/compare/?a={baseline.pk}&b={adapted.pk}"

    # A second comparison reuses the base model's spec instead of making another.
    again = evaluate_against_baseline(run=run, suite=eval_suite)
    assert again[0].model_spec == baseline.model_spec
    assert ModelSpec.objects.filter(runner="transformers").count() == 2

    # The suite it trained on is refused, naming the challenges; no run is made.
    before = EvalRun.objects.count()
    with pytest.raises(AdapterError, match="were trained on by 'chem-qlora'") as refused:
        evaluate_against_baseline(run=run, suite=train_suite)
    assert "dacr-train-0001" in str(refused.value)
    assert EvalRun.objects.count() == before
    # With the dataset file gone, what it taught cannot be checked: refused as well.
    (Path(dataset.path) / "train.jsonl").unlink()
    with pytest.raises(AdapterError, match="dataset file is gone"):
        evaluate_against_baseline(run=run, suite=eval_suite)
    assert EvalRun.objects.count() == before


def test_a_killed_run_resumes_from_its_checkpoint_without_duplicate_log_rows(
    dataset, tiny_model_dir, monkeypatch
):
    monkeypatch.setattr(run_services, "LOG_FLUSH_SECONDS", 0.0)
    run = training_run_create(
        dataset=dataset, config=tiny_config(tiny_model_dir, max_steps=5), enqueue=False
    )

    def kill_at_step_3(record) -> None:
        if record.step == 3:
            raise _Killed

    with pytest.raises(_Killed):
        training_run_execute(run_id=run.pk, on_log=kill_at_step_3)
    run.refresh_from_db()
    assert (run.status, run.step) == ("running", 3)
    assert run.last_checkpoint.endswith("checkpoint-2")
    first_loss_3 = TrainingLog.objects.get(run=run, step=3).loss

    run = training_run_execute(run_id=run.pk)  # the redelivered task
    assert run.status == RunStatus.SUCCEEDED, run.error
    assert run.deliveries == 2
    assert run.record["result"]["resumed_from"].endswith("checkpoint-2")
    steps = list(TrainingLog.objects.filter(run=run).values_list("step", flat=True))
    assert sorted(steps) == [1, 2, 3, 4, 5]
    assert TrainingLog.objects.get(run=run, step=3).loss == pytest.approx(first_loss_3, rel=1e-3)
    assert run.model_spec is not None


def test_a_run_that_keeps_killing_its_worker_is_stopped(dataset, tiny_model_dir):
    run = training_run_create(dataset=dataset, config=tiny_config(tiny_model_dir), enqueue=False)
    TrainingRun.objects.filter(pk=run.pk).update(deliveries=settings.DACR_TASK_MAX_DELIVERIES)
    run = training_run_execute(run_id=run.pk)
    assert run.status == RunStatus.FAILED
    assert "kept killing its worker" in run.error


def test_a_running_run_is_cancelled_at_its_next_step_and_keeps_a_checkpoint(
    dataset, tiny_model_dir, monkeypatch
):
    monkeypatch.setattr(run_jobs, "CANCEL_CHECK_SECONDS", 0.0)
    run = training_run_create(
        dataset=dataset, config=tiny_config(tiny_model_dir, max_steps=6), enqueue=False
    )

    def cancel_at_step_2(record) -> None:
        if record.step == 2:
            training_run_cancel(run=run)

    run = training_run_execute(run_id=run.pk, on_log=cancel_at_step_2)
    assert run.status == RunStatus.CANCELLED
    assert run.step < 6
    assert run.adapter_path == ""
    assert run.model_spec is None
    assert latest_checkpoint(run.output_dir) is not None
    assert run.last_checkpoint == str(latest_checkpoint(run.output_dir))
    # Cancelling again, or executing the task again, changes nothing.
    assert training_run_cancel(run=run).status == RunStatus.CANCELLED
    assert training_run_execute(run_id=run.pk).status == RunStatus.CANCELLED


def test_a_queued_run_is_cancelled_at_once_and_its_task_does_nothing():
    run = training_run_create(dataset=ready_dataset(), config={"base_model": "m"}, enqueue=False)
    run = training_run_cancel(run=run)
    assert (run.status, run.cancel_requested) == ("cancelled", True)
    assert run.finished_at is not None
    run = training_run_execute(run_id=run.pk)
    assert (run.status, run.deliveries, run.plan) == ("cancelled", 0, "")
