"""The run pages: the solver × suite list, and one run's headline metrics with intervals in
either verifier mode, on effective decisions."""

import pytest
from django.urls import reverse

from challenges.models import Challenge, Suite
from tests.factories import challenge_dict, import_challenges
from traces.models import Audit, Trace, Verdict
from traces.services import TraceInput, solver_get_or_create, traces_grade, traces_record

pytestmark = pytest.mark.django_db

GOLD = {
    "q01": {"answer": "42.5 percent", "citation": "Table 2", "confidence": 0.9},
    "q02": {"answer": "12 hours", "confidence": 0.8},
    "q03": {"answer": "3", "confidence": 0.7},
}
# Right in reference mode (it contains an alias), wrong in strict mode (it names both values).
HEDGED = {**GOLD, "q01": {"answer": "42.5 or 38 percent", "confidence": 0.5}}


def _record(solver_name: str, public_id: str, answers: dict) -> Trace:
    solver = solver_get_or_create(name=solver_name)
    challenge = Challenge.objects.get(public_id=public_id)
    (trace,) = traces_record(
        solver=solver, attempts=[TraceInput(challenge=challenge, answers=answers)]
    )
    traces_grade(traces=[trace])
    return trace


@pytest.fixture
def suite() -> Suite:
    """Suite ``alpha`` of two challenges: ``honest`` answers both with the gold, ``hedger``
    answers only the first and hedges on its q01, ``org/model-7b`` answers the second."""
    import_challenges(challenge_dict("dacr-r-0001"), challenge_dict("dacr-r-0002"), suite="alpha")
    _record("honest", "dacr-r-0001", GOLD)
    _record("honest", "dacr-r-0002", GOLD)
    _record("hedger", "dacr-r-0001", HEDGED)
    _record("org/model-7b", "dacr-r-0002", GOLD)
    return Suite.objects.get(name="alpha")


def _run_url(solver_name: str, suite: Suite) -> str:
    return reverse("evaluation:run-detail", args=[solver_name, suite.pk])


def _card(response, key: str):
    return next(m for m in response.context["summary"].headline if m.key == key)


# --- access ---------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/runs/", "/runs/honest/1/"])
def test_an_anonymous_visitor_is_sent_to_the_login_page(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(f"{reverse('login')}?next=")


def test_a_user_without_a_role_is_refused(client, outsider, suite):
    client.force_login(outsider)
    assert client.get("/runs/").status_code == 403
    assert client.get(_run_url("honest", suite)).status_code == 403


def test_a_run_that_does_not_exist_is_not_found(viewer_client, suite):
    assert viewer_client.get(_run_url("nobody", suite)).status_code == 404
    assert viewer_client.get(f"/runs/honest/{suite.pk + 100}/").status_code == 404


# --- list -----------------------------------------------------------------------------------


def test_the_run_list_shows_every_solver_and_suite_with_traces(viewer_client, suite):
    response = viewer_client.get("/runs/")
    assert response.status_code == 200
    runs = {(run.solver_name, run.suite_name): run for run in response.context["runs"]}
    assert set(runs) == {("hedger", "alpha"), ("honest", "alpha"), ("org/model-7b", "alpha")}
    assert (
        runs["hedger", "alpha"].challenges_answered,
        runs["hedger", "alpha"].suite_challenges,
    ) == (
        1,
        2,
    )
    content = response.content.decode()
    assert f'href="{_run_url("org/model-7b", suite)}"' in content
    assert f'href="/traces/?solver=org/model-7b&amp;suite={suite.pk}&amp;per=trace"' in content


def test_the_run_list_is_empty_without_traces(viewer_client):
    response = viewer_client.get("/runs/")
    assert response.context["runs"] == []
    assert "No runs yet" in response.content.decode()


# --- detail ---------------------------------------------------------------------------------


def test_the_run_page_shows_headline_metrics_with_intervals_in_strict_by_default(
    viewer_client, suite
):
    response = viewer_client.get(_run_url("honest", suite))
    assert response.status_code == 200
    assert response.context["summary"].mode == "strict"
    accuracy = _card(response, "answer_accuracy")
    assert accuracy.value == 1.0
    assert (accuracy.low, accuracy.high) == (1.0, 1.0)
    content = response.content.decode()
    for label in (
        "Answer accuracy",
        "Pass rate",
        "CARS",
        "ECE",
        "Confidence-weighted accuracy",
        "Citation grounding",
        "Format failures",
        "Mean confidence",
    ):
        assert f'<h3 class="metric-label">{label}</h3>' in content
    assert "95% CI</abbr> 100.0% – 100.0%" in content
    assert '<a href="?mode=strict" aria-current="page">Strict</a>' in content
    for heading in ("By split", "By category", "By domain", "By hops", "By difficulty"):
        assert heading in content
    assert f'href="/traces/?solver=honest&amp;suite={suite.pk}&amp;per=trace"' in content


def test_the_mode_toggle_switches_the_verifier(viewer_client, suite):
    strict = viewer_client.get(_run_url("hedger", suite))
    reference = viewer_client.get(_run_url("hedger", suite) + "?mode=reference")
    assert reference.context["summary"].mode == "reference"
    assert 'aria-current="page">Reference (public scorer)</a>' in reference.content.decode()
    # One answered challenge of two. Strict counts the unanswered one's questions as wrong;
    # the public scorer (reference) leaves a challenge without a prediction out.
    assert _card(strict, "answer_accuracy").value == pytest.approx(2 / 6)
    assert strict.context["summary"].metrics["questions"] == 6
    assert _card(reference, "answer_accuracy").value == pytest.approx(3 / 3)
    bogus = viewer_client.get(_run_url("hedger", suite) + "?mode=lenient")
    assert bogus.context["summary"].mode == "strict"


def test_a_solver_name_with_a_slash_has_a_run_page(viewer_client, suite):
    response = viewer_client.get(_run_url("org/model-7b", suite))
    assert response.status_code == 200
    assert response.context["summary"].solver.name == "org/model-7b"


def test_an_audit_override_changes_the_run_metrics(viewer_client, annotator, suite):
    verdict = Verdict.objects.get(
        trace__solver__name="hedger", question__question_id="q01", mode="strict"
    )
    before = _card(viewer_client.get(_run_url("hedger", suite)), "answer_accuracy").value
    Audit.objects.create(
        verdict=verdict, annotator=annotator, decision="correct", previous_decision=verdict.decision
    )
    after = viewer_client.get(_run_url("hedger", suite))
    assert before == pytest.approx(2 / 6)
    assert _card(after, "answer_accuracy").value == pytest.approx(3 / 6)
    assert "50.0%" in after.content.decode()
