"""REST API for papers: upload PDFs (annotators and admins) and follow a paper from upload
to its verified draft challenge (any role).

Same conventions as ``challenges.api``: one APIView per operation, nested serializers, reads
through ``challenges.api_selectors``, writes through services. Bad input gets 400 with one
line in ``detail``; an upload larger than the limit is refused with 413 from its
Content-Length, before its body is read.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404
from django.urls import reverse
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import APIException
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from challenges.api_selectors import paper_get
from challenges.models import ChallengeStatus, Domain, PaperStatus
from challenges.services import PaperRefused, paper_upload_start
from dacr_site.api import MessageSerializer, first_error, refusal
from dacr_site.permissions import IsAnnotator
from dacr_site.uploads import upload_size_refusal


class UploadTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "upload_too_large"


class PaperChallengeSerializer(serializers.Serializer):
    public_id = serializers.CharField()
    version = serializers.CharField()
    status = serializers.ChoiceField(choices=ChallengeStatus.choices)
    question_count = serializers.IntegerField()
    conflict_count = serializers.IntegerField()
    verification_passed = serializers.BooleanField(
        source="verification_report.passed", default=None, allow_null=True
    )

    class Meta:
        ref_name = "PaperChallenge"


class PaperSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    sha256 = serializers.CharField()
    original_name = serializers.CharField()
    size_bytes = serializers.IntegerField()
    page_count = serializers.IntegerField(allow_null=True)
    status = serializers.ChoiceField(choices=PaperStatus.choices)
    phase = serializers.CharField(source="get_status_display")
    finished = serializers.BooleanField(source="is_finished")
    failure_reason = serializers.CharField(
        help_text="Why the paper failed, in one line; empty otherwise."
    )
    title = serializers.CharField()
    authors = serializers.ListField(child=serializers.CharField())
    abstract = serializers.CharField()
    arxiv_id = serializers.CharField()
    arxiv_version = serializers.IntegerField(allow_null=True)
    arxiv_category = serializers.CharField()
    arxiv_date = serializers.DateField(allow_null=True)
    domain = serializers.CharField()
    domain_override = serializers.CharField(help_text="The uploader's domain; empty if none.")
    sections = serializers.SerializerMethodField(
        help_text="The parsed headings in order, numbered as printed."
    )
    table_count = serializers.SerializerMethodField()
    challenge = PaperChallengeSerializer(
        allow_null=True,
        help_text="The newest challenge made from the paper that you may read (drafts are for "
        "annotators and admins); null until the paper is verified.",
    )
    uploaded_by = serializers.CharField(source="uploaded_by.username", allow_null=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    class Meta:
        ref_name = "Paper"

    def get_sections(self, paper) -> list[str]:
        sections = (paper.parsed or {}).get("sections", [])
        return [f"{s.get('number', '')} {s.get('title', '')}".strip() for s in sections]

    def get_table_count(self, paper) -> int:
        return len((paper.parsed or {}).get("tables", []))


class PaperUploadSerializer(serializers.Serializer):
    class StoredPaperSerializer(PaperSerializer):
        created = serializers.BooleanField(
            help_text="False when the same bytes were uploaded before: it is the same paper."
        )

        class Meta:
            ref_name = "StoredPaper"

    papers = StoredPaperSerializer(many=True)

    class Meta:
        ref_name = "PaperUpload"


class PaperCreateApi(APIView):
    permission_classes = [IsAnnotator]
    parser_classes = [MultiPartParser]

    class InputSerializer(serializers.Serializer):
        file = serializers.ListField(
            child=serializers.FileField(),
            allow_empty=False,
            help_text="One or more PDF files: repeat the field for several.",
        )
        domain = serializers.ChoiceField(
            choices=Domain.choices,
            required=False,
            help_text="Overrides the domain inferred from the paper.",
        )

        class Meta:
            ref_name = "PaperUploadRequest"

    def initial(self, request: Request, *args, **kwargs) -> None:
        # Before authentication: session authentication checks CSRF, which reads the body.
        refusal = upload_size_refusal(request, limit=settings.DACR_MAX_PAPER_UPLOAD_BYTES)
        if refusal:
            raise UploadTooLarge(refusal)
        super().initial(request, *args, **kwargs)

    @extend_schema(
        operation_id="papers_create",
        tags=["papers"],
        request={"multipart/form-data": InputSerializer},
        responses={
            201: PaperUploadSerializer,
            200: PaperUploadSerializer,
            400: MessageSerializer,
            413: MessageSerializer,
        },
        examples=[
            OpenApiExample(
                "refused",
                value={"detail": "no file was uploaded; choose one or more PDF files"},
                response_only=True,
                status_codes=["400"],
            )
        ],
        description="Upload one or more PDFs (annotators and admins). Each is stored under "
        "its SHA-256 and processed in the background: follow it at its URL. 201 when at "
        "least one paper is new, 200 when every file was uploaded before. A bad upload is "
        "refused whole with one line in `detail`; a file that is not a usable PDF is kept "
        "and its paper fails with the reason.",
    )
    def post(self, request: Request) -> Response:
        serializer = self.InputSerializer(data=request.data)
        if not serializer.is_valid():
            return refusal(first_error(serializer.errors))
        try:
            stored = paper_upload_start(
                uploaded_files=serializer.validated_data["file"],
                domain_override=serializer.validated_data.get("domain", ""),
                user=request.user,
            )
        except PaperRefused as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
        papers = []
        for paper, created in stored:
            # Reread: where tasks run in-process the paper may already have moved on.
            fresh = paper_get(user=request.user, paper_id=paper.pk)
            fresh.created = created
            papers.append(fresh)
        new = any(created for _, created in stored)
        return Response(
            PaperUploadSerializer({"papers": papers}).data,
            status=status.HTTP_201_CREATED if new else status.HTTP_200_OK,
            headers={"Location": reverse("api-paper-detail", args=[papers[0].pk])},
        )


class PaperDetailApi(APIView):
    @extend_schema(operation_id="papers_retrieve", tags=["papers"], responses=PaperSerializer)
    def get(self, request: Request, paper_id: int) -> Response:
        paper = paper_get(user=request.user, paper_id=paper_id)
        if paper is None:
            raise Http404(f"No paper {paper_id}.")
        return Response(PaperSerializer(paper).data)
