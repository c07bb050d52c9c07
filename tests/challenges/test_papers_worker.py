"""A real ``celery worker`` process ingests uploaded papers: a good one becomes a verified
draft, a hostile one fails with its reason, and the worker still serves the next upload.

Skipped without ``CELERY_BROKER_URL`` or on SQLite, like ``tests/test_celery_worker.py``,
whose worker fixture this uses.
"""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from challenges.models import Challenge, Paper
from challenges.services import paper_upload_start
from tests.challenges.paper_support import pdf_factory

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _upload(name: str, data: bytes) -> Paper:
    (stored,) = paper_upload_start(
        uploaded_files=[SimpleUploadedFile(name, data, content_type="application/pdf")]
    )
    return stored[0]


def _wait_until_finished(paper: Paper, timeout: float = 120) -> Paper:
    deadline = time.monotonic() + timeout
    while not (paper := Paper.objects.get(pk=paper.pk)).is_finished:
        assert time.monotonic() < deadline, f"{paper.original_name} is still {paper.status}"
        time.sleep(0.2)
    return paper


def test_a_real_worker_ingests_papers_and_survives_hostile_ones(worker):
    factory = pdf_factory()

    good = _wait_until_finished(_upload("two.pdf", factory.two_column_paper()))
    assert good.status == "verified", good.failure_reason
    assert good.deliveries == 1
    assert Challenge.objects.get(paper=good).status == "draft"

    for name, make in [
        ("encrypted.pdf", lambda: factory.encrypted(factory.one_column_paper())),
        ("pages.pdf", factory.page_bomb),
        ("scan.pdf", factory.scan),
        ("notes.pdf", lambda: b"plain text, not a PDF\n" * 50),
    ]:
        bad = _wait_until_finished(_upload(name, make()))
        assert bad.status == "failed", name
        assert bad.failure_reason
        assert "\n" not in bad.failure_reason
        assert not Challenge.objects.filter(paper=bad).exists()

    after = _wait_until_finished(_upload("next.pdf", factory.two_column_paper(seed=9)))
    assert after.status == "verified", after.failure_reason
    assert worker.poll() is None  # the worker process is still running
