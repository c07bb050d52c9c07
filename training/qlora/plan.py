"""What a run actually does on this machine (``TrainingPlan``): NF4 on a GPU, NF4 on the
CPU through bitsandbytes, or plain LoRA in float32, with notes for the run page."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from training.qlora.config import CPU_OPTIMIZER, QLoRAConfig

# --- what will run -------------------------------------------------------------------------


@dataclass(frozen=True)
class TrainingPlan:
    """What a run actually does on this machine, and why, in words for the run page."""

    name: str  # "qlora-nf4", "qlora-nf4-cpu", "lora-fp32", …
    device: str  # "cuda" or "cpu"
    load_in_4bit: bool
    compute_dtype: str
    optimizer: str
    padding_free: bool
    notes: tuple[str, ...]

    @property
    def bf16(self) -> bool:
        return self.compute_dtype == "bfloat16"

    @property
    def fp16(self) -> bool:
        return self.compute_dtype == "float16"

    def as_record(self) -> dict[str, Any]:
        record = asdict(self)
        record["notes"] = list(self.notes)
        return record


def resolve_plan(config: QLoRAConfig, cuda_available: bool, bnb_cpu_works: bool) -> TrainingPlan:
    """Decide what runs: the config as asked on a GPU; on the CPU, 4-bit through bitsandbytes
    when its CPU kernels work (float32 compute, ``adamw_torch``), else plain LoRA in float32."""
    quant = config.bnb_4bit_quant_type
    notes: list[str] = []
    if cuda_available:
        four_bit, dtype, optimizer = config.load_in_4bit, config.compute_dtype, config.optimizer
        name = f"qlora-{quant}" if four_bit else f"lora-{_short(dtype)}"
        notes.append(
            f"GPU: 4-bit {quant.upper()} QLoRA, compute in {dtype}"
            if four_bit
            else f"GPU: plain LoRA in {dtype} (4-bit is off in the config)"
        )
    else:
        four_bit, dtype, optimizer = config.load_in_4bit and bnb_cpu_works, "float32", CPU_OPTIMIZER
        name = f"qlora-{quant}-cpu" if four_bit else "lora-fp32"
        notes.append(_cpu_note(config, bnb_cpu_works))
        if config.compute_dtype != "float32":
            notes.append(f"No GPU: computing in float32 instead of {config.compute_dtype}")
        if config.optimizer != CPU_OPTIMIZER:
            notes.append(f"No GPU: optimizer {CPU_OPTIMIZER} instead of {config.optimizer}")
    padding_free = config.padding_free and (config.per_device_batch_size > 1 or config.packing)
    if config.padding_free and not padding_free:
        notes.append("Padding-free off: with one sequence per batch there is no padding to remove")
    return TrainingPlan(
        name,
        "cuda" if cuda_available else "cpu",
        four_bit,
        dtype,
        optimizer,
        padding_free,
        tuple(notes),
    )


def _cpu_note(config: QLoRAConfig, bnb_cpu_works: bool) -> str:
    quant = config.bnb_4bit_quant_type.upper()
    if not config.load_in_4bit:
        return "No GPU: plain LoRA in float32 (4-bit is off in the config)"
    if bnb_cpu_works:
        return f"No GPU: 4-bit {quant} ran on the CPU through bitsandbytes"
    return "No GPU and no CPU 4-bit support: plain LoRA in float32"


def _short(dtype: str) -> str:
    return {"bfloat16": "bf16", "float16": "fp16", "float32": "fp32"}[dtype]


def bnb_cpu_4bit_available(quant_type: str = "nf4") -> bool:
    """Whether bitsandbytes quantizes a ``Linear4bit`` on this CPU and runs forward and
    backward through it (bitsandbytes ≥ 0.48 has CPU kernels; older builds or odd CPUs fail)."""
    try:
        import bitsandbytes as bnb
        import torch

        layer = bnb.nn.Linear4bit(
            64, 32, bias=False, compute_dtype=torch.float32, quant_type=quant_type
        )
        weight = torch.randn(32, 64)
        layer.weight = bnb.nn.Params4bit(weight, requires_grad=False, quant_type=quant_type)
        layer = layer.to("cpu")
        inputs = torch.randn(2, 64, requires_grad=True)
        layer(inputs).sum().backward()
        return bool(layer.weight.bnb_quantized) and inputs.grad is not None
    except Exception:
        return False


def detect_plan(config: QLoRAConfig) -> TrainingPlan:
    """``resolve_plan`` for this machine (probes bitsandbytes only when it matters)."""
    import torch

    cuda = torch.cuda.is_available()
    probe = not cuda and config.load_in_4bit
    bnb_works = bnb_cpu_4bit_available(config.bnb_4bit_quant_type) if probe else False
    return resolve_plan(config, cuda, bnb_works)
