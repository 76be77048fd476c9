"""Maps: where the area lies in Denmark (front page), and its municipalities coloured by their
comparison with the country for each headline indicator (the map page).

The maps show what the comparison charts show, on the map: the same comparison, the
same colours and the same words (in the legend and in each map's alt text); the
numbers are in the pack's tables and, for every map, in the workbook.
"""

from __future__ import annotations

from datapakke.engine.catalogue import Indicator
from datapakke.geography import AreaKey, possessive
from datapakke.pack.chart_specs import MapChart, MapFill
from datapakke.pack.context import PackContext, danish_sort_key
from datapakke.pack.labels import VERDICT, VERDICT_LONG, flag_label, unit_label
from datapakke.pack.model import DataTable, Figure, Maps, TableColumn
from datapakke.pack.text import join_names, lower_first, upper_first

ATTRIBUTION = "Kommunegrænser: DAGI 1:500.000, Styrelsen for Dataforsyning og Infrastruktur."
# Up to this many municipalities the key map writes their names; beyond, numbers and a list.
MAX_NAMED = 12
# The order in which an alt text names the groups of municipalities.
_ORDER: tuple[MapFill, ...] = ("worse", "better", "higher", "lower", "similar", "not_compared")


def locator_map(ctx: PackContext) -> Figure:
    """A small map of Denmark with the pack's area (and a municipality's council) marked."""
    own = {int(k.code) for k in ctx.kommuner}
    around = {int(k.code) for k in ctx.map_kommuner} - own
    fills = tuple(
        (code, "area" if code in own else "around" if code in around else "other")
        for code in sorted(ctx.geography.kommuner)
    )
    where = f"{ctx.area.name} i Danmark"
    alt = f"Danmarkskort med {ctx.area.name} markeret"
    if around and ctx.set_area is not None:
        alt += f" og resten af {ctx.set_area.navn} i en lysere farve"
    return Figure(
        id="kort-placering",
        title=where,
        chart=MapChart(fills=fills, width=2.2, height=2.0),  # type: ignore[arg-type]
        alt=alt + ". " + ATTRIBUTION,
        table=DataTable(columns=(TableColumn("Kommune"),), rows=()),
        source=ATTRIBUTION,
        caption=where,
    )


def maps(ctx: PackContext) -> Maps | None:
    """The map page, or None when the map would hold a single municipality."""
    kommuner = ctx.map_kommuner
    if len(kommuner) < 2:
        return None
    chosen = [i for i in ctx.catalogue.indicators if i.headline and i.compared and ctx.has(i.id)]
    figures = tuple(_choropleth(ctx, indicator, kommuner) for indicator in chosen)
    key, key_list = _key_map(ctx, kommuner)
    rows = []
    for indicator in chosen:
        year = ctx.indicator_years(indicator.id)[-1]
        for kommune in kommuner:
            row = ctx.row(indicator.id, kommune, year)
            value = row["value"] if row else None
            rows.append(
                (
                    indicator.display_title,
                    unit_label(indicator),
                    ctx.period(indicator, year),
                    kommune.name,
                    value if value is not None else flag_label(row["flag"] if row else ""),
                    VERDICT_LONG[_fill(row)] if value is not None else "",
                )
            )
    whose = (
        f"{possessive(ctx.set_area.navn)} kommuner" if ctx.area.level == "kommune" and ctx.set_area
        else f"{ctx.words.genitiv} kommuner"
    )  # fmt: skip
    return Maps(
        title="Kort",
        lead=f"Nøgletallene på kort over {whose}: hver kommune har farven og ordet for "
        "sammenligningen med hele landet, som i diagrammerne. En kommune uden farve (hvid, "
        "skraveret) sammenlignes ikke, fx fordi tallet bygger på for få tilfælde. Tallene "
        "står i temaafsnittene og i regnearket."
        + (f" {ctx.area.name} har kraftig kant." if ctx.area.level == "kommune" else ""),
        key=key,
        key_list=key_list,
        figures=figures,
        table=DataTable(
            columns=(
                TableColumn("Indikator"),
                TableColumn("Enhed"),
                TableColumn("Periode"),
                TableColumn("Kommune"),
                TableColumn("Værdi", 1),
                TableColumn("Sammenlignet med landet"),
            ),
            rows=tuple(rows),
        ),
        attribution=ATTRIBUTION,
    )


def _key_map(ctx: PackContext, kommuner: tuple[AreaKey, ...]) -> tuple[Figure, tuple[str, ...]]:
    """The map that names the municipalities the other maps show (by number if many)."""
    ordered = sorted(kommuner, key=lambda k: danish_sort_key(k.name))
    named = len(ordered) <= MAX_NAMED
    labels = tuple(
        (int(k.code), k.name if named else str(n)) for n, k in enumerate(ordered, start=1)
    )
    key_list = () if named else tuple(f"{n} {k.name}" for n, k in enumerate(ordered, start=1))
    outlined = (int(ctx.area.code),) if ctx.area.level == "kommune" else ()
    figure = Figure(
        id="kort-kommuner",
        title="Kommunerne",
        chart=MapChart(
            fills=tuple((int(k.code), "similar") for k in ordered),
            outlined=outlined,
            labels=labels,
            width=3.3,
            height=3.0,
        ),
        alt=f"Kort over de {len(ordered)} kommuner, de øvrige kort viser: "
        f"{join_names([k.name for k in ordered])}.",
        table=DataTable(columns=(TableColumn("Kommune"),), rows=()),
        source=ATTRIBUTION,
        caption="Kommunerne på kortene",
    )
    return figure, key_list


def _fill(row: dict[str, object] | None) -> MapFill:
    if row is None or row["value"] is None:
        return "not_compared"
    return row["comparison"]  # type: ignore[return-value]


def _choropleth(ctx: PackContext, indicator: Indicator, kommuner: tuple[AreaKey, ...]) -> Figure:
    year = ctx.indicator_years(indicator.id)[-1]
    fills = tuple((int(k.code), _fill(ctx.row(indicator.id, k, year))) for k in kommuner)
    by_fill: dict[MapFill, list[str]] = {}
    for kommune, (_code, fill) in zip(kommuner, fills, strict=True):
        by_fill.setdefault(fill, []).append(kommune.name)
    groups = [
        f"{upper_first(VERDICT[fill]) if fill != 'not_compared' else 'Ikke sammenlignet'}: "
        f"{join_names(by_fill[fill])}"
        for fill in _ORDER
        if fill in by_fill
    ]
    period = ctx.period(indicator, year)
    alt = (
        f"Kort over {lower_first(indicator.display_title)} ({unit_label(indicator)}, {period}) "
        f"i {len(kommuner)} kommuner, farvet efter sammenligningen med hele landet. "
        + ". ".join(groups)
        + "."
    )
    outlined = (int(ctx.area.code),) if ctx.area.level == "kommune" else ()
    return Figure(
        id=f"kort-{indicator.id}",
        title=indicator.display_title,
        chart=MapChart(fills=fills, outlined=outlined),
        alt=alt,
        table=DataTable(columns=(TableColumn("Kommune"),), rows=()),
        source=ATTRIBUTION,
        caption=f"{unit_label(indicator)}, {period}",
    )
