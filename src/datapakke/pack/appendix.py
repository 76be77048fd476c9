"""Metode og definitioner: the reading guide, the methods and every indicator's definition.

Generated from the catalogue, so that a corrected code list or definition is
printed the next time a pack is built, and from the data, for the years.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from datapakke.engine.catalogue import POLARITY_LABELS, Indicator, method_label
from datapakke.engine.compare import TREND_YEARS
from datapakke.engine.reader_texts import admission_definition, left_out_sentences
from datapakke.engine.standard import standard_description
from datapakke.engine.stats import BYAR_FROM
from datapakke.numbers import aar_interval
from datapakke.pack.context import PackContext
from datapakke.pack.labels import (
    AGE_ADJUSTMENT_NOTE,
    SPINE_GUIDE,
    too_few_rule,
    trend_guide,
    trend_method,
    unit_label,
)
from datapakke.pack.model import Definition, DefinitionGroup, Methods
from datapakke.pack.text import join_names, sentence, upper_first


def methods(ctx: PackContext) -> Methods:
    """The methods appendix of the pack."""
    groups = tuple(
        DefinitionGroup(
            theme.title, tuple(_definition(ctx, i) for i in ctx.catalogue.in_theme(theme.id))
        )
        for theme in ctx.catalogue.themes
    )
    return Methods(
        reading_guide=reading_guide(ctx),
        paragraphs=_paragraphs(ctx),
        groups=groups,
    )


def reading_guide(ctx: PackContext) -> tuple[tuple[str, str], ...]:
    """How to read the pack's charts and tables, in plain words."""
    level, threshold = ctx.level_text, ctx.threshold
    return (
        (
            "Sammenlignet med landet",
            "Et tal er «bedre» eller «dårligere» end landet, når forskellen er statistisk "
            "signifikant, og når det er klart, hvad der er bedst (fx færre forebyggelige "
            "indlæggelser). Hvor der ikke er et bedre eller dårligere, står der «højere» eller "
            "«lavere». «Som landet» betyder, at forskellen ikke er statistisk signifikant: den "
            "kan skyldes tilfældigheder. Farven gentager ordet: blå er bedre, orange dårligere, "
            "grå som landet, mørk lilla højere og lys lilla lavere; hvid (skraveret) er ikke "
            "sammenlignet.",
        ),
        ("Aldersjusteret", AGE_ADJUSTMENT_NOTE),
        (
            "Usikkerhed",
            f"De sorte streger ved søjler og punkter er {level}-konfidensintervaller: det område, "
            f"tallet med {level} sikkerhed ligger i. Jo færre borgere, jo bredere interval. "
            "Ligger landets tal uden for intervallet, er forskellen signifikant.",
        ),
        ("Udvikling", trend_guide(TREND_YEARS, ctx.trend_level_text)),
        ("Nøgletallenes spænd", SPINE_GUIDE.format(peers=ctx.peer_plural, area=ctx.words.bestemt)),
        (
            "Små tal",
            f"Antal på færre end {threshold} personer eller hændelser vises som «<{threshold}», "
            "og raten eller andelen bag dem som «skjult». «Skjult» alene betyder, at tallet ikke "
            f"selv er lille, men er skjult, så et tal under {threshold} ikke kan regnes ud. "
            f"{sentence(too_few_rule(ctx.catalogue))} Et manglende tal vises aldrig som nul.",
        ),
    )


def _data_paragraphs(ctx: PackContext) -> tuple[tuple[str, str], ...]:
    """How admissions are defined for these data, and whom the policies left out."""
    provenance = ctx.results.provenance
    paragraphs = []
    admissions = admission_definition(provenance)
    if admissions:
        paragraphs.append(("Indlæggelser og kontakter", admissions))
    left_out = left_out_sentences(provenance, ctx.threshold)
    if left_out:
        paragraphs.append(("Personer uden for opgørelsen", " ".join(left_out)))
    return tuple(paragraphs)


def _paragraphs(ctx: PackContext) -> tuple[tuple[str, str], ...]:
    general = _general_paragraphs(ctx, aar_interval(ctx.results.years))
    return general[:1] + _data_paragraphs(ctx) + general[1:]


def _general_paragraphs(ctx: PackContext, years: str) -> tuple[tuple[str, str], ...]:
    set_words = ctx.geography.area_set.words
    return (
        (
            "Datagrundlag",
            f"Datapakken bygger på pseudonymiserede registerudtræk for {years}: befolkningen "
            "(CPR), Landspatientregisteret, Dødsårsagsregisteret, Lægemiddelstatistikregisteret, "
            "registeret for udvalgte kroniske sygdomme (RUKS) og hjemmeplejedata. En borger "
            "tælles i den kommune, borgeren boede i pr. 1. januar det pågældende år. "
            f"{upper_first(set_words.flertal_genitiv)}, regionernes og "
            "landets tal er summen af deres kommuner.",
        ),
        (
            "Standardisering",
            "Rater, der er køns- og aldersstandardiserede, er beregnet ved direkte "
            f"standardisering til {_standard(ctx)}. Forskelle i alder og køn mellem områderne "
            "er dermed taget ud, så tallene kan sammenlignes, og fordi standarden er den samme "
            "for alle år, ændrer en rate sig kun, når områdets egne rater gør, ikke fordi "
            "landets befolkning bliver ældre."
            + (
                f" I {ctx.results.settings.standard_year} er landets standardiserede rate lig "
                "med den rå rate."
                if ctx.results.settings.standard == "national"
                else ""
            ),
        ),
        (
            "Konfidensintervaller",
            f"{ctx.level_text}-konfidensintervaller er beregnet med Dobsons metode for "
            "standardiserede rater, Wilsons metode for andele, den eksakte Poisson-metode "
            f"(under {BYAR_FROM} hændelser) eller Byars metode for ustandardiserede rater og "
            "Chiangs metode for middellevetid.",
        ),
        (
            "Sammenligning med landet",
            "Et område ligger signifikant over eller under landet, når landets tal ligger uden "
            f"for områdets {ctx.level_text}-konfidensinterval. Folketal og andele af hele "
            "befolkningen er fulde optællinger uden statistisk usikkerhed og sammenlignes ikke.",
        ),
        ("Udvikling over tid", trend_method(TREND_YEARS, ctx.trend_level_text)),
        (
            "Diskretionering",
            f"Ingen tal må gøre det muligt at genkende enkeltpersoner. Antal mellem 1 og "
            f"{ctx.threshold - 1} vises ikke («<{ctx.threshold}»), og det samme gælder raten og "
            "andelen bag dem («skjult»). Hvor tal hænger sammen (kommunerne og deres "
            f"{set_words.ental}, "
            "kvinder og mænd, 65+ og 80+ årige), skjules desuden så få andre tal som muligt "
            "(«skjult»), så intet skjult tal og ingen forskel under "
            f"{ctx.threshold} kan regnes ud ved at trække tal fra hinanden. "
            "Folketal er offentlig statistik og skjules ikke. Diskretioneringen sker én gang, "
            "før tallene tegnes, skrives eller eksporteres.",
        ),
        (
            "Områdernes kommuner",
            _membership_text(ctx),
        ),
    )


def _standard(ctx: PackContext) -> str:
    settings = ctx.results.settings
    return standard_description(settings.standard, settings.standard_year)


def _membership_text(ctx: PackContext) -> str:
    """Where the areas come from: the area set, its sources, and how to correct it."""
    area_set = ctx.geography.area_set
    w = area_set.words
    source = f" Kilder: {area_set.kilde}." if area_set.kilde else ""
    return (
        f"{upper_first(w.flertal_genitiv)} og regionernes kommuner kommer fra inddelingen "
        f"«{area_set.navn}» i datapakkes geografifiler.{source} Hvor sammensætningen ikke er "
        "bekræftet af en officiel kilde, står det på forsiden; den kan rettes i filerne uden "
        "at ændre programmet."
    )


def _definition(ctx: PackContext, indicator: Indicator) -> Definition:
    items: list[tuple[str, str]] = [("Definition", indicator.definition)]
    group = indicator.age_group or "Alle aldre"
    if indicator.sex:
        group += ", " + ("kvinder" if indicator.sex == "K" else "mænd")
    items.append(("Befolkningsgruppe", group))
    described = method_label(indicator.method, ctx.level_text)
    method = f"{sentence(unit_label(indicator).capitalize())} {described}."
    if indicator.method == "rate_standardised":
        method += f" Standardbefolkning: {_standard(ctx)}."
    items.append(("Opgørelse", method))
    items.append(("Vurdering", POLARITY_LABELS[indicator.polarity]))
    items += _code_items(indicator.params, ctx.catalogue.disease_names)
    years = ctx.indicator_years(indicator.id) if ctx.has(indicator.id) else ()
    when = aar_interval(years) if years else "ingen data i registerudtrækket"
    items.append(("Kilde og år", f"{indicator.source}. {when.capitalize()}."))
    return Definition(indicator.id, indicator.title, tuple(items))


def _code_items(
    params: Mapping[str, Any], disease_names: Mapping[str, str]
) -> list[tuple[str, str]]:
    items: list[tuple[str, str]] = []
    diagnoses = params.get("diagnoses")
    if isinstance(diagnoses, Mapping) and diagnoses:
        lists = "; ".join(f"{name}: {', '.join(codes)}" for name, codes in diagnoses.items())
        items.append(("Diagnosekoder (SKS, aktionsdiagnose)", lists))
    excluded = params.get("exclude_diagnoses")
    if excluded:
        items.append(("Tælles ikke med (aktionsdiagnose)", ", ".join(excluded)))
    diseases = params.get("diseases")
    if diseases:
        names = [disease_names[d] for d in diseases]
        items.append(("Sygdomme i RUKS", join_names(names)))
    return items
