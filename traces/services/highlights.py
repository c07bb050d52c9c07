"""Locating, ahead of time, every statement a trace page highlights.

Where a citation or a gold quote sits in a document takes a fuzzy search when the text is
not verbatim — tens of milliseconds each, dozens per page. Grading therefore queues
:func:`traces_highlights_locate` for the traces it graded (``highlights_locate_later``, when
``DACR_LOCATE_AFTER_GRADING`` is on), and the page then reads the answers from
``LocatedStatement`` rows instead of searching. It makes
exactly the calls the page makes (``traces.selectors_detail``), so everything a page of these
traces needs is stored; a page still locates, and stores, whatever is missing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from challenges.models import Question
from traces import evidence
from traces.models import Trace, Verdict
from traces.selectors_detail import highlight_inputs, highlighted_document

TASK_CHUNK = 1000  # traces per queued task
_READ_CHUNK = 5000


@dataclass(frozen=True)
class LocateReport:
    challenges: int
    searched: int  # texts that had to be located (the rest were stored already)


def traces_highlights_locate(
    *, trace_ids: Iterable[int], progress: Callable[[int, int], None] | None = None
) -> LocateReport:
    """Locate and store the conflicts, gold evidence and every citation of these traces'
    verdicts in their challenges' documents. Idempotent: stored answers are not searched
    again. Unknown ids are ignored. ``progress(done, total)`` is called per challenge."""
    citations: dict[int, set[str]] = {}
    ids = sorted(set(trace_ids))
    for begin in range(0, len(ids), _READ_CHUNK):
        chunk = ids[begin : begin + _READ_CHUNK]
        for challenge_id in Trace.objects.filter(pk__in=chunk).values_list(
            "challenge_id", flat=True
        ):
            citations.setdefault(challenge_id, set())
        rows = (
            Verdict.objects.filter(trace_id__in=chunk)
            .exclude(citation="")
            .values_list("trace__challenge_id", "citation")
            .distinct()
        )
        for challenge_id, citation in rows:
            citations.setdefault(challenge_id, set()).add(citation)
    searched = 0
    for done, challenge_id in enumerate(sorted(citations), start=1):
        searched += _challenge_locate(challenge_id, sorted(citations[challenge_id]))
        if progress:
            progress(done, len(citations))
    return LocateReport(challenges=len(citations), searched=searched)


def _challenge_locate(challenge_id: int, citation_texts: Sequence[str]) -> int:
    inputs = highlight_inputs(challenge_id)
    questions = Question.objects.filter(challenge_id=challenge_id).only(
        "question_id", "reasoning_chain"
    )
    citations = [evidence.Passage("", "", (text,)) for text in citation_texts]
    _, searched = highlighted_document(inputs, inputs.gold(questions), citations)
    return searched


def highlights_locate_later(trace_ids: Iterable[int]) -> None:
    """Queue :func:`traces_highlights_locate` for these traces once the current transaction
    commits, in chunks of ``TASK_CHUNK`` — when ``DACR_LOCATE_AFTER_GRADING`` is on (by
    default when a broker is configured: see the setting)."""
    if not settings.DACR_LOCATE_AFTER_GRADING:
        return
    ids = sorted(set(trace_ids))
    if not ids:
        return

    def enqueue() -> None:
        from traces.tasks import traces_highlights_locate_task

        for begin in range(0, len(ids), TASK_CHUNK):
            traces_highlights_locate_task.delay(ids[begin : begin + TASK_CHUNK])

    transaction.on_commit(enqueue)
