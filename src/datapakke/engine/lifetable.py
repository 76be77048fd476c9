"""Life expectancy at birth per area and year, from deaths and population pooled over years.

The value for year Y pools the data years Y - pool_years + 1 .. Y; the pooled
population on 1 January is the person-years P_x. The life table itself is
``stats.life_expectancy_at_birth`` (Chiang II). The pooled deaths are not
published as the numerator: they are sums of the yearly death counts (and of the
two sexes), so showing them could give back a suppressed yearly count.
"""

from __future__ import annotations

import polars as pl

from datapakke.engine import stats
from datapakke.engine.catalogue import Indicator
from datapakke.engine.estimates import KEYS, finish
from datapakke.engine.params import LifeExpectancyParams
from datapakke.engine.sources import params_of


def pooling_windows(indicators: list[Indicator], years: pl.LazyFrame) -> pl.LazyFrame:
    """``indicator_id, year, pooled_year``: which data years make up each year's table."""
    pools = pl.LazyFrame(
        {
            "indicator_id": [i.id for i in indicators],
            "pool_years": [params_of(i, LifeExpectancyParams).pool_years for i in indicators],
            "min_deaths": [params_of(i, LifeExpectancyParams).min_deaths for i in indicators],
        },
        schema={"indicator_id": pl.String, "pool_years": pl.Int32, "min_deaths": pl.Int64},
    )
    pooled = years.select(pooled_year="year")
    return (
        pools.join(years, how="cross")
        .join(pooled, how="cross")
        .filter(
            pl.col("pooled_year") <= pl.col("year"),
            pl.col("pooled_year") > pl.col("year") - pl.col("pool_years"),
        )
    )


def life_expectancy(
    strata: pl.LazyFrame, indicators: list[Indicator], years: pl.LazyFrame, level: float
) -> pl.LazyFrame:
    """Life expectancy at birth with Chiang's interval; ``too_few`` below ``min_deaths``."""
    windows = pooling_windows(indicators, years)
    pooled = (
        strata.rename({"year": "pooled_year"})
        .join(windows, on=["indicator_id", "pooled_year"], how="inner")
        .group_by(*KEYS, "stratum")
        .agg(
            deaths=pl.col("x").sum(),
            persons=pl.col("n").sum(),
            min_deaths=pl.col("min_deaths").first(),
        )
    )
    # Every band must be present for the table; a band nobody lived in has 0 person-years.
    groups = pooled.select(*KEYS, "min_deaths").unique()
    bands = pl.LazyFrame({"band": range(stats.LIFE_TABLE_BANDS)}, schema={"band": pl.Int8})
    complete = (
        groups.join(bands, how="cross")
        .join(
            pooled.rename({"stratum": "band"}).drop("min_deaths"),
            on=[*KEYS, "band"],
            how="left",
        )
        .with_columns(pl.col("deaths").fill_null(0), pl.col("persons").fill_null(0))
        # A fixed row order: the variance is a float sum over the bands.
        .sort(*KEYS, "band")
    )
    table = stats.life_expectancy_at_birth(complete, list(KEYS))
    totals = complete.group_by(*KEYS).agg(
        deaths=pl.col("deaths").sum(),
        denominator=pl.col("persons").sum(),
        min_deaths=pl.col("min_deaths").first(),
    )
    lower, upper = stats.normal_interval(pl.col("e0"), pl.col("e0_variance"), level)
    rows = totals.join(table, on=list(KEYS), how="left").with_columns(
        value=pl.col("e0"), lower=lower, upper=upper
    )
    flag = (
        pl.when(pl.col("deaths") < pl.col("min_deaths"))
        .then(pl.lit("too_few"))
        .when(~pl.col("complete") | pl.col("e0").is_null() | ~pl.col("e0").is_finite())
        .then(pl.lit("not_available"))
        .otherwise(pl.lit("ok"))
    )
    return finish(rows, flag)
