"""Read a graded run in a real browser: the run list, a run's metrics in both verifier modes,
its traces and one trace with both verdicts; screenshots go to ``test-artifacts/``."""

import json
import re

import pytest
from django.contrib.auth.models import Group

from challenges.models import Challenge
from tests.traces.fixtures.parity_sets import load_mini, mixed
from traces.services import TraceInput, predictions_grade, traces_grade, traces_record
from traces.services.recording import solver_get_or_create

pytestmark = [
    pytest.mark.e2e,
    # The live server needs committed data; restore the role groups (created by a migration)
    # after the flush so later tests still find them.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "a-long-e2e-password"
SCRIPT_OUTPUT = (
    'Reasoning first.\n<script>alert("owned")</script>\n'
    '{"q01": {"answer": "unknown", "confidence": 0.2}}'
)


@pytest.fixture
def viewer_account(django_user_model):
    user = django_user_model.objects.create_user(username="victor", password=PASSWORD)
    user.groups.add(Group.objects.get_or_create(name="viewer")[0])
    return user


@pytest.fixture
def graded_run(mini_path, tmp_path):
    """The mini suite graded for a seeded mixture of answers (``mixed-model``), and one raw
    output holding a script tag (``raw-model``)."""
    predictions = tmp_path / "mixed.json"
    predictions.write_text(json.dumps(mixed(load_mini())), encoding="utf-8")
    predictions_grade(
        benchmark_path=mini_path,
        predictions_path=predictions,
        solver_name="mixed-model",
        suite_name="mini",
    )
    challenge = Challenge.objects.get(public_id="dacr-bench-00050")
    traces = traces_record(
        solver=solver_get_or_create(name="raw-model"),
        attempts=[TraceInput(challenge=challenge, raw_output=SCRIPT_OUTPUT)],
    )
    traces_grade(traces=traces)
    return traces[0]


def log_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/runs/")
    assert "/login/" in page.url
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/runs/$"))


def test_a_viewer_reads_a_run_its_traces_and_a_trace(
    page, live_server, viewer_account, graded_run, artifacts
):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    log_in(page, live_server, "victor")

    assert page.get_by_role("heading", name="Runs", level=1).is_visible()
    row = page.get_by_role("row").filter(has_text="mixed-model")
    assert "10 of 10" in row.inner_text()
    page.screenshot(path=artifacts / "run_list.png", full_page=True)

    row.get_by_role("link", name="mixed-model", exact=True).click()
    page.wait_for_url(re.compile(r"/runs/mixed-model/\d+/$"))
    assert page.get_by_role("link", name="Strict").get_attribute("aria-current") == "page"
    cards = page.locator(".metric-card")
    assert cards.count() == 8
    assert page.locator("#metric-answer_accuracy .metric-ci").inner_text().startswith("95% CI")
    strict_accuracy = page.locator("#metric-answer_accuracy .metric-value").inner_text()
    page.screenshot(path=artifacts / "run_detail_strict.png", full_page=True)

    page.get_by_role("link", name="Reference (public scorer)").click()
    page.wait_for_url(re.compile(r"\?mode=reference$"))
    link = page.get_by_role("link", name="Reference (public scorer)")
    assert link.get_attribute("aria-current") == "page"
    reference_accuracy = page.locator("#metric-answer_accuracy .metric-value").inner_text()
    assert reference_accuracy != strict_accuracy  # the lenient scorer accepts more
    page.screenshot(path=artifacts / "run_detail_reference.png", full_page=True)

    page.get_by_role("link", name="the traces of this run").click()
    page.wait_for_url(re.compile(r"/traces/\?solver=mixed-model&suite=\d+&per=trace$"))
    assert page.get_by_text("10 traces").is_visible()
    assert page.get_by_label("Solver").input_value() == "mixed-model"
    page.screenshot(path=artifacts / "trace_list.png", full_page=True)

    trace_row = page.get_by_role("row").filter(has_text="dacr-bench-00050")
    trace_row.get_by_role("link", name=re.compile(r"^#\d+$")).click()
    page.wait_for_url(re.compile(r"/traces/\d+/$"))
    assert page.locator("article.question").count() == 10
    page.screenshot(path=artifacts / "trace_detail_top.png")
    disagreement = page.locator("article.question--disagree").first
    assert disagreement.count() == 1
    disagreement.scroll_into_view_if_needed()
    assert disagreement.get_by_text("Strict and reference disagree").is_visible()
    page.screenshot(path=artifacts / "trace_detail_disagreement.png")

    # The script in a model's raw output is shown as text, never run.
    page.goto(f"{live_server.url}/traces/{graded_run.pk}/")
    page.screenshot(path=artifacts / "trace_detail_raw_top.png")
    page.get_by_text(re.compile(r"^Raw output \(")).click()
    raw = page.locator(".raw-output pre").last
    assert raw.is_visible()
    assert '<script>alert("owned")</script>' in raw.inner_text()
    raw.scroll_into_view_if_needed()
    page.screenshot(path=artifacts / "trace_detail_raw_output.png")
    assert dialogs == []


def test_the_trace_page_reads_on_a_narrow_screen(
    page, live_server, viewer_account, graded_run, artifacts
):
    log_in(page, live_server, "victor")
    page.set_viewport_size({"width": 400, "height": 900})
    page.goto(f"{live_server.url}/traces/?solver=mixed-model&per=trace")
    page.get_by_role("link", name=re.compile(r"^#\d+$")).first.click()
    page.wait_for_url(re.compile(r"/traces/\d+/$"))
    table = page.locator(".verdict-table").first
    table.scroll_into_view_if_needed()
    box = table.bounding_box()
    assert box is not None
    assert box["x"] + box["width"] <= 400  # the two verdicts fit side by side
    page.screenshot(path=artifacts / "trace_detail_narrow.png")
