"""The transformers runner on the CPU with the tiny Qwen2 checkpoint from tests/tiny_model.py:
batching with left padding, token counts, document truncation and a peft adapter. No
database.

The tiny model's random weights are scaled up before use: at the stock initialisation it
repeats its last prompt token whatever the prompt says, which would make a padding bug
invisible. With livelier weights its greedy output depends on every prompt token.
"""

from __future__ import annotations

import json
import re

import pytest

from evaluation.prompt import PromptQuestion, chat_messages
from evaluation.runners import RunnerChallenge, TransformersSettings, load_model, make_runner
from evaluation.runners.local_model import (
    completion_length,
    generation_config,
    prepare_prompt,
    render_prompt,
)
from tests.tiny_model import build_tiny_model

QUESTIONS = (PromptQuestion("q01", "What was the measured thermal conductivity of sample A?"),)
DOCUMENTS = {
    "long": (
        "The measured thermal conductivity of sample A was 41.2 W/m K in the final analysis. "
        "A preliminary estimate put the yield at 3.4 t/ha, later revised to 3.9 t/ha. "
        "Table 2 lists the efficiency of each reactor: 81.5%, 77.0% and 69.3%."
    ),
    "mid": "A preliminary estimate put the yield at 3.4 t/ha, later revised to 3.9 t/ha.",
    "short": "Sample A: 41.2 W/m K.",
}
CHALLENGES = [RunnerChallenge(key, text, QUESTIONS) for key, text in DOCUMENTS.items()]


@pytest.fixture(scope="module")
def model_path(tmp_path_factory):
    import torch
    from transformers import AutoModelForCausalLM

    path = build_tiny_model(tmp_path_factory.mktemp("tiny"))
    model = AutoModelForCausalLM.from_pretrained(path, dtype=torch.float32)
    torch.manual_seed(1)
    with torch.no_grad():
        for parameter in model.parameters():
            if parameter.dim() == 2:
                parameter.normal_(0, 0.4)
    model.save_pretrained(path)
    return str(path)


@pytest.fixture(scope="module")
def adapter_path(model_path, tmp_path_factory):
    """A LoRA adapter on q_proj/v_proj whose B matrices are non-zero, so it changes outputs
    (a fresh LoRA adapter is initialised to change nothing)."""
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM

    base = AutoModelForCausalLM.from_pretrained(model_path, dtype=torch.float32)
    peft_model = get_peft_model(
        base, LoraConfig(r=4, lora_alpha=8, target_modules=["q_proj", "v_proj"])
    )
    torch.manual_seed(2)
    with torch.no_grad():
        for name, parameter in peft_model.named_parameters():
            if "lora_B" in name:
                parameter.normal_(0, 1.0)
    path = tmp_path_factory.mktemp("adapter")
    peft_model.save_pretrained(path)
    return str(path)


def run(settings: dict, challenges=CHALLENGES, should_stop=lambda: False):
    outputs = []
    make_runner("transformers", settings).run(challenges, outputs.append, should_stop)
    return {output.key: output for output in outputs}


def test_it_answers_every_challenge_in_left_padded_batches(model_path):
    settings = {"model_path": model_path, "batch_size": 2, "max_new_tokens": 8}
    batched = run(settings)
    assert sorted(batched) == ["long", "mid", "short"]
    tokenizer = load_model(TransformersSettings.from_dict(settings)).tokenizer
    assert tokenizer.padding_side == "left"
    for key, output in batched.items():
        text = render_prompt(tokenizer, chat_messages(DOCUMENTS[key], QUESTIONS))
        assert output.prompt_tokens == len(tokenizer(text, add_special_tokens=False)["input_ids"])
        assert 1 <= output.completion_tokens <= 8
        assert output.raw_output
        assert (output.error, output.truncated) == ("", False)
    # Batches go longest first: ("long", "mid") then ("short"); "mid" was padded.
    alone = run({**settings, "batch_size": 1}, [c for c in CHALLENGES if c.key == "mid"])
    assert alone["mid"].raw_output == batched["mid"].raw_output
    assert len({output.raw_output for output in batched.values()}) == 3


def test_it_records_the_resolved_device_dtype_and_versions(model_path):
    record = make_runner("transformers", {"model_path": model_path}).record()
    assert (record["device"], record["dtype"]) == ("cpu", "float32")
    assert record["input_token_limit"] == 8192 - 1024
    assert set(record["versions"]) == {"torch", "transformers", "peft"}
    json.dumps(record)


def test_it_cuts_the_document_to_fit_and_keeps_the_questions(model_path):
    settings = TransformersSettings.from_dict({"model_path": model_path})
    tokenizer = load_model(settings).tokenizer
    long, short = CHALLENGES[0], CHALLENGES[2]
    limit = len(prepare_prompt(tokenizer, short, 10**6, trace=True).input_ids)  # short just fits
    prompt = prepare_prompt(tokenizer, long, limit, trace=True)
    assert prompt.truncated
    assert len(prompt.input_ids) <= limit
    assert re.fullmatch(r"document cut from \d+ to \d+ tokens", prompt.truncation_note)
    text = tokenizer.decode(prompt.input_ids)
    assert QUESTIONS[0].text in text
    assert "Format of the JSON object" in text
    assert "The measured thermal" in text
    assert "69.3%" not in text

    outputs = run({"model_path": model_path, "max_input_tokens": limit, "max_new_tokens": 4})
    assert outputs["long"].truncated
    assert outputs["long"].truncation_note == prompt.truncation_note
    assert outputs["long"].prompt_tokens <= limit
    assert not outputs["short"].truncated


def test_a_prompt_that_cannot_fit_without_its_document_is_an_error(model_path):
    outputs = run({"model_path": model_path, "max_input_tokens": 20, "max_new_tokens": 4})
    assert sorted(outputs) == ["long", "mid", "short"]
    for output in outputs.values():
        assert output.raw_output == ""
        assert re.fullmatch(
            r"the prompt without its document is \d+ tokens, over the 20-token input limit",
            output.error,
        )


def test_a_peft_adapter_is_loaded_and_changes_the_answer(model_path, adapter_path):
    from peft import PeftModel

    settings = {"model_path": model_path, "adapter_path": adapter_path}
    assert isinstance(load_model(TransformersSettings.from_dict(settings)).model, PeftModel)
    short = [CHALLENGES[2]]
    base = run({"model_path": model_path, "max_new_tokens": 8}, short)["short"]
    adapted = run({**settings, "max_new_tokens": 8}, short)["short"]
    assert base.completion_tokens == adapted.completion_tokens == 8
    assert adapted.raw_output != base.raw_output


def test_it_samples_above_temperature_zero(model_path):
    settings = {"model_path": model_path, "max_new_tokens": 4, "temperature": 0.7}
    outputs = run(settings)
    assert sorted(outputs) == ["long", "mid", "short"]
    assert all(output.completion_tokens for output in outputs.values())


def test_it_stops_between_batches(model_path):
    seen = []
    runner = make_runner(
        "transformers", {"model_path": model_path, "batch_size": 1, "max_new_tokens": 2}
    )
    runner.run(CHALLENGES, seen.append, lambda: len(seen) >= 1)
    assert [output.key for output in seen] == ["long"]


def test_a_tokenizer_without_a_chat_template_gets_a_plain_layout(model_path):
    tokenizer = load_model(TransformersSettings.from_dict({"model_path": model_path})).tokenizer
    tokenizer.chat_template = None
    text = render_prompt(tokenizer, chat_messages("Doc.", QUESTIONS))
    assert text.endswith("\n\nassistant:")
    assert "Questions:\nq01: " in text


def test_a_template_that_refuses_a_system_turn_gets_it_inside_the_user_turn(model_path):
    tokenizer = load_model(TransformersSettings.from_dict({"model_path": model_path})).tokenizer
    tokenizer.chat_template = (
        "{% for m in messages %}{% if m['role'] == 'system' %}"
        "{{ raise_exception('System role not supported') }}{% endif %}"
        "<turn>{{ m['role'] }}\n{{ m['content'] }}</turn>\n{% endfor %}"
        "{% if add_generation_prompt %}<turn>model{% endif %}"
    )
    messages = chat_messages("Doc.", QUESTIONS)
    text = render_prompt(tokenizer, messages)
    assert text.startswith(f"<turn>user\n{messages[0].content}\n\nDocument:")
    assert text.endswith("</turn>\n<turn>model")


def test_completion_tokens_run_up_to_and_including_the_first_stop_token():
    assert completion_length([7, 9, 2, 0, 0], {2}) == 3
    assert completion_length([7, 9, 4], {2}) == 3
    assert completion_length([2, 2], {2, 5}) == 1


def test_greedy_generation_clears_sampling_flags_and_stops_on_every_eos(model_path):
    loaded = load_model(TransformersSettings.from_dict({"model_path": model_path}))
    loaded.model.generation_config.temperature = 0.7
    loaded.model.generation_config.top_p = 0.8
    settings = TransformersSettings.from_dict({"model_path": model_path, "max_new_tokens": 5})
    config = generation_config(loaded.model, loaded.tokenizer, settings)
    assert (config.do_sample, config.temperature, config.top_p) == (False, None, None)
    assert config.max_new_tokens == 5
    assert loaded.tokenizer.eos_token_id in config.eos_token_id
