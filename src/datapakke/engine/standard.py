"""Standard populations: the weights ``w_i`` of direct standardisation.

``national``: the country's own population of the same year by age band and sex
(then the country's standardised rate equals its crude rate). ``esp2013``: the
European Standard Population 2013 by age band, sexes pooled. An indicator
restricted to an age group uses only its strata; a band only partly inside the
group (15-19 for 0-17 years) keeps the part of its ESP weight its covered years
make up, and the total ``W`` is summed over the group's strata only.
"""

from __future__ import annotations

import polars as pl

from datapakke.engine.aggregate import BOTH_SEXES
from datapakke.engine.catalogue import Indicator
from datapakke.engine.settings import Standard
from datapakke.engine.stats import ESP2013
from datapakke.engine.strata import BAND_WIDTH, OPEN_BAND_START


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
    strata: pl.LazyFrame, indicators: list[Indicator], standard: Standard
) -> pl.LazyFrame:
    """``indicator_id, year, stratum, koen, weight`` for the standardised indicators.

    ``strata`` are the rolled-up strata of those indicators; the national standard is
    their country rows' ``n`` (the population of the group), so it needs no other input.
    """
    if standard == "national":
        return strata.filter(pl.col("area_level") == "land").select(
            "indicator_id", "year", "stratum", "koen", weight=pl.col("n").cast(pl.Float64)
        )
    years = strata.select("indicator_id", "year").unique()
    return years.join(esp2013_weights(indicators).lazy(), on="indicator_id", how="inner")
