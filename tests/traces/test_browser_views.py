"""The trace browser (one row per question verdict) and the trace page's highlights and
failure navigation: hostile query strings first, then filters, facets, keyset pages and the
effective decision after an audit."""

import base64
import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from traces import selectors_browser
from traces.models import Audit, Verdict
from traces.selectors import verdicts_with_effective_decision
from traces.selectors_browser import cursor_encode, effective_decision_q
from traces.services import suite_baseline_traces

from .browser_data import Browsed, build_browsed

pytestmark = pytest.mark.django_db


@pytest.fixture
def browsed(db) -> Browsed:
    return build_browsed()


def _rows(client, query: str = "") -> list[Verdict]:
    response = client.get(f"/traces/?{query}")
    assert response.status_code == 200
    return response.context["page"].rows


def _all_rows(client, query: str = "") -> list[int]:
    """Every row id, following next cursors."""
    ids, url = [], f"/traces/?{query}"
    while url:
        page = client.get(url).context["page"]
        ids += [row.pk for row in page.rows]
        url = f"/traces/?{query}&cursor={page.next_cursor}" if page.next_cursor else None
    return ids


# --- hostile query strings ------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "cursor=!!!not-base64",
        "cursor=" + base64.urlsafe_b64encode(b'{"a": 1}').decode(),
        "cursor=" + base64.urlsafe_b64encode(b'["newest", "next", 1, "1; DROP TABLE"]').decode(),
        "cursor=" + cursor_encode("least_confident", "next", "x", 1),
        "cursor=" + "A" * 5000,
        "solver=' OR 1=1 --",
        "category=conflict_resolution' OR '1'='1",
        "hops=-1",
        "hops=1e999",
        "hops=99999999999999999999999",
        "suite=abc",
        "suite=99999999999999999999",
        "sort=id;DROP TABLE traces_verdict",
        "mode=lenient",
        "outcome=maybe",
        "compare=" + "x," * 300,
        "compare=lexical,lexical",
        "compare=lexical,nobody",
        "cell=only_a",
        "challenge=%00%ff",
        "at=-1&mode=strict",
    ],
)
def test_a_hostile_query_string_is_reported_or_ignored_never_an_error(
    viewer_client, browsed, query
):
    response = viewer_client.get(f"/traces/?{query}")
    assert response.status_code == 200
    content = response.content.decode()
    assert (
        "Some filters were ignored" in content
        or "Showing the first page" in content
        or (query.startswith(("cell=", "at=")))
    )
    assert viewer_client.get(f"/failures/?{query}").status_code == 200


def test_a_cursor_for_another_sort_falls_back_to_the_first_page(viewer_client, browsed):
    cursor = cursor_encode("newest", "next", 10**9, 10**9)
    response = viewer_client.get(f"/traces/?sort=least_confident&cursor={cursor}")
    assert "another sort order" in response.content.decode()
    assert len(response.context["page"].rows) == 50


# --- access ---------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/traces/", "/failures/", "/traces/?per=trace"])
def test_an_anonymous_visitor_is_sent_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_a_user_without_a_role_sees_nothing(client, outsider, browsed):
    client.force_login(outsider)
    trace_id = Verdict.objects.first().trace_id
    for url in ("/traces/", "/failures/", f"/traces/{trace_id}/"):
        assert client.get(url).status_code == 403


@pytest.mark.parametrize("persona", ["viewer", "annotator", "admin_user"])
def test_every_role_reads_the_browser_and_finds_no_form_that_writes(
    client, request, browsed, persona
):
    client.force_login(request.getfixturevalue(persona))
    content = client.get("/traces/").content.decode()
    forms = re.findall(r'<form method="(\w+)"(?: action="([^"]*)")?', content)
    # The filters; the only form that posts is the base layout's log-out button.
    assert sorted(forms) == [("get", ""), ("post", "/logout/")]
    assert client.post("/traces/").status_code == 405


# --- rows, filters and facets ---------------------------------------------------------------


def test_the_list_shows_one_strict_row_per_question_by_default(viewer_client, browsed):
    ids = _all_rows(viewer_client)
    strict = Verdict.objects.filter(mode="strict")
    assert sorted(ids) == sorted(strict.values_list("pk", flat=True))
    assert ids == sorted(ids, reverse=True)  # newest first
    assert {row.mode for row in _rows(viewer_client, "mode=reference")} == {"reference"}


def test_the_filters_narrow_the_rows(viewer_client, browsed):
    rows = _rows(viewer_client, "solver=lexical&category=conflict_resolution")
    assert rows
    assert {(row.trace.solver.name, row.question.category) for row in rows} == {
        ("lexical", "conflict_resolution")
    }
    failures = _all_rows(viewer_client, "outcome=incorrect")
    expected = Verdict.objects.filter(mode="strict", decision="incorrect")
    assert sorted(failures) == sorted(expected.values_list("pk", flat=True))
    domain = Verdict.objects.first().trace.challenge.domain
    assert {r.trace.challenge.domain for r in _rows(viewer_client, f"domain={domain}")} == {domain}
    assert {r.question.hops for r in _rows(viewer_client, "hops=2")} == {2}
    conflict = _rows(viewer_client, "conflict=fell_for_planted")
    assert conflict
    assert {row.conflict_outcome for row in conflict} == {"fell_for_planted"}
    assert _rows(viewer_client, "audited=yes") == []
    suite = browsed.suite
    assert len(_all_rows(viewer_client, f"suite={suite.pk}")) == len(_all_rows(viewer_client))


def test_the_confidence_range_is_half_open_except_at_one(viewer_client, browsed):
    strict = Verdict.objects.filter(mode="strict")
    low = sorted(_all_rows(viewer_client, "confidence_min=0.0&confidence_max=0.5"))
    assert low == sorted(strict.filter(confidence__lt=0.5).values_list("pk", flat=True))
    top = sorted(_all_rows(viewer_client, "confidence_min=0.5&confidence_max=1"))
    assert top == sorted(strict.filter(confidence__gte=0.5).values_list("pk", flat=True))
    assert len(low) + len(top) == strict.exclude(confidence=None).count()
    assert viewer_client.get("/traces/?confidence_max=7").status_code == 200  # reported


def test_least_confident_sort_orders_by_verdict_confidence(viewer_client, browsed):
    ids = _all_rows(viewer_client, "sort=least_confident")
    keys = list(
        Verdict.objects.filter(pk__in=ids)
        .order_by("verdict_confidence", "id")
        .values_list("pk", flat=True)
    )
    assert ids == keys


def test_facet_counts_count_each_value_of_the_filtered_rows(viewer_client, browsed):
    response = viewer_client.get("/traces/?outcome=incorrect")
    facets = response.context["facets"]
    failures = Verdict.objects.filter(mode="strict", decision="incorrect")
    assert facets.total == failures.count()
    assert not facets.approximate
    for name in ("lexical", "first_mention"):
        expected = failures.filter(trace__solver__name=name).count()
        assert facets.counts["solver"][name] == expected
        assert f"{name} ({expected})" in response.content.decode()
    assert facets.counts["outcome"] == {"incorrect": failures.count(), "correct": 0}


def test_facets_are_approximate_past_the_limit_and_say_so(viewer_client, browsed, monkeypatch):
    monkeypatch.setattr(selectors_browser, "FACET_LIMIT", 10)
    response = viewer_client.get("/traces/")
    facets = response.context["facets"]
    assert facets.approximate
    assert facets.total == 10
    assert sum(facets.counts["solver"].values()) == 10
    assert "newest 10 matching rows" in response.content.decode()
    assert len(response.context["page"].rows) == 50  # the list itself is complete


def test_keyset_pages_stay_stable_when_new_verdicts_arrive(viewer_client, browsed):
    first = viewer_client.get("/traces/").context["page"]
    second_before = [
        r.pk for r in viewer_client.get(f"/traces/?cursor={first.next_cursor}").context["page"].rows
    ]
    suite_baseline_traces(suite=browsed.suite, solver_name="last_mention")
    second_after = viewer_client.get(f"/traces/?cursor={first.next_cursor}").context["page"]
    assert [r.pk for r in second_after.rows] == second_before
    back = viewer_client.get(f"/traces/?cursor={second_after.prev_cursor}").context["page"]
    assert [r.pk for r in back.rows] == [r.pk for r in first.rows]


def test_the_url_holds_the_state_and_pages_keep_it(viewer_client, browsed):
    content = viewer_client.get("/traces/?solver=lexical&outcome=incorrect").content.decode()
    next_link = re.search(r'href="([^"]+)" rel="next"', content)
    rows = _all_rows(viewer_client, "solver=lexical&outcome=incorrect")
    if len(rows) > 50:
        query = parse_qs(urlsplit(next_link.group(1).replace("&amp;", "&")).query)
        assert query["solver"] == ["lexical"]
        assert query["outcome"] == ["incorrect"]
    assert 'name="solver"' in content
    assert '<option value="lexical" selected>' in content


# --- effective decisions --------------------------------------------------------------------


def test_an_audit_moves_a_row_between_failures_and_correct_answers(
    viewer_client, annotator, browsed
):
    verdict = Verdict.objects.filter(mode="strict", decision="incorrect").first()
    before = viewer_client.get("/traces/?outcome=incorrect").context["facets"].total
    Audit.objects.create(
        verdict=verdict, annotator=annotator, decision="correct", previous_decision="incorrect"
    )
    assert verdict.pk not in _all_rows(viewer_client, "outcome=incorrect")
    assert verdict.pk in _all_rows(viewer_client, "outcome=correct")
    assert verdict.pk in _all_rows(viewer_client, "audited=yes")
    # The facet cache is keyed on the newest audit: the count changes at once.
    assert viewer_client.get("/traces/?outcome=incorrect").context["facets"].total == before - 1


def test_a_row_escapes_the_answer_and_shows_an_override_and_a_link_keeping_the_query(
    viewer_client, annotator, browsed
):
    verdict = Verdict.objects.filter(mode="strict", decision="incorrect").first()
    Verdict.objects.filter(pk=verdict.pk).update(answer='<script>alert("x")</script>')
    Audit.objects.create(
        verdict=verdict, annotator=annotator, decision="correct", previous_decision="incorrect"
    )
    content = viewer_client.get("/traces/?audited=yes&sort=oldest").content.decode()
    row = re.search(rf'<tr class="row--correct">(?:(?!</tr>).)*at={verdict.pk}#.*?</tr>', content)
    assert row is not None
    html = row.group(0)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "Overridden by an audit — the verifier said <strong>incorrect</strong>" in html
    assert (
        f'href="/traces/{verdict.trace_id}/?audited=yes&amp;sort=oldest&amp;at={verdict.pk}'
        f'#question-{verdict.question.question_id}"'
    ) in html


def test_the_set_test_agrees_with_the_annotated_effective_decision(annotator, browsed):
    verdicts = list(Verdict.objects.filter(mode="strict").order_by("id")[:6])
    history = [
        ["correct"],
        ["correct", "incorrect"],
        ["agree"],
        ["incorrect", "agree"],
        ["gold_wrong"],
        ["incorrect", "correct", "agree"],
    ]
    for verdict, decisions in zip(verdicts, history, strict=True):
        for decision in decisions:
            Audit.objects.create(
                verdict=verdict,
                annotator=annotator,
                decision=decision,
                previous_decision=verdict.decision,
            )
    annotated = dict(verdicts_with_effective_decision().values_list("pk", "effective_decision"))
    for decision in ("correct", "incorrect"):
        found = set(
            Verdict.objects.filter(effective_decision_q(decision)).values_list("pk", flat=True)
        )
        assert found == {pk for pk, value in annotated.items() if value == decision}


# --- the trace page -------------------------------------------------------------------------


def _conflict_failure(client) -> Verdict:
    rows = _rows(client, "outcome=incorrect&category=conflict_resolution")
    assert rows, "the generated suite has failed conflict questions"
    return rows[0]


def test_the_trace_page_highlights_all_four_kinds_with_a_legend(viewer_client, browsed):
    row = _conflict_failure(viewer_client)
    content = viewer_client.get(f"/traces/{row.trace_id}/").content.decode()
    for kind in ("authoritative", "subordinate", "evidence", "citation"):
        assert f"hl--{kind}" in content, kind
        assert f'<mark class="hl hl--{kind}">' in content  # its legend entry
    assert 'aria-label="Highlight legend"' in content
    assert "/static/js/trace_keys.js" in content
    assert "<script>" not in content  # no inline script


def test_next_failure_links_carry_the_list_and_lead_to_failures(viewer_client, browsed):
    query = "outcome=incorrect&category=conflict_resolution"
    rows = _all_rows(viewer_client, query)
    first = Verdict.objects.get(pk=rows[0])
    response = viewer_client.get(f"/traces/{first.trace_id}/?{query}&at={first.pk}")
    neighbours = response.context["neighbours"]
    assert neighbours.previous is None
    assert neighbours.next.pk == rows[1]
    content = response.content.decode()
    link = re.search(r'href="([^"]+)" data-key-nav="next"', content).group(1)
    assert "outcome=incorrect&amp;category=conflict_resolution" in link
    assert f"at={rows[1]}" in link
    last = Verdict.objects.get(pk=rows[-1])
    response = viewer_client.get(f"/traces/{last.trace_id}/?{query}&at={last.pk}")
    assert response.context["neighbours"].next is None
    assert response.context["neighbours"].previous.pk == rows[-2]


def test_the_trace_page_shows_the_audit_history(viewer_client, annotator, browsed):
    verdict = Verdict.objects.filter(mode="strict", decision="incorrect").first()
    Audit.objects.create(
        verdict=verdict,
        annotator=annotator,
        decision="correct",
        previous_decision="incorrect",
        reason="the unit is implied",
    )
    content = viewer_client.get(f"/traces/{verdict.trace_id}/").content.decode()
    assert "Override: correct" in content
    assert "the unit is implied" in content
    assert "anna" in content


def test_the_per_trace_summary_keeps_its_mode_when_filtering(viewer_client, browsed):
    response = viewer_client.get("/traces/?per=trace&solver=lexical")
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 3
    assert '<input type="hidden" name="per" value="trace">' in response.content.decode()


def test_a_cursor_is_opaque_json_of_the_sort_position(browsed):
    row = Verdict.objects.order_by("-id").first()
    raw = cursor_encode("least_confident", "next", row.verdict_confidence, row.pk)
    padded = raw + "=" * (-len(raw) % 4)
    assert json.loads(base64.urlsafe_b64decode(padded)) == [
        "least_confident",
        "next",
        row.verdict_confidence,
        row.pk,
    ]
