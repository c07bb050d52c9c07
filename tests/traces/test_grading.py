"""Answer grading in reference and strict modes: hostile input first, then the rules."""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.traces.fixtures.parity_sets import MINI_FILE, load_mini
from traces.grading import (
    MATCH_TYPES,
    MODE_REFERENCE,
    MODE_STRICT,
    VERIFIER_VERSION,
    ConflictGold,
    GoldChallenge,
    GoldQuestion,
    ModelAnswer,
    grade_challenge,
    grade_question,
)
from traces.grading.dacr_json import read_benchmark, read_predictions
from traces.grading.jscompat import (
    js_clamp_unit,
    js_parse_float_digits,
    js_string,
    js_to_number,
    utf16_units,
)

DOCUMENT = (
    "Results. The HSSE framework was evaluated on 12 benchmark datasets drawn from single-cell "
    "studies; the final analysis confirms the count of 12. A preliminary estimate mentioned "
    "approximately 15 evaluation datasets. The survey collected 1963 responses in total. "
    "Corresponding author: weig@msu.edu. Accuracy reached 85% on the held-out split."
)
DATASETS = GoldQuestion(
    question_id="q09",
    category="trap_targeted",
    hops=1,
    difficulty="easy",
    gold_answer="12",
    aliases=("twelve", "12 datasets"),
    conflict=ConflictGold("t000", "12", "15"),
)
RESPONSES = GoldQuestion("q03", "direct_extraction", 1, "easy", "1963")
EMAIL = GoldQuestion("q02", "direct_extraction", 2, "easy", "weig@msu.edu")
NAME = GoldQuestion(
    "q01", "direct_extraction", 1, "easy", "hierarchical sheaf spectral embedding", ("HSSE",)
)
ACCURACY = GoldQuestion("q05", "computation", 2, "medium", "85%")
ALL = (DATASETS, RESPONSES, EMAIL, NAME, ACCURACY)
RULES = re.compile(
    r"^(missing|empty|exact|alias|numeric|contains|contains_too_much|token_f1|hedged|planted|"
    r"echoes_document|none|no_prediction):"
)


def strict(question, answer, confidence=0.9, citation=""):
    return grade_question(
        question, ModelAnswer(answer, citation, confidence), DOCUMENT, mode=MODE_STRICT
    )


def reference(question, answer, confidence=0.9, citation=""):
    return grade_question(
        question, ModelAnswer(answer, citation, confidence), DOCUMENT, mode=MODE_REFERENCE
    )


# -- hostile input ---------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(answer=st.text(), citation=st.none() | st.text(), question=st.sampled_from(ALL))
def test_grading_never_raises_and_always_names_its_rule(answer, citation, question):
    for mode in (MODE_REFERENCE, MODE_STRICT):
        verdict = grade_question(question, ModelAnswer(answer, citation, 0.5), DOCUMENT, mode=mode)
        assert verdict.match_type in MATCH_TYPES
        assert verdict.correct == (verdict.match_type != "none")
        assert RULES.match(verdict.reason), verdict.reason
        assert verdict.citation_score in (0.0, 0.5, 1.0)
        assert 0 <= verdict.verdict_confidence <= 1


@pytest.mark.parametrize(
    "answer",
    [
        "\ud800 lone surrogate 12",
        "𝑥 ≈ 12 𝔸𝔹ℂ",
        "12" * 100_000,
        "1" + "0" * 400,
        "10^99999 and 1e999999",
        "\x1c12\x1f",
        "\ufeff12\ufeff",
        "ＩＩ１２",
    ],
)
def test_hostile_answers_are_graded_without_error(answer):
    for mode in (MODE_REFERENCE, MODE_STRICT):
        verdict = grade_question(DATASETS, ModelAnswer(answer, answer, 2.0), DOCUMENT, mode=mode)
        assert verdict.confidence == 1.0


def test_an_unknown_mode_is_refused():
    with pytest.raises(ValueError, match="unknown grading mode"):
        grade_question(DATASETS, ModelAnswer("12"), DOCUMENT, mode="lenient")


def test_an_unreadable_confidence_stays_nan_in_reference_and_is_zero_in_strict():
    assert math.isnan(reference(DATASETS, "12", confidence=math.nan).confidence)
    assert strict(DATASETS, "12", confidence=math.nan).confidence == 0.0


# -- JavaScript semantics the reference mode depends on ------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (12, "12"),
        (12.0, "12"),
        (0.5, "0.5"),
        (1e21, "1e+21"),
        (1e20, "100000000000000000000"),
        (1.5e-7, "1.5e-7"),
        (0.000001, "0.000001"),
        (-0.0, "0"),
        (123.456, "123.456"),
        (2**64, "18446744073709552000"),
        (True, "true"),
        (None, "null"),
        ([1, None, "a"], "1,,a"),
        ({"a": 1}, "[object Object]"),
        (math.inf, "Infinity"),
    ],
)
def test_js_string_prints_numbers_as_javascript_does(value, text):
    assert js_string(value) == text


@pytest.mark.parametrize(
    ("value", "number"),
    [
        ("0.8", 0.8),
        (" 0.25 ", 0.25),
        ("", 0.0),
        ("0x10", 16.0),
        ("1e-1", 0.1),
        (True, 1.0),
        ([0.4], 0.4),
        ([], 0.0),
        (None, 0.0),
        ("-Infinity", -math.inf),
        ("1_000", math.nan),
        ("85%", math.nan),
        ({"v": 1}, math.nan),
        ("-0x10", math.nan),
    ],
)
def test_js_to_number_reads_values_as_javascript_does(value, number):
    result = js_to_number(value)
    assert (math.isnan(result) and math.isnan(number)) or result == number


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("12 of 15", 1215.0),
        ("10^3 cm^-2", 103.0),
        ("1e5", 15.0),
        ("1.2.3", 1.2),
        ("-", math.nan),
        ("--5", math.nan),
        ("a.5", 0.5),
        ("1,963", 1963.0),
        ("twelve", math.nan),
    ],
)
def test_the_public_numeric_rule_glues_all_digits_together(text, number):
    result = js_parse_float_digits(text)
    assert (math.isnan(result) and math.isnan(number)) or result == number


def test_utf16_units_count_astral_characters_twice():
    assert len(utf16_units("a𝑥b")) == 4
    assert utf16_units("plain") == "plain"


def test_clamping_keeps_nan_like_math_min_and_max():
    assert js_clamp_unit(1.5) == 1.0
    assert js_clamp_unit(-2) == 0.0
    assert math.isnan(js_clamp_unit(math.nan))


# -- reference mode reproduces the public quirks ----------------------------------------


def test_reference_accepts_one_for_twelve_by_substring():
    verdict = reference(DATASETS, "1")
    assert verdict.correct
    assert verdict.match_type == "contains"


def test_reference_counts_an_answer_naming_both_values_as_resolving_the_conflict():
    verdict = reference(DATASETS, "15 or 12")
    assert verdict.conflict_outcome == "resolved"


def test_reference_treats_missing_and_empty_answers_differently():
    missing = grade_question(DATASETS, None, DOCUMENT, mode=MODE_REFERENCE)
    empty = reference(DATASETS, "", confidence=0.7, citation="the final analysis confirms")
    assert not missing.correct
    assert not empty.correct
    assert missing.conflict_outcome == "fell_for_planted"
    assert missing.confidence == 0.0
    assert empty.conflict_outcome == "other"
    assert empty.confidence == 0.7
    assert empty.citation_score == 1.0


def test_reference_gives_full_citation_credit_to_a_citation_with_only_short_words():
    assert reference(DATASETS, "12", citation="p. 3").citation_score == 1.0


def test_reference_reads_the_whole_document_as_a_correct_answer():
    assert reference(RESPONSES, DOCUMENT).correct


# -- strict mode ---------------------------------------------------------------------


def test_strict_refuses_an_answer_that_names_both_values():
    for answer in ("15 or 12", "12 (earlier reported as 15)", "twelve, not fifteen"):
        verdict = strict(DATASETS, answer)
        assert not verdict.correct
        assert verdict.conflict_outcome == "hedged"
        assert verdict.reason.startswith("hedged:")


def test_strict_marks_the_planted_value_as_falling_for_it():
    verdict = strict(DATASETS, "approximately 15 datasets")
    assert not verdict.correct
    assert verdict.conflict_outcome == "fell_for_planted"


def test_strict_resolves_a_conflict_only_with_a_correct_answer():
    assert strict(DATASETS, "12 benchmark datasets").conflict_outcome == "resolved"
    assert strict(DATASETS, "I do not know").conflict_outcome == "other"


def test_strict_refuses_an_answer_that_echoes_the_document():
    verdict = strict(RESPONSES, DOCUMENT)
    assert not verdict.correct
    assert verdict.reason.startswith("echoes_document:")


def test_strict_does_not_read_one_as_twelve():
    verdict = strict(DATASETS, "1")
    assert not verdict.correct
    assert verdict.reason.startswith("numeric:")


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        (RESPONSES, "1,963"),
        (RESPONSES, "1963.0"),
        (RESPONSES, "1963 responses"),
        (RESPONSES, "about 1.963e3"),
        (DATASETS, "12 datasets"),
        (DATASETS, "twelve"),
        (DATASETS, "Twelve benchmark datasets."),
        (ACCURACY, "0.85"),
        (ACCURACY, "85 percent"),
    ],
)
def test_strict_reads_numbers_as_numbers(question, answer):
    verdict = strict(question, answer)
    assert verdict.correct, verdict.reason
    assert verdict.match_type in ("numeric", "alias", "exact")


@pytest.mark.parametrize("answer", ["1964", "19.63", "12 or 1963", "1963 and 2024"])
def test_strict_rejects_other_numbers_or_extra_numbers(answer):
    verdict = strict(RESPONSES, answer)
    assert not verdict.correct
    assert verdict.reason.startswith("numeric:")


def test_strict_containment_needs_whole_tokens_and_little_extra_text():
    assert strict(NAME, "It is the hierarchical sheaf spectral embedding").match_type == "contains"
    assert not strict(EMAIL, "weig").correct
    long_answer = "the hierarchical sheaf spectral embedding " + "plus other words " * 5
    verdict = strict(NAME, long_answer)
    assert not verdict.correct
    assert verdict.reason.startswith("contains_too_much:")
    assert verdict.verdict_confidence < 1


def test_strict_token_f1_verdicts_near_the_threshold_carry_lower_confidence():
    near = strict(NAME, "hierarchical sheaf spectral embeddings method")
    far = strict(NAME, "principal component analysis")
    assert not far.correct
    assert far.verdict_confidence == 1.0
    assert near.verdict_confidence < far.verdict_confidence


def test_strict_citations_must_be_real_words_near_the_gold():
    assert strict(DATASETS, "12", citation="p. 3").citation_score == 0.0
    good = "the final analysis confirms the count"
    assert strict(DATASETS, "12", citation=good).citation_score == 1.0
    assert strict(DATASETS, "12", citation=DOCUMENT * 3).citation_score == 0.0


def test_verdicts_record_mode_version_and_the_models_answer():
    verdict = strict(DATASETS, "12", confidence=1.7, citation="Results")
    assert (verdict.mode, verdict.verifier_version) == (MODE_STRICT, VERIFIER_VERSION)
    assert (verdict.answer, verdict.citation, verdict.confidence) == ("12", "Results", 1.0)


def test_grade_challenge_marks_a_challenge_without_prediction():
    challenge = GoldChallenge("dacr-x", "biology", "real", DOCUMENT, ALL)
    grade = grade_challenge(challenge, None, mode=MODE_STRICT)
    assert not grade.predicted
    assert [v.correct for v in grade.verdicts] == [False] * len(ALL)
    assert all(v.reason.startswith("no_prediction:") for v in grade.verdicts)
    answered = grade_challenge(challenge, {"q09": ModelAnswer("12"), "q99": ModelAnswer("x")})
    assert answered.predicted
    assert [v.question_id for v in answered.verdicts] == [q.question_id for q in ALL]
    assert answered.verdicts[0].correct
    assert answered.verdicts[1].reason.startswith("missing:")


# -- predictions files with the public scorer's semantics ---------------------------------


def test_reading_predictions_reports_every_problem_line_by_line():
    challenge = GoldChallenge("dacr-x", "biology", "real", DOCUMENT, ALL)
    data = [
        {"challengeId": "dacr-x", "answers": {"q09": {"answer": "15", "confidence": 0.2}}},
        {
            "challengeId": "dacr-x",
            "answers": {
                "q09": {"answer": 12, "confidence": "85%"},
                "q03": {"answer": "1963", "confidence": 1.5},
                "q02": None,
                "q01": {"citation": "x"},
                "q77": {"answer": "?"},
            },
        },
        {"challengeId": "dacr-unknown", "answers": {}},
        {"answers": {}},
        "junk",
    ]
    result = read_predictions(data, challenges=[challenge])
    answers = result.answers["dacr-x"]
    assert answers["q09"].answer == "12"
    assert math.isnan(answers["q09"].confidence)
    assert answers["q03"].confidence == 1.5
    assert "q02" not in answers
    assert "q01" not in answers
    text = "\n".join(result.problems)
    for fragment in (
        "last one counts",
        "is not text",
        "NaN",
        "outside [0, 1]",
        "no 'answer'",
        "unknown question 'q77'",
        "unknown challenge",
        "string challengeId",
    ):
        assert fragment in text
    assert read_predictions({"not": "a list"}).problems


# -- the targets on real data ---------------------------------------------------------

needs_mini = pytest.mark.skipif(
    not MINI_FILE.exists(), reason=f"shared DACR-Bench mini file not found at {MINI_FILE}"
)
NUMBER_WORDS = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve",
)  # fmt: skip


@pytest.fixture(scope="module")
def challenges():
    return read_benchmark(load_mini())[0]


def _honest_answers(question: GoldQuestion) -> list[str]:
    answers = [question.gold_answer, *question.aliases]
    match = re.fullmatch(r"(-?\d+(?:\.\d+)?)(\s+[A-Za-z]+)?", question.gold_answer.strip())
    if match:
        value = float(match.group(1))
        if value.is_integer():
            number = int(value)
            answers += [f"{number}.0", f"{number} datasets"]
            answers += [f"{number:,}"] if abs(number) >= 1000 else []
            answers += [NUMBER_WORDS[number]] if 0 <= number < len(NUMBER_WORDS) else []
        else:
            answers.append(match.group(1) + "0")
    return answers


@needs_mini
def test_strict_gives_whole_document_answers_at_most_five_percent(challenges):
    verdicts = [
        grade_question(q, ModelAnswer(c.document_text), c.document_text, mode=MODE_STRICT)
        for c in challenges
        for q in c.questions
    ]
    assert sum(v.correct for v in verdicts) / len(verdicts) <= 0.05


@needs_mini
def test_strict_resolves_no_conflict_answered_with_both_values(challenges):
    resolved = []
    for challenge in challenges:
        for question in challenge.questions:
            conflict = question.conflict
            # A trap whose two values are equal cannot be hedged; it is left out.
            if conflict is None or conflict.authoritative_value == conflict.conflicting_value:
                continue
            for answer in (
                f"{conflict.authoritative_value} or {conflict.conflicting_value}",
                f"{conflict.conflicting_value}, later {conflict.authoritative_value}",
            ):
                verdict = grade_question(
                    question, ModelAnswer(answer), challenge.document_text, mode=MODE_STRICT
                )
                resolved.append(verdict.conflict_outcome == "resolved")
    assert resolved
    assert not any(resolved)


@needs_mini
def test_strict_and_reference_agree_on_honest_answers(challenges):
    agree = total = 0
    for challenge in challenges:
        for question in challenge.questions:
            for answer in _honest_answers(question):
                response = ModelAnswer(answer, "", 0.8)
                ours = grade_question(question, response, challenge.document_text)
                public = grade_question(
                    question, response, challenge.document_text, mode=MODE_REFERENCE
                )
                total += 1
                agree += ours.correct == public.correct
                if ours.correct != public.correct:
                    assert RULES.match(ours.reason), ours.reason
    assert total > 300
    assert agree / total >= 0.95
