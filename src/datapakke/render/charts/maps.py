"""Maps of municipalities, drawn with matplotlib from the boundaries shipped in ``data/``.

``data/kommuner.geojson`` is a simplified copy of DAGI 1:500.000 (made by
``scripts/simplify_boundaries.py``). Each fill becomes one compound path, so a map is a
handful of SVG paths however many municipalities it holds: cheap for WeasyPrint.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from functools import cache

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import PathPatch, Rectangle
from matplotlib.path import Path

from datapakke.pack.chart_specs import MapChart, MapFill
from datapakke.paths import DATA_DIR
from datapakke.render.charts.style import (
    CLUSTER_BLUE,
    COMPARISON_COLOURS,
    INK,
    MUTED,
    NOT_COMPARED_HATCH,
)
from datapakke.render.charts.tickless import TicklessAxes

BOUNDARIES = DATA_DIR / "kommuner.geojson"
BORNHOLM = 400
# Longitude is shortened by the cosine of Denmark's middle latitude, so shapes keep their form.
X_SCALE = math.cos(math.radians(56.0))
# The locator map's fills; the comparison fills come from the charts' colours.
LOCATOR_COLOURS = {"area": CLUSTER_BLUE, "around": "#9ECAE1", "other": "#D4D4D4"}
EDGE = "#FFFFFF"
# Points per inch of map the drawing keeps at most (80: one every 0.3 mm).
SNAP_PER_INCH = 80
LABEL_SIZE = 6.0  # points
CHOROPLETH_EDGE = "#6B6B6B"

Rings = list[np.ndarray]


@cache
def boundaries() -> dict[int, Rings]:
    """Every municipality's rings (outer and holes), projected, by municipality code."""
    document = json.loads(BOUNDARIES.read_text(encoding="utf-8"))
    shapes: dict[int, Rings] = {}
    for feature in document["features"]:
        rings = shapes.setdefault(int(feature["properties"]["kode"]), [])
        for polygon in feature["geometry"]["coordinates"]:
            rings += [np.asarray(ring, dtype=float) * (X_SCALE, 1.0) for ring in polygon]
    return shapes


def _bounds(rings: Iterable[np.ndarray]) -> tuple[float, float, float, float]:
    points = np.concatenate(list(rings))
    (x0, y0), (x1, y1) = points.min(axis=0), points.max(axis=0)
    return float(x0), float(y0), float(x1), float(y1)


Box = tuple[float, float, float, float]  # x, y, width, height


def placed(codes: Iterable[int]) -> tuple[dict[int, Rings], Box | None]:
    """The rings of ``codes``, with Bornholm moved beside the others when drawn with them.

    Returns the rings and Bornholm's box (None when it is not moved). Bornholm lies far
    east in the Baltic: drawn in place it would shrink everything else, so it goes in a
    box just right of the others, level with their top.
    """
    shapes = {code: boundaries()[code] for code in codes}
    if BORNHOLM not in shapes or len(shapes) == 1:
        return shapes, None
    _x0, _y0, x1, y1 = _bounds(r for c, rings in shapes.items() if c != BORNHOLM for r in rings)
    bx0, by0, bx1, by1 = _bounds(shapes[BORNHOLM])
    width, height = bx1 - bx0, by1 - by0
    gap = 0.15 * width
    dx, dy = x1 + 2 * gap - bx0, y1 - gap - by1
    shapes[BORNHOLM] = [ring + np.array([dx, dy]) for ring in shapes[BORNHOLM]]
    box = (bx0 + dx - gap, by0 + dy - gap, width + 2 * gap, height + 2 * gap)
    return shapes, box


def _compound(rings: Iterable[np.ndarray], cell: float) -> Path:
    """One path of all ``rings``, their points snapped to a grid of ``cell`` (a fraction of a
    millimetre on the page) and repeats dropped: fewer points, the same picture. Shared
    borders snap alike on both sides, so neighbours still meet."""
    paths = []
    for ring in rings:
        snapped = np.round(ring / cell) * cell
        keep = np.concatenate(([True], np.any(np.diff(snapped, axis=0) != 0, axis=1)))
        if keep.sum() >= 4:
            paths.append(Path(snapped[keep], closed=True))
    return Path.make_compound_path(*paths)


def _label_point(rings: Rings) -> tuple[float, float]:
    """Where a label goes: the centroid of the municipality's largest ring."""

    def area_and_centroid(ring: np.ndarray) -> tuple[float, float, float]:
        x, y = ring[:, 0], ring[:, 1]
        cross = x[:-1] * y[1:] - x[1:] * y[:-1]
        area = cross.sum() / 2
        if area == 0:
            return 0.0, float(x.mean()), float(y.mean())
        cx = ((x[:-1] + x[1:]) * cross).sum() / (6 * area)
        cy = ((y[:-1] + y[1:]) * cross).sum() / (6 * area)
        return abs(area), float(cx), float(cy)

    _area, x, y = max((area_and_centroid(r) for r in rings), key=lambda a: a[0])
    return x, y


def draw_map(spec: MapChart) -> Figure:
    """The municipalities of ``spec``, one compound path per fill, the outlined ones on top."""
    shapes, box = placed(code for code, _fill in spec.fills)
    x0, y0, x1, y1 = _bounds(r for rings in shapes.values() for r in rings)
    if box is not None:
        x1, y1 = max(x1, box[0] + box[2]), max(y1, box[1] + box[3])
        y0 = min(y0, box[1])
    cell = max(x1 - x0, y1 - y0) / (SNAP_PER_INCH * max(spec.width, spec.height))
    figure = Figure(figsize=(spec.width, spec.height))
    axes = figure.add_axes((0.0, 0.0, 1.0, 1.0), axes_class=TicklessAxes)
    axes.set_axis_off()
    locator = any(fill in LOCATOR_COLOURS for _code, fill in spec.fills)
    groups: dict[MapFill, list[np.ndarray]] = {}
    for code, fill in spec.fills:
        groups.setdefault(fill, []).extend(shapes[code])
    # The shapes go in as artists, not as patches (add_patch): the limits are set below,
    # and widening the data limits walks every point of every boundary in Python.
    for fill, rings in sorted(groups.items()):
        colour = LOCATOR_COLOURS.get(fill) or COMPARISON_COLOURS[fill]
        axes.add_artist(
            PathPatch(
                _compound(rings, cell),
                facecolor=colour,
                edgecolor=EDGE if locator else CHOROPLETH_EDGE,
                linewidth=0.25 if locator else 0.4,
                hatch=NOT_COMPARED_HATCH if fill == "not_compared" else None,
            )
        )
    outlined = [ring for code in spec.outlined if code in shapes for ring in shapes[code]]
    if outlined:
        axes.add_artist(
            PathPatch(_compound(outlined, cell), facecolor="none", edgecolor=INK, lw=1.4)
        )
    for code, label in spec.labels:
        x, y = _label_point(shapes[code])
        axes.text(x, y, label, fontsize=LABEL_SIZE, ha="center", va="center", color=INK)
    if box is not None:
        x, y, width, height = box
        axes.add_patch(Rectangle((x, y), width, height, fill=False, edgecolor=MUTED, lw=0.4))
    margin = 0.03 * max(x1 - x0, y1 - y0)
    axes.set_xlim(x0 - margin, x1 + margin)
    axes.set_ylim(y0 - margin, y1 + margin)
    axes.set_aspect("equal", adjustable="box")
    return figure
