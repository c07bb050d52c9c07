"""Read queries for traces and verdicts, shared by the API, the pages and the metrics.

Traces and verdicts follow their challenge's visibility (drafts are for annotators and admins).
The *effective* decision of a verdict is worked out in the database (see
:func:`verdicts_with_effective_decision`) so that a page of verdicts, or all verdicts of an
evaluation, is one query however many audits there are.
"""

from __future__ import annotations

from dataclasses import dataclass

import django_filters
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from challenges.models import Category, Question, Suite
from challenges.selectors import challenge_visibility, count_subquery, suites_visible
from traces.grading import VERIFIER_VERSION
from traces.models import (
    Audit,
    AuditDecision,
    ConflictOutcome,
    Decision,
    MatchType,
    Solver,
    Trace,
    TraceSource,
    Verdict,
    VerifierMode,
)
from traces.parsing import FORMATS as PARSE_FORMATS

# "" (not a conflict question) is no filter value: an empty parameter means "any".
CONFLICT_OUTCOME_FILTER_CHOICES = [c for c in ConflictOutcome.choices if c[0]]


def verdicts_with_effective_decision(
    queryset: QuerySet[Verdict] | None = None,
) -> QuerySet[Verdict]:
    """``queryset`` (default: all verdicts) annotated with, per verdict:

    - ``latest_audit_decision``: the decision of its latest audit (by creation time, then id),
      or None when it has none;
    - ``audit_count``: how many audits it has;
    - ``effective_decision``: the latest audit's decision when that is ``correct`` or
      ``incorrect``, else (``agree``, ``gold_wrong`` or no audit) the verifier's ``decision``
      (read from ``Verdict.override``, which ``Audit.save`` keeps in step);
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
            When(~Q(override=""), then=F("override")),
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
    """One trace ``user`` may read, with the annotations of :func:`trace_list`, its challenge's
    ``challenge_content_hash``, and its verdicts (with their effective decisions) in question
    order as ``verdict_rows``; None when there is no such trace or right to read it."""
    verdicts = _verdicts_for_display(Verdict.objects.all()).order_by(
        "question__position", "mode", "verifier_version", "id"
    )
    return (
        _traces_for_display(user)
        .annotate(challenge_content_hash=F("challenge__content_hash"))
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


# --- pages --------------------------------------------------------------------------------


def _mode_tally(mode: str, *, correct: bool) -> Coalesce:
    """How many of a trace's verdicts in ``mode`` (current verifier version) there are, or
    (``correct``) how many are effectively correct, as a correlated count."""
    verdicts = Verdict.objects.filter(mode=mode, verifier_version=VERIFIER_VERSION)
    if correct:
        verdicts = verdicts_with_effective_decision(verdicts).filter(
            effective_decision=Decision.CORRECT
        )
    return count_subquery(verdicts, outer_field="trace")


class TraceListFilter(TraceFilter):
    """The trace page's filters: :class:`TraceFilter`'s plus ``suite`` (a suite's id), with
    the choices drawn from what ``user`` can see. Its ``qs`` is :func:`trace_list_scored`."""

    solver = django_filters.ChoiceFilter(
        field_name="solver__name", label="Solver", empty_label="All solvers"
    )
    suite = django_filters.ModelChoiceFilter(
        field_name="challenge__memberships__suite",
        queryset=Suite.objects.none(),
        label="Suite",
        empty_label="All suites",
    )
    challenge = django_filters.CharFilter(field_name="challenge__public_id", label="Challenge id")
    source = django_filters.ChoiceFilter(
        choices=TraceSource.choices, label="Source", empty_label="All sources"
    )
    parse_format = django_filters.ChoiceFilter(
        field_name="parse_format", label="Parse format", empty_label="All formats"
    )

    class Meta(TraceFilter.Meta):
        fields = ["solver", "suite", "challenge", "source", "parse_format"]

    def __init__(self, data=None, *, user, **kwargs) -> None:
        visible = Trace.objects.filter(challenge_visibility(user=user, via="challenge__"))
        super().__init__(data, queryset=_traces_scored(user), **kwargs)
        # Exists per solver (a handful) rather than a DISTINCT over every visible trace.
        solvers = Solver.objects.filter(Exists(visible.filter(solver_id=OuterRef("pk")))).order_by(
            "name"
        )
        self.filters["solver"].extra["choices"] = [
            (name, name) for name in solvers.values_list("name", flat=True)
        ]
        self.filters["suite"].queryset = suites_visible(user=user).only("id", "name")
        # The parser's formats: a fixed list, not a scan of every trace.
        self.filters["parse_format"].extra["choices"] = [(f, f) for f in PARSE_FORMATS]

    def active_filters(self) -> dict:
        """The filters that are set and valid, by name (``suite`` is a Suite)."""
        self.form.is_valid()
        cleaned = getattr(self.form, "cleaned_data", {})
        return {name: value for name, value in cleaned.items() if value not in (None, "")}


def _traces_scored(user) -> QuerySet[Trace]:
    return (
        trace_list(user=user)
        .defer("answers", "problems")
        .annotate(
            strict_correct=_mode_tally(VerifierMode.STRICT, correct=True),
            strict_total=_mode_tally(VerifierMode.STRICT, correct=False),
            reference_correct=_mode_tally(VerifierMode.REFERENCE, correct=True),
            reference_total=_mode_tally(VerifierMode.REFERENCE, correct=False),
        )
    )


def trace_list_filter(*, user, data=None) -> TraceListFilter:
    """The trace page's filters bound to ``data`` (a GET query); unknown keys are ignored
    and invalid values are reported on its form and left out."""
    return TraceListFilter(data if data is not None else {}, user=user)


def trace_list_scored(*, user, filters: dict | None = None) -> QuerySet[Trace]:
    """:func:`trace_list` filtered by :class:`TraceListFilter`, each trace also annotated with
    ``strict_correct``/``strict_total`` and ``reference_correct``/``reference_total``: its
    effectively correct and all verdicts of the current verifier version in each mode. One
    query for any number of traces."""
    return trace_list_filter(user=user, data=filters).qs


@dataclass(frozen=True)
class QuestionVerdicts:
    """One question of a trace with its reference and strict verdicts (None: not graded)."""

    question: Question
    reference: Verdict | None
    strict: Verdict | None

    @property
    def answered(self) -> Verdict | None:
        """The verdict whose reading of the model's answer is shown (strict first)."""
        return self.strict or self.reference

    @property
    def modes_disagree(self) -> bool:
        return (
            self.reference is not None
            and self.strict is not None
            and self.reference.effective_decision != self.strict.effective_decision
        )


@dataclass(frozen=True)
class TraceDetail:
    trace: Trace
    questions: list[QuestionVerdicts]

    def _tally(self, mode: str, *, correct: bool) -> int:
        return sum(
            1
            for row in self.questions
            if (verdict := getattr(row, mode)) is not None
            and (not correct or verdict.effective_decision == Decision.CORRECT)
        )

    @property
    def strict_correct(self) -> int:
        return self._tally(VerifierMode.STRICT, correct=True)

    @property
    def strict_total(self) -> int:
        return self._tally(VerifierMode.STRICT, correct=False)

    @property
    def reference_correct(self) -> int:
        return self._tally(VerifierMode.REFERENCE, correct=True)

    @property
    def reference_total(self) -> int:
        return self._tally(VerifierMode.REFERENCE, correct=False)

    @property
    def disagreements(self) -> int:
        return sum(1 for row in self.questions if row.modes_disagree)


def trace_detail(*, user, trace_id: int) -> TraceDetail | None:
    """A trace ``user`` may read (as :func:`trace_get`) with every question of its challenge
    in question order, each with its reference and strict verdict: the current verifier
    version's when there is one, else the newest older version's. None when there is no such
    trace or right to read it."""
    trace = trace_get(user=user, trace_id=trace_id)
    if trace is None:
        return None
    chosen: dict[tuple[int, str], Verdict] = {}
    for verdict in trace.verdict_rows:
        key = (verdict.question_id, verdict.mode)
        held = chosen.get(key)
        if held is None or held.verifier_version != VERIFIER_VERSION:
            chosen[key] = verdict
    questions = (
        Question.objects.filter(challenge_id=trace.challenge_id)
        .select_related("conflict")
        .order_by("position")
    )
    return TraceDetail(
        trace=trace,
        questions=[
            QuestionVerdicts(
                question=question,
                reference=chosen.get((question.pk, VerifierMode.REFERENCE)),
                strict=chosen.get((question.pk, VerifierMode.STRICT)),
            )
            for question in questions
        ],
    )
