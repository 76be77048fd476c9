"""The methods appendix on numbers from the aggregate inputs: survey estimates others
publish, the population projection and a user's own counts (``engine.published``).

One paragraph per kind the pack shows, so the appendix says how each is treated only
when the reader meets it.
"""

from __future__ import annotations

from datapakke.engine.catalogue import Indicator
from datapakke.engine.params import AggregateCountParams, ProjectionParams, SurveyParams
from datapakke.engine.published import PUBLISHED_LEVEL
from datapakke.pack.context import PackContext
from datapakke.pack.text import join_names, lower_first


def aggregate_paragraphs(ctx: PackContext) -> tuple[tuple[str, str], ...]:
    """(heading, text) for each kind of aggregate input among the pack's indicators."""
    shown = [i for i in ctx.catalogue.indicators if ctx.has(i.id)]
    survey = [i for i in shown if type(i.settings) is SurveyParams]
    projection = [i for i in shown if isinstance(i.settings, ProjectionParams)]
    counted = [i for i in shown if isinstance(i.settings, AggregateCountParams)]
    paragraphs = []
    if survey:
        paragraphs.append(("Tal fra spørgeskemaundersøgelser", _survey(ctx, survey)))
    if projection:
        paragraphs.append(
            (
                "Befolkningsfremskrivning",
                f"Tallene for {_titles(projection)} kommer fra {_sources(projection)}. En "
                "fremskrivning er et skøn over den fremtidige befolkning ud fra antagelser om "
                "fødsler, dødsfald og flytninger, ikke en optælling, og har derfor ikke noget "
                "konfidensinterval. Et områdes tal er summen af dets kommuners. "
                "Fremskrivningen er offentlig statistik og skjules ikke.",
            )
        )
    if counted:
        paragraphs.append(
            (
                "Tal leveret pr. kommune",
                f"{_titles(counted).capitalize()} bygger på antal pr. kommune fra "
                f"{_sources(counted)}. Områdernes tal er summen af kommunernes, og tallene får "
                "konfidensintervaller, sammenlignes med landet og diskretioneres som "
                "registertallene.",
            )
        )
    return tuple(paragraphs)


def _survey(ctx: PackContext, indicators: list[Indicator]) -> str:
    published = f"{PUBLISHED_LEVEL * 100:.0f} %"
    intervals = (
        f"med udgiverens {published}-konfidensintervaller"
        if ctx.results.settings.level == PUBLISHED_LEVEL
        else f"med {ctx.level_text}-konfidensintervaller omregnet fra udgiverens "
        f"{published}-intervaller"
    )
    return (
        f"{_titles(indicators).capitalize()} er andele fra {_sources(indicators)}, en "
        "spørgeskemaundersøgelse blandt et tilfældigt udsnit af borgerne. Kommunernes, "
        f"regionernes og landets tal er udgiverens egne skøn {intervals}. Udgiveren har selv "
        "sikret, at ingen kan genkendes, så tallene vises, som de er udgivet, og uden antal "
        f"personer. For et område, som udgiveren ikke opgør (fx {_an_area(ctx)}), er tallet "
        "gennemsnittet af kommunernes tal vægtet med antallet af borgere i aldersgruppen, med "
        "et konfidensinterval for det gennemsnit; mangler en af kommunernes tal, vises "
        "områdets ikke. Tallene sammenlignes med landet ud fra konfidensintervallet som "
        "registertallene."
    )


def _an_area(ctx: PackContext) -> str:
    """'en klynge', 'et sundhedsråd': an area of the pack's area set."""
    words = ctx.geography.words(ctx.geography.level)
    return f"{'en' if words.artikel == 'den' else 'et'} {words.ental}"


def _titles(indicators: list[Indicator]) -> str:
    return join_names([lower_first(i.display_title) for i in indicators])


def _sources(indicators: list[Indicator]) -> str:
    return join_names(sorted({i.source for i in indicators}))
