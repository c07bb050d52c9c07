"""Evaluation pages and API: every page for each role, the charts and their links, exports,
comparisons, the leaderboard, and writes refused to viewers (CSRF enforced)."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from challenges.models import Suite
from evaluation.models import EvalRun, ModelSpec
from evaluation.services import eval_run_create, model_spec_create
from tests.factories import challenge_dict, import_challenges

pytestmark = pytest.mark.django_db


@pytest.fixture
def runs(django_capture_on_commit_callbacks):
    """Two lexical runs on one suite (identical answers) and one on another suite."""
    import_challenges(challenge_dict("dacr-p-1"), challenge_dict("dacr-p-2"), suite="p")
    import_challenges(challenge_dict("dacr-q-1"), suite="q")
    spec = model_spec_create(name="lexical", runner="lexical", settings={})
    with django_capture_on_commit_callbacks(execute=True):
        a = eval_run_create(model_spec=spec, suite=Suite.objects.get(name="p"))
        b = eval_run_create(model_spec=spec, suite=Suite.objects.get(name="p"))
        other = eval_run_create(model_spec=spec, suite=Suite.objects.get(name="q"))
    return a, b, other


def _pages(a, b):
    suite_id = a.suite_id
    return [
        reverse("evaluation:eval-list"),
        reverse("evaluation:model-specs"),
        reverse("evaluation:eval-detail", args=[a.pk]),
        reverse("evaluation:eval-detail", args=[a.pk]) + "?mode=reference",
        reverse("evaluation:eval-compare") + f"?a={a.pk}&b={b.pk}",
        reverse("evaluation:eval-compare") + f"?a={a.pk}&b={b.pk}&cell=both_wrong",
        reverse("evaluation:suite-leaderboard", args=[suite_id]),
        reverse("evaluation:suite-leaderboard", args=[suite_id]) + "?sort=ece&mode=reference",
    ]


def test_a_viewer_reads_every_page_and_nothing_loads_from_another_origin(viewer_client, runs):
    a, b, _ = runs
    for url in _pages(a, b):
        response = viewer_client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert not re.search(r'(src|href)="(https?:)?//', page), url


def test_the_run_page_draws_every_chart_with_the_bundled_plotly(viewer_client, runs):
    a, _, _ = runs
    page = viewer_client.get(reverse("evaluation:eval-detail", args=[a.pk])).content.decode()
    assert '<script src="/static/vendor/plotly/plotly.min.js"></script>' in page
    data = json.loads(re.search(r'id="chart-data"[^>]*>(.*?)</script>', page, re.S).group(1))
    keys = {chart["key"] for chart in data}
    assert keys >= {"skills", "domains", "hops", "difficulty", "reliability", "confidence"}
    skill_bars = next(c for c in data if c["key"] == "skills")["figure"]["data"][0]
    links = [link[0] if isinstance(link, list) else link for link in skill_bars["customdata"]]
    assert all(link.startswith(f"/traces/?run={a.pk}&mode=strict&category=") for link in links)
    assert "Answer accuracy" in page
    assert "95% CI" in page


def test_the_plotly_bundle_is_served_from_our_static_files(client):
    from django.contrib.staticfiles import finders

    assert finders.find("vendor/plotly/plotly.min.js")


def test_the_comparison_page_shows_the_three_tables_and_the_p_value(viewer_client, runs):
    a, b, _ = runs
    response = viewer_client.get(reverse("evaluation:eval-compare") + f"?a={a.pk}&b={b.pk}")
    page = response.content.decode()
    for heading in ("Overall", "Skill transfer", "Domain transfer", "Question flips"):
        assert heading in page
    assert "p = 1.000" in page  # identical runs: nothing flipped


def test_comparing_runs_on_different_suites_is_refused(viewer_client, runs):
    a, _, other = runs
    response = viewer_client.get(reverse("evaluation:eval-compare") + f"?a={a.pk}&b={other.pk}")
    assert response.status_code == 400
    assert "different suites" in response.content.decode()


def test_exports_of_a_run_and_a_comparison(viewer_client, runs):
    a, b, _ = runs
    md = viewer_client.get(reverse("evaluation:eval-export", args=[a.pk, "md"])).content.decode()
    assert "Answer accuracy" in md
    rows = list(
        csv.DictReader(
            io.StringIO(
                viewer_client.get(
                    reverse("evaluation:eval-export", args=[a.pk, "csv"])
                ).content.decode()
            )
        )
    )
    assert {"section", "key", "accuracy"} <= set(rows[0])
    report = json.loads(
        viewer_client.get(reverse("evaluation:eval-export", args=[a.pk, "json"])).content
    )
    assert report["metrics"]["questions"] == 6
    predictions = json.loads(
        viewer_client.get(reverse("evaluation:eval-export", args=[a.pk, "predictions"])).content
    )
    assert [p["challengeId"] for p in predictions] == ["dacr-p-1", "dacr-p-2"]
    compare_md = viewer_client.get(
        reverse("evaluation:eval-compare-export", args=["md"]) + f"?a={a.pk}&b={b.pk}"
    ).content.decode()
    assert "McNemar" in compare_md
    assert (
        viewer_client.get(reverse("evaluation:eval-export", args=[a.pk, "xls"])).status_code == 404
    )


def test_a_viewer_cannot_start_a_run_add_a_model_or_cancel(viewer_client, runs):
    a, _, _ = runs
    suite = a.suite
    before = (EvalRun.objects.count(), ModelSpec.objects.count())
    spec = ModelSpec.objects.get()
    responses = [
        viewer_client.post(
            reverse("evaluation:eval-list"), {"model_spec": spec.pk, "suite": suite.pk}
        ),
        viewer_client.post(reverse("evaluation:model-specs"), {"name": "x", "runner": "lexical"}),
        viewer_client.post(reverse("evaluation:eval-cancel", args=[a.pk])),
        viewer_client.post(reverse("api-eval-list"), {"model_spec": "lexical", "suite": "p"}),
        viewer_client.post(reverse("api-model-list"), {"name": "x", "runner": "lexical"}),
        viewer_client.post(reverse("api-eval-cancel", args=[a.pk])),
    ]
    assert [r.status_code for r in responses] == [403] * 6
    assert (EvalRun.objects.count(), ModelSpec.objects.count()) == before
    page = viewer_client.get(reverse("evaluation:eval-list")).content.decode()
    assert "Start run" not in page


def test_an_admin_adds_a_model_and_starts_a_run_through_csrf_checked_forms(admin_user, runs):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    page = client.get(reverse("evaluation:model-specs")).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    refused = client.post(reverse("evaluation:model-specs"), {"name": "y", "runner": "lexical"})
    assert refused.status_code == 403  # no token
    bad = client.post(
        reverse("evaluation:model-specs"),
        {
            "name": "y",
            "runner": "http",
            "settings": '{"base_url": "ftp://x", "model": "m"}',
            "csrfmiddlewaretoken": token,
        },
    )
    assert bad.status_code == 400
    assert "base_url" in bad.content.decode()
    assert not ModelSpec.objects.filter(name="y").exists()
    created = client.post(
        reverse("evaluation:model-specs"),
        {"name": "lexical-2", "runner": "lexical", "settings": "{}", "csrfmiddlewaretoken": token},
    )
    assert created.status_code == 302
    spec = ModelSpec.objects.get(name="lexical-2")
    started = client.post(
        reverse("evaluation:eval-list"),
        {
            "model_spec": spec.pk,
            "suite": Suite.objects.get(name="q").pk,
            "csrfmiddlewaretoken": token,
        },
    )
    assert started.status_code == 302
    assert EvalRun.objects.filter(model_spec=spec).exists()


def test_the_api_lists_runs_gives_metrics_comparisons_and_the_leaderboard(viewer_client, runs):
    a, b, _ = runs
    listed = viewer_client.get(reverse("api-eval-list")).json()
    assert listed["count"] == 3
    assert {r["id"] for r in listed["results"]} >= {a.pk, b.pk}
    metrics = viewer_client.get(reverse("api-eval-metrics", args=[a.pk]) + "?mode=reference").json()
    assert metrics["mode"] == "reference"
    assert "ci" in metrics
    compared = viewer_client.get(reverse("api-eval-compare") + f"?a={a.pk}&b={b.pk}").json()
    assert compared["paired_test"]["p_value"] == 1.0
    assert {row["key"] for row in compared["overall"]} == {"answer_accuracy", "pass_rate", "cars"}
    assert viewer_client.get(reverse("api-eval-compare") + "?a=x&b=1").status_code == 400
    board = viewer_client.get(reverse("api-leaderboard") + "?suite=p").json()
    assert len(board["runs"]) == 2


def test_the_api_creates_a_run_for_an_admin_and_refuses_bad_input(admin_client_, runs):
    bad = admin_client_.post(
        reverse("api-eval-list"),
        {"model_spec": "nope", "suite": "p"},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert "model_spec" in bad.json()["detail"]
    made = admin_client_.post(
        reverse("api-eval-list"),
        {"model_spec": "lexical", "suite": "q"},
        content_type="application/json",
    )
    assert made.status_code == 201
    assert made["Location"].endswith(f"/api/evals/{made.json()['id']}/")


def test_pages_need_login(client, runs):
    a, b, _ = runs
    for url in _pages(a, b):
        assert client.get(url).status_code == 302
    assert client.get(reverse("api-eval-list")).status_code in (401, 403)
