"""Run every indicator for every area and year in one pass over the extract."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from datapakke.extracts.read import Extract
from datapakke.geography import Geography
from datapakke.indicators.population import (
    population_by_stratum,
    population_indicators,
    population_structure,
)
from datapakke.indicators.table import AREA_LEVEL_ORDER, conform


@dataclass(frozen=True)
class Results:
    """Everything a pack or an export is drawn from.

    ``indicators`` is the IndicatorTable; ``population`` holds persons per area,
    year, age band and sex (public register counts, for the population pyramid).
    """

    indicators: pl.DataFrame
    population: pl.DataFrame
    years: tuple[int, ...]


def compute(extract: Extract, geography: Geography) -> Results:
    """Compute the IndicatorTable and the population structure for every area and year."""
    membership = geography.membership()
    structure = population_structure(population_by_stratum(extract.table("befolkning")), membership)
    indicators = conform(population_indicators(structure)).sort(
        "indicator_id",
        pl.col("area_level").replace_strict(AREA_LEVEL_ORDER),
        "area_code",
        "year",
    )
    indicator_table, population = pl.collect_all(
        [indicators, structure.sort("area_level", "area_code", "year", "aldersgruppe", "koen")]
    )
    years = tuple(sorted(population.get_column("year").unique().to_list()))
    return Results(indicators=indicator_table, population=population, years=years)
