"""The spine chart of the key-figures table, written as a small SVG by hand.

It sits in a table cell, one per indicator row, so it must be tiny, crisp and
quick to make (24 of them per pack): plain SVG shapes, no matplotlib.
"""

from __future__ import annotations

from datapakke.pack.chart_specs import SpineChart
from datapakke.render.charts.style import COMPARISON_COLOURS, INK

WIDTH = 100.0  # points
HEIGHT = 16.0
PAD = 5.0
RANGE_FILL = "#DADADA"
QUARTILE_FILL = "#A3A3A3"
MARK_STROKE = "#2B2B2B"


def draw_spine(spec: SpineChart) -> str:
    """The spine as an SVG document (deterministic text)."""
    numbers = [spec.low, spec.high, *spec.marks]
    numbers += [v for v in (spec.reference, spec.value) if v is not None]
    low, high = min(numbers), max(numbers)
    if high - low <= 0:
        low, high = low - 1.0, high + 1.0

    def x(value: float) -> str:
        return f"{PAD + (value - low) / (high - low) * (WIDTH - 2 * PAD):.2f}"

    def width(start: float, end: float) -> str:
        return f"{max((end - start) / (high - low) * (WIDTH - 2 * PAD), 0.6):.2f}"

    q1, q3 = spec.quartiles
    parts = [
        f'<rect x="{x(spec.low)}" y="5" width="{width(spec.low, spec.high)}" height="6" '
        f'fill="{RANGE_FILL}"/>',
        f'<rect x="{x(q1)}" y="5" width="{width(q1, q3)}" height="6" fill="{QUARTILE_FILL}"/>',
    ]
    parts += [
        f'<line x1="{x(m)}" x2="{x(m)}" y1="3.5" y2="12.5" stroke="{MARK_STROKE}" '
        'stroke-width="0.8"/>'
        for m in spec.marks
    ]
    if spec.reference is not None:
        parts.append(
            f'<line x1="{x(spec.reference)}" x2="{x(spec.reference)}" y1="0.5" y2="15.5" '
            f'stroke="{INK}" stroke-width="1.6"/>'
        )
    if spec.value is not None:
        parts.append(
            f'<circle cx="{x(spec.value)}" cy="8" r="3.9" '
            f'fill="{COMPARISON_COLOURS[spec.comparison]}" stroke="{INK}" stroke-width="0.8"/>'
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH:g}pt" height="{HEIGHT:g}pt" '
        f'viewBox="0 0 {WIDTH:g} {HEIGHT:g}">{"".join(parts)}</svg>'
    )
