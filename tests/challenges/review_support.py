"""What the review tests share: a draft challenge made from a paper, and a snapshot of
everything a review step could change."""

from challenges.models import Challenge, ChallengeEdit, Paper, Question
from challenges.services import review_question_approve
from tests.factories import challenge_dict, import_challenges

PUBLIC_ID = "dacr-paper-0123456789ab"
REVIEW = f"/challenges/{PUBLIC_ID}/review/"
PARSED = {
    "metadata": {"title": "Reactor Trials", "authors": ["A. Author"], "page_count": 2},
    "sections": [
        {"index": 0, "number": "1", "title": "Results", "level": 1, "parent": None},
        {"index": 1, "number": "1.1", "title": "Catalysts", "level": 2, "parent": 0},
    ],
    "blocks": [
        {"index": 0, "kind": "heading", "text": "1 Results", "page": 1, "section": 0},
        {
            "index": 1,
            "kind": "paragraph",
            "text": "Trial Alpha reached a yield of 42.5 percent at steady state.",
            "page": 1,
            "section": 0,
        },
    ],
    "tables": [
        {
            "index": 0,
            "caption": "Table 2: Yields by trial",
            "rows": [["Trial", "Yield"], ["Alpha", "42.5"], ["Beta", "37.0"]],
            "page": 2,
            "section": 0,
            "has_header": True,
        }
    ],
    "warnings": [],
}
EDIT = {
    "text": "What steady-state yield did Trial Alpha reach?",
    "gold_answer": "42.5 percent",
    "aliases": "42.5%\n42.5",
    "category": "conflict_resolution",
    "difficulty": "hard",
    "hops": "1",
    "reason": "clearer wording",
}


def make_draft() -> Challenge:
    """A draft challenge made from a paper (three questions, one conflict)."""
    import_challenges(challenge_dict(PUBLIC_ID), suite="")
    paper = Paper.objects.create(
        sha256="ab" * 32,
        file="papers/x.pdf",
        original_name="reactor.pdf",
        size_bytes=1234,
        title="Reactor Trials",
        status=Paper.Status.VERIFIED,
        parsed=PARSED,
    )
    Challenge.objects.filter(public_id=PUBLIC_ID).update(status="draft", paper=paper)
    return Challenge.objects.get(public_id=PUBLIC_ID)


def snapshot(challenge: Challenge):
    challenge.refresh_from_db()
    questions = list(
        Question.objects.filter(challenge=challenge).values_list(
            "question_id", "text", "gold_answer", "aliases", "category", "approved_at"
        )
    )
    return challenge.status, challenge.content_hash, questions, ChallengeEdit.objects.count()


def approve_all(challenge: Challenge, author) -> None:
    for question_id in challenge.questions.values_list("question_id", flat=True):
        review_question_approve(challenge=challenge, question_id=question_id, author=author)


def messages_shown(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]
