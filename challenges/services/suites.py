"""Suites: named, ordered sets of challenges; frozen once an evaluation uses them."""

from __future__ import annotations

from pathlib import Path

from django.db import transaction
from django.db.models import Max, Prefetch
from django.utils import timezone

from challenges import dacr_format as fmt
from challenges.models import Challenge, Conflict, Fact, Question, Suite, SuiteMembership
from challenges.services.records import challenge_to_record


class SuiteFrozenError(ValueError):
    """The suite is frozen (an evaluation used it); its membership cannot change."""


def suite_get_or_create(
    *, name: str, description: str = "", user=None, source_header: dict | None = None
) -> Suite:
    suite, _ = Suite.objects.get_or_create(
        name=name,
        defaults={
            "description": description,
            "created_by": user if getattr(user, "is_authenticated", False) else None,
            "source_header": source_header or {},
        },
    )
    return suite


def suite_add_challenges(*, suite: Suite, challenges: list[Challenge]) -> int:
    """Append the challenges not yet in the suite, in order. Returns how many were added."""
    with transaction.atomic():
        suite = Suite.objects.select_for_update().get(pk=suite.pk)
        present = set(suite.memberships.values_list("challenge_id", flat=True))
        new = []
        for challenge in challenges:
            if challenge.pk not in present:
                present.add(challenge.pk)
                new.append(challenge)
        if new and suite.is_frozen:
            raise SuiteFrozenError(
                f"suite {suite.name!r} is frozen (used by an evaluation); "
                f"it cannot take {len(new)} new challenge(s) — create a new suite"
            )
        start = (suite.memberships.aggregate(top=Max("position"))["top"] or 0) + 1
        SuiteMembership.objects.bulk_create(
            [
                SuiteMembership(suite=suite, challenge=challenge, position=start + offset)
                for offset, challenge in enumerate(new)
            ],
            batch_size=2000,
        )
    return len(new)


def suite_freeze(*, suite: Suite) -> Suite:
    """Freeze the suite's membership (called when an evaluation first uses it)."""
    if suite.frozen_at is None:
        Suite.objects.filter(pk=suite.pk, frozen_at__isnull=True).update(frozen_at=timezone.now())
        suite.refresh_from_db(fields=["frozen_at"])
    return suite


def suite_export(*, suite: Suite) -> fmt.BenchmarkFile:
    """The suite's challenges as a benchmark file, in suite order."""
    challenges = (
        Challenge.objects.filter(memberships__suite=suite)
        .order_by("memberships__position")
        .prefetch_related(
            Prefetch("facts", queryset=Fact.objects.order_by("position")),
            Prefetch("conflicts", queryset=Conflict.objects.order_by("position")),
            Prefetch("questions", queryset=Question.objects.order_by("position")),
        )
    )
    header = suite.source_header or {}
    known = {"name", "version", "createdAt", "description"}
    return fmt.BenchmarkFile(
        name=suite.name,
        version=fmt.WRITE_VERSION,
        created_at=header.get("createdAt") or suite.created_at.isoformat(),
        description=suite.description,
        challenges=tuple(challenge_to_record(c) for c in challenges),
        extra={k: v for k, v in header.items() if k not in known},
    )


def suite_export_to_path(
    *, suite: Suite, path: str | Path, version: str = fmt.WRITE_VERSION
) -> int:
    """Write the suite to ``path`` atomically (a temporary file renamed into place)."""
    return benchmark_write(benchmark=suite_export(suite=suite), path=path, version=version)


def benchmark_write(
    *, benchmark: fmt.BenchmarkFile, path: str | Path, version: str = fmt.WRITE_VERSION
) -> int:
    """Write a benchmark file atomically (a temporary file renamed into place): a reader
    never sees half a file. Returns the size in bytes."""
    path = Path(path)
    text = fmt.dump_benchmark(benchmark, version=version)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return len(text.encode("utf-8"))
