"""Metode og definitioner: the reading guide, the methods and every indicator's definition.

Generated from the catalogue, so that a corrected code list or definition is
printed the next time a pack is built, and from the data, for the years.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from datapakke.engine.catalogue import POLARITY_LABELS, Indicator, method_label
from datapakke.engine.standard import standard_description
from datapakke.numbers import aar_interval
from datapakke.pack.context import PackContext
from datapakke.pack.labels import unit_label
from datapakke.pack.model import Definition, DefinitionGroup, Methods
from datapakke.pack.text import join_names, sentence

DISEASE_NAMES: Mapping[str, str] = {
    "type1_diabetes": "type 1-diabetes",
    "type2_diabetes": "type 2-diabetes",
    "kol": "KOL",
    "astma": "astma",
    "leddegigt": "leddegigt",
    "osteoporose": "knogleskørhed (osteoporose)",
    "demens": "demens",
    "skizofreni": "skizofreni",
}


def methods(ctx: PackContext) -> Methods:
    """The methods appendix of the pack."""
    groups = tuple(
        DefinitionGroup(
            theme.title, tuple(_definition(ctx, i) for i in ctx.catalogue.in_theme(theme.id))
        )
        for theme in ctx.catalogue.themes
    )
    return Methods(
        reading_guide=reading_guide(ctx.threshold, ctx.level_text),
        paragraphs=_paragraphs(ctx),
        groups=groups,
    )


def reading_guide(threshold: int, level: str) -> tuple[tuple[str, str], ...]:
    """How to read the pack's charts and tables, in plain words."""
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
        (
            "Usikkerhed",
            f"De sorte streger ved søjler og punkter er {level}-konfidensintervaller: det område, "
            f"tallet med {level} sikkerhed ligger i. Jo færre borgere, jo bredere interval. "
            "Ligger landets tal uden for intervallet, er forskellen signifikant.",
        ),
        (
            "Udvikling",
            "↗ stiger og ↘ falder betyder en signifikant udvikling over de seneste op til fem "
            "år. → uændret betyder, at der ikke er en sikker ændring. – betyder, at udviklingen "
            "ikke er beregnet (færre end tre år eller et år med for få tilfælde).",
        ),
        (
            "Nøgletallenes spænd",
            "Bjælken på nøgletalssiden viser, hvor klyngen ligger blandt alle klynger: den lyse "
            "bjælke går fra den laveste til den højeste klynge, den mørke del rummer den "
            "midterste halvdel. Den lodrette streg er hele landet, prikken er klyngen, og de "
            "tynde streger er klyngens kommuner.",
        ),
        (
            "Små tal",
            f"Antal på færre end {threshold} personer eller hændelser vises som «<{threshold}», "
            "og raten eller andelen bag dem som «skjult». «Skjult» alene betyder, at tallet ikke "
            f"selv er lille, men er skjult, så et tal under {threshold} ikke kan regnes ud. "
            "Rater med under 10 hændelser og middellevetider med under 50 dødsfald eller "
            "5.000 personår vises som "
            "«for få tilfælde», fordi de er for usikre. Et manglende tal vises aldrig som nul.",
        ),
    )


def _paragraphs(ctx: PackContext) -> tuple[tuple[str, str], ...]:
    years = aar_interval(ctx.results.years)
    return (
        (
            "Datagrundlag",
            f"Datapakken bygger på pseudonymiserede registerudtræk for {years}: befolkningen "
            "(CPR), Landspatientregisteret, Dødsårsagsregisteret, Lægemiddelstatistikregisteret, "
            "registeret for udvalgte kroniske sygdomme (RUKS) og hjemmeplejedata. En borger "
            "tælles i den kommune, borgeren boede i pr. 1. januar det pågældende år. Klyngens, "
            "regionens og landets tal er summen af deres kommuner.",
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
            "(under 10 hændelser) eller Byars metode for ustandardiserede rater og Chiangs "
            "metode for middellevetid.",
        ),
        (
            "Sammenligning med landet",
            "Et område ligger signifikant over eller under landet, når landets tal ligger uden "
            f"for områdets {ctx.level_text}-konfidensinterval. Folketal og andele af hele "
            "befolkningen er fulde optællinger uden statistisk usikkerhed og sammenlignes ikke.",
        ),
        (
            "Udvikling over tid",
            "Udviklingen er testet med en vægtet lineær regression over de seneste op til fem "
            "år (vægt: 1/variansen). Udviklingen er signifikant, når testen er signifikant på "
            "99,8 %-niveau; det strenge niveau gør, at tilfældige udsving sjældent kaldes en "
            "udvikling.",
        ),
        (
            "Diskretionering",
            f"Ingen tal må gøre det muligt at genkende enkeltpersoner. Antal mellem 1 og "
            f"{ctx.threshold - 1} vises ikke («<{ctx.threshold}»), og det samme gælder raten og "
            "andelen bag dem («skjult»). Hvor tal hænger sammen (kommunerne og klyngens total, "
            "kvinder og mænd, 65+ og 80+ årige), skjules desuden så få andre tal som muligt "
            "(«skjult»), så intet skjult tal og ingen forskel under "
            f"{ctx.threshold} kan regnes ud ved at trække tal fra hinanden. "
            "Folketal er offentlig statistik og skjules ikke. Diskretioneringen sker én gang, "
            "før tallene tegnes, skrives eller eksporteres.",
        ),
        (
            "Klyngens kommuner",
            "Klyngernes sammensætning kommer fra datapakkes geografifil. Hvor en klynges "
            "kommuner ikke er bekræftet af en officiel kilde, står det på forsiden; "
            "sammensætningen kan rettes i filen uden at ændre programmet.",
        ),
    )


def _standard(ctx: PackContext) -> str:
    settings = ctx.results.settings
    return standard_description(settings.standard, settings.standard_year)


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
    items += _code_items(indicator.params)
    years = ctx.indicator_years(indicator.id) if ctx.has(indicator.id) else ()
    when = aar_interval(years) if years else "ingen data i registerudtrækket"
    items.append(("Kilde og år", f"{indicator.source}. {when.capitalize()}."))
    return Definition(indicator.id, indicator.title, tuple(items))


def _code_items(params: Mapping[str, Any]) -> list[tuple[str, str]]:
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
        names = [DISEASE_NAMES.get(d, d) for d in diseases]
        items.append(("Sygdomme i RUKS", join_names(names)))
    return items
