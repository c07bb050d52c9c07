"""REST API for traces and verdicts (read-only).

One APIView per operation with nested Input/Output serializers; the queries, including the
effective decision after audits, are in ``traces.selectors``.
"""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from challenges.api import CategoryField
from dacr_site.api import ApiPagination, paginated_response, query_params
from traces.models import (
    AuditDecision,
    ConflictOutcome,
    Decision,
    MatchType,
    TraceSource,
    VerifierMode,
)
from traces.selectors import (
    CONFLICT_OUTCOME_FILTER_CHOICES,
    trace_get,
    trace_list,
    verdict_get,
    verdict_list,
)


@extend_schema_field(serializers.ChoiceField(choices=Decision.choices), component_name="Decision")
class DecisionField(serializers.ChoiceField):
    """correct/incorrect. One named enum in the schema under every field name (``decision``,
    ``effective_decision``)."""

    def __init__(self, **kwargs):
        super().__init__(choices=Decision.choices, **kwargs)


class VerdictOutputSerializer(serializers.Serializer):
    """A verdict as the verifier gave it, plus what annotators made of it."""

    id = serializers.IntegerField()
    trace = serializers.IntegerField(source="trace_id")
    challenge = serializers.CharField(source="challenge_public_id")
    challenge_version = serializers.CharField()
    solver = serializers.CharField(source="solver_name")
    question_id = serializers.CharField(source="question_ref", help_text="e.g. q01")
    question_category = CategoryField()
    mode = serializers.ChoiceField(choices=VerifierMode.choices)
    verifier_version = serializers.CharField()
    answer = serializers.CharField(allow_null=True, help_text="null: no answer was given.")
    citation = serializers.CharField()
    confidence = serializers.FloatField(allow_null=True)
    match_type = serializers.ChoiceField(choices=MatchType.choices)
    decision = DecisionField(help_text="The verifier's decision.")
    conflict_outcome = serializers.ChoiceField(
        choices=ConflictOutcome.choices, help_text="Empty for questions without a conflict."
    )
    citation_score = serializers.FloatField(allow_null=True)
    verdict_confidence = serializers.FloatField()
    reason = serializers.CharField()
    created_at = serializers.DateTimeField()
    audit_count = serializers.IntegerField()
    latest_audit_decision = serializers.ChoiceField(choices=AuditDecision.choices, allow_null=True)
    effective_decision = DecisionField(
        help_text="The latest audit's decision when it overrides (correct/incorrect), "
        "else the verifier's.",
    )
    gold_flagged = serializers.BooleanField(
        help_text="The latest audit says the gold answer is wrong."
    )

    class Meta:
        ref_name = "Verdict"


class TraceListApi(APIView):
    pagination_class = ApiPagination

    class FilterSerializer(serializers.Serializer):
        challenge = serializers.CharField(required=False, help_text="Challenge public id.")
        solver = serializers.CharField(required=False, help_text="Solver name.")
        source = serializers.ChoiceField(choices=TraceSource.choices, required=False)
        parse_format = serializers.CharField(required=False)

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        challenge = serializers.CharField(source="challenge_public_id")
        challenge_version = serializers.CharField()
        solver = serializers.CharField(source="solver_name")
        source = serializers.ChoiceField(choices=TraceSource.choices)
        parse_format = serializers.CharField()
        prompt_tokens = serializers.IntegerField(allow_null=True)
        completion_tokens = serializers.IntegerField(allow_null=True)
        latency_ms = serializers.IntegerField(allow_null=True)
        verdict_count = serializers.IntegerField()
        created_at = serializers.DateTimeField()

        class Meta:
            ref_name = "TraceListItem"

    @extend_schema(
        operation_id="traces_list",
        tags=["traces"],
        parameters=[FilterSerializer],
        responses=OutputSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        filters = query_params(self.FilterSerializer, request)
        return paginated_response(
            view=self,
            request=request,
            queryset=trace_list(user=request.user, filters=filters),
            serializer_class=self.OutputSerializer,
        )


class TraceDetailApi(APIView):
    class OutputSerializer(TraceListApi.OutputSerializer):
        raw_output = serializers.CharField()
        parsed_reasoning = serializers.CharField()
        verdicts = VerdictOutputSerializer(source="verdict_rows", many=True)

        class Meta:
            ref_name = "TraceDetail"

    @extend_schema(operation_id="traces_retrieve", tags=["traces"], responses=OutputSerializer)
    def get(self, request: Request, trace_id: int) -> Response:
        trace = trace_get(user=request.user, trace_id=trace_id)
        if trace is None:
            raise Http404(f"No trace {trace_id}.")
        return Response(self.OutputSerializer(trace).data)


class VerdictListApi(APIView):
    pagination_class = ApiPagination

    class FilterSerializer(serializers.Serializer):
        trace = serializers.IntegerField(required=False, help_text="Trace id.")
        challenge = serializers.CharField(required=False, help_text="Challenge public id.")
        solver = serializers.CharField(required=False, help_text="Solver name.")
        mode = serializers.ChoiceField(choices=VerifierMode.choices, required=False)
        decision = DecisionField(required=False, help_text="The verifier's decision.")
        effective_decision = DecisionField(required=False, help_text="The decision after audits.")
        # default=None: a missing boolean in a query string would otherwise read as False.
        gold_flagged = serializers.BooleanField(required=False, allow_null=True, default=None)
        match_type = serializers.ChoiceField(choices=MatchType.choices, required=False)
        conflict_outcome = serializers.ChoiceField(
            choices=CONFLICT_OUTCOME_FILTER_CHOICES, required=False
        )
        question_category = CategoryField(required=False)

    @extend_schema(
        operation_id="verdicts_list",
        tags=["verdicts"],
        parameters=[FilterSerializer],
        responses=VerdictOutputSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        filters = query_params(self.FilterSerializer, request)
        return paginated_response(
            view=self,
            request=request,
            queryset=verdict_list(user=request.user, filters=filters),
            serializer_class=VerdictOutputSerializer,
        )


class VerdictDetailApi(APIView):
    @extend_schema(
        operation_id="verdicts_retrieve", tags=["verdicts"], responses=VerdictOutputSerializer
    )
    def get(self, request: Request, verdict_id: int) -> Response:
        verdict = verdict_get(user=request.user, verdict_id=verdict_id)
        if verdict is None:
            raise Http404(f"No verdict {verdict_id}.")
        return Response(VerdictOutputSerializer(verdict).data)
