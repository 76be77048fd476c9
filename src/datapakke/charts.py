"""Charts in the house style: typed chart specs (pure data) drawn to SVG with matplotlib.

The pack builds the specs; this module only draws them. Colours are safe for
colour-blind readers and never carry meaning alone: series also differ by
marker and line style, and are named in words beside the chart.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import matplotlib as mpl

mpl.use("Agg")

import matplotlib.pyplot as plt
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from datapakke.numbers import tal

STYLE_FILE = Path(__file__).parent / "data" / "datapakke.mplstyle"
WIDTH_INCHES = 6.7  # A4 text width at 20 mm margins

SeriesStyle = Literal["cluster", "kommune", "region", "country"]
ReferenceStyle = Literal["region", "country"]

# Okabe-Ito / ColorBrewer colours that stay distinct for the common colour-vision deficiencies.
CLUSTER_BLUE = "#08519c"
KOMMUNE_BLUE = "#6baed6"
REGION_GREY = "#555555"
COUNTRY_BLACK = "#000000"
MEN_COLOUR = "#0072B2"
WOMEN_COLOUR = "#E69F00"

SERIES_STYLES: dict[str, dict[str, Any]] = {
    "cluster": {"color": CLUSTER_BLUE, "marker": "o", "linestyle": "-", "linewidth": 2.2},
    "kommune": {"color": KOMMUNE_BLUE, "marker": "D", "linestyle": "-", "linewidth": 1.0},
    "region": {"color": REGION_GREY, "marker": "s", "linestyle": "--", "linewidth": 1.6},
    "country": {"color": COUNTRY_BLACK, "marker": "^", "linestyle": ":", "linewidth": 1.6},
}
REFERENCE_STYLES: dict[str, dict[str, Any]] = {
    "region": {"color": REGION_GREY, "linestyle": "--", "linewidth": 1.2},
    "country": {"color": COUNTRY_BLACK, "linestyle": ":", "linewidth": 1.4},
}
BAR_COLOURS: dict[str, str] = {"cluster": CLUSTER_BLUE, "kommune": KOMMUNE_BLUE}


@dataclass(frozen=True)
class Bar:
    """One bar; a bar without a value shows ``note`` (e.g. "<5") instead."""

    label: str
    value: float | None
    category: str = "kommune"
    note: str | None = None


@dataclass(frozen=True)
class ReferenceLine:
    """A vertical line across a bar chart, e.g. the region's or the country's value."""

    label: str
    value: float
    style: ReferenceStyle


@dataclass(frozen=True)
class BarChart:
    """Horizontal bars, one per area, with optional reference lines."""

    bars: tuple[Bar, ...]
    unit_label: str
    decimals: int = 1
    references: tuple[ReferenceLine, ...] = ()


@dataclass(frozen=True)
class PyramidChart:
    """Population pyramid in per cent of the area's population, men left and women right."""

    bands: tuple[str, ...]
    men: tuple[float, ...]
    women: tuple[float, ...]
    reference_men: tuple[float, ...]
    reference_women: tuple[float, ...]
    area_label: str
    reference_label: str


@dataclass(frozen=True)
class Series:
    """One line of a line chart."""

    label: str
    values: tuple[float | None, ...]
    style: SeriesStyle


@dataclass(frozen=True)
class LineChart:
    """Values over the years, one line per area."""

    years: tuple[int, ...]
    series: tuple[Series, ...]
    unit_label: str
    decimals: int = 1


ChartSpec = BarChart | PyramidChart | LineChart


def draw(spec: ChartSpec) -> str:
    """Draw a chart spec to SVG text (deterministic: no dates, fixed ids)."""
    with _house_style():
        match spec:
            case BarChart():
                figure = _bar_chart(spec)
            case PyramidChart():
                figure = _pyramid(spec)
            case LineChart():
                figure = _line_chart(spec)
        return _to_svg(figure)


@contextmanager
def _house_style() -> Iterator[None]:
    with mpl.rc_context(), plt.style.context(str(STYLE_FILE)):
        yield


def _to_svg(figure: Figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    plt.close(figure)
    svg = buffer.getvalue()
    # Drop the XML prolog and doctype so the SVG can also be inlined in HTML.
    return re.sub(r"^.*?(?=<svg)", "", svg, flags=re.DOTALL)


def _number_formatter(decimals: int) -> FuncFormatter:
    return FuncFormatter(lambda x, _pos: tal(x, decimals))


def _bar_chart(spec: BarChart) -> Figure:
    n = len(spec.bars)
    figure, axes = plt.subplots(figsize=(WIDTH_INCHES, 0.75 + 0.32 * max(n, 2)))
    positions = list(range(n))[::-1]  # first bar on top
    values = [b.value if b.value is not None else 0.0 for b in spec.bars]
    colours = [BAR_COLOURS.get(b.category, KOMMUNE_BLUE) for b in spec.bars]
    axes.barh(positions, values, color=colours, height=0.62, zorder=2)
    axes.set_yticks(positions, [b.label for b in spec.bars])
    for tick, bar in zip(axes.get_yticklabels(), spec.bars, strict=True):
        if bar.category == "cluster":
            tick.set_fontweight("bold")
    top = max([v for v in values if v] + [r.value for r in spec.references] + [1e-9])
    axes.set_xlim(0, top * 1.16)
    for position, bar in zip(positions, spec.bars, strict=True):
        text = tal(bar.value, spec.decimals) if bar.value is not None else (bar.note or "")
        axes.text(
            (bar.value or 0.0) + top * 0.01, position, text, va="center", fontsize=7.5, zorder=3
        )
    for reference in spec.references:
        axes.axvline(
            reference.value,
            label=f"{reference.label}: {tal(reference.value, spec.decimals)}",
            zorder=4,
            **REFERENCE_STYLES[reference.style],
        )
    axes.xaxis.set_major_formatter(_number_formatter(_axis_decimals(top)))
    axes.grid(axis="y", visible=False)
    axes.set_xlabel(spec.unit_label)
    if spec.references:
        axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14 - 0.6 / (n + 2)), ncol=2)
    return figure


def _pyramid(spec: PyramidChart) -> Figure:
    figure, axes = plt.subplots(figsize=(WIDTH_INCHES, 4.2))
    positions = list(range(len(spec.bands)))
    axes.barh(positions, [-m for m in spec.men], color=MEN_COLOUR, height=0.8, label=None)
    axes.barh(positions, list(spec.women), color=WOMEN_COLOUR, height=0.8, label=None)
    edges = [p - 0.5 for p in positions] + [positions[-1] + 0.5]
    reference_style: dict[str, Any] = {"color": COUNTRY_BLACK, "linewidth": 1.3, "linestyle": "-"}
    axes.stairs(
        [-m for m in spec.reference_men], edges, orientation="horizontal", baseline=None,
        label=spec.reference_label, **reference_style,
    )  # fmt: skip
    axes.stairs(
        list(spec.reference_women), edges, orientation="horizontal", baseline=None,
        **reference_style,
    )  # fmt: skip
    axes.set_yticks(positions, list(spec.bands))
    limit = max([*spec.men, *spec.women, *spec.reference_men, *spec.reference_women]) * 1.12
    axes.set_xlim(-limit, limit)
    axes.xaxis.set_major_locator(MaxNLocator(nbins=8, symmetric=True))
    axes.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: tal(abs(x), 1)))
    axes.axvline(0, color="#404040", linewidth=0.6)
    axes.grid(axis="y", visible=False)
    axes.set_xlabel("Andel af befolkningen (pct.)")
    axes.set_ylabel("Alder")
    axes.text(-limit * 0.97, len(positions) - 0.6, f"Mænd, {spec.area_label}", ha="left",
              va="top", fontsize=8, fontweight="bold", color=MEN_COLOUR)  # fmt: skip
    axes.text(limit * 0.97, len(positions) - 0.6, f"Kvinder, {spec.area_label}", ha="right",
              va="top", fontsize=8, fontweight="bold", color="#9a6700")  # fmt: skip
    axes.legend(loc="lower right", handlelength=1.6)
    return figure


def _line_chart(spec: LineChart) -> Figure:
    figure, axes = plt.subplots(figsize=(WIDTH_INCHES, 2.9))
    for series in spec.series:
        points = [(y, v) for y, v in zip(spec.years, series.values, strict=True) if v is not None]
        if not points:
            continue
        xs, ys = zip(*points, strict=True)
        axes.plot(xs, ys, label=series.label, **SERIES_STYLES[series.style])
    axes.set_xticks(list(spec.years), [str(y) for y in spec.years])
    axes.yaxis.set_major_formatter(_number_formatter(spec.decimals))
    axes.set_ylabel(spec.unit_label)
    axes.margins(x=0.04, y=0.15)
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=min(4, len(spec.series)))
    return figure


def _axis_decimals(top: float) -> int:
    return 0 if top >= 20 else 1
