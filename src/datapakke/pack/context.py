"""One cluster's slice of the computed results, with lookups the section builders share."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import polars as pl

from datapakke.geography import COUNTRY_CODE, Geography, Klynge, Region
from datapakke.indicators.compute import Results


@dataclass(frozen=True)
class AreaKey:
    """An area as it appears in the IndicatorTable."""

    level: str
    code: str
    name: str


@dataclass(frozen=True)
class PackContext:
    """The cluster, its municipalities, region and country, and their rows of the results."""

    geography: Geography
    klynge: Klynge
    results: Results
    indicators: pl.DataFrame = field(init=False)
    population: pl.DataFrame = field(init=False)

    def __post_init__(self) -> None:
        keys = pl.DataFrame(
            {
                "area_level": [a.level for a in self.areas],
                "area_code": [a.code for a in self.areas],
            }
        )
        # frozen: set the derived slices once, here
        object.__setattr__(
            self, "indicators", self.results.indicators.join(keys, on=keys.columns, how="semi")
        )
        object.__setattr__(
            self, "population", self.results.population.join(keys, on=keys.columns, how="semi")
        )

    @property
    def region(self) -> Region:
        """The cluster's region."""
        return self.geography.region_of(self.klynge)

    @property
    def kommuner(self) -> tuple[AreaKey, ...]:
        """The cluster's municipalities, alphabetically (Danish order: æ, ø, å last)."""
        rows = [
            AreaKey("kommune", str(k), self.geography.kommuner[k].navn)
            for k in self.klynge.kommunekoder
        ]
        return tuple(sorted(rows, key=lambda a: danish_sort_key(a.name)))

    @property
    def cluster(self) -> AreaKey:
        """The cluster itself."""
        return AreaKey("klynge", self.klynge.id, self.klynge.navn)

    @property
    def region_area(self) -> AreaKey:
        """The region as an area."""
        return AreaKey("region", str(self.region.kode), self.region.fulde_navn)

    @property
    def country(self) -> AreaKey:
        """The whole country."""
        return AreaKey("land", COUNTRY_CODE, self.geography.area_name("land", COUNTRY_CODE))

    @property
    def areas(self) -> tuple[AreaKey, ...]:
        """Municipalities, cluster, region and country: every area the pack shows."""
        return (*self.kommuner, self.cluster, self.region_area, self.country)

    @property
    def last_year(self) -> int:
        """The last year in the data."""
        return self.results.years[-1]

    def row(
        self, indicator_id: str, area: AreaKey, year: int | None = None
    ) -> dict[str, Any] | None:
        """The IndicatorTable row of one indicator, area and year (default: the last year)."""
        rows = self.indicators.filter(
            pl.col("indicator_id") == indicator_id,
            pl.col("area_level") == area.level,
            pl.col("area_code") == area.code,
            pl.col("year") == (year or self.last_year),
        )
        return rows.row(0, named=True) if rows.height else None

    def value(self, indicator_id: str, area: AreaKey, year: int | None = None) -> float | None:
        """The value of one indicator, area and year, or None when there is none."""
        row = self.row(indicator_id, area, year)
        return None if row is None else row["value"]

    def series(self, indicator_id: str, area: AreaKey) -> dict[int, float | None]:
        """Value per year for one indicator and area."""
        rows = self.indicators.filter(
            pl.col("indicator_id") == indicator_id,
            pl.col("area_level") == area.level,
            pl.col("area_code") == area.code,
        )
        return dict(zip(rows["year"].to_list(), rows["value"].to_list(), strict=True))


_DANISH_ORDER = str.maketrans({"æ": "{", "ø": "|", "å": "}", "Æ": "{", "Ø": "|", "Å": "}"})


def danish_sort_key(name: str) -> str:
    """Sort key that puts æ, ø, å after z, as Danish readers expect (aa counts as å)."""
    return name.lower().replace("aa", "å").translate(_DANISH_ORDER)
