"""REST API for generating synthetic suites and reading their validity reports.

Same conventions as ``challenges.api``: one APIView per operation, nested Input/Output
serializers, reads through ``challenges.api_selectors``, writes through services.
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
    generation_job_get,
    suite_validity_latest,
)
from challenges.models import (
    GenerationStatus,
)
from challenges.services import generation_start
from dacr_site.api import MessageSerializer, first_error, refusal
from dacr_site.permissions import IsAdmin

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
            return refusal(first_error(serializer.errors))
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
