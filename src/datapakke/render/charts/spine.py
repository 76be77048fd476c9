"""The spine chart of the key-figures table, written as a small SVG by hand.

It sits in a table cell, one per indicator row, so it must be tiny, crisp and
quick to make (24 of them per pack): plain SVG shapes, no matplotlib. Where each
value lies (centred on the country, better to the right) is the spec's to say.
"""

from __future__ import annotations

from datapakke.pack.chart_specs import SpineChart
from datapakke.render.charts.style import COMPARISON_COLOURS, INK

WIDTH = 80.0  # points: the key-figures column
HEIGHT = 14.0
PAD = 5.0  # room for the dot at either end
RANGE_FILL = "#DADADA"
QUARTILE_FILL = "#9E9E9E"


def draw_spine(spec: SpineChart) -> str:
    """The spine as an SVG document (deterministic text)."""

    def x(value: float) -> float:
        return PAD + spec.position(value) * (WIDTH - 2 * PAD)

    def bar(a: float, b: float, fill: str) -> str:
        start, end = sorted((x(a), x(b)))
        return (
            f'<rect x="{start:.2f}" y="4" width="{max(end - start, 0.6):.2f}" height="6" '
            f'fill="{fill}"/>'
        )

    q1, q3 = spec.quartiles
    parts = [bar(spec.low, spec.high, RANGE_FILL), bar(q1, q3, QUARTILE_FILL)]
    if spec.reference is not None:
        centre = f"{x(spec.reference):.2f}"
        parts.append(
            f'<line x1="{centre}" x2="{centre}" y1="0.5" y2="13.5" stroke="{INK}" '
            'stroke-width="1.4"/>'
        )
    if spec.value is not None:
        parts.append(
            f'<circle cx="{x(spec.value):.2f}" cy="7" r="3.6" '
            f'fill="{COMPARISON_COLOURS[spec.comparison]}" stroke="{INK}" stroke-width="0.8"/>'
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH:g}pt" height="{HEIGHT:g}pt" '
        f'viewBox="0 0 {WIDTH:g} {HEIGHT:g}">{"".join(parts)}</svg>'
    )
