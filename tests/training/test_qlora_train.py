"""QLoRA training end to end on the CPU with the tiny Qwen2 checkpoint: the loss falls, the
adapter moves while the base stays put, the adapter loads with peft, only the assistant turn
is trained, and a cancelled run resumes from its checkpoint. Whether the run used NF4 on the
CPU or fell back to plain LoRA must match the plan's notes."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from tests.tiny_model import build_tiny_model
from tests.training.candidates import candidate
from training.data import DatasetSpec, build_dataset, save_dataset
from training.qlora import (
    QLoRAConfig,
    TrainingCallbacks,
    bnb_cpu_4bit_available,
    build_trainer,
    detect_plan,
    latest_checkpoint,
    load_model,
    load_tokenizer,
    load_training_dataset,
    train,
)

STEPS = 30


def _config(model_dir: Path, **overrides) -> QLoRAConfig:
    settings = {
        "base_model": str(model_dir),
        "lora_r": 8,
        "lora_alpha": 16,
        "lora_dropout": 0.0,
        "learning_rate": 2e-2,  # high: the tiny model has to learn something in 30 steps
        "warmup_ratio": 0.0,
        "gradient_accumulation": 1,
        "max_steps": STEPS,
        "save_steps": 50,
        **overrides,
    }
    return QLoRAConfig.from_dict(settings)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    """The tiny checkpoint and a 16-example dataset built from synthetic graded traces."""
    root = tmp_path_factory.mktemp("qlora")
    model_dir = build_tiny_model(root / "model")
    traces = [candidate(i, f"dacr-{i:04d}", correct=(True, True)) for i in range(16)]
    saved = save_dataset(build_dataset(traces, DatasetSpec("all_correct")), root / "dataset")
    return root, model_dir, saved


@pytest.fixture(scope="module")
def trained(workspace):
    root, model_dir, saved = workspace
    weights_before = _sha256(model_dir / "model.safetensors")
    logs = []
    config = _config(model_dir)
    result = train(config, saved.path, root / "run", TrainingCallbacks(on_log=logs.append))
    return result, logs, weights_before


def test_the_loss_falls(trained):
    result, logs, _ = trained
    losses = [record.loss for record in logs]
    assert len(losses) == STEPS
    assert sum(losses[-5:]) / 5 < losses[0]
    assert result.final_loss == losses[-1]


def test_progress_is_reported_every_step(trained):
    result, logs, _ = trained
    assert [record.step for record in logs] == list(range(1, STEPS + 1))
    assert all(record.max_steps == STEPS for record in logs)
    assert all(record.tokens_per_s > 0 and record.gpu_memory_mb is None for record in logs)
    assert logs[0].eta_s > 0
    assert logs[-1].eta_s == 0
    assert result.steps == STEPS
    assert result.tokens_seen > 0
    assert (result.examples, result.dropped_overlong, result.cancelled) == (16, 0, False)


def test_the_plan_says_what_ran_on_the_cpu(trained):
    plan = trained[0].plan
    if bnb_cpu_4bit_available():
        assert plan.name == "qlora-nf4-cpu"
        assert plan.load_in_4bit
        assert "No GPU: 4-bit NF4 ran on the CPU through bitsandbytes" in plan.notes
    else:
        assert plan.name == "lora-fp32"
        assert "No GPU and no CPU 4-bit support: plain LoRA in float32" in plan.notes
    assert (plan.device, plan.compute_dtype, plan.optimizer) == ("cpu", "float32", "adamw_torch")


def test_the_adapter_moved_and_the_base_did_not(trained, workspace):
    import torch
    from peft import PeftModel
    from safetensors.torch import load_file
    from transformers import AutoModelForCausalLM

    result, _, weights_before = trained
    _, model_dir, _ = workspace
    adapter = load_file(str(result.adapter_path / "adapter_model.safetensors"))
    lora_b = [tensor for name, tensor in adapter.items() if "lora_B" in name]
    assert lora_b, "no LoRA B matrices saved"
    assert all(tensor.abs().sum() > 0 for tensor in lora_b)  # B starts at zero
    assert _sha256(model_dir / "model.safetensors") == weights_before

    base = AutoModelForCausalLM.from_pretrained(model_dir)
    reference = {name: tensor.clone() for name, tensor in base.state_dict().items()}
    tuned = PeftModel.from_pretrained(base, result.adapter_path)
    for name, tensor in tuned.get_base_model().state_dict().items():
        if "lora_" not in name:
            assert torch.equal(tensor, reference[name.replace(".base_layer", "")]), name
    tokens = torch.tensor([[5, 17, 42, 99, 7]])
    with torch.no_grad():
        adapted = tuned(tokens).logits
        with tuned.disable_adapter():
            plain = tuned(tokens).logits
    assert not torch.allclose(adapted, plain)


def test_the_adapter_directory_carries_the_tokenizer_and_a_record(trained):
    import json

    adapter = trained[0].adapter_path
    assert adapter.name == "adapter"
    assert (adapter / "tokenizer_config.json").is_file()
    record = json.loads((adapter / "training.json").read_text())
    assert record["plan"]["name"] == trained[0].plan.name
    assert record["config"]["lora_r"] == 8
    assert record["steps"] == STEPS


def test_training_leaves_the_saved_dataset_as_written(trained, workspace):
    hf_files = sorted(path.name for path in workspace[2].hf_path.iterdir())
    assert not [name for name in hf_files if name.startswith("cache-")], hf_files


def test_only_the_assistant_turn_is_trained(workspace):
    root, model_dir, saved = workspace
    config = _config(model_dir)
    plan = detect_plan(config)
    tokenizer = load_tokenizer(config.base_model)
    dataset, _ = load_training_dataset(saved.path, tokenizer, config.max_length)
    trainer, _ = build_trainer(
        load_model(config, plan),
        tokenizer,
        dataset,
        config,
        plan,
        root / "labels",
        TrainingCallbacks(),
    )
    row = trainer.train_dataset[0]
    taught = [token for token in row["labels"] if token != -100]
    first = row["labels"].index(taught[0])
    assert all(label == -100 for label in row["labels"][:first])
    assert row["labels"][first:] == row["input_ids"][first:]
    completion = dataset[0]["completion"][0]["content"]
    assert tokenizer.decode(taught) == completion + "<|im_end|>\n"


def test_overlong_examples_are_left_out_not_cut(workspace):
    _, model_dir, saved = workspace
    tokenizer = load_tokenizer(str(model_dir))
    full, dropped = load_training_dataset(saved.path, tokenizer, None)
    assert (len(full), dropped) == (16, 0)
    with pytest.raises(ValueError, match="every example is longer than max_length=32"):
        load_training_dataset(saved.hf_path, tokenizer, 32)


def test_a_cancelled_run_checkpoints_and_a_second_call_resumes_it(workspace):
    root, model_dir, saved = workspace
    output = root / "cancel"
    config = _config(model_dir, max_steps=6)
    checks, checkpoints = [], []

    def stop_at_step_3() -> bool:
        checks.append(1)
        return len(checks) >= 3

    callbacks = TrainingCallbacks(
        on_checkpoint=lambda step, path: checkpoints.append((step, path)),
        should_stop=stop_at_step_3,
    )
    stopped = train(config, saved.path, output, callbacks)
    assert (stopped.cancelled, stopped.steps, stopped.adapter_path) == (True, 3, None)
    assert checkpoints == [(3, output / "checkpoint-3")]
    assert latest_checkpoint(output) == output / "checkpoint-3"
    assert not (output / "adapter").exists()

    logs = []
    resumed = train(config, saved.path, output, TrainingCallbacks(on_log=logs.append))
    assert resumed.resumed_from == output / "checkpoint-3"
    assert [record.step for record in logs] == [4, 5, 6]
    assert (resumed.cancelled, resumed.steps) == (False, 6)
    assert resumed.tokens_seen > stopped.tokens_seen
    assert (output / "adapter" / "adapter_model.safetensors").is_file()
