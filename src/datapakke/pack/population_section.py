"""Populationsoverblik: the area's population by part (municipality, cluster), age, sex and over
the years."""

from __future__ import annotations

import polars as pl

from datapakke.engine.strata import AGE_BANDS
from datapakke.numbers import heltal, tal
from datapakke.pack.blocks import indicator_block
from datapakke.pack.chart_specs import Bar, BarChart, LineChart, PyramidChart, ReferenceLine, Series
from datapakke.pack.context import AreaKey, PackContext
from datapakke.pack.messages import theme_findings
from datapakke.pack.model import DataTable, Figure, Section, TableColumn
from datapakke.pack.overview import theme_matrix
from datapakke.pack.text import count_word, join_names, upper_first
from datapakke.pack.trend import trend_areas

SOURCE = "Kilde: Befolkningsregistret (CPR), befolkningen pr. 1. januar."
THEME = "populationsoverblik"
# Drawn by the figures of this module; the theme's other indicators get indicator blocks.
POPULATION_FIGURE_INDICATORS = frozenset(
    {"folketal", "folketal_udvikling", "andel_65plus", "andel_80plus"}
)


def population_section(ctx: PackContext) -> Section:
    """The Populationsoverblik chapter."""
    figures: tuple[Figure, ...]
    if ctx.parts:
        figures = (
            _population_by_kommune(ctx),
            _pyramid(ctx),
            _age_share(ctx, "andel_65plus", "65"),
            _age_share(ctx, "andel_80plus", "80"),
            _development(ctx),
        )
    else:  # no parts: comparing the area with itself would show the same bar twice
        figures = (_pyramid(ctx), _development(ctx))
    indicators = ctx.catalogue.in_theme(THEME)
    findings = theme_findings(ctx, indicators)
    others = [i for i in indicators if i.id not in POPULATION_FIGURE_INDICATORS]
    theme = ctx.catalogue.theme(THEME)
    return Section(
        id=THEME,
        title=theme.title,
        paragraphs=_summary(ctx),
        figures=figures,
        findings=findings.cluster,
        kommune_findings=findings.kommuner,
        findings_note=findings.note,
        matrix=theme_matrix(ctx, THEME, indicators),
        blocks=tuple(indicator_block(ctx, i) for i in others),
        missing=tuple(i.title for i in others if not ctx.has(i.id)),
    )


def _summary(ctx: PackContext) -> tuple[str, ...]:
    year, cluster, country = ctx.last_year, ctx.area, ctx.country
    folketal = ctx.value("folketal", cluster)
    n = len(ctx.parts)
    spread = (
        f" fordelt på {count_word(n)} {ctx.part_words.ental if n == 1 else ctx.part_words.flertal}"
        if ctx.parts
        else ""
    )
    text = [
        f"{cluster.name} har {heltal(folketal)} indbyggere pr. 1. januar {year}{spread}. "
        f"{tal(ctx.value('andel_65plus', cluster))} pct. er 65 år eller ældre "
        f"(hele landet: {tal(ctx.value('andel_65plus', country))} pct.), og "
        f"{tal(ctx.value('andel_80plus', cluster))} pct. er 80 år eller ældre "
        f"(hele landet: {tal(ctx.value('andel_80plus', country))} pct.)."
    ]
    change = ctx.value("folketal_udvikling", cluster)
    national = ctx.value("folketal_udvikling", country)
    if change is not None and national is not None:
        text.append(
            f"Fra {_development_years(ctx)[0]} til {year} er folketallet {_direction(change)} "
            f"(hele landet: {tal(national, signed=True)} pct.)."
        )
    text.append(
        "Folketal og aldersandele er hele optællinger fra befolkningsregistret og har ingen "
        "statistisk usikkerhed; de er offentlig statistik og skjules derfor ikke."
    )
    return tuple(text)


def _development_years(ctx: PackContext) -> tuple[int, ...]:
    """The years folketal_udvikling spans (its catalogue window)."""
    return ctx.period_years(ctx.catalogue.get("folketal_udvikling"), ctx.last_year)


def _direction(percent: float) -> str:
    if round(percent, 1) == 0:
        return "uændret"
    word = "steget" if percent > 0 else "faldet"
    return f"{word} med {tal(abs(percent))} pct."


def _population_by_kommune(ctx: PackContext) -> Figure:
    year = ctx.last_year
    rows = sorted(((k, ctx.value("folketal", k) or 0.0) for k in ctx.parts), key=lambda r: -r[1])
    total = ctx.value("folketal", ctx.area) or 0.0
    largest, smallest = rows[0], rows[-1]
    words = ctx.part_words
    alt = (
        f"Vandrette søjler med folketallet pr. 1. januar {year} i {ctx.words.genitiv} "
        f"{len(rows)} {words.ental if len(rows) == 1 else words.flertal}, i alt {heltal(total)}."
    )
    if len(rows) > 1:
        alt += (
            f" Størst er {largest[0].name} med {heltal(largest[1])}, "
            f"mindst er {smallest[0].name} med {heltal(smallest[1])}."
        )
    table_rows = [(k.name, int(v), 100.0 * v / total if total else None) for k, v in rows]
    table_rows.append((ctx.area.name, int(total), 100.0))
    return Figure(
        id="folketal-kommuner",
        title=f"Folketal i {ctx.words.genitiv} {words.flertal}, 1. januar {year}",
        chart=BarChart(
            bars=tuple(Bar(k.name, v) for k, v in rows),
            unit_label="Indbyggere",
            decimals=0,
        ),
        alt=alt,
        table=DataTable(
            columns=(
                TableColumn(upper_first(words.ental)),
                TableColumn("Folketal", 0),
                TableColumn(f"Andel af {ctx.words.bestemt} (pct.)", 1),
            ),
            rows=tuple(table_rows),
            emphasised_rows=frozenset({len(table_rows) - 1}),
        ),
        source=SOURCE,
    )


def _pyramid_shares(ctx: PackContext, area: AreaKey) -> dict[tuple[int, str], float]:
    frame = ctx.population.filter(
        pl.col("area_level") == area.level,
        pl.col("area_code") == area.code,
        pl.col("year") == ctx.last_year,
    )
    total = frame["personer"].sum()
    return {
        (band, sex): 100.0 * persons / total
        for band, sex, persons in frame.select("aldersgruppe", "koen", "personer").iter_rows()
    }


def _pyramid(ctx: PackContext) -> Figure:
    cluster = _pyramid_shares(ctx, ctx.area)
    country = _pyramid_shares(ctx, ctx.country)
    bands = range(len(AGE_BANDS))

    def column(shares: dict[tuple[int, str], float], sex: str) -> tuple[float, ...]:
        return tuple(shares.get((b, sex), 0.0) for b in bands)

    over_65 = ctx.value("andel_65plus", ctx.area)
    over_65_country = ctx.value("andel_65plus", ctx.country)
    comparison = _more_or_fewer(over_65, over_65_country)
    return Figure(
        id="befolkningspyramide",
        title=f"Befolkningen efter alder og køn, {ctx.area.name} og hele landet, "
        f"1. januar {ctx.last_year}",
        chart=PyramidChart(
            bands=AGE_BANDS,
            men=column(cluster, "M"),
            women=column(cluster, "K"),
            reference_men=column(country, "M"),
            reference_women=column(country, "K"),
            area_label=ctx.area.name,
            reference_label="Hele landet",
        ),
        alt=(
            f"Befolkningspyramide for {ctx.area.name} pr. 1. januar {ctx.last_year}: "
            "andelen af befolkningen i hver 5-års aldersgruppe, mænd til venstre og kvinder "
            "til højre, med hele landet som sort omrids. "
            f"{tal(over_65)} pct. af {ctx.words.genitiv} indbyggere er 65 år eller ældre, "
            f"{comparison} i hele landet ({tal(over_65_country)} pct.)."
        ),
        table=DataTable(
            columns=(
                TableColumn("Alder"),
                TableColumn(f"Mænd, {ctx.words.bestemt} (pct.)", 1),
                TableColumn(f"Kvinder, {ctx.words.bestemt} (pct.)", 1),
                TableColumn("Mænd, hele landet (pct.)", 1),
                TableColumn("Kvinder, hele landet (pct.)", 1),
            ),
            rows=tuple(
                (
                    AGE_BANDS[b],
                    cluster.get((b, "M"), 0.0),
                    cluster.get((b, "K"), 0.0),
                    country.get((b, "M"), 0.0),
                    country.get((b, "K"), 0.0),
                )
                for b in reversed(bands)
            ),
        ),
        source=SOURCE,
    )


def _more_or_fewer(value: float | None, reference: float | None) -> str:
    if value is None or reference is None or round(value, 1) == round(reference, 1):
        return "det samme som"
    return "mere end" if value > reference else "mindre end"


def _age_share(ctx: PackContext, indicator_id: str, age: str) -> Figure:
    year = ctx.last_year
    areas = (*ctx.parts, ctx.area)
    bars = tuple(
        Bar(a.name, ctx.value(indicator_id, a), "cluster" if a == ctx.area else "kommune")
        for a in areas
    )
    region_value = ctx.value(indicator_id, ctx.region_area) if ctx.parents else None
    country_value = ctx.value(indicator_id, ctx.country)
    references = tuple(
        line
        for line in (
            ReferenceLine(ctx.region_area.name, region_value, "region")
            if region_value is not None
            else None,
            ReferenceLine(ctx.country.name, country_value, "country")
            if country_value is not None
            else None,
        )
        if line is not None
    )
    known = [(b.label, b.value) for b in bars[:-1] if b.value is not None]
    highest = max(known, key=lambda r: r[1])
    lowest = min(known, key=lambda r: r[1])
    w = ctx.words
    alt = (
        f"Vandrette søjler med andelen af {age}+ årige pr. 1. januar {year} i hver af "
        f"{w.genitiv} {ctx.part_words.flertal} og i {w.bestemt}, med lodrette linjer for "
        + (f"{ctx.region_area.name} ({tal(region_value)} pct.) og " if ctx.parents else "")
        + f"hele landet ({tal(country_value)} pct.). {upper_first(w.bestemt)}: "
        f"{tal(bars[-1].value)} pct."
    )
    if len(known) > 1:
        alt += (
            f" Højest er {highest[0]} med {tal(highest[1])} pct., "
            f"lavest {lowest[0]} med {tal(lowest[1])} pct."
        )
    rows: list[tuple[str, float | None, int | None, int | None]] = []
    for area in (*areas, *ctx.parents, ctx.country):
        row = ctx.row(indicator_id, area)
        rows.append(
            (
                area.name,
                *((row["value"], row["numerator"], row["denominator"]) if row else (None,) * 3),
            )
        )
    return Figure(
        id=f"andel-{age}plus",
        title=f"Andel {age}+ årige i {w.genitiv} {ctx.part_words.flertal}, 1. januar {year}",
        chart=BarChart(bars=bars, unit_label="Pct. af befolkningen", references=references),
        alt=alt,
        table=DataTable(
            columns=(
                TableColumn("Område"),
                TableColumn(f"Andel {age}+ årige (pct.)", 1),
                TableColumn(f"Antal {age}+ årige", 0),
                TableColumn("Folketal", 0),
            ),
            rows=tuple(rows),
            emphasised_rows=frozenset({len(areas) - 1}),
        ),
        source=SOURCE,
    )


def _development(ctx: PackContext) -> Figure:
    lines = tuple((area, style) for area, style, _label in trend_areas(ctx))
    years = _development_years(ctx)
    series = []
    for area, style in lines:
        values = ctx.series("folketal", area)
        base = values.get(years[0])
        index = tuple(
            100.0 * v / base if (v is not None and base) else None
            for v in (values.get(y) for y in years)
        )
        series.append(Series(area.name, index, style))  # type: ignore[arg-type]
    table_rows = []
    for area in (*ctx.parts, ctx.area, *ctx.parents, ctx.country):
        values = ctx.series("folketal", area)
        table_rows.append(
            (area.name, *(values.get(y) for y in years), ctx.value("folketal_udvikling", area))
        )
    cluster_change = ctx.value("folketal_udvikling", ctx.area)
    country_change = ctx.value("folketal_udvikling", ctx.country)
    return Figure(
        id="udvikling-folketal",
        title=f"Udvikling i folketal, {years[0]}–{years[-1]} (indeks {years[0]} = 100)",
        chart=LineChart(
            years=years,
            series=tuple(series),
            unit_label=f"Indeks ({years[0]} = 100)",
            baseline=100.0,
        ),
        alt=(
            f"Linjediagram over folketallets udvikling fra {years[0]} til {years[-1]} som "
            f"indeks ({years[0]} = 100) for "
            + join_names([*(a.name for a, _style in lines[:-1]), "hele landet"])
            + f". {upper_first(ctx.words.genitiv)} folketal ændrede sig med "
            f"{tal(cluster_change, signed=True)} "
            f"pct., hele landets med {tal(country_change, signed=True)} pct."
        ),
        table=DataTable(
            columns=(
                TableColumn("Område"),
                *(TableColumn(str(y), 0) for y in years),
                TableColumn(f"Ændring {years[0]}–{years[-1]} (pct.)", 1),
            ),
            rows=tuple(table_rows),
            emphasised_rows=frozenset({len(ctx.parts)}),
        ),
        source=SOURCE,
    )
