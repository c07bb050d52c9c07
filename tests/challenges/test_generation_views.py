"""The generation pages and the suite validity page: hostile requests first, then who may do
what, then an admin generating a tiny suite and reading its validity report."""

import html
import re

import pytest
from django.test import Client

from challenges.models import Challenge, GenerationJob, Suite, ValidityReport
from challenges.services import generation_start
from tests.factories import challenge_dict, import_challenges

GOOD = {"count": "3", "seed": "5", "domains": ["physics", "economics"], "suite_name": ""}


def _alerts(response) -> list[str]:
    """The error lines the page shows (every element marked role="alert"), as read."""
    page = response.content.decode()
    found = re.findall(r'role="alert">\s*(?:<p>)?(.*?)</', page, flags=re.S)
    return [html.unescape(text).strip() for text in found]


def _nothing_created() -> bool:
    return not (
        GenerationJob.objects.exists() or Suite.objects.exists() or Challenge.objects.exists()
    )


@pytest.fixture
def csrf_admin_client(admin_user):
    """A browser-like client: Django's test client skips CSRF checks unless told not to."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    return client


@pytest.fixture
def generated(admin_client_, django_capture_on_commit_callbacks):
    """An admin generates three challenges (physics, economics) through the page; the task
    runs in-process when the request's transaction commits."""
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client_.post("/generate/", GOOD)
    return response, GenerationJob.objects.get()


# --- hostile input: one readable line, nothing created -------------------------------------


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"count": "0"}, "count must be a positive integer, not 0"),
        ({"count": "-5"}, "count must be a positive integer, not -5"),
        ({"count": str(10**9)}, "count 1,000,000,000 is over the cap of 5,000"),
        ({"count": "abc"}, "Enter a whole number."),
        ({"count": ""}, "This field is required."),
        ({"seed": "x1"}, "seed must be a non-negative integer, not 'x1'"),
        ({"seed": "-1"}, "seed must be a non-negative integer, not '-1'"),
        ({"seed": "1.5"}, "seed must be a non-negative integer, not '1.5'"),
        ({"seed": "1" * 100}, "seed has more than 80 digits"),
        ({"seed": "9" * 5000}, "Ensure this value has at most 120 characters"),
        ({"seed": "<b>7</b>"}, "seed must be a non-negative integer, not '<b>7</b>'"),
        ({"domains": ["astrology"]}, "astrology is not one of the available choices"),
        ({"domains": ["physics", "astrology"]}, "astrology is not one of the available choices"),
        ({"suite_name": "s" * 200}, "Ensure this value has at most 128 characters"),
    ],
)
def test_a_bad_request_is_refused_with_one_readable_line_and_creates_nothing(
    admin_client_, django_capture_on_commit_callbacks, changes, expected
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client_.post("/generate/", {**GOOD, **changes})

    assert response.status_code == 400
    alerts = _alerts(response)
    assert len(alerts) == 1, alerts
    assert expected in alerts[0]
    assert "\n" not in alerts[0]
    assert len(alerts[0]) < 300
    assert _nothing_created()


def test_markup_in_a_bad_seed_is_shown_as_text(admin_client_):
    response = admin_client_.post("/generate/", {**GOOD, "seed": "<b>7</b>"})

    assert "<b>7</b>" not in response.content.decode()
    assert "&lt;b&gt;7&lt;/b&gt;" in response.content.decode()


def test_the_form_keeps_what_was_typed_after_a_refusal(admin_client_):
    response = admin_client_.post("/generate/", {**GOOD, "seed": "x1", "suite_name": "mine"})

    page = response.content.decode()
    assert 'value="x1"' in page
    assert 'value="mine"' in page
    assert re.search(r'value="physics"[^>]*checked', page)


# --- who may do what ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["/generate/", "/generate/1/", "/generate/1/status.json", "/suites/1/validity/"]
)
def test_an_anonymous_visitor_is_sent_to_the_login_page(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_an_anonymous_post_is_sent_to_the_login_page_and_creates_nothing(db, client):
    response = client.post("/generate/", GOOD)

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
    assert _nothing_created()


@pytest.mark.parametrize("persona", ["viewer", "annotator", "outsider"])
def test_only_admins_open_or_post_the_generate_page(
    db, client, request, django_capture_on_commit_callbacks, persona
):
    client.force_login(request.getfixturevalue(persona))
    job = generation_start(count=1, seed=1, domains=["physics"])  # queued, never run

    with django_capture_on_commit_callbacks(execute=True):
        posted = client.post("/generate/", GOOD)

    assert posted.status_code == 403
    assert client.get("/generate/").status_code == 403
    assert client.get(f"/generate/{job.pk}/").status_code == 403
    assert client.get(f"/generate/{job.pk}/status.json").status_code == 403
    assert list(GenerationJob.objects.all()) == [job]
    assert not Suite.objects.exists()


def test_the_form_refuses_a_post_without_the_csrf_token(csrf_admin_client):
    response = csrf_admin_client.post("/generate/", GOOD)

    assert response.status_code == 403
    assert _nothing_created()


def test_the_form_accepts_a_post_with_the_csrf_token(
    csrf_admin_client, django_capture_on_commit_callbacks
):
    page = csrf_admin_client.get("/generate/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    with django_capture_on_commit_callbacks(execute=True):
        response = csrf_admin_client.post("/generate/", {**GOOD, "csrfmiddlewaretoken": token})

    assert response.status_code == 302
    assert GenerationJob.objects.get().status == GenerationJob.Status.SUCCEEDED


def test_the_navigation_shows_generate_only_to_admins(viewer_client, admin_user, client):
    assert 'href="/generate/"' not in viewer_client.get("/suites/").content.decode()

    client.force_login(admin_user)
    assert 'href="/generate/"' in client.get("/suites/").content.decode()


# --- an admin generates a suite ---------------------------------------------------------------


def test_the_form_starts_with_sixty_challenges_seed_seven_and_every_domain(admin_client_):
    page = admin_client_.get("/generate/").content.decode()

    assert re.search(r'name="count" value="60"', page)
    assert re.search(r'name="seed" value="7"', page)
    for domain in ("physics", "economics", "medicine", "cs_ai"):
        assert f'value="{domain}"' in page
    assert "checked" not in page  # none ticked: all domains


def test_an_admin_generates_a_suite_and_its_validity_report(generated, admin_client_):
    response, job = generated

    assert response.status_code == 302
    assert response["Location"] == f"/generate/{job.pk}/"
    assert job.status == GenerationJob.Status.SUCCEEDED
    assert (job.progress_done, job.progress_total, job.challenges_created) == (3, 3, 3)
    suite = job.suite
    assert suite.name == "synthetic-physics+economics-seed5-n3"
    challenges = Challenge.objects.filter(memberships__suite=suite)
    assert challenges.count() == 3
    assert set(challenges.values_list("domain", flat=True)) == {"physics", "economics"}
    assert ValidityReport.objects.filter(suite=suite).count() == 1


def test_the_job_page_shows_the_finished_job_with_links(generated, admin_client_):
    _, job = generated

    page = admin_client_.get(f"/generate/{job.pk}/").content.decode()

    assert "Succeeded" in page
    assert f'data-status-url="/generate/{job.pk}/status.json"' in page
    assert 'data-finished="true"' in page
    assert "js/job_status.js" in page
    assert f'href="/challenges/?suite={job.suite.pk}"' in page
    assert f'href="/suites/{job.suite.pk}/validity/"' in page
    assert "<script>" not in page  # the only script is the static file


def test_the_status_json_reports_the_finished_job(generated, admin_client_):
    _, job = generated

    state = admin_client_.get(f"/generate/{job.pk}/status.json").json()

    assert state["status"] == "succeeded"
    assert state["finished"] is True
    assert (state["progress_done"], state["progress_total"]) == (3, 3)
    assert state["challenges_created"] == 3
    assert state["error"] == ""
    assert state["suite_name"] == job.suite.name
    assert state["validity_url"] == f"/suites/{job.suite.pk}/validity/"


def test_the_status_json_reports_a_job_that_has_not_finished(admin_client_, admin_user):
    job = generation_start(count=4, seed=9, domains=None, suite_name="later", user=admin_user)

    state = admin_client_.get(f"/generate/{job.pk}/status.json").json()
    page = admin_client_.get(f"/generate/{job.pk}/").content.decode()

    assert state["status"] == "queued"
    assert state["finished"] is False
    assert (state["progress_done"], state["progress_total"]) == (0, 4)
    assert (state["suite_url"], state["validity_url"]) == ("", "")
    assert 'data-finished="false"' in page
    assert "when finished" in page


def test_a_failed_job_shows_its_error(admin_client_, admin_user):
    job = GenerationJob.objects.create(
        suite_name="broken",
        count=2,
        seed="1",
        status=GenerationJob.Status.FAILED,
        error="internal error: SuiteFrozenError: suite broken is frozen",
        created_by=admin_user,
    )

    page = admin_client_.get(f"/generate/{job.pk}/").content.decode()
    listing = admin_client_.get("/generate/").content.decode()

    assert "suite broken is frozen" in page
    assert "Failed" in page
    assert "suite broken is frozen" in listing


def test_the_list_shows_recent_jobs_with_links(generated, admin_client_):
    _, job = generated

    page = admin_client_.get("/generate/").content.decode()

    assert f'href="/generate/{job.pk}/"' in page
    assert job.suite.name in page
    assert "Succeeded" in page
    assert "physics, economics" in page


def test_an_unknown_job_is_not_found(admin_client_):
    assert admin_client_.get("/generate/999/").status_code == 404
    assert admin_client_.get("/generate/999/status.json").status_code == 404


# --- the validity page ----------------------------------------------------------------------


def test_a_viewer_reads_the_validity_report_with_its_tables(generated, viewer_client):
    _, job = generated

    response = viewer_client.get(f"/suites/{job.suite.pk}/validity/")

    assert response.status_code == 200
    page = response.content.decode()
    report = ValidityReport.objects.get().report
    # The targets table: every target by name, its value as a percentage, and met in words.
    for target in report["targets"]:
        assert html.escape(target["name"]) in page
    assert "35.0% – 65.0%" in page
    assert "at most 60.0%" in page
    met = sum(t["met"] for t in report["targets"])
    assert page.count("✓</span> met") == met
    assert page.count("✗</span> missed") == len(report["targets"]) - met
    # Solvers with intervals, skills by solver, positions, cues, lengths, coverage.
    for solver in ("lexical", "first_mention", "last_mention", "hedge_filter"):
        assert solver in page
    for heading in (
        "Baseline solvers",
        "Accuracy by skill",
        "Positions of planted statements",
        "Authority cues",
        "Document lengths",
        "Coverage",
    ):
        assert heading in page
    assert "Conflict resolution" in page
    assert "Hedged sentences outside conflicts" in page
    assert "Compute validity report" not in page  # viewers do not get the button


def test_the_validity_numbers_are_the_reports(generated, viewer_client):
    _, job = generated
    report = ValidityReport.objects.get().report
    lexical = report["solvers"]["lexical"]

    page = viewer_client.get(f"/suites/{job.suite.pk}/validity/").content.decode()

    assert f"{lexical['answer_accuracy'] * 100:.1f}%" in page
    interval = lexical["ci"]["answer_accuracy"]
    assert f"{interval['low'] * 100:.1f}% – {interval['high'] * 100:.1f}%" in page
    assert f"{report['lengths']['min']:,} words" in page


def test_a_suite_without_a_report_says_so_and_an_admin_computes_one(
    admin_client_, django_capture_on_commit_callbacks
):
    import_challenges(challenge_dict(), suite="imported")
    suite = Suite.objects.get(name="imported")

    page = admin_client_.get(f"/suites/{suite.pk}/validity/").content.decode()
    assert "No validity report yet" in page
    assert "Compute validity report" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client_.post(f"/suites/{suite.pk}/validity/compute/")

    assert response.status_code == 302
    assert response["Location"] == f"/suites/{suite.pk}/validity/"
    report = ValidityReport.objects.get(suite=suite)
    assert report.challenge_count == 1
    page = admin_client_.get(f"/suites/{suite.pk}/validity/").content.decode()
    assert "No validity report yet" not in page
    assert "first_mention CARS" in page


def test_a_viewer_sees_no_compute_button_and_cannot_post(
    viewer_client, django_capture_on_commit_callbacks
):
    import_challenges(challenge_dict(), suite="imported")
    suite = Suite.objects.get(name="imported")

    page = viewer_client.get(f"/suites/{suite.pk}/validity/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = viewer_client.post(f"/suites/{suite.pk}/validity/compute/")

    assert "No validity report yet" in page
    assert "Compute validity report" not in page
    assert response.status_code == 403
    assert not ValidityReport.objects.exists()


def test_computing_a_report_needs_a_post_with_the_csrf_token(
    csrf_admin_client, django_capture_on_commit_callbacks
):
    import_challenges(challenge_dict(), suite="imported")
    suite = Suite.objects.get(name="imported")

    with django_capture_on_commit_callbacks(execute=True):
        got = csrf_admin_client.get(f"/suites/{suite.pk}/validity/compute/")
        posted = csrf_admin_client.post(f"/suites/{suite.pk}/validity/compute/")

    assert got.status_code == 405
    assert posted.status_code == 403
    assert not ValidityReport.objects.exists()


def test_a_report_with_missing_values_shows_dashes(viewer_client):
    import_challenges(challenge_dict(), suite="imported")
    suite = Suite.objects.get(name="imported")
    ValidityReport.objects.create(
        suite=suite,
        challenge_count=0,
        targets_met=False,
        report={
            "solvers": {"lexical": {"answer_accuracy": None, "cars": None, "ci": {}}},
            "positions": {"before": 0, "after": 0, "unknown": 0, "subordinate_first_share": None},
            "lengths": {"count": 0},
            "targets": [
                {"name": "subordinate-first share", "value": None, "low": 0.4, "high": 0.6}
            ],
            "targets_met": False,
        },
    )

    response = viewer_client.get(f"/suites/{suite.pk}/validity/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Not every target is met" in page
    assert "✗</span> missed" in page
    assert "—" in page


def test_the_suite_list_links_each_suite_to_its_validity_page(viewer_client):
    import_challenges(challenge_dict(), suite="imported")
    suite = Suite.objects.get(name="imported")

    page = viewer_client.get("/suites/").content.decode()

    assert f'href="/suites/{suite.pk}/validity/"' in page


def test_an_unknown_suite_has_no_validity_page(viewer_client, outsider, client):
    import_challenges(challenge_dict(), suite="imported")
    suite = Suite.objects.get(name="imported")

    assert viewer_client.get("/suites/999/validity/").status_code == 404
    client.force_login(outsider)
    assert client.get(f"/suites/{suite.pk}/validity/").status_code == 403
