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
        "stratum",
        pl.col("koen").cast(pl.String),
        "x",
        "n",
    )


def roll_up_strata(strata: pl.DataFrame, membership: pl.DataFrame) -> pl.DataFrame:
    """Sum ``x`` and ``n`` of every stratum to every area containing the municipality,
    sorted by indicator, area, year and stratum.

    The group-by and the sort run on one integer per row that orders as the strings
    would (``_key``): the rows come out as a string sort gives them, without hashing or
    comparing strings per row.
    """
    areas = membership.select(*AREA).unique().sort(*AREA).with_row_index("area")
    links = membership.join(areas, on=AREA).select("kommunekode", "area")
    codes = {
        name: sorted(strata.get_column(name).unique().drop_nulls())
        for name in ("indicator_id", "koen")
    }
    joined = strata.with_columns(
        pl.col(name).cast(pl.Enum(values)).to_physical() for name, values in codes.items()
    ).join(links, on="kommunekode", how="inner")
    key, columns = _key(joined, ["indicator_id", "area", "year", "stratum", "koen"])
    summed = (
        joined.group_by(key.alias("key"))
        .agg(pl.col("x").sum(), pl.col("n").sum())
        .sort("key")
        .with_columns(columns)
    )
    return summed.join(areas, on="area", how="left", maintain_order="left").select(
        _named("indicator_id", codes["indicator_id"]),
        *AREA,
        "year",
        "stratum",
        _named("koen", codes["koen"]),
        "x",
        "n",
    )


def _named(column: str, values: list[str]) -> pl.Expr:
    """The strings of ``column``'s codes (``values`` in code order)."""
    return pl.lit(pl.Series(values, dtype=pl.String)).gather(pl.col(column)).alias(column)


def _key(frame: pl.DataFrame, columns: list[str]) -> tuple[pl.Expr, list[pl.Expr]]:
    """One integer per row that orders and groups as ``columns`` do (nulls first), and the
    expressions that take the columns back out of it (``key``).

    Each integer column is a digit of a mixed-radix number: ``value - minimum + 1``, and
    0 for null, in base ``maximum - minimum + 2``.
    """
    bounds = frame.select(
        *(pl.col(c).min().alias(f"min_{c}") for c in columns),
        *(pl.col(c).max().alias(f"max_{c}") for c in columns),
    ).row(0, named=True)
    key = pl.lit(0, pl.UInt64)
    size = 1
    digits = []
    for column in reversed(columns):
        lowest = int(bounds[f"min_{column}"] or 0)
        base = int(bounds[f"max_{column}"] or 0) - lowest + 2
        digit = (pl.col(column).cast(pl.Int64) - lowest + 1).fill_null(0).cast(pl.UInt64)
        key = key + digit * size
        digits.append((column, size, base, lowest, frame.schema[column]))
        size *= base
    if size >= 1 << 63:  # strata of any extract are far fewer; never wrap silently
        raise ValueError(f"the strata's key does not fit in 64 bits ({size:,} values)")
    decoded = []
    for column, place, base, lowest, dtype in digits:
        digit = (pl.col("key") // place) % base
        value = digit.cast(pl.Int64) - 1 + lowest
        decoded.append(pl.when(digit > 0).then(value).cast(dtype).alias(column))
    return key, decoded
