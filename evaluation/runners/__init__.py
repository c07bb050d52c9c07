"""Model runners for evaluation runs: challenges in, one raw output per challenge out. Pure
(no Django); heavy libraries are imported only by the runner that needs them.

``make_runner(name, settings)`` builds one of:

- ``lexical``: our BM25 retrieval baseline, no model (``lexical``);
- ``http``: any OpenAI-compatible chat-completions endpoint (``http_api``);
- ``transformers``: a local checkpoint with an optional peft adapter, batched
  (``local_model``);
- ``file``: answers imported from a DACR-Bench predictions file (``prediction_file``).

Every runner keeps the ``Runner`` contract (``types``): ``run(challenges, on_output,
should_stop)`` calls ``on_output`` once per challenge as soon as it is done, so the caller can
store a trace per output and resume a stopped run by passing only what is left; ``record()``
describes the run (settings, prompt version, resolved device and library versions) with no
secret in it. Prompts come only from ``evaluation.prompt``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from evaluation.runners.http_api import HttpRunner
from evaluation.runners.lexical import LexicalRunner, lexical_answer_text
from evaluation.runners.local_model import TransformersRunner, load_model
from evaluation.runners.prediction_file import FileRunner
from evaluation.runners.settings import (
    FileSettings,
    HttpSettings,
    LexicalSettings,
    TransformersSettings,
)
from evaluation.runners.types import (
    Runner,
    RunnerChallenge,
    RunnerConfigError,
    RunnerOutput,
    one_line,
)

__all__ = [
    "RUNNERS",
    "FileRunner",
    "FileSettings",
    "HttpRunner",
    "HttpSettings",
    "LexicalRunner",
    "LexicalSettings",
    "Runner",
    "RunnerChallenge",
    "RunnerConfigError",
    "RunnerOutput",
    "TransformersRunner",
    "TransformersSettings",
    "lexical_answer_text",
    "load_model",
    "make_runner",
]

# name → (settings class, runner class)
RUNNERS: dict[str, tuple[Any, Callable[[Any], Runner]]] = {
    "lexical": (LexicalSettings, LexicalRunner),
    "http": (HttpSettings, HttpRunner),
    "transformers": (TransformersSettings, TransformersRunner),
    "file": (FileSettings, FileRunner),
}


def make_runner(name: str, settings: Any) -> Runner:
    """The runner called ``name`` with validated ``settings`` (a plain dict).

    RunnerConfigError (one line, naming the field) for an unknown runner, unknown or bad
    settings, or — for ``file`` — a file that is not a predictions file.
    """
    entry = RUNNERS.get(name) if isinstance(name, str) else None
    if entry is None:
        raise RunnerConfigError(
            f"runner: unknown {one_line(repr(name), 60)}; known: {', '.join(RUNNERS)}"
        )
    settings_class, runner_class = entry
    return runner_class(settings_class.from_dict(settings))
