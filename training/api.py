"""REST API for training datasets and runs.

Same conventions as the other apps' APIs: one APIView per operation (list and create share
a route), nested Input/Output serializers, reads through ``training.selectors``, writes
through ``training.services``. Viewers read; admins create, cancel and evaluate. A bad
request is refused with one line in ``detail`` and writes nothing.
"""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from challenges.models import Suite
from dacr_site.api import ApiPagination, MessageSerializer, first_error, paginated_response, refusal
from dacr_site.permissions import IsAdmin, ViewerReadsAdminWrites
from evaluation.models import RunStatus
from training import selectors
from training.models import DatasetStatus, TrainingDataset, TrainingRun
from training.services import (
    AdapterError,
    TrainingDatasetError,
    TrainingRunError,
    comparison_url,
    dataset_create,
    evaluate_against_baseline,
    training_run_cancel,
    training_run_create,
)


@extend_schema_field(
    serializers.ChoiceField(choices=DatasetStatus.choices), component_name="TrainingDatasetStatus"
)
class DatasetStatusField(serializers.ChoiceField):
    """building/ready/failed, as one named enum in the schema."""

    def __init__(self, **kwargs):
        super().__init__(choices=DatasetStatus.choices, **kwargs)


@extend_schema_field(
    serializers.ChoiceField(choices=RunStatus.choices), component_name="TrainingRunStatus"
)
class RunStatusField(serializers.ChoiceField):
    """queued/running/succeeded/failed/cancelled, as one named enum in the schema."""

    def __init__(self, **kwargs):
        super().__init__(choices=RunStatus.choices, **kwargs)


class DatasetSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    status = DatasetStatusField()
    error = serializers.CharField(
        help_text="Why the build was refused or failed, in one line (a leakage refusal names "
        "the overlapping challenges, documents or domains); empty otherwise."
    )
    spec = serializers.JSONField(help_text="The DatasetSpec settings and the prompt version.")
    stats = serializers.JSONField(
        help_text="candidates, selected, dropped_* per step, questions_taught, by_domain, "
        "by_solver, by_split, allowed_overlaps, verifier, provenance."
    )
    token_stats = serializers.JSONField(help_text="min, p50, p90, p99, max, mean, total; {}.")
    tokenizer = serializers.CharField()
    examples = serializers.IntegerField()
    content_hash = serializers.CharField()
    path = serializers.CharField()
    prompt_version = serializers.CharField()
    created_by = serializers.CharField(source="created_by.username", allow_null=True)
    created_at = serializers.DateTimeField()

    class Meta:
        ref_name = "TrainingDataset"


class TrainingLogSerializer(serializers.Serializer):
    step = serializers.IntegerField()
    epoch = serializers.FloatField(allow_null=True)
    loss = serializers.FloatField(allow_null=True)
    learning_rate = serializers.FloatField(allow_null=True)
    tokens_per_s = serializers.FloatField(allow_null=True)
    gpu_memory_mb = serializers.FloatField(allow_null=True, help_text="null on the CPU.")
    eta_s = serializers.FloatField(allow_null=True)

    class Meta:
        ref_name = "TrainingLog"


class TrainingRunSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    dataset = serializers.IntegerField(source="dataset_id")
    dataset_name = serializers.CharField(source="dataset.name")
    status = RunStatusField()
    error = serializers.CharField(help_text="Why the run failed, in one line; else empty.")
    cancel_requested = serializers.BooleanField()
    deliveries = serializers.IntegerField()
    plan = serializers.CharField(help_text="qlora-nf4, qlora-nf4-cpu, lora-fp32, …")
    plan_notes = serializers.ListField(
        child=serializers.CharField(), help_text="What ran and why (e.g. 'No GPU: …')."
    )
    config = serializers.JSONField(help_text="Every QLoRAConfig setting, defaults included.")
    step = serializers.IntegerField()
    max_steps = serializers.IntegerField()
    final_loss = serializers.FloatField(allow_null=True)
    tokens_seen = serializers.IntegerField()
    last_checkpoint = serializers.CharField()
    adapter_path = serializers.CharField()
    model_spec = serializers.CharField(source="model_spec.name", allow_null=True)
    record = serializers.JSONField()
    created_at = serializers.DateTimeField()
    started_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)

    class Meta:
        ref_name = "TrainingRun"


class TrainingRunDetailSerializer(TrainingRunSerializer):
    log = serializers.SerializerMethodField()

    class Meta:
        ref_name = "TrainingRunDetail"

    @extend_schema(responses=TrainingLogSerializer(many=True))
    def get_log(self, run: TrainingRun) -> list[dict]:
        return TrainingLogSerializer(selectors.run_log(run=run), many=True).data


def _dataset_or_404(dataset_id: int) -> TrainingDataset:
    dataset = selectors.dataset_get(dataset_id=dataset_id)
    if dataset is None:
        raise Http404(f"No training dataset {dataset_id}.")
    return dataset


def _run_or_404(run_id: int) -> TrainingRun:
    run = selectors.run_get(run_id=run_id)
    if run is None:
        raise Http404(f"No training run {run_id}.")
    return run


# --- datasets -------------------------------------------------------------------------------


class DatasetListCreateApi(ViewerReadsAdminWrites, APIView):
    pagination_class = ApiPagination

    class InputSerializer(serializers.Serializer):
        name = serializers.CharField(max_length=200)
        spec = serializers.JSONField(
            help_text="A DatasetSpec: verdict_rule (challenge_passed, all_correct, "
            "question_correct), pass_threshold, solvers, suites, splits, domains, "
            "holdout_domains, eval_suites, allow_domain_overlap, trace_mode, seed."
        )
        tokenizer_path = serializers.CharField(
            required=False, allow_blank=True, default="", max_length=1000
        )

        class Meta:
            ref_name = "TrainingDatasetRequest"

    @extend_schema(
        operation_id="training_datasets_list",
        tags=["training"],
        responses=DatasetSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        return paginated_response(
            view=self,
            request=request,
            queryset=selectors.dataset_list(),
            serializer_class=DatasetSerializer,
        )

    @extend_schema(
        operation_id="training_datasets_create",
        tags=["training"],
        request=InputSerializer,
        responses={201: DatasetSerializer, 400: MessageSerializer},
        description="Build a dataset (admins). The build runs in the background; follow it "
        "at the Location header. A bad name or spec is refused with one line, writing nothing.",
    )
    def post(self, request: Request) -> Response:
        serializer = self.InputSerializer(data=request.data)
        if not serializer.is_valid():
            return refusal(first_error(serializer.errors))
        try:
            dataset = dataset_create(**serializer.validated_data, user=request.user)
        except TrainingDatasetError as error:
            return refusal(str(error))
        dataset = _dataset_or_404(dataset.pk)  # reread: an in-process build may be done
        return Response(
            DatasetSerializer(dataset).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": reverse("api-training-dataset-detail", args=[dataset.pk])},
        )


class DatasetDetailApi(APIView):
    @extend_schema(
        operation_id="training_datasets_retrieve", tags=["training"], responses=DatasetSerializer
    )
    def get(self, request: Request, dataset_id: int) -> Response:
        return Response(DatasetSerializer(_dataset_or_404(dataset_id)).data)


# --- runs -----------------------------------------------------------------------------------


class RunListCreateApi(ViewerReadsAdminWrites, APIView):
    pagination_class = ApiPagination

    class InputSerializer(serializers.Serializer):
        dataset = serializers.IntegerField(help_text="The id of a ready dataset.")
        config = serializers.JSONField(
            help_text="QLoRAConfig settings: base_model is required, every other one "
            "defaults to the study's recipe."
        )
        name = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)

        class Meta:
            ref_name = "TrainingRunRequest"

    @extend_schema(
        operation_id="training_runs_list",
        tags=["training"],
        responses=TrainingRunSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        return paginated_response(
            view=self,
            request=request,
            queryset=selectors.run_list(),
            serializer_class=TrainingRunSerializer,
        )

    @extend_schema(
        operation_id="training_runs_create",
        tags=["training"],
        request=InputSerializer,
        responses={201: TrainingRunSerializer, 400: MessageSerializer},
        description="Train on a ready dataset (admins), on the gpu queue. A bad config, an "
        "unknown or unready dataset is refused with one line, writing nothing.",
    )
    def post(self, request: Request) -> Response:
        serializer = self.InputSerializer(data=request.data)
        if not serializer.is_valid():
            return refusal(first_error(serializer.errors))
        data = serializer.validated_data
        dataset = selectors.dataset_get(dataset_id=data["dataset"])
        if dataset is None:
            return refusal(f"dataset: no training dataset {data['dataset']}")
        try:
            run = training_run_create(
                dataset=dataset, config=data["config"], name=data["name"], user=request.user
            )
        except TrainingRunError as error:
            return refusal(str(error))
        run = _run_or_404(run.pk)
        return Response(
            TrainingRunSerializer(run).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": reverse("api-training-run-detail", args=[run.pk])},
        )


class RunDetailApi(APIView):
    @extend_schema(
        operation_id="training_runs_retrieve",
        tags=["training"],
        responses=TrainingRunDetailSerializer,
        description="The run with every logged step (the loss curve).",
    )
    def get(self, request: Request, run_id: int) -> Response:
        return Response(TrainingRunDetailSerializer(_run_or_404(run_id)).data)


class RunCancelApi(APIView):
    permission_classes = [IsAdmin]

    @extend_schema(
        operation_id="training_runs_cancel",
        tags=["training"],
        request=None,
        responses=TrainingRunSerializer,
        description="Cancel a run (admins): a queued run at once, a running one after its "
        "current step, with a checkpoint. A finished run is returned unchanged.",
    )
    def post(self, request: Request, run_id: int) -> Response:
        run = training_run_cancel(run=_run_or_404(run_id))
        return Response(TrainingRunSerializer(_run_or_404(run.pk)).data)


class RunEvaluateApi(APIView):
    permission_classes = [IsAdmin]

    class InputSerializer(serializers.Serializer):
        suite = serializers.CharField(max_length=200, help_text="The suite's name.")

        class Meta:
            ref_name = "TrainingEvaluateRequest"

    class OutputSerializer(serializers.Serializer):
        baseline = serializers.IntegerField(help_text="The base model's evaluation run.")
        adapter = serializers.IntegerField(help_text="The adapter's evaluation run.")
        compare_url = serializers.CharField(help_text="The page comparing the two.")

        class Meta:
            ref_name = "TrainingEvaluation"

    @extend_schema(
        operation_id="training_runs_evaluate",
        tags=["training"],
        request=InputSerializer,
        responses={201: OutputSerializer, 400: MessageSerializer},
        description="Evaluate the base model and the run's adapter on a suite (admins).",
    )
    def post(self, request: Request, run_id: int) -> Response:
        run = _run_or_404(run_id)
        serializer = self.InputSerializer(data=request.data)
        if not serializer.is_valid():
            return refusal(first_error(serializer.errors))
        suite = Suite.objects.filter(name=serializer.validated_data["suite"]).first()
        if suite is None:
            return refusal(f"suite: no suite called {serializer.validated_data['suite']!r}")
        try:
            baseline, adapted = evaluate_against_baseline(run=run, suite=suite, user=request.user)
        except AdapterError as error:
            return refusal(str(error))
        body = {
            "baseline": baseline.pk,
            "adapter": adapted.pk,
            "compare_url": comparison_url(baseline, adapted),
        }
        return Response(self.OutputSerializer(body).data, status=status.HTTP_201_CREATED)
