"""The review page and its forms: who may open and post them (viewers, users without a
role and anonymous visitors change nothing; every form needs its CSRF token), then an
annotator reviewing and publishing a draft through the page and reading its history."""

import re

import pytest
from django.test import Client

from challenges.models import ChallengeEdit
from tests.challenges.review_support import (
    EDIT,
    PUBLIC_ID,
    REVIEW,
    make_draft,
    messages_shown,
    snapshot,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    """A draft challenge made from a paper (three questions, one conflict)."""
    return make_draft()


# --- pages: who may do what -------------------------------------------------------------------


REVIEW_POSTS = [
    (f"{REVIEW}questions/q02/edit/", {f"q02-{k}": v for k, v in EDIT.items()}),
    (f"{REVIEW}questions/q02/drop/", {"reason": "x"}),
    (f"{REVIEW}questions/q02/approve/", {}),
    (
        f"{REVIEW}questions/add/",
        {
            "new-text": "Which trial ran longer?",
            "new-gold_answer": "Trial Beta",
            "new-category": "comparative",
            "new-hops": "2",
            "new-difficulty": "medium",
        },
    ),
    (f"{REVIEW}publish/", {}),
]


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, draft):
    assert client.get(REVIEW)["Location"].startswith("/login/")
    for url, data in REVIEW_POSTS:
        response = client.post(url, data)
        assert response.status_code == 302
        assert response["Location"].startswith("/login/")
    assert not ChallengeEdit.objects.exists()


@pytest.mark.parametrize("persona", ["viewer", "outsider"])
def test_viewers_and_users_without_a_role_can_neither_open_nor_edit(
    client, request, draft, persona
):
    client.force_login(request.getfixturevalue(persona))
    before = snapshot(draft)
    assert client.get(REVIEW).status_code == 403
    for url, data in REVIEW_POSTS:
        assert client.post(url, data).status_code == 403, url
    assert snapshot(draft) == before


def test_review_forms_need_their_csrf_token(draft, annotator):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(annotator)
    before = snapshot(draft)
    for url, data in REVIEW_POSTS:
        assert browser.post(url, data).status_code == 403, url
    assert snapshot(draft) == before

    page = browser.get(REVIEW).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = browser.post(
        f"{REVIEW}questions/q02/approve/", {"csrfmiddlewaretoken": token}, follow=True
    )
    assert response.status_code == 200
    assert draft.questions.get(question_id="q02").approved_at is not None


def test_a_missing_challenge_is_404_for_annotators(annotator_client, db):
    assert annotator_client.get("/challenges/dacr-nope/review/").status_code == 404
    assert annotator_client.post("/challenges/dacr-nope/review/publish/").status_code == 404


# --- pages: what an annotator sees and does -------------------------------------------------


def test_the_review_page_shows_the_parsed_paper_beside_the_questions(annotator_client, draft):
    response = annotator_client.get(REVIEW)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Table 2: Yields by trial" in page
    assert "1.1</span> Catalysts" in page
    assert "Trial Alpha reached a yield of 42.5 percent" in page
    for question in draft.questions.all():
        assert question.text in page
    assert "0 of 3 questions approved" in page
    assert page.count('name="csrfmiddlewaretoken"') >= 1 + 3 * 3  # publish, add, per question


def test_an_annotator_edits_drops_adds_approves_and_publishes_through_the_page(
    annotator_client, draft
):
    def post(url, data):
        response = annotator_client.post(url, data, follow=True)
        assert response.status_code == 200
        return messages_shown(response)

    assert post(f"{REVIEW}questions/q02/edit/", {f"q02-{k}": v for k, v in EDIT.items()}) == [
        "q02 saved; approve it again when it is right."
    ]
    assert post(f"{REVIEW}questions/q03/drop/", {"reason": "too easy"}) == ["q03 dropped."]
    assert post(REVIEW_POSTS[3][0], REVIEW_POSTS[3][1]) == [
        "Question added; approve it when it is right."
    ]
    assert post(f"{REVIEW}publish/", {}) == ["3 question(s) not approved yet: q01, q02, q04"]
    for question_id in ("q01", "q02", "q04"):
        assert post(f"{REVIEW}questions/{question_id}/approve/", {}) == [f"{question_id} approved."]
    assert post(f"{REVIEW}publish/", {"reason": "all checked"}) == [
        f"{PUBLIC_ID} v1.0 is published and can no longer change."
    ]

    draft.refresh_from_db()
    assert draft.status == "published"
    q02 = draft.questions.get(question_id="q02")
    assert (q02.text, q02.category, q02.difficulty) == (EDIT["text"], "conflict_resolution", "hard")
    assert q02.aliases == ["42.5%", "42.5"]

    page = annotator_client.get(REVIEW).content.decode()
    assert "it is frozen and every edit is refused" in page
    assert "clearer wording" in page
    assert "too easy" in page
    assert "all checked" in page
    assert page.count("<td>anna</td>") == 7  # edit, drop, add, three approvals, publish
    assert 'action="/challenges/' not in page.split("Edit history")[0].split("Publication")[1]

    # The frozen challenge refuses a late edit with a clear message.
    messages = post(f"{REVIEW}questions/q02/edit/", {f"q02-{k}": v for k, v in EDIT.items()})
    assert messages == [
        f"{PUBLIC_ID} v1.0 is published; its content cannot change (make a new version instead)"
    ]


def test_an_invalid_edit_form_is_shown_again_with_its_errors(annotator_client, draft):
    data = {f"q02-{k}": v for k, v in {**EDIT, "hops": "many", "gold_answer": ""}.items()}
    response = annotator_client.post(f"{REVIEW}questions/q02/edit/", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter a whole number." in page
    assert "This field is required." in page
    assert not ChallengeEdit.objects.exists()
