"""The lexical baseline's OpenAI-compatible server: reading a prompt back, hostile requests,
fault parsing and the serve_baseline command. No database."""

from __future__ import annotations

import http.client
import json
import threading
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from evaluation.baseline_server import (
    base_url,
    chat_completion,
    check_fault,
    make_server,
    parse_user_prompt,
)
from evaluation.prompt import PromptQuestion, chat_messages, user_prompt

QUESTIONS = [
    PromptQuestion("q01", "What was the measured value?"),
    PromptQuestion("q02", "By how much\ndid the yield change?"),
]


@pytest.mark.parametrize("trace", [True, False])
@pytest.mark.parametrize(
    "document",
    [
        "The yield was 3.4 t/ha.",
        "Intro.\n\nQuestions:\nq09: a planted heading inside the document\n\nMore text.",
        "",
    ],
)
def test_it_reads_back_the_document_and_questions_a_prompt_was_made_from(document, trace):
    assert parse_user_prompt(user_prompt(document, QUESTIONS, trace=trace)) == (
        document,
        QUESTIONS,
    )


@pytest.mark.parametrize(
    "text", ["", "Hello there", "Document:\n\nno questions section here", None, "Document:\n\n"]
)
def test_it_rejects_a_message_that_is_not_a_dacr_prompt(text):
    with pytest.raises(ValueError, match="not a DACR prompt"):
        parse_user_prompt(text)


def test_a_completion_answers_the_last_user_message_with_usage():
    messages = [m.as_dict() for m in chat_messages("The yield was 3.4 t/ha.", QUESTIONS)]
    body = chat_completion({"model": "my-model", "messages": messages})
    assert body["object"] == "chat.completion"
    assert body["model"] == "my-model"
    assert body["choices"][0]["message"]["role"] == "assistant"
    assert body["choices"][0]["finish_reason"] == "stop"
    assert set(json.loads(body["choices"][0]["message"]["content"])) == {"q01", "q02"}
    usage = body["usage"]
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"]


@pytest.mark.parametrize("fault", ["429", "500", "599", "sleep:0.5", " DROP "])
def test_it_accepts_the_faults_it_can_play(fault):
    assert check_fault(fault) == fault.strip().lower()


@pytest.mark.parametrize(
    "fault", ["200", "302", "600", "sleep:", "sleep:-1", "sleep:nan", "boom", 5]
)
def test_it_rejects_a_fault_it_cannot_play(fault):
    with pytest.raises(ValueError, match="expected a status 400-599"):
        make_server("127.0.0.1", 0, [fault])


# --- over HTTP --------------------------------------------------------------------------


@pytest.fixture
def server():
    server = make_server("127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def request(server, method, path, body=None, headers=None):
    connection = http.client.HTTPConnection(*server.server_address[:2], timeout=5)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, json.loads(response.read())
    finally:
        connection.close()


def test_it_reports_health_and_lists_its_model(server):
    assert request(server, "GET", "/health") == (200, {"status": "ok"})
    status, models = request(server, "GET", "/v1/models")
    assert status == 200
    assert [m["id"] for m in models["data"]] == ["dacr-lexical"]
    assert base_url(server).endswith(f":{server.server_address[1]}/v1")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"{not json", "the request body is not valid JSON"),
        (b"[]", "the request body must be a JSON object"),
        (b"{}", "'messages' must be a non-empty list"),
        (b'{"messages": [{"role": "system", "content": "hi"}]}', "'messages' has no user message"),
        (b'{"messages": [{"role": "user", "content": "hi"}]}', "the user message is not a DACR"),
        (b'{"messages": [{"role": "user", "content": 42}]}', "the user message is not a DACR"),
    ],
)
def test_a_bad_request_gets_a_400_with_an_openai_error_body(server, body, message):
    status, reply = request(server, "POST", "/v1/chat/completions", body)
    assert status == 400
    assert reply["error"]["type"] == "invalid_request_error"
    assert reply["error"]["message"].startswith(message)
    assert "\n" not in reply["error"]["message"]


def test_unknown_paths_and_oversized_bodies_are_refused(server):
    assert request(server, "GET", "/v1/secrets")[0] == 404
    assert request(server, "POST", "/v1/embeddings", b"{}")[0] == 404
    huge = {"Content-Length": str(10**12)}
    assert request(server, "POST", "/v1/chat/completions", b"", huge)[0] == 413


# --- the command ------------------------------------------------------------------------


def test_the_command_serves_with_the_given_faults_and_prints_the_base_url(monkeypatch):
    calls = []

    def fake_serve(host, port, faults, on_listening):
        calls.append((host, port, faults))
        on_listening(f"http://{host}:{port}/v1")

    monkeypatch.setattr(
        "evaluation.management.commands.serve_baseline.serve", fake_serve, raising=True
    )
    out = StringIO()
    call_command(
        "serve_baseline", "--port", "8099", "--inject-faults", "429,500,sleep:2", stdout=out
    )
    assert calls == [("127.0.0.1", 8099, ["429", "500", "sleep:2"])]
    assert "http://127.0.0.1:8099/v1" in out.getvalue()


def test_the_command_rejects_a_bad_fault_before_listening():
    with pytest.raises(CommandError, match="--inject-faults: fault 'teapot'"):
        call_command("serve_baseline", "--port", "0", "--inject-faults", "429,teapot")
