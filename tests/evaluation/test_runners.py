"""Runner settings and the runners that need no model: hostile settings first, then
make_runner, the lexical runner and the predictions-file runner. No database."""

from __future__ import annotations

import json
import math

import pytest

from evaluation.baselines import solve
from evaluation.prompt import PROMPT_VERSION, PromptQuestion
from evaluation.runners import (
    FileSettings,
    HttpSettings,
    LexicalRunner,
    RunnerChallenge,
    RunnerConfigError,
    TransformersSettings,
    make_runner,
)
from evaluation.runners.prediction_file import NO_PREDICTION
from traces.parsing import parse_response

DOCUMENT = (
    "The measured thermal conductivity of sample A was 41.2 W/m K in the final analysis. "
    "A preliminary estimate put the yield at 3.4 t/ha, later revised to 3.9 t/ha. "
    "Table 2 lists the efficiency of each reactor: 81.5%, 77.0% and 69.3%."
)
QUESTIONS = (
    PromptQuestion("q01", "What was the measured thermal conductivity of sample A?"),
    PromptQuestion("q02", "What was the revised yield?"),
)
HTTP = {"base_url": "http://127.0.0.1:8000/v1", "model": "m"}


def challenges(*keys: str) -> list[RunnerChallenge]:
    return [RunnerChallenge(key, DOCUMENT, QUESTIONS) for key in keys]


def collect(runner, items, should_stop=lambda: False):
    outputs = []
    runner.run(items, outputs.append, should_stop)
    return outputs


def config_error(name: str, settings) -> str:
    with pytest.raises(RunnerConfigError) as caught:
        make_runner(name, settings)
    message = str(caught.value)
    assert "\n" not in message
    return message


@pytest.fixture
def model_dir(tmp_path):
    path = tmp_path / "model"
    path.mkdir()
    (path / "config.json").write_text("{}")
    return path


# --- hostile settings -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "settings", "start"),
    [
        ("http", {**HTTP, "temprature": 0.2}, "temprature: unknown setting; known: base_url"),
        ("lexical", {"baseline": "bm25"}, "baseline: unknown setting; known: none"),
        ("http", ["base_url", "model"], "settings: must be an object"),
        ("http", None, "settings: must be an object"),
        ("http", {"base_url": "http://h/v1"}, "model: required"),
        ("transformers", {}, "model_path: required"),
        ("file", {}, "path: required"),
    ],
)
def test_it_rejects_unknown_missing_and_shapeless_settings(name, settings, start):
    assert config_error(name, settings).startswith(start)


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.org/v1",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "localhost:8000/v1",
        "http://",
        "http:///v1",
        "http://user:secret@example.org/v1",
        "http://example.org/v1?key=secret",
        "http://example.org/v1#frag",
        "http://example.org:99999/v1",
        "http://example.org:0/v1",
        "http://example.org/v1\r\nX-Injected: 1",
        "http://exa mple.org/v1",
        "",
        42,
    ],
)
def test_it_rejects_a_base_url_that_is_not_a_plain_http_url(url):
    message = config_error("http", {**HTTP, "base_url": url})
    assert message.startswith("base_url: ")
    assert "secret" not in message


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("concurrency", -1),
        ("concurrency", 0),
        ("concurrency", 65),
        ("concurrency", True),
        ("concurrency", "4"),
        ("concurrency", 4.0),
        ("temperature", math.nan),
        ("temperature", math.inf),
        ("temperature", -0.1),
        ("temperature", 2.5),
        ("temperature", "0"),
        ("max_tokens", 0),
        ("timeout_s", 0),
        ("timeout_s", -5),
        ("retries", -1),
        ("backoff_s", math.nan),
        ("trace", "yes"),
        ("model", "   "),
        ("api_key_env", "sk-live-abc123"),
        ("api_key_env", "MY KEY"),
        ("api_key_env", None),
    ],
)
def test_it_rejects_bad_http_values_naming_the_field(field, value):
    message = config_error("http", {**HTTP, field: value})
    assert message.startswith(f"{field}: ")
    assert "sk-live-abc123" not in message


def test_it_states_the_allowed_range():
    assert config_error("http", {**HTTP, "temperature": math.nan}) == (
        "temperature: must be a number between 0 and 2"
    )


def test_it_rejects_a_model_path_that_is_not_a_checkpoint_directory(tmp_path, model_dir):
    missing = config_error("transformers", {"model_path": str(tmp_path / "nope")})
    assert missing.startswith("model_path: no such directory")
    empty = tmp_path / "empty"
    empty.mkdir()
    assert config_error("transformers", {"model_path": str(empty)}).startswith(
        "model_path: no config.json"
    )
    adapter = config_error(
        "transformers", {"model_path": str(model_dir), "adapter_path": str(empty)}
    )
    assert adapter.startswith("adapter_path: no adapter_config.json")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("batch_size", 0),
        ("max_new_tokens", -1),
        ("max_input_tokens", -1),
        ("dtype", "int8"),
        ("device", "tpu"),
        ("device", "cuda:x"),
        ("temperature", math.nan),
        ("adapter_path", 3),
    ],
)
def test_it_rejects_bad_transformers_values_naming_the_field(model_dir, field, value):
    message = config_error("transformers", {"model_path": str(model_dir), field: value})
    assert message.startswith(f"{field}: ")


def test_it_rejects_a_missing_predictions_file(tmp_path):
    assert config_error("file", {"path": str(tmp_path / "none.json")}).startswith(
        "path: no such file"
    )


def test_it_rejects_an_unknown_runner_listing_the_known_ones():
    message = config_error("vllm", {})
    assert message == "runner: unknown 'vllm'; known: lexical, http, transformers, file"


# --- valid settings and records ---------------------------------------------------------


def test_settings_keep_their_defaults_and_record_as_json(model_dir, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-never-recorded")
    http = HttpSettings.from_dict(HTTP)
    assert (http.concurrency, http.retries, http.api_key_env, http.trace) == (
        4,
        4,
        "OPENAI_API_KEY",
        True,
    )
    record = json.dumps(make_runner("http", HTTP).record())
    assert "sk-never-recorded" not in record
    assert '"api_key_env": "OPENAI_API_KEY"' in record
    local = TransformersSettings.from_dict({"model_path": str(model_dir)})
    assert local.as_record()["dtype"] == "auto"
    assert json.loads(json.dumps(local.as_record()))["model_path"] == str(model_dir)


def test_direct_construction_is_validated_too():
    with pytest.raises(RunnerConfigError, match="concurrency: "):
        HttpSettings(base_url="http://h/v1", model="m", concurrency=0)
    with pytest.raises(RunnerConfigError, match="path: "):
        FileSettings(path="")


# --- lexical runner ---------------------------------------------------------------------


def test_the_lexical_runner_answers_like_the_baseline():
    runner = make_runner("lexical", {})
    outputs = collect(runner, challenges("c1", "c2"))
    assert [o.key for o in outputs] == ["c1", "c2"]
    expected = solve("lexical", DOCUMENT, [(q.question_id, q.text) for q in QUESTIONS])
    for output in outputs:
        parsed = parse_response(output.raw_output)
        assert parsed.format == "json"
        assert {qid: (a.answer, a.citation) for qid, a in parsed.answers.items()} == {
            qid: (a.answer, a.citation) for qid, a in expected.items()
        }
        assert parsed.answers["q01"].answer.startswith("41.2")
        assert (output.prompt_tokens, output.completion_tokens, output.error) == (None, None, "")
    assert runner.record() == {
        "runner": "lexical",
        "settings": {"baseline": "lexical"},
        "prompt_version": PROMPT_VERSION,
    }


def test_the_lexical_runner_stops_between_challenges():
    outputs: list = []
    runner = LexicalRunner(settings=None)
    runner.run(challenges("c1", "c2", "c3"), outputs.append, lambda: len(outputs) >= 1)
    assert [o.key for o in outputs] == ["c1"]


# --- predictions file runner ------------------------------------------------------------


def write(tmp_path, content: str | bytes):
    path = tmp_path / "predictions.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return str(path)


def test_the_file_runner_replays_answers_and_flags_missing_challenges(tmp_path):
    predictions = [
        {
            "challengeId": "c1",
            "model": "gpt-x",
            "answers": {
                "q01": {"answer": "41.2 W/m K", "citation": "sample A", "confidence": 0.9},
                "q02": {"answer": "3.9 t/ha", "confidence": "85%"},
            },
        },
        {"challengeId": "c2", "answers": "not an object"},
    ]
    runner = make_runner("file", {"path": write(tmp_path, json.dumps(predictions))})
    outputs = {o.key: o for o in collect(runner, challenges("c1", "c2", "c3"))}
    answers = parse_response(outputs["c1"].raw_output).answers
    assert answers["q01"].answer == "41.2 W/m K"
    assert answers["q01"].confidence == 0.9
    assert answers["q02"].answer == "3.9 t/ha"
    assert answers["q02"].confidence is None  # NaN in the public scorer; not written as JSON
    # Kept as the file gives them (as the public scorer reads it), to be stored as they are.
    assert outputs["c1"].answers == {
        "q01": {"answer": "41.2 W/m K", "citation": "sample A", "confidence": 0.9},
        "q02": {"answer": "3.9 t/ha", "citation": None, "confidence": None},
    }
    assert outputs["c2"].error == ""
    assert outputs["c2"].answers == {}
    assert parse_response(outputs["c2"].raw_output).answers == {}
    assert outputs["c3"].error == NO_PREDICTION
    assert outputs["c3"].raw_output == ""
    file_record = runner.record()["file"]
    assert file_record["model"] == "gpt-x"
    assert file_record["predictions"] == 2
    assert len(file_record["sha256"]) == 64
    assert any("'answers' is not an object" in p for p in file_record["problems"])


@pytest.mark.parametrize(
    ("content", "start"),
    [
        ("", "path: not valid JSON"),
        ("[{", "path: not valid JSON"),
        ('{"challengeId": "c1"}', "path: a predictions file is a JSON array"),
        (b"\xff\xfe\x00[", "path: the file is not UTF-8 text"),
        ("[" * 100_000 + "]" * 100_000, "path: JSON nested too deeply"),
    ],
)
def test_the_file_runner_rejects_a_bad_file_in_one_line(tmp_path, content, start):
    assert config_error("file", {"path": write(tmp_path, content)}).startswith(start)
