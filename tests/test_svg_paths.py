"""The SVG path reader makes exactly the drawing calls and vertices of WeasyPrint's own."""

from __future__ import annotations

import io
import re
from collections import deque
from typing import Any

import matplotlib as mpl
import pytest
from matplotlib.figure import Figure
from matplotlib.patches import Circle
from weasyprint.svg.path import path as weasyprint_path
from weasyprint.svg.utils import size

from datapakke.render import svg_paths


class _Stream:
    """Records the drawing calls a path makes."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple[float, ...]]] = []

    def __getattr__(self, name: str) -> Any:
        return lambda *args: self.calls.append((name, args))


class _Svg:
    def __init__(self) -> None:
        self.stream = _Stream()

    def point(self, x: str, y: str, font_size: float) -> tuple[float, float]:
        return size(x, font_size, 100), size(y, font_size, 100)


class _Node(dict[str, str]):
    def __init__(self, d: str) -> None:
        super().__init__(d=d)
        self.vertices: deque[object] = deque()


def _drawn(d: str, *, ours: bool) -> tuple[list[tuple[str, tuple[float, ...]]], list[object]]:
    svg, node = _Svg(), _Node(d)
    if ours:
        assert svg_paths.draw_path(svg, node)
    else:
        weasyprint_path(svg, node, 12.0)
    return svg.stream.calls, list(node.vertices)


def _matplotlib_paths() -> list[str]:
    """The ``d`` of every path of a figure with lines, a curve (a circle), bars and holes."""
    figure = Figure(figsize=(3, 2))
    axes = figure.add_subplot()
    axes.plot([0, 1, 2, 3], [1.5, -2.25, 3, 0.125], marker="o")
    axes.bar([0.5, 1.5], [-1, 2], hatch="//")
    axes.add_patch(Circle((1, 1), 0.5))
    buffer = io.StringIO()
    with mpl.rc_context({"svg.fonttype": "none"}):  # texts as text, as the charts write them
        figure.savefig(buffer, format="svg")
    return re.findall(r' d="([^"]*)"', buffer.getvalue())


def test_matplotlib_paths_are_drawn_as_weasyprint_draws_them() -> None:
    paths = _matplotlib_paths()
    assert any("\nC " in d for d in paths) and any("\nz" in d for d in paths)
    for d in paths:
        assert svg_paths.parse(d) is not None, d
        assert _drawn(d, ours=True) == _drawn(d, ours=False), d


@pytest.mark.parametrize(
    "d",
    [
        "M 0 0 L 10 0 L 10 10 z M 20 20 L 30 20 z",  # two closed rings
        "M 1.5 2  L -3 4.25 C 1 2 3 4 5 6 z z L 7 8",  # repeated close, line after close
        "M 0 0 M 5 5 L 6 6",  # a move after a move
    ],
)
def test_edge_cases_match_weasyprint(d: str) -> None:
    assert _drawn(d, ours=True) == _drawn(d, ours=False)


@pytest.mark.parametrize(
    "d",
    [
        "m 0 0 l 10 10",  # relative commands
        "M 0 0 L 1 1 2 2",  # an implicit repeat
        "M 0,0 L 1,1",  # commas
        "M 0 0 L 1e-5 1",  # an exponent
        "M 0 0 H 5",  # another command
        "M 0 0 L 1",  # a missing number
        "M0 0L1 1",  # letters not separated
    ],
)
def test_other_paths_are_left_to_weasyprint(d: str) -> None:
    assert svg_paths.parse(d) is None
    assert not svg_paths.draw_path(_Svg(), _Node(d))


def test_install_routes_paths_once() -> None:
    import weasyprint.svg

    svg_paths.install()
    installed = weasyprint.svg.TAGS["path"]
    svg_paths.install()
    assert weasyprint.svg.TAGS["path"] is installed
    assert installed.command_by_command is weasyprint_path  # type: ignore[attr-defined]
