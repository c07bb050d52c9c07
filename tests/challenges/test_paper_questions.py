"""Questions for real papers, and the whole draft challenge: skills, leaks, computations,
chains, determinism, the verification report, and the two real PDFs.

Pure: no database."""

from __future__ import annotations

import json
import random
from dataclasses import replace

import pytest

from challenges import dacr_format as fmt
from challenges import verify_paper
from challenges.conflicts import plant_conflicts
from challenges.engine.questions import leaks
from challenges.facts import extract_facts
from challenges.paper_challenge import build_paper_challenge
from challenges.questions import write_questions
from challenges.verify import evaluate_formula, verify_challenge
from tests.challenges.paper_fixtures import (
    Part,
    epi_paper,
    ml_paper,
    paper_from_outline,
    real_paper,
)

PAPERS = {
    "ml": ml_paper,
    "epi": epi_paper,
    "ml-no-tables": lambda: ml_paper(with_tables=False),
    "epi-no-tables": lambda: epi_paper(with_tables=False),
}
SEEDS = range(6)


@pytest.fixture(scope="module")
def built():
    """Every fixture paper built with several seeds: {(name, seed): BuiltPaperChallenge}."""
    return {
        (name, seed): build_paper_challenge(make(), challenge_id=f"dacr-{name}", seed=seed)
        for name, make in PAPERS.items()
        for seed in SEEDS
    }


def _questions(built):
    for (name, seed), result in built.items():
        for question in result.record.questions:
            yield name, seed, result, question


# --- hostile and edge input ------------------------------------------------------------------


def test_a_paper_with_almost_nothing_to_ask_gives_fewer_questions_without_crashing():
    text = (
        "We evaluate the method on six challenging image datasets and report an NMI of "
        "0.705 on CIFAR-10. "
    ) + "Plain words follow to make up the length of a paper. " * 30
    other = "The discussion has no numbers at all, only words about the method. " * 10
    paper = paper_from_outline(
        title="Thin", authors=["A"], parts=[Part("1", "One", [text]), Part("2", "Two", [other])]
    )
    result = build_paper_challenge(paper, challenge_id="dacr-thin")
    assert not result.report.passed
    assert any("questions, expected 10" in f or "skills" in f for f in result.report.failures)
    assert result.record.metadata["verification"]["passed"] is False


@pytest.mark.parametrize("seed", range(5))
def test_a_paper_without_tables_falls_back_on_text_facts_for_five_skills(seed):
    paper = ml_paper(with_tables=False)
    facts = extract_facts(paper)
    rng = random.Random(seed)
    planted, conflicts = plant_conflicts(paper, facts, rng=rng, count=1)
    questions = write_questions(planted, facts, conflicts, rng=rng)
    assert len(questions) == 10
    assert len({q.category for q in questions}) >= 5
    assert not any("Table" in q.text for q in questions)


def test_a_built_challenge_survives_a_unicode_heavy_paper():
    paper = ml_paper()
    blocks = tuple(
        replace(b, text=b.text.replace("fi", "ﬁ").replace("-", "\u2011")) for b in paper.blocks
    )
    result = build_paper_challenge(replace(paper, blocks=blocks), challenge_id="dacr-unicode")
    assert result.record.questions


# --- skills, answers, chains -----------------------------------------------------------------


def test_ten_questions_over_at_least_five_skills_with_one_to_three_conflicts(built):
    for (name, seed), result in built.items():
        record = result.record
        assert len(record.questions) == 10, (name, seed)
        assert len({q.category for q in record.questions}) >= 5, (name, seed)
        assert 1 <= len(record.conflicts) <= 3
        targeted = {q.conflict_id for q in record.questions if q.conflict_id}
        assert targeted == {c.conflict_id for c in record.conflicts}


def test_papers_with_tables_use_all_seven_skills_somewhere(built):
    for name in ("ml", "epi"):
        skills = {
            q.category for (n, _), r in built.items() if n == name for q in r.record.questions
        }
        assert skills == set(fmt.CATEGORIES), name


def test_no_question_contains_its_answer_or_an_alias(built):
    for _, _, _, question in _questions(built):
        for answer in (question.gold_answer, *question.aliases):
            assert not leaks(question.text, answer), (question.text, answer)


def test_computations_record_a_formula_that_re_evaluates_to_the_gold(built):
    computed = 0
    for _, _, _, question in _questions(built):
        steps = [s for s in question.reasoning_chain if s["action"] == "compute"]
        for step in steps:
            decimals = len(step["result"].split(".")[1]) if "." in step["result"] else 0
            assert f"{evaluate_formula(step['formula']):.{decimals}f}" == step["result"]
        if question.category == "computation":
            computed += 1
            assert steps
            assert steps[-1]["result"] == question.gold_answer
    assert computed >= len(SEEDS) * len(PAPERS)


def test_chain_lookups_name_a_fact_and_quote_it(built):
    for _, _, result, question in _questions(built):
        facts = {f.fact_id: f for f in result.record.facts}
        chain = question.reasoning_chain
        assert [s["step"] for s in chain] == list(range(1, len(chain) + 1))
        assert chain[-1]["action"] == "answer"
        assert chain[-1]["result"] == question.gold_answer
        for step in chain:
            assert step["action"] in {
                "lookup",
                "filter",
                "compare",
                "compute",
                "resolve",
                "synthesize",
                "answer",
            }
            if "factId" in step:
                assert step["note"] == facts[step["factId"]].quote
                assert step["note"] in result.record.document_text


def test_conflict_questions_answer_with_the_papers_value_and_reject_the_planted_one(built):
    for _, _, result, question in _questions(built):
        if question.category != "conflict_resolution":
            continue
        conflict = next(c for c in result.record.conflicts if c.conflict_id == question.conflict_id)
        target = next(f for f in result.record.facts if f.fact_id == conflict.target_fact_id)
        assert question.source_category == "trap_targeted"
        assert question.gold_answer in target.quote
        (resolve,) = [s for s in question.reasoning_chain if s["action"] == "resolve"]
        assert resolve["rejected"] in conflict.subordinate_text
        assert resolve["rejected"] != question.gold_answer


def test_every_gold_answer_is_in_the_text_or_computed(built):
    for _, _, result, question in _questions(built):
        ev = verify_paper.evidence(result.paper, (), ())
        computed = any(s["action"] == "compute" for s in question.reasoning_chain)
        parts = question.gold_answer.split("; ")
        assert computed or all(verify_paper.found_in_text(p, ev) for p in parts), question


# --- the built record ------------------------------------------------------------------------


def test_the_built_challenges_pass_their_reports(built):
    for (name, seed), result in built.items():
        assert result.report.passed, (name, seed, result.report.failures)
        metadata = result.record.metadata
        assert metadata["verification"]["passed"] is True
        assert metadata["verificationPasses"] == len(result.report.checks)
        names = {check.name for check in result.report.checks}
        assert {
            "answers_in_text",
            "unambiguous",
            "conflict_values_present",
            "facts_stated",
            "computations_reevaluate",
            "no_answer_leak",
            "shape",
        } <= names


def test_the_record_is_a_real_document_challenge_with_located_facts(built):
    result = built[("ml", 0)]
    record = result.record
    assert (record.split, record.source_type, record.document_id) == (
        "real",
        "document",
        "2009.09687",
    )
    assert record.domain == "cs_ai"
    assert record.sections[:3] == ("Front matter", "Abstract", "1 Introduction")
    assert record.document_text == result.paper.document()
    assert record.paragraph_count == len(result.paper.blocks)
    paragraphs = record.document_text.split("\n\n")
    for fact in record.facts:
        assert fact.quote in paragraphs[fact.paragraph_index]
        assert fact.section in record.sections
    for conflict in record.conflicts:
        assert set(conflict.extra) == {
            "subordinateCue",
            "authoritativeCue",
            "subordinatePosition",
            "authoritativeText",
        }
        assert conflict.subordinate_text in paragraphs[conflict.paragraph_index]
    assert record.metadata["title"] == "Contrastive Clustering"
    assert record.metadata["arxivCategory"] == "cs.CV"


def test_the_record_round_trips_through_the_benchmark_format(built):
    record = built[("epi", 1)].record
    again = fmt.challenge_from_dict(json.loads(json.dumps(fmt.challenge_to_dict(record))))
    assert fmt.challenge_to_dict(again) == fmt.challenge_to_dict(record)
    assert verify_challenge(again, None, word_range=(300, 200_000)).passed


def test_the_same_paper_and_seed_give_the_same_record_and_another_seed_another():
    first = build_paper_challenge(ml_paper(), challenge_id="dacr-d", seed=4).record
    second = build_paper_challenge(ml_paper(), challenge_id="dacr-d", seed=4).record
    assert fmt.content_hash(first) == fmt.content_hash(second)
    other = build_paper_challenge(ml_paper(), challenge_id="dacr-d", seed=5).record
    assert fmt.content_hash(other) != fmt.content_hash(first)


def test_a_caller_domain_overrides_the_papers():
    record = build_paper_challenge(epi_paper(), challenge_id="dacr-e", domain="biology").record
    assert record.domain == "biology"
    assert record.document_id == "dacr-e"  # no arXiv id


# --- the verifier catches what it should -----------------------------------------------------


def _evidence(name="ml", seed=0):
    paper = PAPERS[name]()
    facts = extract_facts(paper)
    planted, conflicts = plant_conflicts(paper, facts, rng=random.Random(seed), count=1)
    return planted, facts, conflicts, verify_paper.evidence(planted, facts, conflicts)


def _question(text, gold, chain=(), **extra):
    return fmt.QuestionRecord(
        "q01",
        text,
        "direct_extraction",
        "direct_extraction",
        1,
        "easy",
        gold,
        reasoning_chain=tuple(chain),
        **extra,
    )


def test_the_verifier_flags_an_answer_missing_from_the_text():
    *_, ev = _evidence()
    problems = verify_paper.question_problems(_question("What is it?", "0.999"), ev)
    assert [name for name, _ in problems] == ["answers_in_text"]
    assert verify_paper.found_in_text("six", ev)
    assert verify_paper.found_in_text("6", ev)


def test_the_verifier_flags_a_leak_after_normalising():
    *_, ev = _evidence()
    question = _question("Is the value 60,000 samples?", "60000")
    assert "no_answer_leak_normalised" in {
        name for name, _ in verify_paper.question_problems(question, ev)
    }


def test_the_verifier_flags_a_quantity_stated_twice_and_a_conflicted_fact_read_elsewhere():
    _, facts, conflicts, ev = _evidence()
    (conflict,) = conflicts
    target = next(f for f in facts if f.fact_id == conflict.fact_id)
    step = {"action": "lookup", "factId": target.fact_id, "note": target.quote}
    question = _question("What is it?", target.value_text, [step])
    problems = verify_paper.question_problems(question, ev)
    assert [name for name, _ in problems] == ["unambiguous"]
    targeted = replace(question, conflict_id=conflict.conflict_id)
    assert verify_paper.question_problems(targeted, ev) == []


def test_a_question_failing_its_check_is_replaced_by_another():
    paper = ml_paper()
    facts = extract_facts(paper)
    rng = random.Random(2)
    planted, conflicts = plant_conflicts(paper, facts, rng=rng, count=1)
    seen = []

    def check(question):
        seen.append(question.text)
        return ["no tables today"] if "Table" in question.text else []

    questions = write_questions(planted, facts, conflicts, rng=rng, check=check)
    assert any("Table" in text for text in seen)
    assert not any("Table" in q.text for q in questions)
    assert len(questions) == 10


def test_a_conflict_without_its_question_fails_the_report(built):
    *_, conflicts, ev = _evidence()
    record = replace(built[("ml", 0)].record, questions=())
    checks = {check.name: check for check in verify_paper.checks(record, ev)}
    assert not checks["conflicts_targeted"].passed
    assert checks["conflicts_targeted"].detail == f"{conflicts[0].conflict_id} has no question"


# --- the real PDFs ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "title", "sections", "tables"),
    [
        (
            "contrastive_clustering",
            "Contrastive Clustering",
            {"Abstract", "Introduction", "Related Work", "Method", "Experiments", "Conclusion"},
            5,
        ),
        (
            "covid_campus_scenarios",
            "Scenario analysis for an outbreak of COVID-19 on a university campus",
            {"Abstract", "Model", "Implementation", "Discussion"},
            0,
        ),
    ],
)
def test_a_real_pdf_becomes_a_verified_draft(name, title, sections, tables):
    paper = real_paper(name)
    assert paper.metadata.title == title
    assert sections <= {s.title for s in paper.sections}
    assert len(paper.tables) == tables
    result = build_paper_challenge(paper, challenge_id=f"dacr-{name}", seed=0)
    record = result.record
    assert result.report.passed, result.report.failures
    assert len(record.questions) == 10
    assert len({q.category for q in record.questions}) >= 5
    assert record.conflicts
    assert record.metadata["title"] == title
