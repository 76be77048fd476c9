"""Pooled figures in an indicator block: where a municipality's latest year is not shown,
its published figure for the latest years together ("2020–2024 samlet"), beside the
country's (what it is compared with).

The engine decides which pooled rows may be published (``Results.pooled``); a pooled
figure is shown only for a part whose latest single year is hidden, never as the
latest year.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from datapakke.engine.catalogue import Indicator
from datapakke.numbers import aar_interval, tal
from datapakke.pack.context import AreaKey, PackContext
from datapakke.pack.labels import VERDICT, unit_label
from datapakke.pack.model import DataTable, TableColumn
from datapakke.pack.text import join_names, upper_first

# A part with its published pooled row.
Pooled = tuple[AreaKey, dict[str, Any]]


@dataclass(frozen=True)
class PooledFigures:
    """The block's pooled table, its caption and the summary's sentence about it."""

    table: DataTable
    caption: str
    sentence: str


def pooled_figures(ctx: PackContext, indicator: Indicator, year: int) -> PooledFigures | None:
    """The pooled figures of the parts whose value for ``year`` is hidden, or None."""
    pooled = _pooled_parts(ctx, indicator, year)
    if not pooled:
        return None
    period = pooled_period(pooled[0][1])
    instead = f"viser i stedet {'tallet' if len(pooled) == 1 else 'tallene'} for {period}."
    if ctx.parts:
        names = join_names([area.name for area, _row in pooled])
        sentence = f"Tallet for {year} kan ikke vises for {names}; tabellen under figuren {instead}"
    else:
        # The summary's first sentence has said that the area's own year is not shown.
        sentence = f"Tabellen under figuren {instead}"
    who = upper_first(ctx.part_words.flertal) if ctx.parts else ctx.area.name
    return PooledFigures(
        table=_table(ctx, indicator, pooled),
        caption=f"{who} uden vist tal for {year}: {period} ({unit_label(indicator)})",
        sentence=sentence,
    )


def pooled_period(row: dict[str, Any]) -> str:
    """The years a pooled row counts, as the reader sees them: '2020–2024 samlet'."""
    return f"{aar_interval((row['first_year'], row['year']))} samlet"


def _pooled_parts(ctx: PackContext, indicator: Indicator, year: int) -> tuple[Pooled, ...]:
    """The parts (the area itself when it has none, e.g. Bornholm) whose value for
    ``year`` is not shown but whose pooled figure ending in ``year`` is published, in
    the parts' order."""
    found = []
    for area in ctx.parts or (ctx.area,):
        row = ctx.row(indicator.id, area, year)
        pooled = ctx.pooled_row(indicator.id, area)
        if (
            row is not None
            and row["value"] is None
            and row["flag"] != "not_available"
            and pooled is not None
            and pooled["value"] is not None
            and pooled["year"] == year
        ):
            found.append((area, pooled))
    return tuple(found)


def _table(ctx: PackContext, indicator: Indicator, pooled: tuple[Pooled, ...]) -> DataTable:
    """The parts' pooled figures and the country's, with their counts and intervals."""
    d = indicator.decimals
    shown = list(pooled)
    country = ctx.pooled_row(indicator.id, ctx.country)
    if country is not None and country["value"] is not None:
        shown.append((ctx.country, country))
    rows = tuple(
        (area.name, row["numerator"], row["value"],
         f"{tal(row['lower'], d)}–{tal(row['upper'], d)}",
         VERDICT[row["comparison"]] if indicator.compared and area != ctx.country else "")
        for area, row in shown
    )  # fmt: skip
    return DataTable(
        columns=(
            TableColumn("Område"),
            TableColumn("Antal", 0),
            TableColumn("Værdi", d),
            TableColumn(f"{ctx.level_text}-konfidensinterval"),
            TableColumn("Sml. med landet"),
        ),
        rows=rows,
    )
