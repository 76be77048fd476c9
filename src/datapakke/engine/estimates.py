"""Area values from rolled-up strata: one branch per statistical method of the catalogue.

Each branch returns area rows with ``numerator, denominator, value, lower, upper``
and a provisional ``flag`` (``ok``, ``too_few`` or ``not_available``); disclosure
control, comparisons and trends come later, on the whole table.
"""

from __future__ import annotations

import polars as pl

from datapakke.engine import stats
from datapakke.engine.aggregate import AREA
from datapakke.engine.catalogue import Indicator
from datapakke.engine.settings import ComputeSettings
from datapakke.engine.standard import standard_weights
from datapakke.engine.table import INDICATOR_TABLE_SCHEMA

KEYS = ("indicator_id", *AREA, "year")
# The estimators' output: the contract's columns less those filled later (theme, unit,
# comparison, trend).
ESTIMATE_SCHEMA = pl.Schema(
    {
        name: dtype
        for name, dtype in INDICATOR_TABLE_SCHEMA.items()
        if name not in ("theme", "unit", "comparison", "trend")
    }
)


def finish(frame: pl.LazyFrame, flag: pl.Expr | None = None) -> pl.LazyFrame:
    """Conform a branch's rows; a row without a value is ``not_available`` unless flagged."""
    default = pl.when(pl.col("value").is_null() | pl.col("value").is_nan())
    flag_expr = default.then(pl.lit("not_available")).otherwise(pl.lit("ok"))
    if flag is not None:
        flag_expr = flag
    columns = [*frame.collect_schema().names(), "flag"]
    published = pl.col("flag") == "ok"
    return (
        frame.with_columns(flag=flag_expr)
        .with_columns(
            pl.when(published).then(pl.col(c)).alias(c)
            for c in ("value", "lower", "upper")
            if c in columns
        )
        .select(
            (pl.col(name) if name in columns else pl.lit(None)).cast(dtype).alias(name)
            for name, dtype in ESTIMATE_SCHEMA.items()
        )
    )


def _totals(strata: pl.LazyFrame) -> pl.LazyFrame:
    return strata.group_by(*KEYS).agg(numerator=pl.col("x").sum(), denominator=pl.col("n").sum())


def counts(strata: pl.LazyFrame) -> pl.LazyFrame:
    """A count (folketal): the value is the numerator; no denominator, no interval."""
    totals = _totals(strata).with_columns(
        denominator=pl.lit(None, dtype=pl.Int64), value=pl.col("numerator").cast(pl.Float64)
    )
    return finish(totals)


def full_shares(strata: pl.LazyFrame) -> pl.LazyFrame:
    """A share of a full count (andel 65+): per cent, no interval (no sampling error)."""
    totals = _totals(strata).with_columns(
        value=pl.when(pl.col("denominator") > 0).then(
            100.0 * pl.col("numerator") / pl.col("denominator")
        )
    )
    return finish(totals)


def shares(strata: pl.LazyFrame, level: float) -> pl.LazyFrame:
    """A share in per cent with Wilson's score interval."""
    value, lower, upper = stats.wilson_share(pl.col("numerator"), pl.col("denominator"), level)
    return finish(_totals(strata).with_columns(value=value, lower=lower, upper=upper))


def crude_rates(strata: pl.LazyFrame, multipliers: pl.DataFrame, level: float) -> pl.LazyFrame:
    """``k x / n`` with exact Poisson (x < 10) or Byar (x >= 10) limits."""
    totals = _totals(strata).join(multipliers.lazy(), on="indicator_id")
    value, lower, upper = stats.crude_rate(
        pl.col("numerator"), pl.col("denominator"), pl.col("multiplier"), level
    )
    return finish(totals.with_columns(value=value, lower=lower, upper=upper))


def changes(strata: pl.LazyFrame, windows: pl.DataFrame) -> pl.LazyFrame:
    """Per cent change from the first year of the window to each year.

    ``windows`` has ``indicator_id, max_years``; the window of year Y starts at the first
    data year after Y - max_years (the same start for every area, so the changes of the
    parts add up to the change of the total). Numerator: the change in persons;
    denominator: the persons in the first year (0 for an area without persons then).
    The first data year has nothing to compare with.
    """
    observed = _totals(strata).select(*KEYS, persons="numerator")
    # Every area in every data year: an area empty in one year has 0 persons then.
    totals = (
        observed.select("indicator_id", *AREA)
        .unique()
        .join(observed.select("year").unique(), how="cross")
        .join(observed, on=list(KEYS), how="left")
        .with_columns(pl.col("persons").fill_null(0))
    )
    data_years = totals.select(first_year="year").unique()
    starts = (
        totals.select("indicator_id", "year")
        .unique()
        .join(windows.lazy(), on="indicator_id")
        .join(data_years, how="cross")
        .filter(
            pl.col("first_year") < pl.col("year"),
            pl.col("first_year") > pl.col("year") - pl.col("max_years"),
        )
        .group_by("indicator_id", "year")
        .agg(pl.col("first_year").min())
    )
    first = totals.select(*KEYS[:-1], first_year="year", first="persons")
    rows = (
        totals.join(starts, on=["indicator_id", "year"], how="left")
        .join(first, on=[*KEYS[:-1], "first_year"], how="left")
        .with_columns(
            first=pl.when(pl.col("first_year").is_not_null()).then(pl.col("first").fill_null(0))
        )
        .select(
            *KEYS,
            numerator=pl.col("persons") - pl.col("first"),
            denominator=pl.col("first"),
            value=pl.when(pl.col("first") > 0).then(
                100.0 * (pl.col("persons") - pl.col("first")) / pl.col("first")
            ),
        )
    )
    return finish(rows)


def standardised_rates(
    strata: pl.LazyFrame,
    indicators: list[Indicator],
    multipliers: pl.DataFrame,
    settings: ComputeSettings,
    standard_strata: pl.LazyFrame | None = None,
) -> pl.LazyFrame:
    """Directly standardised rates with Dobson's interval; ``too_few`` below 10 events.

    The national standard comes from ``standard_strata`` (default: ``strata``)."""
    weights = standard_weights(
        strata, indicators, settings.standard, settings.standard_year, standard_strata
    )
    # Float sums in the strata's sorted order (kept through the join), the same bits
    # on any number of threads.
    weight_totals = (
        weights.sort("indicator_id", "year", "stratum", "koen")
        .group_by("indicator_id", "year")
        .agg(weight_total=pl.col("weight").sum())
    )
    weighted_rate, variance_sum = stats.dsr_sums(pl.col("x"), pl.col("n"), pl.col("weight"))
    sums = (
        strata.join(
            weights,
            on=["indicator_id", "year", "stratum", "koen"],
            how="left",
            maintain_order="left",
        )
        .with_columns(pl.col("weight").fill_null(0.0))
        .group_by(*KEYS)
        .agg(
            numerator=pl.col("x").sum(),
            denominator=pl.col("n").sum(),
            weighted_rate=weighted_rate,
            variance_sum=variance_sum,
        )
        .join(weight_totals, on=["indicator_id", "year"], how="left")
        .join(multipliers.lazy(), on="indicator_id")
    )
    value, lower, upper = stats.dobson_dsr(
        pl.col("weighted_rate"),
        pl.col("variance_sum"),
        pl.col("weight_total"),
        pl.col("numerator"),
        pl.col("multiplier"),
        settings.level,
    )
    rows = sums.with_columns(value=value, lower=lower, upper=upper)
    flag = (
        pl.when((pl.col("denominator") == 0) | pl.col("value").is_null())
        .then(pl.lit("not_available"))
        .when(pl.col("numerator") < stats.DSR_MIN_EVENTS)
        .then(pl.lit("too_few"))
        .otherwise(pl.lit("ok"))
    )
    return finish(rows, flag)
