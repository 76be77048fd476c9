"""The front page: which cluster, which municipalities, which data, made when and with what."""

from __future__ import annotations

import datetime as dt

from datapakke.pack.context import PackContext
from datapakke.pack.model import FrontPage, KommuneRow
from datapakke.pack.text import join_names, lower_first

SYNTHETIC_NOTE = (
    "Syntetiske data: denne datapakke er lavet på kunstige data fra «datapakke sample». "
    "Tallene beskriver ingen virkelige personer og må ikke bruges til beslutninger."
)


def front_page(
    ctx: PackContext, build_date: dt.date, version: str, *, synthetic: bool
) -> FrontPage:
    """The front page of the cluster's pack."""
    kommuner = tuple(
        KommuneRow(int(k.code), k.name, int(ctx.value("folketal", k) or 0)) for k in ctx.kommuner
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
        membership_note=_membership_note(ctx),
        data_note=SYNTHETIC_NOTE if synthetic else None,
        catalogue_version=ctx.catalogue.version,
        coverage_note=_coverage_note(ctx),
        topics=topics(ctx),
        lead=_lead(ctx),
    )


def topics(ctx: PackContext) -> str:
    """The catalogue's themes in running text: 'befolkningen, de sårbare ældre og ...'."""
    return join_names([t.subject or lower_first(t.title) for t in ctx.catalogue.themes])


def _lead(ctx: PackContext) -> str:
    text = topics(ctx)
    beside = (
        "kommunerne, regionen og hele landet"
        if len(ctx.kommuner) > 1
        else ("regionen og hele landet")
    )
    return f"{text[:1].upper()}{text[1:]}: klyngens tal side om side med {beside}."


def _membership_note(ctx: PackContext) -> str | None:
    """How sure the cluster's municipalities are, and where its edge differs from reality."""
    parts = []
    if not ctx.klynge.bekraeftet:
        parts.append(
            "Klyngens sammensætning er ikke bekræftet af en officiel kilde "
            f"({ctx.klynge.kilde_sikkerhed.removeprefix('ubekræftet: ')}). "
            "Den kan rettes i datapakkes geografifil."
        )
    if ctx.klynge.afgraensning:
        parts.append(ctx.klynge.afgraensning)
    return " ".join(parts) or None


def _coverage_note(ctx: PackContext) -> str | None:
    """Say so when the extract does not cover every municipality of the country."""
    covered = ctx.covered_kommuner
    everyone = frozenset(ctx.geography.kommuner)
    coverage = ctx.results.coverage
    if (coverage is not None and coverage.complete) or covered >= everyone:
        return None
    missing_here = [k.name for k in ctx.kommuner if int(k.code) not in covered]
    text = (
        f"Registerudtrækket dækker {len(covered & everyone)} af landets {len(everyone)} "
        "kommuner. «Hele landet» og de andre klynger betyder i denne datapakke kun de "
        "kommuner, udtrækket dækker, og sammenligningen med landet skal læses med det forbehold."
    )
    if missing_here:
        text += f" Udtrækket mangler klyngens egne kommuner: {', '.join(missing_here)}."
    return text
