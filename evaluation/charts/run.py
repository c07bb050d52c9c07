"""The run page's charts: accuracy breakdowns, calibration and conflict outcomes."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from evaluation.charts.base import (
    BLUE,
    GREEN,
    GREY,
    ORANGE,
    PURPLE,
    SKY,
    VERMILLION,
    Chart,
    Link,
    as_percent,
    error_bars,
    figure_layout,
    readable,
)
from evaluation.metrics import GradedItem, _bin, _counted
from evaluation.reports import accuracy_interval, interval_text, percent
from traces.grading.dacr_json import skill_category
from traces.grading.types import (
    MODE_REFERENCE,
    MODE_STRICT,
    OUTCOME_FELL,
    OUTCOME_HEDGED,
    OUTCOME_OTHER,
    OUTCOME_RESOLVED,
)

BINS = 10
# The outcomes each verifier records on a conflict question, in display order.
OUTCOME_LABELS = {
    MODE_STRICT: {
        OUTCOME_RESOLVED: "Resolved",
        OUTCOME_FELL: "Fell for planted value",
        OUTCOME_HEDGED: "Hedged (named both)",
        OUTCOME_OTHER: "Other",
    },
    MODE_REFERENCE: {
        OUTCOME_RESOLVED: "Resolved",
        OUTCOME_FELL: "Fell for it",
        OUTCOME_OTHER: "Neither",
    },
}
OUTCOME_COLOURS = {
    OUTCOME_RESOLVED: GREEN,
    OUTCOME_FELL: VERMILLION,
    OUTCOME_HEDGED: ORANGE,
    OUTCOME_OTHER: GREY,
}


def _hops_filter(label: str) -> dict:
    """The browser filters on exact hops, so an open bucket ("6+") links to its smallest value."""
    return {"hops": int(label.rstrip("+"))}


def _accuracy_chart(
    key: str,
    title: str,
    axis: str,
    entries: Mapping[str, Mapping],
    *,
    filters: Callable[[str], dict],
    link: Link,
    label: Callable[[str], str] = str,
) -> Chart:
    """Bars of accuracy per group with 95% Wilson intervals and a link per bar."""
    keys = list(entries)
    intervals = [accuracy_interval(entries[k]) for k in keys]
    values = [as_percent(entries[k]["accuracy"]) if entries[k]["count"] else None for k in keys]
    bars = {
        "type": "bar",
        "name": "Accuracy",
        "x": [label(k) for k in keys],
        "y": values,
        "error_y": error_bars(values, intervals),
        "customdata": [link(filters(k)) for k in keys],
        "text": [f"{entries[k]['count']} questions" for k in keys],
        "textposition": "none",
        "hovertemplate": "%{x}: %{y:.1f}%<br>%{text}<extra></extra>",
        "marker": {"color": BLUE},
    }
    rows = [
        [
            label(k),
            percent(entries[k]["accuracy"]) if entries[k]["count"] else "—",
            interval_text(interval),
            str(entries[k]["count"]),
        ]
        for k, interval in zip(keys, intervals, strict=True)
    ]
    return Chart(
        key=key,
        title=title,
        figure={"data": [bars], "layout": figure_layout(title, axis, "Accuracy")},
        table_headers=[axis, "Accuracy", "95% interval", "Questions"],
        table_rows=rows,
    )


def reliability_bins(items: Sequence[GradedItem]) -> list[dict]:
    """Ten equal confidence bins over [0, 1]: bin_low, bin_high, count, mean_confidence, accuracy.

    Binned as strict ECE bins them: a confidence of 1.0 falls in the last bin and
    a NaN confidence in none. Empty bins have None for the means.
    """
    sums = [[0, 0.0, 0] for _ in range(BINS)]  # count, confidence, right
    for item in items:
        b = _bin(item.confidence, MODE_STRICT)
        if b is not None:
            sums[b][0] += 1
            sums[b][1] += item.confidence
            sums[b][2] += bool(item.correct)
    return [
        {
            "bin_low": b / BINS,
            "bin_high": (b + 1) / BINS,
            "count": count,
            "mean_confidence": confidence / count if count else None,
            "accuracy": right / count if count else None,
        }
        for b, (count, confidence, right) in enumerate(sums)
    ]


def confidence_histogram(items: Sequence[GradedItem]) -> list[dict]:
    """How many questions fall in each of the ten confidence bins (NaN confidences in none)."""
    return [
        {"bin_low": b["bin_low"], "bin_high": b["bin_high"], "count": b["count"]}
        for b in reliability_bins(items)
    ]


def _bin_label(entry: Mapping) -> str:
    return f"{entry['bin_low']:.1f}–{entry['bin_high']:.1f}"


def _bin_filters(entry: Mapping) -> dict:
    """The trace browser's filter for one confidence bin: [low, high), the last bin closed."""
    return {
        "confidence_min": f"{entry['bin_low']:.1f}",
        "confidence_max": f"{entry['bin_high']:.1f}",
    }


def _reliability_chart(items: Sequence[GradedItem], link: Link) -> Chart:
    title = "Reliability: accuracy against stated confidence"
    filled = [b for b in reliability_bins(items) if b["count"]]
    points = {
        "type": "scatter",
        "mode": "lines+markers",
        "name": "Run",
        "x": [as_percent(b["mean_confidence"]) for b in filled],
        "y": [as_percent(b["accuracy"]) for b in filled],
        "text": [f"{b['count']} questions" for b in filled],
        "hovertemplate": "confidence %{x:.1f}%: accuracy %{y:.1f}%<br>%{text}<extra></extra>",
        "marker": {"color": BLUE, "size": 9},
        "line": {"color": BLUE},
        "customdata": [link(_bin_filters(b)) for b in filled],
    }
    diagonal = {
        "type": "scatter",
        "mode": "lines",
        "name": "Perfect calibration",
        "x": [0, 100],
        "y": [0, 100],
        "hoverinfo": "skip",
        "line": {"color": GREY, "dash": "dash"},
    }
    layout = figure_layout(title, "Mean confidence", "Accuracy")
    layout["xaxis"] |= {"range": [0, 100], "ticksuffix": "%"}
    return Chart(
        key="reliability",
        title=title,
        figure={"data": [diagonal, points], "layout": layout},
        table_headers=["Confidence bin", "Questions", "Mean confidence", "Accuracy"],
        table_rows=[
            [_bin_label(b), str(b["count"]), percent(b["mean_confidence"]), percent(b["accuracy"])]
            for b in reliability_bins(items)
        ],
    )


def _histogram_chart(items: Sequence[GradedItem], link: Link) -> Chart:
    title = "Stated confidence"
    bins = confidence_histogram(items)
    missing = sum(1 for item in items if item.confidence != item.confidence)
    bars = {
        "type": "bar",
        "name": "Questions",
        "x": [_bin_label(b) for b in bins],
        "y": [b["count"] for b in bins],
        "hovertemplate": "confidence %{x}: %{y} questions<extra></extra>",
        "marker": {"color": SKY},
        "customdata": [link(_bin_filters(b)) for b in bins],
    }
    rows = [[_bin_label(b), str(b["count"])] for b in bins]
    if missing:
        rows.append(["no confidence", str(missing)])
    return Chart(
        key="confidence",
        title=title,
        figure={
            "data": [bars],
            "layout": figure_layout(title, "Confidence", "Questions", share_axis=False),
        },
        table_headers=["Confidence bin", "Questions"],
        table_rows=rows,
    )


def _conflict_chart(metrics: Mapping, items: Sequence[GradedItem], *, mode: str, link: Link):
    """Conflict questions per recorded outcome; questions with no outcome are left out."""
    labels = dict(OUTCOME_LABELS[mode])
    counts: dict[str, int] = dict.fromkeys(labels, 0)
    for item in items:
        if item.conflict_outcome:
            counts[item.conflict_outcome] = counts.get(item.conflict_outcome, 0) + 1
            labels.setdefault(item.conflict_outcome, readable(item.conflict_outcome))
    total = sum(counts.values())
    outcomes = list(counts)
    title = f"Conflict questions by outcome (CARS {percent(metrics.get('cars'))})"
    bars = {
        "type": "bar",
        "name": "Conflict questions",
        "x": [labels[o] for o in outcomes],
        "y": [counts[o] for o in outcomes],
        "customdata": [link({"conflict": o}) for o in outcomes],
        "hovertemplate": "%{x}: %{y} questions<extra></extra>",
        "marker": {"color": [OUTCOME_COLOURS.get(o, PURPLE) for o in outcomes]},
    }
    return Chart(
        key="conflicts",
        title=title,
        figure={
            "data": [bars],
            "layout": figure_layout(title, "Outcome", "Questions", share_axis=False),
        },
        table_headers=["Outcome", "Questions", "Share"],
        table_rows=[
            [labels[o], str(counts[o]), percent(counts[o] / total if total else None)]
            for o in outcomes
        ],
    )


def run_charts(
    metrics: Mapping, items: Sequence[GradedItem], *, mode: str, link: Link
) -> list[Chart]:
    """The run page's charts from ``compute_metrics(items, mode=mode)`` and the items.

    Accuracy by skill, domain, hops and difficulty (95% Wilson intervals), the
    reliability diagram, the confidence histogram and the conflict outcomes.
    The items are filtered as metrics count them in ``mode`` (in reference
    mode a challenge without a prediction is left out).
    """
    if mode not in OUTCOME_LABELS:
        raise ValueError(f"unknown metrics mode {mode!r}")
    counted = [item for item in items if _counted(item, mode)]
    return [
        _accuracy_chart(
            "skills",
            "Accuracy by skill",
            "Skill",
            metrics.get("by_category") or {},
            filters=lambda k: {"category": skill_category(k)},
            link=link,
            label=readable,
        ),
        _accuracy_chart(
            "domains",
            "Accuracy by domain",
            "Domain",
            metrics.get("by_domain") or {},
            filters=lambda k: {"domain": k},
            link=link,
        ),
        _accuracy_chart(
            "hops",
            "Accuracy by reasoning hops",
            "Hops",
            metrics.get("by_hops") or {},
            filters=_hops_filter,
            link=link,
        ),
        _accuracy_chart(
            "difficulty",
            "Accuracy by difficulty",
            "Difficulty",
            metrics.get("by_difficulty") or {},
            filters=lambda k: {"difficulty": k},
            link=link,
            label=readable,
        ),
        _reliability_chart(counted, link),
        _histogram_chart(counted, link),
        _conflict_chart(metrics, counted, mode=mode, link=link),
    ]
