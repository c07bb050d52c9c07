"""Read queries behind the REST API for suites, challenges, generation jobs and validity
reports.

Kept apart from ``challenges/selectors.py`` (the pages' queries) so the two can evolve without
stepping on each other, but with the same visibility rule: drafts are for annotators and
admins. Every list selector answers in a constant number of queries: counts are correlated
subqueries, never per-row lookups.
"""

from __future__ import annotations

import django_filters
from django.db.models import (
    Exists,
    OuterRef,
    Prefetch,
    QuerySet,
)

from challenges.models import (
    Category,
    Challenge,
    ChallengeStatus,
    Conflict,
    Fact,
    GenerationJob,
    Paper,
    Question,
    Split,
    Suite,
    SuiteMembership,
    ValidityReport,
)
from challenges.selectors import challenge_visibility, count_subquery, version_sort_key
from dacr_site.roles import Role, user_has_role

# --- suites -------------------------------------------------------------------------------


def _suites_with_counts(user) -> QuerySet[Suite]:
    if not user_has_role(user, Role.VIEWER):
        return Suite.objects.none()
    members = SuiteMembership.objects.filter(challenge_visibility(user=user, via="challenge__"))
    questions = Question.objects.filter(challenge_visibility(user=user, via="challenge__"))
    return Suite.objects.annotate(
        challenge_count=count_subquery(members, outer_field="suite"),
        question_count=count_subquery(questions, outer_field="challenge__memberships__suite"),
    )


def suite_list(*, user) -> QuerySet[Suite]:
    """The suites by name, each annotated with ``challenge_count`` and ``question_count`` of
    the challenges ``user`` may read; none for a user without a role."""
    return _suites_with_counts(user).order_by("name")


def suite_get(*, user, name: str) -> Suite | None:
    """The suite called ``name`` with the counts of :func:`suite_list`, and the memberships of
    the challenges ``user`` may read (challenge selected) in suite order as ``ordered``; None
    when there is no such suite or the user has no role."""
    memberships = (
        SuiteMembership.objects.filter(challenge_visibility(user=user, via="challenge__"))
        .select_related("challenge")
        .only("suite_id", "position", "challenge__public_id", "challenge__version")
        .order_by("position")
    )
    queryset = _suites_with_counts(user).prefetch_related(
        Prefetch("memberships", queryset=memberships, to_attr="ordered")
    )
    return queryset.filter(name=name).first()


# --- challenges ---------------------------------------------------------------------------


class ChallengeFilter(django_filters.FilterSet):
    """Filters a challenge list. Each is exact; ``category`` keeps challenges that have at
    least one question of that category; ``suite`` is a suite name."""

    suite = django_filters.CharFilter(method="filter_suite")
    split = django_filters.ChoiceFilter(choices=Split.choices)
    domain = django_filters.CharFilter(field_name="domain")
    status = django_filters.ChoiceFilter(choices=ChallengeStatus.choices)
    category = django_filters.ChoiceFilter(choices=Category.choices, method="filter_category")

    class Meta:
        model = Challenge
        fields = ["suite", "split", "domain", "status", "category"]

    def filter_suite(self, queryset, name, value):
        # Within a suite, its own order is the natural one.
        return queryset.filter(memberships__suite__name=value).order_by(
            "memberships__position", "pk"
        )

    def filter_category(self, queryset, name, value):
        has_one = Question.objects.filter(challenge=OuterRef("pk"), category=value)
        return queryset.filter(Exists(has_one))


def challenge_list(*, user, filters: dict | None = None) -> QuerySet[Challenge]:
    """The challenges ``user`` may read (without their document text), ordered by public id
    and version (by position when filtered by suite), annotated with ``question_count`` and
    ``conflict_count``. ``filters`` are :class:`ChallengeFilter`'s, already validated."""
    queryset = (
        Challenge.objects.filter(challenge_visibility(user=user))
        .defer("document_text", "paragraphs", "verification_report", "extra")
        .annotate(
            question_count=count_subquery(Question.objects.all(), outer_field="challenge"),
            conflict_count=count_subquery(Conflict.objects.all(), outer_field="challenge"),
        )
        .order_by("public_id", "version", "pk")
    )
    return ChallengeFilter(filters or {}, queryset).qs


def challenge_get(*, user, public_id: str, version: str | None = None) -> Challenge | None:
    """One challenge ``user`` may read, with its facts, conflicts and questions (conflict
    selected) prefetched in order; without ``version``, the latest version the user may read.
    None when there is no such challenge, version, or right to read it."""
    visible = Challenge.objects.filter(challenge_visibility(user=user), public_id=public_id)
    if version is None:
        versions = visible.values_list("version", flat=True)
        if not versions:
            return None
        version = max(versions, key=version_sort_key)
    queryset = visible.prefetch_related(
        Prefetch("facts", queryset=Fact.objects.order_by("position")),
        Prefetch(
            "conflicts",
            queryset=Conflict.objects.order_by("position"),
        ),
        Prefetch(
            "questions",
            queryset=Question.objects.select_related("conflict").order_by("position"),
        ),
    )
    return queryset.filter(version=version).first()


# --- generation jobs and validity reports -------------------------------------------------


def generation_job_get(*, user, job_id: int) -> GenerationJob | None:
    """One generation job, its suite selected; None when there is none or the user has no
    role. Any role may follow a job (its numbers say nothing a suite page does not)."""
    if not user_has_role(user, Role.VIEWER):
        return None
    return GenerationJob.objects.select_related("suite").filter(pk=job_id).first()


def suite_validity_latest(*, user, name: str) -> tuple[Suite | None, ValidityReport | None]:
    """The suite called ``name`` and its newest validity report (None when it has none);
    (None, None) when there is no such suite or the user has no role."""
    if not user_has_role(user, Role.VIEWER):
        return None, None
    suite = Suite.objects.filter(name=name).only("pk", "name").first()
    if suite is None:
        return None, None
    return suite, suite.validity_reports.order_by("-created_at", "-pk").first()


# --- papers ---------------------------------------------------------------------------------


def paper_get(*, user, paper_id: int) -> Paper | None:
    """One paper with the newest challenge made from it that ``user`` may read as
    ``challenge`` (None when there is none; drafts are for annotators and admins); None when
    there is no such paper or the user has no role."""
    if not user_has_role(user, Role.VIEWER):
        return None
    paper = Paper.objects.select_related("uploaded_by").filter(pk=paper_id).first()
    if paper is not None:
        paper.challenge = (
            Challenge.objects.filter(challenge_visibility(user=user), paper=paper)
            .annotate(
                question_count=count_subquery(Question.objects.all(), outer_field="challenge"),
                conflict_count=count_subquery(Conflict.objects.all(), outer_field="challenge"),
            )
            .only("public_id", "version", "status", "verification_report")
            .order_by("-created_at", "-pk")
            .first()
        )
    return paper
