"""Training runs in a real browser: on a finished run an admin sees the plotly loss curve
drawn from the run's log, the CPU plan notice and the write buttons, and a viewer finds no
write button; a running run's page follows new steps and reloads when it finishes.
Screenshots go to ``test-artifacts/``."""

import re

import pytest
from django.contrib.auth.models import Group

from evaluation.models import ModelSpec
from tests.training.support import CPU_NOTE, EVAL_IDS, finished_run, graded_suite, ready_dataset
from training.models import TrainingLog, TrainingRun

pytestmark = [
    pytest.mark.e2e,
    # The live server needs committed data; restore the role groups (created by a migration)
    # after the flush so later tests still find them.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "a-long-e2e-password"


@pytest.fixture
def accounts(django_user_model):
    for name, role in (("alice", "admin"), ("victor", "viewer")):
        user = django_user_model.objects.create_user(username=name, password=PASSWORD)
        user.groups.add(Group.objects.get_or_create(name=role)[0])


@pytest.fixture
def training_run(eval_suite):
    """A finished run on the CPU with a five-step curve and a registered adapter, and a suite
    to evaluate it on."""
    dataset = ready_dataset(name="chem-lexical", tokenizer="/models/tiny")
    spec = ModelSpec.objects.create(
        name="chem run adapter",
        runner="transformers",
        settings={"model_path": "/models/tiny", "adapter_path": "/runs/1/adapter"},
    )
    return finished_run(dataset, name="chem run", model_spec=spec, adapter_path="/runs/1/adapter")


@pytest.fixture
def eval_suite(db):
    return graded_suite("eval-suite", EVAL_IDS, domain="physics")


def log_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/training/")
    assert "/login/" in page.url
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/training/$"))


def _write_buttons(page) -> list[str]:
    """Buttons of forms in the page's content (the chart's own toolbar buttons are not
    forms), and how many forms would post."""
    buttons = page.locator("main form button, main form input[type=submit]")
    texts = [buttons.nth(i).inner_text() for i in range(buttons.count())]
    return texts + ["post form"] * page.locator('main form[method="post"]').count()


def test_an_admin_sees_the_loss_curve_and_the_cpu_notice(
    page, live_server, accounts, training_run, artifacts
):
    log_in(page, live_server, "alice")
    page.get_by_role("link", name="chem run", exact=True).click()
    page.wait_for_url(re.compile(rf"/training/runs/{training_run.pk}/$"))

    page.locator("#loss-chart svg.main-svg").first.wait_for()
    assert page.locator("#loss-chart .scatterlayer .trace").count() == 2  # loss, learning rate
    assert page.get_by_text(CPU_NOTE).is_visible()
    assert page.locator(".notice--warning").first.is_visible()
    assert page.locator('[data-field="step"]').inner_text() == "5"
    assert page.get_by_role("button", name="Evaluate against baseline").is_visible()
    assert page.get_by_text("chem run adapter").first.is_visible()
    page.screenshot(path=artifacts / "training_run.png", full_page=True)

    page.goto(f"{live_server.url}/training/datasets/{training_run.dataset_id}/")
    assert page.get_by_role("button", name="Start training").is_visible()
    assert page.locator('input[name="lora_r"]').input_value() == "32"
    page.screenshot(path=artifacts / "training_dataset.png", full_page=True)

    page.goto(f"{live_server.url}/training/datasets/")
    assert page.get_by_role("button", name="Build dataset").is_visible()
    assert page.get_by_label("Evaluation suites").locator("option").all_inner_texts() == [
        "eval-suite"
    ]
    page.screenshot(path=artifacts / "training_datasets.png", full_page=True)


def test_a_viewer_reads_the_training_pages_without_write_buttons(
    page, live_server, accounts, training_run, artifacts
):
    log_in(page, live_server, "victor")
    for path in (
        "/training/",
        "/training/datasets/",
        f"/training/datasets/{training_run.dataset_id}/",
        f"/training/runs/{training_run.pk}/",
    ):
        page.goto(f"{live_server.url}{path}")
        assert _write_buttons(page) == [], path
    page.locator("#loss-chart svg.main-svg").first.wait_for()
    assert page.get_by_text(CPU_NOTE).is_visible()
    page.screenshot(path=artifacts / "training_run_viewer.png", full_page=True)


def test_a_running_run_page_follows_new_steps_and_reloads_when_it_finishes(
    page, live_server, accounts, training_run
):
    running = TrainingRun.objects.create(
        name="live run",
        dataset=training_run.dataset,
        config={"base_model": "/models/tiny"},
        status="running",
        max_steps=4,
    )
    log_in(page, live_server, "alice")
    page.goto(f"{live_server.url}/training/runs/{running.pk}/")
    assert page.get_by_role("button", name="Cancel run").is_visible()
    assert page.get_by_text("The plan (GPU QLoRA, CPU NF4 or plain LoRA) appears").is_visible()

    TrainingLog.objects.bulk_create(
        TrainingLog(run=running, step=step, loss=3.0 - step / 2, learning_rate=1e-4)
        for step in (1, 2)
    )
    TrainingRun.objects.filter(pk=running.pk).update(
        step=2, plan="qlora-nf4-cpu", plan_notes=[CPU_NOTE]
    )
    page.locator("#loss-chart svg.main-svg").first.wait_for()
    page.wait_for_function("document.querySelector('[data-field=\"step\"]').textContent === '2'")
    assert page.get_by_text(CPU_NOTE).is_visible()

    TrainingLog.objects.bulk_create(
        TrainingLog(run=running, step=step, loss=3.0 - step / 2, learning_rate=1e-4)
        for step in (3, 4)
    )
    TrainingRun.objects.filter(pk=running.pk).update(step=4, status="succeeded")
    # The page reloads once the run has finished: no cancel button, the whole curve.
    page.get_by_role("button", name="Cancel run").wait_for(state="detached")
    page.locator("#loss-chart svg.main-svg").first.wait_for()
    page.wait_for_function(
        "(document.getElementById('loss-chart').data || [{x: []}])[0].x.length === 4"
    )
    assert page.locator('[data-field="phase"]').inner_text() == "Succeeded"
