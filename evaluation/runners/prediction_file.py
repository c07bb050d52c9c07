"""The ``file`` runner: answers imported from a DACR-Bench predictions file, replayed
through the runner contract so imported results are stored and graded like live ones. Pure.

The file is read once, when the runner is built, with the reader the grader uses
(``traces.grading.dacr_json.read_predictions``: the last prediction for a challenge wins).
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from evaluation.prompt import answers_json
from evaluation.runners.settings import FileSettings
from evaluation.runners.types import (
    OutputCallback,
    RunnerChallenge,
    RunnerConfigError,
    RunnerOutput,
    StopCheck,
    never_stop,
    one_line,
    runner_record,
)
from traces.grading import ModelAnswer
from traces.grading.dacr_json import PredictionSet, read_predictions

NO_PREDICTION = "no prediction for this challenge in the file"
_RECORDED_PROBLEMS = 20


def load_predictions(path: str) -> tuple[PredictionSet, str]:
    """The predictions in ``path`` and the file's sha256; RunnerConfigError (one line) when
    the file cannot be read or is not a JSON array of predictions."""
    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        raise RunnerConfigError(f"path: cannot read the file ({type(error).__name__})") from None
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise RunnerConfigError("path: the file is not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise RunnerConfigError(
            f"path: not valid JSON ({error.msg} at line {error.lineno})"
        ) from None
    except RecursionError:
        raise RunnerConfigError("path: JSON nested too deeply") from None
    if not isinstance(data, list):
        raise RunnerConfigError("path: a predictions file is a JSON array of predictions")
    return read_predictions(data), hashlib.sha256(raw).hexdigest()


def prediction_answers(answers: Mapping[str, ModelAnswer]) -> dict[str, dict[str, Any]]:
    """One prediction's answers as a predictions file writes them."""
    return {
        question_id: {
            "answer": answer.answer,
            "citation": answer.citation,
            # NaN is not JSON; the scorer reads a missing confidence the same way.
            "confidence": None
            if answer.confidence is None or math.isnan(answer.confidence)
            else answer.confidence,
        }
        for question_id, answer in answers.items()
    }


class FileRunner:
    """Emits each challenge's answers from the file; a challenge the file lacks gets an
    output with ``error`` set."""

    name = "file"

    def __init__(self, settings: FileSettings) -> None:
        self.settings = settings
        self.predictions, self.sha256 = load_predictions(settings.path)

    def record(self) -> dict[str, Any]:
        problems = self.predictions.problems
        return {
            **runner_record(self.name, self.settings),
            "file": {
                "sha256": self.sha256,
                "model": self.predictions.model,
                "predictions": len(self.predictions.answers),
                "problem_count": len(problems),
                "problems": [one_line(p) for p in problems[:_RECORDED_PROBLEMS]],
            },
        }

    def run(
        self,
        challenges: Sequence[RunnerChallenge],
        on_output: OutputCallback,
        should_stop: StopCheck = never_stop,
    ) -> None:
        for challenge in challenges:
            if should_stop():
                return
            answers = self.predictions.answers.get(challenge.key)
            if answers is None:
                on_output(RunnerOutput(challenge.key, "", None, None, 0, error=NO_PREDICTION))
            else:
                given = prediction_answers(answers)
                on_output(
                    RunnerOutput(challenge.key, answers_json(given), None, None, 0, answers=given)
                )
