"""Model output parsing: hostile input first, then every accepted format."""

from __future__ import annotations

import json
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from traces.parsing import (
    FORMATS,
    ParsedAnswer,
    normalize_question_id,
    parse_confidence,
    parse_response,
)

# -- hostile input ---------------------------------------------------------------


@settings(max_examples=400, deadline=None)
@given(st.text())
def test_it_never_raises_on_arbitrary_text(raw):
    parsed = parse_response(raw)
    assert parsed.format in FORMATS
    assert all(key.startswith("q") for key in parsed.answers)


@settings(max_examples=200, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=20),
        lambda children: (
            st.lists(children, max_size=4)
            | st.dictionaries(st.text(max_size=12), children, max_size=4)
        ),
        max_leaves=30,
    )
)
def test_it_never_raises_on_arbitrary_json_values(value):
    parsed = parse_response(json.dumps(value))
    assert parsed.format in FORMATS


@pytest.mark.parametrize(
    "raw",
    [
        "[" * 100_000 + "]" * 100_000,
        '{"q01":' * 50_000 + '"x"' + "}" * 50_000,
        "{" * 200_000,
        "}" * 200_000 + "{",
        '"' * 100_000,
        "```" * 50_000,
        "q01: " + "x" * 3_000_000,
        "<|artifact|>" * 10_000,
    ],
    ids=[
        "nested-lists",
        "nested-objects",
        "open-braces",
        "close-braces",
        "quotes",
        "fences",
        "huge-line",
        "artifacts",
    ],
)
def test_it_survives_hostile_inputs_quickly(raw):
    start = time.perf_counter()
    parsed = parse_response(raw)
    assert parsed.format in FORMATS
    assert time.perf_counter() - start < 5


@pytest.mark.parametrize("raw", [None, 42, b'{"q01": "x"}', ["q01"]])
def test_it_reports_output_that_is_not_text(raw):
    parsed = parse_response(raw)
    assert parsed.format == "none"
    assert parsed.answers == {}
    assert parsed.errors


@pytest.mark.parametrize(
    "raw", ["42", '"q01: twelve"', "[1, 2, 3]", "null", "{}", '{"error": "x"}']
)
def test_json_that_holds_no_answers_is_not_an_answer_object(raw):
    parsed = parse_response(raw)
    assert parsed.format != "json"


def test_nan_and_infinity_never_become_answers_or_confidences():
    parsed = parse_response('{"q01": {"answer": NaN, "confidence": Infinity}, "q02": -Infinity}')
    assert parsed.answers["q01"] == ParsedAnswer(None, None, None)
    assert parsed.answers["q02"].answer is None
    assert any("not finite" in e for e in parsed.errors)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("85%", 0.85),
        (" 40 % ", 0.4),
        ("0.7", 0.7),
        (0.25, 0.25),
        (1, 1.0),
        (85, 0.85),
        ("high", None),
        (150, None),
        (-0.1, None),
        (True, None),
        (float("nan"), None),
        ([0.5], None),
    ],
)
def test_confidences_are_read_as_a_person_would(raw, expected):
    assert parse_confidence(raw) == expected


# -- accepted formats -------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("q01", "q01"),
        ("Q01", "q01"),
        ("1", "q01"),
        ("question_1", "q01"),
        ("q1", "q01"),
        ("Question 12", "q12"),
        (7, "q07"),
        ("answer", None),
        ("q", None),
        (True, None),
    ],
)
def test_question_keys_are_normalised(key, expected):
    assert normalize_question_id(key) == expected


def test_a_bare_json_object_is_read_with_every_value_shape():
    raw = json.dumps(
        {
            "q01": {"answer": "12", "citation": "Table 2", "confidence": 0.9},
            "Q02": "Paris",
            "3": 1963,
            "question_4": {"Answer": "blue", "Confidence": "85%"},
        }
    )
    parsed = parse_response(raw)
    assert parsed.format == "json"
    assert parsed.answers == {
        "q01": ParsedAnswer("12", "Table 2", 0.9),
        "q02": ParsedAnswer("Paris"),
        "q03": ParsedAnswer("1963"),
        "q04": ParsedAnswer("blue", None, 0.85),
    }


def test_a_fenced_block_is_json_fenced():
    parsed = parse_response('```json\n{"q01": {"answer": "12", "confidence": 0.5}}\n```')
    assert parsed.format == "json_fenced"
    assert parsed.answers["q01"] == ParsedAnswer("12", None, 0.5)


def test_json_inside_a_short_reply_is_json_embedded():
    parsed = parse_response('Sure! Here are my answers: {"q01": "12"} Hope this helps.')
    assert parsed.format == "json_embedded"
    assert parsed.answers == {"q01": ParsedAnswer("12")}
    assert parsed.reasoning == "Sure! Here are my answers:"


@pytest.mark.parametrize(
    "raw",
    [
        '{"q01": {"answer": "12", "confidence": 0.9,},}',
        "{'q01': {'answer': '12', 'confidence': 0.9}}",
        '{"q01": {"answer": "12", "confidence": 0.9, "sure": True}}',
    ],
    ids=["trailing-commas", "single-quotes", "python-literals"],
)
def test_repairable_json_is_repaired_and_says_so(raw):
    parsed = parse_response(raw)
    assert parsed.format == "json_repaired"
    assert parsed.answers["q01"] == ParsedAnswer("12", None, 0.9)


def test_a_reasoning_trace_takes_its_last_answer_block():
    raw = (
        "Let me work through the document step by step. " * 10
        + '\nDraft: {"q01": "15", "q02": "x"}\nWait, 15 was a preliminary figure.\n'
        + '```json\n{"q01": "12", "q02": "Paris"}\n```'
    )
    parsed = parse_response(raw)
    assert parsed.format == "reasoning_json"
    assert parsed.answers == {"q01": ParsedAnswer("12"), "q02": ParsedAnswer("Paris")}
    assert parsed.reasoning.startswith("Let me work through")
    assert "preliminary" in parsed.reasoning


def test_a_dacr_trace_artifact_block_holds_the_answers():
    raw = (
        "> extract: HSSE | datasets | 12 | paragraph_3\n<|artifact|>\nq01: 12\nq02: Paris\n<|end|>"
    )
    parsed = parse_response(raw)
    assert parsed.answers == {"q01": ParsedAnswer("12"), "q02": ParsedAnswer("Paris")}
    assert parsed.reasoning.startswith("> extract")


def test_answers_may_come_as_a_list_or_under_an_answers_key():
    listed = parse_response('[{"questionId": "q01", "answer": "a"}, {"id": 2, "answer": "b"}]')
    wrapped = parse_response('{"answers": {"1": "a", "2": "b"}}')
    assert listed.answers == wrapped.answers == {"q01": ParsedAnswer("a"), "q02": ParsedAnswer("b")}


def test_qnn_prose_lines_with_citations_and_confidences():
    raw = "q01: 12 (confidence: 0.8)\n**Q2:** Paris [source: page 3]\n[q03] blue\nQuestion 4 - red"
    parsed = parse_response(raw)
    assert parsed.format == "prose"
    assert parsed.answers == {
        "q01": ParsedAnswer("12", None, 0.8),
        "q02": ParsedAnswer("Paris", "page 3", None),
        "q03": ParsedAnswer("blue"),
        "q04": ParsedAnswer("red"),
    }


def test_numbered_prose_keeps_the_last_line_for_each_number():
    raw = "1. First I read the abstract\n2. Then the tables\n\nAnswers:\n1. 12\n2) Paris"
    parsed = parse_response(raw)
    assert parsed.format == "prose"
    assert parsed.answers == {"q01": ParsedAnswer("12"), "q02": ParsedAnswer("Paris")}


def test_labelled_lines_win_over_numbered_reasoning_steps():
    raw = "1. Find the count.\n2. Check for conflicts.\nq01: 12\nq02: Paris"
    parsed = parse_response(raw)
    assert parsed.answers == {"q01": ParsedAnswer("12"), "q02": ParsedAnswer("Paris")}


def test_output_with_nothing_recognisable_is_format_none():
    parsed = parse_response("I cannot answer these questions.")
    assert parsed.format == "none"
    assert parsed.answers == {}
    assert parsed.reasoning == "I cannot answer these questions."
    assert parsed.errors == ["no answers found"]


def test_an_answer_given_twice_keeps_the_last_and_notes_it():
    parsed = parse_response('{"q1": "a", "q01": "b"}')
    assert parsed.answers == {"q01": ParsedAnswer("b")}
    assert any("twice" in e for e in parsed.errors)
