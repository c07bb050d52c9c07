"""REST API for model specs, evaluation runs, their metrics, comparisons and leaderboards.

Same conventions as ``challenges.api``: one APIView per operation, nested Input/Output
serializers, reads through ``evaluation.selectors_runs``, writes through services. Viewers
read; admins create and cancel.
"""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from challenges.selectors import suites_visible
from dacr_site.api import ApiPagination, MessageSerializer, first_error, paginated_response, refusal
from dacr_site.permissions import IsAdmin, ViewerReadsAdminWrites
from evaluation.forms import RunModeForm
from evaluation.forms_runs import LeaderboardForm
from evaluation.models import RunnerName, RunStatus
from evaluation.selectors_runs import (
    eval_run_get,
    eval_run_list,
    eval_run_metrics,
    leaderboard,
    model_spec_get,
    model_spec_list,
    run_comparison,
)
from evaluation.services import (
    EvalRunError,
    ModelSpecError,
    eval_run_cancel,
    eval_run_create,
    model_spec_create,
)

MODE_PARAMETER = OpenApiParameter(
    "mode", str, enum=["strict", "reference"], description="Verifier mode (default strict)."
)


class ModelSpecSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    runner = serializers.ChoiceField(choices=RunnerName.choices)
    settings = serializers.JSONField(help_text="Validated runner settings (no secrets).")
    description = serializers.CharField()
    created_at = serializers.DateTimeField()

    class Meta:
        ref_name = "ModelSpec"


class EvalRunSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    model_spec = serializers.CharField(source="model_spec.name")
    runner = serializers.CharField(source="model_spec.runner")
    suite = serializers.CharField(source="suite.name")
    status = serializers.ChoiceField(choices=RunStatus.choices)
    finished = serializers.BooleanField(source="is_finished")
    progress_done = serializers.IntegerField()
    progress_total = serializers.IntegerField()
    prompt_tokens = serializers.IntegerField()
    completion_tokens = serializers.IntegerField()
    truncated = serializers.IntegerField(help_text="Challenges whose document was cut to fit.")
    unanswered = serializers.IntegerField(help_text="Challenges the runner could not answer.")
    deliveries = serializers.IntegerField()
    error = serializers.CharField(help_text="Why the run failed, in one line; else empty.")
    record = serializers.JSONField(
        help_text="What produced the run: runner settings, prompt version, code revision, "
        "package versions, problems."
    )
    created_at = serializers.DateTimeField()
    started_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)

    class Meta:
        ref_name = "EvalRun"


class ModelSpecListCreateApi(ViewerReadsAdminWrites, APIView):
    pagination_class = ApiPagination

    class InputSerializer(serializers.Serializer):
        name = serializers.CharField(max_length=200)
        runner = serializers.ChoiceField(choices=RunnerName.choices)
        settings = serializers.JSONField(required=False, default=dict)
        description = serializers.CharField(required=False, allow_blank=True, default="")

        class Meta:
            ref_name = "ModelSpecRequest"

    @extend_schema(
        operation_id="models_list", tags=["evaluation"], responses=ModelSpecSerializer(many=True)
    )
    def get(self, request: Request) -> Response:
        return paginated_response(
            view=self,
            request=request,
            queryset=model_spec_list(),
            serializer_class=ModelSpecSerializer,
        )

    @extend_schema(
        operation_id="models_create",
        tags=["evaluation"],
        request=InputSerializer,
        responses={201: ModelSpecSerializer, 400: MessageSerializer},
        description="Add a model (admins). Bad settings are refused in one line; nothing is saved.",
    )
    def post(self, request: Request) -> Response:
        serializer = self.InputSerializer(data=request.data)
        if not serializer.is_valid():
            return refusal(first_error(serializer.errors))
        try:
            spec = model_spec_create(**serializer.validated_data, user=request.user)
        except ModelSpecError as error:
            return refusal(str(error))
        return Response(ModelSpecSerializer(spec).data, status=status.HTTP_201_CREATED)


class EvalRunListCreateApi(ViewerReadsAdminWrites, APIView):
    pagination_class = ApiPagination

    class InputSerializer(serializers.Serializer):
        model_spec = serializers.CharField(help_text="The model's name.")
        suite = serializers.CharField(help_text="The suite's name.")
        name = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)

        class Meta:
            ref_name = "EvalRunRequest"

    @extend_schema(
        operation_id="evals_list", tags=["evaluation"], responses=EvalRunSerializer(many=True)
    )
    def get(self, request: Request) -> Response:
        return paginated_response(
            view=self,
            request=request,
            queryset=eval_run_list(user=request.user),
            serializer_class=EvalRunSerializer,
        )

    @extend_schema(
        operation_id="evals_create",
        tags=["evaluation"],
        request=InputSerializer,
        responses={201: EvalRunSerializer, 400: MessageSerializer},
        description="Start a run of a model on a suite (admins). It runs in the background "
        "(local models on the gpu queue); follow it at the Location header's URL.",
    )
    def post(self, request: Request) -> Response:
        serializer = self.InputSerializer(data=request.data)
        if not serializer.is_valid():
            return refusal(first_error(serializer.errors))
        data = serializer.validated_data
        spec = model_spec_get(name=data["model_spec"])
        if spec is None:
            return refusal(f"model_spec: no model called {data['model_spec']!r}")
        suite = suites_visible(user=request.user).filter(name=data["suite"]).first()
        if suite is None:
            return refusal(f"suite: no suite called {data['suite']!r}")
        try:
            run = eval_run_create(
                model_spec=spec, suite=suite, name=data["name"], user=request.user
            )
        except EvalRunError as error:
            return refusal(str(error))
        run = eval_run_get(user=request.user, run_id=run.pk)
        return Response(
            EvalRunSerializer(run).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": reverse("api-eval-detail", args=[run.pk])},
        )


def _run_or_404(request: Request, run_id: int):
    run = eval_run_get(user=request.user, run_id=run_id)
    if run is None:
        raise Http404(f"No evaluation run {run_id}.")
    return run


class EvalRunDetailApi(APIView):
    @extend_schema(operation_id="evals_retrieve", tags=["evaluation"], responses=EvalRunSerializer)
    def get(self, request: Request, run_id: int) -> Response:
        return Response(EvalRunSerializer(_run_or_404(request, run_id)).data)


class EvalRunMetricsApi(APIView):
    @extend_schema(
        operation_id="evals_metrics",
        tags=["evaluation"],
        parameters=[MODE_PARAMETER],
        responses=serializers.JSONField(),
        description="Every DACR metric of the run with 95% bootstrap intervals (ci).",
    )
    def get(self, request: Request, run_id: int) -> Response:
        run = _run_or_404(request, run_id)
        mode = RunModeForm(request.query_params).mode_or_default()
        return Response({"run": run.name, "mode": mode, **eval_run_metrics(run=run, mode=mode)})


class EvalRunCancelApi(APIView):
    permission_classes = [IsAdmin]

    @extend_schema(
        operation_id="evals_cancel", tags=["evaluation"], request=None, responses=EvalRunSerializer
    )
    def post(self, request: Request, run_id: int) -> Response:
        run = eval_run_cancel(run=_run_or_404(request, run_id))
        return Response(EvalRunSerializer(run).data)


class EvalCompareApi(APIView):
    @extend_schema(
        operation_id="evals_compare",
        tags=["evaluation"],
        parameters=[
            OpenApiParameter("a", int, required=True, description="Baseline run id."),
            OpenApiParameter("b", int, required=True, description="Candidate run id."),
            MODE_PARAMETER,
        ],
        responses={200: serializers.JSONField(), 400: MessageSerializer},
        description="Run B against run A on their shared questions: overall, skill and "
        "domain tables with bootstrap intervals on every delta, the McNemar p-value and flips.",
    )
    def get(self, request: Request) -> Response:
        runs = {}
        for key in ("a", "b"):
            value = request.query_params.get(key, "")
            if not value.isdigit() or len(value) > 18:
                return refusal(f"{key}: a run id")
            runs[key] = _run_or_404(request, int(value))
        a, b = runs["a"], runs["b"]
        if a.pk == b.pk or a.suite_id != b.suite_id:
            return refusal("a, b: two different runs on the same suite")
        mode = RunModeForm(request.query_params).mode_or_default()
        comparison = run_comparison(run_a=a, run_b=b, mode=mode)
        if comparison is None:
            return refusal("the two runs share no graded questions yet")
        return Response({"a": a.name, "b": b.name, **comparison.as_dict()})


class LeaderboardApi(APIView):
    @extend_schema(
        operation_id="leaderboard",
        tags=["evaluation"],
        parameters=[
            OpenApiParameter("suite", str, required=True, description="The suite's name."),
            MODE_PARAMETER,
            OpenApiParameter("sort", str, enum=["accuracy", "pass_rate", "cars", "ece"]),
        ],
        responses={200: serializers.JSONField(), 404: MessageSerializer},
        description="Every finished run on a suite with its metrics and intervals, best first.",
    )
    def get(self, request: Request) -> Response:
        name = request.query_params.get("suite", "")
        suite = suites_visible(user=request.user).filter(name=name).first()
        if suite is None:
            raise Http404(f"No suite named {name!r}.")
        mode = RunModeForm(request.query_params).mode_or_default()
        sort = LeaderboardForm(request.query_params).sort_or_default()
        rows = leaderboard(suite=suite, mode=mode, sort=sort)
        keys = ("answer_accuracy", "pass_rate", "cars", "ece")
        return Response(
            {
                "suite": suite.name,
                "mode": mode,
                "sort": sort,
                "runs": [
                    {
                        "id": row.run.pk,
                        "name": row.run.name,
                        "model_spec": row.run.model_spec.name,
                        **{key: row.value(key) for key in keys},
                        "ci": {key: row.interval(key) for key in keys},
                    }
                    for row in rows
                ],
            }
        )
