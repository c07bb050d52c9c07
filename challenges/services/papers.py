"""Papers: store an uploaded PDF under its sha256, then parse it and build its draft challenge.

Storing comes first and parses nothing, so the file is kept whatever happens after; the same
bytes twice are the same Paper. ``paper_process`` moves a paper uploaded → parsing → parsed
→ generating → verified, or to failed with one readable line in ``failure_reason`` (never a
traceback). It is safe to run twice: a finished paper is left alone, a paper whose worker
died starts again, and one that keeps killing its worker is marked failed after
``DACR_TASK_MAX_DELIVERIES`` deliveries. The draft challenge, all its rows and the final
status are written in one transaction, so a failure leaves no challenge.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import logging
import os
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction

from challenges import dacr_format as fmt
from challenges.models import Challenge, Conflict, Domain, Fact, Paper, Question
from challenges.services.records import (
    challenge_from_record,
    conflicts_from_record,
    facts_from_record,
    questions_from_record,
)

logger = logging.getLogger(__name__)

_CHUNK = 1024 * 1024
_REASON_MAX = 500


class PaperRefused(ValueError):
    """A file or upload that cannot be stored (too large, unreadable, a bad domain); the
    message is one line and nothing was stored."""


class PaperDraftRejected(ValueError):
    """The paper was parsed, but no draft challenge from it can be kept."""


def paper_challenge_id(sha256: str) -> str:
    """The public id of the draft challenge made from the paper with this sha256."""
    return f"dacr-paper-{sha256[:12]}"


def _megabytes(size: int) -> str:
    return f"{size / 1e6:.1f} MB"


def _check_domain(domain: str) -> str:
    domain = (domain or "").strip()
    if domain and domain not in Domain.values:
        raise PaperRefused(f"unknown domain {domain!r}; choose one of {', '.join(Domain.values)}")
    return domain


# --- storing ---------------------------------------------------------------------------------


def _path_chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            yield chunk


def _store_stream(chunks: Iterable[bytes], *, name: str, limit: int) -> tuple[str, int, Path]:
    """Write ``chunks`` to a temporary file beside the papers, hashing as they come; refuse
    as soon as they pass ``limit``. Returns (sha256, size, temporary path)."""
    folder = Path(settings.MEDIA_ROOT) / "papers"
    folder.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    # Not a context manager: the file must outlive this function (it is renamed into place).
    handle = tempfile.NamedTemporaryFile(dir=folder, prefix=".upload-", delete=False)  # noqa: SIM115
    tmp = Path(handle.name)
    try:
        with handle:
            for chunk in chunks:
                size += len(chunk)
                if size > limit:
                    raise PaperRefused(f"{name} is over the limit of {_megabytes(limit)}")
                digest.update(chunk)
                handle.write(chunk)
        # As the storage would write it; the temporary file starts private.
        os.chmod(tmp, 0o644)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return digest.hexdigest(), size, tmp


def paper_store(
    *,
    uploaded_file: UploadedFile | None = None,
    path: str | Path | None = None,
    original_name: str = "",
    user=None,
    domain_override: str = "",
) -> tuple[Paper, bool]:
    """Store one file (an upload or a file on disk) at ``MEDIA_ROOT/papers/<sha256>.pdf``,
    hashing it while it streams, before anything parses it. Returns (paper, created): the
    same bytes again give the existing paper and False. A file over ``DACR_MAX_PAPER_BYTES``
    is kept all the same, its paper failed with the reason (nothing is lost); one over the
    hard cap ``DACR_MAX_PAPER_UPLOAD_BYTES``, or unreadable, raises ``PaperRefused`` with one
    line and stores nothing."""
    if (uploaded_file is None) == (path is None):
        raise TypeError("give exactly one of uploaded_file and path")
    domain_override = _check_domain(domain_override)
    limit = settings.DACR_MAX_PAPER_UPLOAD_BYTES
    if uploaded_file is not None:
        name = Path(original_name or uploaded_file.name or "paper.pdf").name
        declared, chunks = uploaded_file.size, uploaded_file.chunks(_CHUNK)
    else:
        path = Path(path)
        name = Path(original_name or path.name).name
        try:
            declared = path.stat().st_size
        except OSError as exc:
            raise PaperRefused(f"cannot read {path}: {exc.strerror or exc}") from None
        if not path.is_file():
            raise PaperRefused(f"cannot read {path}: not a file")
        chunks = _path_chunks(path)
    if declared is not None and declared > limit:
        raise PaperRefused(f"{name} is {_megabytes(declared)}; the limit is {_megabytes(limit)}")
    try:
        sha256, size, tmp = _store_stream(chunks, name=name, limit=limit)
    except OSError as exc:
        raise PaperRefused(f"cannot read {name}: {exc.strerror or exc}") from None
    if size == 0:
        tmp.unlink(missing_ok=True)
        raise PaperRefused(f"{name} is empty")
    stored = Path(settings.MEDIA_ROOT) / "papers" / f"{sha256}.pdf"
    # Same bytes, same name: replacing a file with its own content loses nothing, and it
    # restores a stored file someone deleted.
    os.replace(tmp, stored)
    existing = Paper.objects.filter(sha256=sha256).first()
    if existing is not None:
        return existing, False
    fields = {
        "file": f"papers/{sha256}.pdf",
        "original_name": name[:255],
        "size_bytes": size,
        "domain_override": domain_override,
        "domain": domain_override,
        "uploaded_by": user if getattr(user, "is_authenticated", False) else None,
    }
    try:
        with transaction.atomic():
            paper = Paper.objects.create(sha256=sha256, **fields)
    except IntegrityError:  # the same bytes stored at the same moment by another request
        return Paper.objects.get(sha256=sha256), False
    if size > settings.DACR_MAX_PAPER_BYTES:
        paper = _fail(
            paper,
            f"{name} is {_megabytes(size)}; the limit is "
            f"{_megabytes(settings.DACR_MAX_PAPER_BYTES)}",
        )
    return paper, True


def paper_upload_start(
    *, uploaded_files: Sequence[UploadedFile], user=None, domain_override: str = ""
) -> list[tuple[Paper, bool]]:
    """Store every file of one upload and enqueue the new papers' processing after the
    transaction commits. All or nothing: raises ``PaperRefused`` with one line (no file
    given, too many, one too large, an unknown domain) and records no paper."""
    from challenges.tasks import paper_process_task

    if not uploaded_files:
        raise PaperRefused("no file was uploaded; choose one or more PDF files")
    most = settings.DACR_MAX_PAPER_FILES
    if len(uploaded_files) > most:
        raise PaperRefused(f"{len(uploaded_files)} files in one upload; the limit is {most}")
    domain_override = _check_domain(domain_override)
    stored = []
    with transaction.atomic():
        for uploaded in uploaded_files:
            paper, created = paper_store(
                uploaded_file=uploaded, user=user, domain_override=domain_override
            )
            if created and not paper.is_finished:
                paper_process_task.delay_on_commit(paper.pk)
            stored.append((paper, created))
    return stored


# --- processing ------------------------------------------------------------------------------


def _one_line(text: str) -> str:
    lines = [line.strip() for line in str(text).splitlines() if line.strip()]
    line = lines[0] if lines else "unknown error"
    return line if len(line) <= _REASON_MAX else line[: _REASON_MAX - 1] + "…"


def _fail(paper: Paper, reason: str) -> Paper:
    paper.status = Paper.Status.FAILED
    paper.failure_reason = _one_line(reason)
    Paper.objects.filter(pk=paper.pk).update(
        status=paper.status, failure_reason=paper.failure_reason
    )
    logger.warning("paper %s (%s) failed: %s", paper.pk, paper.original_name, paper.failure_reason)
    return paper


def _set_status(paper: Paper, status: str) -> None:
    paper.status = status
    paper.save(update_fields=["status", "updated_at"])


def _deliver(paper: Paper) -> bool:
    """Count a delivery; False, with the paper marked failed, when it has come back too
    often (its parsing or building kept killing the worker)."""
    paper.deliveries += 1
    if paper.deliveries > settings.DACR_TASK_MAX_DELIVERIES:
        _fail(
            paper,
            f"stopped after {paper.deliveries - 1} attempts: processing this paper kept "
            "killing its worker",
        )
        return False
    paper.status = Paper.Status.PARSING
    paper.failure_reason = ""
    paper.save(update_fields=["deliveries", "status", "failure_reason", "updated_at"])
    return True


def _without_nul(value):
    """PostgreSQL stores no NUL character in text or JSON; a PDF can carry one."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {key: _without_nul(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_without_nul(item) for item in value]
    return value


def _iso_date(text: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _record_parsed(paper: Paper, parsed) -> None:
    """Keep the parsed paper on the row and fill the metadata fields from it."""
    meta = parsed.metadata
    paper.parsed = _without_nul(dataclasses.asdict(parsed))
    paper.title = _without_nul(meta.title)
    paper.authors = _without_nul(list(meta.authors))
    paper.abstract = _without_nul(meta.abstract)
    paper.arxiv_id = meta.arxiv_id[:32]
    paper.arxiv_version = meta.arxiv_version
    paper.arxiv_category = meta.arxiv_category[:32]
    paper.arxiv_date = _iso_date(meta.arxiv_date)
    paper.page_count = meta.page_count or None
    paper.domain = paper.domain_override or (meta.domain or "")[:64]
    paper.status = Paper.Status.PARSED
    paper.save()


def _parse(paper: Paper):
    from challenges.pdf_sandbox import parse_pdf_file  # PyMuPDF only where papers are parsed

    return parse_pdf_file(
        paper.file.path,
        max_bytes=settings.DACR_MAX_PAPER_BYTES,
        max_pages=settings.DACR_MAX_PAPER_PAGES,
        memory_mb=settings.DACR_PDF_MEMORY_MB,
        cpu_seconds=settings.DACR_PDF_CPU_SECONDS,
        wall_seconds=settings.DACR_PDF_WALL_SECONDS,
    )


def _build(paper: Paper, parsed):
    from challenges.paper_challenge import build_paper_challenge

    built = build_paper_challenge(
        parsed, challenge_id=paper_challenge_id(paper.sha256), domain=paper.domain or None
    )
    if not built.report.passed:
        raise PaperDraftRejected(f"the draft failed verification: {built.report.failures[0]}")
    return built


def _write_draft(paper: Paper, built) -> Paper:
    """Write the draft challenge and its rows, and mark the paper verified, in one
    transaction. A draft already written for this paper (a redelivery) is kept."""
    record: fmt.ChallengeRecord = built.record
    with transaction.atomic():
        locked = Paper.objects.select_for_update().get(pk=paper.pk)
        if locked.is_finished:
            return locked
        existing = Challenge.objects.filter(
            public_id=record.challenge_id, version=record.version
        ).first()
        if existing is not None and existing.paper_id != locked.pk:
            raise PaperDraftRejected(
                f"challenge {record.challenge_id} v{record.version} already exists "
                "and was not made from this paper"
            )
        if existing is None:
            challenge = challenge_from_record(record, status=Challenge.Status.DRAFT)
            challenge.paper = locked
            challenge.verification_report = built.report.as_dict()
            challenge.save()
            facts = Fact.objects.bulk_create(facts_from_record(record, challenge))
            conflicts = Conflict.objects.bulk_create(
                conflicts_from_record(record, challenge, {f.fact_id: f for f in facts})
            )
            Question.objects.bulk_create(
                questions_from_record(record, challenge, {c.conflict_id: c for c in conflicts})
            )
        locked.status = Paper.Status.VERIFIED
        locked.failure_reason = ""
        locked.save(update_fields=["status", "failure_reason", "updated_at"])
    return locked


def paper_process(*, paper_id: int) -> Paper:
    """Parse the stored file in a sandboxed child process, keep the parsed paper, build and
    verify the draft challenge, and write it. Expected failures (a file that is not a usable
    PDF, a paper too thin for a challenge, a draft that fails verification) mark the paper
    failed with one line; an unexpected error does too, then propagates for the worker's log.
    """
    paper = Paper.objects.get(pk=paper_id)
    if paper.is_finished or not _deliver(paper):
        return paper
    try:
        parsed = _parse(paper)
        _record_parsed(paper, parsed)
        _set_status(paper, Paper.Status.GENERATING)
        return _write_draft(paper, _build(paper, parsed))
    except ValueError as exc:
        # The parser's ``PdfRefused`` (not a PDF, encrypted, a scan, over a limit, a hang),
        # the builder's "too thin", a draft failing verification: all one readable line.
        return _fail(paper, str(exc))
    except Exception as exc:
        _fail(paper, f"internal error: {type(exc).__name__}: {exc}")
        raise


def paper_drafts_benchmark(*, papers: Sequence[Paper], name: str = "papers") -> fmt.BenchmarkFile:
    """The draft challenges made from ``papers`` (those that have one), as a DACR-Bench file."""
    from challenges.services.records import challenge_to_record

    challenges = (
        Challenge.objects.filter(paper__in=papers)
        .order_by("public_id", "version")
        .prefetch_related("facts", "conflicts", "questions")
    )
    return fmt.BenchmarkFile(
        name=name,
        version=fmt.WRITE_VERSION,
        challenges=tuple(challenge_to_record(c) for c in challenges),
        description=f"Draft challenges made from {len(papers)} paper(s) by DACR Lab",
    )
