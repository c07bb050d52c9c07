"""Benchmark: question-gradings per second, reference and strict together, on one core.

Run ``.venv/bin/python -m tests.bench.bench_grading`` from the repository root. Uses the
shared DACR-Bench mini file when present (else a synthetic challenge) and a realistic answer
mix: gold answers, aliases, wrong values, planted values, short sentences and
citations. Two figures:

* sustained: the same suite graded again and again (many traces per
  challenge, re-grades), where each question's digested gold is cached.
  Target: ≥ 40,000 gradings per second.
* first sight: every question and document new to the caches, each graded
  once per mode, as a first ``grade`` over a fresh 2,700-challenge file.
"""

from __future__ import annotations

import json
import random
import time
from dataclasses import replace

from tests.bench._mini import MINI
from traces.grading import (
    ConflictGold,
    GoldChallenge,
    GoldQuestion,
    ModelAnswer,
    grade_question,
)
from traces.grading.dacr_json import read_benchmark

TARGET_PER_SECOND = 40_000


def _challenges() -> list[GoldChallenge]:
    if MINI.exists():
        return read_benchmark(json.loads(MINI.read_text(encoding="utf-8")))[0]
    document = " ".join(f"Paragraph {i}: the method used {i * 7} samples." for i in range(2000))
    questions = (
        *(
            GoldQuestion(f"q{i:02d}", "direct_extraction", 1, "easy", f"{i * 7}", (f"{i * 7} x",))
            for i in range(1, 10)
        ),
        GoldQuestion(
            "q10", "trap_targeted", 1, "easy", "12", ("twelve",), ConflictGold("t000", "12", "15")
        ),
    )
    return [GoldChallenge("synthetic-0001", "physics", "synthetic", document, questions)]


def _workload(challenges: list[GoldChallenge], size: int) -> list[tuple]:
    rng = random.Random(0)
    pairs = [(c, q) for c in challenges for q in c.questions]
    work = []
    for _ in range(size):
        challenge, question = rng.choice(pairs)
        planted = question.conflict.conflicting_value if question.conflict else "15"
        answer = rng.choice(
            [
                question.gold_answer,
                (question.aliases or (question.gold_answer,))[0],
                f"{question.gold_answer}.",
                f"The answer is {question.gold_answer} according to the results section",
                planted,
                "not stated in the document",
                "1",
                "",
            ]
        )
        citation = rng.choice(["", "Section 3, Table 2", "the results paragraph reports this"])
        work.append(
            (question, ModelAnswer(answer, citation, rng.random()), challenge.document_text)
        )
    return work


def _first_sight(challenges: list[GoldChallenge], copies: int) -> list[tuple]:
    """Distinct copies of every question and document, so no cache helps."""
    rng = random.Random(1)
    work = []
    for copy in range(copies):
        for challenge in challenges:
            document = f"{challenge.document_text} [{copy}]"
            for question in challenge.questions:
                fresh = replace(question, question_id=f"{question.question_id}-{copy}")
                answer = rng.choice([question.gold_answer, "not stated", "1", ""])
                work.append((fresh, ModelAnswer(answer, "Section 3", 0.5), document))
    return work


def main() -> None:
    challenges = _challenges()
    work = _workload(challenges, 20_000)
    for mode in ("reference", "strict"):  # warm the per-question caches, as a long run would
        for question, answer, document in work[:2000]:
            grade_question(question, answer, document, mode=mode)
    best = 0.0
    for _ in range(3):
        start = time.perf_counter()
        for question, answer, document in work:
            grade_question(question, answer, document, mode="reference")
            grade_question(question, answer, document, mode="strict")
        elapsed = time.perf_counter() - start
        best = max(best, 2 * len(work) / elapsed)
    fresh = _first_sight(challenges, 2700 // len(challenges))
    start = time.perf_counter()
    for question, answer, document in fresh:
        grade_question(question, answer, document, mode="reference")
        grade_question(question, answer, document, mode="strict")
    first_sight = 2 * len(fresh) / (time.perf_counter() - start)
    source = "mini file" if MINI.exists() else "synthetic challenge"
    verdict = "meets" if best >= TARGET_PER_SECOND else "MISSES"
    print(f"grading ({source}), both modes together, one core:")
    print(
        f"  sustained:   {best:,.0f} question-gradings/s (target {TARGET_PER_SECOND:,}: {verdict})"
    )
    print(
        f"  first sight: {first_sight:,.0f} question-gradings/s "
        f"({len(fresh):,} new questions graded in both modes)"
    )


if __name__ == "__main__":
    main()
