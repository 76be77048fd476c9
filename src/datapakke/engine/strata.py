"""Age and sex strata: 5-year age bands 0-4 ... 85-89 and 90+, crossed with sex."""

from __future__ import annotations

from typing import Final

import polars as pl

from datapakke.dates import age_on_january_first

BAND_WIDTH: Final = 5
OPEN_BAND_START: Final = 90
AGE_BANDS: Final = (
    *(f"{a}-{a + BAND_WIDTH - 1}" for a in range(0, OPEN_BAND_START, BAND_WIDTH)),
    f"{OPEN_BAND_START}+",
)
SEXES: Final = ("M", "K")


def age_band(age: pl.Expr) -> pl.Expr:
    """Index (0-18) of the 5-year band an age falls in; 18 is 90+."""
    return pl.min_horizontal(age // BAND_WIDTH, pl.lit(OPEN_BAND_START // BAND_WIDTH)).cast(pl.Int8)


def with_age(befolkning: pl.LazyFrame) -> pl.LazyFrame:
    """``befolkning`` with ``alder`` (age on 1 January) and ``aldersgruppe`` (band index)."""
    return befolkning.with_columns(
        alder=age_on_january_first(pl.col("foed_dato"), pl.col("aar"))
    ).with_columns(aldersgruppe=age_band(pl.col("alder")))
