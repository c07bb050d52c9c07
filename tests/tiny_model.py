"""A tiny Qwen2-architecture causal LM with random weights and a byte-level BPE tokenizer
trained on the fly, saved to a directory exactly as a real checkpoint is (config,
safetensors, tokenizer files, chat template), so tests load it through the same code path
as Qwen 2.5 7B Instruct. Nothing is downloaded.

``build_tiny_model(path)`` writes it and returns ``path``; building takes about a second.
"""

from __future__ import annotations

from pathlib import Path

from evaluation.baselines import solve
from evaluation.prompt import PromptQuestion, chat_messages

# Qwen's chat markup: the tokenizer treats these as single special tokens.
SPECIAL_TOKENS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
CHAT_TEMPLATE = (
    "{% for message in messages %}"
    "{{ '<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"
)

_CORPUS = [
    "The measured thermal conductivity of sample A was 41.2 W/m K in the final analysis.",
    "A preliminary estimate put the yield at 3.4 t/ha, later revised to 3.9 t/ha.",
    "Table 2 lists the efficiency of each reactor: 81.5%, 77.0% and 69.3%.",
    "Which site reported the highest annual rainfall, and by how much did it exceed the mean?",
    '{"q01": {"answer": "41.2 W/m K", "citation": "The measured value", "confidence": 0.9}}',
    "Reason step by step: find the statements, quote them, compute the difference.",
    "0 1 2 3 4 5 6 7 8 9 10 25 50 100 2024 2025 percent ratio mean median total",
]


def _corpus() -> list[str]:
    """Training text for the tokenizer: sample sentences plus a rendered prompt, so the
    vocabulary covers the prompt's wording and JSON punctuation."""
    document = " ".join(_CORPUS[:3])
    questions = [PromptQuestion("q01", _CORPUS[3])]
    prompt = "\n".join(m.content for m in chat_messages(document, questions))
    answers = solve("lexical", document, [("q01", _CORPUS[3])])
    return [*_CORPUS, prompt, str(answers)] * 4


def build_tokenizer(vocab_size: int = 512):
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=SPECIAL_TOKENS,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tokenizer.train_from_iterator(_corpus(), trainer=trainer)
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tokenizer,
        eos_token="<|im_end|>",
        pad_token="<|endoftext|>",
        additional_special_tokens=SPECIAL_TOKENS[1:],
    )
    fast.chat_template = CHAT_TEMPLATE
    return fast


def build_tiny_model(path: Path | str, *, seed: int = 0, layers: int = 2, hidden: int = 32) -> Path:
    """Write a tiny Qwen2 checkpoint with random weights and its tokenizer to ``path``."""
    import torch
    from transformers import Qwen2Config, Qwen2ForCausalLM

    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    tokenizer = build_tokenizer()
    config = Qwen2Config(
        vocab_size=len(tokenizer),
        hidden_size=hidden,
        intermediate_size=hidden * 2,
        num_hidden_layers=layers,
        num_attention_heads=4,
        num_key_value_heads=2,
        max_position_embeddings=8192,
        tie_word_embeddings=True,
        bos_token_id=None,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
    )
    torch.manual_seed(seed)
    model = Qwen2ForCausalLM(config)
    model.generation_config.eos_token_id = tokenizer.eos_token_id
    model.generation_config.pad_token_id = tokenizer.pad_token_id
    model.save_pretrained(path)
    tokenizer.save_pretrained(path)
    return path
