"""The ``transformers`` runner: a local checkpoint, optionally with a peft adapter, answering
in batches. Pure; torch, transformers and peft are imported inside the functions that use
them, so importing the runners costs nothing where no model runs.

Prompts are rendered with the tokenizer's chat template and left-padded (decoder-only models
continue from the right edge). A prompt too long for the model has its document cut by
tokens — never the questions or instructions — and says so on the output. Batches are
formed from prompts sorted by length, longest first: less padding, and a batch that does not
fit in memory fails at the start of a run rather than at its end.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import metadata
from typing import Any, NamedTuple

from evaluation.prompt import ChatMessage, chat_messages
from evaluation.runners.settings import TransformersSettings
from evaluation.runners.types import (
    OutputCallback,
    RunnerChallenge,
    RunnerConfigError,
    RunnerOutput,
    StopCheck,
    elapsed_ms,
    never_stop,
    runner_record,
)

_REFIT_TRIES = 10  # re-tokenizing a cut document rarely needs more than one more cut
_SAMPLING_FLAGS = ("temperature", "top_p", "top_k", "min_p", "typical_p")


class LoadedModel(NamedTuple):
    """A model ready to generate: on its device, in eval mode, tokenizer padding left."""

    model: Any
    tokenizer: Any
    device: str
    dtype: str


@dataclass(frozen=True)
class PreparedPrompt:
    """One challenge's prompt as token ids, or why it has none (``error``)."""

    key: str
    input_ids: list[int]
    truncated: bool = False
    truncation_note: str = ""
    error: str = ""


def resolve_device(device: str) -> str:
    """``auto`` → ``cuda`` when a CUDA GPU is present, else ``cpu``."""
    import torch

    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if device.startswith("cuda") and not torch.cuda.is_available():
        raise RunnerConfigError(f"device: {device} asked for, but no CUDA GPU is available")
    return device


def resolve_dtype(dtype: str, device: str) -> str:
    """``auto`` → bfloat16 on CUDA, float32 elsewhere (CPU half precision is slow or absent)."""
    if dtype == "auto":
        return "bfloat16" if device.startswith("cuda") else "float32"
    return dtype


def input_token_limit(settings: TransformersSettings, config: Any) -> int:
    """The most prompt tokens a challenge may use: ``max_input_tokens``, or else the
    model's context length less the tokens reserved for the answer."""
    if settings.max_input_tokens:
        return settings.max_input_tokens
    context = getattr(config.get_text_config(), "max_position_embeddings", None)
    if not isinstance(context, int):
        raise RunnerConfigError("max_input_tokens: the model states no context length; set it")
    if context <= settings.max_new_tokens:
        raise RunnerConfigError(
            f"max_new_tokens: {settings.max_new_tokens} leaves no room for the prompt in "
            f"the model's {context}-token context"
        )
    return context - settings.max_new_tokens


def load_model(settings: TransformersSettings) -> LoadedModel:
    """The checkpoint at ``model_path`` (plus the peft adapter at ``adapter_path``, when set)
    on the resolved device and dtype, in eval mode, with a left-padding tokenizer whose pad
    token falls back to eos."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    device = resolve_device(settings.device)
    dtype = resolve_dtype(settings.dtype, device)
    tokenizer = AutoTokenizer.from_pretrained(settings.model_path)
    tokenizer.padding_side = "left"
    if tokenizer.pad_token is None:
        if tokenizer.eos_token is None:
            raise RunnerConfigError("model_path: the tokenizer has neither a pad nor an eos token")
        tokenizer.pad_token = tokenizer.eos_token
    model = AutoModelForCausalLM.from_pretrained(settings.model_path, dtype=getattr(torch, dtype))
    if settings.adapter_path:
        from peft import PeftModel

        model = PeftModel.from_pretrained(model, settings.adapter_path)
    model.to(device)
    model.eval()
    return LoadedModel(model, tokenizer, device, dtype)


def render_prompt(tokenizer: Any, messages: Sequence[ChatMessage]) -> str:
    """The prompt text: the model's chat template with the assistant turn opened, or a plain
    layout for a tokenizer without one. A template that refuses a system turn (Gemma's
    does) gets the system text at the top of the user turn instead."""
    if not tokenizer.chat_template:
        return "\n\n".join(message.content for message in messages) + "\n\nassistant:"
    from jinja2.exceptions import TemplateError

    turns = [message.as_dict() for message in messages]
    try:
        return tokenizer.apply_chat_template(turns, add_generation_prompt=True, tokenize=False)
    except TemplateError:
        if len(turns) < 2 or turns[0]["role"] != "system":
            raise
    merged = {"role": "user", "content": f"{turns[0]['content']}\n\n{turns[1]['content']}"}
    return tokenizer.apply_chat_template(
        [merged, *turns[2:]], add_generation_prompt=True, tokenize=False
    )


def prepare_prompt(
    tokenizer: Any, challenge: RunnerChallenge, limit: int, *, trace: bool
) -> PreparedPrompt:
    """The challenge's prompt in at most ``limit`` tokens, cutting the end of the document
    when it must (the note gives the document's length before and after, in tokens)."""
    # A chat template writes its own special tokens; the plain layout needs the tokenizer's.
    special = not tokenizer.chat_template

    def encode(document_text: str) -> list[int]:
        messages = chat_messages(document_text, challenge.questions, trace=trace)
        text = render_prompt(tokenizer, messages)
        return tokenizer(text, add_special_tokens=special)["input_ids"]

    input_ids = encode(challenge.document_text)
    if len(input_ids) <= limit:
        return PreparedPrompt(challenge.key, input_ids)
    document_ids = tokenizer(challenge.document_text.strip(), add_special_tokens=False)["input_ids"]
    keep = len(document_ids) - (len(input_ids) - limit)
    for _ in range(_REFIT_TRIES):
        if keep <= 0:
            break
        cut = tokenizer.decode(document_ids[:keep], clean_up_tokenization_spaces=False)
        input_ids = encode(cut.rstrip("\ufffd"))  # drop a character split mid-byte
        if len(input_ids) <= limit:
            note = f"document cut from {len(document_ids):,} to {keep:,} tokens"
            return PreparedPrompt(challenge.key, input_ids, True, note)
        keep -= len(input_ids) - limit + 4
    input_ids = encode("")
    if len(input_ids) <= limit:
        note = f"document cut from {len(document_ids):,} to 0 tokens"
        return PreparedPrompt(challenge.key, input_ids, True, note)
    error = (
        f"the prompt without its document is {len(input_ids):,} tokens, over the "
        f"{limit:,}-token input limit"
    )
    return PreparedPrompt(challenge.key, [], error=error)


def generation_config(model: Any, tokenizer: Any, settings: TransformersSettings) -> Any:
    """The model's own generation config (repetition penalty and the like) with our length
    and sampling choice — greedy at temperature 0, so sampling-only flags are cleared — and
    generation stopping at the model's eos ids and the tokenizer's eos alike, the same ids
    ``completion_length`` counts up to."""
    config = copy.deepcopy(model.generation_config)
    config.max_new_tokens = settings.max_new_tokens
    config.pad_token_id = tokenizer.pad_token_id
    eos = config.eos_token_id
    stop_ids = set(eos) if isinstance(eos, list | tuple) else {eos} - {None}
    if tokenizer.eos_token_id is not None:
        stop_ids.add(tokenizer.eos_token_id)
    config.eos_token_id = sorted(stop_ids) or None
    if settings.temperature == 0:
        config.do_sample = False
        for flag in _SAMPLING_FLAGS:
            setattr(config, flag, None)
    else:
        config.do_sample = True
        config.temperature = settings.temperature
    return config


def completion_length(new_tokens: Sequence[int], stop_ids: set[int]) -> int:
    """Generated tokens up to and including the first stop token (the rest is padding)."""
    for index, token in enumerate(new_tokens):
        if token in stop_ids:
            return index + 1
    return len(new_tokens)


def generate_batch(
    loaded: LoadedModel, batch: Sequence[PreparedPrompt], config: Any
) -> list[RunnerOutput]:
    """One left-padded batch through ``generate``. Each output's latency is the batch's wall
    time divided by its size: the batch shares the time, and the mean stays honest."""
    import torch

    padded = loaded.tokenizer.pad(
        {"input_ids": [prompt.input_ids for prompt in batch]}, padding=True, return_tensors="pt"
    ).to(loaded.device)
    started = time.perf_counter()
    with torch.inference_mode():
        sequences = loaded.model.generate(
            input_ids=padded["input_ids"],
            attention_mask=padded["attention_mask"],
            generation_config=config,
        )
    latency_ms = elapsed_ms(started) // len(batch)
    stop_ids = set(config.eos_token_id or ())
    prompt_width = padded["input_ids"].shape[1]
    outputs = []
    for prompt, new_tokens in zip(batch, sequences[:, prompt_width:].tolist(), strict=True):
        count = completion_length(new_tokens, stop_ids)
        text = loaded.tokenizer.decode(new_tokens[:count], skip_special_tokens=True)
        outputs.append(
            RunnerOutput(
                key=prompt.key,
                raw_output=text,
                prompt_tokens=len(prompt.input_ids),
                completion_tokens=count,
                latency_ms=latency_ms,
                truncated=prompt.truncated,
                truncation_note=prompt.truncation_note,
            )
        )
    return outputs


class TransformersRunner:
    """Runs a local model over the challenges in batches of ``batch_size``. The model is
    loaded on the first ``run`` and kept for later ones."""

    name = "transformers"

    def __init__(self, settings: TransformersSettings) -> None:
        self.settings = settings
        self._loaded: LoadedModel | None = None

    def record(self) -> dict[str, Any]:
        from transformers import AutoConfig

        device = resolve_device(self.settings.device)
        config = AutoConfig.from_pretrained(self.settings.model_path)
        return {
            **runner_record(self.name, self.settings),
            "device": device,
            "dtype": resolve_dtype(self.settings.dtype, device),
            "input_token_limit": input_token_limit(self.settings, config),
            "versions": {name: _version(name) for name in ("torch", "transformers", "peft")},
        }

    def run(
        self,
        challenges: Sequence[RunnerChallenge],
        on_output: OutputCallback,
        should_stop: StopCheck = never_stop,
    ) -> None:
        """Checks ``should_stop`` before each batch; a prompt that cannot fit even without
        its document is reported at once with ``error`` set."""
        if self._loaded is None:
            self._loaded = load_model(self.settings)
        loaded = self._loaded
        limit = input_token_limit(self.settings, loaded.model.config)
        prompts = []
        for challenge in challenges:
            prompt = prepare_prompt(loaded.tokenizer, challenge, limit, trace=self.settings.trace)
            if prompt.error:
                on_output(RunnerOutput(prompt.key, "", None, None, 0, error=prompt.error))
            else:
                prompts.append(prompt)
        prompts.sort(key=lambda prompt: len(prompt.input_ids), reverse=True)
        config = generation_config(loaded.model, loaded.tokenizer, self.settings)
        size = self.settings.batch_size
        for start in range(0, len(prompts), size):
            if should_stop():
                return
            for output in generate_batch(loaded, prompts[start : start + size], config):
                on_output(output)


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"
