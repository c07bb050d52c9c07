"""Grading traces: every question in both verifier modes, stored as Verdict rows.

Re-grading with the same verifier version updates those verdicts in place, so audits (which
point at verdicts) are never touched; a new verifier version adds verdicts beside the old.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from challenges.models import Question
from traces.gold import gold_challenges
from traces.grading import MODES, VERIFIER_VERSION, QuestionVerdict, grade_challenge
from traces.grading.dacr_json import read_answers
from traces.models import Trace, Verdict
from traces.selectors_browser import verdicts_changed
from traces.services.highlights import highlights_locate_later
from traces.services.verdict_flags import verdicts_disagreement_refresh

_FIELDS = (
    "answer",
    "citation",
    "confidence",
    "match_type",
    "decision",
    "conflict_outcome",
    "citation_score",
    "verdict_confidence",
    "reason",
    "modes_disagree",
)


def traces_grade(
    *,
    traces: Sequence[Trace],
    modes: Sequence[str] = MODES,
    gold: dict | None = None,
    force: bool = False,
) -> int:
    """Grade ``traces`` in ``modes`` with the current verifier; returns verdicts written.

    A trace that already has every verdict of this verifier version is skipped: a published
    challenge and a recorded trace never change, so its verdicts would come out the same.
    ``force`` grades it again anyway (updating the verdicts in place).
    ``gold`` (challenge pk → ``GoldChallenge``) may be passed when the caller has it.
    Never raises on a model's answer: the verifier reads any text."""
    if not force:
        traces = _not_yet_graded(traces, modes)
    if not traces:
        return 0
    gold = gold if gold is not None else gold_challenges({t.challenge_id for t in traces})
    question_pks = {
        (challenge_id, question_id): pk
        for pk, challenge_id, question_id in Question.objects.filter(
            challenge_id__in={t.challenge_id for t in traces}
        ).values_list("pk", "challenge_id", "question_id")
    }
    rows = []
    for trace in traces:
        answers = read_answers(trace.answers or {}, f"trace {trace.pk}", [])
        challenge = gold[trace.challenge_id]
        for mode in modes:
            grade = grade_challenge(challenge, answers, mode=mode)
            for verdict in grade.verdicts:
                pk = question_pks[(trace.challenge_id, verdict.question_id)]
                rows.append(_verdict_row(trace, pk, verdict))
    _mark_disagreements(rows)
    with transaction.atomic():
        written = _store(rows, traces=traces)
        if len(set(modes)) < len(MODES):
            # The other mode's verdicts were not graded here: compare against the stored
            # ones, in the same transaction as the verdicts just written.
            verdicts_disagreement_refresh(
                Verdict.objects.filter(
                    trace_id__in=[t.pk for t in traces], verifier_version=VERIFIER_VERSION
                )
            )
            transaction.on_commit(verdicts_changed)
        highlights_locate_later(t.pk for t in traces)
    return written


def _mark_disagreements(rows: list[Verdict]) -> None:
    """Set ``modes_disagree`` on rows whose other mode is among ``rows`` and decided
    otherwise (grading writes both modes together, so this is the usual case)."""
    decisions: dict[tuple, set[str]] = {}
    for row in rows:
        key = (row.trace_id, row.question_id, row.verifier_version)
        decisions.setdefault(key, set()).add(row.decision)
    for row in rows:
        row.modes_disagree = (
            len(decisions[(row.trace_id, row.question_id, row.verifier_version)]) > 1
        )


def trace_grade(*, trace: Trace) -> int:
    """Grade (or re-grade) one trace in both modes: the Celery task's service."""
    return traces_grade(traces=[trace], force=True)


def _not_yet_graded(traces: Sequence[Trace], modes: Sequence[str]) -> list[Trace]:
    graded = dict(
        Verdict.objects.filter(
            trace_id__in=[t.pk for t in traces],
            verifier_version=VERIFIER_VERSION,
            mode__in=list(modes),
        )
        .values("trace_id")
        .annotate(n=Count("id"))
        .values_list("trace_id", "n")
    )
    questions = dict(
        Question.objects.filter(challenge_id__in={t.challenge_id for t in traces})
        .values("challenge_id")
        .annotate(n=Count("id"))
        .values_list("challenge_id", "n")
    )
    return [
        t for t in traces if graded.get(t.pk, 0) < questions.get(t.challenge_id, 0) * len(modes)
    ]


def _verdict_row(trace: Trace, question_pk: int, verdict: QuestionVerdict) -> Verdict:
    confidence = verdict.confidence
    # NaN (a confidence the public scorer cannot read) is stored as NULL; reading it back,
    # metrics turn NULL into NaN again — the reference clamp never yields NULL otherwise.
    if confidence is not None and math.isnan(confidence):
        confidence = None
    return Verdict(
        trace_id=trace.pk,
        question_id=question_pk,
        mode=verdict.mode,
        verifier_version=verdict.verifier_version,
        answer=verdict.answer,
        citation=verdict.citation or "",
        confidence=confidence,
        match_type=verdict.match_type,
        decision="correct" if verdict.correct else "incorrect",
        conflict_outcome=verdict.conflict_outcome,
        citation_score=verdict.citation_score,
        verdict_confidence=min(1.0, max(0.0, verdict.verdict_confidence)),
        reason=verdict.reason[:500],
    )


def _store(rows: list[Verdict], *, traces: Sequence[Trace]) -> int:
    with transaction.atomic():
        existing = {
            (v.trace_id, v.question_id, v.mode): v
            for v in Verdict.objects.filter(
                trace_id__in=[t.pk for t in traces], verifier_version=VERIFIER_VERSION
            ).only("id", "trace_id", "question_id", "mode")
        }
        to_update = []
        to_create = []
        for row in rows:
            found = existing.get((row.trace_id, row.question_id, row.mode))
            if found is None:
                to_create.append(row)
            else:
                for name in _FIELDS:
                    setattr(found, name, getattr(row, name))
                to_update.append(found)
        _insert(to_create)
        if to_update:
            Verdict.objects.bulk_update(to_update, _FIELDS, batch_size=1000)
            transaction.on_commit(verdicts_changed)
    return len(rows)


_COPY_COLUMNS = (
    "trace_id",
    "question_id",
    "mode",
    "verifier_version",
    *_FIELDS,
    "override",
    "audited",
    "created_at",
)


def _insert(rows: list[Verdict]) -> None:
    """Insert new verdicts. On PostgreSQL through COPY: a graded suite is tens of thousands of
    rows, and COPY writes them several times faster than multi-row INSERTs."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        Verdict.objects.bulk_create(rows, batch_size=2000)
        return
    now = timezone.now()
    sql = f"COPY {Verdict._meta.db_table} ({', '.join(_COPY_COLUMNS)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            row.created_at = now
            copy.write_row([getattr(row, column) for column in _COPY_COLUMNS])
