"""The QLoRA recipe as a validated dataclass (``QLoRAConfig``) and its choices."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any

QUANT_TYPES = ("nf4", "fp4")
COMPUTE_DTYPES = ("bfloat16", "float16", "float32")
SCHEDULERS = (
    "cosine",
    "linear",
    "constant",
    "constant_with_warmup",
    "cosine_with_restarts",
    "polynomial",
)
OPTIMIZERS = (
    "paged_adamw_8bit",
    "paged_adamw_32bit",
    "adamw_8bit",
    "adamw_torch",
    "adamw_torch_fused",
)
CPU_OPTIMIZER = "adamw_torch"  # paged and 8-bit optimizers need CUDA
_MODULE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]*$")


class QLoRAConfigError(ValueError):
    """A training setting that is unknown, of the wrong type or out of range."""


@dataclass(frozen=True)
class QLoRAConfig:
    """A QLoRA run's settings; the defaults are the study's recipe. ``max_steps=-1`` trains
    for ``epochs``; ``max_length`` (tokens) leaves longer examples out rather than cutting
    off their answers; ``padding_free`` applies where batches hold several sequences."""

    base_model: str  # a local checkpoint directory or a hub id
    load_in_4bit: bool = True
    bnb_4bit_quant_type: str = "nf4"
    double_quant: bool = True
    compute_dtype: str = "bfloat16"
    lora_r: int = 32
    lora_alpha: float = 64
    lora_dropout: float = 0.05
    target_modules: str | tuple[str, ...] = "all-linear"
    completion_only_loss: bool = True
    epochs: float = 1.0
    max_steps: int = -1
    learning_rate: float = 2e-4
    lr_scheduler: str = "cosine"
    warmup_ratio: float = 0.03
    per_device_batch_size: int = 1
    gradient_accumulation: int = 8
    max_length: int | None = 16384
    packing: bool = False
    padding_free: bool = True
    gradient_checkpointing: bool = True
    logging_steps: int = 1
    save_steps: int = 50
    save_total_limit: int | None = 3
    seed: int = 42
    optimizer: str = "paged_adamw_8bit"  # on a GPU; the CPU plans use adamw_torch

    def __post_init__(self) -> None:
        if isinstance(self.target_modules, list):
            object.__setattr__(self, "target_modules", tuple(self.target_modules))
        for name, check in _CHECKS.items():
            check(name, getattr(self, name))
        if self.packing and self.max_length is None:
            raise QLoRAConfigError("packing needs max_length (the length of a packed block)")

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> QLoRAConfig:
        """Build a config from user input; one-line ``QLoRAConfigError`` on any problem."""
        if not isinstance(data, Mapping):
            raise QLoRAConfigError(
                f"a training config must be an object, got {type(data).__name__}"
            )
        known = {f.name for f in fields(cls)}
        unknown = sorted(str(key) for key in data if key not in known)
        if unknown:
            raise QLoRAConfigError(f"unknown training setting(s): {', '.join(unknown)}")
        if "base_model" not in data:
            raise QLoRAConfigError("base_model is required (a checkpoint directory or hub id)")
        return cls(**data)

    def as_record(self) -> dict[str, Any]:
        """JSON-ready settings, for the run's self-describing record."""
        return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items()}


def _int(minimum: int, *, allow: tuple[int, ...] = (), optional: bool = False) -> Callable:
    def check(name: str, value: Any) -> None:
        if value is None and optional:
            return
        if isinstance(value, bool) or not isinstance(value, int):
            raise QLoRAConfigError(f"{name} must be an integer, got {value!r:.60}")
        if value < minimum and value not in allow:
            extra = "".join(f" or {a}" for a in allow)
            raise QLoRAConfigError(f"{name} must be ≥ {minimum}{extra}, got {value}")

    return check


def _number(low: float, high: float, *, low_open: bool, high_open: bool) -> Callable:
    def check(name: str, value: Any) -> None:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise QLoRAConfigError(f"{name} must be a number, got {value!r:.60}")
        too_low = value <= low if low_open else value < low
        too_high = value >= high if high_open else value > high
        if not math.isfinite(value) or too_low or too_high:
            bounds = f"{'(' if low_open else '['}{low:g}, {high:g}{')' if high_open else ']'}"
            raise QLoRAConfigError(f"{name} must be in {bounds}, got {value}")

    return check


def _bool(name: str, value: Any) -> None:
    if not isinstance(value, bool):
        raise QLoRAConfigError(f"{name} must be true or false, got {value!r:.60}")


def _choice(options: tuple[str, ...]) -> Callable:
    def check(name: str, value: Any) -> None:
        if value not in options:
            raise QLoRAConfigError(f"{name} must be one of {', '.join(options)}, got {value!r:.60}")

    return check


def _base_model(name: str, value: Any) -> None:
    if not isinstance(value, str) or not value.strip() or "\n" in value:
        raise QLoRAConfigError(
            f"{name} must be a checkpoint directory or hub id, got {value!r:.60}"
        )


def _target_modules(name: str, value: Any) -> None:
    if value == "all-linear":
        return
    if isinstance(value, str) or not isinstance(value, tuple) or not value:
        raise QLoRAConfigError(f"{name} must be 'all-linear' or a list of module names")
    for module in value:
        if not isinstance(module, str) or not _MODULE_NAME.match(module):
            raise QLoRAConfigError(f"{name} holds an invalid module name: {module!r:.60}")


_CHECKS: dict[str, Callable[[str, Any], None]] = {
    "base_model": _base_model,
    "load_in_4bit": _bool,
    "bnb_4bit_quant_type": _choice(QUANT_TYPES),
    "double_quant": _bool,
    "compute_dtype": _choice(COMPUTE_DTYPES),
    "lora_r": _int(1),
    "lora_alpha": _number(0, 4096, low_open=True, high_open=False),
    "lora_dropout": _number(0, 1, low_open=False, high_open=True),
    "target_modules": _target_modules,
    "completion_only_loss": _bool,
    "epochs": _number(0, 100, low_open=True, high_open=False),
    "max_steps": _int(1, allow=(-1,)),
    "learning_rate": _number(0, 1, low_open=True, high_open=False),
    "lr_scheduler": _choice(SCHEDULERS),
    "warmup_ratio": _number(0, 1, low_open=False, high_open=True),
    "per_device_batch_size": _int(1),
    "gradient_accumulation": _int(1),
    "max_length": _int(32, optional=True),
    "packing": _bool,
    "padding_free": _bool,
    "gradient_checkpointing": _bool,
    "logging_steps": _int(1),
    "save_steps": _int(1),
    "save_total_limit": _int(1, optional=True),
    "seed": _int(0),
    "optimizer": _choice(OPTIMIZERS),
}
