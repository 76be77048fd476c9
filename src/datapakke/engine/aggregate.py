"""From per-municipality counts to strata of every area: stratify, then roll up.

Counts arrive at single years of age; the method decides the strata (5-year bands
by sex for a standardised rate, bands only with ESP2013, life-table bands for life
expectancy, one stratum for everything else). Rolling up joins the strata to the
geography's membership table, so every level (kommune, the area set's level,
region, land) comes out of one group-by.
"""

from __future__ import annotations

import polars as pl

from datapakke.engine.catalogue import Indicator
from datapakke.engine.settings import Standard
from datapakke.engine.sources import Counts
from datapakke.engine.stats import life_table_band
from datapakke.engine.strata import age_band

AREA = ("area_level", "area_code", "area_name")
STRATUM = ("stratum", "koen")
# Sex of a stratum that pools both sexes.
BOTH_SEXES = "alle"


def _strata_columns(indicator: Indicator, standard: Standard) -> dict[str, pl.Expr]:
    if indicator.method == "life_expectancy":
        return {"stratum": life_table_band(pl.col("alder")), "koen": pl.lit(BOTH_SEXES)}
    if indicator.method == "rate_standardised":
        sex = pl.col("koen") if standard == "national" else pl.lit(BOTH_SEXES)
        return {"stratum": age_band(pl.col("alder")), "koen": sex}
    return {"stratum": pl.lit(0, dtype=pl.Int8), "koen": pl.lit(BOTH_SEXES)}


def stratify(counts: Counts, indicator: Indicator, standard: Standard) -> pl.LazyFrame:
    """One indicator's ``x`` and ``n`` per municipality, year and stratum.

    A stratum with persons and no events has ``x = 0``; ``n`` is null for a plain count.
    """
    columns = _strata_columns(indicator, standard)
    keys = ["kommunekode", "year", *STRATUM]

    def collapse(frame: pl.LazyFrame, measure: str) -> pl.LazyFrame:
        return (
            frame.with_columns(**columns).group_by(keys).agg(pl.col(measure).sum().cast(pl.Int64))
        )

    numerator = collapse(counts.numerator, "x")
    if counts.denominator is None:
        combined = numerator.with_columns(n=pl.lit(None, dtype=pl.Int64))
    else:
        combined = (
            collapse(counts.denominator, "n")
            .join(numerator, on=keys, how="full", coalesce=True)
            .with_columns(pl.col("x").fill_null(0), pl.col("n").fill_null(0))
        )
    return combined.select(
        pl.lit(indicator.id).alias("indicator_id"),
        pl.col("kommunekode").cast(pl.Int32),
        pl.col("year").cast(pl.Int32),
        pl.col("stratum").cast(pl.Int8),
        pl.col("koen").cast(pl.String),
        "x",
        "n",
    )


def roll_up_strata(strata: pl.DataFrame, membership: pl.DataFrame) -> pl.DataFrame:
    """Sum ``x`` and ``n`` of every stratum to every area containing the municipality,
    sorted by indicator, area, year and stratum.

    The group-by and the sort run on integer codes (an index per area, enums for the
    indicator and the sex) whose order is that of the strings, so the rows come out in
    the order a sort on the strings gives, without hashing or comparing strings per row.
    """
    areas = membership.select(*AREA).unique().sort(*AREA).with_row_index("area")
    links = membership.join(areas, on=AREA).select("kommunekode", "area")
    codes = {
        name: pl.Enum(sorted(strata.get_column(name).unique().drop_nulls()))
        for name in ("indicator_id", "koen")
    }
    keys = ["indicator_id", "area", "year", "stratum", "koen"]
    return (
        strata.lazy()
        .with_columns(pl.col(name).cast(dtype) for name, dtype in codes.items())
        .join(links.lazy(), on="kommunekode", how="inner")
        .group_by(keys)
        .agg(pl.col("x").sum(), pl.col("n").sum())
        .sort(keys)
        .join(areas.lazy(), on="area", how="left", maintain_order="left")
        .select(
            pl.col("indicator_id").cast(pl.String),
            *AREA,
            "year",
            "stratum",
            pl.col("koen").cast(pl.String),
            "x",
            "n",
        )
        .collect(engine="in-memory")
    )
