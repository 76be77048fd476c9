"""Nøgletal: every headline indicator on one or two pages, in the style of Fingertips' spine chart.

Each row gives the cluster's value with its comparison (colour and word), the
trend marker, the region's and the country's value, and a spine that places the
cluster and its municipalities within the range of every cluster; that range is
taken from the same IndicatorTable.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from typing import Any

from datapakke.engine.catalogue import Indicator
from datapakke.numbers import tal
from datapakke.pack.chart_specs import SpineChart
from datapakke.pack.context import PackContext
from datapakke.pack.labels import (
    TREND_SYMBOL,
    TREND_WORD,
    VERDICT,
    flag_footnote,
    unit_label,
    value_label,
    value_text,
)
from datapakke.pack.model import DataTable, KeyFigureGroup, KeyFigureRow, KeyFigures, TableColumn


def key_figures(ctx: PackContext) -> KeyFigures:
    """The key-figures page of the cluster."""
    groups = []
    numbers: list[tuple[Any, ...]] = []
    flags: set[str] = set()
    for theme in ctx.catalogue.themes:
        headline = [i for i in ctx.catalogue.in_theme(theme.id) if i.headline]
        rows = []
        for indicator in headline:
            row, flat = _row(ctx, indicator)
            rows.append(row)
            numbers.append((theme.title, *flat))
            cluster = ctx.row(indicator.id, ctx.cluster, _year(ctx, indicator))
            if cluster is None or cluster["value"] is None:
                flags.add(cluster["flag"] if cluster else "not_available")
        if rows:
            groups.append(KeyFigureGroup(theme.id, theme.title, tuple(rows)))
    clusters = len(ctx.cluster_values("folketal")) or len(ctx.geography.klynger)
    notes = (
        f"Spændet viser værdierne for alle {clusters} klynger: den lyse bjælke går fra den "
        "laveste til den højeste, den mørke del rummer den midterste halvdel af klyngerne. "
        "Den lodrette streg er hele landet, prikken er klyngen og de tynde streger er "
        "klyngens kommuner.",
        *(flag_footnote(f, ctx.threshold) for f in sorted(flags) if flag_footnote(f)),
    )
    return KeyFigures(
        year=ctx.last_year,
        clusters=clusters,
        groups=tuple(groups),
        notes=notes,
        table=DataTable(columns=_COLUMNS, rows=tuple(numbers)),
    )


_COLUMNS = (
    TableColumn("Tema"),
    TableColumn("Indikator"),
    TableColumn("Enhed"),
    TableColumn("Periode"),
    TableColumn("Klyngen"),
    TableColumn("Sammenlignet med landet"),
    TableColumn("Udvikling i klyngen"),
    TableColumn("Regionen"),
    TableColumn("Hele landet"),
    TableColumn("Laveste klynge"),
    TableColumn("Nedre kvartil"),
    TableColumn("Øvre kvartil"),
    TableColumn("Højeste klynge"),
    TableColumn("Klyngens plads (1 = lavest)", 0),
    TableColumn("Antal klynger", 0),
)


def _year(ctx: PackContext, indicator: Indicator) -> int:
    years = ctx.indicator_years(indicator.id)
    return years[-1] if years else ctx.last_year


def _row(ctx: PackContext, indicator: Indicator) -> tuple[KeyFigureRow, tuple[Any, ...]]:
    year = _year(ctx, indicator)
    cluster = ctx.row(indicator.id, ctx.cluster, year)
    region = ctx.row(indicator.id, ctx.region_area, year)
    country = ctx.row(indicator.id, ctx.country, year)
    value = cluster["value"] if cluster else None
    compared = indicator.compared and value is not None and cluster is not None
    comparison = cluster["comparison"] if compared and cluster else "not_compared"
    if compared:
        verdict = VERDICT[comparison]
    elif indicator.compared:
        verdict = "ikke sml."
    else:
        verdict = "–"
    trend = cluster["trend"] if cluster and indicator.compared else "not_computed"
    others = ctx.cluster_values(indicator.id, year)
    spine, alt = _spine(ctx, indicator, others, value, country, comparison, year)
    row = KeyFigureRow(
        indicator_id=indicator.id,
        title=indicator.display_title,
        unit=unit_label(indicator),
        period=ctx.period(indicator, year),
        cluster=value_text(cluster, indicator, ctx.threshold),
        comparison=comparison,
        verdict=verdict,
        trend=trend,
        trend_symbol=TREND_SYMBOL[trend] if indicator.compared else "",
        trend_word=TREND_WORD[trend] if indicator.compared else "",
        region=value_text(region, indicator, ctx.threshold),
        country=value_text(country, indicator, ctx.threshold),
        lowest=tal(others[0], indicator.decimals) if others else "–",
        highest=tal(others[-1], indicator.decimals) if others else "–",
        spine=spine,
        spine_alt=alt,
    )
    quartiles = _quartiles(others)
    flat = (
        indicator.display_title,
        unit_label(indicator),
        row.period,
        value if value is not None else value_label(cluster["flag"] if cluster else ""),
        verdict,
        TREND_WORD[trend] if indicator.compared else "",
        region["value"] if region and region["value"] is not None else row.region,
        country["value"] if country and country["value"] is not None else row.country,
        others[0] if others else None,
        quartiles[0] if quartiles else None,
        quartiles[1] if quartiles else None,
        others[-1] if others else None,
        _rank(others, value) if others and value is not None else None,
        len(others) or None,
    )
    return row, flat


def _quartiles(values: Sequence[float]) -> tuple[float, float] | None:
    if len(values) < 2:
        return None
    q1, _median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return q1, q3


def _rank(values: Sequence[float], value: float) -> int:
    return 1 + sum(1 for v in values if v < value)


def _spine(
    ctx: PackContext,
    indicator: Indicator,
    others: list[float],
    value: float | None,
    country: dict[str, Any] | None,
    comparison: str,
    year: int,
) -> tuple[SpineChart | None, str]:
    quartiles = _quartiles(others)
    if quartiles is None:
        return None, ""
    # A count's national value is a sum, not a level a cluster can be compared with.
    national = country["value"] if country and indicator.unit != "persons" else None
    marks = tuple(
        v
        for k in (ctx.kommuner if len(ctx.kommuner) > 1 else ())
        if (v := ctx.value(indicator.id, k, year)) is not None
    )
    spine = SpineChart(
        low=others[0],
        high=others[-1],
        quartiles=quartiles,
        reference=national,
        value=value,
        comparison=comparison,  # type: ignore[arg-type]
        marks=marks,
    )
    d = indicator.decimals
    if value is None:
        place = "Klyngens eget tal vises ikke."
    else:
        place = (
            f"Klyngen ({tal(value, d)}) ligger som nummer {_rank(others, value)} af "
            f"{len(others)} klynger, regnet fra den laveste værdi."
        )
    alt = (
        f"{indicator.display_title}: {place} Klyngerne går fra {tal(others[0], d)} til "
        f"{tal(others[-1], d)}"
        + (f"; hele landet: {tal(national, d)}." if national is not None else ".")
    )
    if marks:
        alt += f" Klyngens kommuner går fra {tal(min(marks), d)} til {tal(max(marks), d)}."
    return spine, alt
