"""Chart specs for the run and comparison pages: hostile input first, then links and numbers."""

from __future__ import annotations

import json
import math
from urllib.parse import urlencode

import plotly.graph_objects as go
import pytest

from evaluation.charts import (
    comparison_charts,
    confidence_histogram,
    reliability_bins,
    run_charts,
)
from evaluation.comparison import compare_runs
from evaluation.metrics import compute_metrics
from evaluation.stats import wilson_interval
from tests.evaluation.items import item

BOTH = ("reference", "strict")


def link(filters):
    return "/traces/?" + urlencode(sorted(filters.items()))


def link_b(filters):
    return "/traces/?solver=b&" + urlencode(sorted(filters.items()))


def sample_items():
    return [
        item("c1", "q01", True, 0.9),
        item("c1", "q02", False, 1.0, category="computation", hops=2, difficulty="hard"),
        item("c1", "q03", True, math.nan, domain="biology", hops=7),
        item(
            "c2",
            "q01",
            False,
            0.2,
            category="conflict_resolution",
            source_category="trap_targeted",
            is_conflict_question=True,
            conflict_outcome="fell_for_planted",
        ),
        item(
            "c2",
            "q02",
            True,
            0.0,
            category="conflict_resolution",
            source_category="trap_targeted",
            is_conflict_question=True,
            conflict_outcome="resolved",
            difficulty="medium",
        ),
    ]


def charts_by_key(charts):
    return {chart.key: chart for chart in charts}


def bars_of(chart):
    return [trace for trace in chart.figure["data"] if trace["type"] == "bar"]


def assert_valid(chart):
    go.Figure(chart.figure)
    json.dumps(chart.figure, allow_nan=False)
    assert chart.table_rows
    assert all(len(r) == len(chart.table_headers) for r in chart.table_rows)
    assert all(isinstance(cell, str) for r in chart.table_rows for cell in r)


# -- hostile input ---------------------------------------------------------------


@pytest.mark.parametrize("mode", BOTH)
def test_an_empty_run_still_gives_valid_figures(mode):
    charts = run_charts(compute_metrics([], mode=mode), [], mode=mode, link=link)
    for chart in charts:
        go.Figure(chart.figure)
        json.dumps(chart.figure, allow_nan=False)


def test_an_unknown_mode_is_refused():
    with pytest.raises(ValueError, match="unknown metrics mode"):
        run_charts({}, [], mode="lenient", link=link)


def test_reliability_bins_put_one_in_the_last_bin_and_nan_nowhere():
    items = [item(confidence=c) for c in (0.0, 0.3, 0.99, 1.0, math.nan)]
    bins = reliability_bins(items)
    assert len(bins) == 10
    assert [b["count"] for b in bins] == [1, 0, 0, 1, 0, 0, 0, 0, 0, 2]
    assert bins[9]["mean_confidence"] == pytest.approx(0.995)
    assert bins[1]["accuracy"] is None
    assert sum(b["count"] for b in confidence_histogram(items)) == 4


def test_the_confidence_table_counts_questions_without_a_confidence():
    items = [item(confidence=math.nan), item(question="q02", confidence=0.5)]
    metrics = compute_metrics(items, mode="strict")
    chart = charts_by_key(run_charts(metrics, items, mode="strict", link=link))["confidence"]
    assert ["no confidence", "1"] in chart.table_rows
    assert sum(bars_of(chart)[0]["y"]) == 1


# -- run page ----------------------------------------------------------------------------


@pytest.mark.parametrize("mode", BOTH)
def test_every_run_chart_validates_and_its_table_matches(mode):
    items = sample_items()
    charts = run_charts(compute_metrics(items, mode=mode), items, mode=mode, link=link)
    assert [c.key for c in charts] == [
        "skills",
        "domains",
        "hops",
        "difficulty",
        "reliability",
        "confidence",
        "conflicts",
    ]
    for chart in charts:
        assert_valid(chart)


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("skills", [{"category": "direct_extraction"}, {"category": "computation"}]),
        ("domains", [{"domain": "physics"}, {"domain": "biology"}]),
        ("hops", [{"hops": 1}, {"hops": 2}, {"hops": 6}]),
        ("difficulty", [{"difficulty": "easy"}, {"difficulty": "medium"}]),
    ],
)
def test_every_bar_links_to_the_trace_browser_filtered_to_it(key, expected):
    items = sample_items()
    metrics = compute_metrics(items, mode="strict")
    chart = charts_by_key(run_charts(metrics, items, mode="strict", link=link))[key]
    custom = bars_of(chart)[0]["customdata"]
    for filters in expected:
        assert link(filters) in custom
    assert len(custom) == len(bars_of(chart)[0]["x"])


def test_reference_skills_link_the_public_trap_category_to_conflict_resolution():
    items = sample_items()
    metrics = compute_metrics(items, mode="reference")
    assert "trap_targeted" in metrics["by_category"]
    chart = charts_by_key(run_charts(metrics, items, mode="reference", link=link))["skills"]
    assert link({"category": "conflict_resolution"}) in bars_of(chart)[0]["customdata"]


def test_accuracy_bars_carry_wilson_intervals_as_error_bars():
    items = [item(question=f"q{n:02d}", correct=n < 3) for n in range(10)]
    metrics = compute_metrics(items, mode="strict")
    chart = charts_by_key(run_charts(metrics, items, mode="strict", link=link))["domains"]
    bars = bars_of(chart)[0]
    interval = wilson_interval(3, 10)
    assert bars["y"] == [30.0]
    assert bars["error_y"]["array"][0] == pytest.approx(interval.high * 100 - 30, abs=0.01)
    assert bars["error_y"]["arrayminus"][0] == pytest.approx(30 - interval.low * 100, abs=0.01)
    assert chart.table_rows == [
        ["physics", "30.0%", f"[{interval.low * 100:.1f}, {interval.high * 100:.1f}]", "10"]
    ]


@pytest.mark.parametrize(
    ("mode", "outcomes"),
    [
        ("strict", ["resolved", "fell_for_planted", "hedged", "other"]),
        ("reference", ["resolved", "fell_for_planted", "other"]),
    ],
)
def test_conflict_bars_count_each_outcome_and_link_to_it(mode, outcomes):
    items = sample_items()
    metrics = compute_metrics(items, mode=mode)
    chart = charts_by_key(run_charts(metrics, items, mode=mode, link=link))["conflicts"]
    bars = bars_of(chart)[0]
    assert bars["customdata"] == [link({"conflict": o}) for o in outcomes]
    assert bars["y"][:2] == [1, 1]
    assert sum(bars["y"]) == 2


def test_the_reliability_diagram_plots_filled_bins_against_the_diagonal():
    items = sample_items()
    metrics = compute_metrics(items, mode="strict")
    chart = charts_by_key(run_charts(metrics, items, mode="strict", link=link))["reliability"]
    diagonal, points = chart.figure["data"]
    assert diagonal["x"] == diagonal["y"] == [0, 100]
    # 0.0 and 0.2 and 0.9 have a bin each; 0.9 and 1.0 share the last one; NaN has none.
    assert points["x"] == [0.0, 20.0, 95.0]
    assert points["y"] == [100.0, 0.0, 50.0]


# -- comparison page ---------------------------------------------------------------------


def comparison():
    items_a = [
        item("c1", "q01", False, domain="biology"),
        item("c1", "q02", True, category="computation"),
        item("c2", "q01", True),
        item("c2", "q02", False, category="computation"),
    ]
    items_b = [
        item("c1", "q01", True, domain="biology"),
        item("c1", "q02", True, category="computation"),
        item("c2", "q01", True),
        item("c2", "q02", True, category="computation"),
    ]
    return compare_runs(items_a, items_b, mode="strict", n_resamples=100)


def test_comparison_charts_validate_and_link_each_run_separately():
    charts = charts_by_key(
        comparison_charts(comparison(), label_a="base", label_b="tuned", link_a=link, link_b=link_b)
    )
    assert list(charts) == ["overall", "skills", "domains"]
    for chart in charts.values():
        assert_valid(chart)
    bars_a, bars_b = bars_of(charts["skills"])
    assert (bars_a["name"], bars_b["name"]) == ("base", "tuned")
    assert bars_a["customdata"] == [
        link({"category": "direct_extraction"}),
        link({"category": "computation"}),
    ]
    assert bars_b["customdata"] == [
        link_b({"category": "direct_extraction"}),
        link_b({"category": "computation"}),
    ]
    overall_a, _ = bars_of(charts["overall"])
    assert overall_a["customdata"][-1] == link({"category": "conflict_resolution"})
    assert overall_a["y"][0] == 50.0


def test_domain_bars_show_relative_improvement_and_leave_a_gap_where_it_is_undefined():
    chart = charts_by_key(
        comparison_charts(comparison(), label_a="base", label_b="tuned", link_a=link, link_b=link_b)
    )["domains"]
    bars = bars_of(chart)[0]
    assert bars["x"] == ["biology", "physics"]
    assert bars["y"] == [None, 50.0]
    assert bars["customdata"] == [link_b({"domain": "biology"}), link_b({"domain": "physics"})]
    assert chart.table_rows[0][4] == "—"
    assert chart.table_rows[0][3].startswith("+100.0 pts")


def test_confidence_bars_and_reliability_points_link_to_their_bin():
    items = [item(confidence=0.05), item(question="q02", confidence=1.0)]
    metrics = compute_metrics(items, mode="strict")
    charts = charts_by_key(run_charts(metrics, items, mode="strict", link=link))
    bars = charts["confidence"].figure["data"][0]["customdata"]
    assert bars[0] == link({"confidence_min": "0.0", "confidence_max": "0.1"})
    assert bars[9] == link({"confidence_min": "0.9", "confidence_max": "1.0"})
    points = charts["reliability"].figure["data"][1]["customdata"]
    assert points == [bars[0], bars[9]]
