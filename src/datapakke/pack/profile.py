"""The four-page profile (``--profil kort``): the document a politician gets.

Page 1 the area, its population and 5-8 key sentences across the themes (each with
its count and the comparison in words, taken from the themes' own findings, so the
profile never says what the full pack does not); pages 2-3 every headline indicator
(the key figures, split between the pages at a theme as in the full pack); page 4
population, ageing and the population projection, where one was supplied. Like FHI's
folkehelseprofil, it leaves the detail to the full pack.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from datapakke.numbers import heltal, tal
from datapakke.pack.context import AreaKey, PackContext
from datapakke.pack.messages import NO_FINDINGS
from datapakke.pack.model import (
    DataTable,
    Message,
    MessageGroup,
    Profile,
    ProfileTheme,
    TableColumn,
)
from datapakke.pack.population_section import population_paragraphs, pyramid_figure
from datapakke.pack.projection import projection_source
from datapakke.pack.text import count_word, upper_first

# Page 1 holds the population's sentence and up to this many of the themes' findings.
MAX_THEME_SENTENCES = 7
# Page 4 lists the parts of an area only up to this many (the full pack lists them all),
# so that the page never runs over.
MAX_AGEING_PARTS = 12
# The age groups of the ageing table and the projection: (indicator, words).
AGE_GROUPS = (("andel_65plus", "65+ årige"), ("andel_80plus", "80+ årige"))
PROJECTION_AGES = {"65+": "65+ årige", "80+": "80+ årige"}


def profile(ctx: PackContext, messages: tuple[MessageGroup, ...]) -> Profile:
    """The profile of the pack's area, from the pack's findings (pages 2-3 show the pack's
    key figures)."""
    return Profile(
        kicker=f"Sundhedsprofil for {ctx.words.titel}",
        population=_population_sentence(ctx),
        themes=_theme_sentences(ctx, messages),
        population_paragraphs=population_paragraphs(ctx),
        pyramid=pyramid_figure(ctx),
        ageing=_ageing_table(ctx),
        ageing_caption=f"Ældre borgere pr. 1. januar {ctx.last_year}",
        projection=_projection_table(ctx),
        projection_caption=f"De ældre i {ctx.area.name} om 5 og 10 år (fremskrivning)",
        full_pack_note=(
            f"Profilen er et uddrag af datapakken for {ctx.area.name}: den fulde datapakke "
            f"viser hver indikator for {ctx.shown_phrase}, med udviklingen, tallene bag og "
            "metoden."
        ),
    )


def _population_sentence(ctx: PackContext) -> str:
    """'Horsensklyngen har 230.512 indbyggere i fire kommuner; 21,0 pct. (48.112) er ...'."""
    area, country = ctx.area, ctx.country
    folketal = ctx.value("folketal", area)
    parts = len(ctx.parts)
    spread = f" i {count_word(parts)} {ctx.part_words.flertal}" if parts else ""
    ages = []
    for indicator_id, words in AGE_GROUPS:
        row = ctx.row(indicator_id, area)
        if row is None or row["value"] is None:
            continue
        count = f" ({heltal(row['numerator'])})" if row["numerator"] is not None else ""
        national = ctx.value(indicator_id, country)
        ages.append(
            f"{tal(row['value'])} pct.{count} er {words} (hele landet: {tal(national)} pct.)"
        )
    text = f"{area.name} har {heltal(folketal)} indbyggere pr. 1. januar {ctx.last_year}{spread}"
    return text + (f"; {' og '.join(ages)}." if ages else ".")


def _theme_sentences(
    ctx: PackContext, messages: tuple[MessageGroup, ...]
) -> tuple[ProfileTheme, ...]:
    """Each theme's strongest findings, round by round (every theme its first, then its
    second...), until page 1 holds MAX_THEME_SENTENCES; a theme without findings says so."""
    taken: list[list[Message]] = [[] for _ in messages]
    budget = MAX_THEME_SENTENCES
    for depth in range(max((len(g.messages) for g in messages), default=0) or 1):
        for i, group in enumerate(messages):
            if budget == 0:
                break
            if depth < len(group.messages):
                taken[i].append(group.messages[depth])
                budget -= 1
            elif depth == 0:
                taken[i].append(Message("", NO_FINDINGS.format(whose=ctx.words.genitiv), "", ""))
                budget -= 1
    return tuple(
        ProfileTheme(g.theme_id, g.title, tuple(sentences))
        for g, sentences in zip(messages, taken, strict=True)
        if sentences
    )


def _ageing_table(ctx: PackContext) -> DataTable:
    """Population and the 65+ and 80+ (count and share) of the parts, the area, the areas
    around it and the country: public register counts, never hidden."""
    parts = ctx.parts if len(ctx.parts) <= MAX_AGEING_PARTS else ()
    areas = (*parts, ctx.area, *ctx.parents, ctx.country)
    rows = []
    for area in areas:
        cells: list[Any] = [area.name, ctx.value("folketal", area)]
        for indicator_id, _words in AGE_GROUPS:
            row = ctx.row(indicator_id, area)
            cells += [row["numerator"], row["value"]] if row else [None, None]
        rows.append(tuple(cells))
    columns = [TableColumn("Område"), TableColumn("Folketal", 0)]
    for _indicator_id, words in AGE_GROUPS:
        columns += [TableColumn(f"{upper_first(words)}", 0), TableColumn("Pct.", 1)]
    notes = (
        ()
        if len(parts) == len(ctx.parts)
        else (f"De {len(ctx.parts)} {ctx.part_words.flertal} står i den fulde datapakke.",)
    )
    return DataTable(
        columns=tuple(columns),
        rows=tuple(rows),
        emphasised_rows=frozenset({areas.index(ctx.area)}),
        notes=notes,
    )


def _projection_table(ctx: PackContext) -> DataTable | None:
    """The 65+ and 80+ of the area now and in 5 and 10 years (``Results.projection``),
    or None when the extract came without a projection."""
    frame = _projection_rows(ctx, ctx.area)
    if frame.is_empty():
        return None
    horizons = sorted(set(frame["horizon"].to_list()))
    base_year = int(frame["base_year"][0])
    rows = []
    for age, words in PROJECTION_AGES.items():
        group = frame.filter(pl.col("age_group").str.strip_suffix(" år") == age)
        if group.is_empty():
            continue
        now = int(group["persons_base"][0])
        by_horizon = dict(zip(group["horizon"].to_list(), group["persons"].to_list(), strict=True))
        last = by_horizon.get(horizons[-1])
        change = 100.0 * (last - now) / now if last is not None and now else None
        rows.append((upper_first(words), now, *(by_horizon.get(h) for h in horizons), change))
    if not rows:
        return None
    return DataTable(
        columns=(
            TableColumn("Aldersgruppe"),
            TableColumn(f"{base_year} (registrene)", 0),
            *(TableColumn(f"{base_year + h} (fremskrevet)", 0) for h in horizons),
            TableColumn(f"Ændring {base_year}–{base_year + horizons[-1]} (pct.)", 1),
        ),
        rows=tuple(rows),
        notes=(
            f"Kilde: {projection_source(ctx)}: en forventning, ikke en optælling; offentlig "
            "statistik, der ikke skjules.",
        ),
    )


def _projection_rows(ctx: PackContext, area: AreaKey) -> pl.DataFrame:
    """The projection's rows of ``area`` for both sexes together, if the results have any."""
    return ctx.results.projection.filter(
        pl.col("area_level") == area.level,
        pl.col("area_code") == area.code,
        pl.col("sex").is_null(),
    )
