"""A real ``celery worker`` process against the configured broker and PostgreSQL.

Skipped without ``CELERY_BROKER_URL`` or on SQLite (an in-memory test database cannot be
shared with another process); CI sets both.
"""

import json
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from challenges.models import BenchmarkImport, Challenge, Suite
from challenges.services import benchmark_import_start
from tests.factories import benchmark_dict, challenge_dict

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _wait_until_finished(job_id: int, timeout: float = 60) -> BenchmarkImport:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = BenchmarkImport.objects.get(pk=job_id)
        if job.is_finished:
            return job
        time.sleep(0.2)
    pytest.fail(f"import {job_id} did not finish within {timeout}s (status {job.status})")


def test_a_real_worker_imports_an_uploaded_benchmark_into_postgresql(worker):
    data = benchmark_dict(challenge_dict("dacr-w-1"), challenge_dict("dacr-w-2"), name="worker")
    upload = SimpleUploadedFile("worker.json", json.dumps(data).encode())
    job = benchmark_import_start(uploaded_file=upload, suite_name="worker-suite")
    assert job.status == "queued"

    job = _wait_until_finished(job.pk)

    assert job.status == "succeeded", job.error
    assert (job.challenges_created, job.progress_done, job.progress_total) == (2, 2, 2)
    assert job.deliveries == 1
    assert Suite.objects.get(name="worker-suite").memberships.count() == 2
    assert set(Challenge.objects.values_list("public_id", flat=True)) == {"dacr-w-1", "dacr-w-2"}


def test_a_real_worker_marks_a_broken_upload_failed_and_writes_nothing(worker):
    upload = SimpleUploadedFile("broken.json", b'{"challenges": [{"challengeId": "x"')
    job = _wait_until_finished(benchmark_import_start(uploaded_file=upload).pk)
    assert job.status == "failed"
    assert job.error.startswith("file is truncated")
    assert Challenge.objects.count() == 0


def test_a_real_worker_generates_a_suite_with_its_validity_report(worker):
    from challenges.models import GenerationJob
    from challenges.services import generation_start

    job = generation_start(count=3, seed=12, domains=["physics", "medicine"], suite_name="gen")
    deadline = time.monotonic() + 120
    while not (job := GenerationJob.objects.get(pk=job.pk)).is_finished:
        assert time.monotonic() < deadline, f"generation did not finish (status {job.status})"
        time.sleep(0.2)
    assert job.status == "succeeded", job.error
    assert (job.progress_done, job.progress_total, job.challenges_created) == (3, 3, 3)
    assert job.suite.memberships.count() == 3
    assert job.suite.validity_reports.count() == 1


def test_a_real_worker_runs_a_local_model_evaluation_on_the_gpu_queue(worker, tmp_path):
    from evaluation.models import EvalRun
    from evaluation.services import eval_run_create, model_spec_create
    from tests.factories import import_challenges
    from tests.tiny_model import build_tiny_model
    from traces.models import Trace

    import_challenges(challenge_dict("dacr-w-e1"), challenge_dict("dacr-w-e2"), suite="w-eval")
    model_dir = build_tiny_model(tmp_path / "tiny")
    spec = model_spec_create(
        name="tiny-worker",
        runner="transformers",
        settings={"model_path": str(model_dir), "max_new_tokens": 8},
    )
    run = eval_run_create(model_spec=spec, suite=Suite.objects.get(name="w-eval"))
    deadline = time.monotonic() + 180
    while not (run := EvalRun.objects.get(pk=run.pk)).is_finished:
        assert time.monotonic() < deadline, f"run did not finish (status {run.status})"
        time.sleep(0.3)
    assert run.status == "succeeded", run.error
    assert run.deliveries == 1
    assert Trace.objects.filter(eval_run=run).count() == 2
