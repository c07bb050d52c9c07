"""The generation and validity REST API, as a client sees it: hostile bodies first, then who
may call it, then a round trip from a request to the suite's validity report."""

import pytest
import yaml
from django.test import Client
from rest_framework.authtoken.models import Token

from challenges.models import Challenge, GenerationJob, Suite, ValidityReport
from challenges.services import generation_start, suite_validity_compute
from tests.factories import challenge_dict, import_challenges

GOOD = {"count": 3, "seed": "5", "domains": ["physics", "economics"]}
SUITE = "synthetic-physics+economics-seed5-n3"


def _nothing_created() -> bool:
    return not (
        GenerationJob.objects.exists() or Suite.objects.exists() or Challenge.objects.exists()
    )


@pytest.fixture
def post(django_capture_on_commit_callbacks):
    """POST JSON as the given client; tasks enqueued on commit run in-process."""

    def send(client, body, **headers):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                "/api/generations/", body, content_type="application/json", **headers
            )

    return send


# --- hostile bodies: 400 with one line in "detail", nothing created ---------------------------


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"count": 0}, "count must be a positive integer, not 0"),
        ({"count": -5}, "count must be a positive integer, not -5"),
        ({"count": 10**9}, "count 1,000,000,000 is over the cap of 5,000"),
        ({"count": "abc"}, "count: A valid integer is required."),
        ({"count": 2.5}, "count: A valid integer is required."),
        ({"count": None}, "count: This field may not be null."),
        ({"seed": "x1"}, "seed must be a non-negative integer, not 'x1'"),
        ({"seed": -1}, "seed must be a non-negative integer, not '-1'"),
        ({"seed": "-1"}, "seed must be a non-negative integer, not '-1'"),
        ({"seed": "1.5"}, "seed must be a non-negative integer, not '1.5'"),
        ({"seed": 1.5}, "seed must be a non-negative integer, not '1.5'"),
        ({"seed": True}, "seed: Not a valid string."),
        ({"seed": ["7"]}, "seed: Not a valid string."),
        ({"seed": "9" * 5000}, "seed: Ensure this field has no more than 120 characters."),
        ({"seed": 10**90}, "seed has more than 80 digits"),
        ({"domains": ["astrology"]}, "unknown domain 'astrology'; known domains: physics"),
        ({"domains": ["physics", "physics"]}, "a domain is listed twice"),
        ({"domains": "physics"}, 'domains: Expected a list of items but got type "str".'),
        ({"domains": [7]}, "unknown domain '7'"),
        ({"domains": [{"x": 1}]}, "domains: Not a valid string."),
        ({"suite_name": "s" * 200}, "suite_name: Ensure this field has no more than 128"),
    ],
)
def test_a_bad_request_gets_400_with_one_line_and_creates_nothing(
    client, admin_user, post, changes, expected
):
    client.force_login(admin_user)

    response = post(client, {**GOOD, **changes})

    assert response.status_code == 400
    body = response.json()
    assert list(body) == ["detail"]
    assert expected in body["detail"]
    assert "\n" not in body["detail"]
    assert len(body["detail"]) < 300
    assert _nothing_created()


@pytest.mark.parametrize("missing", ["count", "seed"])
def test_a_missing_field_is_named(client, admin_user, post, missing):
    client.force_login(admin_user)
    body = {key: value for key, value in GOOD.items() if key != missing}

    response = post(client, body)

    assert response.status_code == 400
    assert response.json() == {"detail": f"{missing}: This field is required."}
    assert _nothing_created()


def test_a_body_that_is_not_json_gets_400_and_creates_nothing(client, admin_user):
    client.force_login(admin_user)

    response = client.post("/api/generations/", '{"count": 3,', content_type="application/json")

    assert response.status_code == 400
    assert "JSON parse error" in response.json()["detail"]
    assert _nothing_created()


# --- who may call it ------------------------------------------------------------------------


def test_anonymous_gets_401_and_nothing_is_created(db, client, post):
    response = post(client, GOOD)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert client.get("/api/generations/1/").status_code == 401
    assert client.get("/api/suites/x/validity/").status_code == 401
    assert _nothing_created()


@pytest.mark.parametrize("persona", ["viewer", "annotator", "outsider"])
def test_only_admins_may_start_a_generation(db, client, request, post, persona):
    client.force_login(request.getfixturevalue(persona))

    response = post(client, GOOD)

    assert response.status_code == 403
    assert _nothing_created()


def test_a_session_post_without_the_csrf_token_is_refused(admin_user, post):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(admin_user)

    response = post(browser, GOOD)

    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert _nothing_created()


def test_a_token_client_needs_no_csrf_token(admin_user, post):
    token = Token.objects.create(user=admin_user)
    api_client = Client(enforce_csrf_checks=True)

    response = post(api_client, GOOD, HTTP_AUTHORIZATION=f"Token {token.key}")

    assert response.status_code == 201
    assert GenerationJob.objects.get().status == GenerationJob.Status.SUCCEEDED


# --- the round trip -----------------------------------------------------------------------


def test_an_admin_generates_a_suite_and_a_viewer_follows_it_to_its_validity_report(
    client, admin_user, viewer, post
):
    client.force_login(admin_user)

    created = post(client, GOOD)

    assert created.status_code == 201
    requested = created.json()
    assert created["Location"] == f"/api/generations/{requested['id']}/"
    assert (requested["count"], requested["seed"]) == (3, "5")
    assert (requested["domains"], requested["suite_name"]) == (["physics", "economics"], SUITE)

    # Tests run the task when the request's transaction commits, after the 201 was written.
    client.force_login(viewer)
    followed = client.get(created["Location"])
    assert followed.status_code == 200
    job = followed.json()
    assert job["id"] == requested["id"]
    assert (job["status"], job["phase"], job["finished"]) == ("succeeded", "Succeeded", True)
    assert (job["progress_done"], job["progress_total"]) == (3, 3)
    assert (job["suite_name"], job["suite"]) == (SUITE, SUITE)
    assert (job["challenges_created"], job["challenges_unchanged"]) == (3, 0)
    assert job["error"] == ""
    assert job["started_at"] is not None
    assert job["finished_at"] is not None

    validity = client.get(f"/api/suites/{SUITE}/validity/")
    assert validity.status_code == 200
    body = validity.json()
    stored = ValidityReport.objects.get(suite__name=SUITE)
    assert body["suite"] == SUITE
    assert body["challenge_count"] == 3
    assert body["targets_met"] is stored.targets_met
    assert body["created_at"]
    assert body["report"]["targets"] == stored.report["targets"]
    assert set(body["report"]["solvers"]) == {
        "lexical",
        "first_mention",
        "last_mention",
        "hedge_filter",
    }
    # The suite's own detail route is not shadowed by the validity route.
    assert client.get(f"/api/suites/{SUITE}/").json()["challenge_count"] == 3


def test_a_seed_may_be_sent_as_a_string_or_an_integer(client, admin_user, post):
    client.force_login(admin_user)

    as_text = post(client, {"count": 1, "seed": "0042", "domains": ["physics"]}).json()
    as_number = post(client, {"count": 1, "seed": 42, "domains": ["physics"]}).json()

    assert as_text["seed"] == as_number["seed"] == "42"
    statuses = GenerationJob.objects.values_list("status", flat=True)
    assert list(statuses) == ["succeeded", "succeeded"]
    # The same challenges both times: the second run found them all present.
    assert Challenge.objects.count() == 1


def test_omitted_domains_mean_all_and_a_suite_name_is_kept(client, admin_user, post):
    client.force_login(admin_user)

    job = post(client, {"count": 2, "seed": 3, "suite_name": "  my suite  "}).json()

    assert job["domains"] == []
    assert job["suite_name"] == "my suite"
    assert Suite.objects.get(name="my suite").memberships.count() == 2


def test_a_job_not_yet_run_reports_its_progress(viewer_client):
    job = generation_start(count=4, seed=1, domains=["physics"], suite_name="later")

    body = viewer_client.get(f"/api/generations/{job.pk}/").json()

    assert (body["status"], body["finished"]) == ("queued", False)
    assert (body["progress_done"], body["progress_total"]) == (0, 4)
    assert body["suite"] is None
    assert body["started_at"] is None


def test_an_unknown_job_is_not_found(viewer_client):
    response = viewer_client.get("/api/generations/999/")

    assert response.status_code == 404
    assert response.json() == {"detail": "No generation job 999."}


def test_a_suite_without_a_report_is_404_with_a_clear_detail(viewer_client):
    import_challenges(challenge_dict(), suite="imported")

    missing_report = viewer_client.get("/api/suites/imported/validity/")
    missing_suite = viewer_client.get("/api/suites/nope/validity/")

    assert missing_report.status_code == 404
    assert missing_report.json() == {"detail": "Suite 'imported' has no validity report yet."}
    assert missing_suite.status_code == 404
    assert missing_suite.json() == {"detail": "No suite named 'nope'."}


def test_the_latest_report_is_served(viewer_client):
    import_challenges(challenge_dict(), suite="imported")
    suite = Suite.objects.get(name="imported")
    suite_validity_compute(suite=suite, n_resamples=50)
    latest = suite_validity_compute(suite=suite, n_resamples=50)

    body = viewer_client.get("/api/suites/imported/validity/").json()

    assert body["created_at"].startswith(latest.created_at.isoformat()[:19])
    assert ValidityReport.objects.filter(suite=suite).count() == 2
    latest.refresh_from_db()
    assert body["report"] == latest.report


def test_the_schema_describes_the_new_operations(viewer_client):
    schema = yaml.safe_load(viewer_client.get("/api/schema/").content)

    paths = schema["paths"]
    assert set(paths["/api/generations/"]) == {"post"}
    assert set(paths["/api/generations/{job_id}/"]) == {"get"}
    assert set(paths["/api/suites/{name}/validity/"]) == {"get"}
    create = paths["/api/generations/"]["post"]
    assert set(create["responses"]) == {"201", "400"}
    request = schema["components"]["schemas"]["GenerationRequest"]
    assert request["required"] == ["count", "seed"]
    assert {"type": "integer", "minimum": 0} in request["properties"]["seed"]["oneOf"]
