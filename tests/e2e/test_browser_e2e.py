"""Hunt failures in a real browser: filter the trace list to failures on conflict questions,
open one, see the four highlight kinds, and walk to the next failure with the keyboard;
screenshots go to ``test-artifacts/``."""

import re

import pytest
from django.contrib.auth.models import Group

from tests.traces.browser_data import build_browsed

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "a-long-e2e-password"


@pytest.fixture
def viewer_account(django_user_model):
    user = django_user_model.objects.create_user(username="victor", password=PASSWORD)
    user.groups.add(Group.objects.get_or_create(name="viewer")[0])
    return user


def test_a_viewer_hunts_conflict_failures_with_the_keyboard(
    page, live_server, viewer_account, artifacts
):
    build_browsed()
    page.goto(f"{live_server.url}/traces/")
    page.get_by_label("Username").fill("victor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/traces/$"))

    page.get_by_label("Decision").select_option("incorrect")
    page.get_by_label("Skill").select_option("conflict_resolution")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url(
        re.compile(
            r"outcome=incorrect.*category=conflict_resolution|category=conflict_resolution.*outcome=incorrect"
        )
    )
    rows = page.locator("table.row-table tbody tr")
    assert rows.count() >= 2
    assert "Incorrect" in rows.first.inner_text()
    page.screenshot(path=artifacts / "browser_failures.png", full_page=True)

    first_link = rows.first.get_by_role("link").first
    first_label = first_link.inner_text()
    second_label = rows.nth(1).get_by_role("link").first.inner_text()
    first_link.click()
    page.wait_for_url(re.compile(r"/traces/\d+/\?.*at=\d+"))
    for kind in ("authoritative", "subordinate", "evidence", "citation"):
        assert page.locator(f".document mark.hl--{kind}").count() >= 1, kind
    assert page.get_by_role("group", name="Highlight legend").is_visible()
    page.locator(".document mark.hl--subordinate").first.scroll_into_view_if_needed()
    page.screenshot(path=artifacts / "browser_trace_highlights.png")
    page.locator("#document").screenshot(path=artifacts / "browser_trace_document.png")

    trace_id, question = re.match(r"#(\d+) · (q\d+)", first_label).groups()
    assert f"/traces/{trace_id}/" in page.url
    page.keyboard.press("j")
    next_trace, next_question = re.match(r"#(\d+) · (q\d+)", second_label).groups()
    page.wait_for_url(re.compile(rf"/traces/{next_trace}/\?.*#question-{next_question}$"))
    assert "outcome=incorrect" in page.url
    assert page.locator(f"#question-{next_question}.question--current").is_visible()
    page.screenshot(path=artifacts / "browser_next_failure.png")
    page.keyboard.press("k")
    page.wait_for_url(re.compile(rf"/traces/{trace_id}/\?.*#question-{question}$"))
