"""A real ``celery worker`` process against the configured broker and PostgreSQL.

Skipped without ``CELERY_BROKER_URL`` or on SQLite (an in-memory test database cannot be
shared with another process); CI sets both.
"""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from challenges.models import BenchmarkImport, Challenge, Suite
from challenges.services import benchmark_import_start
from tests.factories import benchmark_dict, challenge_dict

ROOT = Path(__file__).resolve().parents[1]

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _database_url() -> str:
    db = connection.settings_dict
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = f"{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}"
    return f"postgres://{user}{password}@{host}/{db['NAME']}"


@pytest.fixture
def worker():
    if not settings.CELERY_BROKER_URL:
        pytest.skip("CELERY_BROKER_URL is not set: no broker for a real worker")
    if connection.vendor != "postgresql":
        pytest.skip("a real worker needs a database another process can open (PostgreSQL)")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "dacr_site.settings",
        "DATABASE_URL": _database_url(),
        "DJANGO_MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    log_path = Path(settings.MEDIA_ROOT) / f"celery-worker-{os.getpid()}.log"
    log_file = log_path.open("w")
    # The log goes to a file, not a pipe nobody drains (a full pipe would block the worker).
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "dacr_site",
            "worker",
            "--queues",
            "default",
            "--concurrency",
            "1",
            "--pool",
            "prefork",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--purge",
            "--loglevel",
            "INFO",
        ],
        cwd=ROOT,
        env=env,
        stdout=log_file,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while "ready." not in log_path.read_text() and process.poll() is None:
        if time.monotonic() > deadline:
            break
        time.sleep(0.2)
    if "ready." not in log_path.read_text():
        os.killpg(process.pid, signal.SIGKILL)
        pytest.fail("celery worker did not start:\n" + log_path.read_text()[-3000:])
    yield process
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
    log_file.close()


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
