"""The comparison page's charts: run A (baseline) against run B (candidate)."""

from __future__ import annotations

from collections.abc import Sequence

from evaluation.charts.base import (
    BLUE,
    GREY,
    ORANGE,
    Chart,
    Link,
    as_percent,
    error_bars,
    figure_layout,
    readable,
)
from evaluation.comparison import DeltaRow, RunComparison
from evaluation.reports import METRIC_LABELS, delta_text, percent, relative_text
from traces.grading.dacr_json import CONFLICT_RESOLUTION

# Which questions each overall metric is about, as browser filters.
OVERALL_FILTERS = {
    "answer_accuracy": {},
    "pass_rate": {},
    "cars": {"category": CONFLICT_RESOLUTION},
}


def _grouped_bars(
    rows: Sequence[DeltaRow],
    names: Sequence[str],
    filters: Sequence[dict],
    *,
    label_a: str,
    label_b: str,
    link_a: Link,
    link_b: Link,
) -> list[dict]:
    def series(label: str, values, link: Link, colour: str) -> dict:
        return {
            "type": "bar",
            "name": label,
            "x": list(names),
            "y": [as_percent(v) for v in values],
            "customdata": [link(f) for f in filters],
            "hovertemplate": f"{label}<br>%{{x}}: %{{y:.1f}}%<extra></extra>",
            "marker": {"color": colour},
        }

    return [
        series(label_a, [r.a for r in rows], link_a, GREY),
        series(label_b, [r.b for r in rows], link_b, BLUE),
    ]


def _overall_chart(comparison: RunComparison, labels: dict, links: dict) -> Chart:
    title = "Overall"
    rows = comparison.overall
    names = [METRIC_LABELS[r.key] for r in rows]
    data = _grouped_bars(rows, names, [OVERALL_FILTERS[r.key] for r in rows], **labels, **links)
    layout = figure_layout(title, "Metric", "Value") | {"barmode": "group"}
    return Chart(
        key="overall",
        title=title,
        figure={"data": data, "layout": layout},
        table_headers=[
            "Metric",
            labels["label_a"],
            labels["label_b"],
            f"Δ ({labels['label_b']} − {labels['label_a']}) [95% CI]",
        ],
        table_rows=[
            [name, percent(r.a), percent(r.b), delta_text(r.delta, r.interval)]
            for name, r in zip(names, rows, strict=True)
        ],
    )


def _skills_chart(comparison: RunComparison, labels: dict, links: dict) -> Chart:
    title = "Accuracy by skill"
    rows = comparison.skills
    names = [readable(r.key) for r in rows]
    data = _grouped_bars(rows, names, [{"category": r.key} for r in rows], **labels, **links)
    layout = figure_layout(title, "Skill", "Accuracy") | {"barmode": "group"}
    return Chart(
        key="skills",
        title=title,
        figure={"data": data, "layout": layout},
        table_headers=[
            "Skill",
            labels["label_a"],
            labels["label_b"],
            f"Δ ({labels['label_b']} − {labels['label_a']}) [95% CI]",
            "Questions",
        ],
        table_rows=[
            [name, percent(r.a), percent(r.b), delta_text(r.delta, r.interval), str(r.count)]
            for name, r in zip(names, rows, strict=True)
        ],
    )


def _domains_chart(comparison: RunComparison, labels: dict, link_b: Link) -> Chart:
    """Relative improvement per domain; each bar links to the candidate's rows in it."""
    title = "Relative improvement by domain"
    rows = comparison.domains
    values = [as_percent(r.relative_improvement) for r in rows]
    bars = {
        "type": "bar",
        "name": "Relative improvement",
        "x": [r.key for r in rows],
        "y": values,
        "error_y": error_bars(values, [r.relative_interval for r in rows]),
        "customdata": [link_b({"domain": r.key}) for r in rows],
        "hovertemplate": "%{x}: %{y:+.1f}%<extra></extra>",
        "marker": {"color": [BLUE if (v or 0) >= 0 else ORANGE for v in values]},
    }
    y_title = f"({labels['label_b']} − {labels['label_a']}) / {labels['label_a']}"
    layout = figure_layout(title, "Domain", y_title, share_axis=False)
    layout["yaxis"] |= {"ticksuffix": "%", "zerolinecolor": "#444444"}
    return Chart(
        key="domains",
        title=title,
        figure={"data": [bars], "layout": layout},
        table_headers=[
            "Domain",
            labels["label_a"],
            labels["label_b"],
            f"Δ ({labels['label_b']} − {labels['label_a']}) [95% CI]",
            "Relative improvement [95% CI]",
            "Questions",
        ],
        table_rows=[
            [
                r.key,
                percent(r.a),
                percent(r.b),
                delta_text(r.delta, r.interval),
                relative_text(r.relative_improvement, r.relative_interval),
                str(r.count),
            ]
            for r in rows
        ],
    )


def comparison_charts(
    comparison: RunComparison, *, label_a: str, label_b: str, link_a: Link, link_b: Link
) -> list[Chart]:
    """The comparison page's charts: overall and per-skill grouped bars (A vs B; the delta and
    its interval are in the table) and per-domain relative improvement with its interval.

    A's bars link through ``link_a``, B's through ``link_b``; a domain's
    relative-improvement bar links to the candidate's (B's) rows in it.
    """
    labels = {"label_a": label_a, "label_b": label_b}
    links = {"link_a": link_a, "link_b": link_b}
    return [
        _overall_chart(comparison, labels, links),
        _skills_chart(comparison, labels, links),
        _domains_chart(comparison, labels, link_b),
    ]
