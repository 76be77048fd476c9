"""Life expectancy at birth per area and year, from deaths and population pooled over years.

Every value of a series pools the same number of data years, ``w = min(pool_years,
number of data years)``: the value for year Y pools Y - w + 1 .. Y, and only years with a
whole window have a value (the first w - 1 data years have none), so a series is of
rolling windows of one length ("2016-2020", "2017-2021", ...). The pooled population on
1 January is the person-years P_x. The life table itself is
``stats.life_expectancy_at_birth`` (Chiang II, with Silcocks' open-band variance).

A value is published (as England's calculator does) with at least ``min_deaths`` pooled
deaths and ``min_person_years`` person-years, and a 95 % interval no wider than
``MAX_INTERVAL_YEARS``; else it is ``too_few``. The pooled deaths are not published as
the numerator: they are sums of the yearly death counts (and of the two sexes), so
showing them could give back a suppressed yearly count.
"""

from __future__ import annotations

from typing import Final

import polars as pl

from datapakke.engine import stats
from datapakke.engine.catalogue import Indicator
from datapakke.engine.estimates import KEYS, finish
from datapakke.engine.params import LifeExpectancyParams
from datapakke.engine.sources import params_of

# A life expectancy whose 95 % interval is wider than this many years is not shown.
MAX_INTERVAL_YEARS: Final = 20.0


def pooling_windows(indicators: list[Indicator], years: pl.LazyFrame) -> pl.LazyFrame:
    """``indicator_id, year, pooled_year`` and the publication rules: which data years make
    up each year's table (only years with a whole window of the series' length)."""
    params = [params_of(i, LifeExpectancyParams) for i in indicators]
    rules = pl.LazyFrame(
        {
            "indicator_id": [i.id for i in indicators],
            "pool_years": [p.pool_years for p in params],
            "min_deaths": [p.min_deaths for p in params],
            "min_person_years": [p.min_person_years for p in params],
        },
        schema={
            "indicator_id": pl.String,
            "pool_years": pl.Int32,
            "min_deaths": pl.Int64,
            "min_person_years": pl.Int64,
        },
    )
    span = years.select(first=pl.col("year").min(), count=pl.len().cast(pl.Int32))
    windows = (
        rules.join(span, how="cross")
        .with_columns(length=pl.min_horizontal("pool_years", "count"))
        .join(years, how="cross")
        .filter(pl.col("year") - pl.col("length") + 1 >= pl.col("first"))
    )
    return windows.join(years.select(pooled_year="year"), how="cross").filter(
        pl.col("pooled_year") <= pl.col("year"),
        pl.col("pooled_year") > pl.col("year") - pl.col("length"),
    )


def life_expectancy(
    strata: pl.LazyFrame, indicators: list[Indicator], years: pl.LazyFrame, level: float
) -> pl.LazyFrame:
    """Life expectancy at birth with its interval; ``too_few`` below the publication rules."""
    rules = ["min_deaths", "min_person_years"]
    windows = pooling_windows(indicators, years)
    pooled = (
        strata.rename({"year": "pooled_year"})
        .join(windows, on=["indicator_id", "pooled_year"], how="inner")
        .group_by(*KEYS, "stratum")
        .agg(
            *(pl.col(r).first() for r in rules),
            deaths=pl.col("x").sum(),
            persons=pl.col("n").sum(),
        )
    )
    # Every band must be present for the table; a band nobody lived in has 0 person-years.
    groups = pooled.select(*KEYS, *rules).unique()
    bands = pl.LazyFrame({"band": range(stats.LIFE_TABLE_BANDS)}, schema={"band": pl.Int8})
    complete = (
        groups.join(bands, how="cross")
        .join(pooled.rename({"stratum": "band"}).drop(rules), on=[*KEYS, "band"], how="left")
        .with_columns(pl.col("deaths").fill_null(0), pl.col("persons").fill_null(0))
        # A fixed row order: the variance is a float sum over the bands.
        .sort(*KEYS, "band")
    )
    table = stats.life_expectancy_at_birth(complete, list(KEYS))
    totals = complete.group_by(*KEYS).agg(
        *(pl.col(r).first() for r in rules),
        deaths=pl.col("deaths").sum(),
        denominator=pl.col("persons").sum(),
    )
    lower, upper = stats.normal_interval(pl.col("e0"), pl.col("e0_variance"), level)
    low95, high95 = stats.normal_interval(pl.col("e0"), pl.col("e0_variance"))
    rows = totals.join(table, on=list(KEYS), how="left").with_columns(
        value=pl.col("e0"), lower=lower, upper=upper
    )
    undefined = ~pl.col("complete") | ~pl.col("e0").is_finite() | ~pl.col("upper").is_finite()
    flag = (
        pl.when(
            (pl.col("deaths") < pl.col("min_deaths"))
            | (pl.col("denominator") < pl.col("min_person_years"))
        )
        .then(pl.lit("too_few"))
        .when(undefined.fill_null(value=True))
        .then(pl.lit("not_available"))
        .when(high95 - low95 > MAX_INTERVAL_YEARS)
        .then(pl.lit("too_few"))
        .otherwise(pl.lit("ok"))
    )
    return finish(rows, flag)
