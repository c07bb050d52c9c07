"""Benchmark: QLoRA training speed and memory at Qwen 2.5 7B's dimensions on one GPU.

Run ``.venv/bin/python -m tests.bench.bench_qlora`` from the repository root on a CUDA
machine (``--help`` for the knobs). It builds a random-weight Qwen2 model with Qwen 2.5 7B
Instruct's dimensions directly in 4-bit NF4 on the GPU: the skeleton is made on the meta
device and each linear layer's weight is drawn on the GPU in bfloat16 and quantized at once,
so nothing is downloaded or written to disk and host memory stays small. It then trains with
the study's recipe (LoRA rank 32 / alpha 64 on all linear layers, completion-only loss,
paged 8-bit AdamW, gradient checkpointing, batch 1 x 8 accumulation) through the same
trainer ``training.qlora.train`` uses, on random token sequences whose lengths follow the
study's traces (a document of 3-12k tokens plus a 0.3-1.5k-token answer).

Prints the build time, the seconds per optimizer step, tokens per second, peak GPU memory,
and the projected wall time for the study's 4,421 traces (one epoch), next to the study's
2.8 h on one H100. Without a CUDA GPU it exits at once saying so.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

STUDY_TRACES = 4_421
STUDY_HOURS_H100 = 2.8
QWEN25_7B = {
    "hidden_size": 3584,
    "num_hidden_layers": 28,
    "num_attention_heads": 28,
    "num_key_value_heads": 4,
    "intermediate_size": 18944,
    "vocab_size": 152064,
    "max_position_embeddings": 32768,
    "rope_theta": 1_000_000.0,
    "rms_norm_eps": 1e-6,
    "tie_word_embeddings": False,
}
DOCUMENT_TOKENS = (3_000, 12_000)
ANSWER_TOKENS = (300, 1_500)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=6, help="optimizer steps to run")
    parser.add_argument("--warmup", type=int, default=1, help="first steps left out of timing")
    parser.add_argument("--grad-accum", type=int, default=8, help="sequences per step")
    parser.add_argument("--layers", type=int, default=QWEN25_7B["num_hidden_layers"])
    parser.add_argument("--seed", type=int, default=0)
    return parser.parse_args()


def build_random_4bit_model(model_config, recipe, plan, device):
    """A causal LM of ``model_config`` with random weights, quantized as ``plan`` says, built
    the way ``from_pretrained`` does it (the bitsandbytes quantizer's pre- and post-processing)
    minus reading a checkpoint: meta skeleton, each ``Linear4bit`` weight drawn on ``device``
    and quantized there, the other parameters drawn or set to one, buffers moved over."""
    import bitsandbytes as bnb
    import torch
    from accelerate import init_empty_weights
    from transformers import AutoModelForCausalLM
    from transformers.quantizers import AutoHfQuantizer

    from training.qlora import bnb_config

    quantizer = AutoHfQuantizer.from_config(bnb_config(recipe, plan), pre_quantized=False)
    with init_empty_weights(include_buffers=False):
        model = AutoModelForCausalLM.from_config(model_config, dtype=torch.bfloat16)
    quantizer.preprocess_model(model, device_map={"": device})  # Linear -> Linear4bit (meta)
    generator = torch.Generator(device=device).manual_seed(0)
    for module in model.modules():
        if isinstance(module, bnb.nn.Linear4bit):
            _quantize_random(module, device, generator)
    for name, param in list(model.named_parameters()):
        if param.is_meta:
            _materialize(model, name, param, device, generator)
    for module in model.modules():
        for key, buffer in module._buffers.items():
            if buffer is not None:
                module._buffers[key] = buffer.to(device)
    model.hf_quantizer = quantizer
    quantizer.postprocess_model(model)  # config.quantization_config, is_loaded_in_4bit
    return model


def _quantize_random(module, device, generator) -> None:
    import bitsandbytes as bnb
    import torch

    shape = (module.out_features, module.in_features)
    weight = torch.empty(shape, dtype=torch.bfloat16, device=device)
    weight.normal_(0.0, 0.02, generator=generator)
    old = module.weight
    module.weight = bnb.nn.Params4bit(
        weight,
        requires_grad=False,
        blocksize=old.blocksize,
        compress_statistics=old.compress_statistics,
        quant_type=old.quant_type,
        quant_storage=old.quant_storage,
        module=module,
    ).to(device)  # quantizes here; the bfloat16 draw is freed with ``weight``
    if module.bias is not None:
        bias = torch.zeros(module.out_features, dtype=torch.bfloat16, device=device)
        module.bias = torch.nn.Parameter(bias, requires_grad=False)


def _materialize(model, name, param, device, generator) -> None:
    import torch

    owner_name, _, attribute = name.rpartition(".")
    value = torch.empty(param.shape, dtype=torch.bfloat16, device=device)
    if "norm" in name:
        value.fill_(1.0)
    else:
        value.normal_(0.0, 0.02, generator=generator)
    owner = model.get_submodule(owner_name)
    setattr(owner, attribute, torch.nn.Parameter(value, requires_grad=False))


def random_sequences(count: int, vocab: int, seed: int):
    """Pre-tokenized rows (``input_ids`` and ``completion_mask``) of study-like lengths."""
    from datasets import Dataset

    rng = random.Random(seed)
    rows = []
    for _ in range(count):
        prompt, answer = rng.randint(*DOCUMENT_TOKENS), rng.randint(*ANSWER_TOKENS)
        ids = [rng.randrange(1, vocab) for _ in range(prompt + answer)]
        rows.append({"input_ids": ids, "completion_mask": [0] * prompt + [1] * answer})
    return Dataset.from_list(rows)


def _mean_sequence_tokens() -> float:
    return sum(DOCUMENT_TOKENS) / 2 + sum(ANSWER_TOKENS) / 2


def run(args: argparse.Namespace) -> dict[str, float]:
    import torch
    from peft import prepare_model_for_kbit_training
    from transformers import Qwen2Config

    from tests.tiny_model import build_tokenizer
    from training.qlora import (
        QLoRAConfig,
        TrainingCallbacks,
        build_trainer,
        resolve_plan,
    )

    recipe = QLoRAConfig(
        base_model="random:qwen2.5-7b",
        max_steps=args.steps,
        gradient_accumulation=args.grad_accum,
        save_steps=10_000,  # no checkpoints in a benchmark
        seed=args.seed,
    )
    plan = resolve_plan(recipe, cuda_available=True, bnb_cpu_works=False)
    model_config = Qwen2Config(**{**QWEN25_7B, "num_hidden_layers": args.layers})
    started = time.monotonic()
    model = build_random_4bit_model(model_config, recipe, plan, "cuda")
    model = prepare_model_for_kbit_training(model, use_gradient_checkpointing=False)
    build_s = time.monotonic() - started
    weights_mb = torch.cuda.memory_allocated() / 2**20

    sequences = args.steps * recipe.per_device_batch_size * args.grad_accum
    dataset = random_sequences(sequences, model_config.vocab_size, args.seed)
    tokenizer = build_tokenizer()  # only its pad token matters: the rows are pre-tokenized
    marks: list[tuple[float, int, float]] = []  # time, step, tokens/s
    callbacks = TrainingCallbacks(
        on_log=lambda r: marks.append((time.monotonic(), r.step, r.tokens_per_s))
    )
    with tempfile.TemporaryDirectory() as output_dir:
        trainer, _ = build_trainer(
            model, tokenizer, dataset, recipe, plan, Path(output_dir), callbacks
        )
        torch.cuda.reset_peak_memory_stats()
        trainer.train()
    return _figures(args, marks, build_s, weights_mb, trainer.state.num_input_tokens_seen)


def _figures(args, marks, build_s, weights_mb, tokens_seen) -> dict[str, float]:
    import torch

    timed = [m for m in marks if m[1] > args.warmup]
    if len(timed) < 2:
        raise SystemExit("too few steps to time: raise --steps above --warmup + 1")
    seconds = timed[-1][0] - timed[0][0]
    steps = timed[-1][1] - timed[0][1]
    step_s = seconds / steps
    tokens_per_s = sum(m[2] for m in timed[1:]) / len(timed[1:])
    per_sequence_s = step_s / args.grad_accum
    hours_by_sequence = STUDY_TRACES * per_sequence_s / 3600
    hours_by_tokens = STUDY_TRACES * _mean_sequence_tokens() / tokens_per_s / 3600
    return {
        "build_s": build_s,
        "weights_mb": weights_mb,
        "step_s": step_s,
        "tokens_per_s": tokens_per_s,
        "peak_gpu_mb": torch.cuda.max_memory_allocated() / 2**20,
        "tokens_seen": float(tokens_seen),
        "projected_h_by_sequence": hours_by_sequence,
        "projected_h_by_tokens": hours_by_tokens,
    }


def main() -> None:
    import torch

    if not torch.cuda.is_available():
        sys.exit("bench_qlora needs a CUDA GPU: torch.cuda.is_available() is False here")
    args = _arguments()
    figures = run(args)
    device = torch.cuda.get_device_name(0)
    layers = f"{args.layers} layers" + ("" if args.layers == 28 else " (NOT the full 28)")
    print(f"QLoRA at Qwen 2.5 7B dimensions, {layers}, on {device}")
    print(f"  built in 4-bit:        {figures['build_s']:.1f} s, {figures['weights_mb']:.0f} MiB")
    print(f"  step ({args.grad_accum} sequences):  {figures['step_s']:.2f} s")
    print(f"  throughput:            {figures['tokens_per_s']:.0f} tokens/s (non-padding)")
    print(f"  peak GPU memory:       {figures['peak_gpu_mb']:.0f} MiB")
    print(
        f"  {STUDY_TRACES} traces, 1 epoch: {figures['projected_h_by_sequence']:.2f} h by step "
        f"time, {figures['projected_h_by_tokens']:.2f} h by tokens/s "
        f"(study: {STUDY_HOURS_H100} h on one H100)"
    )


if __name__ == "__main__":
    main()
