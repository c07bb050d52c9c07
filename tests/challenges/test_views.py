"""The challenge pages: who may open them, what they show, and the web import."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from challenges.models import BenchmarkImport, Challenge, Suite
from tests.factories import DOCUMENT, challenge_dict, import_challenges

pytestmark = pytest.mark.django_db

READ_PAGES = [
    "/suites/",
    "/challenges/",
    "/challenges/dacr-test-00001/",
]
ADMIN_PAGES = ["/import/"]


@pytest.fixture
def small_challenge():
    import_challenges(challenge_dict())
    return Challenge.objects.get(public_id="dacr-test-00001")


@pytest.fixture
def mini_import(mini_path, admin_client_, django_capture_on_commit_callbacks):
    """The real mini file uploaded through the import page by an admin."""
    upload = SimpleUploadedFile(
        "dacr_bench_v1.0_mini.json", mini_path.read_bytes(), content_type="application/json"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client_.post(
            "/import/", {"file": upload, "suite_name": "mini"}, follow=False
        )
    return response


# --- access -----------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [*READ_PAGES, *ADMIN_PAGES, "/import/1/", "/suites/1/export.json"])
def test_an_anonymous_visitor_is_sent_to_the_login_page(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(f"{reverse('login')}?next=")


@pytest.mark.parametrize("url", [*READ_PAGES, *ADMIN_PAGES, "/import/1/status.json"])
def test_a_user_without_a_role_is_refused(client, outsider, small_challenge, url):
    client.force_login(outsider)
    assert client.get(url).status_code == 403


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/suites/", "test-suite"),
        ("/challenges/", "dacr-test-00001"),
        ("/challenges/dacr-test-00001/", "Trial Beta ran for 12 hours"),
    ],
)
def test_a_viewer_reads_suites_and_challenges(viewer_client, small_challenge, url, expected):
    response = viewer_client.get(url)
    assert response.status_code == 200
    assert expected in response.content.decode()


def test_a_viewer_cannot_import_or_export(viewer_client, small_challenge):
    suite = Suite.objects.get(name="test-suite")
    assert viewer_client.get("/import/").status_code == 403
    assert viewer_client.get(f"/suites/{suite.pk}/export.json").status_code == 403


def test_the_navigation_shows_import_and_admin_only_to_admins(viewer_client, admin_user, client):
    page = viewer_client.get("/suites/").content.decode()
    assert "Suites" in page
    assert "API docs" in page
    assert 'href="/import/"' not in page
    assert 'href="/admin/"' not in page
    assert "victor" in page
    assert "Viewer" in page

    client.force_login(admin_user)
    page = client.get("/suites/").content.decode()
    assert 'href="/import/"' in page
    assert 'href="/admin/"' in page


def test_logging_out_is_a_post_form(viewer_client):
    page = viewer_client.get("/suites/").content.decode()
    assert 'method="post" action="/logout/"' in page
    response = viewer_client.post("/logout/")
    assert response.status_code == 302
    assert viewer_client.get("/suites/").status_code == 302


def test_the_login_page_logs_a_user_in_and_lands_on_the_suite_list(client, viewer):
    page = client.get("/login/")
    assert page.status_code == 200
    assert b'<label for="id_username">' in page.content
    response = client.post(
        "/login/", {"username": "victor", "password": "victor-pass-123"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("challenges:suite-list")
    assert b"<h1>Suites</h1>" in response.content


def test_a_wrong_password_is_refused_on_the_login_page(client, viewer):
    response = client.post("/login/", {"username": "victor", "password": "nope"})
    assert response.status_code == 200
    assert b'role="alert"' in response.content


# --- suites and challenge list ------------------------------------------------------------


def test_the_suite_list_counts_challenges_and_questions(viewer_client):
    import_challenges(challenge_dict("dacr-test-00001"), challenge_dict("dacr-test-00002"))
    page = viewer_client.get("/suites/")
    suite = page.context["suites"][0]
    assert (suite.name, suite.challenge_count, suite.question_count) == ("test-suite", 2, 6)
    assert b"Open" in page.content


def test_an_admin_exports_a_suite_as_dacr_bench_json(admin_client_, small_challenge):
    suite = Suite.objects.get(name="test-suite")
    response = admin_client_.get(f"/suites/{suite.pk}/export.json")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="test-suite.json"'
    exported = json.loads(response.content)
    assert exported["name"] == "test-suite"
    assert [c["challengeId"] for c in exported["challenges"]] == ["dacr-test-00001"]
    assert exported["challenges"][0]["document"]["text"] == DOCUMENT


def test_the_challenge_list_filters_by_split_domain_and_suite(viewer_client):
    import_challenges(challenge_dict("dacr-test-00001"), suite="alpha")
    physics = challenge_dict("dacr-test-00002")
    physics["document"] = {**physics["document"], "domain": "physics"}
    import_challenges(physics, suite="beta")
    beta = Suite.objects.get(name="beta")

    def listed(query: str) -> list[str]:
        response = viewer_client.get(f"/challenges/{query}")
        assert response.status_code == 200
        return [c.public_id for c in response.context["page"].object_list]

    assert listed("") == ["dacr-test-00001", "dacr-test-00002"]
    assert listed("?domain=physics") == ["dacr-test-00002"]
    assert listed(f"?suite={beta.pk}") == ["dacr-test-00002"]
    assert listed("?split=real") == ["dacr-test-00001", "dacr-test-00002"]
    assert listed("?split=synthetic") == []
    # A value that is not a choice is reported on the form and ignored.
    response = viewer_client.get("/challenges/?split=bogus")
    assert response.context["form"].errors["split"]
    assert response.context["page"].paginator.count == 2


def test_the_challenge_list_pages_by_fifty(viewer_client):
    import_challenges(*(challenge_dict(f"dacr-test-{n:05d}") for n in range(55)))
    first = viewer_client.get("/challenges/?domain=chemistry")
    assert len(first.context["page"].object_list) == 50
    assert b"Page 1 of 2" in first.content
    # The next-page link keeps the filter.
    assert b'href="?domain=chemistry&amp;page=2"' in first.content
    second = viewer_client.get("/challenges/?domain=chemistry&page=2")
    assert len(second.context["page"].object_list) == 5


def test_a_viewer_does_not_see_drafts_but_an_annotator_does(viewer_client, annotator, client):
    import_challenges(challenge_dict())
    Challenge.objects.update(status=Challenge.Status.DRAFT)
    assert viewer_client.get("/challenges/dacr-test-00001/").status_code == 404
    assert viewer_client.get("/challenges/").context["page"].paginator.count == 0
    client.force_login(annotator)
    assert client.get("/challenges/dacr-test-00001/").status_code == 200


# --- challenge detail -----------------------------------------------------------------------


def test_the_detail_page_highlights_both_statements_with_a_legend(viewer_client, small_challenge):
    page = viewer_client.get("/challenges/dacr-test-00001/").content.decode()
    assert "Legend" in page
    assert '<mark class="hl hl--authoritative">' in page
    assert '<mark class="hl hl--subordinate">' in page
    assert 'id="conflict-0-authoritative"' in page
    assert 'id="conflict-0-subordinate"' in page
    # The conflict table links to both highlights.
    assert 'href="#conflict-0-authoritative"' in page
    assert 'href="#conflict-0-subordinate"' in page
    assert "not located" not in page


def test_the_detail_page_shows_metadata_questions_and_reasoning(viewer_client, small_challenge):
    page = viewer_client.get("/challenges/dacr-test-00001/").content.decode()
    for text in (
        small_challenge.content_hash,
        "chemistry",
        "test-suite",
        "Conflict resolution",
        "What yield did Trial Alpha reach?",
        "42.5 percent",
        "42.5%",
        "Reasoning chain",
        "lookup",
        "Trial Alpha reached a yield",  # the facts table quote
        "<details",
    ):
        assert text in page, text


def test_document_text_is_escaped_not_executed(viewer_client):
    hostile = challenge_dict()
    text = hostile["document"]["text"] + "\n\n<script>alert('x')</script> & <b>bold</b>"
    hostile["document"] = {**hostile["document"], "text": text, "paragraphCount": 6}
    hostile["facts"][1]["location"]["contextQuote"] = "<script>alert('x')</script>"
    import_challenges(hostile)
    page = viewer_client.get("/challenges/dacr-test-00001/").content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in page


def test_a_statement_that_cannot_be_located_is_reported(viewer_client):
    lost = challenge_dict()
    lost["facts"][0]["location"]["contextQuote"] = "Nothing like this sentence is in the text."
    import_challenges(lost)
    page = viewer_client.get("/challenges/dacr-test-00001/").content.decode()
    assert "Authoritative statement not located" in page
    assert "could not be located in the document" in page
    assert '<mark class="hl hl--subordinate">' in page


def test_an_unknown_challenge_or_version_is_not_found(viewer_client, small_challenge):
    assert viewer_client.get("/challenges/dacr-nope/").status_code == 404
    assert viewer_client.get("/challenges/dacr-test-00001/?version=9.9").status_code == 404
    assert viewer_client.get("/challenges/dacr-test-00001/?version=1.0").status_code == 200


def test_the_detail_page_shows_the_newest_version_and_links_the_others(viewer_client):
    import_challenges(challenge_dict())
    import_challenges(challenge_dict(version="1.10"), suite="later")
    import_challenges(challenge_dict(version="1.9"), suite="later")
    response = viewer_client.get("/challenges/dacr-test-00001/")
    assert response.context["challenge"].version == "1.10"
    assert b'href="?version=1.9"' in response.content
    assert b'href="?version=1.0"' in response.content


def test_the_real_mini_challenge_shows_highlights_and_the_located_counts(
    mini_import, viewer_client
):
    located = {"authoritative": 0, "subordinate": 0}
    total = 0
    for challenge in Challenge.objects.filter(conflicts__isnull=False).distinct():
        response = viewer_client.get(f"/challenges/{challenge.public_id}/")
        assert response.status_code == 200
        document = response.context["document"]
        total += len(document.conflicts)
        for kind in located:
            located[kind] += document.located(kind)
    assert total == 17
    assert located["subordinate"] == 17
    assert located["authoritative"] >= 16

    page = viewer_client.get("/challenges/dacr-bench-00050/").content.decode()
    assert "hl--authoritative" in page
    assert "hl--subordinate" in page
    assert "Legend" in page
    assert "matched ignoring case and punctuation" in page


# --- web import -----------------------------------------------------------------------------


def test_an_admin_imports_the_real_mini_file_through_the_page(mini_import, admin_client_):
    job = BenchmarkImport.objects.get()
    assert mini_import.status_code == 302
    assert mini_import["Location"] == f"/import/{job.pk}/"
    assert job.status == BenchmarkImport.Status.SUCCEEDED
    assert (job.progress_done, job.progress_total, job.challenges_created) == (10, 10, 10)

    page = admin_client_.get(f"/import/{job.pk}/").content.decode()
    assert "Succeeded" in page
    assert 'data-status-url="/import/' in page
    assert "js/job_status.js" in page
    assert f'href="/challenges/?suite={job.suite.pk}"' in page

    status = admin_client_.get(f"/import/{job.pk}/status.json").json()
    assert status["finished"] is True
    assert status["status"] == "succeeded"
    assert status["challenges_created"] == 10
    assert status["suite_name"] == "mini"

    listing = admin_client_.get(f"/challenges/?suite={job.suite.pk}")
    assert listing.context["page"].paginator.count == 10
    assert "dacr_bench_v1.0_mini.json" in admin_client_.get("/import/").content.decode()


def test_a_truncated_upload_fails_with_one_line_and_imports_nothing(
    mini_path, admin_client_, django_capture_on_commit_callbacks
):
    data = mini_path.read_bytes()
    upload = SimpleUploadedFile("truncated.json", data[: len(data) // 2])
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client_.post("/import/", {"file": upload})
    job = BenchmarkImport.objects.get()
    assert response["Location"] == f"/import/{job.pk}/"
    assert job.status == BenchmarkImport.Status.FAILED
    assert job.error
    assert "\n" not in job.error
    assert Challenge.objects.count() == 0
    page = admin_client_.get(f"/import/{job.pk}/").content.decode()
    assert "Failed" in page
    assert admin_client_.get(f"/import/{job.pk}/status.json").json()["error"] == job.error


@override_settings(DACR_MAX_BENCHMARK_BYTES=100)
def test_a_too_large_upload_is_a_form_error_and_nothing_is_stored(admin_client_):
    upload = SimpleUploadedFile("big.json", b"{" + b" " * 200 + b"}")
    response = admin_client_.post("/import/", {"file": upload})
    assert response.status_code == 400
    assert "the limit is" in response.content.decode()
    assert BenchmarkImport.objects.count() == 0


def test_an_upload_far_over_the_limit_is_refused_from_its_length_before_reading(
    admin_client_, settings, tmp_path
):
    # Both through the settings fixture: mixed with @override_settings, its teardown would
    # restore the decorator's overrides and leak them into later tests.
    settings.DACR_MAX_BENCHMARK_BYTES = 1000
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("huge.json", b" " * 200_000)
    response = admin_client_.post("/import/", {"file": upload})
    assert response.status_code == 413
    assert "the upload is 0.2 MB; the limit is 0.0 MB" in response.content.decode()
    assert BenchmarkImport.objects.count() == 0
    assert list(tmp_path.iterdir()) == []


def test_an_upload_without_a_file_is_a_form_error(admin_client_):
    response = admin_client_.post("/import/", {"suite_name": "x"})
    assert response.status_code == 400
    assert response.context["form"].errors["file"]
    assert BenchmarkImport.objects.count() == 0


def test_an_unknown_import_is_not_found(admin_client_):
    assert admin_client_.get("/import/999/").status_code == 404
    assert admin_client_.get("/import/999/status.json").status_code == 404
