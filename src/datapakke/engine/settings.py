"""The choices a computation is run with: standard population, disclosure threshold, level."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from datapakke.engine.stats import DEFAULT_LEVEL, TREND_LEVEL

Standard = Literal["national", "esp2013"]
DEFAULT_MIN_COUNT = 5


@dataclass(frozen=True)
class ComputeSettings:
    """How the IndicatorTable is computed.

    ``standard``: ``national`` (the country's population of one year, ``standard_year``,
    by age band and sex, for every year; None: the latest data year) or ``esp2013``
    (European Standard Population 2013, age only).
    ``min_count``: the disclosure threshold; counts 1 .. min_count - 1 are never shown.
    ``level``: the confidence level of every interval; ``trend_level``: the level at
    which the trend test calls a development rising or falling (default 99.8 %).
    """

    standard: Standard = "national"
    standard_year: int | None = None
    min_count: int = DEFAULT_MIN_COUNT
    level: float = DEFAULT_LEVEL
    trend_level: float = TREND_LEVEL

    def __post_init__(self) -> None:
        if self.standard not in ("national", "esp2013"):
            raise ValueError(f"unknown standard '{self.standard}'")
        if self.standard == "esp2013" and self.standard_year is not None:
            raise ValueError("the European standard population has no year to choose")
        if self.min_count < 1:
            raise ValueError("min_count must be at least 1")
        if not (0.0 < self.level < 1.0 and 0.0 < self.trend_level < 1.0):
            raise ValueError("a confidence level must lie between 0 and 1")
