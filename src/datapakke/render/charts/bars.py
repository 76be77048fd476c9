"""Plain horizontal bars (counts and full-population shares: no interval, no comparison).

The values stand in a column right of the plot, so no reference line crosses them.
"""

from __future__ import annotations

from matplotlib.figure import Figure

from datapakke.numbers import tal
from datapakke.pack.chart_specs import BarChart
from datapakke.render.charts.style import (
    BAR_COLOURS,
    FULL_WIDTH,
    INK,
    NEUTRAL_KOMMUNE,
    REFERENCE_STYLES,
)
from datapakke.render.charts.ticks import enclosing_ticks, set_ticks

VALUE_COLUMN = 1.015  # axes fraction: just right of the plot


def draw_bars(spec: BarChart) -> Figure:
    """Bars with their values at the end, the cluster in bold, reference lines in the legend."""
    n = len(spec.bars)
    figure = Figure(figsize=(FULL_WIDTH, 0.75 + 0.25 * max(n, 2)))
    axes = figure.subplots()
    positions = list(range(n))[::-1]  # first bar on top
    values = [b.value if b.value is not None else 0.0 for b in spec.bars]
    colours = [BAR_COLOURS.get(b.category, NEUTRAL_KOMMUNE) for b in spec.bars]
    axes.barh(positions, values, color=colours, height=0.62, zorder=2)
    axes.set_yticks(positions, [b.label for b in spec.bars])
    for tick, bar in zip(axes.get_yticklabels(), spec.bars, strict=True):
        if bar.category == "cluster":
            tick.set_fontweight("bold")
    axes.tick_params(axis="y", length=0)
    top = max([v for v in values if v] + [r.value for r in spec.references] + [1e-9])
    set_ticks(axes.xaxis, enclosing_ticks(0.0, top, 6))
    for position, bar in zip(positions, spec.bars, strict=True):
        text = tal(bar.value, spec.decimals) if bar.value is not None else (bar.note or "")
        axes.text(
            VALUE_COLUMN, position, text, transform=axes.get_yaxis_transform(), ha="left",
            va="center", fontsize=7.5, color=INK, clip_on=False,
            fontweight="bold" if bar.category == "cluster" else "normal",
        )  # fmt: skip
    for reference in spec.references:
        axes.axvline(
            reference.value,
            label=f"{reference.label}: {tal(reference.value, spec.decimals)}",
            zorder=4,
            **REFERENCE_STYLES[reference.style],
        )
    axes.grid(axis="y", visible=False)
    axes.set_xlabel(spec.unit_label)
    if spec.references:
        axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14 - 0.6 / (n + 2)), ncol=2)
    return figure
