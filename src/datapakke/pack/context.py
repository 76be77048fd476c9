"""One cluster's slice of the computed results, with lookups the section builders share."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import polars as pl

from datapakke.engine.catalogue import Catalogue, Indicator
from datapakke.engine.compute import Results
from datapakke.engine.params import ChangeParams, LifeExpectancyParams
from datapakke.geography import COUNTRY_CODE, Geography, Klynge, Region
from datapakke.numbers import aar_interval, niveau
from datapakke.pack.labels import DEFAULT_THRESHOLD, flag_footnote, too_few_rule


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
    catalogue: Catalogue
    threshold: int = DEFAULT_THRESHOLD
    indicators: pl.DataFrame = field(init=False)
    population: pl.DataFrame = field(init=False)
    _rows: dict[tuple[str, str, str, int], dict[str, Any]] = field(init=False, repr=False)

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
        # Thousands of lookups per pack: index the slice once instead of filtering each time.
        object.__setattr__(
            self,
            "_rows",
            {
                (r["indicator_id"], r["area_level"], r["area_code"], r["year"]): r
                for r in self.indicators.iter_rows(named=True)
            },
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
        return self._rows.get((indicator_id, area.level, area.code, year or self.last_year))

    def value(self, indicator_id: str, area: AreaKey, year: int | None = None) -> float | None:
        """The value of one indicator, area and year, or None when there is none."""
        row = self.row(indicator_id, area, year)
        return None if row is None else row["value"]

    def series(self, indicator_id: str, area: AreaKey) -> dict[int, float | None]:
        """Value per year for one indicator and area."""
        return {
            year: row["value"]
            for year in self.results.years
            if (row := self.row(indicator_id, area, year)) is not None
        }

    def rows_over_years(
        self, indicator_id: str, area: AreaKey, years: tuple[int, ...]
    ) -> tuple[dict[str, Any] | None, ...]:
        """The rows of one indicator and area for ``years`` (None where a year has none)."""
        return tuple(self.row(indicator_id, area, year) for year in years)

    def indicator_years(self, indicator_id: str) -> tuple[int, ...]:
        """The years in which the indicator has rows for the country, oldest first."""
        return tuple(
            y
            for y in self.results.years
            if (row := self.row(indicator_id, self.country, y)) is not None
            and row["flag"] != "not_available"
        )

    def period(self, indicator: Indicator, year: int) -> str:
        """The years a value covers: '2024', or '2020–2024' when pooled or a change."""
        return aar_interval(self.period_years(indicator, year))

    def period_years(self, indicator: Indicator, year: int) -> tuple[int, ...]:
        """The data years behind the value of ``year``: the pooled years of a life
        expectancy, the years a change spans, else the year itself (the catalogue's params)."""
        settings = indicator.settings
        if isinstance(settings, ChangeParams):
            window = settings.max_years
        elif (pooled := self.pool_years(indicator)) is not None:
            window = pooled
        else:
            return (year,)
        return tuple(y for y in self.results.years if y <= year)[-window:]

    @staticmethod
    def pool_years(indicator: Indicator) -> int | None:
        """How many years one value pools (life expectancy), or None for a yearly value."""
        settings = indicator.settings
        return settings.pool_years if isinstance(settings, LifeExpectancyParams) else None

    def has(self, indicator_id: str) -> bool:
        """Whether the results hold any published row of the indicator."""
        return any(
            key[0] == indicator_id and row["flag"] != "not_available"
            for key, row in self._rows.items()
        )

    def peer_values(self, indicator_id: str, year: int | None = None) -> list[float]:
        """The published values of every peer area (the areas of the cluster's kind) in
        ``year``, sorted: the range the spine chart shows."""
        frame = self.results.indicators.filter(
            pl.col("indicator_id") == indicator_id,
            pl.col("area_level") == self.cluster.level,
            pl.col("year") == (year or self.last_year),
            pl.col("value").is_not_null(),
        )
        return sorted(frame["value"].to_list())

    @property
    def peer_total(self) -> int:
        """How many peer areas there are, with or without a value."""
        return len(self.geography.klynger)

    @property
    def peer_plural(self) -> str:
        """The peer areas in plural: 'klynger'."""
        return "klynger"

    @property
    def covered_kommuner(self) -> frozenset[int]:
        """The municipalities the extract covers (with persons in the population register)."""
        if self.results.coverage is not None:
            return frozenset(self.results.coverage.kommuner)
        frame = self.results.population.filter(pl.col("area_level") == "kommune")
        return frozenset(int(code) for code in frame["area_code"].unique().to_list())

    @property
    def level(self) -> float:
        """The confidence level of every interval (0.95 unless the results say otherwise)."""
        return self.results.settings.level

    @property
    def level_text(self) -> str:
        """The confidence level as the reader sees it: '95 %'."""
        return niveau(self.level)

    def footnote(self, flag: str) -> str:
        """The footnote that explains the label of a value not shown with ``flag``."""
        return flag_footnote(flag, self.threshold, too_few_rule(self.catalogue))

    @property
    def trend_level_text(self) -> str:
        """The level at which a trend is called significant, as the reader sees it: '99,8 %'."""
        return niveau(self.results.settings.trend_level)


_DANISH_ORDER = str.maketrans({"æ": "{", "ø": "|", "å": "}", "Æ": "{", "Ø": "|", "Å": "}"})


def danish_sort_key(name: str) -> str:
    """Sort key that puts æ, ø, å after z, as Danish readers expect (aa counts as å)."""
    return name.lower().replace("aa", "å").translate(_DANISH_ORDER)
