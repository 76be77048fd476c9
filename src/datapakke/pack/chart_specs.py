"""Chart specs: pure data that says what a chart shows. The pack builds them, ``draw`` draws them.

Every text in a spec is already the Danish text the reader sees; the drawing code
adds no words of its own except axis formatting.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

SeriesStyle = Literal["cluster", "kommune", "region", "country"]
ReferenceStyle = Literal["region", "country"]
# The comparison with the country, as in the IndicatorTable; it picks the colour.
ComparisonKey = Literal["better", "worse", "similar", "higher", "lower", "not_compared"]


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
    """Horizontal bars, one per area, with optional reference lines (no comparison colours)."""

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
    """One line of a line chart; ``lower``/``upper`` draw a shaded 95 % interval band."""

    label: str
    values: tuple[float | None, ...]
    style: SeriesStyle
    lower: tuple[float | None, ...] | None = None
    upper: tuple[float | None, ...] | None = None


@dataclass(frozen=True)
class LineChart:
    """Values over the years, one line per area.

    ``compact`` draws the narrow chart that stands beside a comparison chart;
    ``height`` (inches) lets it match its neighbour; ``baseline`` draws a line the
    axis has a tick at (an index's 100); ``labels`` name the points when they are not
    single years (pooled periods, '2016–2020').
    """

    years: tuple[int, ...]
    series: tuple[Series, ...]
    unit_label: str
    decimals: int = 1
    compact: bool = False
    height: float | None = None
    baseline: float | None = None
    labels: tuple[str, ...] = ()


@dataclass(frozen=True)
class ComparisonRow:
    """One area of a comparison chart.

    ``verdict`` is the word beside the bar ("dårligere", "som landet"); ``missing``
    replaces bar and value when there is none ("<5", "for få tilfælde").
    """

    label: str
    value: float | None
    lower: float | None
    upper: float | None
    comparison: ComparisonKey
    verdict: str
    missing: str | None = None
    emphasis: bool = False
    separated: bool = False


@dataclass(frozen=True)
class ComparisonChart:
    """Areas side by side with 95 % intervals, coloured by their comparison with the country.

    Bars start at zero; ``zero_based=False`` draws dots instead, for values far from
    zero such as life expectancy, where a bar's length would mean nothing.
    """

    rows: tuple[ComparisonRow, ...]
    reference_label: str
    reference: float | None
    unit_label: str
    decimals: int = 1
    zero_based: bool = True
    value_header: str = "Værdi"
    verdict_header: str = "Sml. med landet"


@dataclass(frozen=True)
class SpineChart:
    """One key figure placed in the range of its peer areas (Fingertips' spine chart).

    ``low``/``high`` span the peers' values, ``quartiles`` their middle half. With a
    ``reference`` (the country) the spine is centred on it: the half-width is the
    larger distance from the country to either end. The better end is always on the
    right: ``higher_is_better`` False draws high values left; None (no polarity) keeps
    the lowest value left.
    """

    low: float
    high: float
    quartiles: tuple[float, float]
    reference: float | None
    value: float | None
    comparison: ComparisonKey
    higher_is_better: bool | None = None

    @property
    def flipped(self) -> bool:
        """Whether high values are drawn on the left (lower is better)."""
        return self.higher_is_better is False

    def position(self, value: float) -> float:
        """Where ``value`` lies on the spine, from 0 (left end of the axis) to 1 (right)."""
        if self.reference is None:
            span = self.high - self.low
            share = 0.5 if span <= 0 else (value - self.low) / span
        else:
            half = max(abs(self.high - self.reference), abs(self.low - self.reference))
            share = 0.5 if half <= 0 else 0.5 + (value - self.reference) / (2 * half)
        return 1.0 - share if self.flipped else share

    @property
    def ends(self) -> tuple[float, float]:
        """The peers' values at the bar's left and right ends."""
        return (self.high, self.low) if self.flipped else (self.low, self.high)


# How a municipality is filled on a map: its comparison with the country, or, on the
# locator map, whether it is the pack's area ("area"), around it ("around") or elsewhere.
MapFill = Literal[
    "better", "worse", "similar", "higher", "lower", "not_compared", "area", "around", "other"
]


@dataclass(frozen=True)
class MapChart:
    """Municipalities on a map, drawn from the boundaries shipped with datapakke.

    ``fills`` gives each drawn municipality (by code) its fill; ``outlined`` ones get a
    heavy edge (a municipality's own pack); ``labels`` are written on the municipalities
    they name (names, or numbers that a list beside the map explains). Bornholm is
    moved into a box near the others when it is drawn with them, as Danish maps do.
    """

    fills: tuple[tuple[int, MapFill], ...]
    outlined: tuple[int, ...] = ()
    labels: tuple[tuple[int, str], ...] = ()
    width: float = 1.6  # inches
    height: float = 1.6


ChartSpec = BarChart | PyramidChart | LineChart | ComparisonChart | SpineChart | MapChart


# The comparison chart's geometry in inches: the pack sizes a neighbouring chart to it.
ROW_HEIGHT = 0.16
TOP = 0.25
BOTTOM = 0.27
SEPARATION = 0.45  # extra gap, in rows, before a separated row


def comparison_positions(rows: tuple[ComparisonRow, ...]) -> list[float]:
    """y of each row, first row on top, with a gap before separated rows."""
    ys: list[float] = []
    y = 0.0
    for row in reversed(rows):
        ys.append(y)
        y += 1.0 + (SEPARATION if row.separated else 0.0)
    return ys[::-1]


def comparison_height(spec: ComparisonChart) -> float:
    """The height in inches of the drawn comparison chart (a neighbour can match it)."""
    return TOP + BOTTOM + ROW_HEIGHT * (comparison_positions(spec.rows)[0] + 1.2)
