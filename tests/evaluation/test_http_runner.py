"""The http runner against a real server on a loopback port: the lexical baseline server (with
injected faults) and, for headers and malformed bodies, a tiny recording server. No
database."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from evaluation.baseline_server import base_url, make_server
from evaluation.baselines import solve
from evaluation.prompt import PromptQuestion
from evaluation.runners import RunnerChallenge, make_runner
from evaluation.runners.http_api import backoff_delay, chat_completions_url
from traces.parsing import parse_response

DOCUMENTS = {
    "c1": "The measured thermal conductivity of sample A was 41.2 W/m K in the final analysis.",
    "c2": "A preliminary estimate put the yield at 3.4 t/ha, later revised to 3.9 t/ha.",
    "c3": "Table 2 lists the efficiency of each reactor: 81.5%, 77.0% and 69.3%.",
}
QUESTIONS = (
    PromptQuestion("q01", "What was the measured value?"),
    PromptQuestion("q02", "What was the revised yield?"),
)


def challenges(*keys: str) -> list[RunnerChallenge]:
    return [RunnerChallenge(key, DOCUMENTS[key], QUESTIONS) for key in keys]


def serve_in_thread(server: ThreadingHTTPServer) -> ThreadingHTTPServer:
    # A short poll interval makes shutdown() quick.
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    return server


@pytest.fixture
def start_baseline():
    """Starts the lexical baseline server with the given faults on a free loopback port."""
    servers = []

    def start(*faults: str):
        servers.append(serve_in_thread(make_server("127.0.0.1", 0, faults)))
        return servers[-1]

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def http_runner(url: str, **settings):
    defaults = {"model": "dacr-lexical", "api_key_env": "", "backoff_s": 0.01, "timeout_s": 5}
    return make_runner("http", {"base_url": url, **defaults, **settings})


def collect(runner, items, should_stop=lambda: False):
    outputs = []
    runner.run(items, outputs.append, should_stop)
    return outputs


def test_it_answers_like_the_lexical_baseline_through_the_server(start_baseline):
    server = start_baseline()
    runner = http_runner(base_url(server), concurrency=3)
    threads = []
    outputs = []

    def on_output(output):
        threads.append(threading.get_ident())
        outputs.append(output)

    runner.run(challenges("c1", "c2", "c3"), on_output)
    assert sorted(o.key for o in outputs) == ["c1", "c2", "c3"]
    assert set(threads) == {threading.get_ident()}  # callers need not be thread-safe
    for output in outputs:
        assert output.error == ""
        parsed = parse_response(output.raw_output)
        expected = solve(
            "lexical", DOCUMENTS[output.key], [(q.question_id, q.text) for q in QUESTIONS]
        )
        assert {qid: a.answer for qid, a in parsed.answers.items()} == {
            qid: a.answer for qid, a in expected.items()
        }
        assert output.prompt_tokens > 0
        assert output.completion_tokens > 0
    assert server.completion_requests == 3


def test_429_then_500_are_retried_and_the_answer_arrives(start_baseline):
    server = start_baseline("429", "500")
    [output] = collect(http_runner(base_url(server), concurrency=1), challenges("c1"))
    assert output.error == ""
    assert parse_response(output.raw_output).answers
    assert server.completion_requests == 3  # two failures, then the answer


def test_a_reply_slower_than_the_timeout_is_retried(start_baseline):
    server = start_baseline("sleep:2")
    started = time.perf_counter()
    [output] = collect(http_runner(base_url(server), timeout_s=0.3), challenges("c1"))
    assert output.error == ""
    assert server.completion_requests == 2
    assert time.perf_counter() - started < 1.5  # gave up on the sleeper, did not wait it out


def test_a_dropped_connection_is_retried(start_baseline):
    server = start_baseline("drop")
    [output] = collect(http_runner(base_url(server)), challenges("c1"))
    assert output.error == ""
    assert server.completion_requests == 2


def test_when_retries_run_out_the_challenge_fails_and_the_run_goes_on(start_baseline):
    server = start_baseline("500", "503", "500")
    runner = http_runner(base_url(server), concurrency=1, retries=2)
    first, second = collect(runner, challenges("c1", "c2"))
    assert first.key == "c1"
    assert first.raw_output == ""
    assert first.error.startswith("HTTP 500: injected fault")
    assert first.error.endswith("(gave up after 3 attempts)")
    assert (second.key, second.error) == ("c2", "")
    assert server.completion_requests == 4


def test_a_400_is_not_retried(start_baseline):
    server = start_baseline("400")
    [output] = collect(http_runner(base_url(server), retries=4), challenges("c1"))
    assert output.error == "HTTP 400: injected fault: HTTP 400"
    assert server.completion_requests == 1


def test_an_unreachable_server_is_an_error_not_a_crash(start_baseline):
    server = start_baseline()
    url = base_url(server)
    server.shutdown()
    server.server_close()
    [output] = collect(http_runner(url, retries=1, backoff_s=0), challenges("c1"))
    assert output.error.startswith("connection failed: ConnectionRefusedError")
    assert output.error.endswith("(gave up after 2 attempts)")


def test_it_stops_between_challenges(start_baseline):
    server = start_baseline()
    runner = http_runner(base_url(server), concurrency=1)
    outputs = []
    runner.run(challenges("c1", "c2", "c3"), outputs.append, lambda: len(outputs) >= 1)
    assert [o.key for o in outputs] == ["c1"]
    assert server.completion_requests == 1


def test_a_stop_during_a_retry_wait_ends_the_run_at_once(start_baseline):
    server = start_baseline("500")
    runner = http_runner(base_url(server), backoff_s=20)
    stop_at = time.perf_counter() + 0.3
    started = time.perf_counter()
    outputs = collect(runner, challenges("c1"), lambda: time.perf_counter() > stop_at)
    assert outputs == []  # the unanswered challenge is left for a resumed run
    assert time.perf_counter() - started < 5


# --- a recording server: headers and malformed bodies -----------------------------------


class RecordingHandler(BaseHTTPRequestHandler):
    """Records each request's headers and answers with the server's canned body."""

    def do_POST(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        self.server.seen.append(dict(self.headers))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(self.server.reply)))
        self.end_headers()
        self.wfile.write(self.server.reply)

    def log_message(self, *args):
        pass


@pytest.fixture
def recording_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), RecordingHandler)
    server.seen = []
    content = json.dumps({"q01": {"answer": "41.2", "citation": "", "confidence": 0.5}})
    server.reply = json.dumps({"choices": [{"message": {"content": content}}]}).encode()
    serve_in_thread(server)
    yield server
    server.shutdown()
    server.server_close()


def test_the_api_key_is_sent_as_a_bearer_header_and_never_recorded(recording_server, monkeypatch):
    monkeypatch.setenv("DACR_TEST_API_KEY", "sk-test-secret-value")
    url = f"http://127.0.0.1:{recording_server.server_address[1]}/v1/"
    runner = http_runner(url, api_key_env="DACR_TEST_API_KEY")
    [output] = collect(runner, challenges("c1"))
    assert recording_server.seen[0]["Authorization"] == "Bearer sk-test-secret-value"
    assert parse_response(output.raw_output).answers["q01"].answer == "41.2"
    assert (output.prompt_tokens, output.completion_tokens) == (None, None)  # no usage sent
    record = json.dumps(runner.record())
    assert "sk-test-secret-value" not in record
    assert "DACR_TEST_API_KEY" in record


def test_no_authorization_header_when_the_key_variable_is_unset(recording_server, monkeypatch):
    monkeypatch.delenv("DACR_TEST_API_KEY", raising=False)
    url = f"http://127.0.0.1:{recording_server.server_address[1]}/v1"
    collect(http_runner(url, api_key_env="DACR_TEST_API_KEY"), challenges("c1"))
    assert "Authorization" not in recording_server.seen[0]


@pytest.mark.parametrize(
    ("reply", "error"),
    [
        (b"<html>oops</html>", "malformed response: not JSON"),
        (b'{"choices": []}', "malformed response: no choices"),
        (b'{"choices": [{"message": {"content": null}}]}', "malformed response: choices[0]"),
        (b"[1, 2]", "malformed response: no choices"),
    ],
)
def test_a_malformed_body_is_an_error_and_not_retried(recording_server, reply, error):
    recording_server.reply = reply
    url = f"http://127.0.0.1:{recording_server.server_address[1]}/v1"
    [output] = collect(http_runner(url), challenges("c1"))
    assert output.error.startswith(error)
    assert len(recording_server.seen) == 1


# --- pure helpers -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("base", "path"),
    [
        ("http://h:8000/v1", "/v1/chat/completions"),
        ("http://h:8000/v1/", "/v1/chat/completions"),
        ("http://h:8000", "/chat/completions"),
        ("https://api.example.org/v1/chat/completions", "/v1/chat/completions"),
    ],
)
def test_it_joins_the_endpoint_onto_the_base_url(base, path):
    assert chat_completions_url(base).path == path


def test_backoff_doubles_honours_retry_after_and_is_capped():
    assert [backoff_delay(1.0, attempt, None) for attempt in range(4)] == [1, 2, 4, 8]
    assert backoff_delay(1.0, 10, None) == 30
    assert backoff_delay(1.0, 3, 0.0) == 0
    assert backoff_delay(1.0, 0, 7.5) == 7.5
    assert backoff_delay(1.0, 0, 3600) == 30
