"""The population projection as a pack reads it: ``Results.projection``.

One row per area, projection indicator (age group and horizon) with a projected
number: the persons the projection expects on 1 January ``year`` (``base_year`` plus
``horizon``) beside the registers' persons of the same group on 1 January
``base_year``, the data's last year. The indicator rows themselves
(``fremskrevet_65plus_5`` ...) sit in the IndicatorTable at ``base_year``, the year the
projection looks ahead from; this table is the same numbers in the shape a population
page draws. An area without a projected number has no row, so the table is empty when
no projection was supplied (``Results.missing_aggregates`` then names its indicators).
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from datapakke.engine.catalogue import Indicator
from datapakke.engine.params import ProjectionParams
from datapakke.engine.population_counts import roll_up
from datapakke.engine.sources import Sources

PROJECTION_SCHEMA = pl.Schema(
    {
        "indicator_id": pl.String(),
        "area_level": pl.String(),
        "area_code": pl.String(),
        "age_group": pl.String(),
        "age_min": pl.Int32(),
        "sex": pl.String(),
        "horizon": pl.Int32(),
        "base_year": pl.Int32(),
        "year": pl.Int32(),
        "persons_base": pl.Int64(),
        "persons": pl.Int64(),
    }
)


def projection_table(
    table: pl.DataFrame,
    sources: Sources,
    indicators: Sequence[Indicator],
    membership: pl.DataFrame,
    base_year: int,
) -> pl.DataFrame:
    """The projection rows of the (suppressed) IndicatorTable ``table`` with the registers'
    persons of each group in ``base_year``, in ``PROJECTION_SCHEMA``, sorted."""
    frames = []
    for indicator in indicators:
        settings = indicator.settings
        if not isinstance(settings, ProjectionParams):
            continue
        now = roll_up(
            sources.population_in(indicator).filter(pl.col("year") == base_year),
            membership,
            [],
            ["n"],
        ).select("area_level", "area_code", persons_base=pl.col("n"))
        projected = table.lazy().filter(
            pl.col("indicator_id") == indicator.id,
            pl.col("year") == base_year,
            pl.col("value").is_not_null(),
        )
        frames.append(
            projected.join(now, on=["area_level", "area_code"], how="left").select(
                "indicator_id",
                "area_level",
                "area_code",
                age_group=pl.lit(indicator.age_group),
                age_min=pl.lit(indicator.age_min or 0),
                sex=pl.lit(indicator.sex, dtype=pl.String),
                horizon=pl.lit(settings.horizon),
                base_year=pl.lit(base_year),
                year=pl.lit(base_year + settings.horizon),
                persons_base="persons_base",
                persons=pl.col("value").round(),
            )
        )
    if not frames:
        return pl.DataFrame(schema=PROJECTION_SCHEMA)
    return (
        pl.concat([f.cast(PROJECTION_SCHEMA) for f in frames])
        .sort("area_level", "area_code", "age_min", "horizon")
        .collect()
    )
