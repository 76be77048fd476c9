"""Nøgletal: every headline indicator over two pages, with a spine chart in the Fingertips manner.

Each row gives the count behind the area's value, the value with its comparison
(colour and word), the trend, the region's and the country's value, and a spine
that places the area among the peer areas that have a value (the areas of its own
level: councils, clusters, municipalities or regions): centred on the country, the
better end always on the right, its printed ends the bar's ends. The table is split
between two pages at the theme that balances them, in the full pack as in the profile.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from datapakke.engine.catalogue import Indicator
from datapakke.engine.compare import TREND_YEARS
from datapakke.numbers import med_enhed, tal
from datapakke.pack.chart_specs import ComparisonKey, SpineChart
from datapakke.pack.context import PackContext
from datapakke.pack.labels import (
    ADJUSTED,
    COUNTED_METHODS,
    NOT_ADJUSTED,
    TREND_SYMBOL,
    TREND_WORD,
    VERDICT,
    age_adjustment,
    flag_label,
    shown_value,
    trend_legend,
    unit_label,
    value_label,
)
from datapakke.pack.model import DataTable, KeyFigureGroup, KeyFigureRow, KeyFigures, TableColumn
from datapakke.pack.pooled import pooled_period
from datapakke.pack.text import join_names, upper_first

# The key-figures table's column "Aldersjusteret", by age_adjustment().
ADJUSTMENT_CELL = {ADJUSTED: "ja", NOT_ADJUSTED: "nej", "": "–"}
SPINE_LEGEND = (
    "Spændet: den lyse bjælke rummer alle {peers} med et tal, den mørke den midterste halvdel; "
    "stregen er hele landet, altid i midten; prikken er {area}. Det bedste ligger altid til "
    "højre («dårligst» til venstre, «bedst» til højre); uden en retning ligger det laveste tal "
    "til venstre. Folketal har ingen landsstreg: landets tal er en sum."
)
# The notes under the table take about as much of its second page as this many rows.
NOTES_AS_ROWS = 6
ADJUSTMENT_LEGEND = (
    "Aldersjusteret: «ja» køns- og aldersstandardiseret (eller middellevetid) og direkte "
    "sammenlignelig; «nej» en andel eller rate, der også afspejler alderen i området; «–» hel "
    "optælling, der ikke sammenlignes."
)


def key_figures(ctx: PackContext) -> KeyFigures:
    """The key-figures pages of the pack's area."""
    groups = []
    numbers: list[tuple[Any, ...]] = []
    decimals: list[int] = []
    flags: set[str] = set()
    for theme in ctx.catalogue.themes:
        rows = []
        for indicator in (i for i in ctx.catalogue.in_theme(theme.id) if i.headline):
            row, flat = _row(ctx, indicator)
            rows.append(row)
            numbers.append((theme.title, *flat))
            decimals.append(indicator.decimals)
            cluster = ctx.row(indicator.id, ctx.area, _year(ctx, indicator))
            if cluster is None or cluster["value"] is None:
                flags.add(cluster["flag"] if cluster else "not_available")
        if rows:
            groups.append(KeyFigureGroup(theme.id, theme.title, tuple(rows)))
    pooled = _pooled_note(ctx)
    counts = {r.peers for g in groups for r in g.rows if r.spine is not None}
    most = max(counts, default=0)
    if len(counts) > 1:  # the header gives the usual number; a row with fewer says so
        groups = [
            replace(g, rows=tuple(_with_peers_note(ctx, r, most) for r in g.rows)) for g in groups
        ]
    return KeyFigures(
        year=ctx.last_year,
        range_header=_range_header(ctx, most),
        lead=(
            f"Alle nøgletal for {ctx.area.name} med {_beside(ctx)}; spændet viser, "
            f"hvor {ctx.words.bestemt} ligger blandt de {ctx.peer_plural}, der har et tal."
        ),
        groups=tuple(groups),
        pages=split_groups(tuple(groups), NOTES_AS_ROWS + bool(pooled)),
        notes=(
            SPINE_LEGEND.format(peers=ctx.peer_plural, area=ctx.words.bestemt),
            ADJUSTMENT_LEGEND,
            trend_legend(TREND_YEARS, ctx.trend_level_text),
            *(ctx.footnote(f) for f in sorted(flags) if ctx.footnote(f)),
            *((pooled,) if pooled else ()),
        ),
        table=DataTable(columns=_columns(ctx), rows=tuple(numbers), row_decimals=tuple(decimals)),
        value_header=upper_first(ctx.words.bestemt),
        region_header="Regionen" if ctx.area.level != "region" else None,
    )


def _pooled_note(ctx: PackContext) -> str:
    """The published pooled figures of the headline indicators whose latest year the table
    cannot show for the area (as its comparison chart in the full pack shows them), '' if
    none: 'Hvor tallet for 2024 ikke kan vises, er tallet for 2020–2024 samlet: Hoftebrud
    (65+) 4,4 pr. 1.000 (som landet).'"""
    by_period: dict[tuple[str, int], list[str]] = {}
    for indicator in ctx.catalogue.indicators:
        if not indicator.headline or indicator.pool_small_areas is None:
            continue
        year = _year(ctx, indicator)
        row = ctx.row(indicator.id, ctx.area, year)
        pooled = ctx.pooled_row(indicator.id, ctx.area)
        if (
            row is None
            or row["value"] is not None
            or pooled is None
            or pooled["value"] is None
            or pooled["year"] != year
        ):
            continue
        value = med_enhed(pooled["value"], indicator.unit, indicator.decimals)
        figure = f"{indicator.display_title} {value}"
        if indicator.compared:
            figure += f" ({VERDICT[pooled['comparison']]})"
        by_period.setdefault((pooled_period(pooled), year), []).append(figure)
    return " ".join(
        f"Hvor tallet for {year} ikke kan vises, er "
        f"{'tallet' if len(figures) == 1 else 'tallene'} for {period}: {join_names(figures)}."
        for (period, year), figures in by_period.items()
    )


def split_groups(
    groups: tuple[KeyFigureGroup, ...], notes_rows: int
) -> tuple[tuple[KeyFigureGroup, ...], tuple[KeyFigureGroup, ...]]:
    """The key figures' theme groups split between two pages, at the theme that balances
    the pages best (the second page also carries the notes, worth ``notes_rows`` rows)."""
    if len(groups) < 2:
        return groups, ()
    sizes = [len(g.rows) + 1 for g in groups]  # a theme's heading takes a row
    total = sum(sizes)
    best = min(
        range(1, len(groups)),
        key=lambda cut: abs(sum(sizes[:cut]) - (total - sum(sizes[:cut]) + notes_rows)),
    )
    return groups[:best], groups[best:]


def _beside(ctx: PackContext) -> str:
    """What the page sets the area beside: 'regionen og hele landet' (a region: the country)."""
    return "hele landet" if ctx.area.level == "region" else "regionen og hele landet"


def _with_peers_note(ctx: PackContext, row: KeyFigureRow, most: int) -> KeyFigureRow:
    if row.spine is None or row.peers == most:
        return row
    return replace(row, peers_note=f"{row.peers} {ctx.peer_plural} med tal")


def _range_header(ctx: PackContext, peers: int) -> str:
    """'Spænd blandt de 22 klynger', or 'Spænd blandt 15 af 22 klynger' when some lack a value."""
    if peers == ctx.peer_total:
        return f"Spænd blandt de {peers} {ctx.peer_plural}"
    return f"Spænd blandt {peers} af {ctx.peer_total} {ctx.peer_plural}"


def _columns(ctx: PackContext) -> tuple[TableColumn, ...]:
    w = ctx.words
    return (
        TableColumn("Tema"),
        TableColumn("Indikator"),
        TableColumn("Enhed"),
        TableColumn("Aldersjustering"),
        TableColumn("Periode"),
        TableColumn("Antal", 0),
        TableColumn(upper_first(w.bestemt)),
        TableColumn("Sammenlignet med landet"),
        TableColumn(f"Udvikling i {w.bestemt}"),
        TableColumn("Regionen"),
        TableColumn("Hele landet"),
        TableColumn(f"Laveste {w.ental}"),
        TableColumn("Nedre kvartil"),
        TableColumn("Øvre kvartil"),
        TableColumn(f"Højeste {w.ental}"),
        TableColumn(f"{upper_first(w.genitiv)} plads (1 = lavest)", 0),
        TableColumn(f"{upper_first(w.flertal)} med tal", 0),
    )


def _year(ctx: PackContext, indicator: Indicator) -> int:
    years = ctx.indicator_years(indicator.id)
    return years[-1] if years else ctx.last_year


def _verdict(indicator: Indicator, comparison: str, shown: bool) -> str:
    if not indicator.compared:
        # A sampled value that is not compared says so; a full count has nothing to compare.
        return VERDICT["not_compared"] if age_adjustment(indicator) else "–"
    return VERDICT[comparison] if shown else VERDICT["not_compared"]


def _count(indicator: Indicator, row: dict[str, Any] | None, threshold: int) -> int | str | None:
    """The persons or events behind the value, the label of a hidden count, or None for an
    indicator that is not a count of persons or events."""
    if indicator.method not in COUNTED_METHODS or row is None:
        return None
    if row["numerator"] is None:
        return flag_label(row["flag"], threshold)
    return int(row["numerator"])


def _row(ctx: PackContext, indicator: Indicator) -> tuple[KeyFigureRow, tuple[Any, ...]]:
    year = _year(ctx, indicator)
    cluster = ctx.row(indicator.id, ctx.area, year)
    region = ctx.row(indicator.id, ctx.region_area, year)
    country = ctx.row(indicator.id, ctx.country, year)
    value = cluster["value"] if cluster else None
    shown = indicator.compared and value is not None and cluster is not None
    comparison: ComparisonKey = cluster["comparison"] if shown and cluster else "not_compared"
    trend = cluster["trend"] if cluster and indicator.compared else "not_computed"
    others = ctx.peer_values(indicator.id, year)
    spine, alt = _spine(ctx, indicator, others, value, country, comparison)
    ends = spine.ends if spine else None
    left_word, right_word = _end_words(indicator)
    adjustment = age_adjustment(indicator)
    period = ctx.period(indicator, year)
    # The table's caption names the year; a row says its period only where it differs.
    unit = unit_label(indicator) + ("" if period == str(ctx.last_year) else f", {period}")
    row = KeyFigureRow(
        indicator_id=indicator.id,
        title=indicator.display_title,
        unit=unit,
        period=period,
        decimals=indicator.decimals,
        count=_count(indicator, cluster, ctx.threshold),
        cluster=shown_value(cluster, ctx.threshold),
        comparison=comparison,
        verdict=_verdict(indicator, comparison, shown),
        trend=trend,
        trend_symbol=TREND_SYMBOL[trend] if indicator.compared else "",
        trend_word=TREND_WORD[trend] if indicator.compared else "",
        region=shown_value(region, ctx.threshold),
        country=shown_value(country, ctx.threshold),
        left=ends[0] if ends else None,
        left_word=left_word,
        right=ends[1] if ends else None,
        right_word=right_word,
        peers=len(others),
        spine=spine,
        spine_alt=alt,
        adjustment=ADJUSTMENT_CELL[adjustment],
    )
    quartiles = _quartiles(others)
    flat = (
        indicator.display_title,
        unit_label(indicator),
        adjustment,
        row.period,
        cluster["numerator"] if cluster and indicator.method in COUNTED_METHODS else None,
        value if value is not None else value_label(cluster["flag"] if cluster else ""),
        row.verdict,
        TREND_WORD[trend] if indicator.compared else "",
        row.region,
        row.country,
        others[0] if others else None,
        quartiles[0] if quartiles else None,
        quartiles[1] if quartiles else None,
        others[-1] if others else None,
        _rank(others, value) if others and value is not None else None,
        len(others) or None,
    )
    return row, flat


def _end_words(indicator: Indicator) -> tuple[str, str]:
    return ("lavest", "højest") if indicator.polarity == "none" else ("dårligst", "bedst")


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
    comparison: ComparisonKey,
) -> tuple[SpineChart | None, str]:
    quartiles = _quartiles(others)
    if quartiles is None:
        return None, ""
    # A count's national value is a sum, not a level an area can be compared with.
    national = country["value"] if country and indicator.unit != "persons" else None
    spine = SpineChart(
        low=others[0],
        high=others[-1],
        quartiles=quartiles,
        reference=national,
        value=value,
        comparison=comparison,
        higher_is_better=None
        if indicator.polarity == "none"
        else indicator.polarity == "higher_better",
    )
    d = indicator.decimals
    peers = f"{len(others)} {ctx.peer_plural}"
    w = ctx.words
    if value is None:
        place = f"{upper_first(w.genitiv)} eget tal vises ikke."
    else:
        place = (
            f"{upper_first(w.bestemt)} ({tal(value, d)}) ligger som nummer "
            f"{_rank(others, value)} af {peers} med tal, regnet fra den laveste værdi."
        )
    left_word, right_word = _end_words(indicator)
    left, right = spine.ends
    alt = (
        f"{indicator.display_title}: {place} Til venstre {w.artikel} {left_word}e {w.ental} "
        f"({tal(left, d)}), til højre den {right_word}e ({tal(right, d)})"
        + (f"; hele landet i midten: {tal(national, d)}." if national is not None else ".")
    )
    return spine, alt
