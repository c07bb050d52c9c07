"""REST API for suites and challenges (read-only); generation and validity reports are in
``challenges.api_generation``.

One APIView per operation, each with its nested Input (query parameters) and Output
serializers; the queries are in ``challenges.api_selectors``. Authentication and the
viewer-or-better permission come from ``REST_FRAMEWORK`` in the settings.
"""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from challenges.api_selectors import (
    challenge_get,
    challenge_list,
    suite_get,
    suite_list,
)
from challenges.models import (
    Category,
    ChallengeStatus,
    Difficulty,
    Split,
    SubordinatePosition,
)
from dacr_site.api import ApiPagination, paginated_response, query_params

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
