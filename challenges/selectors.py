"""Read queries shared by the pages and the API, one per access level.

Access levels (``dacr_site.roles``): a viewer reads suites, their validity reports, papers
and published or retired challenges; annotators and admins also read drafts and their review
history; only admins read benchmark imports and generation jobs.
A user without a role reads nothing: list selectors return an empty queryset and get
selectors raise ``DoesNotExist``, as for a row that is not there.
"""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from challenges import highlight
from challenges.models import (
    BenchmarkImport,
    Challenge,
    ChallengeEdit,
    ChallengeStatus,
    Conflict,
    Fact,
    GenerationJob,
    Paper,
    Question,
    Suite,
    ValidityReport,
)
from challenges.services.locations import StoredLocator
from dacr_site.roles import Role, user_has_role


def challenge_visibility(*, user, via: str = "") -> Q:
    """A filter keeping the rows whose challenge (reached through ``via``, e.g.
    ``"trace__challenge__"``; empty for challenges themselves) ``user`` may read: all for
    annotators and admins, all but drafts for viewers, none for anyone else."""
    if user_has_role(user, Role.ANNOTATOR):
        return Q()
    if user_has_role(user, Role.VIEWER):
        return ~Q(**{f"{via}status": ChallengeStatus.DRAFT})
    return Q(pk__in=[])


def _visible_challenges(user) -> QuerySet[Challenge]:
    return Challenge.objects.filter(challenge_visibility(user=user))


def count_subquery(queryset: QuerySet, *, outer_field: str) -> Coalesce:
    """COUNT(*) of ``queryset`` rows whose ``outer_field`` is the outer row's pk, as an
    expression that can be annotated (0 when there are none). A correlated subquery: two
    reverse counts through joins would multiply each other."""
    counted = (
        queryset.filter(**{outer_field: OuterRef("pk")})
        .order_by()
        .values(outer_field)
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def version_sort_key(version: str) -> tuple:
    """Orders version strings numerically part by part ("1.10" after "1.9"); a part that is not
    a number sorts after numbers, alphabetically."""
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part) for part in version.split(".")
    )


def suites_visible(*, user) -> QuerySet[Suite]:
    """The suites ``user`` may read, ordered by name, without counts: for choices, lookups and
    ``suite__in`` filters (the counts of :func:`suite_list` cost a scan per suite)."""
    if not user_has_role(user, Role.VIEWER):
        return Suite.objects.none()
    return Suite.objects.order_by("name")


def suite_list(*, user) -> QuerySet[Suite]:
    """Suites with ``challenge_count`` and ``question_count`` (of the challenges the user can
    see), ordered by name."""
    if not user_has_role(user, Role.VIEWER):
        return Suite.objects.none()
    visible = _visible_challenges(user)
    questions = Question.objects.filter(challenge__in=visible)
    return (
        suites_visible(user=user)
        .annotate(
            challenge_count=count_subquery(visible, outer_field="memberships__suite"),
            question_count=count_subquery(questions, outer_field="challenge__memberships__suite"),
        )
        .order_by("name")
    )


def suite_get_for_user(*, user, suite_id: int) -> Suite:
    """One suite the user may read; raises ``Suite.DoesNotExist`` otherwise."""
    return suite_list(user=user).get(pk=suite_id)


def suite_get_for_export(*, user, suite_id: int) -> Suite:
    """A suite an admin may export; raises ``Suite.DoesNotExist`` for anyone else."""
    if not user_has_role(user, Role.ADMIN):
        raise Suite.DoesNotExist
    return Suite.objects.get(pk=suite_id)


def challenge_list(
    *, user, suite: Suite | None = None, split: str = "", domain: str = ""
) -> QuerySet[Challenge]:
    """Challenges the user can see, filtered by suite, split and domain when given, with
    ``question_count`` and ``conflict_count``; in suite order when a suite is given, else
    by public id and version."""
    challenges = _visible_challenges(user)
    if split:
        challenges = challenges.filter(split=split)
    if domain:
        challenges = challenges.filter(domain=domain)
    challenges = challenges.annotate(
        question_count=count_subquery(Question.objects.all(), outer_field="challenge"),
        conflict_count=count_subquery(Conflict.objects.all(), outer_field="challenge"),
    ).select_related("paper")
    if suite is not None:
        return challenges.filter(memberships__suite=suite).order_by("memberships__position")
    return challenges.order_by("public_id", "version")


def challenge_domains(*, user) -> list[str]:
    """The distinct domains of the challenges the user can see, sorted."""
    return list(
        _visible_challenges(user).order_by("domain").values_list("domain", flat=True).distinct()
    )


def challenge_get_for_user(*, user, public_id: str, version: str | None = None) -> Challenge:
    """One challenge with its facts, conflicts (and their target facts), questions (and their
    conflicts) and suites prefetched. Without ``version``, the highest version the user can
    see. Raises ``Challenge.DoesNotExist`` when there is none."""
    candidates = _visible_challenges(user).filter(public_id=public_id)
    if version:
        candidates = candidates.filter(version=version)
    versions = list(candidates.values_list("pk", "version"))
    if not versions:
        raise Challenge.DoesNotExist
    pk, _ = max(versions, key=lambda item: version_sort_key(item[1]))
    return (
        Challenge.objects.select_related("paper")
        .prefetch_related(
            Prefetch("facts", queryset=Fact.objects.order_by("position")),
            Prefetch(
                "conflicts",
                queryset=Conflict.objects.select_related("target_fact").order_by("position"),
            ),
            Prefetch(
                "questions",
                queryset=Question.objects.select_related("conflict").order_by("position"),
            ),
            Prefetch("suites", queryset=Suite.objects.order_by("name")),
        )
        .get(pk=pk)
    )


def challenge_versions(*, user, challenge: Challenge) -> list[str]:
    """Every version of the challenge's public id the user can see, newest first."""
    versions = (
        _visible_challenges(user)
        .filter(public_id=challenge.public_id)
        .values_list("version", flat=True)
    )
    return sorted(versions, key=version_sort_key, reverse=True)


def challenge_document(*, challenge: Challenge) -> highlight.HighlightedDocument:
    """The challenge's document cut into paragraphs, with both statements of every conflict
        located and highlighted (see ``challenges.highlight``). Uses the prefetched conflicts; where
    each statement sits is read from, or stored in, ``LocatedStatement`` rows."""
    paragraphs = [
        highlight.ParagraphBounds(
            index=int(paragraph.get("index", position)),
            start=int(paragraph.get("start", 0)),
            end=int(paragraph.get("end", 0)),
            section=str(paragraph.get("section", "")),
        )
        for position, paragraph in enumerate(challenge.paragraphs or [])
    ]
    statements = [
        highlight.ConflictStatements(
            key=f"conflict-{conflict.position}",
            label=conflict.conflict_id,
            authoritative_quote=conflict.target_fact.quote if conflict.target_fact else "",
            subordinate_text=conflict.subordinate_text,
            authoritative_paragraph=(
                conflict.target_fact.paragraph_index if conflict.target_fact else None
            ),
        )
        for conflict in challenge.conflicts.all()
    ]
    locator = StoredLocator(challenge.pk, challenge.document_text)
    locator.prefetch(statement.subordinate_text for statement in statements)
    found = highlight.highlight_document(
        challenge.document_text, paragraphs, statements, locate=locator
    )
    locator.save()
    return found


def benchmark_import_list(*, user, limit: int = 20) -> QuerySet[BenchmarkImport]:
    """The most recent web imports, newest first (admins only)."""
    if not user_has_role(user, Role.ADMIN):
        return BenchmarkImport.objects.none()
    return BenchmarkImport.objects.select_related("suite", "created_by").order_by(
        "-created_at", "-pk"
    )[:limit]


def benchmark_import_get_for_user(*, user, import_id: int) -> BenchmarkImport:
    """One web import (admins only); raises ``BenchmarkImport.DoesNotExist`` otherwise."""
    if not user_has_role(user, Role.ADMIN):
        raise BenchmarkImport.DoesNotExist
    return BenchmarkImport.objects.select_related("suite").get(pk=import_id)


def generation_job_list(*, user, limit: int = 20) -> QuerySet[GenerationJob]:
    """The most recent generation requests, newest first (admins only)."""
    if not user_has_role(user, Role.ADMIN):
        return GenerationJob.objects.none()
    return GenerationJob.objects.select_related("suite", "created_by").order_by(
        "-created_at", "-pk"
    )[:limit]


def generation_job_get_for_user(*, user, job_id: int) -> GenerationJob:
    """One generation request (admins only); raises ``GenerationJob.DoesNotExist`` otherwise."""
    if not user_has_role(user, Role.ADMIN):
        raise GenerationJob.DoesNotExist
    return GenerationJob.objects.select_related("suite", "created_by").get(pk=job_id)


def suite_validity_latest(*, suite: Suite) -> ValidityReport | None:
    """The suite's newest validity report, or None when none has been computed."""
    return suite.validity_reports.order_by("-created_at", "-pk").first()


# --- papers and review ----------------------------------------------------------------------


def paper_list(*, user, limit: int = 50) -> QuerySet[Paper]:
    """The most recent papers, newest first, without their parsed text (viewers and up)."""
    if not user_has_role(user, Role.VIEWER):
        return Paper.objects.none()
    return (
        Paper.objects.select_related("uploaded_by")
        .defer("parsed", "abstract")
        .order_by("-created_at", "-pk")[:limit]
    )


def paper_get_for_user(*, user, paper_id: int) -> Paper:
    """One paper with its parsed content (viewers and up); raises ``Paper.DoesNotExist``
    otherwise."""
    if not user_has_role(user, Role.VIEWER):
        raise Paper.DoesNotExist
    return Paper.objects.select_related("uploaded_by").get(pk=paper_id)


def paper_challenge(*, user, paper: Paper) -> Challenge | None:
    """The newest challenge made from ``paper`` that ``user`` may read (drafts are for
    annotators and admins), with ``question_count`` and ``conflict_count``; None if none."""
    return (
        _visible_challenges(user)
        .filter(paper=paper)
        .annotate(
            question_count=count_subquery(Question.objects.all(), outer_field="challenge"),
            conflict_count=count_subquery(Conflict.objects.all(), outer_field="challenge"),
        )
        .order_by("-created_at", "-pk")
        .first()
    )


def challenge_get_for_review(*, user, public_id: str, version: str | None = None) -> Challenge:
    """A challenge as the review page shows it (annotators and admins): its paper, conflicts
    and questions (with their conflicts) in order. Without ``version``, the highest one.
    Raises ``Challenge.DoesNotExist`` otherwise."""
    if not user_has_role(user, Role.ANNOTATOR):
        raise Challenge.DoesNotExist
    return challenge_get_for_user(user=user, public_id=public_id, version=version)


def challenge_edit_history(*, challenge: Challenge) -> QuerySet[ChallengeEdit]:
    """Every review step taken on the challenge, oldest first, with its author."""
    return challenge.edits.select_related("author").order_by("created_at", "pk")
