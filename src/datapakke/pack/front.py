"""The front page: which area, which municipalities, which data, made when and with what."""

from __future__ import annotations

import datetime as dt

from datapakke.numbers import aar_interval, heltal
from datapakke.pack.context import PackContext
from datapakke.pack.maps import locator_map
from datapakke.pack.model import FrontPage, MemberRow
from datapakke.pack.text import join_names, lower_first, upper_first

SYNTHETIC_NOTE = (
    "Syntetiske data: denne datapakke er lavet på kunstige data fra «datapakke sample». "
    "Tallene beskriver ingen virkelige personer og må ikke bruges til beslutninger."
)


def front_page(
    ctx: PackContext, build_date: dt.date, version: str, *, synthetic: bool
) -> FrontPage:
    """The front page of the area's pack."""
    folketal = int(ctx.value("folketal", ctx.area) or 0)
    members = tuple(
        MemberRow(
            p.name, p.code if p.level == "kommune" else "", int(ctx.value("folketal", p) or 0)
        )
        for p in (ctx.parts or (ctx.kommuner if ctx.area.level != "kommune" else ()))
    )
    return FrontPage(
        slug=ctx.area.slug,
        navn=ctx.area.name,
        kicker=f"Datapakke for {ctx.words.titel}",
        lead=_lead(ctx),
        facts=_facts(ctx, folketal),
        members=members,
        members_caption=_members_caption(ctx, len(members)),
        member_header=upper_first(ctx.part_words.ental),
        code_header="Kommunekode" if ctx.part_words.niveau == "kommune" else None,
        folketal=folketal,
        years=ctx.results.years,
        build_date=build_date,
        version=version,
        membership_note=_membership_note(ctx, build_date),
        data_note=SYNTHETIC_NOTE if synthetic else None,
        catalogue_version=ctx.catalogue.version,
        coverage_note=_coverage_note(ctx),
        locator=locator_map(ctx),
        topics=topics(ctx),
    )


def topics(ctx: PackContext) -> str:
    """The catalogue's themes in running text: 'befolkningen, de sårbare ældre og ...'."""
    return join_names([t.subject or lower_first(t.title) for t in ctx.catalogue.themes])


def _lead(ctx: PackContext) -> str:
    beside = [ctx.part_words.flertal_bestemt] if ctx.parts else []
    beside += [ctx.geography.words(p.level).bestemt for p in ctx.parents]
    return (
        f"{upper_first(topics(ctx))}: {ctx.words.genitiv} tal side om side med "
        f"{join_names([*beside, 'hele landet'])}."
    )


def _facts(ctx: PackContext, folketal: int) -> tuple[tuple[str, str], ...]:
    facts: list[tuple[str, str]] = []
    area = ctx.set_area
    if ctx.area.level == "kommune":
        facts.append(("Kommunekode", f"{int(ctx.area.code):03d}"))
    if area is not None and area.akuthospital:
        facts.append(("Akuthospital", area.akuthospital))
    for parent in ctx.parents:
        facts.append((upper_first(ctx.geography.words(parent.level).ental), parent.name))
    facts.append(("Folketal", f"{heltal(folketal)} pr. 1. januar {ctx.results.years[-1]}"))
    facts.append(("Data", aar_interval(ctx.results.years)))
    return tuple(facts)


def _members_caption(ctx: PackContext, count: int) -> str:
    words = ctx.part_words
    return upper_first(f"{ctx.words.genitiv} {words.ental if count == 1 else words.flertal}")


def _membership_note(ctx: PackContext, build_date: dt.date) -> str | None:
    """How sure the area's municipalities are, where its edge differs from reality, and
    whether its set has been replaced."""
    parts: list[str] = []
    area = ctx.set_area
    if area is not None and ctx.area.level != "kommune":
        if not area.bekraeftet:
            state = "omstridt" if area.sikkerhed == "omstridt" else (
                "ikke bekræftet af en officiel kilde"
            )  # fmt: skip
            parts += [
                f"{upper_first(ctx.words.genitiv)} sammensætning er {state}.",
                area.forbehold,
                "Den kan rettes i datapakkes geografifil.",
            ]
        parts.append(area.afgraensning)
    parts.append(ctx.geography.area_set.replaced_on(build_date) or "")
    return " ".join(p for p in parts if p) or None


def _coverage_note(ctx: PackContext) -> str | None:
    """Say so when the extract does not cover every municipality of the country."""
    covered = ctx.covered_kommuner
    everyone = frozenset(ctx.geography.kommuner)
    coverage = ctx.results.coverage
    if (coverage is not None and coverage.complete) or covered >= everyone:
        return None
    missing_here = [k.name for k in ctx.kommuner if int(k.code) not in covered]
    peers = ctx.geography.words(ctx.area.level).flertal
    text = (
        f"Registerudtrækket dækker {len(covered & everyone)} af landets {len(everyone)} "
        f"kommuner. «Hele landet» og de andre {peers} betyder i denne datapakke kun de "
        "kommuner, udtrækket dækker, og sammenligningen med landet skal læses med det forbehold."
    )
    if missing_here and ctx.area.level == "kommune":
        text += f" Udtrækket dækker ikke {ctx.area.name}."
    elif missing_here:
        text += f" Udtrækket mangler {ctx.words.genitiv} egne kommuner: {', '.join(missing_here)}."
    return text
