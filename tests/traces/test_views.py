"""The trace pages: who may open them, what the list and the detail show, and that an audit
changes the decision a reader sees."""

from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils.html import escape

from challenges.models import Challenge, Suite
from tests.factories import challenge_dict, import_challenges
from traces.models import Audit, Trace, Verdict
from traces.services import (
    TraceInput,
    solver_get_or_create,
    traces_grade,
    traces_highlights_locate,
    traces_record,
)

pytestmark = pytest.mark.django_db

GOLD = {
    "q01": {"answer": "42.5 percent", "citation": "Table 2", "confidence": 0.9},
    "q02": {"answer": "12 hours", "confidence": 0.8},
    "q03": {"answer": "3", "confidence": 0.7},
}
# q01 names both the authoritative and the planted value: the public scorer (reference)
# accepts it, strict calls it hedging.
HEDGED = {**GOLD, "q01": {"answer": "42.5 or 38 percent", "confidence": 0.5}}
SCRIPT_OUTPUT = '<script>alert("owned")</script>\n{"q01": {"answer": "38 percent"}}'


@dataclass
class Graded:
    honest: Trace
    hedged: Trace
    raw: Trace
    other_suite: Trace


def _record(solver_name: str, challenge: Challenge, **attempt) -> Trace:
    solver = solver_get_or_create(name=solver_name)
    (trace,) = traces_record(solver=solver, attempts=[TraceInput(challenge=challenge, **attempt)])
    traces_grade(traces=[trace])
    return trace


@pytest.fixture
def graded() -> Graded:
    """Suite ``alpha`` holds two challenges, suite ``beta`` a third; ``honest`` answers gold,
    ``hedger`` hedges on q01, and a raw output from ``raw-model`` carries a script tag."""
    import_challenges(challenge_dict("dacr-v-0001"), challenge_dict("dacr-v-0002"), suite="alpha")
    import_challenges(challenge_dict("dacr-v-0003"), suite="beta")
    first, second, third = (Challenge.objects.get(public_id=f"dacr-v-000{n}") for n in (1, 2, 3))
    return Graded(
        honest=_record("honest", first, answers=GOLD),
        hedged=_record("hedger", first, answers=HEDGED),
        raw=_record("raw-model", second, raw_output=SCRIPT_OUTPUT),
        other_suite=_record("honest", third, answers=GOLD),
    )


def _detail(trace: Trace) -> str:
    return reverse("traces:trace-detail", args=[trace.pk])


# --- access ---------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/traces/", "/traces/1/"])
def test_an_anonymous_visitor_is_sent_to_the_login_page(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(f"{reverse('login')}?next=")


def test_a_user_without_a_role_is_refused(client, outsider, graded):
    client.force_login(outsider)
    assert client.get("/traces/").status_code == 403
    assert client.get(_detail(graded.honest)).status_code == 403


def test_a_viewer_reads_the_list_and_a_trace(viewer_client, graded):
    response = viewer_client.get("/traces/?per=trace")
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 4
    assert viewer_client.get(_detail(graded.honest)).status_code == 200


def test_a_missing_trace_is_not_found(viewer_client, graded):
    assert viewer_client.get("/traces/999999/").status_code == 404


def test_a_viewer_does_not_see_traces_of_draft_challenges(viewer_client, annotator, graded):
    Challenge.objects.filter(public_id="dacr-v-0002").update(status=Challenge.Status.DRAFT)
    listed = {t.pk for t in viewer_client.get("/traces/?per=trace").context["page"].object_list}
    assert graded.raw.pk not in listed
    assert viewer_client.get(_detail(graded.raw)).status_code == 404
    viewer_client.force_login(annotator)
    assert viewer_client.get(_detail(graded.raw)).status_code == 200


def test_the_navigation_links_traces_and_runs(viewer_client, graded):
    content = viewer_client.get("/traces/").content.decode()
    assert '<a href="/traces/" aria-current="page">Traces</a>' in content
    assert '<a href="/runs/">Runs</a>' in content


# --- list -----------------------------------------------------------------------------------


def _listed(client, query: str) -> list[int]:
    response = client.get(f"/traces/?per=trace&{query}")
    assert response.status_code == 200
    return [trace.pk for trace in response.context["page"].object_list]


def test_the_filters_narrow_the_list(viewer_client, graded):
    alpha = Suite.objects.get(name="alpha")
    assert set(_listed(viewer_client, "solver=honest")) == {
        graded.honest.pk,
        graded.other_suite.pk,
    }
    assert set(_listed(viewer_client, f"suite={alpha.pk}")) == {
        graded.honest.pk,
        graded.hedged.pk,
        graded.raw.pk,
    }
    assert _listed(viewer_client, f"solver=honest&suite={alpha.pk}") == [graded.honest.pk]
    assert set(_listed(viewer_client, "challenge=dacr-v-0001")) == {
        graded.honest.pk,
        graded.hedged.pk,
    }
    assert _listed(viewer_client, "source=api") == []
    assert _listed(viewer_client, f"parse_format={graded.raw.parse_format}") == [graded.raw.pk]


def test_an_invalid_filter_value_is_reported_and_ignored(viewer_client, graded):
    response = viewer_client.get("/traces/?per=trace&solver=nobody&suite=abc")
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 4
    assert response.context["form"].errors.keys() == {"solver", "suite"}


def test_the_list_shows_strict_and_reference_scores_of_each_trace(viewer_client, graded):
    rows = {t.pk: t for t in viewer_client.get("/traces/?per=trace").context["page"].object_list}
    honest, hedged = rows[graded.honest.pk], rows[graded.hedged.pk]
    assert (honest.strict_correct, honest.strict_total) == (3, 3)
    assert (honest.reference_correct, honest.reference_total) == (3, 3)
    assert (hedged.strict_correct, hedged.strict_total) == (2, 3)
    assert (hedged.reference_correct, hedged.reference_total) == (3, 3)
    content = viewer_client.get("/traces/?per=trace&solver=hedger").content.decode()
    assert "2&thinsp;/&thinsp;3" in content
    assert "3&thinsp;/&thinsp;3" in content


def test_the_list_reads_a_page_in_a_bounded_number_of_queries(
    viewer_client, graded, django_assert_max_num_queries
):
    challenge = Challenge.objects.get(public_id="dacr-v-0001")
    for n in range(60):
        _record(f"solver-{n:02d}", challenge, answers={"q01": {"answer": str(n)}})
    # session, user, role; filter choices (solvers, suites, formats); count; one page.
    with django_assert_max_num_queries(10):
        response = viewer_client.get("/traces/?per=trace")
    assert response.context["page"].paginator.count == 64
    assert len(response.context["page"].object_list) == 50


# --- detail ---------------------------------------------------------------------------------


def test_the_detail_shows_answers_gold_and_both_verdicts_with_reasons(viewer_client, graded):
    response = viewer_client.get(_detail(graded.hedged))
    content = response.content.decode()
    detail = response.context["detail"]
    assert [row.question.question_id for row in detail.questions] == ["q01", "q02", "q03"]
    q01 = detail.questions[0]
    assert q01.reference.effective_decision == "correct"
    assert q01.strict.effective_decision == "incorrect"
    assert q01.modes_disagree
    assert not detail.questions[1].modes_disagree
    assert "What yield did Trial Alpha reach?" in content
    assert "42.5 or 38 percent" in content  # the model's answer
    assert "42.5 percent" in content  # the gold
    assert "42.5%" in content  # an alias
    for verdict in (q01.reference, q01.strict):
        assert escape(verdict.reason) in content
    assert "Strict and reference disagree" in content
    assert "Conflict outcome" in content  # q01 targets the planted value
    assert "Hedged (named both)" in content


def test_the_detail_escapes_the_raw_output(viewer_client, graded):
    content = viewer_client.get(_detail(graded.raw)).content.decode()
    assert '<script>alert("owned")</script>' not in content
    assert "&lt;script&gt;alert(&quot;owned&quot;)&lt;/script&gt;" in content


def test_the_detail_links_the_challenge_version(viewer_client, graded):
    content = viewer_client.get(_detail(graded.honest)).content.decode()
    assert 'href="/challenges/dacr-v-0001/?version=1.0"' in content


def test_an_audit_override_changes_the_shown_decision(viewer_client, annotator, graded):
    verdict = Verdict.objects.get(trace=graded.hedged, question__question_id="q01", mode="strict")
    Audit.objects.create(
        verdict=verdict, annotator=annotator, decision="correct", previous_decision="incorrect"
    )
    response = viewer_client.get(_detail(graded.hedged))
    q01 = response.context["detail"].questions[0]
    assert q01.strict.effective_decision == "correct"
    assert q01.strict.decision == "incorrect"
    assert not q01.modes_disagree
    assert "Overridden by an audit" in response.content.decode()
    rows = {t.pk: t for t in viewer_client.get("/traces/?per=trace").context["page"].object_list}
    assert rows[graded.hedged.pk].strict_correct == 3


def test_the_detail_reads_a_trace_in_a_bounded_number_of_queries(
    viewer_client, graded, django_assert_max_num_queries
):
    # As after grading's task: where each highlighted statement sits is stored.
    traces_highlights_locate(trace_ids=[graded.hedged.pk])
    # session, user, role; the trace; its verdicts; the questions with their conflicts; the
    # filter form's choices; the list position and its two neighbouring failures; the document
    # with its conflicts and facts and its stored statement locations; the audits.
    with django_assert_max_num_queries(18):
        response = viewer_client.get(_detail(graded.hedged))
    assert len(response.context["detail"].questions) == 3
