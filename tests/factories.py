"""Factories build small, valid challenges through the same import path as real files."""

from __future__ import annotations

import json
from pathlib import Path

from challenges import dacr_format as fmt
from challenges.services import benchmark_import

DOCUMENT = (
    "Technical Report — Reactor Trials\n\n"
    "Section 1. Results\n\n"
    "Trial Alpha reached a yield of 42.5 percent at steady state (Table 2).\n\n"
    "A preliminary estimate put the yield of Trial Alpha at 38 percent.\n\n"
    "Trial Beta ran for 12 hours and used 3 catalysts."
)


def challenge_dict(challenge_id: str = "dacr-test-00001", **overrides) -> dict:
    """A small valid DACR-Bench challenge with one conflict and three questions."""
    record = {
        "challengeId": challenge_id,
        "version": "1.0",
        "source": {"type": "document", "documentId": "test.txt"},
        "document": {
            "text": DOCUMENT,
            "domain": "chemistry",
            "wordCount": len(DOCUMENT.split()),
            "paragraphCount": 5,
            "sections": ["Results"],
        },
        "facts": [
            {
                "factId": "f001",
                "entity": "Trial Alpha",
                "attribute": "yield_percent",
                "value": 42.5,
                "valueType": "numerical",
                "location": {
                    "section": "Results",
                    "paragraphIndex": 2,
                    "contextQuote": "Trial Alpha reached a yield of 42.5 percent at steady state",
                },
            },
            {
                "factId": "f002",
                "entity": "Trial Beta",
                "attribute": "duration_hours",
                "value": 12,
                "valueType": "numerical",
                "location": {
                    "section": "Results",
                    "paragraphIndex": 4,
                    "contextQuote": "Trial Beta ran for 12 hours",
                },
            },
        ],
        "traps": [
            {
                "trapId": "t000",
                "targetFactId": "f001",
                "correctValue": 42.5,
                "wrongValue": 38,
                "trapLocation": {
                    "section": "injected",
                    "paragraphIndex": 3,
                    "injectedText": (
                        "A preliminary estimate put the yield of Trial Alpha at 38 percent."
                    ),
                },
            }
        ],
        "questions": [
            {
                "questionId": "q01",
                "text": "What yield did Trial Alpha reach?",
                "category": "trap_targeted",
                "hops": 1,
                "targetsTrap": "t000",
                "goldAnswer": "42.5 percent",
                "goldAnswerAliases": ["42.5%", "42.5"],
                "reasoningChain": [
                    {"step": 1, "action": "lookup", "factId": "f001", "result": "42.5"}
                ],
                "difficulty": "medium",
            },
            {
                "questionId": "q02",
                "text": "How long did Trial Beta run?",
                "category": "direct_extraction",
                "hops": 1,
                "targetsTrap": None,
                "goldAnswer": "12 hours",
                "goldAnswerAliases": ["12"],
                "reasoningChain": [
                    {"step": 1, "action": "lookup", "factId": "f002", "result": "12 hours"}
                ],
                "difficulty": "easy",
            },
            {
                "questionId": "q03",
                "text": "How many catalysts did Trial Beta use?",
                "category": "direct_extraction",
                "hops": 1,
                "targetsTrap": None,
                "goldAnswer": "3",
                "goldAnswerAliases": ["three"],
                "reasoningChain": [{"step": 1, "action": "extract", "note": "count"}],
                "difficulty": "easy",
            },
        ],
        "metadata": {"verificationPasses": 3, "verificationMethod": "deterministic"},
    }
    record.update(overrides)
    return record


def benchmark_dict(*challenges: dict, name: str = "test-suite", version: str = "1.0") -> dict:
    return {
        "name": name,
        "version": version,
        "createdAt": "2026-01-01T00:00:00Z",
        "description": "A suite made by the tests",
        "challenges": list(challenges) or [challenge_dict()],
    }


def import_challenges(*challenges: dict, suite: str = "test-suite"):
    """Import challenges (dicts) through the real service; returns the ImportSummary."""
    benchmark = fmt.benchmark_from_dict(benchmark_dict(*challenges, name=suite))
    return benchmark_import(benchmark=benchmark, suite_name=suite)


def write_json(path: Path, data) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path
