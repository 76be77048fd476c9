"""Comparisons with the country and the region, and trend markers, on the suppressed table.

Both are computed after disclosure control, from published values only, so a
suppressed or unreliable value is never compared and never enters a trend.
"""

from __future__ import annotations

import polars as pl

from datapakke.engine import stats
from datapakke.engine.catalogue import Catalogue

TREND_YEARS = 5
_SERIES = ("indicator_id", "area_level", "area_code")
# The levels that are not compared with a region: the regions and the country.
ABOVE_AREAS = ("region", "land")


def area_regions(membership: pl.DataFrame) -> pl.DataFrame:
    """``area_level, area_code, region_code`` for every area below the regions (municipalities
    and the areas of the set)."""
    codes = membership.pivot(
        on="area_level", index="kommunekode", values="area_code", aggregate_function="first"
    )
    levels = membership["area_level"].unique(maintain_order=True).to_list()
    below = [level for level in levels if level not in ABOVE_AREAS]
    return pl.concat(
        codes.select(area_level=pl.lit(level), area_code=pl.col(level), region_code="region")
        for level in below
    ).unique()


def indicator_traits(catalogue: Catalogue) -> pl.DataFrame:
    """``indicator_id, polarity, compared, trended`` of every catalogue indicator.

    Life expectancy is not trended: its years pool overlapping windows of data, so
    successive values are not independent as the weighted regression assumes.
    """
    return pl.DataFrame(
        {
            "indicator_id": [i.id for i in catalogue.indicators],
            "polarity": [i.polarity for i in catalogue.indicators],
            "compared": [i.compared for i in catalogue.indicators],
            "trended": [i.compared and i.method != "life_expectancy" for i in catalogue.indicators],
        },
        schema={
            "indicator_id": pl.String,
            "polarity": pl.String,
            "compared": pl.Boolean,
            "trended": pl.Boolean,
        },
    )


def add_comparisons(
    table: pl.DataFrame, traits: pl.DataFrame, regions: pl.DataFrame
) -> pl.DataFrame:
    """``comparison`` (with the country) and ``comparison_region`` (with the area's region).

    The country itself is not compared; regions are compared with the country only.
    """
    published = pl.col("flag") == "ok"
    reference = table.filter(published).select(
        "indicator_id", "year", "area_level", "area_code", "value"
    )
    national = reference.filter(pl.col("area_level") == "land").select(
        "indicator_id", "year", national_value="value"
    )
    regional = reference.filter(pl.col("area_level") == "region").select(
        "indicator_id", "year", region_code="area_code", region_value="value"
    )
    joined = (
        table.join(traits, on="indicator_id", how="left")
        .join(national, on=["indicator_id", "year"], how="left")
        .join(regions, on=["area_level", "area_code"], how="left")
        .join(regional, on=["indicator_id", "year", "region_code"], how="left")
    )
    compared = pl.col("compared") & published

    def versus(reference_value: str, applies: pl.Expr) -> pl.Expr:
        return stats.comparison(
            pl.col("value"),
            pl.col("lower"),
            pl.col("upper"),
            pl.col(reference_value),
            pl.col("polarity"),
            compared & applies,
        )

    return joined.with_columns(
        comparison=versus("national_value", pl.col("area_level") != "land"),
        comparison_region=versus("region_value", ~pl.col("area_level").is_in(ABOVE_AREAS)),
    ).drop("polarity", "compared", "trended", "national_value", "region_code", "region_value")


def add_trends(
    table: pl.DataFrame, traits: pl.DataFrame, level: float, trend_level: float
) -> pl.DataFrame:
    """``trend`` of each row over the data years Y-4 .. Y of its series (methods.md).

    Significant at ``trend_level``; not computed with fewer than 3 years, when any year
    of the window is not published (suppressed, too few, not available), or for
    indicators not trended.
    """
    history = table.select(
        *_SERIES, past_year="year", past_value="value", past_lower="lower",
        past_upper="upper", past_flag="flag",
    )  # fmt: skip
    slope, chi_square = stats.trend_statistics(
        pl.col("past_year"),
        pl.col("past_value"),
        pl.col("past_lower"),
        pl.col("past_upper"),
        level,
    )
    windows = (
        table.select(*_SERIES, "year")
        .join(history, on=list(_SERIES), how="inner")
        .filter(
            pl.col("past_year") <= pl.col("year"),
            pl.col("past_year") > pl.col("year") - TREND_YEARS,
        )
        # A fixed row order: the slope and its statistic are float sums over the years.
        .sort(*_SERIES, "year", "past_year")
        .group_by(*_SERIES, "year")
        .agg(
            years=pl.len(),
            all_published=(pl.col("past_flag") == "ok").all()
            & (pl.col("past_upper") > pl.col("past_lower")).all(),
            slope=slope,
            chi_square=chi_square,
        )
        .join(traits.select("indicator_id", "trended"), on="indicator_id", how="left")
    )
    computable = (pl.col("trended") & pl.col("all_published") & (pl.col("years") >= 3)).fill_null(
        value=False
    )
    markers = windows.select(
        *_SERIES,
        "year",
        trend=stats.trend_marker(pl.col("slope"), pl.col("chi_square"), computable, trend_level),
    )
    return table.drop("trend", strict=False).join(markers, on=[*_SERIES, "year"], how="left")
