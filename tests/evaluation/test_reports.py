"""Exports of run metrics and comparisons: hostile input first, then each format."""

from __future__ import annotations

import csv
import io
import json
import math

import pytest

from evaluation.comparison import compare_runs
from evaluation.metrics import compute_metrics
from evaluation.reports import (
    COMPARISON_CSV_HEADERS,
    RUN_CSV_HEADERS,
    comparison_csv,
    comparison_json,
    comparison_markdown,
    delta_text,
    p_value_text,
    percent,
    relative_text,
    run_report_csv,
    run_report_json,
    run_report_markdown,
)
from evaluation.stats import Interval
from tests.evaluation.items import item

RECORD = {"solver": "lexical", "code_revision": "abc123", "config": {"k": 3, "note": "a|b"}}


def parse_csv(text):
    return list(csv.DictReader(io.StringIO(text)))


def runs():
    items_a = [
        item("c1", "q01", False),
        item("c1", "q02", True, category="computation", domain="biology"),
        item("c2", "q01", False, domain="biology"),
        item("c2", "q02", False, category="computation"),
    ]
    items_b = [
        item("c1", "q01", True),
        item("c1", "q02", True, category="computation", domain="biology"),
        item("c2", "q01", True, domain="biology"),
        item("c2", "q02", False, category="computation"),
    ]
    return items_a, items_b


# -- hostile input ---------------------------------------------------------------


@pytest.mark.parametrize("mode", ["reference", "strict"])
def test_an_empty_run_exports_in_every_format(mode):
    metrics = compute_metrics([], mode=mode)
    markdown = run_report_markdown("Empty", metrics, mode=mode, record={})
    assert "## Headline metrics" in markdown
    assert json.loads(run_report_json("Empty", metrics, mode=mode, record={}))["metrics"] == metrics
    assert parse_csv(run_report_csv(metrics)) == []


def test_nan_confidences_export_as_undefined_not_nan():
    metrics = compute_metrics([item(confidence=math.nan)], mode="reference")
    markdown = run_report_markdown("Run", metrics, mode="reference", record=RECORD)
    assert "| Mean confidence | — |" in markdown
    assert "nan" not in markdown.lower()
    json.loads(run_report_json("Run", metrics, mode="reference", record=RECORD))


def test_undefined_numbers_read_as_a_dash():
    assert percent(None) == "—"
    assert delta_text(None, Interval(None, None)) == "—"
    assert delta_text(0.1, Interval(None, None)) == "+10.0 pts —"


# -- formats of numbers ------------------------------------------------------------------


def test_deltas_read_as_points_with_their_interval():
    assert delta_text(0.122, Interval(0.044, 0.2)) == "+12.2 pts [4.4, 20.0]"
    assert delta_text(-0.05, Interval(-0.1, 0.0)) == "-5.0 pts [-10.0, 0.0]"
    assert relative_text(0.25, Interval(0.031, 0.5)) == "+25.0% [3.1, 50.0]"
    assert percent(0.5555) == "55.5%"


def test_small_p_values_stay_readable():
    assert p_value_text(1.0) == "1.000"
    assert p_value_text(0.0312) == "0.031"
    assert p_value_text(3.2e-48) == "3.20e-48"


# -- run report --------------------------------------------------------------------------


def test_the_run_markdown_has_the_record_headline_and_breakdowns():
    items = [item(), item("c1", "q02", False, category="computation", hops=7)]
    metrics = compute_metrics(items, mode="strict")
    markdown = run_report_markdown("Lexical on mini", metrics, mode="strict", record=RECORD)
    assert markdown.startswith("# Lexical on mini\n")
    assert "| solver | lexical |" in markdown
    assert '`{"k": 3, "note": "a\\|b"}`' in markdown  # a pipe in a value cannot break the table
    assert "| Answer accuracy | 50.0% |" in markdown
    for heading in ("## By skill", "## By domain", "## By hops", "## By difficulty", "## By split"):
        assert heading in markdown
    assert "| 6+ | 0.0% |" in markdown


def test_the_run_json_round_trips_with_its_record():
    metrics = compute_metrics([item()], mode="strict")
    document = json.loads(run_report_json("Run", metrics, mode="strict", record=RECORD))
    assert document == {"title": "Run", "mode": "strict", "record": RECORD, "metrics": metrics}


def test_the_run_csv_has_one_row_per_breakdown_entry():
    items = [item(), item("c1", "q02", False, domain="biology", difficulty="hard")]
    metrics = compute_metrics(items, mode="strict")
    rows = parse_csv(run_report_csv(metrics))
    assert list(rows[0]) == list(RUN_CSV_HEADERS)
    keys = [(r["section"], r["key"]) for r in rows]
    assert keys == [
        ("by_category", "direct_extraction"),
        ("by_domain", "biology"),
        ("by_domain", "physics"),
        ("by_hops", "1"),
        ("by_difficulty", "easy"),
        ("by_difficulty", "hard"),
        ("by_split", "real"),
    ]
    physics = rows[2]
    assert (physics["accuracy"], physics["count"], physics["high"]) == ("100.0", "1", "100.0")
    assert float(physics["low"]) == pytest.approx(20.7, abs=0.05)


# -- comparison report -------------------------------------------------------------------


def test_the_comparison_markdown_has_three_tables_and_the_p_value():
    comparison = compare_runs(*runs(), mode="strict", n_resamples=200)
    markdown = comparison_markdown(comparison, label_a="lexical", label_b="tuned")
    assert markdown.startswith("# tuned vs lexical\n")
    for heading in ("## Overall", "## By skill", "## By domain", "## Paired test"):
        assert heading in markdown
    accuracy = comparison.overall[0]
    assert (
        f"| Answer accuracy | 25.0% | 75.0% | {delta_text(accuracy.delta, accuracy.interval)} |"
        in (markdown)
    )
    assert accuracy.delta == 0.5
    assert f"p = {p_value_text(comparison.paired_test.p_value)}" in markdown
    assert "only lexical right on 0, only tuned right on 2" in markdown


def test_the_comparison_csv_has_one_row_per_table_row():
    comparison = compare_runs(*runs(), mode="strict", n_resamples=200)
    rows = parse_csv(comparison_csv(comparison))
    assert list(rows[0]) == list(COMPARISON_CSV_HEADERS)
    assert [(r["table"], r["key"]) for r in rows] == [
        ("overall", "answer_accuracy"),
        ("overall", "pass_rate"),
        ("overall", "cars"),
        ("skills", "direct_extraction"),
        ("skills", "computation"),
        ("domains", "biology"),
        ("domains", "physics"),
    ]
    cars = rows[2]
    assert cars["a"] == cars["b"] == cars["delta"] == ""  # strict CARS is undefined here
    assert rows[0]["relative_improvement"] == ""
    biology, physics = rows[5], rows[6]
    assert (biology["a"], biology["b"], biology["relative_improvement"]) == (
        "50.0",
        "100.0",
        "100.0",
    )
    assert (physics["a"], physics["relative_improvement"], physics["rel_low"]) == ("0.0", "", "")


def test_the_comparison_json_round_trips_with_the_labels():
    comparison = compare_runs(*runs(), mode="strict", n_resamples=50)
    document = json.loads(comparison_json(comparison, label_a="lexical", label_b="tuned"))
    assert document == {"label_a": "lexical", "label_b": "tuned", **comparison.as_dict()}
