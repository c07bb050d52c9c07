"""QLoRA settings and the plan a machine runs: hostile settings first, then the study's recipe
as defaults, then what runs on a GPU, on a CPU with bitsandbytes 4-bit, and without it."""

from __future__ import annotations

import json
import math

import pytest

from training.qlora import QLoRAConfig, QLoRAConfigError, resolve_plan

BASE = {"base_model": "Qwen/Qwen2.5-7B-Instruct"}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (["base_model"], "must be an object"),
        ({}, "base_model is required"),
        ({**BASE, "lora_rank": 16}, "unknown training setting(s): lora_rank"),
        ({"base_model": ""}, "base_model must be a checkpoint directory or hub id"),
        ({"base_model": 7}, "base_model must be a checkpoint directory or hub id"),
        ({**BASE, "lora_r": "32"}, "lora_r must be an integer, got '32'"),
        ({**BASE, "lora_r": True}, "lora_r must be an integer"),
        ({**BASE, "lora_r": 0}, "lora_r must be ≥ 1, got 0"),
        ({**BASE, "lora_alpha": -1}, "lora_alpha must be in (0, 4096], got -1"),
        ({**BASE, "lora_dropout": 1.0}, "lora_dropout must be in [0, 1)"),
        ({**BASE, "learning_rate": "high"}, "learning_rate must be a number"),
        ({**BASE, "learning_rate": math.inf}, "learning_rate must be in (0, 1]"),
        ({**BASE, "learning_rate": 0}, "learning_rate must be in (0, 1]"),
        ({**BASE, "warmup_ratio": -0.1}, "warmup_ratio must be in [0, 1)"),
        ({**BASE, "epochs": 0}, "epochs must be in (0, 100], got 0"),
        ({**BASE, "max_steps": 0}, "max_steps must be ≥ 1 or -1, got 0"),
        ({**BASE, "max_steps": 2.5}, "max_steps must be an integer"),
        ({**BASE, "max_length": 8}, "max_length must be ≥ 32"),
        ({**BASE, "per_device_batch_size": 0}, "per_device_batch_size must be ≥ 1"),
        ({**BASE, "gradient_accumulation": None}, "gradient_accumulation must be an integer"),
        ({**BASE, "optimizer": "sgd"}, "optimizer must be one of paged_adamw_8bit"),
        ({**BASE, "compute_dtype": "int8"}, "compute_dtype must be one of bfloat16"),
        ({**BASE, "bnb_4bit_quant_type": "int4"}, "bnb_4bit_quant_type must be one of nf4"),
        ({**BASE, "lr_scheduler": "warmup"}, "lr_scheduler must be one of cosine"),
        ({**BASE, "load_in_4bit": "true"}, "load_in_4bit must be true or false"),
        ({**BASE, "target_modules": "q_proj"}, "target_modules must be 'all-linear' or a list"),
        ({**BASE, "target_modules": []}, "target_modules must be 'all-linear' or a list"),
        ({**BASE, "target_modules": ["q_proj", "x; rm"]}, "invalid module name: 'x; rm'"),
        ({**BASE, "packing": True, "max_length": None}, "packing needs max_length"),
        ({**BASE, "seed": -3}, "seed must be ≥ 0"),
    ],
)
def test_it_rejects_a_bad_setting_with_a_one_line_error(data, message):
    with pytest.raises(QLoRAConfigError) as error:
        QLoRAConfig.from_dict(data)
    assert message in str(error.value)
    assert "\n" not in str(error.value)


def test_the_defaults_are_the_studys_recipe():
    config = QLoRAConfig.from_dict(BASE)
    assert (config.load_in_4bit, config.bnb_4bit_quant_type, config.double_quant) == (
        True,
        "nf4",
        True,
    )
    assert (config.lora_r, config.lora_alpha, config.lora_dropout) == (32, 64, 0.05)
    assert config.target_modules == "all-linear"
    assert config.completion_only_loss is True
    assert (config.epochs, config.max_steps, config.learning_rate) == (1.0, -1, 2e-4)
    assert (config.lr_scheduler, config.warmup_ratio) == ("cosine", 0.03)
    assert (config.per_device_batch_size, config.gradient_accumulation) == (1, 8)
    assert (config.max_length, config.packing, config.padding_free) == (16384, False, True)
    assert (config.gradient_checkpointing, config.optimizer) == (True, "paged_adamw_8bit")
    assert (config.logging_steps, config.save_steps, config.seed) == (1, 50, 42)


def test_a_config_record_is_json_and_rebuilds_the_config():
    config = QLoRAConfig.from_dict({**BASE, "target_modules": ["q_proj", "v_proj"], "lora_r": 8})
    assert config.target_modules == ("q_proj", "v_proj")
    record = json.loads(json.dumps(config.as_record()))
    assert record["target_modules"] == ["q_proj", "v_proj"]
    assert QLoRAConfig.from_dict(record) == config


def test_on_a_gpu_the_recipe_runs_as_asked():
    plan = resolve_plan(QLoRAConfig.from_dict(BASE), cuda_available=True, bnb_cpu_works=False)
    assert plan.name == "qlora-nf4"
    assert (plan.device, plan.load_in_4bit, plan.compute_dtype) == ("cuda", True, "bfloat16")
    assert (plan.bf16, plan.fp16, plan.optimizer) == (True, False, "paged_adamw_8bit")
    assert plan.notes[0] == "GPU: 4-bit NF4 QLoRA, compute in bfloat16"


def test_on_a_cpu_with_bitsandbytes_4bit_it_runs_nf4_in_float32():
    plan = resolve_plan(QLoRAConfig.from_dict(BASE), cuda_available=False, bnb_cpu_works=True)
    assert plan.name == "qlora-nf4-cpu"
    assert (plan.device, plan.load_in_4bit, plan.compute_dtype) == ("cpu", True, "float32")
    assert (plan.bf16, plan.optimizer) == (False, "adamw_torch")
    assert "No GPU: 4-bit NF4 ran on the CPU through bitsandbytes" in plan.notes
    assert "No GPU: computing in float32 instead of bfloat16" in plan.notes
    assert "No GPU: optimizer adamw_torch instead of paged_adamw_8bit" in plan.notes


def test_on_a_cpu_without_4bit_support_it_falls_back_to_plain_lora():
    plan = resolve_plan(QLoRAConfig.from_dict(BASE), cuda_available=False, bnb_cpu_works=False)
    assert plan.name == "lora-fp32"
    assert (plan.load_in_4bit, plan.compute_dtype) == (False, "float32")
    assert plan.notes[0] == "No GPU and no CPU 4-bit support: plain LoRA in float32"


def test_4bit_off_in_the_config_is_plain_lora_on_either_device():
    config = QLoRAConfig.from_dict({**BASE, "load_in_4bit": False, "compute_dtype": "float16"})
    gpu = resolve_plan(config, cuda_available=True, bnb_cpu_works=True)
    cpu = resolve_plan(config, cuda_available=False, bnb_cpu_works=True)
    assert (gpu.name, gpu.load_in_4bit, gpu.fp16) == ("lora-fp16", False, True)
    assert (cpu.name, cpu.load_in_4bit) == ("lora-fp32", False)
    assert cpu.notes[0] == "No GPU: plain LoRA in float32 (4-bit is off in the config)"


def test_padding_free_applies_only_when_a_batch_holds_several_sequences():
    single = resolve_plan(QLoRAConfig.from_dict(BASE), True, False)
    several = resolve_plan(QLoRAConfig.from_dict({**BASE, "per_device_batch_size": 4}), True, False)
    packed = resolve_plan(QLoRAConfig.from_dict({**BASE, "packing": True}), True, False)
    assert (single.padding_free, several.padding_free, packed.padding_free) == (False, True, True)
    assert any(note.startswith("Padding-free off") for note in single.notes)
    assert not any(note.startswith("Padding-free") for note in several.notes)


def test_a_plan_record_is_json():
    plan = resolve_plan(QLoRAConfig.from_dict(BASE), False, True)
    record = json.loads(json.dumps(plan.as_record()))
    assert record["name"] == "qlora-nf4-cpu"
    assert record["notes"] == list(plan.notes)
