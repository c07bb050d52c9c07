"""Cohen's kappa, confusion matrices and the verifier's precision and recall (pure)."""

import pytest

from traces.agreement import (
    agreement,
    cohens_kappa,
    confusion_matrix,
    human_decision,
    observed_agreement,
    verifier_accuracy,
)
from traces.excerpt import ANSWER, GOLD, document_excerpt


def _pairs(yes_yes: int, yes_no: int, no_yes: int, no_no: int) -> list[tuple[str, str]]:
    return (
        [("yes", "yes")] * yes_yes
        + [("yes", "no")] * yes_no
        + [("no", "yes")] * no_yes
        + [("no", "no")] * no_no
    )


def test_the_textbook_example_gives_kappa_0_4():
    # Wikipedia's worked example: 50 proposals, p_o = 0.7, p_e = 0.5, kappa = 0.4.
    matrix = confusion_matrix(_pairs(20, 5, 10, 15), labels=["yes", "no"])

    assert matrix.cell("yes", "no") == 5
    assert matrix.total == 50
    assert observed_agreement(matrix) == pytest.approx(0.7)
    assert cohens_kappa(matrix) == pytest.approx(0.4)


@pytest.mark.parametrize(
    ("counts", "kappa"),
    [
        ((45, 15, 25, 15), 0.1304),  # Wikipedia: same p_o = 0.60, unbalanced marginals
        ((25, 35, 5, 35), 0.2593),
        ((10, 0, 0, 10), 1.0),
        ((0, 10, 10, 0), -1.0),
    ],
)
def test_kappa_matches_hand_computed_values(counts, kappa):
    assert cohens_kappa(confusion_matrix(_pairs(*counts))) == pytest.approx(kappa, abs=1e-4)


def test_three_categories():
    # p_o = 6/9; marginals A (3,3,3), B (3,3,3): p_e = 1/3; kappa = (2/3 - 1/3) / (2/3) = 0.5
    pairs = [("a", "a"), ("a", "a"), ("a", "b"), ("b", "b"), ("b", "b"), ("b", "c")]
    pairs += [("c", "c"), ("c", "c"), ("c", "a")]
    assert cohens_kappa(confusion_matrix(pairs)) == pytest.approx(0.5)


def test_all_items_in_one_class_with_perfect_agreement_is_kappa_1():
    matrix = confusion_matrix([("correct", "correct")] * 7, labels=["correct", "incorrect"])

    assert cohens_kappa(matrix) == 1.0
    assert observed_agreement(matrix) == 1.0


def test_one_rater_constant_and_the_other_not_is_kappa_0():
    # p_e = p_o = 0.5 here: kappa is 0 by the formula, no special case needed.
    matrix = confusion_matrix([("correct", "correct"), ("correct", "incorrect")])
    assert cohens_kappa(matrix) == pytest.approx(0.0)


def test_no_items_gives_none_not_an_error():
    result = agreement([], labels=["correct", "incorrect"])

    assert result.kappa is None
    assert result.observed is None
    assert result.items == 0
    assert result.matrix.counts == ((0, 0), (0, 0))


def test_a_label_outside_the_declared_ones_is_refused():
    with pytest.raises(ValueError, match="label outside"):
        confusion_matrix([("correct", "maybe")], labels=["correct", "incorrect"])


def test_precision_and_recall_take_annotators_as_truth_and_set_gold_wrong_apart():
    pairs = (
        [("correct", "correct")] * 6
        + [("correct", "incorrect")] * 2
        + [("incorrect", "correct")] * 3
        + [("incorrect", "incorrect")] * 9
        + [("correct", "gold_wrong"), ("incorrect", "gold_wrong")]
    )
    result = verifier_accuracy(pairs)

    assert (result.true_positive, result.false_positive) == (6, 2)
    assert (result.false_negative, result.true_negative) == (3, 9)
    assert result.gold_wrong == 2
    assert result.items == 20
    assert result.precision == pytest.approx(6 / 8)
    assert result.recall == pytest.approx(6 / 9)
    assert result.accuracy == pytest.approx(15 / 20)


def test_precision_is_undefined_when_the_verifier_accepts_nothing():
    result = verifier_accuracy([("incorrect", "incorrect")])
    assert result.precision is None
    assert result.recall is None


@pytest.mark.parametrize("bad", [("maybe", "correct"), ("correct", "agree")])
def test_verifier_accuracy_refuses_unknown_decisions(bad):
    with pytest.raises(ValueError, match=r"verifier decision must be|is not one of"):
        verifier_accuracy([bad])


@pytest.mark.parametrize(
    ("audit", "verifier", "truth"),
    [
        ("agree", "correct", "correct"),
        ("agree", "incorrect", "incorrect"),
        ("correct", "incorrect", "correct"),
        ("incorrect", "correct", "incorrect"),
        ("gold_wrong", "correct", "gold_wrong"),
    ],
)
def test_an_audit_decision_reads_as_a_truth(audit, verifier, truth):
    assert human_decision(audit, verifier) == truth


def test_human_decision_refuses_an_unknown_audit_decision():
    with pytest.raises(ValueError, match="unknown audit decision 'delete'"):
        human_decision("delete", "correct")


# --- the document excerpt ---------------------------------------------------------------------


def test_the_excerpt_marks_gold_and_answer_on_word_edges():
    document = (
        "Intro. " * 100 + "The run lasted 12 hours; batch 112 failed after 38 hours. " + "x " * 300
    )
    excerpt = document_excerpt(document, gold=["12 hours"], answer="38 hours", radius=80)

    marked = [(s.text, s.kind) for s in excerpt.segments if s.kind]
    assert marked == [("12 hours", GOLD), ("38 hours", ANSWER)]
    assert excerpt.starts_mid
    assert excerpt.ends_mid
    assert excerpt.found == (GOLD, ANSWER)


def test_without_a_match_the_excerpt_is_the_documents_opening():
    excerpt = document_excerpt("Short text here.", gold=["absent"], answer=None)

    assert "".join(s.text for s in excerpt.segments) == "Short text here."
    assert excerpt.found == ()
    assert not excerpt.starts_mid
