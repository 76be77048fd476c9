"""The statistics of ``docs/methods.md``: pure functions and Polars expressions, no I/O.

Every interval takes the confidence ``level`` as a parameter (default 95 %).
Expressions are built here and evaluated inside the engine's one lazy query, so
the same formula serves every area, year and indicator at once.
"""

from __future__ import annotations

from functools import cache
from typing import Final

import polars as pl

# scipy.special, not scipy.stats: the same quantile functions at a fifth of the import time.
from scipy import special

from datapakke.engine.settings import DEFAULT_LEVEL, TREND_LEVEL

Z_95: Final = 1.959963984540054
# A DSR rests on at least this many events (methods.md); fewer: "for få tilfælde".
DSR_MIN_EVENTS: Final = 10
# Byar's approximation is used from this count; below it the exact Poisson limits.
BYAR_FROM: Final = 10

# European Standard Population 2013 for the 19 bands 0-4 ... 85-89, 90+ (sum 100,000).
ESP2013: Final = (
    5000, 5500, 5500, 5500, 6000, 6000, 6500, 7000, 7000, 7000,
    7000, 6500, 6000, 5500, 5000, 4000, 2500, 1500, 1000,
)  # fmt: skip


def z_value(level: float = DEFAULT_LEVEL) -> float:
    """The two-sided normal quantile for a confidence ``level`` (1.959963984540054 at 95 %)."""
    if not 0.0 < level < 1.0:
        raise ValueError(f"confidence level must lie between 0 and 1, got {level}")
    if level == DEFAULT_LEVEL:
        return Z_95
    return float(special.ndtri(1.0 - (1.0 - level) / 2.0))


@cache
def exact_poisson_limits(count: int, level: float = DEFAULT_LEVEL) -> tuple[float, float]:
    """Exact limits for a Poisson count from chi-square quantiles (lower is 0 for a zero count)."""
    alpha = 1.0 - level
    # The chi-square quantile with 2k degrees of freedom, halved, is gammaincinv(k, q).
    lower = 0.0 if count == 0 else float(special.gammaincinv(count, alpha / 2.0))
    upper = float(special.gammaincinv(count + 1, 1.0 - alpha / 2.0))
    return lower, upper


def poisson_limits(count: pl.Expr, level: float = DEFAULT_LEVEL) -> tuple[pl.Expr, pl.Expr]:
    """Lower and upper limits for a Poisson count: exact below 10, Byar's from 10."""
    z = z_value(level)
    x = count.cast(pl.Float64)
    byar_lower = x * (1.0 - 1.0 / (9.0 * x) - z / (3.0 * x.sqrt())) ** 3
    x1 = x + 1.0
    byar_upper = x1 * (1.0 - 1.0 / (9.0 * x1) + z / (3.0 * x1.sqrt())) ** 3
    # The exact limits for 0..9 are a ten-entry table, looked up per row.
    table = [exact_poisson_limits(c, level) for c in range(BYAR_FROM)]
    small = list(range(BYAR_FROM))
    exact_lower = count.replace_strict(
        small, [lo for lo, _ in table], default=None, return_dtype=pl.Float64
    )
    exact_upper = count.replace_strict(
        small, [up for _, up in table], default=None, return_dtype=pl.Float64
    )
    lower = pl.when(count >= BYAR_FROM).then(byar_lower).otherwise(exact_lower)
    upper = pl.when(count >= BYAR_FROM).then(byar_upper).otherwise(exact_upper)
    return lower, upper


def crude_rate(
    count: pl.Expr, persons: pl.Expr, multiplier: pl.Expr | float, level: float = DEFAULT_LEVEL
) -> tuple[pl.Expr, pl.Expr, pl.Expr]:
    """``k * x / n`` with the Poisson limits of ``x`` scaled the same way; null when n is 0."""
    lower, upper = poisson_limits(count, level)
    scale = pl.when(persons > 0).then(multiplier / persons.cast(pl.Float64))
    return scale * count, scale * lower, scale * upper


def wilson_share(
    count: pl.Expr, total: pl.Expr, level: float = DEFAULT_LEVEL
) -> tuple[pl.Expr, pl.Expr, pl.Expr]:
    """A share ``x / n`` in per cent with Wilson's score interval; null when n is 0."""
    z = z_value(level)
    x = count.cast(pl.Float64)
    n = total.cast(pl.Float64)
    centre = 2.0 * x + z**2
    spread = z * (z**2 + 4.0 * x * (1.0 - x / n)).sqrt()
    denominator = 2.0 * (n + z**2)
    valid = total > 0
    return (
        pl.when(valid).then(100.0 * x / n),
        pl.when(valid).then(100.0 * (centre - spread) / denominator),
        pl.when(valid).then(100.0 * (centre + spread) / denominator),
    )


def dsr_sums(events: pl.Expr, persons: pl.Expr, weight: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """Per-area aggregations ``sum(w x / n)`` and ``sum(x (w / n)^2)``; n = 0 strata add nothing."""
    x = events.cast(pl.Float64)
    n = persons.cast(pl.Float64)
    present = persons > 0
    weighted_rate = pl.when(present).then(weight * x / n).otherwise(0.0).sum()
    variance = pl.when(present).then(x * (weight / n) ** 2).otherwise(0.0).sum()
    return weighted_rate, variance


def dobson_dsr(
    weighted_rate: pl.Expr,
    variance_sum: pl.Expr,
    weight_total: pl.Expr,
    observed: pl.Expr,
    multiplier: pl.Expr | float,
    level: float = DEFAULT_LEVEL,
) -> tuple[pl.Expr, pl.Expr, pl.Expr]:
    """The DSR and Dobson's interval from the sums of :func:`dsr_sums`.

    ``DSR = k S1 / W``, ``var = k^2 S2 / W^2``, limits ``DSR + sqrt(var / O) (O_lim - O)``.
    The interval is null when no events were observed (there is nothing to scale).
    """
    value = multiplier * weighted_rate / weight_total
    variance = multiplier**2 * variance_sum / weight_total**2
    o = observed.cast(pl.Float64)
    o_lower, o_upper = poisson_limits(observed, level)
    scale = pl.when(observed > 0).then((variance / o).sqrt())
    return value, value + scale * (o_lower - o), value + scale * (o_upper - o)


def normal_interval(
    value: pl.Expr, variance: pl.Expr, level: float = DEFAULT_LEVEL
) -> tuple[pl.Expr, pl.Expr]:
    """``value -/+ z sqrt(variance)``."""
    z = z_value(level)
    return value - z * variance.sqrt(), value + z * variance.sqrt()


def comparison(
    value: pl.Expr,
    lower: pl.Expr,
    upper: pl.Expr,
    reference: pl.Expr,
    polarity: pl.Expr,
    compared: pl.Expr,
) -> pl.Expr:
    """``similar`` when the interval holds the reference, else higher/lower turned by polarity.

    ``polarity`` is ``lower_better``, ``higher_better`` or ``none`` (then ``higher``/``lower``);
    anything not compared, unpublished or without an interval is ``not_compared``.
    """
    above = lower > reference
    missing = value.is_null() | lower.is_null() | upper.is_null() | reference.is_null()
    return (
        pl.when(~compared | missing)
        .then(pl.lit("not_compared"))
        .when((lower <= reference) & (reference <= upper))
        .then(pl.lit("similar"))
        .when(polarity == "none")
        .then(pl.when(above).then(pl.lit("higher")).otherwise(pl.lit("lower")))
        .when(above == (polarity == "higher_better"))
        .then(pl.lit("better"))
        .otherwise(pl.lit("worse"))
    )


def trend_statistics(
    year: pl.Expr, value: pl.Expr, lower: pl.Expr, upper: pl.Expr, level: float = DEFAULT_LEVEL
) -> tuple[pl.Expr, pl.Expr]:
    """Aggregations: WLS slope of value on year with weights ``1 / SE^2`` and its chi-square.

    ``SE = (upper - lower) / (2z)``; ``slope = sum w (t - tw)(y - yw) / sum w (t - tw)^2``,
    ``var(slope) = 1 / sum w (t - tw)^2``, so the statistic is ``slope^2 sum w (t - tw)^2``.
    """
    z = z_value(level)
    t = year.cast(pl.Float64)
    weight = ((2.0 * z) / (upper - lower)) ** 2
    t_mean = (weight * t).sum() / weight.sum()
    y_mean = (weight * value).sum() / weight.sum()
    sxx = (weight * (t - t_mean) ** 2).sum()
    slope = (weight * (t - t_mean) * (value - y_mean)).sum() / sxx
    return slope, slope**2 * sxx


def trend_critical(level: float = TREND_LEVEL) -> float:
    """The chi-square (1 df) critical value of the trend test at ``level`` (9.5495 at 99.8 %)."""
    return z_value(level) ** 2


def trend_marker(
    slope: pl.Expr, chi_square: pl.Expr, computable: pl.Expr, level: float = TREND_LEVEL
) -> pl.Expr:
    """``rising``/``falling`` when significant at ``level``, else ``no_significant_change``
    (the test found no change, which is not to say there was none); or ``not_computed``."""
    return (
        pl.when(~computable | chi_square.is_null() | chi_square.is_nan())
        .then(pl.lit("not_computed"))
        .when(chi_square > trend_critical(level))
        .then(pl.when(slope > 0).then(pl.lit("rising")).otherwise(pl.lit("falling")))
        .otherwise(pl.lit("no_significant_change"))
    )


# Abridged life table: band 0 is age 0, band 1 ages 1-4, bands 2-18 five years each
# (5-9 ... 85-89), band 19 the open band 90+.
LIFE_TABLE_BANDS: Final = 20
LIFE_TABLE_RADIX: Final = 100_000.0


def life_table_band(age: pl.Expr) -> pl.Expr:
    """Index (0-19) of the life-table band an age falls in: 0, 1-4, 5-9, ..., 85-89, 90+."""
    return (
        pl.when(age == 0)
        .then(0)
        .when(age < 5)
        .then(1)
        .otherwise(pl.min_horizontal(age // 5 + 1, pl.lit(LIFE_TABLE_BANDS - 1)))
        .cast(pl.Int8)
    )


def life_expectancy_at_birth(frame: pl.LazyFrame, keys: list[str]) -> pl.LazyFrame:
    """Chiang II life expectancy at birth and its variance (Silcocks), per group of ``keys``.

    ``frame`` holds one row per group and band 0-19 (every band present) with ``deaths``
    (D_x) and ``persons`` (P_x, person-years). Returns ``keys``, ``e0``, ``e0_variance``
    and ``complete`` (false when a band has no person-years or the open band no deaths,
    where the table is undefined). As in the reference calculator: ``q`` is 1 in the open
    band and wherever the formula would exceed 1 (``n a m > 1``); the variance of ``q`` is
    ``q^2 (1 - q) / D``; the open band adds ``l^2 / (D m^2)`` (the variance of its mean
    survival ``1 / m``, Silcocks et al. 2001).
    """
    band = pl.col("band")
    open_band = band == LIFE_TABLE_BANDS - 1
    width = pl.when(band == 0).then(1.0).when(band == 1).then(4.0).otherwise(5.0)
    a = pl.when(band == 0).then(0.1).otherwise(0.5)
    deaths = pl.col("deaths").cast(pl.Float64)
    m = deaths / pl.col("persons").cast(pl.Float64)

    def window(expr: pl.Expr) -> pl.Expr:
        return expr.over(keys, order_by="band")

    n, a_col, m_col, q, l_col = (pl.col(c) for c in ("n", "a", "m", "q", "l"))
    table = (
        frame.with_columns(n=width, a=a, m=m)
        .with_columns(
            q=pl.when(open_band | (n * a_col * m_col > 1.0))
            .then(1.0)
            .otherwise(n * m_col / (1 + n * (1 - a_col) * m_col))
        )
        .with_columns(
            # l_x = radix * prod over younger bands of (1 - q)
            l=LIFE_TABLE_RADIX * window((1.0 - q).cum_prod().shift(1, fill_value=1.0))
        )
        .with_columns(d=l_col * q, l_next=window(l_col.shift(-1)))
        .with_columns(
            L=pl.when(open_band)
            .then(l_col / m_col)
            .otherwise(n * (pl.col("l_next") + a_col * pl.col("d")))
        )
        .with_columns(T=window(pl.col("L").cum_sum(reverse=True)))
        # Nobody reaches a band after one where q is 1: their expectancy is 0, not 0 / 0.
        .with_columns(e=pl.when(l_col > 0).then(pl.col("T") / l_col).otherwise(0.0))
        .with_columns(e_next=window(pl.col("e").shift(-1)))
        .with_columns(
            term=pl.when(open_band)
            .then(l_col**2 / (deaths * m_col**2))
            .when(deaths > 0)
            .then(l_col**2 * ((1 - a_col) * n + pl.col("e_next")) ** 2 * q**2 * (1 - q) / deaths)
            .otherwise(0.0)
        )
    )
    return table.group_by(keys).agg(
        e0=pl.col("e").sort_by("band").first(),
        e0_variance=pl.col("term").sort_by("band").sum() / LIFE_TABLE_RADIX**2,
        complete=(pl.col("persons") > 0).all()
        & (pl.col("deaths").filter(open_band) > 0).all()
        & (pl.len() == LIFE_TABLE_BANDS),
    )
