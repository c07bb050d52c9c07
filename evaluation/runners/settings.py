"""Runner settings: one frozen dataclass per runner, validated when it is built. Pure.

Settings arrive as plain dicts from forms, the API and stored model specs. ``from_dict``
rejects unknown keys and wrong types or values with a one-line ``RunnerConfigError`` that
names the field, so a typo such as ``"temprature"`` fails loudly instead of quietly running
with the default. ``as_record()`` is what an evaluation run stores: JSON-safe and free of
secrets — the API key is recorded by the name of its environment variable, never its value.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import MISSING, asdict, dataclass, fields
from pathlib import Path
from typing import Any, Self
from urllib.parse import urlsplit

from evaluation.runners.types import RunnerConfigError, one_line

DTYPES = ("auto", "float32", "bfloat16", "float16")
_DEVICE = re.compile(r"(auto|cpu|mps|cuda(:\d{1,2})?)\Z")
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,127}\Z")


class _Settings:
    """``from_dict`` and ``as_record`` for the settings dataclasses below."""

    @classmethod
    def from_dict(cls, data: Any) -> Self:
        """Settings from a plain dict; RunnerConfigError (one line) on anything off."""
        if not isinstance(data, Mapping):
            raise RunnerConfigError("settings: must be an object of setting names to values")
        known = [f.name for f in fields(cls)]
        for key in data:
            if key not in known:
                listed = ", ".join(known) or "none"
                raise RunnerConfigError(f"{one_line(key, 40)}: unknown setting; known: {listed}")
        for f in fields(cls):
            if f.default is MISSING and f.name not in data:
                raise RunnerConfigError(f"{f.name}: required")
        return cls(**data)

    def as_record(self) -> dict[str, Any]:
        return asdict(self)


def _text(name: str, value: Any, *, allow_empty: bool = False) -> None:
    if not isinstance(value, str) or (not allow_empty and not value.strip()):
        raise RunnerConfigError(f"{name}: must be {'text' if allow_empty else 'non-empty text'}")


def _whole(name: str, value: Any, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise RunnerConfigError(f"{name}: must be a whole number between {low} and {high}")


def _number(name: str, value: Any, low: float, high: float, *, above_low: bool = False) -> None:
    ok = not isinstance(value, bool) and isinstance(value, int | float) and math.isfinite(value)
    if not ok or not low <= value <= high or (above_low and value == low):
        bound = (
            f"above {low:g} and at most {high:g}" if above_low else f"between {low:g} and {high:g}"
        )
        raise RunnerConfigError(f"{name}: must be a number {bound}")


def _flag(name: str, value: Any) -> None:
    if not isinstance(value, bool):
        raise RunnerConfigError(f"{name}: must be true or false")


def _choice(name: str, value: Any, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise RunnerConfigError(f"{name}: must be one of {', '.join(choices)}")


def _http_url(name: str, value: Any) -> None:
    _text(name, value)
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in value):
        raise RunnerConfigError(f"{name}: must not contain spaces or control characters")
    try:
        parts = urlsplit(value)
        port = parts.port  # a port that is not a number in 0–65535 raises ValueError
    except ValueError:
        raise RunnerConfigError(f"{name}: not a valid URL") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RunnerConfigError(f"{name}: must be an http:// or https:// URL with a host")
    if port == 0:
        raise RunnerConfigError(f"{name}: port 0 cannot be connected to")
    if parts.username is not None or parts.password is not None:
        raise RunnerConfigError(
            f"{name}: must not contain credentials; put the key in the variable named by "
            "api_key_env"
        )
    if parts.query or parts.fragment:
        raise RunnerConfigError(f"{name}: must not have a query or fragment")


def _env_name(name: str, value: Any) -> None:
    # Only a variable's name is valid here, which also stops a pasted key ("sk-…") from
    # ending up in a stored run record.
    if not isinstance(value, str) or (value and not _ENV_NAME.match(value)):
        raise RunnerConfigError(
            f"{name}: must be the name of an environment variable (letters, digits, _), "
            "not the key itself"
        )


def _directory(name: str, value: Any, *, must_hold: str) -> None:
    _text(name, value)
    if not Path(value).is_dir():
        raise RunnerConfigError(f"{name}: no such directory: {one_line(value, 120)}")
    if not (Path(value) / must_hold).is_file():
        raise RunnerConfigError(f"{name}: no {must_hold} in {one_line(value, 120)}")


@dataclass(frozen=True)
class LexicalSettings(_Settings):
    """The lexical retrieval baseline has nothing to set."""

    def as_record(self) -> dict[str, Any]:
        return {"baseline": "lexical"}


@dataclass(frozen=True)
class HttpSettings(_Settings):
    """An OpenAI-compatible chat endpoint (vLLM, llama.cpp, ollama, hosted APIs).

    ``base_url`` is the API root, usually ending in ``/v1``. ``api_key_env`` names the
    environment variable that holds the key, read when the run starts; it may be unset for
    local servers, and ``""`` sends no key at all. ``timeout_s`` bounds each connection
    attempt and each wait for data. Failed requests (429, 5xx, connection errors, timeouts)
    are retried ``retries`` times after ``backoff_s * 2**attempt`` seconds, or the server's
    Retry-After, capped at 30 s. ``trace`` asks for reasoning before the answers.
    """

    base_url: str
    model: str
    api_key_env: str = "OPENAI_API_KEY"
    temperature: float = 0.0
    max_tokens: int = 2048
    concurrency: int = 4
    timeout_s: float = 120.0
    retries: int = 4
    backoff_s: float = 1.0
    trace: bool = True

    def __post_init__(self) -> None:
        _http_url("base_url", self.base_url)
        _text("model", self.model)
        _env_name("api_key_env", self.api_key_env)
        _number("temperature", self.temperature, 0, 2)
        _whole("max_tokens", self.max_tokens, 1, 1_000_000)
        _whole("concurrency", self.concurrency, 1, 64)
        _number("timeout_s", self.timeout_s, 0, 3600, above_low=True)
        _whole("retries", self.retries, 0, 20)
        _number("backoff_s", self.backoff_s, 0, 60)
        _flag("trace", self.trace)


@dataclass(frozen=True)
class TransformersSettings(_Settings):
    """A local checkpoint run with transformers, with an optional peft adapter.

    ``max_input_tokens`` 0 means the model's context length minus ``max_new_tokens``; longer
    prompts have their document cut (never the questions). ``dtype`` auto is bfloat16 on
    CUDA and float32 on the CPU; ``device`` auto is CUDA when present. ``temperature`` 0 is
    greedy decoding.
    """

    model_path: str
    adapter_path: str = ""
    batch_size: int = 4
    max_new_tokens: int = 1024
    max_input_tokens: int = 0
    dtype: str = "auto"
    device: str = "auto"
    temperature: float = 0.0
    trace: bool = True

    def __post_init__(self) -> None:
        _directory("model_path", self.model_path, must_hold="config.json")
        _text("adapter_path", self.adapter_path, allow_empty=True)
        if self.adapter_path:
            _directory("adapter_path", self.adapter_path, must_hold="adapter_config.json")
        _whole("batch_size", self.batch_size, 1, 512)
        _whole("max_new_tokens", self.max_new_tokens, 1, 131_072)
        _whole("max_input_tokens", self.max_input_tokens, 0, 10_000_000)
        _choice("dtype", self.dtype, DTYPES)
        if not isinstance(self.device, str) or not _DEVICE.match(self.device):
            raise RunnerConfigError("device: must be auto, cpu, mps, cuda or cuda:N")
        _number("temperature", self.temperature, 0, 2)
        _flag("trace", self.trace)


@dataclass(frozen=True)
class FileSettings(_Settings):
    """A DACR-Bench predictions file (a JSON array of ``{challengeId, answers}``)."""

    path: str

    def __post_init__(self) -> None:
        _text("path", self.path)
        if not Path(self.path).is_file():
            raise RunnerConfigError(f"path: no such file: {one_line(self.path, 120)}")
