"""What every chart shares: the ``Chart`` record, the palette, the layout, number helpers."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

# Builds a trace-browser URL from its query parameters (see the package docstring).
Link = Callable[[dict], str]

# The Okabe–Ito palette.
BLUE, ORANGE, GREEN, VERMILLION, SKY, PURPLE, GREY = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#D55E00",
    "#56B4E9",
    "#CC79A7",
    "#999999",
)
FONT = {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", "size": 14}


@dataclass(frozen=True)
class Chart:
    """A figure spec and the same numbers as a text table."""

    key: str
    title: str
    figure: dict
    table_headers: list[str]
    table_rows: list[list[str]]


# -- layout --------------------------------------------------------------------------------


def figure_layout(title: str, x_title: str, y_title: str, *, share_axis: bool = True) -> dict:
    """A readable, responsive layout; ``share_axis`` puts percentages from 0 to 100 on y."""
    y_axis: dict = {"title": {"text": y_title}, "zeroline": True, "gridcolor": "#e5e5e5"}
    if share_axis:
        y_axis |= {"range": [0, 100], "ticksuffix": "%"}
    return {
        "title": {"text": title},
        "font": FONT,
        "autosize": True,
        "margin": {"l": 64, "r": 24, "t": 56, "b": 96},
        "xaxis": {"title": {"text": x_title}, "automargin": True},
        "yaxis": y_axis,
        "legend": {"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
        "plot_bgcolor": "white",
        "hovermode": "closest",
    }


def readable(key: str) -> str:
    """A vocabulary key as words: "multi_hop_bridge" → "Multi hop bridge"."""
    return key.replace("_", " ").capitalize()


def as_percent(share: float | None) -> float | None:
    """A share as a plotted percentage (None stays a gap in the bars)."""
    return None if share is None else round(share * 100, 2)


def error_bars(values: Sequence[float | None], intervals) -> dict:
    """Asymmetric error bars in percent from intervals on shares (0 where undefined)."""
    plus, minus = [], []
    for value, interval in zip(values, intervals, strict=True):
        if value is None or interval.low is None or interval.high is None:
            plus.append(0.0)
            minus.append(0.0)
            continue
        plus.append(round(max(interval.high * 100 - value, 0.0), 2))
        minus.append(round(max(value - interval.low * 100, 0.0), 2))
    return {"type": "data", "symmetric": False, "array": plus, "arrayminus": minus}
