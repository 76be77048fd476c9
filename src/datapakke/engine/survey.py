"""Survey estimates for every area: the published values, and for an area the publisher
does not cover (a cluster, a council) the population-weighted mean of its
municipalities' estimates with the interval of that mean (the survey draws its sample
municipality by municipality, so their errors are independent).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import polars as pl
from scipy.special import ndtri

from datapakke.engine.catalogue import Indicator
from datapakke.engine.params import SurveyParams
from datapakke.engine.published import PUBLISHED_LEVEL, Published


def survey_rows(
    published: Published,
    indicators: Sequence[Indicator],
    membership: pl.DataFrame,
    weights: pl.DataFrame,
    level: float,
) -> pl.LazyFrame:
    """The survey indicators' rows for every area: published values, and for an area
    without one the population-weighted mean of its municipalities' values.

    ``weights``: ``indicator_id, kommunekode, year, w`` (persons in the indicator's group).
    Intervals are given at ``level``: a published interval widened or narrowed about its
    value by the ratio of the levels' z (as published at the files' own 95 %), a derived
    one the value plus and minus its standard errors (never below 0, nor above 100 for
    a percentage).
    """
    chosen = [i.id for i in indicators if isinstance(i.settings, SurveyParams)]
    percent = [i.id for i in indicators if i.unit == "percent"]
    given = published.estimates.filter(pl.col("indicator_id").is_in(chosen))
    areas = membership.select("kommunekode", "area_level", "area_code", "area_name")
    municipal = given.filter(pl.col("area_level") == "kommune").select(
        "indicator_id",
        "year",
        "value",
        "se",
        "denominator",
        kommunekode=pl.col("area_code").cast(pl.Int32),
    )
    parts = (
        weights.join(areas, on="kommunekode")
        .filter(pl.col("area_level") != "kommune")
        .join(municipal, on=["indicator_id", "kommunekode", "year"], how="left")
    )
    # Float sums in a fixed order (a join's output order depends on the threads), the
    # same bits on any number of threads.
    derived = (
        parts.sort("indicator_id", "area_level", "area_code", "year", "kommunekode")
        .group_by("indicator_id", "area_level", "area_code", "year")
        .agg(
            complete=pl.col("value").is_not_null().all(),
            value=(pl.col("w") * pl.col("value")).sum() / pl.col("w").sum(),
            se=((pl.col("w") / pl.col("w").sum()) ** 2 * pl.col("se") ** 2).sum().sqrt(),
            denominator=pl.col("denominator").sum(),
            every_denominator=pl.col("denominator").is_not_null().all(),
        )
        .filter("complete")
        .with_columns(
            denominator=pl.when("every_denominator").then("denominator"),
            lower=pl.lit(None, dtype=pl.Float64),
            upper=pl.lit(None, dtype=pl.Float64),
        )
        .join(given, on=["indicator_id", "area_level", "area_code", "year"], how="anti")
        .select(given.columns)
    )
    z = float(ndtri(0.5 + level / 2))
    scale = z / float(ndtri(0.5 + PUBLISHED_LEVEL / 2))
    names = areas.select("area_level", "area_code", "area_name").unique()
    rows = pl.concat([given, derived]).join(names, on=["area_level", "area_code"])
    cap = pl.when(pl.col("indicator_id").is_in(percent)).then(100.0).otherwise(math.inf)
    return rows.lazy().select(
        "indicator_id",
        "area_level",
        "area_code",
        "area_name",
        pl.col("year").cast(pl.Int32),
        numerator=pl.lit(None, dtype=pl.Int64),
        denominator="denominator",
        value="value",
        lower=_bound("lower", -z, scale, cap),
        upper=_bound("upper", z, scale, cap),
        flag=pl.lit("ok"),
    )


def _bound(given: str, z: float, scale: float, cap: pl.Expr) -> pl.Expr:
    value = pl.col("value")
    published = value + (pl.col(given) - value) * scale
    return pl.coalesce(published, value + z * pl.col("se")).clip(0.0, cap)
