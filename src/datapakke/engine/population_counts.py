"""Population kinds from the population register: counts, age-group shares, development.

These are public statistics (methods.md: population counts are not suppressed),
full counts with no sampling error, so they carry no interval and no comparison.
``population_structure`` is the data of the population pyramid.
"""

from __future__ import annotations

import polars as pl

from datapakke.engine.sources import Counts, IndicatorView, Sources
from datapakke.engine.strata import age_band, with_age

# The default window of ``folketal_udvikling`` (the catalogue's ``max_years``).
MAX_DEVELOPMENT_YEARS = 10
_AREA = ("area_level", "area_code", "area_name")


def population_count(sources: Sources, indicator: IndicatorView) -> Counts:
    """Persons in the group (``folketal``); also the basis of ``population_change``."""
    return Counts(numerator=sources.population_in(indicator).rename({"n": "x"}), denominator=None)


def population_share(sources: Sources, indicator: IndicatorView) -> Counts:
    """Persons in the age group out of all persons (of the indicator's sex, if any)."""
    everyone = sources.population.lazy()
    if indicator.sex is not None:
        everyone = everyone.filter(pl.col("koen") == indicator.sex)
    return Counts(
        numerator=sources.population_in(indicator).rename({"n": "x"}), denominator=everyone
    )


def population_by_stratum(befolkning: pl.LazyFrame) -> pl.LazyFrame:
    """Persons per municipality, year, age band and sex."""
    return (
        with_age(befolkning)
        .group_by("kommunekode", "aar", "aldersgruppe", "koen")
        .agg(personer=pl.len().cast(pl.Int64))
    )


def population_by_band(population: pl.LazyFrame) -> pl.LazyFrame:
    """``Sources.population`` (single years of age) as persons per age band, like
    :func:`population_by_stratum`, without reading ``befolkning`` a second time."""
    return population.group_by(
        "kommunekode", aar="year", aldersgruppe=age_band(pl.col("alder")), koen="koen"
    ).agg(personer=pl.col("n").sum().cast(pl.Int64))


def roll_up(
    by_kommune: pl.LazyFrame, membership: pl.DataFrame, keys: list[str], sums: list[str]
) -> pl.LazyFrame:
    """Sum per-municipality columns ``sums`` to every area containing the municipality."""
    return (
        by_kommune.join(membership.lazy(), on="kommunekode")
        .group_by(*_AREA, *keys)
        .agg(pl.col(c).sum() for c in sums)
    )


def population_structure(strata: pl.LazyFrame, membership: pl.DataFrame) -> pl.LazyFrame:
    """Persons per area, year, age band and sex (the data of the population pyramid)."""
    return roll_up(strata, membership, ["aar", "aldersgruppe", "koen"], ["personer"]).rename(
        {"aar": "year"}
    )
