"""QLoRA fine-tuning over a saved training dataset. Pure over dataclasses (no Django); the
heavy libraries (torch, transformers, peft, trl, bitsandbytes) are imported inside functions
so importing this module stays cheap for the web process.

``QLoRAConfig`` holds the study's recipe (4-bit NF4 with double quantisation, LoRA rank 32 /
alpha 64 on all linear layers, completion-only loss, one epoch, cosine schedule).
``resolve_plan`` decides what will actually run on this machine: NF4 on a GPU, NF4 on the
CPU through bitsandbytes when its CPU kernels work, else plain LoRA in float32, each with
notes a person can read on the run page. ``train`` runs trl's ``SFTTrainer`` and reports
progress, checkpoints and cancellation through plain callbacks.

Why prompt/completion rows: the dataset stores whole conversations (``messages``). trl's
``assistant_only_loss`` needs a chat template with ``{% generation %}`` markers, or one of
the few templates trl knows how to patch; ours (and many checkpoints') have neither. So each
conversation is split into a conversational prompt (system + user) and completion (the
assistant turn): trl renders both with the model's own chat template, masks the prompt by
the common token prefix, and the loss covers the assistant's text and its end-of-turn
token. That works with any template that renders a prompt as a prefix of the full chat.
"""

from training.qlora.config import (
    COMPUTE_DTYPES,
    CPU_OPTIMIZER,
    OPTIMIZERS,
    QUANT_TYPES,
    SCHEDULERS,
    QLoRAConfig,
    QLoRAConfigError,
)
from training.qlora.plan import (
    TrainingPlan,
    bnb_cpu_4bit_available,
    detect_plan,
    resolve_plan,
)
from training.qlora.trainer import (
    LogRecord,
    TrainingCallbacks,
    TrainingResult,
    bnb_config,
    build_trainer,
    latest_checkpoint,
    load_model,
    load_tokenizer,
    load_training_dataset,
    lora_config,
    sft_config,
    train,
)

__all__ = [
    "COMPUTE_DTYPES",
    "CPU_OPTIMIZER",
    "OPTIMIZERS",
    "QUANT_TYPES",
    "SCHEDULERS",
    "LogRecord",
    "QLoRAConfig",
    "QLoRAConfigError",
    "TrainingCallbacks",
    "TrainingPlan",
    "TrainingResult",
    "bnb_config",
    "bnb_cpu_4bit_available",
    "build_trainer",
    "detect_plan",
    "latest_checkpoint",
    "load_model",
    "load_tokenizer",
    "load_training_dataset",
    "lora_config",
    "resolve_plan",
    "sft_config",
    "train",
]
