"""An OpenAI-compatible chat-completions server that answers with the lexical baseline. Pure:
the standard library and our baseline, no Django.

It lets the ``http`` runner — or any client that speaks the OpenAI API — be exercised end to
end with no model and no network: run ``python manage.py serve_baseline --port 8099`` and
give the http runner ``base_url = http://127.0.0.1:8099/v1``. The server reads the document
and questions back out of the prompt that ``evaluation.prompt.user_prompt`` wrote
(``parse_user_prompt``), so what it answers is exactly what the baseline answers directly.

Endpoints: ``POST /v1/chat/completions``, ``GET /v1/models`` (one model, ``dacr-lexical``),
``GET /health``. Errors are ``{"error": {"message", "type"}}`` bodies, as OpenAI sends them.

Fault injection, for testing clients only: ``faults`` is a list consumed one per
chat-completions request, in order, before normal service resumes —

- ``"429"`` (or any status from 400 to 599): reply with that status and an error body; a 429
  carries ``Retry-After: 0``;
- ``"sleep:S"``: wait S seconds, then answer normally (trips a client's timeout);
- ``"drop"``: close the connection without a reply.
"""

from __future__ import annotations

import json
import math
import re
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from evaluation.prompt import PromptQuestion
from evaluation.runners.lexical import lexical_answer_text

MODEL_ID = "dacr-lexical"
MAX_BODY_BYTES = 64 * 1024 * 1024
_DOCUMENT_HEAD = "Document:\n\n"
_QUESTIONS_HEAD = "\n\nQuestions:\n"
_QUESTION_LINE = re.compile(r"([^\s:]+): (.*)\Z")


def parse_user_prompt(text: str) -> tuple[str, list[PromptQuestion]]:
    """The document and questions from a user turn written by ``evaluation.prompt.user_prompt``
    (the inverse of its layout). ValueError, one line, when ``text`` is not laid out so.

    The questions section is the last ``Questions:`` heading (a document may contain the
    word), one ``id: text`` line per question; a line that does not start with an id
    continues the question before it.
    """
    if not isinstance(text, str) or not text.startswith(_DOCUMENT_HEAD):
        raise ValueError("the user message is not a DACR prompt: it does not start with Document:")
    split = text.rfind(_QUESTIONS_HEAD)
    if split < len(_DOCUMENT_HEAD):
        raise ValueError("the user message is not a DACR prompt: it has no Questions: section")
    document = text[len(_DOCUMENT_HEAD) : split]
    block = text[split + len(_QUESTIONS_HEAD) :].split("\n\n", 1)[0]
    questions: list[PromptQuestion] = []
    for line in block.split("\n"):
        match = _QUESTION_LINE.match(line)
        if match:
            questions.append(PromptQuestion(match[1], match[2]))
        elif questions:
            last = questions[-1]
            questions[-1] = PromptQuestion(last.question_id, f"{last.text}\n{line}")
    if not questions:
        raise ValueError("the user message is not a DACR prompt: it lists no 'id: question' lines")
    return document, questions


def message_text(message: Any) -> str:
    """A chat message's text: a string content, or the text parts of a list content."""
    content = message.get("content") if isinstance(message, dict) else None
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts = [p.get("text") for p in content if isinstance(p, dict) and p.get("type") == "text"]
        return "".join(part for part in parts if isinstance(part, str))
    return ""


def chat_completion(request: Any) -> dict[str, Any]:
    """A ``chat.completion`` body answering the request's last user message with the lexical
    baseline. Token counts are whitespace-separated words (there is no tokenizer).
    ValueError, one line, for a request that is not a chat request with a DACR prompt."""
    if not isinstance(request, dict):
        raise ValueError("the request body must be a JSON object")
    messages = request.get("messages")
    if not isinstance(messages, list) or not messages:
        raise ValueError("'messages' must be a non-empty list")
    users = [m for m in messages if isinstance(m, dict) and m.get("role") == "user"]
    if not users:
        raise ValueError("'messages' has no user message")
    document, questions = parse_user_prompt(message_text(users[-1]))
    content = lexical_answer_text(document, questions)
    model = request.get("model")
    prompt_tokens = sum(len(message_text(m).split()) for m in messages)
    completion_tokens = len(content.split())
    return {
        "id": f"chatcmpl-{uuid.uuid4().hex}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model if isinstance(model, str) and model else MODEL_ID,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": "stop",
            }
        ],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
    }


def check_fault(fault: str) -> str:
    """A fault in its canonical form; ValueError (one line) for one the server cannot play."""
    text = fault.strip().lower() if isinstance(fault, str) else ""
    if text == "drop" or (text.isdigit() and 400 <= int(text) <= 599):
        return text
    if text.startswith("sleep:"):
        try:
            seconds = float(text.removeprefix("sleep:"))
        except ValueError:
            seconds = math.nan
        if math.isfinite(seconds) and 0 <= seconds <= 3600:
            return text
    raise ValueError(f"fault {fault!r}: expected a status 400-599, sleep:SECONDS or drop")


class BaselineServer(ThreadingHTTPServer):
    """The HTTP server: one thread per request, faults handed out under a lock."""

    daemon_threads = True
    block_on_close = False  # a handler asleep on an injected fault must not hold up shutdown

    def __init__(self, address: tuple[str, int], faults: Sequence[str], log_requests: bool):
        self.faults = deque(check_fault(fault) for fault in faults)
        self.log_requests = log_requests
        self.completion_requests = 0
        self._lock = threading.Lock()
        super().__init__(address, BaselineHandler)

    def next_fault(self) -> str | None:
        """Counts a chat-completions request and hands it the next fault, if any is left."""
        with self._lock:
            self.completion_requests += 1
            return self.faults.popleft() if self.faults else None


class BaselineHandler(BaseHTTPRequestHandler):
    server: BaselineServer
    server_version = "dacr-baseline/1"

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if path == "/health":
            self._send_json(200, {"status": "ok"})
        elif path in ("/v1/models", "/models"):
            card = {"id": MODEL_ID, "object": "model", "created": 0, "owned_by": "dacr-lab"}
            self._send_json(200, {"object": "list", "data": [card]})
        else:
            self._send_error(404, f"no such endpoint: GET {path}", "not_found_error")

    def do_POST(self) -> None:
        path = self.path.split("?", 1)[0]
        if path not in ("/v1/chat/completions", "/chat/completions"):
            self._send_error(404, f"no such endpoint: POST {path}", "not_found_error")
            return
        body = self._read_body()
        if body is None:
            return
        fault = self.server.next_fault()
        if fault is not None and self._play_fault(fault):
            return
        try:
            completion = chat_completion(json.loads(body))
        except (ValueError, RecursionError) as error:
            reason = str(error) if not isinstance(error, json.JSONDecodeError) else ""
            self._send_error(400, reason or "the request body is not valid JSON")
            return
        self._send_json(200, completion)

    def _read_body(self) -> bytes | None:
        """The request body, or None once an error reply has been sent."""
        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError:
            self._send_error(411, "a Content-Length header is required")
            return None
        if not 0 <= length <= MAX_BODY_BYTES:
            self._send_error(413, f"the request body is over {MAX_BODY_BYTES} bytes")
            return None
        return self.rfile.read(length)

    def _play_fault(self, fault: str) -> bool:
        """Plays an injected fault; True when it replaced the normal answer."""
        if fault == "drop":
            self.close_connection = True
            return True
        if fault.startswith("sleep:"):
            time.sleep(float(fault.removeprefix("sleep:")))
            return False
        status = int(fault)
        headers = [("Retry-After", "0")] if status == 429 else []
        self._send_error(status, f"injected fault: HTTP {status}", "injected_fault", headers)
        return True

    def _send_error(
        self,
        status: int,
        message: str,
        kind: str = "invalid_request_error",
        headers: Sequence[tuple[str, str]] = (),
    ) -> None:
        self._send_json(status, {"error": {"message": message, "type": kind}}, headers)

    def _send_json(
        self, status: int, payload: Any, headers: Sequence[tuple[str, str]] = ()
    ) -> None:
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            for name, value in headers:
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting (often on purpose: a sleep fault)

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.log_requests:
            super().log_message(format, *args)


def make_server(
    host: str, port: int, faults: Sequence[str] = (), *, log_requests: bool = False
) -> BaselineServer:
    """A bound, not yet serving, server (port 0 picks a free one). ValueError for a fault the
    server cannot play."""
    return BaselineServer((host, port), faults, log_requests)


def base_url(server: ThreadingHTTPServer) -> str:
    """What to give the http runner as ``base_url`` for this server."""
    host, port = server.server_address[:2]
    return f"http://{host}:{port}/v1"


def serve(
    host: str,
    port: int,
    faults: Sequence[str] = (),
    on_listening: Callable[[str], None] | None = None,
) -> None:
    """Serve until interrupted, logging each request to stderr; ``on_listening`` gets the
    base URL once the port is bound."""
    server = make_server(host, port, faults, log_requests=True)
    if on_listening is not None:
        on_listening(base_url(server))
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
