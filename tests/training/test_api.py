"""The training API for each role: viewers read datasets and runs (with the log), every write
they send is 403 and changes nothing; admins create datasets and runs, cancel and evaluate;
bad input is a 400 with one line in ``detail`` and writes nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from evaluation.models import EvalRun
from tests.training.support import CPU_NOTE, QUESTION_RULE, finished_run, ready_dataset
from training.models import TrainingDataset, TrainingRun

pytestmark = pytest.mark.django_db

DATASETS = reverse("api-training-dataset-list")
RUNS = reverse("api-training-run-list")


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def dataset():
    return ready_dataset()


@pytest.fixture
def run(dataset):
    return finished_run(dataset)


def test_anonymous_calls_get_401_and_roleless_users_403(outsider, run):
    assert APIClient().get(RUNS).status_code == 401
    assert _client(outsider).get(RUNS).status_code == 403


def test_a_viewer_reads_datasets_and_runs_with_their_log(viewer, dataset, run):
    client = _client(viewer)
    listing = client.get(DATASETS).json()
    assert listing["count"] == 1
    assert listing["results"][0]["name"] == dataset.name
    detail = client.get(reverse("api-training-dataset-detail", args=[dataset.pk])).json()
    assert (detail["status"], detail["examples"]) == ("ready", 3)
    assert detail["stats"]["by_domain"] == {"chemistry": 3}
    runs = client.get(RUNS).json()
    assert runs["results"][0]["plan_notes"][0] == CPU_NOTE
    body = client.get(reverse("api-training-run-detail", args=[run.pk])).json()
    assert [row["step"] for row in body["log"]] == [1, 2, 3, 4, 5]
    assert body["log"][0]["gpu_memory_mb"] is None
    assert (body["status"], body["step"], body["final_loss"]) == ("succeeded", 5, 1.5)
    assert client.get(reverse("api-training-run-detail", args=[999])).status_code == 404


@pytest.mark.parametrize("persona", ["viewer", "annotator"])
def test_every_write_by_a_non_admin_is_403_and_changes_nothing(request, persona, dataset, run):
    client = _client(request.getfixturevalue(persona))
    queued = TrainingRun.objects.create(name="q", dataset=dataset, config={"base_model": "m"})
    writes = [
        (DATASETS, {"name": "x", "spec": {"verdict_rule": "all_correct"}}),
        (RUNS, {"dataset": dataset.pk, "config": {"base_model": "m"}}),
        (reverse("api-training-run-cancel", args=[queued.pk]), {}),
        (reverse("api-training-run-evaluate", args=[run.pk]), {"suite": "s"}),
    ]
    for url, data in writes:
        assert client.post(url, data, format="json").status_code == 403, url
    assert TrainingDataset.objects.count() == 1
    assert TrainingRun.objects.count() == 2
    queued.refresh_from_db()
    assert (queued.status, queued.cancel_requested) == ("queued", False)


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({"spec": {"verdict_rule": "all_correct"}}, "name: This field is required."),
        ({"name": "d", "spec": {"verdict_rule": "x"}}, "verdict_rule must be one of"),
        ({"name": "d", "spec": {"verdict_rule": "all_correct", "foo": 1}}, "unknown dataset"),
        ({"name": "d", "spec": "all_correct"}, "a dataset spec must be an object"),
        ({"name": "d", "spec": {"verdict_rule": "all_correct", "suites": ["no"]}}, "suites: no"),
    ],
)
def test_a_bad_dataset_request_is_400_in_one_line(admin_user, train_suite, body, detail):
    response = _client(admin_user).post(DATASETS, body, format="json")
    assert response.status_code == 400
    assert detail in response.json()["detail"]
    assert "\n" not in response.json()["detail"]
    assert not TrainingDataset.objects.exists()


def test_an_admin_creates_a_dataset_and_follows_it(
    admin_user, train_suite, django_capture_on_commit_callbacks
):
    client = _client(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(DATASETS, {"name": "api-set", "spec": QUESTION_RULE}, format="json")
    assert response.status_code == 201
    assert response["Location"] == reverse(
        "api-training-dataset-detail", args=[response.json()["id"]]
    )
    followed = client.get(response["Location"]).json()
    assert (followed["status"], followed["examples"]) == ("ready", 3)


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({"config": {"base_model": "m"}}, "dataset: This field is required."),
        ({"dataset": 999, "config": {"base_model": "m"}}, "dataset: no training dataset 999"),
        ({"dataset": "DATASET", "config": {"base_model": "m", "lora_r": -1}}, "lora_r"),
        ({"dataset": "DATASET", "config": ["base_model"]}, "must be an object"),
        ({"dataset": "DATASET", "config": {"lora_r": 8}}, "base_model is required"),
    ],
)
def test_a_bad_run_request_is_400_in_one_line(admin_user, dataset, body, detail):
    if body.get("dataset") == "DATASET":
        body = {**body, "dataset": dataset.pk}
    response = _client(admin_user).post(RUNS, body, format="json")
    assert response.status_code == 400
    assert detail in response.json()["detail"]
    assert not TrainingRun.objects.exists()


def test_an_admin_starts_and_cancels_a_run(admin_user, dataset):
    client = _client(admin_user)
    response = client.post(
        RUNS, {"dataset": dataset.pk, "config": {"base_model": "m"}, "name": "api-run"}, "json"
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["name"], body["status"], body["config"]["lora_r"]) == ("api-run", "queued", 32)
    cancel = client.post(reverse("api-training-run-cancel", args=[body["id"]]))
    assert cancel.status_code == 200
    assert (cancel.json()["status"], cancel.json()["cancel_requested"]) == ("cancelled", True)


def test_evaluating_without_an_adapter_or_on_an_unknown_suite_is_400(admin_user, run, eval_suite):
    client = _client(admin_user)
    url = reverse("api-training-run-evaluate", args=[run.pk])
    unknown = client.post(url, {"suite": "nope"}, format="json")
    assert (unknown.status_code, unknown.json()["detail"]) == (400, "suite: no suite called 'nope'")
    no_adapter = client.post(url, {"suite": eval_suite.name}, format="json")
    assert no_adapter.status_code == 400
    assert "has no registered adapter" in no_adapter.json()["detail"]
    assert not EvalRun.objects.exists()
