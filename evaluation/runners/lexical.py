"""The ``lexical`` runner: our BM25 retrieval baseline answering through the runner contract,
so a baseline run is stored, graded and compared exactly like a model's. Pure; no model."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from evaluation.baselines import solve
from evaluation.prompt import PromptQuestion, answers_json
from evaluation.runners.settings import LexicalSettings
from evaluation.runners.types import (
    OutputCallback,
    RunnerChallenge,
    RunnerOutput,
    StopCheck,
    elapsed_ms,
    never_stop,
    runner_record,
)


def lexical_answer_text(document_text: str, questions: Sequence[PromptQuestion]) -> str:
    """The lexical baseline's answers to one document as the JSON object a model is asked
    for, so ``traces.parsing`` reads them back like any model output."""
    answers = solve("lexical", document_text, [(q.question_id, q.text) for q in questions])
    return answers_json(
        {
            question_id: {
                "answer": answer.answer,
                "citation": answer.citation,
                "confidence": answer.confidence,
            }
            for question_id, answer in answers.items()
        }
    )


class LexicalRunner:
    """Answers every challenge with the lexical baseline; no token counts (no model)."""

    name = "lexical"

    def __init__(self, settings: LexicalSettings) -> None:
        self.settings = settings

    def record(self) -> dict[str, Any]:
        return runner_record(self.name, self.settings)

    def run(
        self,
        challenges: Sequence[RunnerChallenge],
        on_output: OutputCallback,
        should_stop: StopCheck = never_stop,
    ) -> None:
        for challenge in challenges:
            if should_stop():
                return
            started = time.perf_counter()
            text = lexical_answer_text(challenge.document_text, challenge.questions)
            on_output(RunnerOutput(challenge.key, text, None, None, elapsed_ms(started)))
