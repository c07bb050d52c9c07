"""The evaluation pages in a real browser: a run's charts are drawn by the plotly bundle we
serve ourselves (no request leaves the site), a bar click opens its traces, and the
comparison page shows the three tables."""

import re

import pytest
from django.contrib.auth.models import Group

from challenges.models import Suite
from challenges.services import benchmark_import_path
from evaluation.services import eval_run_create, eval_run_execute, model_spec_create
from tests.e2e.test_pages_e2e import PASSWORD, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def runs(mini_path, django_user_model):
    user = django_user_model.objects.create_user(username="vera", password=PASSWORD)
    user.groups.add(Group.objects.get_or_create(name="viewer")[0])
    benchmark_import_path(path=mini_path, suite_name="mini")
    spec = model_spec_create(name="lexical", runner="lexical", settings={})
    made = []
    for _ in range(2):
        run = eval_run_create(model_spec=spec, suite=Suite.objects.get(name="mini"), enqueue=False)
        made.append(eval_run_execute(run_id=run.pk))
    return made


def test_a_run_page_draws_its_charts_offline_and_a_bar_opens_its_traces(
    page, live_server, runs, artifacts
):
    foreign = []
    page.on(
        "request",
        lambda request: (
            foreign.append(request.url)
            if not request.url.startswith(live_server.url) and not request.url.startswith("data:")
            else None
        ),
    )
    log_in(page, live_server, "vera")
    run = runs[0]
    page.goto(f"{live_server.url}/evals/{run.pk}/")
    page.wait_for_selector("#chart-skills .main-svg")
    for key in ("skills", "domains", "hops", "difficulty", "reliability", "confidence"):
        assert page.locator(f"#chart-{key} .main-svg").count() >= 1, key
    assert page.get_by_text("Answer accuracy").first.is_visible()
    page.screenshot(path=artifacts / "eval_run.png", full_page=True)
    assert foreign == []

    # Plotly listens on its drag layer, above the bars: click where the first bar is drawn.
    bar = page.locator("#chart-skills .bars .point path").first
    bar.scroll_into_view_if_needed()
    box = bar.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] - 3)
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] - 3)
    page.wait_for_url(re.compile(rf"/traces/\?run={run.pk}&mode=strict&category="))
    assert page.get_by_role("heading", level=1).is_visible()


def test_the_comparison_page_shows_tables_and_grouped_bars(page, live_server, runs, artifacts):
    log_in(page, live_server, "vera")
    a, b = runs
    page.goto(f"{live_server.url}/evals/compare/?a={a.pk}&b={b.pk}")
    for heading in ("Overall", "Skill transfer", "Domain transfer"):
        assert page.get_by_role("heading", name=heading, exact=True, level=2).is_visible()
    page.wait_for_selector("#chart-overall .main-svg")
    assert page.get_by_text("p = 1.000").is_visible()
    page.screenshot(path=artifacts / "eval_compare.png", full_page=True)
