"""Line charts of values over the years: full width, or compact beside a comparison chart."""

from __future__ import annotations

import math

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from datapakke.pack.chart_specs import LineChart
from datapakke.render.charts.legends import legend
from datapakke.render.charts.style import FULL_WIDTH, MUTED, NARROW_WIDTH, SERIES_STYLES
from datapakke.render.charts.tickless import TicklessAxes
from datapakke.render.charts.ticks import enclosing_ticks, plain_ticks, set_ticks

COMPACT_HEIGHT = 1.5
COMPACT_TOP = 0.3  # inches above the axes: the legend
COMPACT_BOTTOM = 0.22  # inches below the axes: the years
COMPACT_LEFT = 0.42
COMPACT_LABELS = 7  # points: the tick labels of a compact chart
# A compact chart's y-axis spans at least this share of the values' level, so that
# noise of a few per cent is not blown up into a dramatic line.
MIN_RELATIVE_SPAN = 0.1


def draw_lines(spec: LineChart) -> Figure:
    """One line per series, gaps where a year has no value, a shaded band for intervals."""
    if spec.compact:
        height = spec.height or COMPACT_HEIGHT
        figure = Figure(figsize=(NARROW_WIDTH, height))
        axes = figure.add_axes(
            (COMPACT_LEFT / NARROW_WIDTH, COMPACT_BOTTOM / height,
             (NARROW_WIDTH - COMPACT_LEFT - 0.08) / NARROW_WIDTH,
             (height - COMPACT_TOP - COMPACT_BOTTOM) / height),
            axes_class=TicklessAxes,  # plain ticks only
        )  # fmt: skip
    else:
        figure = Figure(figsize=(FULL_WIDTH, spec.height or 2.9))
        axes = figure.subplots()
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
    names = dict(zip(xs, spec.labels or [str(y) for y in xs], strict=True))
    # A period's label ('2016–2020') is wider than a year's: fewer of them fit.
    wide = max(len(n) for n in names.values()) > 4
    step = 1 if len(xs) <= (3 if wide else 6) else (2 if len(xs) <= (6 if wide else 12) else 3)
    shown = xs[::-1][::step][::-1]  # always the last year
    axes.set_xlim(xs[0] - 0.4, xs[-1] + 0.4)
    if spec.compact:  # no axis labels: plain ticks, which draw faster
        plain_ticks(axes, "x", shown, [names[x] for x in shown], labelsize=COMPACT_LABELS)
    else:
        axes.set_xticks(shown, [names[x] for x in shown])
        if wide:
            axes.tick_params(axis="x", labelsize=6)
    if spec.baseline is not None:
        axes.axhline(spec.baseline, color=MUTED, linewidth=0.8, zorder=2)
    _value_axis(axes, spec)
    if spec.compact:  # the same legend in every compact chart of a theme: laid out once
        legend(
            axes, loc="lower center", bbox_to_anchor=(0.45, 1.0), ncol=len(spec.series),
            fontsize=6.5, handlelength=1.8, columnspacing=0.8, handletextpad=0.35,
            borderaxespad=0.2,
        )  # fmt: skip
    else:
        axes.set_ylabel(spec.unit_label)
        axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=min(4, len(spec.series)))
    return figure


def _nan(values: tuple[float | None, ...]) -> list[float]:
    return [math.nan if v is None else v for v in values]


def _value_axis(axes: Axes, spec: LineChart) -> None:
    """Round ticks that enclose every value and interval, through the baseline if any.

    A compact chart spans at least ``MIN_RELATIVE_SPAN`` of the values' level, so that
    noise of a few per cent is not blown up into a dramatic line.
    """
    numbers = [
        v
        for s in spec.series
        for values in (s.values, s.lower or (), s.upper or ())
        for v in values
        if v is not None
    ]
    if spec.baseline is not None:
        numbers.append(spec.baseline)
    if not numbers:
        return
    low, high = min(numbers), max(numbers)
    if spec.compact:
        span = max(high - low, max(abs(low), abs(high)) * MIN_RELATIVE_SPAN, 1e-9)
        middle = (low + high) / 2
        low, high = middle - span / 2, middle + span / 2
        if min(numbers) >= 0 > low:
            low, high = 0.0, span  # a rate or share never goes below zero
    pad = (high - low) * 0.03  # no marker on the frame's edge
    bottom = low - pad
    if (low >= 0 > bottom) or (spec.baseline is not None and low >= spec.baseline > bottom):
        bottom = low  # not below zero, nor below an index's base year
    ticks = enclosing_ticks(bottom, high + pad, 4 if spec.compact else 6, through=spec.baseline)
    set_ticks(axes.yaxis, ticks, plain=COMPACT_LABELS if spec.compact else None)
