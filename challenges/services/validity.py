"""Validity reports and baseline traces for a suite."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Prefetch

from challenges.models import Challenge, Conflict, Question, Suite, ValidityReport
from challenges.services.records import challenge_to_record


def suite_records(*, suite: Suite) -> list:
    """The suite's challenges as format records, in suite order, with two queries each for
    facts, conflicts and questions (not one per challenge)."""
    challenges = (
        Challenge.objects.filter(memberships__suite=suite)
        .order_by("memberships__position")
        .prefetch_related(
            "facts",
            Prefetch("conflicts", queryset=Conflict.objects.order_by("position")),
            Prefetch("questions", queryset=Question.objects.order_by("position")),
        )
    )
    return [challenge_to_record(challenge) for challenge in challenges]


def suite_validity_compute(*, suite: Suite, n_resamples: int = 1000) -> ValidityReport:
    """Run the baseline solvers over ``suite`` and store its validity report."""
    from evaluation.validity import validity_report

    records = suite_records(suite=suite)
    report = validity_report(records, n_resamples=n_resamples)
    with transaction.atomic():
        return ValidityReport.objects.create(
            suite=suite,
            report=report,
            challenge_count=len(records),
            targets_met=report["targets_met"],
        )


def suite_validity_start(*, suite: Suite) -> None:
    """Enqueue a new validity report for ``suite`` (after the transaction commits)."""
    from challenges.tasks import validity_task

    validity_task.delay_on_commit(suite.pk)
