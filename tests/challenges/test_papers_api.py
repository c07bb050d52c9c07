"""The papers REST API as a client sees it: hostile uploads first (400 with one line, 413 from
the Content-Length), then who may call it, then an upload followed to its verified draft."""

from __future__ import annotations

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from rest_framework.authtoken.models import Token

from challenges.models import Challenge, Paper
from challenges.services import paper_store
from tests.challenges.paper_support import pdf_factory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\nstored, not parsed here"
URL = "/api/papers/"


def _upload(name: str = "paper.pdf", data: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def _token_client(user) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")


def _one_line(response, status: int) -> str:
    assert response.status_code == status, response.content
    body = response.json()
    assert list(body) == ["detail"]
    assert "\n" not in body["detail"]
    assert len(body["detail"]) < 300
    return body["detail"]


# --- hostile uploads ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({}, "file: This field is required."),
        ({"file": _upload("empty.pdf", b"")}, "file: The submitted file is empty."),
        (
            {"file": "not a file"},
            "file: The submitted data was not a file. Check the encoding type on the form.",
        ),
        ({"file": _upload(), "domain": "astrology"}, 'domain: "astrology" is not a valid choice.'),
    ],
)
def test_a_bad_upload_gets_400_with_one_line_and_stores_nothing(annotator, data, expected):
    response = _token_client(annotator).post(URL, data)
    assert _one_line(response, 400) == expected
    assert not Paper.objects.exists()


def test_a_json_body_is_refused(annotator):
    response = _token_client(annotator).post(URL, {"file": "x"}, content_type="application/json")
    assert _one_line(response, 415).startswith('Unsupported media type "application/json"')
    assert not Paper.objects.exists()


@override_settings(DACR_MAX_PAPER_FILES=2)
def test_too_many_files_are_refused(annotator):
    files = [_upload(f"{n}.pdf", PDF + bytes([n])) for n in range(3)]
    response = _token_client(annotator).post(URL, {"file": files})
    assert _one_line(response, 400) == "3 files in one upload; the limit is 2"
    assert not Paper.objects.exists()


@override_settings(DACR_MAX_PAPER_UPLOAD_BYTES=1000)
@pytest.mark.parametrize("persona", ["annotator", None])
def test_an_oversized_upload_is_refused_from_its_content_length(request, persona):
    client = _token_client(request.getfixturevalue(persona)) if persona else Client()
    # The body claims a gigabyte and holds a few bytes: reading it would fail loudly.
    response = client.generic(
        "POST",
        URL,
        b"--x\r\n",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(10**9),
    )
    assert _one_line(response, 413) == "the upload is 1000.0 MB; the limit is 0.0 MB"
    assert not Paper.objects.exists()


@override_settings(DACR_MAX_PAPER_UPLOAD_BYTES=1000)
def test_an_oversized_session_upload_is_refused_before_the_csrf_check(annotator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(annotator)
    response = client.post(URL, {"file": _upload(data=b"%PDF" + b"x" * 200_000)})
    assert response.status_code == 413
    assert not Paper.objects.exists()


# --- who may call it ----------------------------------------------------------------------


def test_anonymous_calls_get_401(db, client):
    assert client.post(URL, {"file": _upload()}).status_code == 401
    assert client.get(f"{URL}1/").status_code == 401
    assert not Paper.objects.exists()


@pytest.mark.parametrize("persona", ["viewer", "outsider"])
def test_viewers_and_users_without_a_role_cannot_upload(request, persona):
    response = _token_client(request.getfixturevalue(persona)).post(URL, {"file": _upload()})
    assert response.status_code == 403
    assert not Paper.objects.exists()


def test_a_session_upload_needs_the_csrf_token(annotator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(annotator)
    response = client.post(URL, {"file": _upload()})
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert not Paper.objects.exists()


def test_who_may_read_a_paper(db, viewer, outsider):
    paper, _ = paper_store(uploaded_file=_upload())
    assert _token_client(viewer).get(f"{URL}{paper.pk}/").status_code == 200
    assert _token_client(outsider).get(f"{URL}{paper.pk}/").status_code == 403
    assert _token_client(viewer).get(f"{URL}{paper.pk + 1}/").status_code == 404


# --- uploads ------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["annotator", "admin_user"])
def test_an_upload_answers_201_with_the_papers_and_the_same_bytes_again_200(request, persona):
    client = _token_client(request.getfixturevalue(persona))
    response = client.post(
        URL,
        {"file": [_upload("a.pdf", PDF + b"a"), _upload("b.pdf", PDF + b"b")], "domain": "cs_ai"},
    )
    assert response.status_code == 201
    papers = response.json()["papers"]
    assert [(p["original_name"], p["created"], p["status"]) for p in papers] == [
        ("a.pdf", True, "uploaded"),
        ("b.pdf", True, "uploaded"),
    ]
    assert papers[0]["domain_override"] == "cs_ai"
    assert papers[0]["challenge"] is None
    assert response["Location"] == f"{URL}{papers[0]['id']}/"

    again = client.post(URL, {"file": _upload("renamed.pdf", PDF + b"a")})
    assert again.status_code == 200
    (paper,) = again.json()["papers"]
    assert (paper["id"], paper["created"], paper["original_name"]) == (
        papers[0]["id"],
        False,
        "a.pdf",
    )
    assert Paper.objects.count() == 2


def test_a_failed_paper_reports_its_one_line_reason(viewer):
    paper, _ = paper_store(uploaded_file=_upload())
    Paper.objects.filter(pk=paper.pk).update(status="failed", failure_reason="not a PDF file")
    body = _token_client(viewer).get(f"{URL}{paper.pk}/").json()
    assert (body["status"], body["finished"], body["failure_reason"]) == (
        "failed",
        True,
        "not a PDF file",
    )


def test_the_schema_documents_the_paper_endpoints(admin_client_):
    schema = yaml.safe_load(admin_client_.get("/api/schema/").content)
    assert "multipart/form-data" in schema["paths"][URL]["post"]["requestBody"]["content"]
    assert set(schema["paths"][URL]["post"]["responses"]) >= {"200", "201", "400", "413"}
    assert "get" in schema["paths"]["/api/papers/{paper_id}/"]


# --- the real pipeline ----------------------------------------------------------------------


def test_an_upload_is_followed_to_its_verified_draft(
    annotator, viewer, django_capture_on_commit_callbacks
):
    data = pdf_factory().two_column_paper()
    with django_capture_on_commit_callbacks(execute=True):
        response = _token_client(annotator).post(URL, {"file": _upload("two.pdf", data)})
    assert response.status_code == 201
    paper_id = response.json()["papers"][0]["id"]

    body = _token_client(annotator).get(f"{URL}{paper_id}/").json()
    assert body["status"] == "verified", body["failure_reason"]
    assert body["title"]
    assert body["sections"]
    assert body["page_count"] >= 1
    challenge = body["challenge"]
    assert challenge["status"] == "draft"
    assert challenge["question_count"] == 10
    assert challenge["verification_passed"] is True
    assert Challenge.objects.get(public_id=challenge["public_id"]).paper_id == paper_id
    # Drafts are for annotators: a viewer sees the paper, not its draft.
    assert _token_client(viewer).get(f"{URL}{paper_id}/").json()["challenge"] is None


def test_a_hostile_upload_fails_with_one_line_and_the_next_one_works(
    annotator, django_capture_on_commit_callbacks
):
    factory = pdf_factory()
    client = _token_client(annotator)
    with django_capture_on_commit_callbacks(execute=True):
        bad = client.post(URL, {"file": _upload("scan.pdf", factory.scan())}).json()
    body = client.get(f"{URL}{bad['papers'][0]['id']}/").json()
    assert body["status"] == "failed"
    assert body["failure_reason"]
    assert "\n" not in body["failure_reason"]
    assert "Traceback" not in body["failure_reason"]
    assert body["challenge"] is None

    with django_capture_on_commit_callbacks(execute=True):
        good_pdf = factory.two_column_paper(seed=9)
        good = client.post(URL, {"file": _upload("good.pdf", good_pdf)}).json()
    assert client.get(f"{URL}{good['papers'][0]['id']}/").json()["status"] == "verified"
