"""The population projection on the population pages: how many 65+ and 80+ year olds the
cluster and its municipalities can expect in 5 and 10 years (``Results.projection``).

One figure: the growth of the oldest group at the longest horizon as an index per
municipality, with every projected number in its table; one sentence per age group
for the summary; a plain note when no projection was supplied.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from datapakke.engine.params import ProjectionParams
from datapakke.numbers import heltal, tal
from datapakke.pack.chart_specs import Bar, BarChart, ReferenceLine, ReferenceStyle
from datapakke.pack.context import AreaKey, PackContext
from datapakke.pack.model import DataTable, Figure, TableColumn
from datapakke.pack.text import join_names


@dataclass(frozen=True)
class Projected:
    """One area's projection of one age group: persons now and ``horizon`` years on."""

    ages: str  # '80+'
    age_min: int
    horizon: int
    now: int | None
    later: int

    @property
    def index(self) -> float | None:
        """The later persons per 100 now."""
        return None if not self.now else 100.0 * self.later / self.now

    @property
    def change(self) -> float | None:
        """The change from now, in per cent."""
        return None if self.index is None else self.index - 100.0


def projection_ids(ctx: PackContext) -> frozenset[str]:
    """The catalogue's projection indicators (drawn here, not as indicator blocks)."""
    return frozenset(
        i.id for i in ctx.catalogue.indicators if isinstance(i.settings, ProjectionParams)
    )


def _projected(ctx: PackContext, area: AreaKey) -> dict[tuple[int, int], Projected]:
    """(lowest age, horizon) -> the area's projection, for both sexes together."""
    rows = ctx.results.projection.filter(
        pl.col("area_level") == area.level,
        pl.col("area_code") == area.code,
        pl.col("sex").is_null(),
    )
    return {
        (r["age_min"], r["horizon"]): Projected(
            r["age_group"].removesuffix(" år"),
            r["age_min"],
            r["horizon"],
            r["persons_base"],
            r["persons"],
        )
        for r in rows.sort("age_min", "horizon").iter_rows(named=True)
    }


def _base_year(ctx: PackContext) -> int:
    return int(ctx.results.projection["base_year"].max())  # type: ignore[arg-type]


def _source(ctx: PackContext) -> str:
    ids = projection_ids(ctx)
    return join_names(sorted({i.source for i in ctx.catalogue.indicators if i.id in ids}))


def projection_sentences(ctx: PackContext) -> tuple[str, ...]:
    """Per age group at its longest horizon, the area's projected persons in words; or
    that the pack got no projection."""
    if ctx.results.projection.is_empty():
        if not projection_ids(ctx):
            return ()
        return (
            f"Datapakken har ikke fået tallene fra {_source(ctx)}, så den viser ikke, hvor "
            "mange ældre der bliver i de kommende år.",
        )
    base = _base_year(ctx)
    mine_all, country = _projected(ctx, ctx.area), _projected(ctx, ctx.country)
    longest = {key[0]: key for key in mine_all}  # sorted by horizon: the last one stays
    text = []
    for key in longest.values():
        mine, national = mine_all[key], country.get(key)
        compared = (
            f"; hele landet: {tal(national.change, signed=True)} pct."
            if national is not None and national.change is not None
            else ""
        )
        text.append(
            f"Ifølge befolkningsfremskrivningen vil {ctx.area.name} have {heltal(mine.later)} "
            f"borgere på {mine.age_min} år og derover 1. januar {base + mine.horizon} mod "
            f"{heltal(mine.now)} "
            f"i {base} ({tal(mine.change, signed=True)} pct.{compared})."
        )
    return tuple(text)


def projection_figure(ctx: PackContext) -> Figure | None:
    """The projection of the area and its parts, or None when there is none."""
    if ctx.results.projection.is_empty():
        return None
    base = _base_year(ctx)
    projected = {area: _projected(ctx, area) for area in ctx.areas}
    keys = tuple(projected[ctx.area])
    drawn = keys[-1]  # the oldest group at the longest horizon
    ages, year = f"{drawn[0]} år og derover", base + drawn[1]

    def index(area: AreaKey) -> float | None:
        found = projected[area].get(drawn)
        return None if found is None else found.index

    shown = [*ctx.parts, ctx.area]
    bars = tuple(Bar(a.name, index(a), "cluster" if a == ctx.area else "kommune") for a in shown)
    lines: list[tuple[AreaKey, ReferenceStyle]] = [(ctx.country, "country")]
    if ctx.region_area != ctx.area:
        lines.insert(0, (ctx.region_area, "region"))
    references = tuple(
        ReferenceLine(a.name, value, style) for a, style in lines if (value := index(a)) is not None
    )
    alt = (
        f"Vandrette søjler med det fremskrevne antal borgere på {ages} 1. januar {year} "
        f"som indeks, hvor {base} er 100, for {join_names([a.name for a in shown])}: "
        + ", ".join(f"{b.label} {tal(b.value, 0)}" for b in bars)
        + "".join(f", {r.label} {tal(r.value, 0)}" for r in references)
        + "."
    )
    return Figure(
        id="befolkningsfremskrivning",
        title=f"Fremskrevet antal borgere på {ages} i {year} (indeks, {base} = 100)",
        chart=BarChart(bars, f"Indeks ({base} = 100)", 0, references),
        alt=alt,
        table=_table(ctx, projected, keys, base),
        source=f"Kilde: {_source(ctx)} og Befolkningsregistret (CPR).",
    )


def _table(
    ctx: PackContext,
    projected: dict[AreaKey, dict[tuple[int, int], Projected]],
    keys: tuple[tuple[int, int], ...],
    base: int,
) -> DataTable:
    """Per area, each age group now and at each horizon."""
    groups = tuple(dict.fromkeys(age for age, _ in keys))
    named = projected[ctx.area]
    columns = [TableColumn("Område")]
    for age in groups:
        label = next(p.ages for k, p in named.items() if k[0] == age)
        columns.append(TableColumn(f"{label}, {base}", 0))
        columns += [
            TableColumn(f"{label}, {base + h} (fremskrevet)", 0) for a, h in keys if a == age
        ]
    rows = []
    for area in ctx.areas:
        row: list[str | int | None] = [area.name]
        for age in groups:
            found = [projected[area].get((a, h)) for a, h in keys if a == age]
            row.append(next((p.now for p in found if p is not None), None))
            row += [None if p is None else p.later for p in found]
        rows.append(tuple(row))
    return DataTable(
        columns=tuple(columns),
        rows=tuple(rows),
        emphasised_rows=frozenset({ctx.areas.index(ctx.area)}),
        notes=(
            f"Antal borgere pr. 1. januar: {base} fra befolkningsregistret, de senere år "
            "fra befolkningsfremskrivningen.",
        ),
    )
