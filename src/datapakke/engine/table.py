"""The IndicatorTable: one long table of every indicator for every area and year.

Its columns, in this order, are the machine-readable contract that ``export``
writes and that every pack is drawn from.
"""

from __future__ import annotations

from typing import Final, Literal

import polars as pl

Flag = Literal["ok", "suppressed_small", "suppressed_complementary", "too_few", "not_available"]
Comparison = Literal["better", "worse", "similar", "higher", "lower", "not_compared"]
Trend = Literal["rising", "falling", "no_significant_change", "not_computed"]

INDICATOR_TABLE_SCHEMA: Final = pl.Schema(
    {
        "indicator_id": pl.String(),
        "theme": pl.String(),
        "area_level": pl.String(),
        "area_code": pl.String(),
        "area_name": pl.String(),
        "year": pl.Int32(),
        "numerator": pl.Int64(),
        "denominator": pl.Int64(),
        "value": pl.Float64(),
        "lower": pl.Float64(),
        "upper": pl.Float64(),
        "unit": pl.String(),
        "comparison": pl.String(),
        "trend": pl.String(),
        "flag": pl.String(),
    }
)


def conform(frame: pl.LazyFrame) -> pl.LazyFrame:
    """Select and cast the IndicatorTable columns in contract order; add missing ones.

    A missing ``comparison``, ``trend`` or ``flag`` gets its neutral default, any other
    missing column is null.
    """
    defaults = {"comparison": "not_compared", "trend": "not_computed", "flag": "ok"}
    present = frame.collect_schema().names()
    return frame.select(
        (pl.col(name) if name in present else pl.lit(defaults.get(name))).cast(dtype).alias(name)
        for name, dtype in INDICATOR_TABLE_SCHEMA.items()
    )
