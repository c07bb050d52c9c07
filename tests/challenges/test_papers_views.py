"""The paper pages: hostile uploads first (too large, no file, a bad domain, a missing CSRF
token), then who may do what, then what an annotator sees from upload to a verified draft."""

from __future__ import annotations

import html
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from challenges.models import Challenge, Paper
from challenges.services import paper_store
from tests.challenges.paper_support import pdf_factory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\nplaceholder bytes that are stored, never parsed here"


def _upload(name: str = "paper.pdf", data: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def _alerts(response) -> list[str]:
    page = response.content.decode()
    found = re.findall(r'role="alert">\s*(?:<p>)?(.*?)</', page, flags=re.S)
    return [html.unescape(text).strip() for text in found]


@pytest.fixture
def stored_paper() -> Paper:
    return paper_store(uploaded_file=_upload())[0]


# --- hostile uploads ------------------------------------------------------------------------


@override_settings(DACR_MAX_PAPER_UPLOAD_BYTES=1000)
def test_an_oversized_upload_is_refused_from_its_content_length_without_reading_it(
    annotator_client,
):
    # The body claims a gigabyte and holds a few bytes: reading it would fail loudly.
    response = annotator_client.generic(
        "POST",
        "/papers/",
        b"--x\r\n",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(10**9),
    )
    assert response.status_code == 413
    assert _alerts(response) == ["the upload is 1000.0 MB; the limit is 0.0 MB"]
    assert not Paper.objects.exists()


@override_settings(DACR_MAX_PAPER_UPLOAD_BYTES=1000)
def test_an_oversized_upload_is_refused_before_the_csrf_check_reads_the_body(annotator):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(annotator)
    response = browser.post("/papers/", {"files": _upload(data=b"%PDF" + b"x" * 200_000)})
    assert response.status_code == 413
    assert not Paper.objects.exists()


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({}, "Choose at least one PDF file."),
        ({"files": _upload("empty.pdf", b"")}, "The submitted file is empty."),
        ({"files": _upload(), "domain": "astrology"}, "Select a valid choice. astrology"),
    ],
)
def test_a_bad_upload_gets_one_readable_line_and_stores_nothing(annotator_client, data, expected):
    response = annotator_client.post("/papers/", data)
    assert response.status_code == 400
    alerts = _alerts(response)
    assert len(alerts) == 1, alerts
    assert alerts[0].startswith(expected)
    assert not Paper.objects.exists()


@override_settings(DACR_MAX_PAPER_FILES=2)
def test_too_many_files_in_one_upload_are_refused(annotator_client):
    files = [_upload(f"{n}.pdf", PDF + bytes([n])) for n in range(3)]
    response = annotator_client.post("/papers/", {"files": files})
    assert response.status_code == 400
    assert _alerts(response) == ["3 files in one upload; the limit is 2"]
    assert not Paper.objects.exists()


def test_the_upload_form_needs_its_csrf_token(annotator):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(annotator)
    assert browser.post("/papers/", {"files": _upload()}).status_code == 403
    assert not Paper.objects.exists()

    page = browser.get("/papers/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = browser.post("/papers/", {"files": _upload(), "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert Paper.objects.count() == 1


# --- who may do what ------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/papers/", "/papers/1/", "/papers/1/status.json"])
def test_an_anonymous_visitor_is_sent_to_the_login_page(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_an_anonymous_upload_is_sent_to_the_login_page_and_stores_nothing(db, client):
    response = client.post("/papers/", {"files": _upload()})
    assert response.status_code == 302
    assert not Paper.objects.exists()


def test_a_user_without_a_role_sees_nothing(client, outsider, stored_paper):
    client.force_login(outsider)
    for url in (
        "/papers/",
        f"/papers/{stored_paper.pk}/",
        f"/papers/{stored_paper.pk}/status.json",
    ):
        assert client.get(url).status_code == 403
    assert client.post("/papers/", {"files": _upload(data=PDF + b"2")}).status_code == 403
    assert Paper.objects.count() == 1


def test_a_viewer_reads_the_papers_but_cannot_upload(viewer_client, stored_paper):
    page = viewer_client.get("/papers/").content.decode()
    assert "paper.pdf" in page
    assert 'type="file"' not in page
    assert viewer_client.get(f"/papers/{stored_paper.pk}/").status_code == 200
    assert viewer_client.get(f"/papers/{stored_paper.pk}/status.json").status_code == 200
    response = viewer_client.post("/papers/", {"files": _upload(data=PDF + b"2")})
    assert response.status_code == 403
    assert Paper.objects.count() == 1


@pytest.mark.parametrize("persona", ["annotator", "admin_user"])
def test_annotators_and_admins_upload(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.post("/papers/", {"files": _upload(), "domain": "physics"})
    paper = Paper.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/papers/{paper.pk}/"
    assert (paper.domain_override, paper.uploaded_by) == (
        "physics",
        request.getfixturevalue(persona),
    )


def test_a_missing_paper_is_404(viewer_client, db):
    assert viewer_client.get("/papers/999/").status_code == 404
    assert viewer_client.get("/papers/999/status.json").status_code == 404


# --- what the pages show --------------------------------------------------------------------


def test_the_upload_page_has_a_multi_file_input_and_a_drop_zone_without_inline_script(
    annotator_client,
):
    page = annotator_client.get("/papers/").content.decode()
    file_input = re.search(r"<input[^>]*type=\"file\"[^>]*>", page).group(0)
    assert "multiple" in file_input
    assert 'accept="application/pdf"' in file_input
    assert "data-dropzone" in page
    assert '<script src="/static/js/paper_upload.js" defer></script>' in page
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)  # no inline JavaScript
    assert '<option value="economics">Economics</option>' in page


def test_several_files_at_once_and_the_same_bytes_again(annotator_client):
    response = annotator_client.post(
        "/papers/", {"files": [_upload("a.pdf", PDF + b"a"), _upload("b.pdf", PDF + b"b")]}
    )
    assert response.status_code == 302
    assert response["Location"] == "/papers/"
    assert Paper.objects.count() == 2
    again = annotator_client.post("/papers/", {"files": _upload("renamed.pdf", PDF + b"a")})
    assert again["Location"] == f"/papers/{Paper.objects.get(original_name='a.pdf').pk}/"
    assert Paper.objects.count() == 2


def test_the_paper_page_shows_the_file_and_its_live_status(viewer_client, stored_paper):
    page = viewer_client.get(f"/papers/{stored_paper.pk}/").content.decode()
    assert "paper.pdf" in page
    assert stored_paper.sha256 in page
    assert f'data-status-url="/papers/{stored_paper.pk}/status.json"' in page
    assert '<script src="/static/js/paper_status.js" defer></script>' in page
    state = viewer_client.get(f"/papers/{stored_paper.pk}/status.json").json()
    assert state["status"] == "uploaded"
    assert state["finished"] is False
    assert [(s["key"], s["state"]) for s in state["steps"]] == [
        ("uploaded", "done"),
        ("parsed", "current"),
        ("generated", "todo"),
        ("verified", "todo"),
    ]


def test_a_failed_paper_shows_its_one_line_reason(viewer_client, stored_paper):
    Paper.objects.filter(pk=stored_paper.pk).update(
        status="failed", failure_reason="the file is encrypted with a password"
    )
    page = viewer_client.get(f"/papers/{stored_paper.pk}/").content.decode()
    assert "the file is encrypted with a password" in page
    assert "Traceback" not in page
    state = viewer_client.get(f"/papers/{stored_paper.pk}/status.json").json()
    assert state["finished"] is True
    assert state["failure_reason"] == "the file is encrypted with a password"
    assert [s["state"] for s in state["steps"]] == ["done", "failed", "todo", "todo"]
    listing = viewer_client.get("/papers/").content.decode()
    assert "the file is encrypted with a password" in listing


# --- the real pipeline, from the page -----------------------------------------------------


def test_an_annotator_uploads_a_paper_and_reaches_its_review(
    annotator_client, django_capture_on_commit_callbacks
):
    data = pdf_factory().two_column_paper()
    with django_capture_on_commit_callbacks(execute=True):
        response = annotator_client.post("/papers/", {"files": _upload("two.pdf", data)})
    paper = Paper.objects.get()
    assert paper.status == "verified", paper.failure_reason
    challenge = Challenge.objects.get(paper=paper)

    page = annotator_client.get(response["Location"]).content.decode()
    assert "Verified" in page
    assert f"/challenges/{challenge.public_id}/review/" in page
    for section in paper.parsed["sections"][:3]:
        assert html.escape(section["title"]) in page
    state = annotator_client.get(f"/papers/{paper.pk}/status.json").json()
    assert state["steps"][-1]["state"] == "done"
    assert state["review_url"] == f"/challenges/{challenge.public_id}/review/"

    review = annotator_client.get(state["review_url"])
    assert review.status_code == 200
    assert "0 of 10 questions approved" in review.content.decode()


def test_a_hostile_upload_fails_on_its_page_and_the_next_upload_still_works(
    annotator_client, django_capture_on_commit_callbacks
):
    factory = pdf_factory()
    with django_capture_on_commit_callbacks(execute=True):
        locked = factory.encrypted(factory.one_column_paper())
        annotator_client.post("/papers/", {"files": _upload("locked.pdf", locked)})
    bad = Paper.objects.get()
    assert bad.status == "failed"
    page = annotator_client.get(f"/papers/{bad.pk}/").content.decode()
    assert html.escape(bad.failure_reason) in page
    assert "Traceback" not in page
    assert "No challenge: the paper failed" in page

    with django_capture_on_commit_callbacks(execute=True):
        annotator_client.post(
            "/papers/", {"files": _upload("good.pdf", factory.two_column_paper())}
        )
    assert Paper.objects.get(original_name="good.pdf").status == "verified"
