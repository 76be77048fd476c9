"""Chart labels written straight into the SVG, one ``<text>`` each, not as matplotlib texts.

Matplotlib measures every text it draws to align it, and that is most of the cost of a
chart whose rows carry words: the comparison chart's row labels, values and verdicts
(three per row) took about 45 % of drawing it. These labels (and the plain ticks'
labels) stand at known places (a row's centre, a column's edge, a tick) in one font, so
where each one goes follows from the font's ascent and descent alone, as matplotlib
computes them for a line of text. Written where matplotlib would have drawn them (a
placeholder keeps their place in the drawing order), they reach ``lean`` and the PDF in
the same order as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Literal
from xml.sax.saxutils import escape

from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.ft2font import FT2Font
from matplotlib.lines import Line2D

from datapakke.render.charts.style import INK

PLACEHOLDER = "datapakke-labels"
SVG_DPI = 72.0  # matplotlib's SVG is drawn in points
ANCHORS = {"left": "start", "right": "end", "center": "middle"}


@dataclass(frozen=True)
class Label:
    """One text, aligned like a matplotlib text: ``x`` in axes fraction and ``y`` in data
    (``along="y"``), or ``x`` in data and ``y`` in axes fraction (``along="x"``), moved by
    ``shift`` points."""

    x: float
    y: float
    text: str
    size: float
    ha: Literal["left", "right", "center"]
    va: Literal["center", "bottom", "top", "center_baseline"] = "center"
    bold: bool = False
    colour: str = INK
    along: Literal["x", "y"] = "y"
    shift: tuple[float, float] = (0.0, 0.0)


# The attribute of a figure that holds its labels not yet written, in the order made (on
# the figure, so they go when it goes, written or not).
PENDING = "datapakke_labels"


class Labels:
    """Labels of one axes at one depth (``zorder``), kept until the figure is written."""

    def __init__(self, axes: Axes, *, zorder: float = 3.0) -> None:
        figure = axes.get_figure(root=True)
        assert isinstance(figure, Figure)
        if not hasattr(figure, PENDING):
            setattr(figure, PENDING, [])
        pending: list[Labels] = getattr(figure, PENDING)
        self.axes = axes
        self.zorder = zorder
        self.items: list[Label] = []
        self.gid = f"{PLACEHOLDER}-{len(pending)}"
        pending.append(self)
        # An empty line draws as an empty group with this id, where the labels go: after
        # the artists of its depth made before it, before those made after it.
        axes.add_artist(Line2D([], [], gid=self.gid, zorder=zorder))

    def add(self, label: Label) -> None:
        """Write ``label`` (an empty text writes nothing, as in matplotlib)."""
        if label.text:
            self.items.append(label)

    def insert_into(self, svg: str) -> str:
        """Matplotlib's ``svg`` of the figure with the labels in the placeholder's place.

        Call it while the figure still has the size and limits it was drawn with.
        """
        figure = self.axes.get_figure(root=True)
        assert figure is not None
        scale = SVG_DPI / figure.dpi
        height = figure.get_size_inches()[1] * SVG_DPI
        transforms = {"x": self.axes.get_xaxis_transform(), "y": self.axes.get_yaxis_transform()}
        texts = []
        for label in self.items:
            x, y = transforms[label.along].transform((label.x, label.y)) * scale
            x, y = x + label.shift[0], y + label.shift[1]
            ascent, descent = (size * label.size for size in font_extent(label.bold))
            # The baseline of one line of text, as matplotlib lays it out.
            baseline = {
                "center": y - (ascent - descent) / 2,
                "bottom": y + descent,
                "top": y - ascent,
                "center_baseline": y - ascent / 2,
            }[label.va]
            texts.append(_text(label, x, height - baseline))
        placeholder = f'<g id="{self.gid}"/>'
        assert svg.count(placeholder) == 1
        return svg.replace(placeholder, "".join(texts))


def pending(figure: Figure) -> list[Labels]:
    """The labels made for ``figure`` and not yet written."""
    return list(getattr(figure, PENDING, []))


def insert_labels(figure: Figure, svg: str) -> str:
    """Matplotlib's ``svg`` of ``figure`` with every label made for it."""
    for labels in pending(figure):
        svg = labels.insert_into(svg)
    setattr(figure, PENDING, [])
    return svg


def _text(label: Label, x: float, y: float) -> str:
    weight = "font-weight: 700; " if label.bold else ""
    style = (
        f"{weight}font-size: {label.size:g}px; font-family: 'DejaVu Sans'; "
        f"text-anchor: {ANCHORS[label.ha]}; fill: {to_hex(label.colour)}"
    )
    return f'<text style="{style}" x="{x:.6f}" y="{y:.6f}">{escape(label.text)}</text>'


@cache
def font_extent(bold: bool) -> tuple[float, float]:
    """The ascent and descent of DejaVu Sans (at size 1) that matplotlib gives a line of
    text: the font's typographic ones (OS/2 table)."""
    properties = font_manager.FontProperties(
        family="DejaVu Sans", weight="bold" if bold else "normal"
    )
    font = FT2Font(font_manager.findfont(properties))
    table = font.get_sfnt_table("OS/2")
    units = font.get_sfnt_table("head")
    assert table is not None and units is not None
    per_em = float(units["unitsPerEm"])
    return table["sTypoAscender"] / per_em, -table["sTypoDescender"] / per_em
