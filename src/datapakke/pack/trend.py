"""The development of one indicator over the years: the trend chart and its numbers.

The area, its region and the country, over up to the last ten years of the data; the
area's confidence band where the indicator is compared.
"""

from __future__ import annotations

from typing import Any

from datapakke.engine.catalogue import Indicator
from datapakke.geography import AreaKey
from datapakke.numbers import aar_interval, med_enhed, tal
from datapakke.pack.chart_specs import ComparisonChart, LineChart, Series, comparison_height
from datapakke.pack.context import PackContext
from datapakke.pack.labels import (
    COUNTED_METHODS,
    TREND_LONG,
    flag_label,
    shown_value,
    unit_label,
)
from datapakke.pack.model import DataTable, Figure, TableColumn
from datapakke.pack.text import join_names, lower_first, upper_first

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
    """The years the trend shows: the indicator's last (up to ten) years; of a pooled value
    (life expectancy) only those whose period holds all its years, so that every point
    pools as many years as the next (rolling periods of one length)."""
    years = ctx.indicator_years(indicator.id)[-MAX_TREND_YEARS:]
    pooled = ctx.pool_years(indicator)
    if pooled is None:
        return years
    return tuple(y for y in years if len(ctx.period_years(indicator, y)) == pooled)


def trend_labels(ctx: PackContext, indicator: Indicator, years: tuple[int, ...]) -> tuple[str, ...]:
    """What each point of the trend is called: its year, or its period ('2016–2020')."""
    return tuple(ctx.period(indicator, year) for year in years)


def _span(ctx: PackContext, indicator: Indicator, years: tuple[int, ...]) -> str:
    """'2020–2024', or 'over perioder på 5 år, 2016–2020 til 2020–2024'."""
    pooled = ctx.pool_years(indicator)
    if pooled is None:
        return aar_interval(years)
    labels = trend_labels(ctx, indicator, years)
    whole = f"over perioder på {pooled} år"
    return whole if len(labels) < 2 else f"{whole}, {labels[0]} til {labels[-1]}"


def _no_trend(ctx: PackContext, indicator: Indicator, years: tuple[int, ...]) -> str:
    """Why the development cannot be drawn, when too few years or periods have a value."""
    pooled = ctx.pool_years(indicator)
    if pooled is not None and len(years) < 2:
        found = (
            f"kun én periode på {pooled} år ({ctx.period(indicator, years[0])})"
            if years
            else f"ikke {pooled} år i træk"
        )
        return f"Udviklingen kan ikke vises: data rummer {found}."
    if len(years) < 2:
        return "Udviklingen kan ikke vises: tallet findes kun for ét år."
    return f"Udviklingen kan ikke vises: {ctx.words.genitiv} tal vises kun for ét af årene."


def trend_areas(ctx: PackContext) -> tuple[tuple[AreaKey, str, str], ...]:
    """The lines of a trend: the area, its region (unless it is one), the country, each with
    its line style and its short label."""
    lines = [(ctx.area, "cluster", upper_first(ctx.words.bestemt))]
    if ctx.region_area != ctx.area:
        lines.append((ctx.region_area, "region", "Regionen"))
    lines.append((ctx.country, "country", "Landet"))
    return tuple(lines)


def trend_figure(ctx: PackContext, indicator: Indicator) -> Figure:
    """The line chart of area, region and country; a reason in words if it cannot be drawn."""
    years = trend_years(ctx, indicator)
    lines = trend_areas(ctx)
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
    title = f"{indicator.title}: udviklingen {_span(ctx, indicator, years)}"
    table = _trend_table(ctx, indicator, years)
    caption = f"Udviklingen {_span(ctx, indicator, years)}"
    cluster_points = sum(v is not None for v in series[0].values)
    if len(years) < 2 or cluster_points < 2:
        reason = _no_trend(ctx, indicator, years)
        return Figure(figure_id, title, None, reason, table, source_line(indicator),
                      caption=caption, empty_reason=reason)  # fmt: skip
    chart = LineChart(
        years=years,
        labels=trend_labels(ctx, indicator, years),
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
    period = dict(zip(years, trend_labels(ctx, indicator, years), strict=True))
    lines = trend_areas(ctx)
    between = [a.name for a, _style, _label in lines[1:-1]]
    parts = [
        f"Linjediagram over {lower_first(indicator.title)} fra {period[years[0]]} til "
        f"{period[years[-1]]} for "
        + join_names([ctx.words.bestemt, *between, "hele landet"])
        + (
            f", med {ctx.words.genitiv} {ctx.level_text}-konfidensinterval som skygge."
            if indicator.compared
            else "."
        )
    ]
    names = (upper_first(ctx.words.bestemt), *(a.name for a, _s, _l in lines[1:]))
    for s, name in zip(series, names, strict=True):
        known = [(y, v) for y, v in zip(years, s.values, strict=True) if v is not None]
        if len(known) >= 2:
            parts.append(
                f"{name} gik fra {tal(known[0][1], indicator.decimals)} i {period[known[0][0]]} "
                f"til {med_enhed(known[-1][1], indicator.unit, indicator.decimals)} i "
                f"{period[known[-1][0]]}."
            )
    row = ctx.row(indicator.id, ctx.area)
    if row is not None and indicator.compared:
        parts.append(f"Udviklingen i {ctx.words.bestemt}: {TREND_LONG[row['trend']]}.")
    return " ".join(parts)


def _trend_table(ctx: PackContext, indicator: Indicator, years: tuple[int, ...]) -> DataTable:
    d = indicator.decimals
    columns = [TableColumn(_first_header(ctx, indicator), plain=True)]
    # A single year stays a number (a plain integer in the workbook); a period is text.
    pooled = ctx.pool_years(indicator) is not None
    labels = trend_labels(ctx, indicator, years)
    cells: list[list[Any]] = [
        [label if pooled else year] for year, label in zip(years, labels, strict=True)
    ]
    for area, _style, _label in trend_areas(ctx):
        rows = ctx.rows_over_years(indicator.id, area, years)
        columns.append(TableColumn(f"{area.name} ({unit_label(indicator)})", d))
        if indicator.compared:
            columns += [TableColumn(f"{area.name}, nedre", d), TableColumn(f"{area.name}, øvre", d)]
        for cell, row in zip(cells, rows, strict=True):
            value = shown_value(row, ctx.threshold)
            cell.append(value)
            if indicator.compared:
                cell += [row["lower"] if row else None, row["upper"] if row else None]
    return DataTable(columns=tuple(columns), rows=tuple(tuple(c) for c in cells))


def _first_header(ctx: PackContext, indicator: Indicator) -> str:
    return "År" if ctx.pool_years(indicator) is None else "Periode"


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
    """The trend chart's numbers, printed with it: area, region and country per year, and
    the persons or events behind the area's values (where the indicator counts them).

    ``by_year``: a row per year (narrow, under the trend chart); else a row per area.
    """
    years = trend_years(ctx, indicator)
    areas = tuple((area, label) for area, _style, label in trend_areas(ctx))
    series = [
        [shown_value(r, ctx.threshold) for r in ctx.rows_over_years(indicator.id, area, years)]
        for area, _label in areas
    ]
    counts = _counts(ctx, indicator, years)
    d = indicator.decimals
    labels = trend_labels(ctx, indicator, years)
    head = areas[0][1]
    if by_year:
        return DataTable(
            columns=(
                TableColumn(_first_header(ctx, indicator)),
                TableColumn(head, d),
                *((TableColumn("Antal", 0),) if counts else ()),
                *(TableColumn(label, d) for _a, label in areas[1:]),
            ),
            rows=tuple(
                (
                    labels[i],
                    series[0][i],
                    *((counts[i],) if counts else ()),
                    *(values[i] for values in series[1:]),
                )
                for i in range(len(years))
            ),
        )
    rows = [(label, *values) for (_a, label), values in zip(areas, series, strict=True)]
    if counts:
        rows.insert(1, (f"{head}, antal", *counts))
    return DataTable(
        columns=(TableColumn("Område"), *(TableColumn(label) for label in labels)),
        rows=tuple(rows),
        emphasised_rows=frozenset({0}),
        row_decimals=tuple(0 if r[0] == f"{head}, antal" else d for r in rows),
    )


def _counts(ctx: PackContext, indicator: Indicator, years: tuple[int, ...]) -> list[Any]:
    """The area's persons or events in each of ``years`` (a label where hidden), or none
    when the indicator is not a count of them."""
    if indicator.method not in COUNTED_METHODS or indicator.unit == "persons":
        return []
    return [
        (r["numerator"] if r["numerator"] is not None else flag_label(r["flag"], ctx.threshold))
        if r is not None
        else flag_label("not_available")
        for r in ctx.rows_over_years(indicator.id, ctx.area, years)
    ]
