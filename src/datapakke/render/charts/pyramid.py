"""The population pyramid: the cluster's age and sex structure against the country's outline."""

from __future__ import annotations

from typing import Any

from matplotlib.figure import Figure

from datapakke.pack.chart_specs import PyramidChart
from datapakke.render.charts.style import (
    COUNTRY_BLACK,
    FULL_WIDTH,
    MEN_COLOUR,
    WOMEN_COLOUR,
    WOMEN_TEXT,
)
from datapakke.render.charts.ticks import DanishTicks, locator


def draw_pyramid(spec: PyramidChart) -> Figure:
    """Men to the left, women to the right, in per cent of the whole population."""
    figure = Figure(figsize=(FULL_WIDTH, 3.7))
    axes = figure.subplots()
    positions = list(range(len(spec.bands)))
    axes.barh(positions, [-m for m in spec.men], color=MEN_COLOUR, height=0.8)
    axes.barh(positions, list(spec.women), color=WOMEN_COLOUR, height=0.8)
    edges = [p - 0.5 for p in positions] + [positions[-1] + 0.5]
    outline: dict[str, Any] = {"color": COUNTRY_BLACK, "linewidth": 1.3, "linestyle": "-"}
    axes.stairs(
        [-m for m in spec.reference_men], edges, orientation="horizontal", baseline=None,
        label=spec.reference_label, **outline,
    )  # fmt: skip
    axes.stairs(
        list(spec.reference_women), edges, orientation="horizontal", baseline=None, **outline
    )
    axes.set_yticks(positions, list(spec.bands))
    limit = max([*spec.men, *spec.women, *spec.reference_men, *spec.reference_women]) * 1.12
    axes.set_xlim(-limit, limit)
    axes.xaxis.set_major_locator(locator(8, symmetric=True))
    axes.xaxis.set_major_formatter(DanishTicks(absolute=True))
    axes.axvline(0, color="#404040", linewidth=0.6)
    axes.grid(axis="y", visible=False)
    axes.set_xlabel("Andel af befolkningen (pct.)")
    axes.set_ylabel("Alder")
    axes.text(-limit * 0.97, len(positions) - 0.6, f"Mænd, {spec.area_label}", ha="left",
              va="top", fontsize=8, fontweight="bold", color=MEN_COLOUR)  # fmt: skip
    axes.text(limit * 0.97, len(positions) - 0.6, f"Kvinder, {spec.area_label}", ha="right",
              va="top", fontsize=8, fontweight="bold", color=WOMEN_TEXT)  # fmt: skip
    axes.legend(loc="lower right", handlelength=1.6)
    return figure
