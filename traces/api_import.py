"""REST API for bulk trace import as JSON Lines (annotators and admins).

The file comes as the multipart field ``file`` or as the raw request body
(``Content-Type: application/x-ndjson``). It is refused with 413 from its Content-Length,
before its body is read, when larger than ``DACR_MAX_TRACES_IMPORT_BYTES``; with 400 and every
bad line (number and reason) when any line is bad, and then nothing is written.
"""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import APIException
from rest_framework.parsers import BaseParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from dacr_site.api import MessageSerializer, first_error
from dacr_site.permissions import IsAnnotator
from dacr_site.uploads import upload_size_refusal
from traces.models import TraceSource
from traces.services.bulk_import import TraceImportRefused, traces_import_jsonl


class ImportTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "import_too_large"


class JsonLinesParser(BaseParser):
    """The raw body as bytes: JSON Lines are validated line by line by the service."""

    media_type = "application/x-ndjson"

    def parse(self, stream, media_type=None, parser_context=None) -> bytes:
        return stream.read() if stream is not None else b""


class JsonLinesAliasParser(JsonLinesParser):
    media_type = "application/jsonl"


class TraceImportResultSerializer(serializers.Serializer):
    traces_created = serializers.IntegerField()
    traces_unchanged = serializers.IntegerField(
        help_text="Lines already recorded before (or repeated in the file): not stored again."
    )
    graded = serializers.IntegerField(help_text="Verdicts written (both verifier modes).")

    class Meta:
        ref_name = "TraceImportResult"


class TraceImportRefusalSerializer(MessageSerializer):
    class ProblemSerializer(serializers.Serializer):
        line = serializers.IntegerField(allow_null=True, help_text="null: the file as a whole.")
        reason = serializers.CharField()

        class Meta:
            ref_name = "TraceImportProblem"

    problem_count = serializers.IntegerField(help_text="All problems; the list holds the first.")
    problems = ProblemSerializer(many=True)

    class Meta:
        ref_name = "TraceImportRefusal"


class TraceImportApi(APIView):
    permission_classes = [IsAnnotator]
    parser_classes = [MultiPartParser, JsonLinesParser, JsonLinesAliasParser]

    class InputSerializer(serializers.Serializer):
        file = serializers.FileField(help_text="A JSON Lines file, one trace per line.")

        class Meta:
            ref_name = "TraceImportRequest"

    def initial(self, request: Request, *args, **kwargs) -> None:
        # Before authentication: session authentication checks CSRF, which reads the body.
        refusal = upload_size_refusal(request, limit=settings.DACR_MAX_TRACES_IMPORT_BYTES)
        if refusal:
            raise ImportTooLarge(refusal)
        super().initial(request, *args, **kwargs)

    @extend_schema(
        operation_id="traces_import",
        tags=["traces"],
        request={
            "multipart/form-data": InputSerializer,
            "application/x-ndjson": {"type": "string", "format": "binary"},
        },
        responses={
            201: TraceImportResultSerializer,
            200: TraceImportResultSerializer,
            400: TraceImportRefusalSerializer,
            413: MessageSerializer,
        },
        examples=[
            OpenApiExample(
                "refused",
                value={
                    "detail": "2 problems, nothing was imported: line 3: 'answers' must be an "
                    "object of question id → answer, not an array; line 9: unknown challenge "
                    "'dacr-x'",
                    "problem_count": 2,
                    "problems": [
                        {
                            "line": 3,
                            "reason": "'answers' must be an object of question id → answer, "
                            "not an array",
                        },
                        {"line": 9, "reason": "unknown challenge 'dacr-x'"},
                    ],
                },
                response_only=True,
                status_codes=["400"],
            )
        ],
        description="Import traces as JSON Lines (annotators and admins). Each line: "
        '`{"challengeId", "version"?, "solver", "output"}` (the raw model output, parsed '
        'here) or `{"challengeId", "version"?, "solver", "answers": {"q01": {"answer", '
        '"citation", "confidence"}}}`, optionally with `prompt_tokens`, `completion_tokens` '
        "and `latency_ms`. Every trace is graded in both verifier modes. All or nothing: "
        "any bad line refuses the whole file with each bad line's number and reason. "
        "Idempotent: 201 when a trace is new, 200 when every line was imported before.",
    )
    def post(self, request: Request) -> Response:
        media_type = request.content_type.split(";")[0].strip().lower()
        if media_type in (JsonLinesParser.media_type, JsonLinesAliasParser.media_type):
            # An empty body never reaches the parser: DRF gives {} for it.
            data = request.data if isinstance(request.data, bytes) else b""
        else:
            serializer = self.InputSerializer(data=request.data)
            if not serializer.is_valid():
                return _refused(first_error(serializer.errors))
            data = serializer.validated_data["file"].read()
        try:
            result = traces_import_jsonl(data=data, user=request.user, source=TraceSource.API)
        except TraceImportRefused as exc:
            return _refused(str(exc), exc.problems, exc.problem_count)
        return Response(
            TraceImportResultSerializer(result).data,
            status=status.HTTP_201_CREATED if result.traces_created else status.HTTP_200_OK,
        )


def _refused(detail: str, problems=(), problem_count: int = 0) -> Response:
    body = {
        "detail": detail,
        "problem_count": problem_count,
        "problems": [{"line": p.line, "reason": p.reason} for p in problems],
    }
    return Response(body, status=status.HTTP_400_BAD_REQUEST)
