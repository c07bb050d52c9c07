"""Storing papers and turning them into draft challenges: hostile input first (nothing is
lost, one readable reason, no challenge), then re-delivery and idempotence, then the
pipeline on generated PDFs and on the real ones, and the ``ingest_paper`` command."""

from __future__ import annotations

import functools
import hashlib
import random
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from challenges.models import Challenge, Paper
from challenges.services import (
    PaperRefused,
    paper_process,
    paper_store,
    paper_upload_start,
)
from tests.challenges.paper_support import REAL_PAPERS, pdf_factory, real_pdf

pytestmark = pytest.mark.django_db

PDF_HEAD = b"%PDF-1.7\n"


def _stored_files() -> list[Path]:
    folder = Path(settings.MEDIA_ROOT) / "papers"
    return sorted(folder.glob("*")) if folder.exists() else []


@pytest.fixture(autouse=True)
def _empty_media():
    for path in _stored_files():
        path.unlink()


def _upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


# --- storing: before anything parses ---------------------------------------------------------


def test_a_file_is_stored_under_its_sha256_before_anything_parses_it():
    data = PDF_HEAD + b"not really a pdf body"
    paper, created = paper_store(uploaded_file=_upload("../../etc/x.pdf", data))

    digest = hashlib.sha256(data).hexdigest()
    assert created
    assert (paper.sha256, paper.size_bytes, paper.status) == (digest, len(data), "uploaded")
    assert paper.original_name == "x.pdf"  # no folders from the client
    assert paper.file.name == f"papers/{digest}.pdf"
    assert Path(paper.file.path).read_bytes() == data
    assert _stored_files() == [Path(settings.MEDIA_ROOT) / "papers" / f"{digest}.pdf"]


def test_the_same_bytes_twice_are_the_same_paper(tmp_path):
    data = PDF_HEAD + b"same"
    first, created = paper_store(uploaded_file=_upload("a.pdf", data))
    again, created_again = paper_store(uploaded_file=_upload("b.pdf", data))
    on_disk = tmp_path / "c.pdf"
    on_disk.write_bytes(data)
    third, created_third = paper_store(path=on_disk)

    assert created
    assert not created_again
    assert not created_third
    assert first.pk == again.pk == third.pk
    assert again.original_name == "a.pdf"
    assert Paper.objects.count() == 1
    assert len(_stored_files()) == 1


@override_settings(DACR_MAX_PAPER_BYTES=100)
def test_a_file_over_the_size_limit_is_kept_and_its_paper_fails_with_one_line(tmp_path):
    big = tmp_path / "big.pdf"
    big.write_bytes(PDF_HEAD + b"x" * 200)
    paper, created = paper_store(path=big)
    assert created
    assert paper.status == Paper.Status.FAILED
    assert paper.failure_reason == "big.pdf is 0.0 MB; the limit is 0.0 MB"
    assert len(_stored_files()) == 1  # nothing is lost
    # Processing it again changes nothing: a failed paper is finished.
    assert paper_process(paper_id=paper.pk).failure_reason == paper.failure_reason
    assert not paper.challenges.exists()


@override_settings(DACR_MAX_PAPER_UPLOAD_BYTES=100)
def test_a_file_over_the_hard_cap_is_refused_with_one_line_and_nothing_stored(tmp_path):
    big = tmp_path / "big.pdf"
    big.write_bytes(PDF_HEAD + b"x" * 200)
    with pytest.raises(PaperRefused, match=r"^big.pdf is 0.0 MB; the limit is 0.0 MB$"):
        paper_store(path=big)
    with pytest.raises(PaperRefused, match="the limit is"):
        paper_store(uploaded_file=_upload("big.pdf", big.read_bytes()))
    assert not Paper.objects.exists()
    assert _stored_files() == []


@override_settings(DACR_MAX_PAPER_UPLOAD_BYTES=100)
def test_a_stream_longer_than_it_said_is_cut_off_at_the_limit():
    upload = _upload("liar.pdf", PDF_HEAD + b"x" * 500)
    upload.size = 10  # the client claimed less than it sent
    with pytest.raises(PaperRefused, match=r"liar\.pdf is over the limit of 0\.0 MB"):
        paper_store(uploaded_file=upload)
    assert not Paper.objects.exists()
    assert _stored_files() == []


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"path": "/nonexistent/paper.pdf"}, "cannot read /nonexistent/paper.pdf: No such file"),
        ({"path": "/tmp"}, "cannot read /tmp: not a file"),
        ({"uploaded_file": _upload("empty.pdf", b"")}, "empty.pdf is empty"),
        (
            {"uploaded_file": _upload("a.pdf", PDF_HEAD), "domain_override": "astrology"},
            "unknown domain 'astrology'; choose one of physics",
        ),
    ],
)
def test_unreadable_input_is_refused_with_one_line(kwargs, message):
    with pytest.raises(PaperRefused, match=message) as refused:
        paper_store(**kwargs)
    assert "\n" not in str(refused.value)
    assert not Paper.objects.exists()


@override_settings(DACR_MAX_PAPER_UPLOAD_BYTES=100, DACR_MAX_PAPER_FILES=3)
def test_an_upload_is_all_or_nothing(django_capture_on_commit_callbacks):
    files = [_upload("ok.pdf", PDF_HEAD + b"ok"), _upload("big.pdf", PDF_HEAD + b"x" * 200)]
    with django_capture_on_commit_callbacks() as enqueued, pytest.raises(PaperRefused):
        paper_upload_start(uploaded_files=files)
    assert not Paper.objects.exists()
    assert enqueued == []
    with pytest.raises(PaperRefused, match="4 files in one upload; the limit is 3"):
        paper_upload_start(uploaded_files=[_upload(f"{n}.pdf", PDF_HEAD) for n in range(4)])
    with pytest.raises(PaperRefused, match="no file was uploaded"):
        paper_upload_start(uploaded_files=[])


def test_an_upload_enqueues_only_new_papers(django_capture_on_commit_callbacks):
    paper_store(uploaded_file=_upload("old.pdf", PDF_HEAD + b"old"))
    files = [_upload("old.pdf", PDF_HEAD + b"old"), _upload("new.pdf", PDF_HEAD + b"new")]
    with django_capture_on_commit_callbacks() as enqueued:
        stored = paper_upload_start(uploaded_files=files, domain_override="physics")
    assert [created for _, created in stored] == [False, True]
    assert len(enqueued) == 1
    assert stored[1][0].domain_override == "physics"


# --- re-delivery ---------------------------------------------------------------------------


def test_a_paper_that_keeps_killing_its_worker_is_marked_failed():
    paper, _ = paper_store(uploaded_file=_upload("killer.pdf", PDF_HEAD + b"k"))
    Paper.objects.filter(pk=paper.pk).update(
        status="parsing", deliveries=settings.DACR_TASK_MAX_DELIVERIES
    )
    paper = paper_process(paper_id=paper.pk)
    assert paper.status == "failed"
    assert paper.failure_reason == (
        f"stopped after {settings.DACR_TASK_MAX_DELIVERIES} attempts: processing this paper "
        "kept killing its worker"
    )
    assert not Challenge.objects.exists()
    assert Path(paper.file.path).exists()


def test_a_finished_paper_is_left_alone():
    paper, _ = paper_store(uploaded_file=_upload("done.pdf", PDF_HEAD + b"d"))
    Paper.objects.filter(pk=paper.pk).update(status="failed", failure_reason="earlier")
    again = paper_process(paper_id=paper.pk)
    assert (again.status, again.failure_reason, again.deliveries) == ("failed", "earlier", 0)


# --- hostile PDFs through the real pipeline ------------------------------------------------


def _assert_failed_cleanly(paper: Paper, *, reason_contains: str = "") -> None:
    paper.refresh_from_db()
    assert paper.status == "failed"
    assert paper.failure_reason
    assert "\n" not in paper.failure_reason
    assert "Traceback" not in paper.failure_reason
    assert reason_contains.lower() in paper.failure_reason.lower()
    assert Path(paper.file.path).exists()
    assert not Challenge.objects.filter(paper=paper).exists()


def _hostile(name: str) -> bytes:
    factory = pdf_factory()
    return {
        "text_named_pdf": factory.text_file,
        "html_named_pdf": factory.html_page,
        "truncated": lambda: factory.truncated(factory.two_column_paper()),
        "encrypted": lambda: factory.encrypted(factory.one_column_paper()),
        "scan": factory.scan,
        "page_bomb": factory.page_bomb,
        "too_thin": _thin_paper,
    }[name]()


def _thin_paper() -> bytes:
    factory = pdf_factory()
    front = factory.Front(title="A Short Note on Nothing", authors="A. Person")
    items = [factory.Heading("1 Note"), factory.Para("We have nothing to report here at all.")]
    return factory.paper(front, items, columns=1)


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("text_named_pdf", "not a PDF"),
        ("html_named_pdf", "not a PDF"),
        ("truncated", "truncated"),
        ("encrypted", "password"),
        ("scan", "no text layer"),
        ("page_bomb", "400 pages, more than the limit of 300"),
        ("too_thin", "at least 300 needed"),
    ],
)
def test_a_hostile_file_fails_with_one_readable_reason_and_loses_nothing(name, words):
    paper, _ = paper_store(uploaded_file=_upload(f"{name}.pdf", _hostile(name)))
    paper = paper_process(paper_id=paper.pk)
    _assert_failed_cleanly(paper, reason_contains=words)


@pytest.mark.parametrize(
    ("target", "limits", "words"),
    [
        ("hanging_parser", {"DACR_PDF_WALL_SECONDS": 2}, "took longer than 2 s"),
        ("memory_hog_parser", {"DACR_PDF_MEMORY_MB": 300}, "out of memory"),
        ("cpu_burner_parser", {"DACR_PDF_CPU_SECONDS": 1}, "CPU time"),
        ("crashing_parser", {}, "crashed"),
    ],
)
def test_a_parser_that_hangs_eats_memory_or_crashes_fails_the_paper_cleanly(
    monkeypatch, target, limits, words
):
    """The sandbox's stand-in parsers behave like MuPDF stuck on a hostile file."""
    from challenges import pdf_sandbox

    pdf_factory()
    monkeypatch.setattr(
        pdf_sandbox,
        "parse_pdf_file",
        functools.partial(pdf_sandbox.parse_pdf_file, _target=f"tests.pdf_factory:{target}"),
    )
    paper, _ = paper_store(uploaded_file=_upload("stuck.pdf", PDF_HEAD + b"x"))
    with override_settings(**limits):
        paper = paper_process(paper_id=paper.pk)
    _assert_failed_cleanly(paper, reason_contains=words)


def test_byte_mutated_papers_never_crash_the_pipeline():
    factory = pdf_factory()
    original = factory.two_column_paper()
    for seed in range(4):
        data = factory.mutated(original, random.Random(seed))
        paper, _ = paper_store(uploaded_file=_upload(f"mutated-{seed}.pdf", data))
        paper = paper_process(paper_id=paper.pk)
        assert paper.status in ("verified", "failed")
        if paper.status == "failed":
            _assert_failed_cleanly(paper)
        else:
            assert Challenge.objects.filter(paper=paper).count() == 1


@override_settings(DACR_MAX_PAPER_PAGES=1)
def test_a_paper_over_the_page_limit_fails_and_keeps_its_file():
    paper, _ = paper_store(uploaded_file=_upload("long.pdf", pdf_factory().two_column_paper()))
    _assert_failed_cleanly(paper_process(paper_id=paper.pk), reason_contains="more than the limit")


def test_a_stored_paper_over_a_lowered_size_limit_fails_cleanly():
    paper, _ = paper_store(uploaded_file=_upload("paper.pdf", pdf_factory().two_column_paper()))
    with override_settings(DACR_MAX_PAPER_BYTES=1000):
        paper = paper_process(paper_id=paper.pk)
    _assert_failed_cleanly(paper, reason_contains="limit")


def test_the_next_paper_still_works_after_a_hostile_one():
    factory = pdf_factory()
    bad, _ = paper_store(uploaded_file=_upload("bad.pdf", factory.scan()))
    _assert_failed_cleanly(paper_process(paper_id=bad.pk))
    good, _ = paper_store(uploaded_file=_upload("good.pdf", factory.two_column_paper()))
    _assert_verified_draft(paper_process(paper_id=good.pk))


# --- the pipeline on generated and real PDFs --------------------------------------------------


def _assert_verified_draft(paper: Paper) -> Challenge:
    paper.refresh_from_db()
    assert paper.status == "verified", paper.failure_reason
    assert paper.failure_reason == ""
    assert paper.title
    assert paper.page_count
    assert paper.page_count >= 1
    assert paper.parsed["sections"]
    assert paper.parsed["blocks"]
    challenge = Challenge.objects.get(paper=paper)
    assert challenge.public_id == f"dacr-paper-{paper.sha256[:12]}"
    assert (challenge.version, challenge.status, challenge.split) == ("1.0", "draft", "real")
    assert challenge.source_type == "document"
    assert challenge.verification_report["passed"] is True
    assert challenge.questions.count() == 10
    assert len(set(challenge.questions.values_list("category", flat=True))) >= 5
    assert 1 <= challenge.conflicts.count() <= 3
    return challenge


@pytest.mark.parametrize("options", [{}, {"seed": 9, "arxiv": False}])
def test_a_generated_paper_becomes_a_verified_draft_and_processing_again_adds_nothing(options):
    paper, _ = paper_store(
        uploaded_file=_upload("two-column.pdf", pdf_factory().two_column_paper(**options))
    )
    challenge = _assert_verified_draft(paper_process(paper_id=paper.pk))
    # Delivered again (the task ran twice): nothing changes.
    again = paper_process(paper_id=paper.pk)
    assert again.status == "verified"
    assert Challenge.objects.get() == challenge
    assert again.deliveries == 1


def test_a_redelivered_paper_whose_worker_died_mid_way_finishes_once():
    paper, _ = paper_store(uploaded_file=_upload("p.pdf", pdf_factory().two_column_paper()))
    Paper.objects.filter(pk=paper.pk).update(status="generating", deliveries=1)
    _assert_verified_draft(paper_process(paper_id=paper.pk))
    assert Paper.objects.get(pk=paper.pk).deliveries == 2
    assert Challenge.objects.count() == 1


def test_the_domain_override_wins():
    paper, _ = paper_store(
        uploaded_file=_upload("p.pdf", pdf_factory().two_column_paper()),
        domain_override="economics",
    )
    paper = paper_process(paper_id=paper.pk)
    assert paper.domain == "economics"
    assert Challenge.objects.get(paper=paper).domain == "economics"


@pytest.mark.parametrize("name", REAL_PAPERS)
def test_a_real_paper_becomes_a_verified_draft(name):
    paper, _ = paper_store(path=real_pdf(name))
    challenge = _assert_verified_draft(paper_process(paper_id=paper.pk))
    assert paper_process(paper_id=paper.pk).status == "verified"
    assert Challenge.objects.filter(paper=challenge.paper).count() == 1


def test_the_contrastive_clustering_paper_keeps_its_metadata():
    paper, _ = paper_store(path=real_pdf("contrastive_clustering.pdf"))
    paper = paper_process(paper_id=paper.pk)
    assert "Contrastive Clustering" in paper.title
    assert paper.authors
    assert paper.page_count == 9
    assert paper.parsed["tables"]  # the NMI/ACC/ARI results tables


def test_a_published_paper_challenge_keeps_the_builders_checks_beside_the_new_ones(annotator):
    from challenges.services import review_publish, review_question_approve

    paper, _ = paper_store(uploaded_file=_upload("p.pdf", pdf_factory().two_column_paper()))
    challenge = _assert_verified_draft(paper_process(paper_id=paper.pk))
    for question_id in challenge.questions.values_list("question_id", flat=True):
        review_question_approve(challenge=challenge, question_id=question_id, author=annotator)

    published = review_publish(challenge=challenge, author=annotator)

    report = published.verification_report
    assert report["passed"] is True
    assert "shape" in {check["name"] for check in report["checks"]}
    assert "answers_in_text" in {check["name"] for check in report["draft_checks"]}
