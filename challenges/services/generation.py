"""Generating synthetic suites with the engine and writing them like an import.

Bad input (unknown domain, count ≤ 0 or over the cap, a seed that is not a non-negative
integer) raises ``EngineError`` before anything is generated or written. Generation is
deterministic, so running the same request twice writes nothing new the second time.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.db import transaction

from challenges import dacr_format as fmt
from challenges import engine
from challenges.models import GenerationJob, Suite
from challenges.services.benchmark_import import BenchmarkImportError, benchmark_import
from challenges.services.jobs import job_deliver, job_finish, job_progress
from challenges.services.suites import SuiteFrozenError

_WRITE_BATCH = 250
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class GenerationSummary:
    suite_name: str
    created: int
    unchanged: int
    records: tuple[fmt.ChallengeRecord, ...]


class GenerationRefused(engine.EngineError):
    """A valid engine request the database cannot take (a frozen suite, a name too long)."""


SUITE_NAME_MAX = Suite._meta.get_field("name").max_length


def default_suite_name(*, count: int, seed: int | str, domains: Sequence[str] | None) -> str:
    scope = "all" if not domains else "+".join(domains)
    return f"synthetic-{scope}-seed{engine.parse_seed(seed)}-n{count}"[:SUITE_NAME_MAX]


def check_generation_request(
    *, count: int, seed: int | str, domains: Sequence[str] | None, suite_name: str | None
) -> tuple[list[tuple[str, int]], str]:
    """Every check a request must pass before anything is generated: the engine's (domain,
    count, seed) and the suite's (name length, not frozen). Returns the seeds and the name.
    Raises ``EngineError`` (or its ``GenerationRefused``) with one readable line."""
    seeds = engine.suite_seeds(count, seed, domains)
    name = (suite_name or "").strip() or default_suite_name(count=count, seed=seed, domains=domains)
    if len(name) > SUITE_NAME_MAX:
        raise GenerationRefused(
            f"suite name is {len(name)} characters; the limit is {SUITE_NAME_MAX}"
        )
    if Suite.objects.filter(name=name, frozen_at__isnull=False).exists():
        raise GenerationRefused(
            f"suite {name!r} is frozen (used by an evaluation); choose another suite name"
        )
    return seeds, name


def suite_benchmark(
    *, name: str, records: Sequence[fmt.ChallengeRecord], description: str = ""
) -> fmt.BenchmarkFile:
    """The DACR-Bench file of a generated suite. No timestamp: the same request gives the
    byte-identical file."""
    return fmt.BenchmarkFile(
        name=name,
        version=fmt.WRITE_VERSION,
        challenges=tuple(records),
        created_at="",
        description=description,
        extra={"engineVersion": engine.ENGINE_VERSION},
    )


def suite_generate(
    *,
    count: int,
    seed: int | str,
    domains: Sequence[str] | None = None,
    suite_name: str | None = None,
    user=None,
    progress: Progress | None = None,
) -> GenerationSummary:
    """Generate ``count`` verified challenges and write them into the suite ``suite_name``
    (all in one transaction). Raises ``EngineError`` on bad input, writing nothing."""
    seeds, name = check_generation_request(
        count=count, seed=seed, domains=domains, suite_name=suite_name
    )
    records = []
    for done, (domain, challenge_seed) in enumerate(seeds, start=1):
        records.append(engine.generate_challenge(domain, challenge_seed).record)
        if progress is not None:
            progress(done, len(seeds))
    description = (
        f"{len(records)} synthetic challenges from the DACR Lab engine "
        f"{engine.ENGINE_VERSION}, suite seed {seed}"
    )
    created = unchanged = 0
    with transaction.atomic():
        for start in range(0, len(records), _WRITE_BATCH):
            batch = suite_benchmark(
                name=name, records=records[start : start + _WRITE_BATCH], description=description
            )
            summary = benchmark_import(benchmark=batch, suite_name=name, user=user)
            created += summary.created
            unchanged += summary.unchanged
    return GenerationSummary(name, created, unchanged, tuple(records))


# --- web and API requests (a GenerationJob row per request, run as a Celery task) -------------


def generation_start(
    *, count: int, seed: int | str, domains: Sequence[str] | None, suite_name: str = "", user=None
) -> GenerationJob:
    """Validate a request and enqueue it (after the transaction commits). Raises
    ``EngineError`` with one readable line, creating nothing, on bad input."""
    from challenges.tasks import generation_task

    _, name = check_generation_request(
        count=count, seed=seed, domains=domains, suite_name=suite_name
    )
    with transaction.atomic():
        job = GenerationJob.objects.create(
            suite_name=name,
            count=count,
            seed=str(engine.parse_seed(seed)),
            domains=list(domains or []),
            engine_version=engine.ENGINE_VERSION,
            progress_total=count,
            created_by=user if getattr(user, "is_authenticated", False) else None,
        )
        generation_task.delay_on_commit(job.pk)
    return job


def generation_run(*, job_id: int) -> GenerationJob:
    """Run (or resume) one generation job, then the suite's validity report. A finished job
    is left alone; a job whose worker died starts again (generation is deterministic and the
    write is atomic, so nothing is duplicated); after ``DACR_TASK_MAX_DELIVERIES`` it is
    marked failed."""
    from challenges.services.validity import suite_validity_compute

    job = GenerationJob.objects.get(pk=job_id)
    if job.is_finished:
        return job
    if not job_deliver(job, running_status=GenerationJob.Status.GENERATING, what="job"):
        return job
    progress = job_progress(job, done_status=GenerationJob.Status.WRITING)

    try:
        summary = suite_generate(
            count=job.count,
            seed=job.seed,
            domains=job.domains or None,
            suite_name=job.suite_name,
            user=job.created_by,
            progress=progress,
        )
    except (engine.EngineError, BenchmarkImportError, SuiteFrozenError) as exc:
        job.refresh_from_db()
        return job_finish(job, error=str(exc))
    except Exception as exc:  # unexpected: keep the row truthful, then let Celery log it
        job.refresh_from_db()
        job_finish(job, error=f"internal error: {type(exc).__name__}: {exc}")
        raise
    # The suite is written: link it before the report, so a failing report still shows it.
    job.refresh_from_db()
    job.challenges_created = summary.created
    job.challenges_unchanged = summary.unchanged
    job.suite = Suite.objects.get(name=summary.suite_name)
    job.status = GenerationJob.Status.REPORTING
    job.save(update_fields=["challenges_created", "challenges_unchanged", "suite", "status"])
    try:
        suite_validity_compute(suite=job.suite)
    except Exception as exc:
        job_finish(job, error=f"the suite was written, but its validity report failed: {exc}")
        raise
    return job_finish(job)
