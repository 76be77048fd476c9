"""One area's slice of the computed results, with lookups the section builders share.

A pack is about one area of any level: an area of the set (a cluster, a council), a
municipality or a region. It shows the area's parts side by side (the municipalities of
a cluster, the clusters of a region; none for a municipality), the wider areas it lies
in (a municipality's cluster and region, a cluster's region) and the country, and it
places the area among its peers: every area of its own level.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import polars as pl

from datapakke.engine.catalogue import Catalogue, Indicator
from datapakke.engine.compute import Results
from datapakke.engine.params import ChangeParams, LifeExpectancyParams
from datapakke.geography import COUNTRY_CODE, COUNTRY_NAME, Area, AreaKey, AreaWords, Geography
from datapakke.numbers import aar_interval, niveau
from datapakke.pack.labels import DEFAULT_THRESHOLD, flag_footnote, too_few_rule
from datapakke.pack.text import join_names

__all__ = ["AreaKey", "PackContext", "danish_sort_key"]


@dataclass(frozen=True)
class PackContext:
    """The pack's area, its parts, the areas around it and the country, and their rows."""

    geography: Geography
    area: AreaKey
    results: Results
    catalogue: Catalogue
    threshold: int = DEFAULT_THRESHOLD
    indicators: pl.DataFrame = field(init=False)
    population: pl.DataFrame = field(init=False)
    _rows: dict[tuple[str, str, str, int], dict[str, Any]] = field(init=False, repr=False)
    _latest: dict[str, int] = field(init=False, repr=False)
    _pooled: dict[tuple[str, str, str], dict[str, Any]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        # The maps show municipalities the charts do not (a region's, a council's): their
        # rows are part of the slice too.
        sliced = (*self.areas, *self.map_kommuner)
        keys = pl.DataFrame(
            {
                "area_level": [a.level for a in sliced],
                "area_code": [a.code for a in sliced],
            }
        ).unique(maintain_order=True)
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
        # An indicator's latest year: a survey may end before the registers' last year.
        latest: dict[str, int] = {}
        for (indicator_id, level, _code, year), row in self._rows.items():
            if level == "land" and row["flag"] != "not_available":
                latest[indicator_id] = max(year, latest.get(indicator_id, year))
        object.__setattr__(self, "_latest", latest)
        pooled = self.results.pooled.join(keys, on=keys.columns, how="semi")
        object.__setattr__(
            self,
            "_pooled",
            {
                (r["indicator_id"], r["area_level"], r["area_code"]): r
                for r in pooled.iter_rows(named=True)
            },
        )

    @property
    def words(self) -> AreaWords:
        """The Danish words for the pack's area: 'klyngen', 'rådet', 'kommunen', 'regionen'."""
        return self.geography.words(self.area.level)

    @property
    def part_words(self) -> AreaWords:
        """The words for the parts: 'kommuner' of a cluster, 'klynger' of a region."""
        level = self.geography.level if self.area.level == "region" else "kommune"
        return self.geography.words(level)

    @property
    def kommuner(self) -> tuple[AreaKey, ...]:
        """The area's municipalities, alphabetically (Danish order: æ, ø, å last)."""
        return _sorted(self.geography.key("kommune", str(k)) for k in self._kommunekoder)

    @property
    def _kommunekoder(self) -> tuple[int, ...]:
        level, code = self.area.level, self.area.code
        if level == "kommune":
            return (int(code),)
        if level == "region":
            return self.geography.regioner[int(code)].kommunekoder
        return self.geography.areas[code].kommunekoder

    @property
    def map_kommuner(self) -> tuple[AreaKey, ...]:
        """The municipalities the maps show: the area's, or a municipality's council's."""
        if self.area.level == "kommune":
            around = self.geography.area_of(int(self.area.code))
            return tuple(self.geography.key("kommune", str(c)) for c in around.kommunekoder)
        return self.kommuner

    @property
    def parts(self) -> tuple[AreaKey, ...]:
        """The areas shown side by side with the pack's area; none when it has only one.

        A cluster's (or council's) municipalities, a region's clusters (or councils).
        """
        level, code = self.area.level, self.area.code
        if level == "kommune":
            return ()
        if level == "region":
            region = self.geography.regioner[int(code)]
            parts = _sorted(self.geography.key_of(a) for a in self.geography.areas_in(region))
        else:
            parts = self.kommuner
        return parts if len(parts) > 1 else ()

    @property
    def parents(self) -> tuple[AreaKey, ...]:
        """The wider areas the pack's area lies in, smallest first (not the country)."""
        level, code = self.area.level, self.area.code
        if level == "kommune":
            area = self.geography.area_of(int(code))
            return (
                self.geography.key_of(area),
                self.region_key(self.geography.region_of_kommune(int(code)).kode),
            )
        if level == "region":
            return ()
        return (self.region_key(self.geography.areas[code].regionskode),)

    def region_key(self, code: int) -> AreaKey:
        """A region of the set as an area."""
        return self.geography.key("region", str(code))

    @property
    def set_area(self) -> Area | None:
        """The area of the set the pack is about, or that its municipality lies in."""
        if self.area.level == "kommune":
            return self.geography.area_of(int(self.area.code))
        if self.area.level == "region":
            return None
        return self.geography.areas[self.area.code]

    @property
    def region_area(self) -> AreaKey:
        """The region the pack's area lies in (a region pack's own area)."""
        return self.parents[-1] if self.parents else self.area

    @property
    def country(self) -> AreaKey:
        """The whole country."""
        return AreaKey("land", COUNTRY_CODE, COUNTRY_NAME)

    @property
    def areas(self) -> tuple[AreaKey, ...]:
        """Every area the pack shows: parts, the area, the areas around it, the country."""
        return (*self.parts, self.area, *self.parents, self.country)

    @property
    def shown_phrase(self) -> str:
        """'kommunerne, klyngen og regionen': what the comparison charts show, in words."""
        words = [self.part_words.flertal_bestemt] if self.parts else []
        words.append(self.words.bestemt)
        words += [self.geography.words(p.level).bestemt for p in self.parents]
        return join_names(words)

    @property
    def last_year(self) -> int:
        """The last year in the data."""
        return self.results.years[-1]

    def latest_year(self, indicator_id: str) -> int:
        """The indicator's latest year with data for the country: the data's last year,
        or earlier for one given for some years only (a survey); the last year if none."""
        return self._latest.get(indicator_id, self.last_year)

    def row(
        self, indicator_id: str, area: AreaKey, year: int | None = None
    ) -> dict[str, Any] | None:
        """The IndicatorTable row of one indicator, area and year (default: the indicator's
        latest year)."""
        return self._rows.get(
            (indicator_id, area.level, area.code, year or self.latest_year(indicator_id))
        )

    def pooled_row(self, indicator_id: str, area: AreaKey) -> dict[str, Any] | None:
        """The published pooled row of one indicator and area (the latest years together,
        ``Results.pooled``), or None when there is none."""
        return self._pooled.get((indicator_id, area.level, area.code))

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

    def pool_years(self, indicator: Indicator) -> int | None:
        """How many years one value pools (life expectancy, an aggregate input given by
        period), or None for a yearly value."""
        settings = indicator.settings
        if isinstance(settings, LifeExpectancyParams):
            return settings.pool_years
        return self.results.periods.get(indicator.id)

    def has(self, indicator_id: str) -> bool:
        """Whether the results hold any published row of the indicator."""
        return any(
            key[0] == indicator_id and row["flag"] != "not_available"
            for key, row in self._rows.items()
        )

    def peer_values(self, indicator_id: str, year: int | None = None) -> list[float]:
        """The published value of every area of the pack's level in ``year``, sorted (the
        range the spine chart shows); areas without a value are left out."""
        frame = self.results.indicators.filter(
            pl.col("indicator_id") == indicator_id,
            pl.col("area_level") == self.area.level,
            pl.col("year") == (year or self.last_year),
            pl.col("value").is_not_null(),
        )
        return sorted(frame["value"].to_list())

    @property
    def peer_total(self) -> int:
        """How many areas the geography has at the pack's level (98 municipalities, ...),
        with or without a value."""
        level = self.area.level
        if level == "kommune":
            return len(self.geography.kommuner)
        if level == "region":
            return len(self.geography.regioner)
        return len(self.geography.areas)

    @property
    def peer_plural(self) -> str:
        """The peer areas in plural: 'klynger', 'sundhedsråd', 'kommuner', 'regioner'."""
        return self.words.flertal

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


def _sorted(areas: Any) -> tuple[AreaKey, ...]:
    return tuple(sorted(areas, key=lambda a: danish_sort_key(a.name)))


_DANISH_ORDER = str.maketrans({"æ": "{", "ø": "|", "å": "}", "Æ": "{", "Ø": "|", "Å": "}"})


def danish_sort_key(name: str) -> str:
    """Sort key that puts æ, ø, å after z, as Danish readers expect (aa counts as å)."""
    return name.lower().replace("aa", "å").translate(_DANISH_ORDER)
