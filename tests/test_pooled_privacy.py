"""What a reader can subtract from the published pooled figures of a real computation.

Independent of the engine's equations: a published pooled count minus the published
single years of its window is the sum of the hidden years. It must never be one hidden
year alone (that year would be known), never 1-4, and only a municipality's (or an
area of one municipality's) pooled count may have a hidden year at all (a larger area's
minus its published parts and years would be a sum over several hidden cells the
engine does not offer).
"""

from __future__ import annotations

import polars as pl

from datapakke.engine.compute import Results
from datapakke.engine.settings import DEFAULT_MIN_COUNT
from datapakke.geography import Geography

KEY = ["indicator_id", "area_level", "area_code"]


def subtracted(results: Results) -> pl.DataFrame:
    """Per published pooled count: its hidden years and what the published years leave."""
    pooled = results.pooled.filter(pl.col("numerator").is_not_null())
    windows = pooled.select(*KEY, "first_year", last_year="year")
    years = (
        results.indicators.join(windows, on=KEY)
        .filter(pl.col("year").is_between("first_year", "last_year"))
        .group_by(KEY)
        .agg(hidden=pl.col("numerator").is_null().sum(), shown=pl.col("numerator").sum())
    )
    return pooled.join(years, on=KEY).with_columns(left=pl.col("numerator") - pl.col("shown"))


def test_the_bundled_catalogue_pools_and_the_sample_publishes_pooled_figures(
    small_results: Results,
) -> None:
    pooling = [i.id for i in small_results.catalogue.indicators if i.pool_small_areas]
    assert pooling
    found = subtracted(small_results)
    assert found.filter(pl.col("hidden") > 0).height > 0


def test_no_pooled_figure_gives_back_a_hidden_year_or_a_small_sum(
    small_results: Results, geography: Geography
) -> None:
    found = subtracted(small_results).filter(pl.col("hidden") > 0)
    assert found.filter(pl.col("hidden") == 1).is_empty()
    assert found.filter(pl.col("left").is_between(1, DEFAULT_MIN_COUNT - 1)).is_empty()
    # A larger area's pooled count with a hidden year is withdrawn (never offered).
    single = {a.id for a in geography.areas.values() if len(a.kommunekoder) == 1}
    larger = found.filter(
        pl.col("area_level") != "kommune",
        ~(pl.col("area_level").eq(geography.level) & pl.col("area_code").is_in(single)),
    )
    assert larger.is_empty()
