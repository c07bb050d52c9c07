"""An annotator drops a two-column PDF on the papers page, follows it to a verified draft,
reviews it (edits a question, approves them all), publishes it and reads the edit history.
Screenshots go to ``test-artifacts/``."""

import base64
import re

import pytest
from django.contrib.auth.models import Group

from challenges.models import Challenge, ChallengeEdit, Paper
from tests.challenges.paper_support import pdf_factory

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "a-long-e2e-password"

# Builds a DataTransfer holding one PDF in the page, for a drop event on the drop zone.
DATA_TRANSFER = """([name, data]) => {
    const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
    const transfer = new DataTransfer();
    transfer.items.add(new File([bytes], name, { type: "application/pdf" }));
    return transfer;
}"""


@pytest.fixture
def annotator_account(django_user_model):
    user = django_user_model.objects.create_user(username="anna", password=PASSWORD)
    user.groups.add(Group.objects.get_or_create(name="annotator")[0])
    return user


def log_in(page, live_server) -> None:
    page.goto(f"{live_server.url}/papers/")
    page.get_by_label("Username").fill("anna")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/papers/$"))


def test_an_annotator_uploads_reviews_and_publishes_a_paper(
    page, live_server, annotator_account, artifacts
):
    data = pdf_factory().two_column_paper()
    log_in(page, live_server)
    assert page.get_by_role("heading", name="Papers", level=1).is_visible()

    transfer = page.evaluate_handle(
        DATA_TRANSFER, ["two-column.pdf", base64.b64encode(data).decode()]
    )
    page.locator("[data-dropzone]").dispatch_event("drop", {"dataTransfer": transfer})
    assert page.locator("[data-dropzone-files] li").inner_text().startswith("two-column.pdf")
    page.screenshot(path=artifacts / "papers_upload.png", full_page=True)
    with page.expect_navigation(timeout=120_000):
        page.get_by_role("button", name="Upload", exact=True).click()
    page.wait_for_url(re.compile(r"/papers/\d+/$"))
    page.locator('[data-field="phase"]', has_text="Verified").wait_for(timeout=120_000)
    paper = Paper.objects.get()
    assert paper.status == "verified"
    assert page.get_by_role("heading", name="Parsed paper").is_visible()
    page.screenshot(path=artifacts / "paper_detail.png", full_page=True)

    page.get_by_role("link", name="Review the draft").click()
    page.wait_for_url(re.compile(r"/review/"))
    challenge = Challenge.objects.get(paper=paper)
    first = challenge.questions.order_by("position").first()
    page.screenshot(path=artifacts / "review.png", full_page=True)

    # Edit one question.
    page.get_by_text(f"Edit {first.question_id}", exact=True).click()
    new_text = f"{first.text} Give the value the paper reports."
    page.locator(f"#id_{first.question_id}-text").fill(new_text)
    page.locator(f"#id_{first.question_id}-reason").fill("ask for the reported value")
    page.get_by_role("button", name=f"Save {first.question_id}").click()
    assert page.get_by_text(f"{first.question_id} saved").is_visible()

    # Approve every question, then publish.
    for question_id in challenge.questions.values_list("question_id", flat=True):
        page.get_by_role("button", name=f"Approve {question_id}", exact=True).click()
        page.get_by_text(f"{question_id} approved.").wait_for()
    page.get_by_role("button", name="Publish").click()
    assert page.get_by_text("is published and can no longer change").is_visible()
    challenge.refresh_from_db()
    assert challenge.status == "published"
    assert page.get_by_text("Checks made when the draft was built").is_visible()

    history = page.locator(".edit-history")
    history.scroll_into_view_if_needed()
    assert history.get_by_text("ask for the reported value").is_visible()
    assert history.get_by_text("Edited a question").is_visible()
    assert history.get_by_text("Published the challenge").is_visible()
    assert ChallengeEdit.objects.filter(challenge=challenge).count() == 1 + 10 + 1
    page.screenshot(path=artifacts / "review_published.png", full_page=True)


def test_the_paper_page_follows_the_status_without_a_reload(
    page, live_server, annotator_account, artifacts
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from challenges.services import paper_store

    paper, _ = paper_store(uploaded_file=SimpleUploadedFile("slow.pdf", b"%PDF-1.7 slow"))
    log_in(page, live_server)
    page.goto(f"{live_server.url}/papers/{paper.pk}/")
    assert page.locator('[data-field="phase"]').inner_text() == "Uploaded"
    assert page.locator('[data-step="parsed"]').get_attribute("class") == "step step--current"

    # A worker moves the paper on; the page's script notices and shows the outcome.
    reason = "the PDF is protected by a password; upload a copy without a password"
    Paper.objects.filter(pk=paper.pk).update(status="failed", failure_reason=reason)
    page.locator('[data-field="phase"]', has_text="Failed").wait_for(timeout=15_000)
    assert page.get_by_text(reason).is_visible()
    assert page.get_by_text("No challenge: the paper failed").is_visible()
    page.screenshot(path=artifacts / "paper_failed.png", full_page=True)
