"""The failure explorer: failures grouped four ways, every cell linking to exactly its rows
in the trace list, and two solvers compared on the same questions."""

import re
from html import unescape

import pytest

from traces.models import Audit, Verdict

from .browser_data import Browsed, build_browsed

pytestmark = pytest.mark.django_db


@pytest.fixture
def browsed(db) -> Browsed:
    return build_browsed()


def _list_total(client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200
    return response.context["facets"].total


def test_an_outsider_cannot_open_the_explorer(client, outsider, browsed):
    client.force_login(outsider)
    assert client.get("/failures/").status_code == 403


def test_the_grid_counts_failures_per_skill_and_domain(viewer_client, browsed):
    groups = viewer_client.get("/failures/").context["groups"]
    strict = Verdict.objects.filter(mode="strict")
    assert groups.total == strict.count()
    assert groups.failed == strict.filter(decision="incorrect").count()
    for skill, row in groups.grid.items():
        for domain, tally in row.items():
            cell = strict.filter(question__category=skill, trace__challenge__domain=domain)
            assert (tally.failed, tally.total) == (
                cell.filter(decision="incorrect").count(),
                cell.count(),
            )
    assert sum(t.failed for t in groups.match_type) == groups.failed
    assert sum(t.failed for t in groups.parse_format) == groups.failed
    conflict_rows = strict.exclude(conflict_outcome="")
    assert sum(t.total for t in groups.conflict) == conflict_rows.count()


def test_every_cell_links_to_exactly_its_failures(viewer_client, browsed):
    response = viewer_client.get("/failures/?solver=lexical")
    content = response.content.decode()
    groups = response.context["groups"]
    links = re.findall(r'<a href="(/traces/\?[^"]+outcome=incorrect[^"]*)"[^>]*>(\d+)', content)
    assert len(links) >= len(groups.match_type) + len(groups.skill_totals)
    for href, shown in links:
        href = unescape(href)
        assert "solver=lexical" in href
        assert _list_total(viewer_client, href) == int(shown)


def test_an_audit_changes_the_failure_counts(viewer_client, annotator, browsed):
    before = viewer_client.get("/failures/").context["groups"].failed
    verdict = Verdict.objects.filter(mode="strict", decision="incorrect").first()
    Audit.objects.create(
        verdict=verdict, annotator=annotator, decision="correct", previous_decision="incorrect"
    )
    assert viewer_client.get("/failures/").context["groups"].failed == before - 1


def _right(solver: str) -> dict[int, bool]:
    rows = Verdict.objects.filter(mode="strict", trace__solver__name=solver)
    return {v.question_id: v.decision == "correct" for v in rows}


def test_two_solvers_are_compared_question_by_question(viewer_client, browsed):
    response = viewer_client.get("/failures/?compare=lexical,first_mention")
    comparison = response.context["comparison"]
    a, b = _right("lexical"), _right("first_mention")
    expected = {"both_right": 0, "only_a": 0, "only_b": 0, "both_wrong": 0}
    for question, a_right in a.items():
        b_right = b[question]
        cell = (
            "both_right"
            if a_right and b_right
            else "only_a"
            if a_right
            else "only_b"
            if b_right
            else "both_wrong"
        )
        expected[cell] += 1
    assert comparison.cells == expected
    assert comparison.only_one == 0
    content = response.content.decode()
    for cell, count in expected.items():
        href = re.search(rf'href="([^"]+)" id="compare-{cell}"', content).group(1)
        href = unescape(href)
        assert "compare=lexical,first_mention" in href or "compare=lexical%2Cfirst_mention" in href
        rows = viewer_client.get(href).context["page"].rows
        # Both solvers' rows on each question of the cell: two rows per question.
        assert len(rows) == 2 * count
        for row in rows:
            in_cell = (a[row.question_id], b[row.question_id])
            assert (
                in_cell
                == {
                    "both_right": (True, True),
                    "only_a": (True, False),
                    "only_b": (False, True),
                    "both_wrong": (False, False),
                }[cell]
            )


def test_a_bad_comparison_is_reported(viewer_client, browsed):
    response = viewer_client.get("/failures/?compare=lexical")
    assert response.status_code == 200
    assert response.context["comparison"] is None
    assert "Name two different solvers" in response.content.decode()
