"""Pooled figures: the latest years of an indicator together, for areas whose single
years are too small to publish (catalogue ``pool_small_areas``, as FHI pools 3-7 years).

A pooled row counts the events and persons (person-years) of the years ``first_year``
.. ``year`` together and is computed by the indicator's own method from the summed
strata; a standardised rate keeps the standard of the single years (the country's
population in the standard's year), so it is a rate per person-year on the same
scale. Pooled rows go through disclosure control with the single years (a pooled
count is the sum of its years: ``equations.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import polars as pl

from datapakke.engine.aggregate import AREA, STRATUM
from datapakke.engine.catalogue import Indicator
from datapakke.engine.estimates import ESTIMATE_SCHEMA
from datapakke.engine.methods import ESTIMATORS, MethodInput
from datapakke.engine.settings import ComputeSettings

# The columns a pooled row has beyond the IndicatorTable's (``year`` is the last year).
POOLED_COLUMNS: Final = pl.Schema({"first_year": pl.Int32(), "period": pl.String()})
# What ``pooled_rows`` returns: the estimators' rows and the first pooled year.
POOLED_ESTIMATES: Final = pl.Schema({**ESTIMATE_SCHEMA, "first_year": pl.Int32()})


def period_label(first_year: pl.Expr, last_year: pl.Expr) -> pl.Expr:
    """How a reader sees a pooled period: '2020-2024 samlet'."""
    return pl.format("{}-{} samlet", first_year, last_year)


def pool_window(years: Sequence[int], length: int) -> tuple[int, int] | None:
    """The latest ``length`` data years (fewer when the data are shorter) as (first,
    last); None when fewer than two years could be pooled."""
    chosen = sorted(years)[-length:]
    return (chosen[0], chosen[-1]) if len(chosen) >= 2 else None


def pooled_rows(
    strata: pl.DataFrame,
    indicators: Sequence[Indicator],
    years: Sequence[int],
    settings: ComputeSettings,
) -> pl.LazyFrame:
    """The pooled rows (estimator schema plus ``first_year``) of the indicators with
    ``pool_small_areas``, from the rolled-up, sorted strata of the single years."""
    windows = {
        i.id: window
        for i in indicators
        if i.pool_small_areas is not None
        and (window := pool_window(years, i.pool_small_areas)) is not None
    }
    if not windows:
        return pl.LazyFrame(schema=POOLED_ESTIMATES)
    spans = pl.DataFrame(
        {
            "indicator_id": list(windows),
            "first_year": [w[0] for w in windows.values()],
            "last_year": [w[1] for w in windows.values()],
        },
        schema={"indicator_id": pl.String, "first_year": pl.Int32, "last_year": pl.Int32},
    )
    keys = ["indicator_id", *AREA, *STRATUM]
    pooled = (
        strata.join(spans, on="indicator_id")
        .filter(pl.col("year").is_between(pl.col("first_year"), pl.col("last_year")))
        .group_by(keys)
        .agg(pl.col("x").sum(), pl.col("n").sum(), year=pl.col("last_year").first())
        # The methods' float sums run over the strata in one fixed order.
        .sort(keys)
        .select("indicator_id", *AREA, "year", *STRATUM, "x", "n")
    )
    parts = []
    chosen = [i for i in indicators if i.id in windows]
    for method in sorted({i.method for i in chosen}):
        of_method = [i for i in chosen if i.method == method]
        subset = pooled.filter(pl.col("indicator_id").is_in([i.id for i in of_method]))
        given = MethodInput(
            subset.lazy(),
            of_method,
            settings,
            subset.lazy().select("year").unique().sort("year"),
            standard_strata=strata.lazy(),
        )
        parts.append(ESTIMATORS[method](given))
    return (
        pl.concat(parts)
        .join(spans.lazy().select("indicator_id", "first_year"), on="indicator_id")
        .select(pl.col(n).cast(t) for n, t in POOLED_ESTIMATES.items())
    )
