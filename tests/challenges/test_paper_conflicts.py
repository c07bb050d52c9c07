"""Planted conflicts in real papers: placement, balance, cues and plausible, distinct values.

Pure: no database."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from challenges.conflicts import PAPER_TEMPLATES, plant_conflicts, planted_value
from challenges.engine import cues
from challenges.facts import PaperFact, PaperTooThin, extract_facts, restates, root_section
from challenges.paper_text import distinguishable, read_number, spellings
from tests.challenges.paper_fixtures import Part, epi_paper, ml_paper, paper_from_outline

PAPERS = {"ml": ml_paper(), "epi": epi_paper(), "epi-no-tables": epi_paper(with_tables=False)}
FACTS = {name: extract_facts(paper) for name, paper in PAPERS.items()}


def _plant(name: str, seed: int, count: int = 3):
    return plant_conflicts(PAPERS[name], FACTS[name], rng=random.Random(seed), count=count)


@pytest.fixture(scope="module")
def plantings():
    """(paper name, planted paper, conflicts) over 200 seeds, one to three conflicts each."""
    found = []
    for seed in range(200):
        name = ("ml", "epi", "epi-no-tables")[seed % 3]
        found.append((name, *_plant(name, seed, count=1 + seed % 3)))
    return found


# --- hostile and edge input ------------------------------------------------------------------


@pytest.mark.parametrize("count", [0, 4, -1])
def test_a_count_outside_one_to_three_is_refused(count):
    with pytest.raises(ValueError, match="count must be 1 to 3"):
        _plant("ml", 0, count=count)


def test_a_paper_without_numbers_cannot_carry_a_conflict():
    paper = paper_from_outline(
        title="Prose",
        authors=["A"],
        parts=[
            Part("1", "One", ["Words only here, nothing else."]),
            Part("2", "Two", ["More words, still nothing."]),
        ],
    )
    with pytest.raises(PaperTooThin, match="no unambiguous number"):
        plant_conflicts(paper, extract_facts(paper), rng=random.Random(0), count=1)


def test_a_one_section_paper_has_nowhere_else_to_plant():
    text = "We evaluate the method on six challenging image datasets. " * 5
    paper = paper_from_outline(title="One", authors=["A"], parts=[Part("1", "Only", [text, text])])
    with pytest.raises(PaperTooThin, match="no paragraph in another section"):
        plant_conflicts(paper, extract_facts(paper), rng=random.Random(0), count=2)


def test_an_ambiguous_number_is_never_restated():
    text = (
        "At first the incubation period is assumed to be 2 days. Elsewhere the "
        "incubation period is assumed to be 3 days. "
    ) * 2
    other = "This section discusses the limitations of the approach at some length. " * 3
    paper = paper_from_outline(
        title="Amb", authors=["A"], parts=[Part("1", "A", [text]), Part("2", "B", [other])]
    )
    with pytest.raises(PaperTooThin):
        plant_conflicts(paper, extract_facts(paper), rng=random.Random(0), count=1)


# --- placement -------------------------------------------------------------------------------


def test_each_sentence_ends_a_paragraph_of_another_section(plantings):
    for name, planted, conflicts in plantings:
        original = PAPERS[name]
        facts = {f.fact_id: f for f in FACTS[name]}
        assert len({c.block for c in conflicts}) == len(conflicts)
        assert len({c.fact_id for c in conflicts}) == len(conflicts)
        for conflict in conflicts:
            fact = facts[conflict.fact_id]
            host = original.blocks[conflict.block]
            assert host.kind == "paragraph"
            assert host.text.rstrip().endswith(".")
            assert (
                planted.blocks[conflict.block].text
                == f"{host.text.rstrip()} {conflict.subordinate_text}"
            )
            assert root_section(original, host.section) != root_section(original, fact.section)
            assert (conflict.block < fact.block) == (conflict.position == "before")
            sentence = conflict.subordinate_text
            assert sentence[0].isupper()
            assert sentence.endswith(".")
            assert sentence.count(". ") == 0
        untouched = {c.block for c in conflicts}
        for block, before in zip(planted.blocks, original.blocks, strict=True):
            assert block.index in untouched or block == before


def test_one_quantity_carries_at_most_one_conflict_however_it_is_written(plantings):
    for name, _, conflicts in plantings:
        facts = {f.fact_id: f for f in FACTS[name]}
        targets = [facts[c.fact_id] for c in conflicts]
        for i, first in enumerate(targets):
            assert not any(restates(first, second) for second in targets[i + 1 :])


def test_the_first_conflict_is_a_coin_flip_and_the_next_ones_alternate(plantings):
    positions = [c.position for _, _, conflicts in plantings for c in conflicts]
    share = positions.count("before") / len(positions)
    assert len(positions) >= 200
    assert 0.40 <= share <= 0.60, share
    firsts = Counter(conflicts[0].position for _, _, conflicts in plantings)
    assert 0.40 <= firsts["before"] / len(plantings) <= 0.60


def test_cues_come_from_the_engine_vocabulary(plantings):
    keys = {cue.key for cue in cues.SUBORDINATE_CUES}
    assert set(PAPER_TEMPLATES) <= keys
    used = Counter(c.subordinate_cue for _, _, conflicts in plantings for c in conflicts)
    assert set(used) <= keys
    assert len(used) >= 8
    for _, _, conflicts in plantings:
        for conflict in conflicts:
            assert conflict.authoritative_cue in ("paper's own statement", "results_table")


# --- values ----------------------------------------------------------------------------------


def test_planted_values_are_plausible_distinct_and_written_like_the_paper(plantings):
    for name, _, conflicts in plantings:
        facts = {f.fact_id: f for f in FACTS[name]}
        for conflict in conflicts:
            fact = facts[conflict.fact_id]
            true, wrong = read_number(fact.value_text), read_number(conflict.conflicting_text)
            assert wrong is not None
            assert (wrong.decimals, wrong.word) == (true.decimals, true.word)
            assert distinguishable(true, wrong)
            assert not any(a in b or b in a for a in spellings(true) for b in spellings(wrong))
            off = abs(float(wrong.value) - float(true.value))
            if true.is_int and true.value < 20:
                assert 1 <= off <= 3
            else:
                assert 0.08 <= off / abs(float(true.value)) <= 0.35
            assert conflict.conflicting_text in conflict.subordinate_text
            assert conflict.conflicting_value == wrong.value


def _fact(text: str, unit: str = "", kind: str = "result") -> PaperFact:
    number = read_number(text)
    return PaperFact("f001", kind, "x", "y", number.value, unit, 0, 0, text, text)


@pytest.mark.parametrize("text", ["0.705", "0.859", "1.5", "11.5", "0.5", "6,181", "23.4", "2"])
def test_a_planted_number_never_contains_the_true_one(text):
    true = read_number(text)
    for seed in range(300):
        wrong = planted_value(random.Random(seed), _fact(text), true)
        if wrong is None:
            continue
        assert distinguishable(
            true, read_number(str(wrong) if true.is_int else f"{wrong:.{true.decimals}f}")
        )


def test_scores_stay_below_one_and_percentages_below_a_hundred():
    for seed in range(300):
        assert planted_value(random.Random(seed), _fact("0.950"), read_number("0.950")) < 1
        assert planted_value(random.Random(seed), _fact("92.0", "%"), read_number("92.0")) <= 100


def test_small_counts_move_by_one_to_three_and_stay_plural():
    for seed in range(200):
        wrong = planted_value(random.Random(seed), _fact("two", kind="count"), read_number("two"))
        assert wrong in (3, 4, 5)


def test_planting_is_deterministic_for_a_seed():
    assert _plant("ml", 11) == _plant("ml", 11)
    assert _plant("ml", 11) != _plant("ml", 12)
