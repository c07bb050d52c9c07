"""Log in through the form and read the pages in a real browser; screenshots go to
``test-artifacts/``."""

import json
import re

import pytest
from django.contrib.auth.models import Group

from challenges.services import benchmark_import_path
from tests.factories import benchmark_dict, challenge_dict, import_challenges

pytestmark = [
    pytest.mark.e2e,
    # The live server needs committed data; restore the role groups (created by a migration)
    # after the flush so later tests still find them.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "a-long-e2e-password"


@pytest.fixture
def admin_account(django_user_model):
    user = django_user_model.objects.create_user(username="alice", password=PASSWORD)
    user.groups.add(Group.objects.get_or_create(name="admin")[0])
    return user


@pytest.fixture
def mini_suite(mini_path):
    benchmark_import_path(path=mini_path, suite_name="mini")
    return "mini"


def log_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/suites/")
    assert "/login/" in page.url
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/suites/$"))


def test_a_user_logs_in_and_reads_a_suite_and_a_highlighted_challenge(
    page, live_server, admin_account, mini_suite, artifacts
):
    page.goto(f"{live_server.url}/login/")
    page.screenshot(path=artifacts / "login.png")
    log_in(page, live_server, "alice")

    assert page.get_by_role("heading", name="Suites", level=1).is_visible()
    row = page.get_by_role("row").filter(has_text="mini")
    assert row.get_by_role("cell").nth(1).inner_text() == "10"  # challenges
    assert row.get_by_role("cell").nth(2).inner_text() == "100"  # questions
    page.screenshot(path=artifacts / "suite_list.png")

    row.get_by_role("link", name="mini", exact=True).click()
    page.wait_for_url(re.compile(r"/challenges/\?suite="))
    assert page.get_by_text("10 challenges").is_visible()
    page.screenshot(path=artifacts / "challenge_list.png")

    page.get_by_role("link", name="dacr-bench-00050", exact=True).click()
    page.wait_for_url(re.compile(r"/challenges/dacr-bench-00050/"))
    assert page.locator(".legend").is_visible()
    assert page.locator("mark.hl--authoritative").count() >= 2
    assert page.locator("mark.hl--subordinate").count() >= 2
    page.screenshot(path=artifacts / "challenge_detail_top.png")

    # The conflict table links to the highlight, which scrolls into view.
    page.locator('a[href="#conflict-0-authoritative"]').click()
    target = page.locator("#conflict-0-authoritative")
    assert target.is_visible()
    box = target.bounding_box()
    assert box is not None
    assert 0 <= box["y"] <= 900
    page.screenshot(path=artifacts / "challenge_detail_highlight.png")
    page.locator('a[href="#conflict-1-subordinate"]').click()
    assert page.locator("#conflict-1-subordinate").is_visible()
    page.screenshot(path=artifacts / "challenge_detail_subordinate.png")

    # The two styles really differ on screen.
    styles = page.evaluate(
        """() => ['authoritative', 'subordinate'].map((kind) => {
            const mark = document.querySelector('mark.hl--' + kind + ':not(.hl--' +
                (kind === 'authoritative' ? 'subordinate' : 'authoritative') + ')');
            const style = getComputedStyle(mark);
            return [style.backgroundImage, style.borderBottomStyle, style.outlineStyle];
        })"""
    )
    assert styles[0] != styles[1]

    page.locator("#questions").scroll_into_view_if_needed()
    page.screenshot(path=artifacts / "challenge_detail_questions.png")

    # A table quote that the PDF split into columns is reported, not guessed.
    page.goto(f"{live_server.url}/challenges/dacr-bench-00027/")
    assert page.get_by_text("Authoritative statement not located").is_visible()
    page.locator("#document-heading").scroll_into_view_if_needed()
    page.screenshot(path=artifacts / "challenge_detail_unlocated.png")

    # In the engine challenge the two statements overlap: one segment carries both styles.
    page.goto(f"{live_server.url}/challenges/dacr-bench-00055/")
    assert page.locator("mark.hl--authoritative.hl--subordinate").count() >= 1
    page.locator("#conflict-0-subordinate").scroll_into_view_if_needed()
    page.screenshot(path=artifacts / "challenge_detail_overlap.png")


def test_an_admin_uploads_a_benchmark_and_sees_the_finished_import(
    page, live_server, admin_account, artifacts, tmp_path
):
    import_challenges(challenge_dict("dacr-e2e-00001"), suite="existing")
    log_in(page, live_server, "alice")
    page.get_by_role("link", name="Import", exact=True).click()
    upload = json.dumps(benchmark_dict(challenge_dict("dacr-e2e-00002"), name="uploaded"))
    page.get_by_label("Benchmark file").set_input_files(
        files=[{"name": "upload.json", "mimeType": "application/json", "buffer": upload.encode()}]
    )
    page.get_by_label("Suite name").fill("from the browser")
    page.screenshot(path=artifacts / "import_form.png")
    page.get_by_role("button", name="Upload and import").click()
    page.wait_for_url(re.compile(r"/import/\d+/$"))
    assert page.locator('[data-field="phase"]').inner_text() == "Succeeded"
    assert page.locator('[data-field="challenges_created"]').inner_text() == "1"
    assert page.get_by_role("link", name="from the browser").is_visible()
    page.screenshot(path=artifacts / "import_detail.png")


def test_a_viewer_sees_no_import_link_and_is_refused_the_import_page(
    page, live_server, django_user_model
):
    viewer = django_user_model.objects.create_user(username="victor", password=PASSWORD)
    viewer.groups.add(Group.objects.get_or_create(name="viewer")[0])
    log_in(page, live_server, "victor")
    assert page.get_by_role("link", name="Import").count() == 0
    response = page.goto(f"{live_server.url}/import/")
    assert response.status == 403


def test_an_admin_generates_a_suite_and_reads_its_validity_report(
    page, live_server, admin_account, artifacts
):
    log_in(page, live_server, "alice")
    page.get_by_role("link", name="Generate", exact=True).click()
    # Hostile input first: the engine's one-line refusal, and nothing queued.
    page.get_by_label("Challenges").fill("0")
    page.get_by_role("button", name="Generate").click()
    assert page.get_by_text("count must be a positive integer, not 0").is_visible()
    page.get_by_label("Challenges").fill("3")
    page.get_by_label("Seed").fill("21")
    page.get_by_label("Physics").check()
    page.get_by_label("Economics").check()
    page.get_by_label("Suite name").fill("browser suite")
    page.get_by_role("button", name="Generate").click()
    page.wait_for_url(re.compile(r"/generate/\d+/$"))
    assert page.locator('[data-field="phase"]').inner_text() == "Succeeded"
    assert page.locator('[data-field="challenges_created"]').inner_text() == "3"
    page.screenshot(path=artifacts / "generation_detail.png")
    page.get_by_role("link", name="Validity of browser suite").click()
    page.wait_for_url(re.compile(r"/suites/\d+/validity/$"))
    assert page.get_by_role("heading", name="Targets").is_visible()
    assert page.get_by_text("first_mention CARS", exact=True).is_visible()
    assert page.get_by_text("hedge_filter answer accuracy", exact=True).is_visible()
    page.screenshot(path=artifacts / "suite_validity.png", full_page=True)
