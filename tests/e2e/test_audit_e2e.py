"""Audit in a real browser: an annotator fills the queue, overrides a verdict with the
keyboard and sees the run's metrics move; a viewer finds nothing to press."""

import re

import pytest
from django.contrib.auth.models import Group

from challenges.models import Suite
from tests.traces.audit_data import graded_audit_data
from traces.models import Audit

pytestmark = [
    pytest.mark.e2e,
    # The live server needs committed data; restore the role groups (created by a migration)
    # after the flush so later tests still find them.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "a-long-e2e-password"


def _account(django_user_model, username: str, role: str):
    user = django_user_model.objects.create_user(username=username, password=PASSWORD)
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


def log_in(page, live_server, username: str, start: str) -> None:
    page.goto(f"{live_server.url}{start}")
    assert "/login/" in page.url
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(re.escape(start) + "$"))


def _accuracy(page, live_server, run_url: str) -> str:
    page.goto(f"{live_server.url}{run_url}")
    return page.locator("#metric-answer_accuracy .metric-value").inner_text()


def test_an_annotator_overrides_a_verdict_with_the_keyboard(
    page, live_server, django_user_model, artifacts
):
    data = graded_audit_data()
    _account(django_user_model, "anna", "annotator")
    suite = Suite.objects.get(name="audit-suite")
    run_url = f"/runs/hedger/{suite.pk}/"
    log_in(page, live_server, "anna", "/audit/")

    before = _accuracy(page, live_server, run_url)
    page.goto(f"{live_server.url}/audit/")
    assert page.get_by_text("Your queue is empty").is_visible()
    page.get_by_label("Items").fill("3")
    page.get_by_role("button", name="Fill my queue").click()
    page.wait_for_url(re.compile(r"/audit/$"))
    assert page.get_by_text("Added 3 item(s)").is_visible()
    # First the verdict where strict and reference disagree.
    item = page.locator("#audit-item")
    assert item.get_attribute("data-verdict") == str(data.disagreement.pk)
    assert item.locator(".tag--disagree").inner_text() == "Strict and reference disagree"
    page.screenshot(path=artifacts / "audit_queue.png", full_page=True)

    # "n": the next item, the low-confidence free-text match the verifier accepted.
    with page.expect_navigation():
        page.keyboard.press("n")
    assert re.search(r"/audit/\?item=\d+$", page.url)
    item = page.locator("#audit-item")
    assert item.get_attribute("data-verdict") == str(data.low_confidence.pk)
    assert (
        item.locator(".audit-excerpt-text mark.audit-mark--gold").first.inner_text().lower()
        == "steady state"
    )

    page.get_by_label("Reason").fill("extra words change the meaning")
    page.keyboard.press("Escape")  # leave the reason box so the key is a shortcut
    with page.expect_navigation():
        page.keyboard.press("i")
    assert page.get_by_text(re.compile(r"Recorded your decision on verdict \d+")).is_visible()
    page.screenshot(path=artifacts / "audit_after_decision.png", full_page=True)

    audit = Audit.objects.get()
    assert (audit.verdict_id, audit.decision, audit.previous_decision) == (
        data.low_confidence.pk,
        "incorrect",
        "correct",
    )
    assert audit.reason == "extra words change the meaning"

    after = _accuracy(page, live_server, run_url)
    # Strict: q02, q03 and q04 were right (3 of 4); the override takes q04 away.
    assert (before, after) == ("75.0%", "50.0%")
    page.screenshot(path=artifacts / "audit_run_after.png", full_page=True)


def test_a_viewer_finds_no_audit_buttons(page, live_server, django_user_model, artifacts):
    data = graded_audit_data()
    _account(django_user_model, "victor", "viewer")
    log_in(page, live_server, "victor", "/audit/agreement/")

    assert page.get_by_role("heading", name="Audit agreement", level=1).is_visible()
    assert page.get_by_role("link", name="Agreement").is_visible()
    assert page.get_by_role("link", name="Audit", exact=True).count() == 0
    assert page.locator("main form").count() == 0
    assert page.locator("main button").count() == 0
    page.screenshot(path=artifacts / "audit_agreement_viewer.png", full_page=True)

    page.goto(f"{live_server.url}/traces/{data.trace.pk}/")
    assert page.locator("main button[name=decision]").count() == 0
    assert page.locator("[data-shortcut]").count() == 0

    response = page.goto(f"{live_server.url}/audit/")
    assert response.status == 403
    page.keyboard.press("i")
    assert not Audit.objects.exists()
