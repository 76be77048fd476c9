"""Legends laid out once per look, then written again as the same SVG.

Matplotlib lays out a legend box by box every time it draws one, which was about a
third of drawing a compact trend chart. Yet a legend is the same picture wherever the
same entries (label, line, marker) stand at the same place of a figure of the same
size: all the compact trend charts of a theme share one. So the first chart of a look
draws its legend as matplotlib does, and its SVG is kept; later charts of that look
hold a placeholder at the legend's depth instead, which the kept SVG replaces, with the
definitions of the markers it uses. The chart's SVG is then the same, byte for byte.

Only for figures of a fixed size: a figure cropped to its content (``savefig.bbox:
tight``) would be cropped without the legend.
"""

from __future__ import annotations

import re
from typing import Any

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

PLACEHOLDER = "datapakke-legend"
# The attribute of a figure that holds its legend's look, to keep or to write.
PENDING = "datapakke_legend"
# Matplotlib draws a legend at this depth (Legend.zorder).
LEGEND_DEPTH = 5.0
_USE = re.compile(r'<use xlink:href="#([^"]+)"')
_GROUP = re.compile(r"<g\b[^>]*?(/?)>|</g>")

Look = tuple[Any, ...]
# The SVG of each look's legend (a few kilobytes each; a process draws a few dozen looks).
_kept: dict[Look, str] = {}


def legend(axes: Axes, **options: Any) -> None:
    """``axes.legend(**options)``, laid out only the first time its look is drawn."""
    figure = axes.get_figure(root=True)
    assert isinstance(figure, Figure)
    look = _look(figure, axes, options)
    if look in _kept:
        axes.add_artist(Line2D([], [], gid=PLACEHOLDER, zorder=LEGEND_DEPTH))
    else:
        axes.legend(**options).set_gid(PLACEHOLDER)
    setattr(figure, PENDING, look)


def insert_legend(figure: Figure, svg: str) -> str:
    """Matplotlib's ``svg`` of ``figure`` with its kept legend in the placeholder's place;
    a legend drawn for the first time is kept."""
    look = getattr(figure, PENDING, None)
    if look is None:
        return svg
    setattr(figure, PENDING, None)
    if look in _kept:
        placeholder = f'<g id="{PLACEHOLDER}"/>'
        assert svg.count(placeholder) == 1
        return svg.replace(placeholder, _kept[look])
    _kept[look] = _self_contained(_group(svg, PLACEHOLDER), svg)
    return svg


def _look(figure: Figure, axes: Axes, options: dict[str, Any]) -> Look:
    """Everything a legend's picture depends on: the figure's size, the axes' place, the
    options, and each entry's label and drawing."""
    handles, labels = axes.get_legend_handles_labels()
    entries = []
    for handle, label in zip(handles, labels, strict=True):
        if not isinstance(handle, Line2D):
            raise TypeError(f"a kept legend draws lines only, not {type(handle).__name__}")
        entries.append(
            (label, handle.get_color(), handle.get_linestyle(), handle.get_linewidth(),
             handle.get_marker(), handle.get_markersize(), handle.get_markerfacecolor(),
             handle.get_markeredgecolor(), handle.get_markeredgewidth(), handle.get_alpha(),
             handle.get_drawstyle(), handle.get_fillstyle())
        )  # fmt: skip
    return (
        tuple(figure.get_size_inches()), figure.dpi, tuple(axes.get_position().bounds),
        tuple(sorted((name, repr(value)) for name, value in options.items())), tuple(entries),
    )  # fmt: skip


def _group(svg: str, gid: str) -> str:
    """The ``<g id="gid">`` element of ``svg``, as written (matplotlib nests groups only)."""
    start = svg.index(f'<g id="{gid}"')
    depth = 0
    for match in _GROUP.finditer(svg, start):
        if match.group(0) == "</g>":
            depth -= 1
        elif not match.group(1):  # not a self-closed group
            depth += 1
        if depth == 0:
            return svg[start : match.end()]
    raise ValueError(f"the group {gid} does not end")


def _self_contained(fragment: str, svg: str) -> str:
    """``fragment`` with the definitions of the markers it uses that ``svg`` wrote before
    it: matplotlib defines a marker once, where first drawn (usually by the lines), and a
    chart whose lines draw no such marker would lack it."""
    missing = [m for m in dict.fromkeys(_USE.findall(fragment)) if f'id="{m}"' not in fragment]
    if not missing:
        return fragment
    definitions = []
    for marker in missing:
        found = re.search(rf'<path id="{re.escape(marker)}"[^>]*/>', svg)
        if found is None:
            raise ValueError(f"the legend's marker {marker} has no definition")
        definitions.append(found.group(0))
    head = fragment.index(">") + 1
    return f"{fragment[:head]}<defs>{''.join(definitions)}</defs>{fragment[head:]}"
