"""Pooled figures in an indicator block: where a part's latest year is not shown, its
published figure for the latest years together ("2020–2024 samlet") takes its place
in the comparison chart, labelled with its years ("Assens (2020–24)").

The engine decides which pooled rows may be published (``Results.pooled``); a pooled
figure is shown only for a part whose latest single year is hidden, and always with
its years, never as the latest year.
"""

from __future__ import annotations

from typing import Any

from datapakke.engine.catalogue import Indicator
from datapakke.numbers import aar_interval, med_enhed
from datapakke.pack.context import AreaKey, PackContext
from datapakke.pack.text import join_names

# The published pooled row of each part shown by it, in the parts' order.
PooledParts = dict[AreaKey, dict[str, Any]]


def pooled_parts(ctx: PackContext, indicator: Indicator, year: int) -> PooledParts:
    """The parts (the area itself when it has none, e.g. Bornholm) whose value for
    ``year`` is not shown but whose pooled figure ending in ``year`` is published."""
    found = {}
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
            found[area] = pooled
    return found


def pooled_period(row: dict[str, Any]) -> str:
    """The years a pooled row counts, as the reader sees them: '2020–2024 samlet'."""
    return f"{aar_interval((row['first_year'], row['year']))} samlet"


def pooled_label(area: AreaKey, row: dict[str, Any]) -> str:
    """An area's label in a chart where it is shown by its pooled figure: 'Assens (2020–24)'."""
    return f"{area.name} ({_short_years(row)})"


def _short_years(row: dict[str, Any]) -> str:
    return f"{row['first_year']}–{row['year'] % 100:02d}"


def pooled_sentence(ctx: PackContext, indicator: Indicator, pooled: PooledParts, year: int) -> str:
    """Which parts the comparison chart shows for the pooled years, why, and what they are
    compared with (the country's figure for the same years, not the line for ``year``)."""
    if not pooled:
        return ""
    period = pooled_period(next(iter(pooled.values())))
    if not ctx.parts:
        # The summary's first sentence has said that the area's own year is not shown.
        shown = f"Figuren viser i stedet tallet for {period}"
    else:
        names = join_names([area.name for area in pooled])
        shown = (
            f"Tallet for {year} kan ikke vises for {names}; figuren viser i stedet "
            f"{'tallet' if len(pooled) == 1 else 'tallene'} for {period}"
        )
    country = ctx.pooled_row(indicator.id, ctx.country)
    if indicator.compared and country is not None and country["value"] is not None:
        value = med_enhed(country["value"], indicator.unit, indicator.decimals)
        shown += f", der sammenlignes med hele landets tal for de samme år: {value}"
    return f"{shown}."


def pooled_caption(pooled: PooledParts) -> str:
    """The caption's note on the labelled pooled figures, '' without any."""
    if not pooled:
        return ""
    row = next(iter(pooled.values()))
    return f" ({_short_years(row)}: {pooled_period(row)})"
