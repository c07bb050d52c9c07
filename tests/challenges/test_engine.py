"""The procedural engine: bad input, determinism, shape, conflicts and suite balance.

Pure: no database."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace

import pytest

from challenges import dacr_format as fmt
from challenges import engine
from challenges.engine import cues
from challenges.engine.generate import suite_seeds
from challenges.engine.questions import leaks
from challenges.verify import verify_challenge


@pytest.fixture(scope="module")
def suite() -> list[fmt.ChallengeRecord]:
    return [g.record for g in engine.generate_suite(200, 7)]


# --- bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("domain", "seed", "message"),
    [
        ("astrology", 1, "unknown domain 'astrology'; known domains: physics, economics"),
        ("physics", "abc", "seed must be a non-negative integer, not 'abc'"),
        ("physics", "1.5", "seed must be a non-negative integer, not '1.5'"),
        ("physics", "", "seed must be a non-negative integer, not ''"),
        ("physics", -3, "seed must be a non-negative integer, not -3"),
        ("physics", True, "seed must be a non-negative integer, not a boolean"),
        ("physics", "١٢", "seed must be a non-negative integer"),
        ("physics", "9" * 81, "seed has more than 80 digits"),
    ],
)
def test_it_refuses_bad_challenge_input_with_one_line(domain, seed, message):
    with pytest.raises(engine.EngineError) as caught:
        engine.generate_challenge(domain, seed)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("count", "domains", "message"),
    [
        (0, None, "count must be a positive integer, not 0"),
        (-4, None, "count must be a positive integer, not -4"),
        (10**9, None, "count 1,000,000,000 is over the cap of 5,000 challenges per suite"),
        ("12", None, "count must be a positive integer, not '12'"),
        (3, ["physics", "alchemy"], "unknown domain 'alchemy'"),
        (3, ["physics", "physics"], "a domain is listed twice"),
    ],
)
def test_it_refuses_bad_suite_requests_before_generating(count, domains, message):
    with pytest.raises(engine.EngineError, match=message):
        suite_seeds(count, 7, domains)


def test_a_seed_wider_than_64_bits_is_accepted_and_kept_exactly():
    seed = "315162854152001501857296811462525977818"
    record = engine.generate_challenge("physics", seed).record
    assert record.engine_seed == seed


# --- reproducibility ------------------------------------------------------------------------


def test_the_same_domain_and_seed_give_a_byte_identical_challenge():
    first = engine.generate_challenge("chemistry", 42).record
    second = engine.generate_challenge("chemistry", "42").record

    def dump(record: fmt.ChallengeRecord) -> str:
        return json.dumps(fmt.challenge_to_dict(record), sort_keys=True)

    assert dump(first) == dump(second)
    assert fmt.content_hash(first) == fmt.content_hash(second)


def test_other_seeds_give_other_documents_and_ids():
    a = engine.generate_challenge("economics", 1).record
    b = engine.generate_challenge("economics", 2).record
    assert a.document_text != b.document_text
    assert a.challenge_id != b.challenge_id
    assert a.challenge_id.startswith("dacr-syn-economics-")


def test_every_challenge_records_the_engine_version_and_its_verification():
    record = engine.generate_challenge("medicine", 3).record
    assert record.engine_version == engine.ENGINE_VERSION
    assert record.metadata["engineVersion"] == engine.ENGINE_VERSION
    assert record.metadata["verification"]["passed"] is True
    assert record.split == "synthetic"
    assert record.source_type == "engine"


# --- what a challenge is made of -----------------------------------------------------------


@pytest.mark.parametrize("domain", engine.DOMAIN_NAMES)
def test_each_domain_writes_a_verified_technical_report(domain):
    generated = engine.generate_challenge(domain, 11)
    record = generated.record
    assert generated.report["passed"], generated.report
    assert 1500 <= record.word_count <= 6000
    assert len(record.sections) >= 6
    assert record.document_text.startswith(record.metadata["title"])
    entities = {f.entity for f in record.facts}
    assert 8 <= len(entities) <= 20
    assert len(record.questions) == 10
    assert len({q.category for q in record.questions}) >= 5
    assert 1 <= len(record.conflicts) <= 3
    # Every surface form appears: narrative, key–value lines, a table, series, parentheses.
    text = record.document_text
    assert "\n| " in text
    assert "|---|" in text
    assert "Key figures for " in text
    assert " respectively (" in text or " in Q" in text or " in 20" in text
    assert "as its" in text


def test_questions_carry_gold_aliases_and_a_chain_computed_from_the_table():
    record = engine.generate_challenge("physics", 5).record
    facts = {f.fact_id: f for f in record.facts}
    for question in record.questions:
        assert question.gold_answer
        assert not leaks(question.text, question.gold_answer)
        chain = question.reasoning_chain
        assert chain[-1]["action"] == "answer"
        assert chain[-1]["result"] == question.gold_answer
        for step in chain:
            if step.get("factId"):
                assert step["factId"] in facts
                assert step["note"] == facts[step["factId"]].quote
        assert question.extra["program"]["op"]
        # Every chain names a fact, so a citation can be graded on every question.
        assert any(step.get("factId") for step in chain)
        assert question.difficulty in ("easy", "medium", "hard")


def test_conflict_questions_are_answered_with_the_authoritative_value():
    for seed in range(6):
        record = engine.generate_challenge("materials_science", seed).record
        conflicts = {c.conflict_id: c for c in record.conflicts}
        targeted = [q for q in record.questions if q.conflict_id]
        assert targeted
        for question in targeted:
            conflict = conflicts[question.conflict_id]
            assert float(question.gold_answer) == float(conflict.authoritative_value)
            assert float(question.gold_answer) != float(conflict.conflicting_value)
            assert any(step["action"] == "resolve" for step in question.reasoning_chain)


def test_planted_values_are_not_confusable_with_the_true_ones():
    from traces.grading.jscompat import js_string

    for seed in range(40):
        for conflict in engine.generate_challenge("climate_science", seed).record.conflicts:
            right, wrong = float(conflict.authoritative_value), float(conflict.conflicting_value)
            assert abs(right - wrong) > 0.05 * abs(right)
            # As the public scorer spells them (JavaScript's String(): 1.0 → "1").
            right_text, wrong_text = (
                js_string(conflict.authoritative_value),
                js_string(conflict.conflicting_value),
            )
            assert right_text not in wrong_text
            assert wrong_text not in right_text


# --- over a suite ----------------------------------------------------------------------------


def test_a_suite_covers_every_domain_and_skill_evenly(suite):
    assert {r.domain for r in suite} == set(engine.DOMAIN_NAMES)
    skills = Counter(q.category for r in suite for q in r.questions)
    assert set(skills) == set(fmt.CATEGORIES)
    assert max(skills.values()) - min(skills.values()) <= 0.15 * max(skills.values())
    hops = Counter(min(q.hops, 4) for r in suite for q in r.questions)
    assert all(hops[h] > 0 for h in (1, 2, 3, 4))
    assert {q.difficulty for r in suite for q in r.questions} == {"easy", "medium", "hard"}
    assert all(r.conflicts for r in suite)


def test_position_does_not_give_the_conflict_away(suite):
    positions = Counter(c.extra["subordinatePosition"] for r in suite for c in r.conflicts)
    share = positions["before"] / (positions["before"] + positions["after"])
    assert 0.40 <= share <= 0.60
    # …and the recorded position is the true one.
    for record in suite[:40]:
        quotes = {f.fact_id: f.quote for f in record.facts}
        for conflict in record.conflicts:
            sub = record.document_text.index(conflict.subordinate_text)
            auth = record.document_text.index(quotes[conflict.target_fact_id])
            assert (sub < auth) == (conflict.extra["subordinatePosition"] == "before")


def test_cues_are_diverse_and_hedge_words_also_appear_outside_conflicts(suite):
    subordinate = {c.extra["subordinateCue"] for r in suite for c in r.conflicts}
    authoritative = {c.extra["authoritativeCue"] for r in suite for c in r.conflicts}
    assert len(subordinate) >= 12
    assert len(authoritative) >= 8
    assert all(cues.CUES[k].authority == cues.SUBORDINATE for k in subordinate)
    decoys = {d for cue in cues.SUBORDINATE_CUES for d in cue.decoys}
    cued_templates = [t.split("{")[0] for cue in cues.SUBORDINATE_CUES for t in cue.templates]
    with_decoys = sum(any(d in r.document_text for d in decoys) for r in suite)
    assert with_decoys == len(suite)
    # Some true facts are stated only once, with a lower-authority cue.
    planted = {c.subordinate_text for r in suite for c in r.conflicts}
    single_cued = [
        f.quote
        for r in suite[:50]
        for f in r.facts
        if f.quote not in planted and any(f.quote.startswith(p) and p for p in cued_templates)
    ]
    assert single_cued


def test_every_challenge_of_a_suite_passes_verification(suite):
    assert all(r.metadata["verification"]["passed"] for r in suite)


# --- the verifier catches broken challenges ---------------------------------------------------


@pytest.fixture(scope="module")
def sound():
    return engine.generate_challenge("biology", 21).record


def _failed(record) -> set[str]:
    library = engine.get_library(record.engine_domain)
    return {c.name for c in verify_challenge(record, library).checks if not c.passed}


def test_the_verifier_passes_a_sound_challenge(sound):
    assert _failed(sound) == set()


def test_it_fails_a_challenge_whose_authoritative_statement_is_missing(sound):
    conflict = sound.conflicts[0]
    quote = conflict.extra["authoritativeText"]
    broken = replace(sound, document_text=sound.document_text.replace(quote, ""))
    assert {"conflicts_present", "resolver_agrees"} <= _failed(broken)


def test_it_fails_a_wrong_gold_answer(sound):
    question = sound.questions[0]
    wrong = replace(question, gold_answer=question.gold_answer + "1")
    broken = replace(sound, questions=(wrong, *sound.questions[1:]))
    assert "resolver_agrees" in _failed(broken)


def test_it_fails_a_question_that_contains_its_answer(sound):
    question = sound.questions[0]
    leaking = replace(question, text=f"{question.text} (hint: {question.gold_answer})")
    broken = replace(sound, questions=(leaking, *sound.questions[1:]))
    assert "no_answer_leak" in _failed(broken)


def test_it_fails_a_computation_that_does_not_re_evaluate(sound):
    index, question = next(
        (i, q)
        for i, q in enumerate(sound.questions)
        if any(s["action"] == "compute" for s in q.reasoning_chain)
    )
    steps = [dict(s) for s in question.reasoning_chain]
    next(s for s in steps if s["action"] == "compute")["result"] = "999999"
    questions = list(sound.questions)
    questions[index] = replace(question, reasoning_chain=tuple(steps))
    assert "computations_reevaluate" in _failed(replace(sound, questions=tuple(questions)))


def test_it_fails_a_planted_statement_without_its_value(sound):
    conflict = sound.conflicts[0]
    broken_conflict = replace(conflict, subordinate_text="Nothing to see here.")
    broken = replace(sound, conflicts=(broken_conflict, *sound.conflicts[1:]))
    assert "conflicts_present" in _failed(broken)


def test_it_fails_a_tie_the_text_introduces(sound):
    """Give the argmax winner's runner-up the winner's value: the reader sees a tie."""
    program = next(
        q.extra["program"]
        for q in sound.questions
        if q.extra["program"]["op"] == "extreme"
        and not q.extra["program"].get("where")
        and not q.extra["program"].get("among")
    )
    library = engine.get_library(sound.engine_domain)
    key = program["key"]
    period = program.get("period")
    attribute = f"{key} {period}" if period else key
    facts = sorted(
        (f for f in sound.facts if f.attribute == attribute),
        key=lambda f: f.value,
        reverse=program["direction"] == "max",
    )
    winner, runner_up = facts[0], facts[1]
    from challenges.engine.forms import number_text

    decimals = library.attribute(key).decimals
    old = number_text(runner_up.value, decimals, grouped=False)
    new = number_text(winner.value, decimals, grouped=False)
    tampered_quote = runner_up.quote.replace(old, new)
    text = sound.document_text.replace(runner_up.quote, tampered_quote)
    assert "unique_extremes" in _failed(replace(sound, document_text=text))


def test_the_formula_evaluator_refuses_anything_but_arithmetic():
    from challenges.verify import evaluate_formula

    assert evaluate_formula("(3 - 1) / 4 * 100") == 50.0
    assert evaluate_formula("(5.5 > 3) + (1 > 3)") == 1.0
    for hostile in ("__import__('os').system('true')", "x + 1", "2 ** 999999", "[1][0]"):
        with pytest.raises(ValueError, match="unsupported expression"):
            evaluate_formula(hostile)
