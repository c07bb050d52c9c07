"""Read queries for traces and verdicts, shared by the API, the pages and the metrics.

Traces and verdicts follow their challenge's visibility (drafts are for annotators and admins).
The *effective* decision of a verdict is worked out in the database (see
:func:`verdicts_with_effective_decision`) so that a page of verdicts, or all verdicts of an
evaluation, is one query however many audits there are.
"""

from __future__ import annotations

import django_filters
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    F,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Value,
    When,
)

from challenges.models import Category
from challenges.selectors import challenge_visibility, count_subquery
from traces.models import (
    Audit,
    AuditDecision,
    ConflictOutcome,
    Decision,
    MatchType,
    Trace,
    TraceSource,
    Verdict,
    VerifierMode,
)

# "" (not a conflict question) is no filter value: an empty parameter means "any".
CONFLICT_OUTCOME_FILTER_CHOICES = [c for c in ConflictOutcome.choices if c[0]]

# Audit decisions that replace the verifier's decision; ``agree`` and ``gold_wrong`` keep it.
OVERRIDING_AUDIT_DECISIONS = (AuditDecision.CORRECT, AuditDecision.INCORRECT)


def verdicts_with_effective_decision(
    queryset: QuerySet[Verdict] | None = None,
) -> QuerySet[Verdict]:
    """``queryset`` (default: all verdicts) annotated with, per verdict:

    - ``latest_audit_decision``: the decision of its latest audit (by creation time, then id),
      or None when it has none;
    - ``audit_count``: how many audits it has;
    - ``effective_decision``: the latest audit's decision when that is ``correct`` or
      ``incorrect``, else (``agree``, ``gold_wrong`` or no audit) the verifier's ``decision``;
    - ``gold_flagged``: True when the latest audit says the gold answer is wrong.

    All four are subqueries in the same SELECT, so they can be filtered and ordered on.
    """
    queryset = Verdict.objects.all() if queryset is None else queryset
    latest_audit = Audit.objects.filter(verdict=OuterRef("pk")).order_by("-created_at", "-id")
    return queryset.annotate(
        latest_audit_decision=Subquery(latest_audit.values("decision")[:1]),
        audit_count=count_subquery(Audit.objects.all(), outer_field="verdict"),
    ).annotate(
        effective_decision=Case(
            When(
                latest_audit_decision__in=OVERRIDING_AUDIT_DECISIONS,
                then=F("latest_audit_decision"),
            ),
            default=F("decision"),
            output_field=CharField(),
        ),
        gold_flagged=Case(
            When(latest_audit_decision=AuditDecision.GOLD_WRONG, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
    )


def _verdicts_for_display(queryset: QuerySet[Verdict]) -> QuerySet[Verdict]:
    """Effective decision plus the few related values a listing shows, as annotations
    (``question_ref`` is the question's ``q01``-style id)."""
    return verdicts_with_effective_decision(queryset).annotate(
        question_ref=F("question__question_id"),
        question_category=F("question__category"),
        solver_name=F("trace__solver__name"),
        challenge_public_id=F("trace__challenge__public_id"),
        challenge_version=F("trace__challenge__version"),
    )


# --- traces -------------------------------------------------------------------------------


class TraceFilter(django_filters.FilterSet):
    """``challenge`` is a challenge's public id (all its versions), ``solver`` a solver's name."""

    challenge = django_filters.CharFilter(field_name="challenge__public_id")
    solver = django_filters.CharFilter(field_name="solver__name")
    source = django_filters.ChoiceFilter(choices=TraceSource.choices)
    parse_format = django_filters.CharFilter(field_name="parse_format")

    class Meta:
        model = Trace
        fields = ["challenge", "solver", "source", "parse_format"]


def _traces_for_display(user) -> QuerySet[Trace]:
    return Trace.objects.filter(challenge_visibility(user=user, via="challenge__")).annotate(
        solver_name=F("solver__name"),
        challenge_public_id=F("challenge__public_id"),
        challenge_version=F("challenge__version"),
        verdict_count=count_subquery(Verdict.objects.all(), outer_field="trace"),
    )


def trace_list(*, user, filters: dict | None = None) -> QuerySet[Trace]:
    """The traces ``user`` may read, newest first, without their raw output and reasoning,
    annotated with ``solver_name``, ``challenge_public_id``, ``challenge_version`` and
    ``verdict_count``. ``filters`` are :class:`TraceFilter`'s, already validated."""
    queryset = (
        _traces_for_display(user)
        .defer("raw_output", "parsed_reasoning")
        .order_by("-created_at", "-id")
    )
    return TraceFilter(filters or {}, queryset).qs


def trace_get(*, user, trace_id: int) -> Trace | None:
    """One trace ``user`` may read, with the annotations of :func:`trace_list` and its verdicts
    (with their effective decisions) in question order as ``verdict_rows``; None when there is
    no such trace or right to read it."""
    verdicts = _verdicts_for_display(Verdict.objects.all()).order_by(
        "question__position", "mode", "verifier_version", "id"
    )
    return (
        _traces_for_display(user)
        .prefetch_related(Prefetch("verdicts", queryset=verdicts, to_attr="verdict_rows"))
        .filter(pk=trace_id)
        .first()
    )


# --- verdicts -----------------------------------------------------------------------------


class VerdictFilter(django_filters.FilterSet):
    """``decision`` is the verifier's decision, ``effective_decision`` the one after audits;
    ``challenge`` is a challenge's public id and ``solver`` a solver's name."""

    trace = django_filters.NumberFilter(field_name="trace_id")
    challenge = django_filters.CharFilter(field_name="trace__challenge__public_id")
    solver = django_filters.CharFilter(field_name="trace__solver__name")
    mode = django_filters.ChoiceFilter(choices=VerifierMode.choices)
    decision = django_filters.ChoiceFilter(choices=Decision.choices)
    effective_decision = django_filters.ChoiceFilter(choices=Decision.choices)
    gold_flagged = django_filters.BooleanFilter()
    match_type = django_filters.ChoiceFilter(choices=MatchType.choices)
    conflict_outcome = django_filters.ChoiceFilter(choices=CONFLICT_OUTCOME_FILTER_CHOICES)
    question_category = django_filters.ChoiceFilter(
        field_name="question__category", choices=Category.choices
    )

    class Meta:
        model = Verdict
        fields = [
            "trace",
            "challenge",
            "solver",
            "mode",
            "decision",
            "effective_decision",
            "gold_flagged",
            "match_type",
            "conflict_outcome",
            "question_category",
        ]


def verdict_list(*, user, filters: dict | None = None) -> QuerySet[Verdict]:
    """The verdicts ``user`` may read, ordered by trace (newest first), question position and
    mode, with the annotations of :func:`verdicts_with_effective_decision`, the question's id
    and category, the solver's name and the challenge's public id and version. ``filters``
    are :class:`VerdictFilter`'s, already validated."""
    visible = Verdict.objects.filter(challenge_visibility(user=user, via="trace__challenge__"))
    queryset = _verdicts_for_display(visible).order_by(
        "-trace__created_at", "-trace_id", "question__position", "mode", "verifier_version", "id"
    )
    return VerdictFilter(filters or {}, queryset).qs


def verdict_get(*, user, verdict_id: int) -> Verdict | None:
    """One verdict ``user`` may read, with the annotations of :func:`verdict_list`; None when
    there is no such verdict or right to read it."""
    return verdict_list(user=user).filter(pk=verdict_id).first()
