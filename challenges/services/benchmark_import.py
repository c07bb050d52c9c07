"""Import DACR-Bench files: atomic (all or nothing) and idempotent (re-import adds nothing).

The whole file is validated before anything is written; then every row is written in one
transaction. A challenge that already exists with the same (id, version) and content hash
is left as it is; one with different content is refused, because a published challenge
cannot change (give the new content a new version).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from challenges import dacr_format as fmt
from challenges.models import BenchmarkImport, Challenge, Conflict, Fact, Question, Suite
from challenges.services.jobs import job_deliver, job_finish, job_progress
from challenges.services.records import (
    challenge_from_record,
    conflicts_from_record,
    facts_from_record,
    questions_from_record,
)
from challenges.services.suites import suite_add_challenges, suite_get_or_create

_BATCH = 2000


class BenchmarkImportError(ValueError):
    """The file is valid but cannot be imported (e.g. it would change a published challenge)."""


@dataclass(frozen=True)
class ImportSummary:
    suite_name: str
    created: int
    unchanged: int
    challenge_ids: tuple[str, ...]
    questions: int
    conflicts: int


def benchmark_import(
    *, benchmark: fmt.BenchmarkFile, suite_name: str | None = None, user=None
) -> ImportSummary:
    """Write ``benchmark`` into the database and into the suite ``suite_name`` (default: the
    file's name; ``""`` for no suite). Raises ``BenchmarkImportError`` and writes nothing when
    the file would change an existing challenge or a frozen suite."""
    records = benchmark.challenges
    hashes = [fmt.content_hash(record) for record in records]
    if suite_name is None:
        suite_name = benchmark.name.strip()
    with transaction.atomic():
        existing = _existing_challenges(records)
        to_create = []
        for record, digest in zip(records, hashes, strict=True):
            found = existing.get((record.challenge_id, record.version))
            if found is None:
                to_create.append((record, digest))
            elif found.content_hash != digest:
                raise BenchmarkImportError(
                    f"challenge {record.challenge_id} v{record.version} already exists with "
                    "different content; a published challenge cannot change, so import the "
                    "new content under a new version"
                )
        created = _create_challenges(to_create)
        existing.update({(c.public_id, c.version): c for c in created})
        if suite_name:
            suite = suite_get_or_create(
                name=suite_name,
                description=benchmark.description,
                user=user,
                source_header=_header(benchmark),
            )
            suite_add_challenges(
                suite=suite,
                challenges=[existing[(r.challenge_id, r.version)] for r in records],
            )
    return ImportSummary(
        suite_name=suite_name,
        created=len(created),
        unchanged=len(records) - len(created),
        challenge_ids=tuple(r.challenge_id for r in records),
        questions=sum(len(r.questions) for r in records),
        conflicts=sum(len(r.conflicts) for r in records),
    )


def benchmark_import_path(
    *, path: str | Path, suite_name: str | None = None, user=None, progress=None
) -> ImportSummary:
    """Read, validate and import a file from disk (the size limit applies)."""
    benchmark = fmt.load_benchmark(
        path, max_bytes=settings.DACR_MAX_BENCHMARK_BYTES, progress=progress
    )
    return benchmark_import(benchmark=benchmark, suite_name=suite_name, user=user)


def _header(benchmark: fmt.BenchmarkFile) -> dict:
    return {
        "name": benchmark.name,
        "version": benchmark.version,
        "createdAt": benchmark.created_at,
        "description": benchmark.description,
        **benchmark.extra,
    }


def _existing_challenges(records) -> dict[tuple[str, str], Challenge]:
    ids = sorted({record.challenge_id for record in records})
    found: dict[tuple[str, str], Challenge] = {}
    for start in range(0, len(ids), 500):
        for challenge in Challenge.objects.filter(public_id__in=ids[start : start + 500]).only(
            "id", "public_id", "version", "content_hash"
        ):
            found[(challenge.public_id, challenge.version)] = challenge
    return found


def _create_challenges(items) -> list[Challenge]:
    """Bulk-create challenges and their facts, conflicts and questions."""
    if not items:
        return []
    challenges = Challenge.objects.bulk_create(
        [
            _with_hash(challenge_from_record(record, status=Challenge.Status.PUBLISHED), digest)
            for record, digest in items
        ],
        batch_size=200,
    )
    facts: list[Fact] = []
    for (record, _), challenge in zip(items, challenges, strict=True):
        facts.extend(facts_from_record(record, challenge))
    Fact.objects.bulk_create(facts, batch_size=_BATCH)
    facts_by_challenge: dict[int, dict[str, Fact]] = {}
    for fact in facts:
        facts_by_challenge.setdefault(fact.challenge_id, {})[fact.fact_id] = fact
    conflicts: list[Conflict] = []
    for (record, _), challenge in zip(items, challenges, strict=True):
        conflicts.extend(
            conflicts_from_record(record, challenge, facts_by_challenge.get(challenge.pk, {}))
        )
    Conflict.objects.bulk_create(conflicts, batch_size=_BATCH)
    conflicts_by_challenge: dict[int, dict[str, Conflict]] = {}
    for conflict in conflicts:
        conflicts_by_challenge.setdefault(conflict.challenge_id, {})[conflict.conflict_id] = (
            conflict
        )
    questions: list[Question] = []
    for (record, _), challenge in zip(items, challenges, strict=True):
        questions.extend(
            questions_from_record(record, challenge, conflicts_by_challenge.get(challenge.pk, {}))
        )
    Question.objects.bulk_create(questions, batch_size=_BATCH)
    return challenges


def _with_hash(challenge: Challenge, digest: str) -> Challenge:
    challenge.content_hash = digest
    return challenge


# --- web uploads (a BenchmarkImport row per upload, run as a Celery task) --------------------


def benchmark_import_start(
    *, uploaded_file: UploadedFile, suite_name: str = "", user=None
) -> BenchmarkImport:
    """Store an uploaded file and enqueue its import (after the transaction commits).

    Raises ``BenchmarkImportError`` before storing anything when the file is too large."""
    from challenges.tasks import benchmark_import_task

    limit = settings.DACR_MAX_BENCHMARK_BYTES
    if uploaded_file.size > limit:
        raise BenchmarkImportError(
            f"{uploaded_file.name} is {uploaded_file.size / 1e6:.1f} MB; "
            f"the limit is {limit / 1e6:.1f} MB"
        )
    with transaction.atomic():
        job = BenchmarkImport.objects.create(
            file=uploaded_file,
            original_name=uploaded_file.name[:255],
            size_bytes=uploaded_file.size,
            suite_name=suite_name.strip(),
            created_by=user if getattr(user, "is_authenticated", False) else None,
        )
        benchmark_import_task.delay_on_commit(job.pk)
    return job


def benchmark_import_run(*, import_id: int) -> BenchmarkImport:
    """Run (or resume) one web import. Safe to call twice: a finished import is left alone;
    an import whose worker died is retried from the start (the import itself is atomic),
    and after ``DACR_TASK_MAX_DELIVERIES`` deliveries it is marked failed."""
    job = BenchmarkImport.objects.get(pk=import_id)
    if job.is_finished:
        return job
    if not job_deliver(job, running_status=BenchmarkImport.Status.VALIDATING, what="import"):
        return job
    progress = job_progress(job)

    try:
        benchmark = fmt.load_benchmark(
            job.file.path, max_bytes=settings.DACR_MAX_BENCHMARK_BYTES, progress=progress
        )
        BenchmarkImport.objects.filter(pk=job.pk).update(status=BenchmarkImport.Status.WRITING)
        summary = benchmark_import(
            benchmark=benchmark, suite_name=job.suite_name or None, user=job.created_by
        )
    except (fmt.DacrFormatError, BenchmarkImportError) as exc:
        job.refresh_from_db()
        return job_finish(job, error=str(exc))
    except Exception as exc:  # unexpected: keep the row truthful, then let Celery log it
        job.refresh_from_db()
        job_finish(job, error=f"internal error: {type(exc).__name__}: {exc}")
        raise
    job.refresh_from_db()
    job.challenges_created = summary.created
    job.challenges_unchanged = summary.unchanged
    job.suite = Suite.objects.filter(name=summary.suite_name).first()
    return job_finish(job)
