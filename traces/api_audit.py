"""REST API for auditing: an annotator's queue, appending and reading audits, agreement.

Audits are append-only: ``/api/audits/`` takes GET and POST and nothing else, and a single
audit only GET, so PUT, PATCH and DELETE answer 405. Reads go through
``traces.selectors_audit``, writes through ``traces.services.audit``.
"""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from challenges.api import CategoryField
from dacr_site.api import (
    ApiPagination,
    MessageSerializer,
    first_error,
    paginated_response,
    query_params,
    refusal,
)
from dacr_site.permissions import IsAnnotator, IsViewer
from traces import selectors_audit
from traces.api import DecisionField
from traces.models import AssignmentKind, AuditDecision, MatchType, VerifierMode
from traces.services.audit import AuditError, AuditForbiddenError, audit_record


class AuditOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    verdict = serializers.IntegerField(source="verdict_id")
    annotator = serializers.CharField(source="annotator.get_username")
    decision = serializers.ChoiceField(choices=AuditDecision.choices)
    reason = serializers.CharField()
    previous_decision = DecisionField(help_text="The effective decision this audit replaced.")
    created_at = serializers.DateTimeField()

    class Meta:
        ref_name = "Audit"


class AuditQueueApi(APIView):
    permission_classes = [IsAnnotator]
    pagination_class = ApiPagination

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField(help_text="The assignment's id.")
        verdict = serializers.IntegerField(source="verdict_id")
        trace = serializers.IntegerField(source="verdict.trace_id")
        challenge = serializers.CharField(source="verdict.trace.challenge.public_id")
        question_id = serializers.CharField(source="verdict.question.question_id")
        question_category = CategoryField(source="verdict.question.category")
        mode = serializers.ChoiceField(choices=VerifierMode.choices, source="verdict.mode")
        decision = DecisionField(source="verdict.decision", help_text="The verifier's decision.")
        match_type = serializers.ChoiceField(choices=MatchType.choices, source="verdict.match_type")
        verdict_confidence = serializers.FloatField(source="verdict.verdict_confidence")
        kind = serializers.ChoiceField(
            choices=AssignmentKind.choices, help_text="Why it is queued."
        )
        blind = serializers.BooleanField(help_text="Part of a blind double annotation.")
        created_at = serializers.DateTimeField()

        class Meta:
            ref_name = "AuditAssignment"

    @extend_schema(
        operation_id="audit_queue_list",
        tags=["audits"],
        responses=OutputSerializer(many=True),
        description="Your open audit assignments in queue order (annotators).",
    )
    def get(self, request: Request) -> Response:
        return paginated_response(
            view=self,
            request=request,
            queryset=selectors_audit.audit_queue(annotator=request.user),
            serializer_class=self.OutputSerializer,
        )


class AuditListCreateApi(APIView):
    """GET lists audits (viewers), POST appends one (annotators); nothing else."""

    pagination_class = ApiPagination

    class FilterSerializer(serializers.Serializer):
        verdict = serializers.IntegerField(required=False, help_text="Verdict id.")

    class InputSerializer(serializers.Serializer):
        verdict = serializers.IntegerField(help_text="The verdict's id.")
        decision = serializers.ChoiceField(choices=AuditDecision.choices)
        reason = serializers.CharField(
            required=False, allow_blank=True, default="", max_length=2000
        )

        class Meta:
            ref_name = "AuditRequest"

    def get_permissions(self):
        return [IsAnnotator()] if self.request.method == "POST" else [IsViewer()]

    @extend_schema(
        operation_id="audits_list",
        tags=["audits"],
        parameters=[FilterSerializer],
        responses=AuditOutputSerializer(many=True),
        description="Audits, oldest first. On a verdict whose blind double annotation is "
        "open, only your own decision is listed.",
    )
    def get(self, request: Request) -> Response:
        filters = query_params(self.FilterSerializer, request)
        return paginated_response(
            view=self,
            request=request,
            queryset=selectors_audit.audit_list(
                user=request.user, verdict_id=filters.get("verdict")
            ),
            serializer_class=AuditOutputSerializer,
        )

    @extend_schema(
        operation_id="audits_create",
        tags=["audits"],
        request=InputSerializer,
        responses={201: AuditOutputSerializer, 400: MessageSerializer, 403: MessageSerializer},
        description="Append an audit of a verdict (annotators). Audits are never changed or "
        "deleted; a later audit supersedes an earlier one.",
    )
    def post(self, request: Request) -> Response:
        serializer = self.InputSerializer(data=request.data)
        if not serializer.is_valid():
            return refusal(first_error(serializer.errors))
        data = serializer.validated_data
        verdict = selectors_audit.verdict_for_audit(user=request.user, verdict_id=data["verdict"])
        if verdict is None:
            return refusal(f"verdict: no verdict {data['verdict']}.")
        try:
            audit = audit_record(
                verdict=verdict,
                annotator=request.user,
                decision=data["decision"],
                reason=data["reason"],
            )
        except AuditForbiddenError as exc:
            return refusal(f"{exc}.", status=status.HTTP_403_FORBIDDEN)
        except AuditError as exc:
            return refusal(f"{exc}.")
        return Response(
            AuditOutputSerializer(audit).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": reverse("api-audit-detail", args=[audit.pk])},
        )


class AuditDetailApi(APIView):
    @extend_schema(operation_id="audits_retrieve", tags=["audits"], responses=AuditOutputSerializer)
    def get(self, request: Request, audit_id: int) -> Response:
        audit = selectors_audit.audit_get(user=request.user, audit_id=audit_id)
        if audit is None:
            raise Http404(f"No audit {audit_id}.")
        return Response(AuditOutputSerializer(audit).data)


class _AgreementSerializer(serializers.Serializer):
    items = serializers.IntegerField()
    observed = serializers.FloatField(allow_null=True)
    kappa = serializers.FloatField(allow_null=True, help_text="Cohen's kappa; null: no items.")
    labels = serializers.ListField(child=serializers.CharField(), source="matrix.labels")
    matrix = serializers.ListField(
        child=serializers.ListField(child=serializers.IntegerField()),
        source="matrix.counts",
        help_text="Rows: first rater's label, columns: second's, in the order of labels.",
    )

    class Meta:
        ref_name = "Agreement"


class _AccuracySerializer(serializers.Serializer):
    items = serializers.IntegerField()
    true_positive = serializers.IntegerField()
    false_positive = serializers.IntegerField()
    false_negative = serializers.IntegerField()
    true_negative = serializers.IntegerField()
    gold_wrong = serializers.IntegerField(help_text="Left out: the gold was flagged as wrong.")
    precision = serializers.FloatField(allow_null=True)
    recall = serializers.FloatField(allow_null=True)

    class Meta:
        ref_name = "VerifierAccuracy"


class _GroupSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    verifier = _AgreementSerializer(help_text="Verifier against the latest human decision.")
    accuracy = _AccuracySerializer()
    annotators = _AgreementSerializer(help_text="First against second annotator.")

    class Meta:
        ref_name = "AgreementGroup"


class AgreementApi(APIView):
    class FilterSerializer(serializers.Serializer):
        mode = serializers.ChoiceField(
            choices=VerifierMode.choices, required=False, default=VerifierMode.STRICT
        )

    class OutputSerializer(serializers.Serializer):
        mode = serializers.ChoiceField(choices=VerifierMode.choices)
        audits = serializers.IntegerField()
        audited_items = serializers.IntegerField()
        double_items = serializers.IntegerField()
        overall = _GroupSerializer()
        by_category = _GroupSerializer(many=True)
        by_match_type = _GroupSerializer(many=True)

        class Meta:
            ref_name = "AgreementReport"

    @extend_schema(
        operation_id="audit_agreement_retrieve",
        tags=["audits"],
        parameters=[FilterSerializer],
        responses=OutputSerializer,
        description="Verifier–annotator and annotator–annotator agreement (Cohen's kappa, "
        "confusion matrices) and the verifier's precision and recall, overall, per skill "
        "category and per match type.",
    )
    def get(self, request: Request) -> Response:
        mode = query_params(self.FilterSerializer, request)["mode"]
        report = selectors_audit.agreement_report(user=request.user, mode=mode)
        return Response(self.OutputSerializer(report).data)
