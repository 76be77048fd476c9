"""Build the Pack model for one cluster from the computed results."""

from __future__ import annotations

import datetime as dt

from datapakke.geography import Geography, Klynge
from datapakke.indicators.compute import Results
from datapakke.pack.context import PackContext
from datapakke.pack.model import FrontPage, KommuneRow, Pack
from datapakke.pack.population import population_section

SYNTHETIC_NOTE = (
    "Syntetiske data: denne datapakke er lavet på kunstige data fra 'datapakke sample'. "
    "Tallene beskriver ingen virkelige personer og må ikke bruges til beslutninger."
)


def build_pack(
    results: Results,
    geography: Geography,
    klynge: Klynge,
    *,
    build_date: dt.date,
    version: str,
    synthetic: bool = False,
) -> Pack:
    """Assemble one cluster's pack: front page and sections, all numbers from ``results``."""
    ctx = PackContext(geography=geography, klynge=klynge, results=results)
    front = _front_page(ctx, build_date, version, synthetic)
    return Pack(front=front, sections=(population_section(ctx),))


def _front_page(ctx: PackContext, build_date: dt.date, version: str, synthetic: bool) -> FrontPage:
    kommuner = tuple(
        KommuneRow(int(k.code), k.name, int(ctx.value("folketal", k) or 0)) for k in ctx.kommuner
    )
    note = None
    if not ctx.klynge.bekraeftet:
        note = (
            "Klyngens sammensætning er ikke bekræftet af en officiel kilde "
            f"({ctx.klynge.kilde_sikkerhed.removeprefix('ubekræftet: ')}). "
            "Den kan rettes i datapakkes geografifil."
        )
    return FrontPage(
        klynge_id=ctx.klynge.id,
        klynge_navn=ctx.klynge.navn,
        akuthospital=ctx.klynge.akuthospital,
        region=ctx.region.fulde_navn,
        kommuner=kommuner,
        folketal=int(ctx.value("folketal", ctx.cluster) or 0),
        years=ctx.results.years,
        build_date=build_date,
        version=version,
        membership_note=note,
        data_note=SYNTHETIC_NOTE if synthetic else None,
    )
