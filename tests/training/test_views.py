"""The training pages for each role: viewers read everything and find no write button, and
every write they (or annotators) send is refused with 403 and changes nothing; admins build
datasets, launch, cancel and evaluate runs through CSRF-protected forms."""

from __future__ import annotations

import json
import re
from dataclasses import fields

import pytest
from django.test import Client
from django.urls import reverse

from evaluation.models import EvalRun, ModelSpec
from tests.training.support import CPU_NOTE, QUESTION_RULE, finished_run, ready_dataset
from training.models import TrainingDataset, TrainingRun
from training.qlora import QLoRAConfig

pytestmark = pytest.mark.django_db


@pytest.fixture
def dataset():
    return ready_dataset(tokenizer="/models/tiny")


@pytest.fixture
def run(dataset):
    return finished_run(dataset)


@pytest.fixture
def queued_run(dataset):
    return TrainingRun.objects.create(
        name="queued-run", dataset=dataset, config={"base_model": "/models/tiny"}
    )


@pytest.fixture
def adapter_run(dataset, tiny_model_dir, tmp_path):
    # Its dataset's file says what it was trained on (checked before any evaluation).
    files = tmp_path / "dataset"
    files.mkdir()
    (files / "train.jsonl").write_text(json.dumps({"challenge_id": "dacr-train-0001"}) + "\n")
    dataset.path = str(files)
    dataset.save(update_fields=["path"])
    adapter = tmp_path / "adapter"
    adapter.mkdir()
    (adapter / "adapter_config.json").write_text("{}")
    spec = ModelSpec.objects.create(
        name="finished-run adapter",
        runner="transformers",
        settings={"model_path": str(tiny_model_dir), "adapter_path": str(adapter)},
    )
    return finished_run(dataset, name="adapted", model_spec=spec, adapter_path=str(adapter))


def _pages(dataset, run) -> list[str]:
    return [
        reverse("training:run-list"),
        reverse("training:dataset-list"),
        reverse("training:dataset-detail", args=[dataset.pk]),
        reverse("training:run-detail", args=[run.pk]),
        reverse("training:run-log", args=[run.pk]),
    ]


# --- roles ------------------------------------------------------------------------------------


def test_a_user_without_a_role_sees_no_training_page(client, outsider, dataset, run):
    client.force_login(outsider)
    for url in _pages(dataset, run):
        assert client.get(url).status_code == 403, url


def test_a_viewer_reads_every_page_and_finds_no_write_button(viewer_client, dataset, run):
    for url in _pages(dataset, run):
        assert viewer_client.get(url).status_code == 200, url
    listing = viewer_client.get(reverse("training:dataset-list")).content.decode()
    assert "Build dataset" not in listing
    assert '<form method="post" class' not in listing
    detail = viewer_client.get(reverse("training:dataset-detail", args=[dataset.pk]))
    assert "Start training" not in detail.content.decode()
    page = viewer_client.get(reverse("training:run-detail", args=[run.pk])).content.decode()
    assert "Cancel run" not in page
    assert "Evaluate against baseline" not in page
    assert CPU_NOTE in page


@pytest.mark.parametrize("persona", ["viewer_client", "annotator_client"])
def test_every_write_by_a_non_admin_is_refused_and_changes_nothing(
    request, persona, dataset, queued_run, adapter_run, eval_suite
):
    client = request.getfixturevalue(persona)
    writes = [
        (reverse("training:dataset-list"), {"name": "x", "verdict_rule": "all_correct"}),
        (reverse("training:dataset-train", args=[dataset.pk]), {"base_model": "/models/tiny"}),
        (reverse("training:run-cancel", args=[queued_run.pk]), {}),
        (reverse("training:run-evaluate", args=[adapter_run.pk]), {"suite": eval_suite.pk}),
    ]
    for url, data in writes:
        assert client.post(url, data).status_code == 403, url
    assert TrainingDataset.objects.count() == 1
    assert TrainingRun.objects.count() == 2
    queued_run.refresh_from_db()
    assert (queued_run.status, queued_run.cancel_requested) == ("queued", False)
    assert not EvalRun.objects.exists()


# --- datasets --------------------------------------------------------------------------------


def test_an_admin_builds_a_dataset_from_the_form(
    admin_client_, train_suite, eval_suite, django_capture_on_commit_callbacks
):
    page = admin_client_.get(reverse("training:dataset-list")).content.decode()
    assert 'value="lexical"' in page  # the solvers select lists existing solvers
    assert 'value="eval-suite"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client_.post(
            reverse("training:dataset-list"),
            {
                "name": "from-the-page",
                "solvers": ["lexical"],
                "suites": ["train-suite"],
                "eval_suites": ["eval-suite"],
                "holdout_domains": ["physics"],
                "verdict_rule": "question_correct",
                "pass_threshold": "0.6",
                "trace_mode": "on",
                "seed": "3",
            },
        )
    dataset = TrainingDataset.objects.get(name="from-the-page")
    assert response.status_code == 302
    assert response["Location"] == reverse("training:dataset-detail", args=[dataset.pk])
    assert dataset.status == "ready", dataset.error
    assert dataset.spec["eval_suites"] == ["eval-suite"]
    assert dataset.spec["seed"] == 3
    detail = admin_client_.get(response["Location"]).content.decode()
    assert dataset.content_hash in detail
    assert "Failed the verdict rule" in detail
    assert "Start training" in detail


def test_a_bad_dataset_request_comes_back_with_one_line_and_nothing_is_saved(
    admin_client_, train_suite
):
    response = admin_client_.post(
        reverse("training:dataset-list"),
        {"name": "bad", "verdict_rule": "challenge_passed", "pass_threshold": "1.5", "seed": "0"},
    )
    assert response.status_code == 400
    assert "pass_threshold must be in (0, 1], got 1.5" in response.content.decode()
    assert not TrainingDataset.objects.exists()


def test_a_refused_dataset_page_shows_the_leakage_reason_whole(
    viewer_client, train_suite, build_now
):
    dataset = build_now(name="leaky", spec={**QUESTION_RULE, "eval_suites": ["train-suite"]})
    page = viewer_client.get(reverse("training:dataset-detail", args=[dataset.pk]))
    assert dataset.error in page.content.decode().replace("&#x27;", "'")


def test_the_train_form_offers_every_config_field_with_the_recipe_defaults(admin_client_, dataset):
    page = admin_client_.get(reverse("training:dataset-detail", args=[dataset.pk]))
    html = page.content.decode()
    for field in fields(QLoRAConfig):
        assert f'name="{field.name}"' in html, field.name
    assert re.search(r'name="lora_r" value="32"', html)
    assert re.search(r'name="learning_rate" value="0.0002"', html)
    assert re.search(r'name="base_model" value="/models/tiny"', html)
    assert re.search(r'name="load_in_4bit"[^>]*checked', html)


def test_an_admin_launches_a_run_from_the_dataset_page(admin_client_, dataset, tiny_model_dir):
    response = admin_client_.post(
        reverse("training:dataset-train", args=[dataset.pk]),
        {
            "run_name": "from-the-page",
            "base_model": str(tiny_model_dir),
            "load_in_4bit": "on",
            "bnb_4bit_quant_type": "nf4",
            "compute_dtype": "bfloat16",
            "lora_r": "16",
            "lora_alpha": "32",
            "lora_dropout": "0.05",
            "target_modules": "q_proj, v_proj",
            "epochs": "1",
            "max_steps": "-1",
            "learning_rate": "0.0002",
            "lr_scheduler": "cosine",
            "warmup_ratio": "0.03",
            "per_device_batch_size": "1",
            "gradient_accumulation": "8",
            "max_length": "",
            "logging_steps": "1",
            "save_steps": "50",
            "save_total_limit": "3",
            "seed": "42",
            "optimizer": "paged_adamw_8bit",
        },
    )
    run = TrainingRun.objects.get(name="from-the-page")
    assert response.status_code == 302
    assert response["Location"] == reverse("training:run-detail", args=[run.pk])
    assert run.status == "queued"  # sent to the gpu queue when the request commits
    assert run.config["target_modules"] == ["q_proj", "v_proj"]
    assert (run.config["lora_r"], run.config["max_length"]) == (16, None)
    assert run.config["packing"] is False


def test_a_bad_config_comes_back_with_one_line_and_no_run(admin_client_, dataset):
    response = admin_client_.post(
        reverse("training:dataset-train", args=[dataset.pk]),
        {"base_model": "/no/such/model", "lora_r": "8", "lora_alpha": "16"},
    )
    assert response.status_code == 400
    assert not TrainingRun.objects.exists()
    bad = admin_client_.post(
        reverse("training:dataset-train", args=[dataset.pk]),
        {**_minimal_config(), "lora_dropout": "1.5"},
    )
    assert bad.status_code == 400
    assert "lora_dropout must be in [0, 1), got 1.5" in bad.content.decode()
    assert not TrainingRun.objects.exists()


def _minimal_config() -> dict:
    form = {}
    for field in fields(QLoRAConfig):
        default = field.default
        if isinstance(default, bool):
            if default:
                form[field.name] = "on"
        elif default is None:
            form[field.name] = ""
        else:
            form[field.name] = str(default) if field.name != "base_model" else "m"
    return form


# --- runs ------------------------------------------------------------------------------------


def test_the_run_page_shows_the_plan_progress_config_and_adapter(admin_client_, adapter_run):
    html = admin_client_.get(reverse("training:run-detail", args=[adapter_run.pk])).content
    html = html.decode()
    assert "qlora-nf4-cpu" in html
    assert 'class="notice notice--warning"><p>No GPU: 4-bit NF4 ran on the CPU' in html
    assert "vendor/plotly/plotly.min.js" in html
    assert "js/training_run.js" in html
    assert "finished-run adapter" in html
    assert "Evaluate against baseline" in html
    assert "Cancel run" not in html  # finished


def test_the_log_is_json_for_the_curve_and_follows_after(viewer_client, run):
    url = reverse("training:run-log", args=[run.pk])
    state = viewer_client.get(url).json()
    assert [row["step"] for row in state["log"]] == [1, 2, 3, 4, 5]
    assert state["log"][0]["loss"] == pytest.approx(3.5)
    assert (state["status"], state["finished"], state["step"], state["max_steps"]) == (
        "succeeded",
        True,
        5,
        5,
    )
    assert state["plan_notes"][0] == CPU_NOTE
    assert state["tokens_per_s"] == pytest.approx(905.0)
    assert [row["step"] for row in viewer_client.get(url, {"after": 3}).json()["log"]] == [4, 5]
    assert viewer_client.get(url, {"after": "x"}).status_code == 400


def test_an_admin_cancels_a_queued_run(admin_client_, queued_run):
    page = admin_client_.get(reverse("training:run-detail", args=[queued_run.pk]))
    assert "Cancel run" in page.content.decode()
    response = admin_client_.post(reverse("training:run-cancel", args=[queued_run.pk]))
    assert response.status_code == 302
    queued_run.refresh_from_db()
    assert (queued_run.status, queued_run.cancel_requested) == ("cancelled", True)


def test_evaluate_against_baseline_redirects_to_the_comparison(
    admin_client_, adapter_run, eval_suite
):
    response = admin_client_.post(
        reverse("training:run-evaluate", args=[adapter_run.pk]), {"suite": eval_suite.pk}
    )
    baseline, adapted = EvalRun.objects.order_by("pk")
    assert response.status_code == 302
    assert response["Location"] == f"/evals/compare/?a={baseline.pk}&b={adapted.pk}"
    assert adapted.model_spec == adapter_run.model_spec
    assert baseline.model_spec.settings["adapter_path"] == ""


def test_evaluating_a_run_without_an_adapter_is_refused_with_a_message(
    admin_client_, run, eval_suite
):
    response = admin_client_.post(
        reverse("training:run-evaluate", args=[run.pk]), {"suite": eval_suite.pk}, follow=True
    )
    assert "has no registered adapter" in response.content.decode()
    assert not EvalRun.objects.exists()


def test_forms_need_the_csrf_token(admin_user, queued_run):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    url = reverse("training:run-cancel", args=[queued_run.pk])
    assert client.post(url).status_code == 403
    queued_run.refresh_from_db()
    assert queued_run.status == "queued"
    page = client.get(reverse("training:run-detail", args=[queued_run.pk])).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    assert client.post(url, {"csrfmiddlewaretoken": token}).status_code == 302
    queued_run.refresh_from_db()
    assert queued_run.status == "cancelled"
