"""The development of one indicator over the years: the trend chart and its numbers.

Cluster, region and country, over up to the last ten years of the data; the
cluster's confidence band where the indicator is compared.
"""

from __future__ import annotations

from typing import Any

from datapakke.engine.catalogue import Indicator
from datapakke.numbers import aar_interval, med_enhed, tal
from datapakke.pack.chart_specs import ComparisonChart, LineChart, Series, comparison_height
from datapakke.pack.context import PackContext
from datapakke.pack.labels import TREND_LONG, flag_label, unit_label, value_label
from datapakke.pack.model import DataTable, Figure, TableColumn
from datapakke.pack.text import lower_first

MAX_TREND_YEARS = 10
TREND_HEIGHT = 1.4  # inches
# Estimated heights (inches) of the trend's numbers: a caption and a row of 6.5 pt text each.
TABLE_CAPTION = 0.22
TABLE_ROW = 0.13
WIDE_TABLE_MAX_YEARS = 7  # a table with years as columns fits under the comparison chart


def source_line(indicator: Indicator) -> str:
    """The source line printed under each of the indicator's figures."""
    return f"Kilde: {indicator.source}."


def trend_years(ctx: PackContext, indicator: Indicator) -> tuple[int, ...]:
    """The years the trend shows: the indicator's last (up to ten) years."""
    return ctx.indicator_years(indicator.id)[-MAX_TREND_YEARS:]


def trend_figure(ctx: PackContext, indicator: Indicator) -> Figure:
    """The line chart of cluster, region and country; a reason in words if it cannot be drawn."""
    years = trend_years(ctx, indicator)
    lines = ((ctx.cluster, "cluster", "Klyngen"), (ctx.region_area, "region", "Regionen"),
             (ctx.country, "country", "Landet"))  # fmt: skip
    series = []
    for area, style, label in lines:
        rows = ctx.rows_over_years(indicator.id, area, years)
        values = tuple(r["value"] if r else None for r in rows)
        band = style == "cluster" and indicator.compared
        series.append(
            Series(
                label, values, style,  # type: ignore[arg-type]
                lower=tuple(r["lower"] if r else None for r in rows) if band else None,
                upper=tuple(r["upper"] if r else None for r in rows) if band else None,
            )
        )  # fmt: skip
    figure_id = f"{indicator.id}-udvikling"
    title = f"{indicator.title}: udviklingen {aar_interval(years)}"
    table = _trend_table(ctx, indicator, years)
    caption = f"Udviklingen {aar_interval(years)}"
    cluster_points = sum(v is not None for v in series[0].values)
    if len(years) < 2 or cluster_points < 2:
        reason = "Udviklingen kan ikke vises: " + (
            "tallet findes kun for ét år."
            if len(years) < 2
            else "klyngens tal kan kun vises for et enkelt år (for få tilfælde)."
        )
        return Figure(figure_id, title, None, reason, table, source_line(indicator),
                      caption=caption, empty_reason=reason)  # fmt: skip
    chart = LineChart(
        years=years,
        series=tuple(series),
        unit_label=unit_label(indicator),
        decimals=indicator.decimals,
        compact=True,
        height=TREND_HEIGHT,
    )
    return Figure(
        id=figure_id,
        title=title,
        chart=chart,
        alt=_trend_alt(ctx, indicator, series, years),
        table=table,
        source=source_line(indicator),
        caption=caption,
    )


def _trend_alt(
    ctx: PackContext, indicator: Indicator, series: list[Series], years: tuple[int, ...]
) -> str:
    parts = [
        f"Linjediagram over {lower_first(indicator.title)} fra {years[0]} til {years[-1]} for "
        f"klyngen, {ctx.region_area.name} og hele landet"
        + (
            f", med klyngens {ctx.level_text}-konfidensinterval som skygge."
            if indicator.compared
            else "."
        )
    ]
    for s, name in zip(series, ("Klyngen", ctx.region_area.name, "Hele landet"), strict=True):
        known = [(y, v) for y, v in zip(years, s.values, strict=True) if v is not None]
        if len(known) >= 2:
            parts.append(
                f"{name} gik fra {tal(known[0][1], indicator.decimals)} i {known[0][0]} til "
                f"{med_enhed(known[-1][1], indicator.unit, indicator.decimals)} i {known[-1][0]}."
            )
    row = ctx.row(indicator.id, ctx.cluster)
    if row is not None and indicator.compared:
        parts.append(f"Udviklingen i klyngen: {TREND_LONG[row['trend']]}.")
    return " ".join(parts)


def _trend_table(ctx: PackContext, indicator: Indicator, years: tuple[int, ...]) -> DataTable:
    d = indicator.decimals
    columns = [TableColumn("År")]
    cells: list[list[Any]] = [[str(y)] for y in years]
    for area in (ctx.cluster, ctx.region_area, ctx.country):
        rows = ctx.rows_over_years(indicator.id, area, years)
        columns.append(TableColumn(area.name, d))
        if indicator.compared:
            columns += [TableColumn(f"{area.name}, nedre", d), TableColumn(f"{area.name}, øvre", d)]
        for cell, row in zip(cells, rows, strict=True):
            value = value_or_label(ctx, row)
            cell.append(value)
            if indicator.compared:
                cell += [row["lower"] if row else None, row["upper"] if row else None]
    return DataTable(columns=tuple(columns), rows=tuple(tuple(c) for c in cells))


def value_or_label(ctx: PackContext, row: dict[str, Any] | None) -> Any:
    """A row's value, or the label that stands in for it ("skjult", "for få tilfælde")."""
    if row is None:
        return flag_label("not_available")
    return row["value"] if row["value"] is not None else value_label(row["flag"], ctx.threshold)


def numbers_under_trend(comparison: Figure, years: int) -> bool:
    """Whether the trend's numbers go under the trend chart (a column per area) rather than
    under the comparison chart (a column per year): whichever keeps the block lower."""
    if not isinstance(comparison.chart, ComparisonChart) or years > WIDE_TABLE_MAX_YEARS:
        return True
    areas = comparison_height(comparison.chart)
    under_trend = max(areas, TREND_HEIGHT + TABLE_CAPTION + TABLE_ROW * (years + 1))
    under_areas = max(areas + TABLE_CAPTION + TABLE_ROW * 4, TREND_HEIGHT)
    return under_trend <= under_areas


def numbers_table(ctx: PackContext, indicator: Indicator, *, by_year: bool) -> DataTable:
    """The trend chart's numbers, printed with it: cluster, region and country per year.

    ``by_year``: a row per year (narrow, under the trend chart); else a row per area.
    """
    years = trend_years(ctx, indicator)
    areas = ((ctx.cluster, "Klyngen"), (ctx.region_area, "Regionen"), (ctx.country, "Landet"))
    series = [
        [value_or_label(ctx, r) for r in ctx.rows_over_years(indicator.id, area, years)]
        for area, _label in areas
    ]
    d = indicator.decimals
    if by_year:
        return DataTable(
            columns=(TableColumn("År"), *(TableColumn(label, d) for _a, label in areas)),
            rows=tuple(
                (str(year), *(values[i] for values in series)) for i, year in enumerate(years)
            ),
        )
    return DataTable(
        columns=(TableColumn("Område"), *(TableColumn(str(year), d) for year in years)),
        rows=tuple((label, *values) for (_a, label), values in zip(areas, series, strict=True)),
        emphasised_rows=frozenset({0}),
    )
