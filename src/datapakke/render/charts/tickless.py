"""Axes that make no tick objects, for charts whose ticks are plain artists or none.

Matplotlib's axes make a major and a minor tick of each axis as they are set up (four
ticks of five artists each, to copy their properties to the ticks made later), and
set their grid and clipping: about half the cost of adding an axes, a few
milliseconds for each of a pack's hundred charts. A chart whose ticks are
``ticks.plain_ticks`` (or that has none) never draws them, so its axes can do without:
they keep every tick setting for ticks that would be made later, but a chart that asks
them for a tick is told at once (its ticks would miss what was set before).
"""

from __future__ import annotations

from typing import Any

from matplotlib.axes import Axes
from matplotlib.axis import Tick, XAxis, YAxis


class _NoTicks:
    """A tick list that starts empty (matplotlib's starts with one tick made at once)."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __get__(self, instance: Any, owner: type) -> Any:
        if instance is None:
            return self
        ticks: list[Tick] = []
        setattr(instance, self.name, ticks)
        return ticks


class _NoTickAxis:
    """An axis of ``TicklessAxes``: no tick lists made, no tick drawn."""

    majorTicks = _NoTicks("majorTicks")  # noqa: N815 (matplotlib's names)
    minorTicks = _NoTicks("minorTicks")  # noqa: N815

    def _get_tick(self, major: bool) -> Tick:
        raise TypeError(
            "a chart on TicklessAxes draws its ticks with ticks.plain_ticks (or none): "
            "give its axes a NullLocator or no ticks"
        )


class _TicklessXAxis(_NoTickAxis, XAxis):
    pass


class _TicklessYAxis(_NoTickAxis, YAxis):
    pass


class TicklessAxes(Axes):
    """Axes whose axes make and draw no ticks (``figure.add_axes(rect,
    axes_class=TicklessAxes)``)."""

    def _init_axis(self) -> None:
        # As matplotlib's Axes._init_axis, with the tickless axes.
        self.xaxis = _TicklessXAxis(self, clear=False)
        self.spines.bottom.register_axis(self.xaxis)
        self.spines.top.register_axis(self.xaxis)
        self.yaxis = _TicklessYAxis(self, clear=False)
        self.spines.left.register_axis(self.yaxis)
        self.spines.right.register_axis(self.yaxis)

    def clear(self) -> None:
        """Clear the axes, and place the spines where making the first ticks would."""
        super().clear()
        for spine in self.spines.values():
            spine.set_position(("outward", 0.0))
