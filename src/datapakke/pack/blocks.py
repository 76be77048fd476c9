"""One indicator in its theme: the areas side by side, the development, a summary, the numbers.

Every text, alt text and table here is generated from the area's rows of the
IndicatorTable; a value that is not published appears as its label ("<5", "for
få tilfælde"), never as a number and never as zero.
"""

from __future__ import annotations

from typing import Any

from datapakke.engine.catalogue import POLARITY_LABELS, Indicator
from datapakke.engine.compare import TREND_YEARS
from datapakke.engine.compute import Results
from datapakke.engine.params import LifeExpectancyParams
from datapakke.numbers import aar_interval, med_enhed, tal
from datapakke.pack.chart_specs import (
    ComparisonChart,
    ComparisonKey,
    ComparisonRow,
)
from datapakke.pack.context import AreaKey, PackContext
from datapakke.pack.labels import (
    NOT_ADJUSTED,
    SIGNIFICANT,
    TREND_LONG,
    VERDICT,
    VERDICT_LONG,
    age_adjustment,
    flag_label,
    unit_label,
    value_label,
)
from datapakke.pack.model import DataTable, Figure, IndicatorBlock, TableColumn
from datapakke.pack.phrases import count_beside
from datapakke.pack.pooled import (
    PooledParts,
    pooled_caption,
    pooled_label,
    pooled_parts,
    pooled_period,
    pooled_sentence,
)
from datapakke.pack.text import join_names, lower_first, sentence, upper_first
from datapakke.pack.trend import (
    numbers_table,
    numbers_under_trend,
    source_line,
    trend_figure,
    trend_years,
)

REGION_VERDICT = {
    "better": "signifikant bedre end regionen",
    "worse": "signifikant dårligere end regionen",
    "similar": "ikke signifikant forskellig fra regionen",
    "higher": "signifikant højere end regionen",
    "lower": "signifikant lavere end regionen",
}


def indicator_block(ctx: PackContext, indicator: Indicator) -> IndicatorBlock:
    """The block of one indicator; an indicator without data says so in words."""
    title = indicator.title
    if not ctx.has(indicator.id):
        return IndicatorBlock(
            id=indicator.id,
            title=title,
            subtitle=subtitle(indicator),
            summary=(missing_sentence(indicator, ctx.results),),
            comparison=None,
            trend=None,
            table=None,
        )
    year = ctx.indicator_years(indicator.id)[-1]
    areas = shown_areas(ctx)
    pooled = pooled_parts(ctx, indicator, year)
    comparison = _comparison_figure(ctx, indicator, areas, year, pooled)
    trend = trend_figure(ctx, indicator)
    flags = {
        row["flag"]
        for area in (*areas, ctx.country)
        if (row := ctx.row(indicator.id, area, year)) is not None and row["value"] is None
    }
    under_trend = numbers_under_trend(comparison, len(trend_years(ctx, indicator)))
    return IndicatorBlock(
        id=indicator.id,
        title=title,
        subtitle=subtitle(indicator),
        summary=_summary(ctx, indicator, year, pooled),
        comparison=comparison,
        trend=trend,
        table=numbers_table(ctx, indicator, by_year=under_trend)
        if trend_years(ctx, indicator)
        else None,
        notes=tuple(ctx.footnote(f) for f in sorted(flags) if ctx.footnote(f)),
        table_under_trend=under_trend,
    )


def shown_areas(ctx: PackContext) -> tuple[AreaKey, ...]:
    """The parts (unless there is only one), the area, the areas around it (not the country)."""
    return (*ctx.parts, ctx.area, *ctx.parents)


def subtitle(indicator: Indicator) -> str:
    """Unit, method and polarity in one line, e.g. 'Pr. 1.000 65+ årige, køns- og ...'."""
    unit = unit_label(indicator)
    unit = unit[:1].upper() + unit[1:]
    settings = indicator.settings
    if indicator.method == "rate_standardised":
        unit += ", køns- og aldersstandardiseret"
    elif isinstance(settings, LifeExpectancyParams):
        unit += f", data for op til {settings.pool_years} år samlet"
    elif age_adjustment(indicator) == NOT_ADJUSTED:
        unit += f", {NOT_ADJUSTED}"
    if age_adjustment(indicator) and not indicator.compared:
        unit += ", sammenlignes ikke med landet"
    polarity = POLARITY_LABELS[indicator.polarity]
    if indicator.polarity == "none":
        polarity = "Ingen vurdering af bedre eller dårligere"
    return f"{sentence(unit)} {polarity}."


def missing_sentence(indicator: Indicator, results: Results) -> str:
    """Why an indicator is not in the pack, in plain words."""
    lacking = [t for t in indicator.tables if t in results.missing_tables]
    if lacking:
        which = (
            f"tabellen {lacking[0]}" if len(lacking) == 1 else f"tabellerne {join_names(lacking)}"
        )
        return (
            f"Indikatoren kan ikke vises, fordi registerudtrækket ikke indeholder {which}, "
            "som den beregnes ud fra."
        )
    if indicator.id in results.missing_aggregates:
        return (
            f"Indikatoren kan ikke vises: datapakken har ikke fået tallene fra {indicator.source}."
        )
    return "Indikatoren kunne ikke beregnes ud fra registerudtrækket."


def _row_of(
    ctx: PackContext, indicator: Indicator, area: AreaKey, year: int, pooled: PooledParts
) -> ComparisonRow:
    row = ctx.row(indicator.id, area, year)
    emphasis = area == ctx.area
    separated = emphasis and bool(ctx.parts)
    label = area.name
    if area in pooled:
        row, label = pooled[area], pooled_label(area, pooled[area])
    if row is None or row["value"] is None:
        flag = "not_available" if row is None else row["flag"]
        return ComparisonRow(
            area.name, None, None, None, "not_compared", "",
            missing=value_label(flag, ctx.threshold), emphasis=emphasis, separated=separated,
        )  # fmt: skip
    comparison: ComparisonKey = row["comparison"] if indicator.compared else "not_compared"
    verdict = VERDICT[comparison] if indicator.compared else ""
    return ComparisonRow(
        label, row["value"], row["lower"], row["upper"], comparison, verdict,
        emphasis=emphasis, separated=separated,
    )  # fmt: skip


def _comparison_figure(
    ctx: PackContext,
    indicator: Indicator,
    areas: tuple[AreaKey, ...],
    year: int,
    pooled: PooledParts,
) -> Figure:
    rows = tuple(_row_of(ctx, indicator, area, year, pooled) for area in areas)
    national = ctx.value(indicator.id, ctx.country, year)
    unit = unit_label(indicator)
    figure_id = f"{indicator.id}-omraader"
    when = f"{ctx.period(indicator, year)}{pooled_caption(pooled)}"
    title = f"{indicator.title}: {ctx.shown_phrase}, {when}"
    table = _comparison_table(ctx, indicator, (*areas, ctx.country), year, pooled)
    if all(r.value is None for r in rows):
        reason = (
            f"Ingen af tallene for {year} kan vises: de bygger på for få tilfælde "
            "eller kunne ikke beregnes."
        )
        caption = f"{upper_first(ctx.shown_phrase)}, {ctx.period(indicator, year)}"
        return Figure(
            figure_id, title, None, reason, table, source_line(indicator),
            caption=caption, empty_reason=reason,
        )  # fmt: skip
    chart = ComparisonChart(
        rows=rows,
        reference_label="Hele landet",
        reference=national,
        unit_label=unit[:1].upper() + unit[1:],
        decimals=indicator.decimals,
        zero_based=indicator.unit != "years",
    )
    return Figure(
        id=figure_id,
        title=title,
        chart=chart,
        alt=_comparison_alt(ctx, indicator, rows, national, year, pooled),
        table=table,
        source=source_line(indicator),
        caption=f"{upper_first(ctx.shown_phrase)}, {when}",
    )


def _comparison_alt(
    ctx: PackContext,
    indicator: Indicator,
    rows: tuple[ComparisonRow, ...],
    national: float | None,
    year: int,
    pooled: PooledParts,
) -> str:
    kind = "Søjlediagram" if indicator.unit != "years" else "Punktdiagram"
    cluster = next(r for r in rows if r.emphasis)
    parts = [
        f"{kind} over {lower_first(indicator.title)} i {year} for {ctx.shown_phrase} "
        f"med {ctx.level_text}-konfidensintervaller og en lodret linje for hele landet "
        f"({med_enhed(national, indicator.unit, indicator.decimals)})."
    ]
    if cluster.value is not None:
        verdict = VERDICT_LONG[cluster.comparison] if indicator.compared else ""
        parts.append(
            f"{cluster.label}: {med_enhed(cluster.value, indicator.unit, indicator.decimals)}"
            + (f", {verdict}." if verdict else ".")
        )
    else:
        parts.append(f"{cluster.label}: vises ikke ({cluster.missing}).")
    part_names = {p.name for p in ctx.parts}
    kommuner = [r for r in rows if r.label in part_names]
    for key in ("worse", "better", "higher", "lower"):
        names = [r.label for r in kommuner if r.comparison == key]
        if names:
            parts.append(
                f"{upper_first(ctx.part_words.flertal)} {VERDICT_LONG[key]}: {join_names(names)}."
            )
    known = [r for r in kommuner if r.value is not None]
    if len(known) > 1:
        top = max(known, key=lambda r: r.value or 0.0)
        bottom = min(known, key=lambda r: r.value or 0.0)
        parts.append(
            f"Højest er {top.label} ({tal(top.value, indicator.decimals)}), "
            f"lavest {bottom.label} ({tal(bottom.value, indicator.decimals)})."
        )
    others = {a: r for a, r in pooled.items() if a != ctx.area}
    if others:
        shown = [
            f"{a.name} {tal(r['value'], indicator.decimals)}"
            + (f" ({VERDICT[r['comparison']]})" if indicator.compared else "")
            for a, r in others.items()
        ]
        parts.append(f"For {pooled_period(next(iter(others.values())))}: {join_names(shown)}.")
    hidden = [f"{r.label} ({r.missing})" for r in rows if r.value is None]
    if hidden:
        parts.append(f"Vises ikke: {join_names(hidden)}.")
    return " ".join(parts)


def _comparison_table(
    ctx: PackContext,
    indicator: Indicator,
    areas: tuple[AreaKey, ...],
    year: int,
    pooled: PooledParts,
) -> DataTable:
    d = indicator.decimals
    # The engine also compares each area with its region; analysts get that in the workbook.
    with_region = "comparison_region" in ctx.results.indicators.columns
    # A part shown by its pooled figure has both rows: its year, hidden, then the pooled one;
    # the country's pooled figure, what those are compared with, comes last.
    entries: list[tuple[AreaKey, dict[str, Any] | None, str]] = []
    for area in areas:
        entries.append((area, ctx.row(indicator.id, area, year), area.name))
        if area in pooled:
            entries.append((area, pooled[area], f"{area.name}, {pooled_period(pooled[area])}"))
    country = ctx.pooled_row(indicator.id, ctx.country)
    if pooled and country is not None and country["value"] is not None:
        entries.append((ctx.country, country, f"{ctx.country.name}, {pooled_period(country)}"))
    rows = []
    for area, row, name in entries:
        numbers = _numbers_row(ctx, indicator, area, row, name)
        if with_region:
            region = row.get("comparison_region") if row else None
            beside_region = area.level not in ("region", "land")
            numbers += (REGION_VERDICT.get(region or "", "") if beside_region else "",)
        rows.append(numbers)
    return DataTable(
        columns=(
            TableColumn("Område"),
            TableColumn("Antal", 0),
            TableColumn("Grundlag", 0),
            TableColumn(f"Værdi ({unit_label(indicator)})", d),
            TableColumn(f"Nedre {ctx.level_text}-grænse", d),
            TableColumn(f"Øvre {ctx.level_text}-grænse", d),
            TableColumn("Sammenlignet med landet"),
            TableColumn("Udvikling"),
            *((TableColumn("Sammenlignet med regionen"),) if with_region else ()),
        ),
        rows=tuple(rows),
        emphasised_rows=frozenset(i for i, (a, _r, _n) in enumerate(entries) if a == ctx.area),
    )


def _numbers_row(
    ctx: PackContext, indicator: Indicator, area: AreaKey, row: dict[str, Any] | None, name: str
) -> tuple[Any, ...]:
    if row is None:
        gap = flag_label("not_available")
        return (name, gap, gap, gap, None, None, "", "")
    numerator = row["numerator"]
    if numerator is None:
        numerator = flag_label(row["flag"], ctx.threshold)
    value = row["value"] if row["value"] is not None else value_label(row["flag"], ctx.threshold)
    compared = indicator.compared and area.level != "land" and row["value"] is not None
    return (
        name,
        numerator,
        row["denominator"],
        value,
        row["lower"],
        row["upper"],
        VERDICT_LONG[row["comparison"]] if compared else "",
        TREND_LONG[row["trend"]] if indicator.compared else "",
    )


def _summary(
    ctx: PackContext, indicator: Indicator, year: int, pooled: PooledParts
) -> tuple[str, ...]:
    row = ctx.row(indicator.id, ctx.area, year)
    national = ctx.value(indicator.id, ctx.country, year)
    unit = indicator.unit
    d = indicator.decimals
    when = ctx.period(indicator, year)
    if row is None or row["value"] is None:
        flag = row["flag"] if row else "not_available"
        first = (
            f"{upper_first(ctx.words.genitiv)} tal for {when} vises ikke "
            f"({value_label(flag, ctx.threshold)})."
        )
    else:
        first = (
            f"{upper_first(ctx.words.bestemt)}: {med_enhed(row['value'], unit, d)} i {when}"
            f"{count_beside(indicator, row)}, hele landet: {med_enhed(national, unit, d)}"
        )
        if indicator.compared:
            first += f" – {VERDICT_LONG[row['comparison']]}"
    sentences = [sentence(first)]
    if ctx.parts and indicator.compared:
        sentences.append(_kommune_sentence(ctx, indicator, year, pooled))
    if row is not None and indicator.compared and row["trend"] != "not_computed":
        years = ctx.indicator_years(indicator.id)[-TREND_YEARS:]
        sentences.append(
            f"Udviklingen i {ctx.words.bestemt} {aar_interval(years)}: {TREND_LONG[row['trend']]}."
        )
    sentences.append(pooled_sentence(ctx, indicator, pooled, year))
    return tuple(s for s in sentences if s)


def _kommune_sentence(
    ctx: PackContext, indicator: Indicator, year: int, pooled: PooledParts
) -> str:
    by_verdict: dict[str, list[str]] = {}
    shown = 0
    for area in ctx.parts:
        row, name = ctx.row(indicator.id, area, year), area.name
        if area in pooled:
            # Shown by its pooled figure, and named with its years.
            row, name = pooled[area], pooled_label(area, pooled[area])
        if row is None or row["value"] is None:
            continue
        shown += 1
        if row["comparison"] in SIGNIFICANT:
            by_verdict.setdefault(row["comparison"], []).append(name)
    if not shown:
        return ""
    if not by_verdict:
        # Say nothing of the parts whose values are not shown.
        words = ctx.part_words
        whose = (
            words.flertal_bestemt
            if shown == len(ctx.parts)
            else f"de viste tal for {words.flertal_bestemt}"
        )
        return f"Ingen af {whose} ligger signifikant anderledes end landet."
    parts = [
        f"{VERDICT_LONG[key].capitalize()}: {join_names(by_verdict[key])}."
        for key in ("worse", "better", "higher", "lower")
        if key in by_verdict
    ]
    return " ".join(parts)
