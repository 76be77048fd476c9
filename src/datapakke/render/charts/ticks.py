"""Axis ticks in the house style: round steps, Danish labels that print every tick exactly.

A label never rounds its tick (77,5 is never printed "78", so a line at 77,5 never
seems to sit on "78"), and an axis can be made to end on ticks so that no line
lies below the lowest or above the highest label.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from matplotlib.axis import Axis, XAxis
from matplotlib.ticker import FixedLocator, Formatter, MaxNLocator

from datapakke.numbers import tal

# Steps of 1, 2 and 5 (times a power of ten): 2,5 steps would print needless decimals.
STEPS = (1, 2, 5, 10)
MAX_DECIMALS = 3


def tick_decimals(ticks: Sequence[float]) -> int:
    """The fewest decimals (at most three) with which every tick prints exactly."""
    for decimals in range(MAX_DECIMALS + 1):
        if all(math.isclose(round(t, decimals), t, abs_tol=1e-9) for t in ticks):
            return decimals
    return MAX_DECIMALS


class DanishTicks(Formatter):
    """Danish tick labels with as many decimals as the axis's ticks need, and no more."""

    def __init__(self, *, absolute: bool = False) -> None:
        self.absolute = absolute  # the pyramid's men count leftwards: print -1,5 as 1,5
        self.decimals = 0

    def set_locs(self, locs: Any) -> None:
        """Matplotlib calls this with the ticks before it asks for their labels."""
        super().set_locs(locs)
        self.decimals = tick_decimals(list(locs))

    def __call__(self, x: float, pos: int | None = None) -> str:
        return tal(abs(x) if self.absolute else x, self.decimals)


def locator(nbins: int, **options: Any) -> MaxNLocator:
    """A locator with round steps."""
    return MaxNLocator(nbins=nbins, steps=list(STEPS), **options)


def enclosing_ticks(
    low: float, high: float, nbins: int, through: float | None = None
) -> list[float]:
    """Round ticks from one at or below ``low`` to one at or above ``high``, through
    ``through`` when given (an index's 100)."""
    found = locator(nbins).tick_values(low, high)
    step = float(found[1] - found[0]) if len(found) > 1 else 1.0
    origin = through if through is not None else 0.0
    first = origin + math.floor((low - origin) / step + 1e-9) * step
    last = origin + math.ceil((high - origin) / step - 1e-9) * step
    count = round((last - first) / step)
    return [round(first + i * step, 9) for i in range(count + 1)]


def set_ticks(axis: Axis, ticks: list[float], *, absolute: bool = False) -> None:
    """Fix an axis's ticks and limits to ``ticks``, labelled exactly."""
    axis.set_major_locator(FixedLocator(ticks))
    axis.set_major_formatter(DanishTicks(absolute=absolute))
    if isinstance(axis, XAxis):
        axis.axes.set_xlim(ticks[0], ticks[-1])
    else:
        axis.axes.set_ylim(ticks[0], ticks[-1])
