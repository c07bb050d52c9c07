"""REST API for suites and challenges (read-only), validity reports, and generating
synthetic suites (admins).

One APIView per operation, each with its nested Input (query parameters or body) and Output
serializers; the queries are in ``challenges.api_selectors``, the one write goes through
``challenges.services.generation_start``. Authentication and the viewer-or-better
permission come from ``REST_FRAMEWORK`` in the settings.
"""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from challenges import engine
from challenges.api_selectors import (
    challenge_get,
    challenge_list,
    generation_job_get,
    suite_get,
    suite_list,
    suite_validity_latest,
)
from challenges.models import (
    Category,
    ChallengeStatus,
    Difficulty,
    GenerationStatus,
    Split,
    SubordinatePosition,
)
from challenges.services import generation_start
from dacr_site.api import ApiPagination, paginated_response, query_params
from dacr_site.permissions import IsAdmin

# --- fields shared with the traces API -------------------------------------------------


@extend_schema_field(serializers.ChoiceField(choices=Category.choices), component_name="Category")
class CategoryField(serializers.ChoiceField):
    """A question's skill category. One named enum in the schema under every field name
    (``category``, ``question_category``)."""

    def __init__(self, **kwargs):
        super().__init__(choices=Category.choices, **kwargs)


# --- suites -------------------------------------------------------------------------------


class SuiteListApi(APIView):
    pagination_class = ApiPagination

    class OutputSerializer(serializers.Serializer):
        name = serializers.CharField()
        description = serializers.CharField()
        challenge_count = serializers.IntegerField()
        question_count = serializers.IntegerField()
        frozen_at = serializers.DateTimeField(allow_null=True)

        class Meta:
            ref_name = "SuiteListItem"

    @extend_schema(
        operation_id="suites_list", tags=["suites"], responses=OutputSerializer(many=True)
    )
    def get(self, request: Request) -> Response:
        return paginated_response(
            view=self,
            request=request,
            queryset=suite_list(user=request.user),
            serializer_class=self.OutputSerializer,
        )


class SuiteDetailApi(APIView):
    class OutputSerializer(serializers.Serializer):
        class ChallengeRefSerializer(serializers.Serializer):
            position = serializers.IntegerField()
            public_id = serializers.CharField(source="challenge.public_id")
            version = serializers.CharField(source="challenge.version")

            class Meta:
                ref_name = "SuiteChallenge"

        name = serializers.CharField()
        description = serializers.CharField()
        challenge_count = serializers.IntegerField()
        question_count = serializers.IntegerField()
        frozen_at = serializers.DateTimeField(allow_null=True)
        created_at = serializers.DateTimeField()
        challenges = ChallengeRefSerializer(
            source="ordered", many=True, help_text="The suite's challenges in suite order."
        )

        class Meta:
            ref_name = "SuiteDetail"

    @extend_schema(operation_id="suites_retrieve", tags=["suites"], responses=OutputSerializer)
    def get(self, request: Request, name: str) -> Response:
        suite = suite_get(user=request.user, name=name)
        if suite is None:
            raise Http404(f"No suite named {name!r}.")
        return Response(self.OutputSerializer(suite).data)


# --- challenges ---------------------------------------------------------------------------


class ChallengeSourceSerializer(serializers.Serializer):
    """Where a challenge came from: a document (a paper) or the engine (domain, seed,
    version); the fields of the other kind are empty strings."""

    type = serializers.CharField(source="source_type")
    document_id = serializers.CharField(source="source_document_id")
    engine_domain = serializers.CharField()
    engine_seed = serializers.CharField()
    engine_version = serializers.CharField()

    class Meta:
        ref_name = "ChallengeSource"


class ChallengeListApi(APIView):
    pagination_class = ApiPagination

    class FilterSerializer(serializers.Serializer):
        suite = serializers.CharField(required=False, help_text="Suite name.")
        split = serializers.ChoiceField(choices=Split.choices, required=False)
        domain = serializers.CharField(required=False)
        status = serializers.ChoiceField(choices=ChallengeStatus.choices, required=False)
        category = CategoryField(
            required=False,
            help_text="Keep challenges with at least one question of this category.",
        )

    class OutputSerializer(serializers.Serializer):
        public_id = serializers.CharField()
        version = serializers.CharField()
        split = serializers.CharField()
        domain = serializers.CharField()
        source = ChallengeSourceSerializer(source="*")
        status = serializers.CharField()
        word_count = serializers.IntegerField()
        question_count = serializers.IntegerField()
        conflict_count = serializers.IntegerField()
        content_hash = serializers.CharField()

        class Meta:
            ref_name = "ChallengeListItem"

    @extend_schema(
        operation_id="challenges_list",
        tags=["challenges"],
        parameters=[FilterSerializer],
        responses=OutputSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        filters = query_params(self.FilterSerializer, request)
        return paginated_response(
            view=self,
            request=request,
            queryset=challenge_list(user=request.user, filters=filters),
            serializer_class=self.OutputSerializer,
        )


class ChallengeDetailApi(APIView):
    class InputSerializer(serializers.Serializer):
        version = serializers.CharField(
            required=False, help_text="A version of the challenge; the latest when omitted."
        )

    class OutputSerializer(serializers.Serializer):
        class ParagraphSerializer(serializers.Serializer):
            index = serializers.IntegerField()
            section = serializers.CharField()
            start = serializers.IntegerField(help_text="Offset into document_text (characters).")
            end = serializers.IntegerField()
            text = serializers.CharField()

            class Meta:
                ref_name = "ChallengeParagraph"

        class FactSerializer(serializers.Serializer):
            fact_id = serializers.CharField()
            entity = serializers.CharField()
            attribute = serializers.CharField()
            value = serializers.JSONField()
            value_type = serializers.CharField()
            section = serializers.CharField()
            paragraph_index = serializers.IntegerField(allow_null=True)
            quote = serializers.CharField()

            class Meta:
                ref_name = "ChallengeFact"

        class ConflictSerializer(serializers.Serializer):
            conflict_id = serializers.CharField()
            target_fact_id = serializers.CharField(source="target_fact_ref")
            authoritative_value = serializers.JSONField()
            conflicting_value = serializers.JSONField()
            subordinate_text = serializers.CharField()
            subordinate_section = serializers.CharField()
            subordinate_paragraph_index = serializers.IntegerField(allow_null=True)
            subordinate_position = serializers.ChoiceField(
                choices=SubordinatePosition.choices,
                help_text="Whether the subordinate statement comes before or after the "
                "authoritative one in the document.",
            )
            authoritative_cue = serializers.CharField()
            subordinate_cue = serializers.CharField()

            class Meta:
                ref_name = "ChallengeConflict"

        class QuestionSerializer(serializers.Serializer):
            question_id = serializers.CharField()
            text = serializers.CharField()
            category = CategoryField()
            hops = serializers.IntegerField()
            difficulty = serializers.ChoiceField(choices=Difficulty.choices)
            gold_answer = serializers.CharField()
            aliases = serializers.ListField(child=serializers.CharField())
            reasoning_chain = serializers.ListField(child=serializers.JSONField())
            conflict_id = serializers.CharField(
                source="conflict.conflict_id",
                allow_null=True,
                help_text="The conflict this question targets, if any.",
            )

            class Meta:
                ref_name = "ChallengeQuestion"

        public_id = serializers.CharField()
        version = serializers.CharField()
        split = serializers.ChoiceField(choices=Split.choices)
        domain = serializers.CharField()
        source = ChallengeSourceSerializer(source="*")
        status = serializers.ChoiceField(choices=ChallengeStatus.choices)
        content_hash = serializers.CharField()
        word_count = serializers.IntegerField()
        paragraph_count = serializers.IntegerField()
        document_text = serializers.CharField()
        paragraphs = serializers.SerializerMethodField()
        sections = serializers.ListField(child=serializers.CharField())
        facts = FactSerializer(many=True)
        conflicts = ConflictSerializer(many=True)
        questions = QuestionSerializer(many=True)
        verification_report = serializers.JSONField()
        metadata = serializers.JSONField()
        created_at = serializers.DateTimeField()
        updated_at = serializers.DateTimeField()

        class Meta:
            ref_name = "ChallengeDetail"

        @extend_schema_field(ParagraphSerializer(many=True))
        def get_paragraphs(self, challenge) -> list[dict]:
            # Offsets count Python characters, which JavaScript strings do not; send the text.
            text = challenge.document_text
            return [{**p, "text": text[p["start"] : p["end"]]} for p in challenge.paragraphs]

    @extend_schema(
        operation_id="challenges_retrieve",
        tags=["challenges"],
        parameters=[InputSerializer],
        responses=OutputSerializer,
    )
    def get(self, request: Request, public_id: str) -> Response:
        params = query_params(self.InputSerializer, request)
        challenge = challenge_get(
            user=request.user, public_id=public_id, version=params.get("version")
        )
        if challenge is None:
            raise Http404(f"No challenge {public_id!r} with that version.")
        return Response(self.OutputSerializer(challenge).data)


# --- validity reports ---------------------------------------------------------------------


class SuiteValidityApi(APIView):
    class OutputSerializer(serializers.Serializer):
        suite = serializers.CharField(source="suite.name")
        created_at = serializers.DateTimeField()
        challenge_count = serializers.IntegerField()
        targets_met = serializers.BooleanField(help_text="True when every target holds.")
        report = serializers.JSONField(
            help_text="The whole report: coverage, solvers (answer_accuracy, cars, pass_rate, "
            "by_category, ci), positions, cues, lengths, targets (name, value, low, high, "
            "met) and targets_met. Shares are fractions in [0, 1]; undefined values are null."
        )

        class Meta:
            ref_name = "SuiteValidityReport"

    @extend_schema(
        operation_id="suites_validity_retrieve",
        tags=["suites"],
        responses=OutputSerializer,
        description="The suite's newest validity report.",
    )
    def get(self, request: Request, name: str) -> Response:
        suite, report = suite_validity_latest(user=request.user, name=name)
        if suite is None:
            raise Http404(f"No suite named {name!r}.")
        if report is None:
            raise Http404(f"Suite {name!r} has no validity report yet.")
        return Response(self.OutputSerializer(report).data)


# --- generating synthetic suites ----------------------------------------------------------


class MessageSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="One line a person can read.")

    class Meta:
        ref_name = "Message"


@extend_schema_field(
    {
        "oneOf": [
            {"type": "string", "pattern": "^[0-9]+$"},
            {"type": "integer", "minimum": 0},
        ],
        "description": "A non-negative whole number, as a string of any width or an integer.",
    }
)
class SeedField(serializers.CharField):
    """A seed sent as a string or an integer; kept as text, for the engine to judge."""


class GenerationJobSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=GenerationStatus.choices)
    phase = serializers.CharField(source="get_status_display")
    finished = serializers.BooleanField(source="is_finished")
    count = serializers.IntegerField()
    seed = serializers.CharField()
    domains = serializers.ListField(
        child=serializers.CharField(), help_text="Empty: all domains, in rotation."
    )
    engine_version = serializers.CharField()
    suite_name = serializers.CharField(help_text="The suite the job writes into.")
    suite = serializers.CharField(
        source="suite.name", allow_null=True, help_text="The suite once written, else null."
    )
    progress_done = serializers.IntegerField()
    progress_total = serializers.IntegerField()
    challenges_created = serializers.IntegerField()
    challenges_unchanged = serializers.IntegerField()
    error = serializers.CharField(help_text="Why the job failed, in one line; empty otherwise.")
    created_at = serializers.DateTimeField()
    started_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)

    class Meta:
        ref_name = "GenerationJob"


def _first_error(errors) -> str:
    """The first message of a serializer's errors as one line ("count: A valid integer …")."""
    if isinstance(errors, dict):
        name, value = next(iter(errors.items()))
        message = _first_error(value)
        # List items are keyed by index; those and non-field errors need no name in front.
        if name == "non_field_errors" or isinstance(name, int):
            return message
        return f"{name}: {message}"
    if isinstance(errors, list) and errors:
        return _first_error(errors[0])
    return str(errors)


class GenerationCreateApi(APIView):
    permission_classes = [IsAdmin]

    class InputSerializer(serializers.Serializer):
        # Only shapes here; the engine judges the values, so the page and the API refuse
        # bad requests with the same words.
        count = serializers.IntegerField(
            help_text=f"How many challenges, 1 to {engine.MAX_SUITE_COUNT:,}."
        )
        seed = SeedField(max_length=120, help_text="The same seed gives the same suite.")
        domains = serializers.ListField(
            child=serializers.CharField(),
            required=False,
            default=list,
            help_text=f"Some of: {', '.join(engine.DOMAIN_NAMES)}. Omitted or empty: all.",
        )
        suite_name = serializers.CharField(
            required=False,
            allow_blank=True,
            default="",
            max_length=128,
            help_text="Omitted: a name made from the count, seed and domains.",
        )

        class Meta:
            ref_name = "GenerationRequest"

    @extend_schema(
        operation_id="generations_create",
        tags=["generations"],
        request=InputSerializer,
        responses={201: GenerationJobSerializer, 400: MessageSerializer},
        description="Generate a synthetic suite (admins only). The job runs in the "
        "background; follow it at the URL in the Location header. A bad request is refused "
        "with one line in `detail` and creates nothing.",
    )
    def post(self, request: Request) -> Response:
        serializer = self.InputSerializer(data=request.data)
        if not serializer.is_valid():
            return Response(
                {"detail": _first_error(serializer.errors)}, status=status.HTTP_400_BAD_REQUEST
            )
        try:
            job = generation_start(**serializer.validated_data, user=request.user)
        except engine.EngineError as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
        # Reread: where tasks run in-process the job may already have moved on.
        job = generation_job_get(user=request.user, job_id=job.pk)
        return Response(
            GenerationJobSerializer(job).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": reverse("api-generation-detail", args=[job.pk])},
        )


class GenerationDetailApi(APIView):
    @extend_schema(
        operation_id="generations_retrieve",
        tags=["generations"],
        responses=GenerationJobSerializer,
    )
    def get(self, request: Request, job_id: int) -> Response:
        job = generation_job_get(user=request.user, job_id=job_id)
        if job is None:
            raise Http404(f"No generation job {job_id}.")
        return Response(GenerationJobSerializer(job).data)
