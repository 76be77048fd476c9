"""The comparison chart: areas side by side with intervals, coloured and worded by comparison.

The layout is set in inches rather than left to matplotlib, so that every chart
of the pack prints its text at the same size and the value and verdict columns
line up like a table.
"""

from __future__ import annotations

from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from datapakke.numbers import tal
from datapakke.pack.chart_specs import (
    BOTTOM,
    SEPARATION,
    TOP,
    ComparisonChart,
    comparison_height,
    comparison_positions,
)
from datapakke.render.charts.labels import Label, Labels
from datapakke.render.charts.style import (
    COMPARISON_COLOURS,
    INK,
    MUTED,
    NOT_COMPARED_HATCH,
    WHISKER,
    WIDE_WIDTH,
)
from datapakke.render.charts.tickless import TicklessAxes
from datapakke.render.charts.ticks import enclosing_ticks, set_ticks

VALUE_COLUMN = 0.5
VERDICT_COLUMN = 0.95
CHAR_WIDTH = 0.064  # inches per character at the tick-label size, a generous average
FONT = 7.5
BAR_HEIGHT = 0.62  # of a row's 1


def draw_comparison(spec: ComparisonChart, width: float = WIDE_WIDTH) -> Figure:
    """Draw the chart at ``width`` inches; its height follows from the number of rows."""
    positions = comparison_positions(spec.rows)
    height = comparison_height(spec)
    left = min(max(0.6, 0.15 + CHAR_WIDTH * max(len(r.label) for r in spec.rows)), 1.7)
    plot_width = width - left - VALUE_COLUMN - VERDICT_COLUMN - 0.12
    figure = Figure(figsize=(width, height))
    axes = figure.add_axes(
        (left / width, BOTTOM / height, plot_width / width, (height - TOP - BOTTOM) / height),
        axes_class=TicklessAxes,
    )
    ticks = _ticks(spec)
    set_ticks(axes.xaxis, ticks, plain=FONT - 0.5)
    low, high = ticks[0], ticks[-1]
    axes.set_ylim(-0.6, positions[0] + 0.6)
    _draw_values(axes, spec, positions)
    _draw_missing(axes, spec, positions, low, high)
    if spec.reference is not None:
        axes.axvline(spec.reference, color=INK, linestyle=(0, (3, 2)), linewidth=1.0, zorder=4)
        _reference_label(axes, spec, low, high)
    for row, y in zip(spec.rows, positions, strict=True):
        if row.separated:
            axes.axhline(y + 0.5 + SEPARATION / 2, color="#BFBFBF", linewidth=0.5, zorder=1)
    # Row labels as labels, not ticks: ticks are costly to draw and we need no tick marks.
    axes.set_yticks([])
    labels = Labels(axes)
    label_x = -0.06 / plot_width
    for row, y in zip(spec.rows, positions, strict=True):
        labels.add(Label(label_x, y, row.label, FONT, "right", bold=row.emphasis))
    axes.grid(axis="y", visible=False)
    # The unit stands in the block's subtitle right above; no axis label repeats it.
    _columns(labels, spec, positions, plot_width)
    return figure


def _ticks(spec: ComparisonChart) -> list[float]:
    """Round ticks enclosing every value, interval and the country: from zero for bars."""
    numbers = [v for r in spec.rows for v in (r.value, r.lower, r.upper) if v is not None]
    if spec.reference is not None:
        numbers.append(spec.reference)
    if not numbers:
        return [0.0, 1.0]
    top = max(numbers)
    if spec.zero_based:
        return enclosing_ticks(0.0, top or 1.0, 6)
    bottom = min(numbers)
    pad = max((top - bottom) * 0.04, abs(top) * 0.002, 0.1)
    return enclosing_ticks(bottom - pad, top + pad, 6)


def _draw_values(axes: Axes, spec: ComparisonChart, positions: list[float]) -> None:
    """Bars (or dots), whiskers: one call each for all rows, which draws much faster."""
    shown = [(r, y) for r, y in zip(spec.rows, positions, strict=True) if r.value is not None]
    if not shown:
        return
    ys = [y for _r, y in shown]
    values = [r.value or 0.0 for r, _y in shown]
    colours = [COMPARISON_COLOURS[r.comparison] for r, _y in shown]
    hatched = [r.comparison == "not_compared" for r, _y in shown]
    # Bars and whiskers go in as artists, as barh, hlines and vlines would make them,
    # without widening the data limits point by point: the limits are set explicitly.
    if spec.zero_based:
        for y, value, colour, hatch in zip(ys, values, colours, hatched, strict=True):
            bar = Rectangle(
                (0.0, y - BAR_HEIGHT / 2), value, BAR_HEIGHT, facecolor=colour, linewidth=0,
                zorder=2, label="_nolegend_",
            )  # fmt: skip
            if hatch:
                bar.set_hatch(NOT_COMPARED_HATCH)
                bar.set_edgecolor(INK)
                bar.set_linewidth(0.5)
            axes.add_artist(bar)
    intervals = [
        (r.lower, r.upper, y) for r, y in shown if r.lower is not None and r.upper is not None
    ]
    if intervals:
        whiskers = [((lo, y), (hi, y)) for lo, hi, y in intervals]
        lows = [(lo, y) for lo, _hi, y in intervals]
        highs = [(hi, y) for _lo, hi, y in intervals]
        ends = [((x, y - 0.16), (x, y + 0.16)) for x, y in (*lows, *highs)]
        for segments in (whiskers, ends):
            axes.add_collection(
                LineCollection(segments, colors=WHISKER, linewidths=0.8, zorder=3),
                autolim=False,
            )
    if not spec.zero_based:
        axes.scatter(values, ys, s=34, c=colours, edgecolors=INK, linewidths=0.6, zorder=5)


def _draw_missing(
    axes: Axes, spec: ComparisonChart, positions: list[float], low: float, high: float
) -> None:
    """Where a value is not published, its label ("<5", "for få tilfælde") takes the bar's place."""
    for row, y in zip(spec.rows, positions, strict=True):
        if row.value is None:
            axes.text(
                low + (high - low) * 0.03, y, row.missing or "", va="center", ha="left",
                fontsize=FONT - 0.5, fontstyle="italic", color=MUTED, zorder=6,
                # White behind the words, so the reference line does not cross them.
                bbox={"boxstyle": "square,pad=0.3", "facecolor": "white", "edgecolor": "none"},
            )  # fmt: skip


def _reference_label(axes: Axes, spec: ComparisonChart, low: float, high: float) -> None:
    assert spec.reference is not None
    share = (spec.reference - low) / (high - low)
    align = "center" if 0.25 < share < 0.75 else ("left" if share <= 0.25 else "right")
    axes.annotate(
        f"{spec.reference_label}: {tal(spec.reference, spec.decimals)}",
        xy=(spec.reference, 1.0), xycoords=("data", "axes fraction"),
        xytext=(0, 2), textcoords="offset points", ha=align, va="bottom",
        fontsize=FONT - 0.5, color=INK,
    )  # fmt: skip


def _columns(
    labels: Labels, spec: ComparisonChart, positions: list[float], plot_width: float
) -> None:
    """The value and verdict columns to the right of the plot, with their headers."""

    def column_x(inches_right_of_plot: float) -> float:
        return 1.0 + inches_right_of_plot / plot_width

    value_x = column_x(0.08 + VALUE_COLUMN)
    verdict_x = column_x(0.18 + VALUE_COLUMN)
    header_y = positions[0] + 0.7
    labels.add(Label(value_x, header_y, spec.value_header, FONT - 0.5, "right", "bottom",
                     bold=True, colour=MUTED))  # fmt: skip
    labels.add(Label(verdict_x, header_y, spec.verdict_header, FONT - 0.5, "left", "bottom",
                     bold=True, colour=MUTED))  # fmt: skip
    for row, y in zip(spec.rows, positions, strict=True):
        if row.value is not None:
            value = tal(row.value, spec.decimals)
            labels.add(Label(value_x, y, value, FONT, "right", bold=row.emphasis))
        labels.add(Label(verdict_x, y, row.verdict, FONT, "left", bold=row.emphasis))
