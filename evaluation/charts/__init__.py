"""Plotly figure specs for the run page and the comparison page.

Each chart is a plain JSON-ready ``{"data": [...], "layout": {...}}`` the page
hands to ``Plotly.newPlot``, plus a table that shows the same numbers as text
(for screen readers, copying, and people who prefer tables).

Bars that stand for a set of the run's questions carry, in ``customdata``, the
URL of the trace browser filtered to that set, built by the caller's
``link(filters)`` from the browser's query parameters (``category``,
``domain``, ``hops``, ``difficulty``, ``conflict``). The filters name only the
bar's own set: ``link`` adds whatever selects the run (solver, mode, suite).
Confidence bins have no browser filter, so the reliability diagram and the
confidence histogram carry no links.

Colours are the Okabe–Ito palette (distinguishable with the common forms of
colour blindness); shares are drawn as percentages on a 0–100 axis.
"""

from evaluation.charts.base import Chart, Link
from evaluation.charts.comparison import comparison_charts
from evaluation.charts.run import confidence_histogram, reliability_bins, run_charts

__all__ = [
    "Chart",
    "Link",
    "comparison_charts",
    "confidence_histogram",
    "reliability_bins",
    "run_charts",
]
