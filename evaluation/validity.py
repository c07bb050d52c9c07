"""The validity report of a suite: can trivial strategies pass it, and does its construction
give answers away?

Runs the four baseline solvers (the ``lexical`` reader and the trivial ``first_mention``,
``last_mention`` and ``hedge_filter``) over every challenge, grades them in strict mode,
and measures the suite itself: where planted statements sit relative to the authoritative
ones, how varied the authority cues are, how often hedge words appear outside conflicts,
and how long the documents are. The targets:

- ``first_mention`` and ``last_mention`` CARS each within 35–65% (position gives nothing);
- no trivial solver above 60% answer accuracy;
- the subordinate statement first in 40–60% of conflicts.

Pure apart from reading challenge records: no database writes.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Sequence

from challenges import dacr_format as fmt
from challenges.engine.cues import HEDGE_WORDS
from evaluation.baselines import BASELINES, answers_for_grading, solve
from evaluation.metrics import compute_metrics, graded_items
from traces.gold import gold_from_record
from traces.grading import MODE_STRICT, grade_challenge

TRIVIAL = ("first_mention", "last_mention", "hedge_filter")
BASELINE_ORDER = ("lexical", *TRIVIAL)
CARS_BAND = (0.35, 0.65)
TRIVIAL_MAX_ACCURACY = 0.60
POSITION_BAND = (0.40, 0.60)
_HEDGE = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in HEDGE_WORDS) + r")", re.I)
_SENTENCE = re.compile(r"(?<=[.?!])\s+|\n")


def solver_metrics(
    name: str, records: Sequence[fmt.ChallengeRecord], *, n_resamples: int = 1000
) -> dict:
    """One baseline's strict metrics over ``records`` (answer accuracy, CARS, pass rate,
    per-skill accuracy, 95% intervals)."""
    items = []
    for record in records:
        gold = gold_from_record(record)
        answers = solve(
            name, record.document_text, [(q.question_id, q.text) for q in record.questions]
        )
        grade = grade_challenge(gold, answers_for_grading(answers), mode=MODE_STRICT)
        items.extend(graded_items(gold, grade))
    metrics = compute_metrics(items, mode=MODE_STRICT, n_resamples=n_resamples)
    return {
        "answer_accuracy": metrics["answer_accuracy"],
        "cars": metrics["cars"],
        "pass_rate": metrics["pass_rate"],
        "by_category": {k: v["accuracy"] for k, v in metrics["by_category"].items()},
        "ci": metrics["ci"],
    }


def conflict_positions(records: Sequence[fmt.ChallengeRecord]) -> dict:
    counts = Counter()
    for record in records:
        quotes = {fact.fact_id: fact.quote for fact in record.facts}
        for conflict in record.conflicts:
            counts[_position(record, conflict, quotes.get(conflict.target_fact_id, ""))] += 1
    placed = counts["before"] + counts["after"]
    return {
        "before": counts["before"],
        "after": counts["after"],
        "unknown": counts["unknown"],
        "subordinate_first_share": counts["before"] / placed if placed else None,
    }


def _position(record: fmt.ChallengeRecord, conflict: fmt.ConflictRecord, quote: str) -> str:
    recorded = conflict.extra.get("subordinatePosition")
    if recorded in ("before", "after"):
        return recorded
    sub = record.document_text.find(conflict.subordinate_text)
    auth = record.document_text.find(quote) if quote else -1
    if sub < 0 or auth < 0:
        return "unknown"
    return "before" if sub < auth else "after"


def cue_diversity(records: Sequence[fmt.ChallengeRecord]) -> dict:
    subordinate = Counter(
        c.extra.get("subordinateCue") or "unrecorded" for r in records for c in r.conflicts
    )
    authoritative = Counter(
        c.extra.get("authoritativeCue") or "unrecorded" for r in records for c in r.conflicts
    )
    hedged = planted = 0
    for record in records:
        planted_texts = {c.subordinate_text for c in record.conflicts}
        for sentence in _SENTENCE.split(record.document_text):
            if _HEDGE.search(sentence):
                if sentence.strip() in planted_texts:
                    planted += 1
                else:
                    hedged += 1
    return {
        "subordinate": dict(subordinate.most_common()),
        "authoritative": dict(authoritative.most_common()),
        "distinct_subordinate": len(set(subordinate) - {"unrecorded"}),
        "distinct_authoritative": len(set(authoritative) - {"unrecorded"}),
        "hedged_sentences_outside_conflicts": hedged,
        "hedged_planted_sentences": planted,
    }


def length_distribution(records: Sequence[fmt.ChallengeRecord]) -> dict:
    words = sorted(record.word_count for record in records)
    if not words:
        return {"count": 0}
    quartiles = statistics.quantiles(words, n=4) if len(words) > 1 else [words[0]] * 3
    edges = list(range(0, max(words) + 1000, 1000))
    histogram = [
        [low, low + 1000, sum(1 for w in words if low <= w < low + 1000)] for low in edges[:-1]
    ]
    return {
        "count": len(words),
        "min": words[0],
        "p25": quartiles[0],
        "median": statistics.median(words),
        "p75": quartiles[2],
        "max": words[-1],
        "mean": statistics.fmean(words),
        "histogram": [bucket for bucket in histogram if bucket[2]],
    }


def coverage(records: Sequence[fmt.ChallengeRecord]) -> dict:
    questions = [q for r in records for q in r.questions]
    return {
        "challenges": len(records),
        "questions": len(questions),
        "conflicts": sum(len(r.conflicts) for r in records),
        "domains": dict(sorted(Counter(r.domain for r in records).items())),
        "skills": {k: v for k in fmt.CATEGORIES if (v := sum(q.category == k for q in questions))},
        "hops": dict(sorted(Counter(q.hops for q in questions).items())),
        "difficulty": {
            k: v for k in fmt.DIFFICULTIES if (v := sum(q.difficulty == k for q in questions))
        },
    }


def _target(name: str, value: float | None, low: float | None, high: float | None) -> dict:
    met = value is not None and (low is None or value >= low) and (high is None or value <= high)
    return {"name": name, "value": value, "low": low, "high": high, "met": met}


def validity_report(records: Sequence[fmt.ChallengeRecord], *, n_resamples: int = 1000) -> dict:
    """The whole report as a JSON-ready dict; ``targets_met`` is True when every target
    holds."""
    solvers = {
        name: solver_metrics(name, records, n_resamples=n_resamples)
        for name in BASELINE_ORDER
        if name in BASELINES
    }
    positions = conflict_positions(records)
    targets = [
        _target(f"{name} CARS", solvers[name]["cars"], *CARS_BAND)
        for name in ("first_mention", "last_mention")
    ]
    targets += [
        _target(
            f"{name} answer accuracy", solvers[name]["answer_accuracy"], None, TRIVIAL_MAX_ACCURACY
        )
        for name in TRIVIAL
    ]
    targets.append(
        _target("subordinate-first share", positions["subordinate_first_share"], *POSITION_BAND)
    )
    return {
        "coverage": coverage(records),
        "solvers": solvers,
        "positions": positions,
        "cues": cue_diversity(records),
        "lengths": length_distribution(records),
        "targets": targets,
        "targets_met": all(t["met"] for t in targets),
    }
