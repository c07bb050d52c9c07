"""The ``http`` runner: any OpenAI-compatible chat-completions endpoint (vLLM, llama.cpp,
ollama, hosted APIs). Pure; standard library only (``http.client``: no proxies picked up from
the environment and no redirects followed, so a request goes exactly where ``base_url``
says).

Challenges are answered ``concurrency`` at a time by worker threads, but every output is
handed to ``on_output`` on the thread that called ``run``, in completion order, so callers
need not be thread-safe. Failed requests — 429, 5xx, connection errors, timeouts — are
retried with exponential backoff (or the server's Retry-After); other 4xx replies and
malformed bodies are not, since sending the same request again cannot fix them. A challenge
that still fails gets an output with ``error`` set and the run goes on.
"""

from __future__ import annotations

import http.client
import json
import math
import os
import threading
import time
from collections import deque
from collections.abc import Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Any
from urllib.parse import SplitResult, urlsplit

from evaluation.prompt import chat_messages
from evaluation.runners.settings import HttpSettings
from evaluation.runners.types import (
    OutputCallback,
    RunnerChallenge,
    RunnerConfigError,
    RunnerOutput,
    StopCheck,
    elapsed_ms,
    never_stop,
    one_line,
    runner_record,
)

MAX_BACKOFF_S = 30.0
MAX_RESPONSE_BYTES = 32 * 1024 * 1024
STOP_POLL_S = 1.0  # how often should_stop is asked while every request is still waiting


@dataclass(frozen=True)
class Reply:
    """What one HTTP exchange gave: a status and body, or (status None) why there was none."""

    status: int | None
    body: bytes = b""
    retry_after_s: float | None = None
    failure: str = ""

    @property
    def retryable(self) -> bool:
        return self.status is None or self.status == 429 or self.status >= 500

    def describe(self) -> str:
        if self.status is None:
            return self.failure
        return f"HTTP {self.status}: {error_message(self.body)}"


def chat_completions_url(base_url: str) -> SplitResult:
    """``{base_url}/chat/completions``, whether or not ``base_url`` ends in a slash or already
    names the endpoint."""
    parts = urlsplit(base_url)
    path = parts.path.rstrip("/")
    if not path.endswith("/chat/completions"):
        path += "/chat/completions"
    return parts._replace(path=path)


def api_key(env_name: str) -> str:
    """The key from the environment ("" when unset: local servers need none). Checked here
    because http.client would otherwise reject a malformed key with an error quoting it."""
    key = os.environ.get(env_name, "").strip() if env_name else ""
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in key):
        raise RunnerConfigError(
            f"api_key_env: the key in ${env_name} contains spaces or control characters"
        )
    return key


def request_headers(key: str) -> dict[str, str]:
    headers = {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "User-Agent": "dacr-lab-runner",
    }
    if key:
        headers["Authorization"] = f"Bearer {key}"
    return headers


def request_body(settings: HttpSettings, challenge: RunnerChallenge) -> bytes:
    messages = chat_messages(challenge.document_text, challenge.questions, trace=settings.trace)
    payload = {
        "model": settings.model,
        "messages": [message.as_dict() for message in messages],
        "temperature": settings.temperature,
        "max_tokens": settings.max_tokens,
    }
    return json.dumps(payload, ensure_ascii=False).encode("utf-8")


def post(url: SplitResult, body: bytes, headers: dict[str, str], timeout_s: float) -> Reply:
    """One POST; never raises for network trouble (that comes back as a Reply)."""
    https = url.scheme == "https"
    connection_class = http.client.HTTPSConnection if https else http.client.HTTPConnection
    port = url.port or (443 if https else 80)
    connection = connection_class(url.hostname, port, timeout=timeout_s)
    try:
        connection.request("POST", url.path or "/", body=body, headers=headers)
        response = connection.getresponse()
        content = response.read(MAX_RESPONSE_BYTES + 1)
        if len(content) > MAX_RESPONSE_BYTES:
            return Reply(None, failure=f"response larger than {MAX_RESPONSE_BYTES} bytes")
        return Reply(response.status, content, retry_after(response.getheader("Retry-After")))
    except TimeoutError:
        return Reply(None, failure=f"no reply within {timeout_s:g} s")
    except (OSError, http.client.HTTPException) as error:
        return Reply(None, failure=one_line(f"connection failed: {type(error).__name__} {error}"))
    finally:
        connection.close()


def retry_after(header: str | None) -> float | None:
    """Retry-After in seconds; the HTTP-date form is ignored (plain backoff applies)."""
    try:
        seconds = float(header) if header is not None else math.nan
    except ValueError:
        return None
    return seconds if math.isfinite(seconds) and seconds >= 0 else None


def backoff_delay(backoff_s: float, attempt: int, retry_after_s: float | None) -> float:
    """Seconds to wait before retry number ``attempt + 1``: the server's Retry-After when it
    sent one, else ``backoff_s * 2**attempt``; never more than 30 s, so one busy server cannot
    park a worker for long."""
    delay = retry_after_s if retry_after_s is not None else backoff_s * 2**attempt
    return min(delay, MAX_BACKOFF_S)


def error_message(body: bytes) -> str:
    """The one-line reason in an error reply (OpenAI's ``{"error": {"message"}}`` and the
    usual variants), else the start of the body."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return one_line(body.decode("utf-8", errors="replace")) or "(empty body)"
    if isinstance(data, dict):
        detail = data.get("error", data.get("message", data.get("detail")))
        if isinstance(detail, dict):
            detail = detail.get("message", detail)
        if detail:
            return one_line(detail if isinstance(detail, str) else json.dumps(detail))
    return one_line(json.dumps(data))


def completion_output(key: str, body: bytes, latency_ms: int) -> RunnerOutput:
    """A 2xx chat.completion body → the output; a malformed body → an output with error."""

    def malformed(why: str) -> RunnerOutput:
        return RunnerOutput(key, "", None, None, latency_ms, error=f"malformed response: {why}")

    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return malformed("not JSON")
    choices = data.get("choices") if isinstance(data, dict) else None
    if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
        return malformed("no choices")
    message = choices[0].get("message")
    content = message.get("content") if isinstance(message, dict) else None
    if not isinstance(content, str):
        return malformed("choices[0].message.content is not text")
    usage = data.get("usage") if isinstance(data.get("usage"), dict) else {}
    return RunnerOutput(
        key=key,
        raw_output=content,
        prompt_tokens=_count(usage.get("prompt_tokens")),
        completion_tokens=_count(usage.get("completion_tokens")),
        latency_ms=latency_ms,
    )


def _count(value: Any) -> int | None:
    ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
    return value if ok else None


class HttpRunner:
    """Posts each challenge's prompt to ``{base_url}/chat/completions``. ``latency_ms`` is
    the time of the request that succeeded (retries and waits not counted)."""

    name = "http"

    def __init__(self, settings: HttpSettings) -> None:
        self.settings = settings
        self.url = chat_completions_url(settings.base_url)

    def record(self) -> dict[str, Any]:
        return runner_record(self.name, self.settings)

    def run(
        self,
        challenges: Sequence[RunnerChallenge],
        on_output: OutputCallback,
        should_stop: StopCheck = never_stop,
    ) -> None:
        """Answers ``concurrency`` challenges at a time. ``should_stop`` is asked before each
        request is sent, when an answer arrives and at least once a second; once it says
        stop, no new request starts, waits before a retry end at once (that challenge is
        not reported), and answers already under way are still delivered."""
        headers = request_headers(api_key(self.settings.api_key_env))
        pending = deque(challenges)
        stop = threading.Event()
        in_flight: set[Future[RunnerOutput | None]] = set()
        workers = self.settings.concurrency
        with ThreadPoolExecutor(workers, "dacr-http") as pool:
            try:
                while pending or in_flight:
                    if should_stop():
                        stop.set()
                    while pending and not stop.is_set() and len(in_flight) < workers:
                        in_flight.add(pool.submit(self.answer, pending.popleft(), headers, stop))
                    if not in_flight:
                        return
                    done, in_flight = wait(in_flight, STOP_POLL_S, FIRST_COMPLETED)
                    for future in done:
                        if (output := future.result()) is not None:
                            on_output(output)
            finally:
                stop.set()  # a failing caller should not wait out anyone's backoff

    def answer(
        self, challenge: RunnerChallenge, headers: dict[str, str], stop: threading.Event
    ) -> RunnerOutput | None:
        """One challenge, with retries; None when ``stop`` was set while waiting to retry."""
        body = request_body(self.settings, challenge)
        attempt = 0
        while True:
            started = time.perf_counter()
            reply = post(self.url, body, headers, self.settings.timeout_s)
            latency_ms = elapsed_ms(started)
            if reply.status is not None and 200 <= reply.status < 300:
                return completion_output(challenge.key, reply.body, latency_ms)
            if not reply.retryable or attempt == self.settings.retries:
                error = reply.describe()
                if reply.retryable:
                    error += f" (gave up after {attempt + 1} attempt{'s' if attempt else ''})"
                return RunnerOutput(challenge.key, "", None, None, latency_ms, error=error)
            if stop.wait(backoff_delay(self.settings.backoff_s, attempt, reply.retry_after_s)):
                return None
            attempt += 1
