"""Population indicators from the population register: counts, age shares, development.

These are public statistics (methods.md: population counts are not suppressed),
full counts with no sampling error, so they carry no interval and no comparison.
"""

from __future__ import annotations

import polars as pl

from datapakke.indicators.strata import with_age

THEME = "populationsoverblik"
MAX_DEVELOPMENT_YEARS = 10
_AREA = ("area_level", "area_code", "area_name")


def population_by_stratum(befolkning: pl.LazyFrame) -> pl.LazyFrame:
    """Persons per municipality, year, age band and sex."""
    return (
        with_age(befolkning)
        .group_by("kommunekode", "aar", "aldersgruppe", "koen")
        .agg(personer=pl.len().cast(pl.Int64))
    )


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


def population_indicators(structure: pl.LazyFrame) -> pl.LazyFrame:
    """folketal, andel_65plus, andel_80plus per area and year; folketal_udvikling per area."""
    totals = structure.group_by(*_AREA, "year").agg(
        alle=pl.col("personer").sum(),
        over_65=pl.col("personer").filter(pl.col("aldersgruppe") >= 65 // 5).sum(),
        over_80=pl.col("personer").filter(pl.col("aldersgruppe") >= 80 // 5).sum(),
    )
    folketal = totals.select(
        *_AREA,
        "year",
        indicator_id=pl.lit("folketal"),
        numerator=pl.col("alle"),
        value=pl.col("alle").cast(pl.Float64),
        unit=pl.lit("persons"),
    )
    shares = [
        totals.select(
            *_AREA,
            "year",
            indicator_id=pl.lit(indicator_id),
            numerator=pl.col(column),
            denominator=pl.col("alle"),
            value=100.0 * pl.col(column) / pl.col("alle"),
            unit=pl.lit("percent"),
        )
        for indicator_id, column in (("andel_65plus", "over_65"), ("andel_80plus", "over_80"))
    ]
    return pl.concat(
        [folketal, *shares, _development(totals)], how="diagonal_relaxed"
    ).with_columns(theme=pl.lit(THEME))


def _development(totals: pl.LazyFrame) -> pl.LazyFrame:
    """Per cent change in population from the first to the last year (at most 10 years apart)."""
    last_year = pl.col("year").max()
    window = totals.filter(pl.col("year") >= last_year - (MAX_DEVELOPMENT_YEARS - 1))
    return (
        window.sort("year")
        .group_by(*_AREA)
        .agg(
            year=pl.col("year").last(),
            first=pl.col("alle").first(),
            last=pl.col("alle").last(),
            years=pl.len(),
        )
        .filter(pl.col("years") >= 2)
        .select(
            *_AREA,
            "year",
            indicator_id=pl.lit("folketal_udvikling"),
            numerator=pl.col("last") - pl.col("first"),
            denominator=pl.col("first"),
            value=100.0 * (pl.col("last") - pl.col("first")) / pl.col("first"),
            unit=pl.lit("percent"),
        )
    )
