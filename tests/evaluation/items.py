"""A GradedItem builder for the pure metric, comparison, chart and report tests."""

from evaluation.metrics import GradedItem


def item(challenge="c1", question="q01", correct=True, confidence=0.5, **fields) -> GradedItem:
    """One graded question: a correct, easy, one-hop physics extraction unless told."""
    base = {
        "challenge_id": challenge,
        "question_id": question,
        "category": "direct_extraction",
        "domain": "physics",
        "hops": 1,
        "difficulty": "easy",
        "split": "real",
        "correct": correct,
        "confidence": confidence,
    }
    return GradedItem(**{**base, **fields})
