"""Charts in the house style: typed chart specs (pure data) drawn to SVG.

The pack builds the specs; this package only draws them. See ``style`` for the
colours and why they are safe, ``datapakke.pack.chart_specs`` for what each chart shows.
"""

from __future__ import annotations

import io
import re

import matplotlib as mpl
from matplotlib.figure import Figure

from datapakke.pack.chart_specs import (
    Bar,
    BarChart,
    ChartSpec,
    ComparisonChart,
    ComparisonKey,
    ComparisonRow,
    LineChart,
    MapChart,
    PyramidChart,
    ReferenceLine,
    Series,
    SpineChart,
)
from datapakke.render.charts.bars import draw_bars
from datapakke.render.charts.comparison import draw_comparison
from datapakke.render.charts.labels import insert_labels
from datapakke.render.charts.lean import lean_svg
from datapakke.render.charts.legends import insert_legend
from datapakke.render.charts.lines import draw_lines
from datapakke.render.charts.maps import draw_map
from datapakke.render.charts.pyramid import draw_pyramid
from datapakke.render.charts.spine import draw_spine
from datapakke.render.charts.style import COMPARISON_COLOURS, house_style

__all__ = [
    "COMPARISON_COLOURS",
    "Bar",
    "BarChart",
    "ChartSpec",
    "ComparisonChart",
    "ComparisonKey",
    "ComparisonRow",
    "LineChart",
    "PyramidChart",
    "ReferenceLine",
    "Series",
    "SpineChart",
    "draw",
]


def draw(spec: ChartSpec) -> str:
    """Draw a chart spec to SVG text (deterministic: no dates, fixed ids)."""
    if isinstance(spec, SpineChart):
        return draw_spine(spec)
    with house_style():
        match spec:
            case BarChart():
                figure = draw_bars(spec)
            case PyramidChart():
                figure = draw_pyramid(spec)
            case LineChart():
                figure = draw_lines(spec)
            case ComparisonChart():
                figure = draw_comparison(spec)
            case MapChart():
                figure = draw_map(spec)
        # Charts laid out in inches keep their exact size, so their text prints at the
        # same size as every other chart's; the rest are cropped to their content.
        fixed = isinstance(spec, ComparisonChart | MapChart) or (
            isinstance(spec, LineChart) and spec.compact
        )
        return _to_svg(figure, tight=not fixed)


def _to_svg(figure: Figure, *, tight: bool) -> str:
    # Figures are made as Figure(), not by pyplot: no window manager to create or close.
    # The page is white: white backgrounds behind the figure and its axes draw nothing.
    figure.patch.set_visible(False)
    for axes in figure.axes:
        axes.patch.set_visible(False)
    buffer = io.StringIO()
    # Set, not in a context of its own: every chart sets it, and house_style restores it.
    mpl.rcParams["savefig.bbox"] = "tight" if tight else "standard"
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    svg = insert_labels(figure, insert_legend(figure, buffer.getvalue()))
    # Without the XML prolog and doctype, so the SVG can also be inlined in HTML.
    return lean_svg(re.sub(r"^.*?(?=<svg)", "", svg, flags=re.DOTALL))
