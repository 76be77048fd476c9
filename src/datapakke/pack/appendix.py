"""Metode og definitioner: each rule once, each method once, then a table of definitions.

Generated from the catalogue, so that a corrected code list or definition is
printed the next time a pack is built, and from the data, for the years.
"""

from __future__ import annotations

from datapakke.engine.compare import TREND_YEARS
from datapakke.engine.reader_texts import admission_definition, left_out_sentences
from datapakke.engine.settings import DEFAULT_MIN_COUNT
from datapakke.numbers import aar_interval
from datapakke.pack.aggregate_methods import aggregate_paragraphs
from datapakke.pack.context import PackContext
from datapakke.pack.definitions import definition_groups, method_groups
from datapakke.pack.labels import (
    AGE_ADJUSTMENT_NOTE,
    HIDDEN,
    SPINE_GUIDE,
    too_few_rule,
    trend_method,
)
from datapakke.pack.model import Methods
from datapakke.pack.text import join_names, lower_first, sentence, upper_first

TREND_MARKERS = (
    "↗ og ↘ markerer en signifikant stigning eller et signifikant fald; «ikke beregnet» "
    "betyder, at udviklingen ikke er testet (for få år med tal, et år i perioden uden vist tal, "
    "eller en indikator, der ikke testes)."
)


def methods(ctx: PackContext) -> Methods:
    """The methods appendix of the pack."""
    return Methods(rules=rules(ctx), methods=method_groups(ctx), groups=definition_groups(ctx))


def rules(ctx: PackContext) -> tuple[tuple[str, str], ...]:
    """How the pack's numbers are made and read, each rule once, in plain words."""
    level = ctx.level_text
    years = aar_interval(ctx.results.years)
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
        *_data_paragraphs(ctx),
        (
            "Sammenlignet med landet",
            "Et tal er «bedre» eller «dårligere» end landet, når forskellen er statistisk "
            "signifikant, og når det er klart, hvad der er bedst (fx færre forebyggelige "
            "indlæggelser). Hvor der ikke er et bedre eller dårligere, står der «højere» eller "
            "«lavere». Forskellen er signifikant, når landets tal ligger uden for områdets "
            f"{level}-konfidensinterval; «som landet» betyder, at den ikke er det: den kan "
            "skyldes tilfældigheder. Farven gentager ordet: blå er bedre, orange dårligere, "
            "grå som landet, mørk lilla højere og lys lilla lavere; hvid (skraveret) er ikke "
            "sammenlignet. Hele optællinger (folketal, andele af hele befolkningen) har ingen "
            "statistisk usikkerhed og sammenlignes ikke.",
        ),
        (
            "Usikkerhed",
            f"De sorte streger ved søjler og punkter er {level}-konfidensintervaller: det område, "
            f"tallet med {level} sikkerhed ligger i. Jo færre borgere, jo bredere interval. "
            "Hvordan intervallet beregnes, står under hver metode nedenfor.",
        ),
        ("Aldersjusteret", AGE_ADJUSTMENT_NOTE),
        ("Udvikling", f"{trend_method(TREND_YEARS, ctx.trend_level_text)} {TREND_MARKERS}"),
        ("Nøgletallenes spænd", SPINE_GUIDE.format(peers=ctx.peer_plural, area=ctx.words.bestemt)),
        ("Små tal", _small_numbers(ctx)),
        *_pooled_paragraph(ctx),
        *aggregate_paragraphs(ctx),
        ("Områdernes kommuner", _membership_text(ctx)),
    )


def _small_numbers(ctx: PackContext) -> str:
    """How small counts were protected, for the threshold actually used."""
    threshold = ctx.threshold
    too_few = f"{sentence(too_few_rule(ctx.catalogue))} Et manglende tal vises aldrig som nul."
    if threshold == 1:
        return (
            "Datapakken er lavet uden diskretionering (--min-count 1): alle antal vises, også "
            f"antal på 1 til {DEFAULT_MIN_COUNT - 1}, så enkeltpersoner kan genkendes. Den må "
            f"ikke offentliggøres. {too_few}"
        )
    hidden = "Antal på 1" if threshold == 2 else f"Antal mellem 1 og {threshold - 1}"
    set_words = ctx.geography.area_set.words
    return (
        f"Ingen tal må gøre det muligt at genkende enkeltpersoner. {hidden} vises som "
        f"«<{threshold}», og raten eller andelen bag dem som «{HIDDEN}». "
        f"Hvor tal hænger sammen (kommunerne og deres {set_words.ental}, "
        f"{set_words.flertal_bestemt} og deres region, regionerne og landet, kvinder og mænd, "
        "en aldersgruppe og en del af den, fx 65+ og 80+ årige), skjules desuden så få andre "
        f"tal som muligt: de vises som «{HIDDEN}» alene, er ikke selv små, men er skjult, så "
        f"intet skjult tal og ingen forskel under {threshold} kan regnes ud ved at trække tal "
        f"fra hinanden. {too_few} Folketal er offentlig statistik og skjules ikke. "
        "Diskretioneringen sker én gang, før tallene tegnes, skrives eller eksporteres."
    )


def _pooled_paragraph(ctx: PackContext) -> tuple[tuple[str, str], ...]:
    """What a pooled figure is, where the catalogue pools any indicator."""
    pooling = [i for i in ctx.catalogue.indicators if i.pool_small_areas is not None]
    if not pooling:
        return ()
    return (
        (
            "Flere år samlet",
            "Hvor en kommunes tal for det seneste år ikke kan vises, viser datapakken for "
            f"{join_names([lower_first(i.title) for i in pooling])} i stedet tallet for de "
            "seneste år samlet, mærket med årene, fx «Odder (2020–24)»: alle årenes tilfælde "
            "og personår lagt sammen og beregnet på samme måde som for ét år (en "
            "standardiseret rate med samme standardbefolkning). Det sammenlignes med landets "
            "tal for de samme år og har ingen udvikling. Et samlet tal vises kun, når det "
            "ikke gør det muligt at regne et skjult tal ud, heller ikke ved at trække de "
            "viste år fra.",
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
