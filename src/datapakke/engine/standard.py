"""Standard populations: the weights ``w_i`` of direct standardisation.

One standard for every year of a series, so that a standardised rate changes only when
the area's own rates do. ``national``: the country's population of one year (the
latest in the data unless chosen) by age band and sex; an indicator's weights are its
own strata's country counts in that year (the population of its group, or the
sub-population it is counted among), so in that year the country's standardised rate
equals its crude rate. ``esp2013``: the European Standard Population 2013 by age band,
sexes pooled. An indicator restricted to an age group uses only its strata; a band
only partly inside the group (15-19 for 0-17 years) keeps the part of its ESP weight
its covered years make up, and the total ``W`` is summed over the group's strata only.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import polars as pl

from datapakke.engine.aggregate import BOTH_SEXES
from datapakke.engine.catalogue import Indicator
from datapakke.engine.settings import ComputeSettings, Standard
from datapakke.engine.stats import ESP2013
from datapakke.engine.strata import BAND_WIDTH, OPEN_BAND_START
from datapakke.errors import InputError
from datapakke.numbers import aar_interval


def esp2013_fraction(band: int, age_min: int | None, age_max: int | None) -> float:
    """The share of band ``band``'s years inside the age group (the open band counts whole)."""
    start = band * BAND_WIDTH
    low = max(start, age_min or 0)
    if start >= OPEN_BAND_START:
        return 1.0 if age_max is None or age_max >= OPEN_BAND_START else 0.0
    high = min(start + BAND_WIDTH - 1, age_max if age_max is not None else start + BAND_WIDTH)
    return max(0, high - low + 1) / BAND_WIDTH


def esp2013_weights(indicators: list[Indicator]) -> pl.DataFrame:
    """ESP2013 weight per indicator and age band (sexes pooled), restricted to its group."""
    rows = [
        (indicator.id, band, BOTH_SEXES, weight * fraction)
        for indicator in indicators
        for band, weight in enumerate(ESP2013)
        if (fraction := esp2013_fraction(band, indicator.age_min, indicator.age_max)) > 0
    ]
    return pl.DataFrame(
        rows,
        schema={
            "indicator_id": pl.String,
            "stratum": pl.Int8,
            "koen": pl.String,
            "weight": pl.Float64,
        },
        orient="row",
    )


def standard_weights(
    strata: pl.LazyFrame,
    indicators: list[Indicator],
    standard: Standard,
    year: int | None,
    standard_strata: pl.LazyFrame | None = None,
) -> pl.LazyFrame:
    """``indicator_id, year, stratum, koen, weight`` for the standardised indicators.

    ``strata`` are the rolled-up strata of those indicators; the national standard is
    the country rows' ``n`` in the standard ``year`` of ``standard_strata`` (the single
    years' strata; default ``strata``), the same weights for every year.
    """
    years = strata.select("indicator_id", "year").unique()
    if standard == "national":
        source = strata if standard_strata is None else standard_strata
        weights = source.filter(
            pl.col("area_level") == "land", pl.col("year").eq_missing(year)
        ).select("indicator_id", "stratum", "koen", weight=pl.col("n").cast(pl.Float64))
    else:
        weights = esp2013_weights(indicators).lazy()
    return years.join(weights, on="indicator_id", how="inner")


def with_standard_year(settings: ComputeSettings, years: Sequence[int]) -> ComputeSettings:
    """``settings`` with the national standard's year: the one chosen, else the latest data
    year. Raises InputError for a year the data do not hold."""
    if settings.standard != "national" or not years:
        return settings
    year = settings.standard_year if settings.standard_year is not None else max(years)
    if year not in years:
        raise InputError(
            f"The standard population's year {year} is not in the data "
            f"({aar_interval(sorted(years))}).",
            hint="Name one of the data years (--standard national:YEAR), or leave the year "
            "out to use the latest.",
        )
    return dataclasses.replace(settings, standard_year=year)


def standard_description(standard: Standard, year: int | None) -> str:
    """The standard population in Danish, for method texts (with its year)."""
    if standard == "esp2013":
        return "europæisk standardbefolkning 2013 (ESP2013) efter 5-års aldersgrupper"
    return (
        f"landets befolkning (for rater blandt en delgruppe: landets personer i delgruppen) "
        f"pr. 1. januar {year} efter køn og 5-års aldersgrupper, den samme for alle år"
    )
