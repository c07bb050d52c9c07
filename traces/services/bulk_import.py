"""Bulk trace import from JSON Lines: all of the file or nothing."""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from challenges.models import Challenge, ChallengeStatus, Question
from traces.jsonl_import import LineProblem, TraceFile, TraceLine, read_traces_jsonl
from traces.models import SolverKind, Trace, TraceSource
from traces.services.grading import traces_grade
from traces.services.recording import TraceInput, solver_get_or_create, traces_record

logger = logging.getLogger(__name__)

PROBLEMS_IN_MESSAGE = 10


class TraceImportRefused(ValueError):
    """The file has bad lines; nothing was written. ``problems`` holds the first ones (line
    order), ``problem_count`` counts them all."""

    def __init__(self, problems: list[LineProblem], problem_count: int):
        self.problems = problems
        self.problem_count = problem_count
        shown = "; ".join(str(p) for p in problems[:PROBLEMS_IN_MESSAGE])
        more = problem_count - min(len(problems), PROBLEMS_IN_MESSAGE)
        noun = "problem" if problem_count == 1 else "problems"
        tail = f" (and {more} more)" if more > 0 else ""
        super().__init__(f"{problem_count} {noun}, nothing was imported: {shown}{tail}")


@dataclass(frozen=True)
class ImportResult:
    traces_created: int
    traces_unchanged: int  # lines already recorded before (or repeated within the file)
    graded: int  # verdicts written (0 when every trace already had its verdicts)


def traces_import_jsonl(
    *, data: bytes, user=None, source: str = TraceSource.IMPORT
) -> ImportResult:
    """Record every line of a JSON Lines file as a trace of its solver and grade it in both
    modes, in one transaction. Idempotent: a line recorded before is not stored again.

    Raises ``TraceImportRefused`` and writes nothing when any line is bad — unreadable, of the
    wrong shape, or naming a challenge, version or question id that does not exist."""
    parsed = read_traces_jsonl(data)
    resolved = _resolve_challenges(parsed)
    if parsed.problem_count:
        parsed.problems.sort(key=lambda p: p.line or 0)
        raise TraceImportRefused(parsed.problems, parsed.problem_count)

    by_solver: dict[str, list[TraceInput]] = defaultdict(list)
    for line in parsed.traces:
        by_solver[line.solver].append(
            TraceInput(
                challenge=resolved[line.line],
                raw_output=line.output or "",
                answers=line.answers,
                source=source,
                prompt_tokens=line.prompt_tokens,
                completion_tokens=line.completion_tokens,
                latency_ms=line.latency_ms,
            )
        )
    with transaction.atomic():
        started = timezone.now()
        recorded: dict[int, Trace] = {}
        for name, attempts in by_solver.items():
            solver = solver_get_or_create(name=name, kind=SolverKind.IMPORTED)
            recorded.update((t.pk, t) for t in traces_record(solver=solver, attempts=attempts))
        # A trace stored by this call carries this call's time; one found already is older.
        created = sum(1 for t in recorded.values() if t.created_at >= started)
        graded = traces_grade(traces=list(recorded.values()))
    logger.info(
        "trace import by %s: %d lines, %d traces created, %d verdicts written",
        getattr(user, "username", None) or "command line",
        len(parsed.traces),
        created,
        graded,
    )
    return ImportResult(
        traces_created=created, traces_unchanged=len(parsed.traces) - created, graded=graded
    )


def _resolve_challenges(parsed: TraceFile) -> dict[int, Challenge]:
    """The challenge of each valid line by line number; adds a problem for each line whose
    challenge, version or question ids are unknown."""
    public_ids = {line.challenge_id for line in parsed.traces}
    versions: dict[str, list[Challenge]] = defaultdict(list)
    for challenge in Challenge.objects.filter(public_id__in=public_ids).only(
        "id", "public_id", "version", "status"
    ):
        versions[challenge.public_id].append(challenge)
    question_ids: dict[int, set[str]] = defaultdict(set)
    for challenge_pk, question_id in Question.objects.filter(
        challenge__public_id__in=public_ids
    ).values_list("challenge_id", "question_id"):
        question_ids[challenge_pk].add(question_id)

    resolved = {}
    for line in parsed.traces:
        challenge, reason = _challenge_for(line, versions.get(line.challenge_id, []))
        if challenge is not None:
            unknown = sorted(set(line.answers or {}) - question_ids[challenge.pk])
            if unknown:
                known = ", ".join(sorted(question_ids[challenge.pk]))
                reason = f"{challenge} has no question {unknown[0]!r} (it has {known})"
        if reason:
            parsed.refuse(line.line, reason)
        else:
            resolved[line.line] = challenge
    return resolved


def _challenge_for(line: TraceLine, candidates: list[Challenge]) -> tuple[Challenge | None, str]:
    if not candidates:
        return None, f"unknown challenge {line.challenge_id!r}"
    if line.version is not None:
        for challenge in candidates:
            if challenge.version == line.version:
                return challenge, ""
        have = ", ".join(sorted(c.version for c in candidates))
        return None, f"challenge {line.challenge_id!r} has no version {line.version!r} ({have})"
    if len(candidates) == 1:
        return candidates[0], ""
    published = [c for c in candidates if c.status == ChallengeStatus.PUBLISHED]
    if len(published) == 1:
        return published[0], ""
    have = ", ".join(sorted(c.version for c in candidates))
    return None, f"challenge {line.challenge_id!r} has several versions ({have}); give 'version'"
