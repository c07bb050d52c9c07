"""What every runner takes and gives back, and the contract a runner keeps. Pure."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from evaluation.prompt import PROMPT_VERSION, PromptQuestion


class RunnerConfigError(ValueError):
    """A runner's settings (or the file or model they point at) are unusable. The message is
    one line that starts with the field at fault: ``"temperature: must be …"``."""


@dataclass(frozen=True)
class RunnerChallenge:
    """One challenge to answer: ``key`` is the caller's handle for it (a challenge id), echoed
    on the output."""

    key: str
    document_text: str
    questions: tuple[PromptQuestion, ...]


@dataclass(frozen=True)
class RunnerOutput:
    """A runner's answer to one challenge.

    ``raw_output`` is the model's text as it came, for ``traces.parsing`` to read; token
    counts are None where the runner has none (no model, or a server that reports no usage).
    ``truncated``/``truncation_note`` say the document was cut to fit the model's input.
    ``error`` is a one-line reason when the challenge could not be answered; ``raw_output``
    is then ``""``. ``answers`` is set by a runner replaying a predictions file: the answers
    per question id as the file gives them, stored and graded as they are (the way the public
    scorer reads a file), with ``raw_output`` their JSON.
    """

    key: str
    raw_output: str
    prompt_tokens: int | None
    completion_tokens: int | None
    latency_ms: int
    truncated: bool = False
    truncation_note: str = ""
    error: str = ""
    answers: Mapping[str, Any] | None = None


OutputCallback = Callable[[RunnerOutput], None]
StopCheck = Callable[[], bool]


def never_stop() -> bool:
    return False


class Runner(Protocol):
    """The contract every runner keeps.

    ``run`` calls ``on_output`` once per challenge, as soon as that challenge is done and
    always on the calling thread; the caller stores a trace per output, so a run that is
    stopped or dies can be resumed by passing only the challenges not yet done. ``run``
    checks ``should_stop`` between challenges (or batches) and returns early when it says
    so. ``record()`` is the self-describing, JSON-safe, secret-free description an
    evaluation run stores.
    """

    name: str
    settings: Any

    def record(self) -> dict[str, Any]: ...

    def run(
        self,
        challenges: Sequence[RunnerChallenge],
        on_output: OutputCallback,
        should_stop: StopCheck = never_stop,
    ) -> None: ...


def runner_record(name: str, settings: Any) -> dict[str, Any]:
    """The part of ``record()`` every runner shares."""
    return {"runner": name, "settings": settings.as_record(), "prompt_version": PROMPT_VERSION}


def elapsed_ms(started: float) -> int:
    """Milliseconds since ``started`` (a ``time.perf_counter()`` reading)."""
    return round((time.perf_counter() - started) * 1000)


def one_line(text: str, limit: int = 200) -> str:
    """``text`` on one line, cut to ``limit`` characters: error messages stay one line."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
