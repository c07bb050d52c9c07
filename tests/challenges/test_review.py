"""Reviewing a draft challenge through the services: refused steps first (a published
challenge is frozen, bad edits, unapproved questions, failing checks), then a whole review
with every step in the history. The pages are in ``test_review_views.py``."""

import pytest

from challenges.models import Challenge, ChallengeEdit
from challenges.services import (
    ChallengeImmutableError,
    ReviewRefused,
    review_publish,
    review_question_add,
    review_question_approve,
    review_question_drop,
    review_question_edit,
)
from tests.challenges.review_support import PUBLIC_ID, approve_all, make_draft, snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    """A draft challenge made from a paper (three questions, one conflict)."""
    return make_draft()


# --- refused steps: one clear line, nothing changes -----------------------------------------


def test_every_step_on_a_published_challenge_is_refused_and_changes_nothing(draft, annotator):
    approve_all(draft, annotator)
    review_publish(challenge=draft, author=annotator)
    before = snapshot(draft)
    steps = [
        lambda: review_question_edit(
            challenge=draft,
            question_id="q02",
            author=annotator,
            text="How long?",
            gold_answer="12 hours",
            aliases=[],
            category="direct_extraction",
            difficulty="easy",
            hops=1,
        ),
        lambda: review_question_drop(challenge=draft, question_id="q02", author=annotator),
        lambda: review_question_add(
            challenge=draft,
            author=annotator,
            text="Which trial ran longest?",
            gold_answer="Trial Beta",
            category="comparative",
            hops=2,
        ),
        lambda: review_question_approve(challenge=draft, question_id="q02", author=annotator),
        lambda: review_publish(challenge=draft, author=annotator),
    ]
    for step in steps:
        with pytest.raises(ChallengeImmutableError, match=f"{PUBLIC_ID} v1.0 is published"):
            step()
    assert snapshot(draft) == before


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"text": "  "}, "the question text cannot be empty"),
        ({"gold_answer": ""}, "the gold answer cannot be empty"),
        ({"category": "astrology"}, "unknown category 'astrology'"),
        ({"difficulty": "brutal"}, "unknown difficulty 'brutal'"),
        ({"hops": 0}, "hops must be a whole number from 1 to 10, not 0"),
        ({"hops": True}, "hops must be a whole number from 1 to 10, not True"),
        ({"text": "Did Trial Beta run for 12 hours?"}, "the question contains its own gold"),
        ({}, "q02 is unchanged: nothing to record"),
    ],
)
def test_a_bad_edit_is_refused_with_one_line_and_changes_nothing(
    draft, annotator, changes, message
):
    question = draft.questions.get(question_id="q02")
    fields = {
        "text": question.text,
        "gold_answer": question.gold_answer,
        "aliases": question.aliases,
        "category": question.category,
        "difficulty": question.difficulty,
        "hops": question.hops,
        **changes,
    }
    before = snapshot(draft)
    with pytest.raises(ReviewRefused, match=message):
        review_question_edit(challenge=draft, question_id="q02", author=annotator, **fields)
    assert snapshot(draft) == before


def test_publishing_needs_every_question_approved_and_at_least_one(draft, annotator):
    review_question_approve(challenge=draft, question_id="q01", author=annotator)
    with pytest.raises(ReviewRefused, match="2 question\\(s\\) not approved yet: q02, q03"):
        review_publish(challenge=draft, author=annotator)
    for question_id in ("q01", "q02", "q03"):
        review_question_drop(challenge=draft, question_id=question_id, author=annotator)
    with pytest.raises(ReviewRefused, match="needs at least one question"):
        review_publish(challenge=draft, author=annotator)
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_publishing_refuses_a_draft_whose_content_checks_fail(draft, annotator):
    # The planted statement no longer carries its conflicting value.
    conflict = draft.conflicts.get()
    conflict.subordinate_text = "Something else entirely."
    conflict.save()
    approve_all(draft, annotator)
    with pytest.raises(ReviewRefused, match="verification failed: conflicts_present"):
        review_publish(challenge=draft, author=annotator)
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert not ChallengeEdit.objects.filter(action="publish").exists()


def test_an_edited_question_needs_approving_again(draft, annotator):
    approve_all(draft, annotator)
    review_question_edit(
        challenge=draft,
        question_id="q02",
        author=annotator,
        text="For how many hours did Trial Beta run?",
        gold_answer="12 hours",
        aliases=["12"],
        category="direct_extraction",
        difficulty="easy",
        hops=1,
    )
    with pytest.raises(ReviewRefused, match="1 question\\(s\\) not approved yet: q02"):
        review_publish(challenge=draft, author=annotator)
    with pytest.raises(ReviewRefused, match="q01 is already approved"):
        review_question_approve(challenge=draft, question_id="q01", author=annotator)


def test_an_unknown_question_or_conflict_is_named(draft, annotator):
    with pytest.raises(ReviewRefused, match=f"{PUBLIC_ID} has no question 'q99'"):
        review_question_drop(challenge=draft, question_id="q99", author=annotator)
    with pytest.raises(ReviewRefused, match=f"{PUBLIC_ID} has no conflict 't9'"):
        review_question_add(
            challenge=draft,
            author=annotator,
            text="Which yield is right?",
            gold_answer="42.5",
            category="conflict_resolution",
            hops=1,
            conflict_id="t9",
        )


# --- the whole review through the services ------------------------------------------------


def test_an_annotator_reviews_and_publishes_and_every_step_is_recorded(draft, annotator):
    review_question_edit(
        challenge=draft,
        question_id="q02",
        author=annotator,
        text="For how many hours did Trial Beta run?",
        gold_answer="12 hours",
        aliases=["12", "twelve hours", "12"],
        category="direct_extraction",
        difficulty="medium",
        hops=1,
        reason="clearer",
    )
    review_question_drop(challenge=draft, question_id="q03", author=annotator, reason="trivial")
    added = review_question_add(
        challenge=draft,
        author=annotator,
        text="Which trial is reported with the higher yield?",
        gold_answer="Trial Alpha",
        category="comparative",
        hops=2,
        difficulty="hard",
        aliases=["Alpha"],
    )
    assert added.question_id == "q04"  # never q03 again: the history names the dropped one
    assert added.source_category == "comparative"
    approve_all(draft, annotator)
    hash_before = Challenge.objects.get(pk=draft.pk).content_hash

    published = review_publish(challenge=draft, author=annotator, reason="checked")

    assert published.status == "published"
    assert published.verification_report["checks"]
    assert {c["name"] for c in published.verification_report["checks"]} >= {
        "facts_stated",
        "conflicts_present",
        "no_answer_leak",
    }
    assert published.content_hash == hash_before
    assert list(published.questions.values_list("question_id", flat=True)) == [
        "q01",
        "q02",
        "q04",
    ]
    q02 = published.questions.get(question_id="q02")
    assert q02.aliases == ["12", "twelve hours"]
    history = list(ChallengeEdit.objects.filter(challenge=draft).order_by("pk"))
    assert [(e.action, e.question_id) for e in history] == [
        ("edit", "q02"),
        ("drop", "q03"),
        ("add", "q04"),
        ("approve", "q01"),
        ("approve", "q02"),
        ("approve", "q04"),
        ("publish", ""),
    ]
    assert all(e.author == annotator for e in history)
    assert history[0].before["text"] == "How long did Trial Beta run?"
    assert history[0].after["text"] == "For how many hours did Trial Beta run?"
    assert history[0].reason == "clearer"
    assert history[1].before["gold_answer"] == "3"
    assert history[1].after == {}
    assert history[-1].after["status"] == "published"


def test_each_edit_refreshes_the_content_hash(draft, annotator):
    before = draft.content_hash
    review_question_drop(challenge=draft, question_id="q03", author=annotator)
    draft.refresh_from_db()
    assert draft.content_hash != before
