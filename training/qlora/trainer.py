"""Training with trl's SFTTrainer over a saved dataset: progress, checkpoints, resume and
cancellation through plain callbacks; the adapter saved at the end."""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from training.qlora.config import QLoRAConfig
from training.qlora.plan import TrainingPlan, detect_plan

# --- progress reporting ----------------------------------------------------------------------


@dataclass(frozen=True)
class LogRecord:
    step: int
    max_steps: int
    epoch: float
    loss: float
    learning_rate: float
    tokens_per_s: float  # non-padding tokens per second since the previous record
    gpu_memory_mb: float | None  # peak allocated so far; None on the CPU
    eta_s: float | None


@dataclass
class TrainingCallbacks:
    """Hooks a caller (a Celery task) passes to follow and steer a run; all optional."""

    on_log: Callable[[LogRecord], None] | None = None
    on_checkpoint: Callable[[int, Path], None] | None = None
    should_stop: Callable[[], bool] | None = None


@dataclass(frozen=True)
class TrainingResult:
    adapter_path: Path | None  # None when the run was cancelled (its checkpoint holds it)
    plan: TrainingPlan
    steps: int  # optimizer steps done, counting those before a resume
    final_loss: float | None  # the last logged training loss
    train_runtime_s: float
    tokens_seen: int  # non-padding tokens, counting those before a resume
    cancelled: bool = False
    resumed_from: Path | None = None
    examples: int = 0
    dropped_overlong: int = 0  # examples longer than max_length, left out


def _progress_callback(callbacks: TrainingCallbacks, use_cuda: bool):
    """A ``TrainerCallback`` that turns the trainer's events into ``callbacks`` calls, stops
    at ``should_stop`` (saving a checkpoint first, so a resume continues from there) and
    remembers the last loss."""
    from transformers import TrainerCallback

    class Progress(TrainerCallback):
        def __init__(self) -> None:
            self.cancelled = False
            self.last_loss: float | None = None
            self._start = (0.0, 0)  # time and step this session began at
            self._last = (0.0, 0)  # time and tokens at the previous record

        def on_train_begin(self, args, state, control, **kwargs):
            now = time.monotonic()
            self._start = (now, state.global_step)
            self._last = (now, state.num_input_tokens_seen)

        def on_step_end(self, args, state, control, **kwargs):
            if callbacks.should_stop is not None and callbacks.should_stop():
                self.cancelled = True
                control.should_training_stop = True
                control.should_save = True

        def on_save(self, args, state, control, **kwargs):
            if callbacks.on_checkpoint is not None:
                path = Path(args.output_dir) / f"checkpoint-{state.global_step}"
                callbacks.on_checkpoint(state.global_step, path)

        def on_log(self, args, state, control, logs=None, **kwargs):
            if not logs or "loss" not in logs:
                return  # the end-of-training summary, not a step
            self.last_loss = float(logs["loss"])
            if callbacks.on_log is not None:
                callbacks.on_log(self._record(state, logs))

        def _record(self, state, logs) -> LogRecord:
            now, tokens = time.monotonic(), state.num_input_tokens_seen
            (started, first_step), (then, then_tokens) = self._start, self._last
            self._last = (now, tokens)
            steps_done = state.global_step - first_step
            per_step = (now - started) / steps_done if steps_done > 0 else None
            return LogRecord(
                step=state.global_step,
                max_steps=state.max_steps,
                epoch=float(state.epoch or 0.0),
                loss=float(logs["loss"]),
                learning_rate=float(logs.get("learning_rate", 0.0)),
                tokens_per_s=(tokens - then_tokens) / max(now - then, 1e-9),
                gpu_memory_mb=_gpu_memory_mb() if use_cuda else None,
                eta_s=per_step * (state.max_steps - state.global_step) if per_step else None,
            )

    return Progress()


def _gpu_memory_mb() -> float:
    import torch

    return torch.cuda.max_memory_allocated() / 2**20


# --- training -------------------------------------------------------------------------------


def train(
    config: QLoRAConfig,
    dataset_path: Path | str,
    output_dir: Path | str,
    callbacks: TrainingCallbacks | None = None,
    resume: bool = True,
    *,
    plan: TrainingPlan | None = None,
) -> TrainingResult:
    """Fine-tune ``config.base_model`` on the dataset saved at ``dataset_path`` (a
    ``save_dataset`` directory or its ``hf/`` folder). Checkpoints go to
    ``output_dir/checkpoint-N``; with ``resume`` the latest complete one is continued,
    without it earlier checkpoints are removed and training starts over. A finished run
    saves the adapter and tokenizer to ``output_dir/adapter``; a cancelled one
    (``should_stop``) saves a checkpoint instead and returns ``cancelled=True``."""
    callbacks = callbacks or TrainingCallbacks()
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    plan = plan or detect_plan(config)
    tokenizer = load_tokenizer(config.base_model)
    dataset, dropped = load_training_dataset(dataset_path, tokenizer, config.max_length)
    model = load_model(config, plan)
    trainer, progress = build_trainer(
        model, tokenizer, dataset, config, plan, output_dir, callbacks
    )
    checkpoint = latest_checkpoint(output_dir) if resume else _clear_checkpoints(output_dir)
    output = trainer.train(resume_from_checkpoint=str(checkpoint) if checkpoint else None)
    adapter = None
    if not progress.cancelled:
        adapter = _save_adapter(trainer, output_dir / "adapter", config, plan)
    return TrainingResult(
        adapter_path=adapter,
        plan=plan,
        steps=trainer.state.global_step,
        final_loss=progress.last_loss,
        train_runtime_s=float(output.metrics.get("train_runtime", 0.0)),
        tokens_seen=int(trainer.state.num_input_tokens_seen),
        cancelled=progress.cancelled,
        resumed_from=checkpoint,
        examples=len(dataset),
        dropped_overlong=dropped,
    )


def load_tokenizer(base_model: str):
    """The base model's tokenizer, with a pad token (its end-of-sequence token if it has none)."""
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(base_model)
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    return tokenizer


def load_training_dataset(dataset_path: Path | str, tokenizer: Any, max_length: int | None):
    """The saved ``messages`` rows as conversational prompt/completion rows (see the module
    docstring), less those longer than ``max_length`` tokens: cutting them would cut off the
    answers. Returns the dataset and how many rows were left out."""
    from datasets import load_from_disk

    path = Path(dataset_path)
    # In memory: mapping a dataset read from disk would write cache files into the saved
    # dataset's directory, which belongs to the dataset record and must stay as written.
    rows = load_from_disk(str(path / "hf" if (path / "hf").is_dir() else path), keep_in_memory=True)
    if "messages" not in rows.column_names:
        raise ValueError(f"{path} holds no 'messages' column: not a training dataset")

    def split(example: dict[str, Any]) -> dict[str, Any]:
        messages = example["messages"]
        if not messages or messages[-1]["role"] != "assistant":
            raise ValueError("a training example must end with the assistant's turn")
        encoded = tokenizer.apply_chat_template(messages, tokenize=True, return_dict=True)
        return {
            "prompt": messages[:-1],
            "completion": messages[-1:],
            "n_tokens": len(encoded["input_ids"]),
        }

    converted = rows.map(split, remove_columns=rows.column_names)
    kept = converted
    if max_length is not None:
        kept = converted.filter(lambda row: row["n_tokens"] <= max_length)
    if len(kept) == 0:
        raise ValueError(f"every example is longer than max_length={max_length} tokens")
    return kept.remove_columns("n_tokens"), len(converted) - len(kept)


def bnb_config(config: QLoRAConfig, plan: TrainingPlan):
    """The bitsandbytes 4-bit settings of a plan (compute dtype as the plan decided)."""
    import torch
    from transformers import BitsAndBytesConfig

    return BitsAndBytesConfig(
        load_in_4bit=True,
        bnb_4bit_quant_type=config.bnb_4bit_quant_type,
        bnb_4bit_use_double_quant=config.double_quant,
        bnb_4bit_compute_dtype=getattr(torch, plan.compute_dtype),
    )


def load_model(config: QLoRAConfig, plan: TrainingPlan):
    """The base model as the plan says: quantized on load and prepared for k-bit training
    (frozen, its unquantized weights such as norms and embeddings in float32), or in full
    precision."""
    import torch
    from transformers import AutoModelForCausalLM

    kwargs: dict[str, Any] = {"dtype": getattr(torch, plan.compute_dtype)}
    kwargs["device_map"] = {"": _device_index() if plan.device == "cuda" else "cpu"}
    if plan.load_in_4bit:
        kwargs["quantization_config"] = bnb_config(config, plan)
    model = AutoModelForCausalLM.from_pretrained(config.base_model, **kwargs)
    if plan.load_in_4bit:
        from peft import prepare_model_for_kbit_training

        # Checkpointing is left to the trainer (``activation_checkpointing``), which enables it
        # once, non-reentrant, after the adapters are attached.
        model = prepare_model_for_kbit_training(model, use_gradient_checkpointing=False)
    return model


def _device_index() -> int:
    from accelerate import PartialState

    return PartialState().local_process_index  # one model per GPU under accelerate/torchrun


def lora_config(config: QLoRAConfig):
    """peft's ``LoraConfig`` for a run: the adapters on ``target_modules``, biases frozen."""
    from peft import LoraConfig

    targets = config.target_modules
    return LoraConfig(
        r=config.lora_r,
        lora_alpha=config.lora_alpha,
        lora_dropout=config.lora_dropout,
        target_modules=targets if isinstance(targets, str) else list(targets),
        bias="none",
        task_type="CAUSAL_LM",
    )


def sft_config(config: QLoRAConfig, plan: TrainingPlan, output_dir: Path):
    """trl's ``SFTConfig`` for a run. ``max_length`` only sizes packed blocks: unpacked rows
    were length-checked on load, and trl refuses ``padding_free`` with a ``max_length``."""
    from trl import SFTConfig

    return SFTConfig(
        output_dir=str(output_dir),
        num_train_epochs=config.epochs,
        max_steps=config.max_steps,
        learning_rate=config.learning_rate,
        lr_scheduler_type=config.lr_scheduler,
        warmup_steps=config.warmup_ratio,  # transformers 5: a float below 1 is a ratio
        per_device_train_batch_size=config.per_device_batch_size,
        gradient_accumulation_steps=config.gradient_accumulation,
        activation_checkpointing=config.gradient_checkpointing,  # gradient_* is deprecated in 5.x
        activation_checkpointing_kwargs={"use_reentrant": False},
        logging_steps=config.logging_steps,
        save_strategy="steps",
        save_steps=config.save_steps,
        save_total_limit=config.save_total_limit,
        seed=config.seed,
        optim=plan.optimizer,
        bf16=plan.bf16,
        fp16=plan.fp16,
        use_cpu=plan.device == "cpu",
        dataloader_pin_memory=plan.device == "cuda",
        report_to="none",
        disable_tqdm=True,
        include_num_input_tokens_seen="non_padding",
        max_length=config.max_length if config.packing else None,
        packing=config.packing,
        padding_free=plan.padding_free,
        completion_only_loss=config.completion_only_loss,
    )


def build_trainer(model, tokenizer, dataset, config, plan, output_dir, callbacks):
    """An ``SFTTrainer`` over an already loaded model (``train`` and the GPU benchmark share
    it). Returns the trainer and its progress callback."""
    from transformers.trainer_callback import PrinterCallback
    from trl import SFTTrainer

    progress = _progress_callback(callbacks, plan.device == "cuda")
    trainer = SFTTrainer(
        model=model,
        args=sft_config(config, plan, Path(output_dir)),
        train_dataset=dataset,
        processing_class=tokenizer,
        peft_config=lora_config(config),
        callbacks=[progress],
    )
    trainer.remove_callback(PrinterCallback)  # it prints every log dict to stdout
    if plan.device == "cpu":
        _adapters_to_float32(trainer.model)
    return trainer, progress


def _adapters_to_float32(model) -> None:
    """trl casts a quantized model's adapters to bfloat16 (the QLoRA paper's choice for GPU
    compute); the CPU plans compute in float32, so the adapters stay float32 there."""
    import torch

    for param in model.parameters():
        if param.requires_grad and param.dtype != torch.float32:
            param.data = param.data.float()


def latest_checkpoint(output_dir: Path | str) -> Path | None:
    """The highest ``checkpoint-N`` in ``output_dir`` that was completely written (the
    trainer writes ``trainer_state.json`` last)."""
    complete = [
        (int(path.name.split("-")[1]), path)
        for path in Path(output_dir).glob("checkpoint-*")
        if path.name.split("-")[1].isdigit() and (path / "trainer_state.json").is_file()
    ]
    return max(complete)[1] if complete else None


def _clear_checkpoints(output_dir: Path) -> None:
    for path in output_dir.glob("checkpoint-*"):
        shutil.rmtree(path, ignore_errors=True)


def _save_adapter(trainer, target: Path, config: QLoRAConfig, plan: TrainingPlan) -> Path:
    """Adapter weights, tokenizer and a ``training.json`` record, renamed into place whole.
    ``save_model`` writes from the main process only, so several GPUs write one adapter."""
    staging = target.with_name(f".{target.name}.tmp")
    if trainer.is_world_process_zero():
        shutil.rmtree(staging, ignore_errors=True)
    trainer.save_model(str(staging))  # the adapter (a PeftModel saves only it) and tokenizer
    if trainer.is_world_process_zero():
        record = {
            "config": config.as_record(),
            "plan": plan.as_record(),
            "steps": trainer.state.global_step,
        }
        (staging / "training.json").write_text(json.dumps(record, indent=1))
        shutil.rmtree(target, ignore_errors=True)
        staging.rename(target)
    return target
