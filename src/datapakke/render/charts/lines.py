"""Line charts of values over the years: full width, or compact beside a comparison chart."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from datapakke.numbers import tal
from datapakke.pack.chart_specs import LineChart, Series
from datapakke.render.charts.style import FULL_WIDTH, NARROW_WIDTH, SERIES_STYLES

COMPACT_HEIGHT = 1.5
COMPACT_TOP = 0.3  # inches above the axes: the legend
COMPACT_BOTTOM = 0.22  # inches below the axes: the years
COMPACT_LEFT = 0.42
# A compact chart's y-axis spans at least this share of the values' level, so that
# noise of a few per cent is not blown up into a dramatic line.
MIN_RELATIVE_SPAN = 0.1


def draw_lines(spec: LineChart) -> Figure:
    """One line per series, gaps where a year has no value, a shaded band for intervals."""
    if spec.compact:
        height = spec.height or COMPACT_HEIGHT
        figure = plt.figure(figsize=(NARROW_WIDTH, height))
        axes = figure.add_axes(
            (COMPACT_LEFT / NARROW_WIDTH, COMPACT_BOTTOM / height,
             (NARROW_WIDTH - COMPACT_LEFT - 0.08) / NARROW_WIDTH,
             (height - COMPACT_TOP - COMPACT_BOTTOM) / height)
        )  # fmt: skip
    else:
        figure, axes = plt.subplots(figsize=(FULL_WIDTH, spec.height or 2.9))
    xs = list(spec.years)
    for series in spec.series:
        style = SERIES_STYLES[series.style]
        if series.lower is not None and series.upper is not None:
            axes.fill_between(
                xs, _nan(series.lower), _nan(series.upper), color=style["color"], alpha=0.14,
                linewidth=0, zorder=1,
            )  # fmt: skip
        axes.plot(
            xs, _nan(series.values), label=series.label, zorder=3,
            markersize=3.5 if spec.compact else 5, **style,
        )  # fmt: skip
    step = 1 if len(xs) <= 6 else 2
    axes.set_xticks(xs[::-1][::step][::-1], [str(y) for y in xs[::-1][::step][::-1]])
    axes.set_xlim(xs[0] - 0.4, xs[-1] + 0.4)
    axes.yaxis.set_major_locator(MaxNLocator(nbins=4 if spec.compact else 6))
    axes.yaxis.set_major_formatter(FuncFormatter(lambda y, _pos: tal(y, _decimals(axes))))
    if spec.compact:
        _compact_limits(axes, spec.series)
        axes.tick_params(labelsize=7)
        axes.legend(
            loc="lower center", bbox_to_anchor=(0.45, 1.0), ncol=len(spec.series),
            fontsize=6.5, handlelength=1.8, columnspacing=0.8, handletextpad=0.35,
            borderaxespad=0.2,
        )  # fmt: skip
    else:
        axes.set_ylabel(spec.unit_label)
        axes.margins(x=0.04, y=0.15)
        axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=min(4, len(spec.series)))
    return figure


def _nan(values: tuple[float | None, ...]) -> list[float]:
    return [math.nan if v is None else v for v in values]


def _compact_limits(axes: Axes, series: tuple[Series, ...]) -> None:
    numbers = [
        v
        for s in series
        for values in (s.values, s.lower or (), s.upper or ())
        for v in values
        if v is not None
    ]
    if not numbers:
        return
    low, high = min(numbers), max(numbers)
    level = max(abs(low), abs(high))
    span = max(high - low, level * MIN_RELATIVE_SPAN, 1e-9)
    middle = (low + high) / 2
    bottom = middle - span * 0.6
    if low >= 0 > bottom:
        bottom = 0.0  # a rate or share never goes below zero
    axes.set_ylim(bottom, bottom + span * 1.2)


def _decimals(axes: Axes) -> int:
    low, high = axes.get_ylim()
    return 0 if high - low >= 10 else 1 if high - low >= 1 else 2
