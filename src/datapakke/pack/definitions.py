"""The methods appendix's method groups and table of definitions, from the catalogue.

Each way of computing a value is described once, with the indicators computed so;
each indicator then gets one row of its theme's definitions table (what it counts,
for whom, which codes, from which register and years), so no rule is printed twice.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from datapakke.engine.catalogue import METHOD_LABELS, POLARITY_LABELS, Indicator, method_label
from datapakke.engine.params import ChangeParams, LifeExpectancyParams, ProjectionParams
from datapakke.engine.standard import standard_description
from datapakke.engine.stats import BYAR_FROM
from datapakke.numbers import aar_interval, heltal
from datapakke.pack.context import PackContext
from datapakke.pack.labels import unit_label
from datapakke.pack.model import Definition, DefinitionGroup, MethodGroup
from datapakke.pack.text import join_names, lower_first, sentence, upper_first

# The short name of each method, as a heading and in each definition's line.
METHOD_NAMES: Mapping[str, str] = {
    "rate_standardised": "Standardiseret rate",
    "rate_crude": "Rate",
    "share": "Andel",
    "share_full": "Andel af hele befolkningen",
    "life_expectancy": "Middellevetid",
    "count": "Optælling",
    "change": "Ændring",
    "survey": "Spørgeskemaundersøgelse",
    "projection": "Befolkningsfremskrivning",
}
# A projected count is not a register count: it gets a group of its own.
PROJECTION = "projection"


def method_key(indicator: Indicator) -> str:
    """The group an indicator's method is described in: its method, or the projection."""
    return PROJECTION if isinstance(indicator.settings, ProjectionParams) else indicator.method


def method_groups(ctx: PackContext) -> tuple[MethodGroup, ...]:
    """Every method the catalogue uses, in the order of METHOD_LABELS (then any other),
    each described once with the indicators that use it."""
    used: dict[str, list[Indicator]] = {}
    for indicator in ctx.catalogue.indicators:
        used.setdefault(method_key(indicator), []).append(indicator)
    known = [*METHOD_LABELS, PROJECTION]
    order = [m for m in known if m in used] + sorted(set(used) - set(known))
    return tuple(
        MethodGroup(
            method=method,
            title=_method_name(method),
            text=_method_text(ctx, method, used[method]),
            indicators=tuple(lower_first(i.display_title) for i in used[method]),
        )
        for method in order
    )


def _method_name(method: str) -> str:
    return METHOD_NAMES.get(method, upper_first(method.replace("_", " ")))


def _method_text(ctx: PackContext, method: str, indicators: list[Indicator]) -> str:
    """How values of ``method`` are computed, with their uncertainty, in plain Danish."""
    text = _METHOD_TEXTS.get(method)
    if text is not None:
        return text(ctx, indicators)
    return sentence(method_label(method, ctx.level_text)) if method in METHOD_LABELS else ""


def _standardised(ctx: PackContext, _indicators: list[Indicator]) -> str:
    settings = ctx.results.settings
    standard = standard_description(settings.standard, settings.standard_year)
    same_year = (
        f" I {settings.standard_year} er landets standardiserede rate lig med den rå rate."
        if settings.standard == "national"
        else ""
    )
    return (
        f"{sentence(method_label('rate_standardised', ctx.level_text))} Raten er beregnet ved "
        f"direkte standardisering til {standard}. Forskelle i alder og køn mellem områderne er "
        "dermed taget ud, så tallene kan sammenlignes, og fordi standarden er den samme for alle "
        "år, ændrer en rate sig kun, når områdets egne rater gør, ikke fordi landets befolkning "
        f"bliver ældre.{same_year}"
    )


def _crude(ctx: PackContext, _indicators: list[Indicator]) -> str:
    return (
        f"Hændelser pr. 1.000 i befolkningsgruppen, ikke aldersjusteret, med "
        f"{ctx.level_text}-konfidensinterval: den eksakte Poisson-metode under {BYAR_FROM} "
        "hændelser, ellers Byars metode."
    )


def _share(ctx: PackContext, _indicators: list[Indicator]) -> str:
    return (
        "Andelen af befolkningsgruppen, ikke aldersjusteret, med "
        f"{ctx.level_text}-konfidensinterval efter Wilsons metode."
    )


def _life_expectancy(ctx: PackContext, indicators: list[Indicator]) -> str:
    settings = [s for i in indicators if isinstance(s := i.settings, LifeExpectancyParams)]
    pooled = join_names(sorted({heltal(s.pool_years) for s in settings}), "eller")
    return (
        "Den forventede levetid ved fødslen, beregnet med en forkortet dødelighedstavle med "
        f"{ctx.level_text}-konfidensinterval efter Chiangs metode. Dødsfald og befolkning for "
        f"op til {pooled} år lægges sammen, så også små områder får et tal."
    )


def _change(_ctx: PackContext, indicators: list[Indicator]) -> str:
    spans = [s.max_years for i in indicators if isinstance(s := i.settings, ChangeParams)]
    longest = max(spans, default=0)
    return (
        f"Ændringen i procent fra det første til det sidste år, over op til {longest} år af "
        "data; en hel optælling uden statistisk usikkerhed, som ikke sammenlignes."
    )


def _full_count(_ctx: PackContext, _indicators: list[Indicator]) -> str:
    return (
        "Hele optællinger fra befolkningsregistret pr. 1. januar: de har ingen statistisk "
        "usikkerhed, sammenlignes ikke og er offentlig statistik, der ikke skjules."
    )


def _projection(_ctx: PackContext, indicators: list[Indicator]) -> str:
    sources = join_names(sorted({i.source for i in indicators}))
    return (
        f"Et skøn over de kommende års befolkning fra {sources} (aggregeret input), ikke en "
        "optælling: uden konfidensinterval, og det sammenlignes ikke."
    )


_METHOD_TEXTS: Mapping[str, Callable[[PackContext, list[Indicator]], str]] = {
    PROJECTION: _projection,
    "rate_standardised": _standardised,
    "rate_crude": _crude,
    "share": _share,
    "life_expectancy": _life_expectancy,
    "change": _change,
    "count": _full_count,
    "share_full": _full_count,
}


def definition_groups(ctx: PackContext) -> tuple[DefinitionGroup, ...]:
    """One table of definitions per theme, one row per indicator."""
    return tuple(
        DefinitionGroup(
            theme.title, tuple(_definition(ctx, i) for i in ctx.catalogue.in_theme(theme.id))
        )
        for theme in ctx.catalogue.themes
    )


def _definition(ctx: PackContext, indicator: Indicator) -> Definition:
    group = indicator.age_group or "Alle aldre"
    if indicator.sex:
        group += ", " + ("kvinder" if indicator.sex == "K" else "mænd")
    measure = (
        f"{_method_name(method_key(indicator))}, {unit_label(indicator)}. "
        f"{POLARITY_LABELS[indicator.polarity]}."
    )
    years = ctx.indicator_years(indicator.id) if ctx.has(indicator.id) else ()
    when = aar_interval(years) if years else "ingen data i registerudtrækket"
    if years and isinstance(projected := indicator.settings, ProjectionParams):
        # A projection's row sits in its base year; the number is for years later.
        when = f"fremskrivning til 1. januar {years[-1] + projected.horizon} fra {years[-1]}"
    return Definition(
        indicator_id=indicator.id,
        title=indicator.title,
        measure=measure,
        definition=indicator.definition,
        group=group,
        codes=code_items(indicator.params, ctx.catalogue.disease_names),
        source=f"{indicator.source}. {upper_first(when)}.",
    )


def code_items(
    params: Mapping[str, Any], disease_names: Mapping[str, str]
) -> tuple[tuple[str, str], ...]:
    """The code lists of an indicator's parameters, each with what it is."""
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
    return tuple(items)
