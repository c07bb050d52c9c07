"""The traces and verdicts REST API, and the effective decision after audits."""

from dataclasses import dataclass

import pytest

from challenges.models import Challenge, Question
from tests.factories import challenge_dict, import_challenges
from traces.models import Audit, Solver, Trace, Verdict
from traces.selectors import verdicts_with_effective_decision


@dataclass
class Graded:
    lexical: Trace
    model: Trace
    other_challenge: Trace
    # The lexical trace's strict verdicts by question id.
    strict: dict[str, Verdict]


def _verdict(trace: Trace, question: Question, mode: str, decision: str, **fields) -> Verdict:
    defaults = {
        "verifier_version": "1",
        "answer": "42.5",
        "match_type": "exact" if decision == "correct" else "none",
        "conflict_outcome": "resolved" if question.category == "conflict_resolution" else "",
        "reason": f"{decision} by the test",
    }
    return Verdict.objects.create(
        trace=trace, question=question, mode=mode, decision=decision, **{**defaults, **fields}
    )


def _audit(verdict: Verdict, annotator, decision: str) -> Audit:
    return Audit.objects.create(
        verdict=verdict, annotator=annotator, decision=decision, previous_decision="correct"
    )


@pytest.fixture
def graded(db, annotator) -> Graded:
    """Two solvers on challenge ``dacr-g-0001`` and one on ``dacr-g-0002``; each trace has a
    strict and a reference verdict per question. Audits on the lexical trace's strict verdicts:
    q01 none; q02 ``incorrect`` (override); q03 ``correct`` then ``agree`` (latest wins)."""
    import_challenges(challenge_dict("dacr-g-0001"), challenge_dict("dacr-g-0002"), suite="g")
    lexical = Solver.objects.create(name="lexical-baseline", kind="lexical")
    qwen = Solver.objects.create(name="qwen-7b", kind="model")

    def trace(solver, public_id, **fields) -> Trace:
        made = Trace.objects.create(
            challenge_id=Question.objects.filter(challenge__public_id=public_id)
            .values_list("challenge_id", flat=True)
            .first(),
            solver=solver,
            **fields,
        )
        for question in Question.objects.filter(challenge_id=made.challenge_id):
            decision = "incorrect" if question.question_id == "q03" else "correct"
            _verdict(made, question, "strict", decision)
            _verdict(made, question, "reference", "correct", verifier_version="ref-1")
        return made

    graded = Graded(
        lexical=trace(lexical, "dacr-g-0001", source="import", parse_format="json"),
        model=trace(qwen, "dacr-g-0001", source="evaluation", parse_format="reasoning"),
        other_challenge=trace(qwen, "dacr-g-0002", source="api", parse_format="json"),
        strict={},
    )
    graded.strict = {
        v.question.question_id: v
        for v in Verdict.objects.filter(trace=graded.lexical, mode="strict").select_related(
            "question"
        )
    }
    _audit(graded.strict["q02"], annotator, "incorrect")
    _audit(graded.strict["q03"], annotator, "correct")
    _audit(graded.strict["q03"], annotator, "agree")
    return graded


def _results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


# --- traces -------------------------------------------------------------------------------


def test_trace_list_gives_newest_first_with_counts(viewer_client, graded):
    body = viewer_client.get("/api/traces/").json()

    assert body["count"] == 3
    newest = body["results"][0]
    assert newest["id"] == graded.other_challenge.pk
    assert newest["challenge"] == "dacr-g-0002"
    assert newest["solver"] == "qwen-7b"
    assert newest["verdict_count"] == 6
    assert "raw_output" not in newest


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("challenge=dacr-g-0001", ["model", "lexical"]),
        ("challenge=dacr-g-0002", ["other_challenge"]),
        ("solver=qwen-7b", ["other_challenge", "model"]),
        ("solver=lexical-baseline", ["lexical"]),
        ("solver=nobody", []),
        ("source=evaluation", ["model"]),
        ("parse_format=json", ["other_challenge", "lexical"]),
        ("parse_format=json&solver=qwen-7b", ["other_challenge"]),
    ],
)
def test_trace_filters_narrow_the_list(viewer_client, graded, query, expected):
    results = _results(viewer_client.get(f"/api/traces/?{query}"))

    assert [r["id"] for r in results] == [getattr(graded, name).pk for name in expected]


def test_trace_list_rejects_an_unknown_source(viewer_client, graded):
    response = viewer_client.get("/api/traces/?source=telepathy")

    assert response.status_code == 400
    assert "source" in response.json()


def test_trace_detail_includes_its_verdicts_with_effective_decisions(viewer_client, graded):
    Trace.objects.filter(pk=graded.lexical.pk).update(
        raw_output='{"q01": {"answer": "42.5"}}', parsed_reasoning="Looked it up."
    )

    body = viewer_client.get(f"/api/traces/{graded.lexical.pk}/").json()

    assert body["raw_output"] == '{"q01": {"answer": "42.5"}}'
    assert body["parsed_reasoning"] == "Looked it up."
    assert body["verdict_count"] == 6
    strict = {v["question_id"]: v for v in body["verdicts"] if v["mode"] == "strict"}
    assert [v["question_id"] for v in body["verdicts"]] == [
        "q01",
        "q01",
        "q02",
        "q02",
        "q03",
        "q03",
    ]
    assert strict["q02"]["decision"] == "correct"
    assert strict["q02"]["effective_decision"] == "incorrect"
    assert strict["q03"]["audit_count"] == 2


def test_an_unknown_trace_is_404(viewer_client, graded):
    assert viewer_client.get("/api/traces/999999/").status_code == 404


def test_trace_detail_is_one_query_for_all_verdicts(
    viewer_client, graded, django_assert_max_num_queries
):
    # session, user, groups, trace, verdicts
    with django_assert_max_num_queries(5):
        response = viewer_client.get(f"/api/traces/{graded.model.pk}/")
    assert len(response.json()["verdicts"]) == 6


# --- effective decision -------------------------------------------------------------------


def test_effective_decision_follows_the_latest_audit(graded, annotator):
    _audit(graded.strict["q01"], annotator, "gold_wrong")

    rows = {
        v.question.question_id: v
        for v in verdicts_with_effective_decision(
            Verdict.objects.filter(trace=graded.lexical, mode="strict").select_related("question")
        )
    }

    # (verifier, latest audit, audits, effective, gold flagged)
    seen = {
        qid: (
            v.decision,
            v.latest_audit_decision,
            v.audit_count,
            v.effective_decision,
            v.gold_flagged,
        )
        for qid, v in rows.items()
    }
    assert seen == {
        "q01": ("correct", "gold_wrong", 1, "correct", True),
        "q02": ("correct", "incorrect", 1, "incorrect", False),
        "q03": ("incorrect", "agree", 2, "incorrect", False),
    }


def test_a_later_override_replaces_an_earlier_one(graded, annotator):
    _audit(graded.strict["q03"], annotator, "correct")

    verdict = verdicts_with_effective_decision(Verdict.objects.filter(pk=graded.strict["q03"].pk))

    assert verdict.get().effective_decision == "correct"


def test_a_verdict_without_audits_keeps_the_verifiers_decision(graded):
    untouched = verdicts_with_effective_decision().get(pk=graded.strict["q01"].pk)

    assert (untouched.audit_count, untouched.latest_audit_decision) == (0, None)
    assert (untouched.effective_decision, untouched.gold_flagged) == ("correct", False)


# --- verdicts -----------------------------------------------------------------------------


def test_verdict_list_items_carry_audits_and_the_effective_decision(viewer_client, graded):
    results = _results(viewer_client.get(f"/api/verdicts/?trace={graded.lexical.pk}&mode=strict"))

    q01, q02, q03 = results
    assert q01["challenge"] == "dacr-g-0001"
    assert q01["solver"] == "lexical-baseline"
    assert q01["question_category"] == "conflict_resolution"
    assert q01["conflict_outcome"] == "resolved"
    assert (q01["audit_count"], q01["effective_decision"], q01["gold_flagged"]) == (
        0,
        "correct",
        False,
    )
    assert (q02["decision"], q02["latest_audit_decision"], q02["effective_decision"]) == (
        "correct",
        "incorrect",
        "incorrect",
    )
    assert (q03["audit_count"], q03["effective_decision"]) == (2, "incorrect")


def test_gold_wrong_keeps_the_decision_and_flags_the_gold(viewer_client, graded, annotator):
    _audit(graded.strict["q01"], annotator, "gold_wrong")

    (flagged,) = _results(viewer_client.get("/api/verdicts/?gold_flagged=true"))

    assert flagged["id"] == graded.strict["q01"].pk
    assert (flagged["decision"], flagged["effective_decision"]) == ("correct", "correct")
    assert flagged["gold_flagged"] is True
    assert len(_results(viewer_client.get("/api/verdicts/?gold_flagged=false"))) == 17


@pytest.mark.parametrize(
    ("query", "count"),
    [
        ("", 18),
        ("mode=strict", 9),
        ("mode=reference", 9),
        ("decision=incorrect", 3),
        ("effective_decision=incorrect", 4),
        ("effective_decision=correct", 14),
        ("match_type=none", 3),
        ("match_type=exact", 15),
        ("conflict_outcome=resolved", 6),
        ("conflict_outcome=fell_for_planted", 0),
        ("question_category=conflict_resolution", 6),
        ("question_category=direct_extraction", 12),
        ("question_category=computation", 0),
        ("solver=qwen-7b", 12),
        ("solver=lexical-baseline&mode=strict", 3),
        ("challenge=dacr-g-0002", 6),
    ],
)
def test_verdict_filters_narrow_the_list(viewer_client, graded, query, count):
    response = viewer_client.get(f"/api/verdicts/?{query}")

    assert response.status_code == 200
    assert response.json()["count"] == count
    assert len(response.json()["results"]) == count


def test_verdict_filter_by_trace_keeps_only_that_trace(viewer_client, graded):
    results = _results(viewer_client.get(f"/api/verdicts/?trace={graded.model.pk}"))

    assert {r["trace"] for r in results} == {graded.model.pk}
    assert len(results) == 6


@pytest.mark.parametrize(
    "query", ["mode=lenient", "decision=maybe", "trace=abc", "question_category=trivia"]
)
def test_verdict_list_rejects_bad_filter_values(viewer_client, graded, query):
    response = viewer_client.get(f"/api/verdicts/?{query}")

    assert response.status_code == 400
    assert query.split("=")[0] in response.json()


def test_verdict_list_paginates(viewer_client, graded):
    first = viewer_client.get("/api/verdicts/?page_size=5").json()

    assert first["count"] == 18
    assert len(first["results"]) == 5
    assert "page=2" in first["next"]
    pages = [first]
    while pages[-1]["next"]:
        pages.append(viewer_client.get(pages[-1]["next"]).json())
    ids = [v["id"] for page in pages for v in page["results"]]
    assert len(pages) == 4
    assert sorted(ids) == sorted(Verdict.objects.values_list("pk", flat=True))


def test_verdict_list_query_count_does_not_grow_with_verdicts_or_audits(
    viewer_client, graded, annotator, django_assert_max_num_queries
):
    for verdict in Verdict.objects.all():
        _audit(verdict, annotator, "agree")
        _audit(verdict, annotator, "incorrect")

    # session, user, groups (role), count, page: the same for 18 verdicts as for 1.
    with django_assert_max_num_queries(5):
        results = _results(viewer_client.get("/api/verdicts/"))

    assert len(results) == 18
    assert {r["effective_decision"] for r in results} == {"incorrect"}
    assert sorted(r["audit_count"] for r in results) == [2] * 16 + [3, 4]


def test_verdict_detail(viewer_client, graded):
    verdict = graded.strict["q02"]

    body = viewer_client.get(f"/api/verdicts/{verdict.pk}/").json()

    assert (body["id"], body["question_id"], body["effective_decision"]) == (
        verdict.pk,
        "q02",
        "incorrect",
    )
    assert viewer_client.get("/api/verdicts/999999/").status_code == 404


def test_traces_and_verdicts_of_a_draft_challenge_are_for_annotators(
    client, viewer, annotator, graded
):
    Challenge.objects.filter(public_id="dacr-g-0002").update(status="draft")
    hidden = graded.other_challenge
    hidden_verdict = hidden.verdicts.first()

    client.force_login(viewer)
    assert hidden.pk not in [t["id"] for t in _results(client.get("/api/traces/"))]
    assert client.get(f"/api/traces/{hidden.pk}/").status_code == 404
    assert client.get("/api/verdicts/?challenge=dacr-g-0002").json()["count"] == 0
    assert client.get(f"/api/verdicts/{hidden_verdict.pk}/").status_code == 404

    client.force_login(annotator)
    assert client.get(f"/api/traces/{hidden.pk}/").status_code == 200
    assert client.get("/api/verdicts/?challenge=dacr-g-0002").json()["count"] == 6
