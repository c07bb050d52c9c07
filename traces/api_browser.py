"""REST API of the trace browser and the failure explorer (read-only): question-verdict rows
with the trace list's filters and cursor pages, their facet counts, the failure groups and
two solvers compared. Queries live in ``traces.selectors_browser`` and
``traces.selectors_failures``; an unknown filter value or a cursor this API did not write is
refused with a 400."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from challenges.api import CategoryField
from challenges.models import Difficulty, Split
from dacr_site.api import MessageSerializer, query_params, refusal
from traces.api import DecisionField, VerdictOutputSerializer
from traces.models import MatchType, VerifierMode
from traces.selectors import CONFLICT_OUTCOME_FILTER_CHOICES
from traces.selectors_browser import (
    COMPARE_CELLS,
    MAX_PAGE_SIZE,
    PAGE_SIZE,
    SORT_LABELS,
    CursorError,
    trace_row_facets,
    trace_rows,
)
from traces.selectors_failures import failure_groups, solver_comparison

YES_NO = [("yes", "Yes"), ("no", "No")]


class RowFilterSerializer(serializers.Serializer):
    """The trace list's filters (see the page); all optional, ``mode`` defaults to strict."""

    mode = serializers.ChoiceField(choices=VerifierMode.choices, required=False)
    suite = serializers.IntegerField(required=False, min_value=1, help_text="Suite id.")
    solver = serializers.CharField(required=False, max_length=128, help_text="Solver name.")
    domain = serializers.CharField(required=False, max_length=64)
    category = CategoryField(required=False, help_text="Skill category.")
    split = serializers.ChoiceField(choices=Split.choices, required=False)
    hops = serializers.IntegerField(required=False, min_value=1, max_value=99)
    difficulty = serializers.ChoiceField(choices=Difficulty.choices, required=False)
    outcome = DecisionField(required=False, help_text="The effective decision (after audits).")
    conflict = serializers.ChoiceField(choices=CONFLICT_OUTCOME_FILTER_CHOICES, required=False)
    audited = serializers.ChoiceField(choices=YES_NO, required=False)
    disagree = serializers.ChoiceField(
        choices=YES_NO, required=False, help_text="The strict and reference verifiers disagree."
    )
    match_type = serializers.ChoiceField(choices=MatchType.choices, required=False)
    parse_format = serializers.CharField(required=False, max_length=32)
    challenge = serializers.CharField(required=False, max_length=64, help_text="Public id.")
    compare = serializers.CharField(
        required=False, max_length=260, help_text="Two solver names, A,B."
    )
    cell = serializers.ChoiceField(
        choices=list(COMPARE_CELLS.items()), required=False, help_text="Needs compare."
    )

    def validate_compare(self, value: str) -> tuple[str, str]:
        names = [name.strip() for name in value.split(",")]
        if len(names) != 2 or not all(names) or names[0] == names[1]:
            raise serializers.ValidationError("Name two different solvers: A,B.")
        return names[0], names[1]

    def validate(self, attrs):
        if attrs.get("cell") and not attrs.get("compare"):
            raise serializers.ValidationError({"cell": "A comparison cell needs compare=A,B."})
        return attrs


class TraceRowSerializer(VerdictOutputSerializer):
    """A verdict row of the trace list, with its question's and challenge's properties."""

    question_hops = serializers.IntegerField(source="question.hops")
    question_difficulty = serializers.CharField(source="question.difficulty")
    domain = serializers.CharField(source="trace.challenge.domain")
    split = serializers.CharField(source="trace.challenge.split")
    parse_format = serializers.CharField(source="trace.parse_format")
    gold_answer = serializers.CharField(source="question.gold_answer")

    class Meta:
        ref_name = "TraceRow"


class TraceRowListApi(APIView):
    class FilterSerializer(RowFilterSerializer):
        sort = serializers.ChoiceField(choices=list(SORT_LABELS.items()), required=False)
        cursor = serializers.CharField(required=False, max_length=300)
        page_size = serializers.IntegerField(
            required=False, min_value=1, max_value=MAX_PAGE_SIZE, default=PAGE_SIZE
        )

    class OutputSerializer(serializers.Serializer):
        results = TraceRowSerializer(many=True)
        next_cursor = serializers.CharField(allow_null=True)
        prev_cursor = serializers.CharField(allow_null=True)

        class Meta:
            ref_name = "TraceRowPage"

    @extend_schema(
        operation_id="trace_rows_list",
        tags=["traces"],
        parameters=[FilterSerializer],
        responses={200: OutputSerializer, 400: MessageSerializer},
        description="One row per (trace, question) verdict in one verifier mode, newest "
        "first by default. Pages by cursor: pass next_cursor (or prev_cursor) back as cursor.",
    )
    def get(self, request: Request) -> Response:
        params = query_params(self.FilterSerializer, request)
        sort = params.pop("sort", "newest")
        cursor = params.pop("cursor", "")
        size = params.pop("page_size", PAGE_SIZE)
        try:
            page = trace_rows(
                user=request.user, filters=params, sort=sort, cursor=cursor, limit=size
            )
        except CursorError as error:
            return refusal(f"cursor: {error}")
        page_data = {
            "results": _with_display_names(page.rows),
            "next_cursor": page.next_cursor,
            "prev_cursor": page.prev_cursor,
        }
        return Response(self.OutputSerializer(page_data).data)


def _with_display_names(rows):
    for row in rows:
        row.question_ref = row.question.question_id
        row.question_category = row.question.category
        row.solver_name = row.trace.solver.name
        row.challenge_public_id = row.trace.challenge.public_id
        row.challenge_version = row.trace.challenge.version
    return rows


class TraceRowFacetsApi(APIView):
    class OutputSerializer(serializers.Serializer):
        total = serializers.IntegerField(help_text="Exact up to the facet limit.")
        approximate = serializers.BooleanField(
            help_text="True: counted over the newest rows up to the limit, not all."
        )
        counts = serializers.DictField(
            child=serializers.DictField(child=serializers.IntegerField()),
            help_text="Facet name → value → rows.",
        )

        class Meta:
            ref_name = "TraceRowFacets"

    @extend_schema(
        operation_id="trace_rows_facets",
        tags=["traces"],
        parameters=[RowFilterSerializer],
        responses={200: OutputSerializer, 400: MessageSerializer},
    )
    def get(self, request: Request) -> Response:
        filters = query_params(RowFilterSerializer, request)
        facets = trace_row_facets(user=request.user, filters=filters)
        return Response(self.OutputSerializer(facets).data)


class TallySerializer(serializers.Serializer):
    label = serializers.CharField()
    failed = serializers.IntegerField()
    total = serializers.IntegerField()
    params = serializers.DictField(help_text="The trace list filters selecting this cell.")

    class Meta:
        ref_name = "FailureTally"


class FailureGroupsApi(APIView):
    class OutputSerializer(serializers.Serializer):
        total = serializers.IntegerField()
        failed = serializers.IntegerField()
        skill_domain = serializers.SerializerMethodField()
        skill_totals = TallySerializer(many=True)
        conflict = TallySerializer(many=True)
        parse_format = TallySerializer(many=True)
        match_type = TallySerializer(many=True)

        class Meta:
            ref_name = "FailureGroups"

        def get_skill_domain(self, groups) -> list[dict]:
            cells = [tally for row in groups.grid.values() for tally in row.values()]
            return TallySerializer(cells, many=True).data

    @extend_schema(
        operation_id="failures_groups",
        tags=["traces"],
        parameters=[RowFilterSerializer],
        responses={200: OutputSerializer, 400: MessageSerializer},
        description="Failures (effective decision incorrect) grouped by skill × domain, "
        "conflict outcome, parse format and match type; outcome and cell are ignored.",
    )
    def get(self, request: Request) -> Response:
        filters = query_params(RowFilterSerializer, request)
        groups = failure_groups(user=request.user, filters=filters)
        return Response(self.OutputSerializer(groups).data)


class SolverComparisonApi(APIView):
    class FilterSerializer(RowFilterSerializer):
        compare = serializers.CharField(max_length=260, help_text="Two solver names, A,B.")

    class OutputSerializer(serializers.Serializer):
        solver_a = serializers.CharField()
        solver_b = serializers.CharField()
        cells = serializers.DictField(
            child=serializers.IntegerField(),
            help_text="both_right, only_a, only_b, both_wrong → questions.",
        )
        only_one = serializers.IntegerField(help_text="Questions only one solver answered.")

        class Meta:
            ref_name = "SolverComparison"

    @extend_schema(
        operation_id="failures_compare",
        tags=["traces"],
        parameters=[FilterSerializer],
        responses={200: OutputSerializer, 400: MessageSerializer},
    )
    def get(self, request: Request) -> Response:
        filters = query_params(self.FilterSerializer, request)
        solver_a, solver_b = filters["compare"]
        comparison = solver_comparison(
            user=request.user, solver_a=solver_a, solver_b=solver_b, filters=filters
        )
        return Response(self.OutputSerializer(comparison).data)
