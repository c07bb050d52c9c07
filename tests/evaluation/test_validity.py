"""The validity report's pure core, on a real 200-challenge suite and on the real mini file."""

from __future__ import annotations

import pytest

from challenges import dacr_format as fmt
from challenges import engine
from evaluation.validity import (
    conflict_positions,
    cue_diversity,
    length_distribution,
    validity_report,
)


@pytest.fixture(scope="module")
def report() -> dict:
    records = [g.record for g in engine.generate_suite(200, 7)]
    return validity_report(records, n_resamples=200)


def test_the_targets_hold_on_a_200_challenge_suite(report):
    targets = {t["name"]: t for t in report["targets"]}
    assert set(targets) == {
        "first_mention CARS",
        "last_mention CARS",
        "first_mention answer accuracy",
        "last_mention answer accuracy",
        "hedge_filter answer accuracy",
        "subordinate-first share",
    }
    assert all(t["met"] for t in targets.values()), targets
    assert report["targets_met"] is True
    assert 0.35 <= report["solvers"]["first_mention"]["cars"] <= 0.65
    assert 0.35 <= report["solvers"]["last_mention"]["cars"] <= 0.65


def test_the_report_covers_solvers_skills_positions_cues_and_lengths(report):
    assert list(report["solvers"]) == ["lexical", "first_mention", "last_mention", "hedge_filter"]
    lexical = report["solvers"]["lexical"]
    assert set(lexical["by_category"]) == set(fmt.CATEGORIES)
    low, high = lexical["ci"]["answer_accuracy"]["low"], lexical["ci"]["answer_accuracy"]["high"]
    assert low <= lexical["answer_accuracy"] <= high
    # The lexical reader is real but weak: it reads single facts, not computations.
    assert lexical["by_category"]["direct_extraction"] > 0.5
    assert lexical["by_category"]["computation"] < 0.2
    assert report["cues"]["distinct_subordinate"] >= 12
    assert report["cues"]["distinct_authoritative"] >= 8
    assert report["cues"]["hedged_sentences_outside_conflicts"] > report["coverage"]["conflicts"]
    assert 1500 <= report["lengths"]["min"] <= report["lengths"]["median"]
    assert report["lengths"]["max"] <= 6000
    assert sum(bucket[2] for bucket in report["lengths"]["histogram"]) == 200
    assert report["coverage"]["challenges"] == 200
    assert set(report["coverage"]["domains"]) == set(engine.DOMAIN_NAMES)


def test_positions_on_the_real_mini_file_are_located_in_the_text(mini_path):
    records = fmt.load_benchmark(mini_path).challenges
    positions = conflict_positions(records)
    assert positions["before"] + positions["after"] + positions["unknown"] == 17
    # The public set plants most statements after the authoritative one.
    assert positions["after"] > positions["before"]
    assert cue_diversity(records)["distinct_subordinate"] == 0


def test_an_empty_suite_gives_an_empty_report_not_an_error():
    assert length_distribution([]) == {"count": 0}
    assert conflict_positions([])["subordinate_first_share"] is None
