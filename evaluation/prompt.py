"""The prompt a model answers a challenge from, and the answer a training example teaches.
Pure (no Django).

The prompt follows the shared design: the document, then the questions by id, asking for a
JSON object ``{"q01": {"answer", "citation", "confidence"}, …}`` and, in trace mode, the
reasoning before it. It never mentions conflicting or planted statements: whether a model
resolves them unprompted is what CARS measures.

``PROMPT_VERSION`` is recorded on every evaluation run and training dataset; change it with
any change to the wording below.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

PROMPT_VERSION = "dacr-prompt-1"

SYSTEM_PROMPT = (
    "You are a careful research assistant. You answer questions about a scientific "
    "document using only what the document says."
)

_INSTRUCTIONS_TRACE = (
    "Answer every question from the document above. First reason step by step: for each "
    "question, find the relevant statements, quote them, and work out the answer. Then end "
    "with one JSON object that maps each question id to an object with three keys: "
    '"answer" (a short answer: a number with its unit, a name, or a few words), '
    '"citation" (the sentence of the document the answer rests on, quoted exactly) and '
    '"confidence" (a number between 0 and 1).'
)
_INSTRUCTIONS_ANSWER = (
    "Answer every question from the document above. Reply with one JSON object only, which "
    "maps each question id to an object with three keys: "
    '"answer" (a short answer: a number with its unit, a name, or a few words), '
    '"citation" (the sentence of the document the answer rests on, quoted exactly) and '
    '"confidence" (a number between 0 and 1).'
)


@dataclass(frozen=True)
class PromptQuestion:
    question_id: str
    text: str


@dataclass(frozen=True)
class ChatMessage:
    role: str  # "system", "user" or "assistant"
    content: str

    def as_dict(self) -> dict[str, str]:
        return {"role": self.role, "content": self.content}


def user_prompt(
    document_text: str, questions: Sequence[PromptQuestion], *, trace: bool = True
) -> str:
    """The user turn: the document, the questions by id, the answer format."""
    lines = ["Document:", "", document_text.strip(), "", "Questions:"]
    lines += [f"{q.question_id}: {q.text.strip()}" for q in questions]
    example = {
        questions[0].question_id if questions else "q01": {
            "answer": "…",
            "citation": "…",
            "confidence": 0.9,
        }
    }
    lines += [
        "",
        _INSTRUCTIONS_TRACE if trace else _INSTRUCTIONS_ANSWER,
        "",
        "Format of the JSON object: " + json.dumps(example, ensure_ascii=False),
    ]
    return "\n".join(lines)


def chat_messages(
    document_text: str, questions: Sequence[PromptQuestion], *, trace: bool = True
) -> list[ChatMessage]:
    """System and user turns of one challenge's prompt."""
    return [
        ChatMessage("system", SYSTEM_PROMPT),
        ChatMessage("user", user_prompt(document_text, questions, trace=trace)),
    ]


def answers_json(answers: Mapping[str, Mapping[str, object]]) -> str:
    """The final JSON block of an answer: ``{"q01": {"answer", "citation", "confidence"}}``
    in question-id order, as the parser in ``traces.parsing`` reads it back."""
    ordered = {
        qid: {
            "answer": entry.get("answer", ""),
            "citation": entry.get("citation", ""),
            "confidence": entry.get("confidence"),
        }
        for qid, entry in sorted(answers.items())
    }
    return json.dumps(ordered, ensure_ascii=False, indent=1)


def assistant_answer(reasoning: str, answers: Mapping[str, Mapping[str, object]]) -> str:
    """The assistant turn a training example teaches: the reasoning (when there is any), then
    the answers as one fenced JSON object."""
    block = "```json\n" + answers_json(answers) + "\n```"
    reasoning = (reasoning or "").strip()
    return f"{reasoning}\n\n{block}" if reasoning else block
