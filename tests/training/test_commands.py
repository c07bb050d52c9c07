"""The ``build_dataset`` and ``train`` commands: refusals as one-line CommandErrors (leakage
naming the overlap), then a dataset and a short run in-process with their summaries."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.training.support import ready_dataset
from training.models import TrainingDataset, TrainingRun

pytestmark = pytest.mark.django_db


def _run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_build_dataset_refuses_leakage_naming_the_overlap(train_suite):
    with pytest.raises(CommandError) as error:
        _run(
            "build_dataset",
            "--name",
            "leaky",
            "--solver",
            "lexical",
            "--suite",
            "train-suite",
            "--eval-suite",
            "train-suite",
            "--rule",
            "question_correct",
        )
    message = str(error.value)
    assert "3 challenges of evaluation suite 'train-suite' would be trained on" in message
    assert "dacr-train-0001" in message
    assert not (Path(settings.MEDIA_ROOT) / "datasets").exists() or not list(
        (Path(settings.MEDIA_ROOT) / "datasets").iterdir()
    )


def test_build_dataset_refuses_an_unknown_solver(train_suite):
    with pytest.raises(CommandError, match="solvers: no solver called 'gpt-9'"):
        _run("build_dataset", "--name", "d", "--solver", "gpt-9")
    assert not TrainingDataset.objects.exists()


def test_build_dataset_prints_stats_tokens_path_and_hash(train_suite, eval_suite, tiny_model_dir):
    output = _run(
        "build_dataset",
        "--name",
        "chem",
        "--solver",
        "lexical",
        "--holdout-domain",
        "physics",
        "--eval-suite",
        "eval-suite",
        "--rule",
        "question_correct",
        "--tokenizer",
        str(tiny_model_dir),
    )
    dataset = TrainingDataset.objects.get(name="chem")
    assert dataset.status == "ready"
    assert f"dataset {dataset.pk}: chem: 3 examples" in output
    assert "2 held out" in output
    assert "by domain: chemistry 3" in output
    assert "tokens: min " in output
    assert f"path: {dataset.path}" in output
    assert f"content hash: {dataset.content_hash}" in output


def test_train_refuses_a_bad_setting_and_an_unready_dataset(tmp_path):
    dataset = ready_dataset()
    with pytest.raises(CommandError, match="lora_r must be ≥ 1"):
        _run("train", "--dataset", str(dataset.pk), "--set", "base_model=m", "--set", "lora_r=0")
    config = tmp_path / "config.json"
    config.write_text("[1, 2]")
    with pytest.raises(CommandError, match="one JSON object"):
        _run("train", "--dataset", str(dataset.pk), "--config", str(config))
    building = ready_dataset(name="building", status="building")
    with pytest.raises(CommandError, match="not ready"):
        _run("train", "--dataset", str(building.pk), "--set", "base_model=m")
    with pytest.raises(CommandError, match="no training dataset 999"):
        _run("train", "--dataset", "999", "--set", "base_model=m")
    assert not TrainingRun.objects.exists()


def test_train_runs_in_process_and_prints_the_plan_loss_adapter_and_spec(
    train_suite, tiny_model_dir, tmp_path
):
    _run("build_dataset", "--name", "chem", "--solver", "lexical", "--rule", "question_correct")
    dataset = TrainingDataset.objects.get(name="chem")
    config = tmp_path / "config.json"
    config.write_text(
        json.dumps(
            {
                "base_model": str(tiny_model_dir),
                "lora_r": 8,
                "lora_alpha": 16,
                "gradient_accumulation": 1,
                "max_steps": 10,
            }
        )
    )
    output = _run(
        "train",
        "--dataset",
        str(dataset.pk),
        "--config",
        str(config),
        "--set",
        "max_steps=3",
        "--name",
        "cli-run",
    )
    run = TrainingRun.objects.get(name="cli-run")
    assert run.status == "succeeded", run.error
    assert run.config["max_steps"] == 3
    assert f"plan: {run.plan}" in output
    assert "No GPU" in output
    assert f"3 steps, final loss {run.final_loss:.4f}" in output
    assert f"adapter: {run.adapter_path}" in output
    assert "model spec: cli-run adapter" in output
