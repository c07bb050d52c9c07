"""Exports of a run's metrics and of a two-run comparison: Markdown, JSON and CSV.

Shares (accuracies, rates, CARS, confidences, ECE) are written as percentages
with one decimal, deltas as percentage points ("+12.2 pts [4.4, 20.0]"); JSON
keeps the full-precision numbers. Undefined values are "—" in Markdown, empty
in CSV and null in JSON. The formatters here are shared with
``evaluation.charts`` so a chart's table and an export read the same.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping

from evaluation.comparison import DeltaRow, DomainRow, RunComparison
from evaluation.metrics import HEADLINE
from evaluation.stats import Interval, wilson_interval

MISSING = "—"
METRIC_LABELS = {
    "answer_accuracy": "Answer accuracy",
    "pass_rate": "Pass rate (challenges ≥ 60%)",
    "cars": "CARS",
    "confidence_weighted_accuracy": "Confidence-weighted accuracy",
    "mean_confidence": "Mean confidence",
    "ece": "Expected calibration error",
    "citation_grounding": "Citation grounding",
    "format_failure_rate": "Format failures",
}
BREAKDOWNS = (
    ("by_category", "Skill"),
    ("by_domain", "Domain"),
    ("by_hops", "Hops"),
    ("by_difficulty", "Difficulty"),
)
RUN_CSV_HEADERS = ("section", "key", "accuracy", "count", "low", "high")
COMPARISON_CSV_HEADERS = (
    "table",
    "key",
    "a",
    "b",
    "delta",
    "low",
    "high",
    "relative_improvement",
    "rel_low",
    "rel_high",
)


# -- number formats ------------------------------------------------------------------------


def number(share: float | None) -> str:
    """A share as a bare percentage with one decimal ("55.0"), "" when undefined (for CSV)."""
    return "" if share is None else f"{share * 100:.1f}"


def percent(share: float | None) -> str:
    """A share as a percentage with one decimal ("55.0%"), "—" when undefined."""
    return MISSING if share is None else f"{share * 100:.1f}%"


def interval_text(interval: Interval) -> str:
    """An interval on a share or a delta, in percent or points: "[4.4, 20.0]"."""
    if interval.low is None or interval.high is None:
        return MISSING
    return f"[{interval.low * 100:.1f}, {interval.high * 100:.1f}]"


def delta_text(delta: float | None, interval: Interval) -> str:
    """A delta in percentage points with its interval: "+12.2 pts [4.4, 20.0]"."""
    if delta is None:
        return MISSING
    return f"{delta * 100:+.1f} pts {interval_text(interval)}"


def relative_text(relative: float | None, interval: Interval) -> str:
    """A relative improvement with its interval: "+25.0% [3.1, 50.0]"."""
    if relative is None:
        return MISSING
    return f"{relative * 100:+.1f}% {interval_text(interval)}"


def p_value_text(p_value: float) -> str:
    """Three decimals, or scientific notation below 0.001 so small p-values stay readable."""
    return f"{p_value:.3f}" if p_value >= 0.001 else f"{p_value:.2e}"


def accuracy_interval(entry: Mapping) -> Interval:
    """95% Wilson interval of a breakdown entry (accuracy × count right out of count)."""
    count = int(entry.get("count") or 0)
    accuracy = entry.get("accuracy") or 0.0
    return wilson_interval(round(accuracy * count), count)


# -- Markdown ------------------------------------------------------------------------------


def _cell(value: object) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def markdown_table(headers: Iterable[str], rows: Iterable[Iterable[object]]) -> str:
    """A GitHub Markdown table; pipes and newlines inside cells are escaped."""
    headers = list(headers)
    lines = [
        "| " + " | ".join(_cell(h) for h in headers) + " |",
        "|" + "|".join("---" for _ in headers) + "|",
    ]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def _record_value(value: object) -> str:
    if isinstance(value, dict | list | tuple):
        return "`" + json.dumps(value, sort_keys=True, default=str) + "`"
    return str(value)


def _headline_rows(metrics: Mapping) -> list[list[str]]:
    intervals = metrics.get("ci") or {}
    rows = []
    for name in HEADLINE:
        interval = intervals.get(name) or {}
        rows.append(
            [
                METRIC_LABELS[name],
                percent(metrics.get(name)),
                interval_text(Interval(interval.get("low"), interval.get("high"))),
            ]
        )
    return rows


def _breakdown_rows(entries: Mapping[str, Mapping]) -> list[list[str]]:
    return [
        [key, percent(entry["accuracy"]), interval_text(accuracy_interval(entry)), entry["count"]]
        for key, entry in entries.items()
    ]


def _split_rows(splits: Mapping[str, Mapping]) -> list[list[str]]:
    return [
        [
            split,
            percent(entry["answer_accuracy"]),
            percent(entry["pass_rate"]),
            percent(entry["cars"]),
            entry["challenges"],
            entry["questions"],
        ]
        for split, entry in splits.items()
    ]


def run_report_markdown(title: str, metrics: Mapping, *, mode: str, record: Mapping) -> str:
    """A run's metrics as a Markdown document: record, headline, breakdowns, splits."""
    gap = metrics.get("transfer_gap")
    parts = [
        f"# {title}",
        f"Verifier mode: **{mode}**. {metrics.get('challenges', 0)} challenges, "
        f"{metrics.get('questions', 0)} questions. Intervals are 95%: bootstrap over "
        "challenges for the headline, Wilson for the breakdowns.",
        "## Run record",
        markdown_table(
            ["Field", "Value"], [[key, _record_value(value)] for key, value in record.items()]
        ),
        "## Headline metrics",
        markdown_table(["Metric", "Value", "95% interval"], _headline_rows(metrics)),
        f"Transfer gap |real − synthetic|: {MISSING if gap is None else f'{gap * 100:.1f} pts'}",
    ]
    for section, label in BREAKDOWNS:
        parts += [
            f"## By {label.lower()}",
            markdown_table(
                [label, "Accuracy", "95% interval", "Questions"],
                _breakdown_rows(metrics.get(section) or {}),
            ),
        ]
    parts += [
        "## By split",
        markdown_table(
            ["Split", "Accuracy", "Pass rate", "CARS", "Challenges", "Questions"],
            _split_rows(metrics.get("by_split") or {}),
        ),
    ]
    return "\n\n".join(parts) + "\n"


def _comparison_summary(comparison: RunComparison) -> str:
    return (
        f"Verifier mode: **{comparison.mode}**. {comparison.questions} paired questions in "
        f"{comparison.challenges} challenges; {comparison.unmatched} questions only one run "
        f"has are left out. Deltas are B − A with 95% bootstrap intervals "
        f"({comparison.n_resamples} resamples of challenges, seed {comparison.seed})."
    )


def _paired_test_text(comparison: RunComparison, label_a: str, label_b: str) -> str:
    test = comparison.paired_test
    return (
        f"Exact McNemar test on per-question correctness: only {label_a} right on "
        f"{test.only_a}, only {label_b} right on {test.only_b}, "
        f"p = {p_value_text(test.p_value)}."
    )


def comparison_markdown(comparison: RunComparison, *, label_a: str, label_b: str) -> str:
    """The overall, skill and domain tables and the paired test as a Markdown document."""
    delta_header = f"Δ ({label_b} − {label_a}) [95% CI]"
    flips = comparison.flips
    parts = [
        f"# {label_b} vs {label_a}",
        _comparison_summary(comparison),
        "## Overall",
        markdown_table(
            ["Metric", label_a, label_b, delta_header],
            [
                [METRIC_LABELS[r.key], percent(r.a), percent(r.b), delta_text(r.delta, r.interval)]
                for r in comparison.overall
            ],
        ),
        "## By skill",
        markdown_table(
            ["Skill", label_a, label_b, delta_header, "Questions"],
            [_skill_cells(row) for row in comparison.skills],
        ),
        "## By domain",
        markdown_table(
            [
                "Domain",
                label_a,
                label_b,
                delta_header,
                "Relative improvement [95% CI]",
                "Questions",
            ],
            [_domain_cells(row) for row in comparison.domains],
        ),
        "## Paired test",
        _paired_test_text(comparison, label_a, label_b),
        markdown_table(
            ["", f"{label_b} right", f"{label_b} wrong"],
            [
                [f"{label_a} right", flips["both_right"].count, flips["only_a"].count],
                [f"{label_a} wrong", flips["only_b"].count, flips["both_wrong"].count],
            ],
        ),
    ]
    return "\n\n".join(parts) + "\n"


def _skill_cells(row: DeltaRow) -> list[object]:
    return [row.key, percent(row.a), percent(row.b), delta_text(row.delta, row.interval), row.count]


def _domain_cells(row: DomainRow) -> list[object]:
    return [
        row.key,
        percent(row.a),
        percent(row.b),
        delta_text(row.delta, row.interval),
        relative_text(row.relative_improvement, row.relative_interval),
        row.count,
    ]


# -- JSON ----------------------------------------------------------------------------------


def run_report_json(title: str, metrics: Mapping, *, mode: str, record: Mapping) -> str:
    """The metrics dict and the run record as indented JSON (values JSON cannot hold, such as
    datetimes in the record, are written as text)."""
    document = {"title": title, "mode": mode, "record": record, "metrics": metrics}
    return json.dumps(document, indent=2, allow_nan=False, default=str)


def comparison_json(comparison: RunComparison, *, label_a: str, label_b: str) -> str:
    """The comparison's ``as_dict()`` with the runs' labels, as indented JSON."""
    document = {"label_a": label_a, "label_b": label_b, **comparison.as_dict()}
    return json.dumps(document, indent=2, allow_nan=False)


# -- CSV -----------------------------------------------------------------------------------


def _csv(headers: Iterable[str], rows: Iterable[Iterable[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue()


def _breakdown_csv_row(section: str, key: str, entry: Mapping) -> list[object]:
    interval = accuracy_interval(entry)
    return [
        section,
        key,
        number(entry["accuracy"]),
        entry["count"],
        number(interval.low),
        number(interval.high),
    ]


def run_report_csv(metrics: Mapping) -> str:
    """One row per breakdown entry (skill, domain, hops, difficulty, split): accuracy and its
    95% Wilson interval in percent, and the question count."""
    rows = [
        _breakdown_csv_row(section, key, entry)
        for section, _ in BREAKDOWNS
        for key, entry in (metrics.get(section) or {}).items()
    ]
    rows += [
        _breakdown_csv_row(
            "by_split", split, {"accuracy": entry["answer_accuracy"], "count": entry["questions"]}
        )
        for split, entry in (metrics.get("by_split") or {}).items()
    ]
    return _csv(RUN_CSV_HEADERS, rows)


def _comparison_csv_row(table: str, row: DeltaRow) -> list[object]:
    relative = isinstance(row, DomainRow)
    return [
        table,
        row.key,
        number(row.a),
        number(row.b),
        number(row.delta),
        number(row.interval.low),
        number(row.interval.high),
        number(row.relative_improvement) if relative else "",
        number(row.relative_interval.low) if relative else "",
        number(row.relative_interval.high) if relative else "",
    ]


def comparison_csv(comparison: RunComparison) -> str:
    """One row per table row (overall, skills, domains); shares in percent, deltas in points,
    relative improvements in percent (empty where undefined or not applicable)."""
    rows = [_comparison_csv_row("overall", row) for row in comparison.overall]
    rows += [_comparison_csv_row("skills", row) for row in comparison.skills]
    rows += [_comparison_csv_row("domains", row) for row in comparison.domains]
    return _csv(COMPARISON_CSV_HEADERS, rows)
