"""Thin Celery tasks: take an id, call one service."""

from celery import shared_task

from traces import services
from traces.models import Trace


@shared_task(queue="default")
def trace_grade_task(trace_id: int) -> int:
    """Grade one trace in both modes; re-running it replaces this verifier version's verdicts
    in place (audits are untouched), so a redelivered task is harmless."""
    trace = Trace.objects.filter(pk=trace_id).first()
    if trace is None:
        return 0
    return services.trace_grade(trace=trace)


@shared_task(queue="default")
def traces_highlights_locate_task(trace_ids: list[int]) -> int:
    """Store where these traces' highlighted statements sit (after grading); idempotent."""
    return services.traces_highlights_locate(trace_ids=trace_ids).searched
